//! End-to-end tests: the real server on port 0, GraphQL over HTTP. See `edaibiao_tests` for the harness.

mod auth;
mod directory;
mod inbox;
mod merge;
mod opinions;
mod ops;
mod push;
mod qr;
mod queries;
mod receptions;
mod subscriptions;
mod suggestions;
