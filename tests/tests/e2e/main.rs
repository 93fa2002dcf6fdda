//! End-to-end tests: the real server on port 0, GraphQL over HTTP. See `edaibiao_tests` for the harness.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

mod activities;
mod appraisal_voices;
mod appraisals;
mod attachments;
mod auth;
mod authz;
mod bills;
mod browser;
mod contacts;
mod credentials;
mod deputy_reports;
mod directory;
mod duty;
mod evaluation;
mod evaluation_scheme;
mod exports;
mod graphiql;
mod hardening;
mod hostile;
mod inbox;
mod kept_counts;
mod learning;
mod legislation;
mod merge;
mod nodes;
mod opinions;
mod ops;
mod page_cache;
mod projects;
mod protocol;
mod push;
mod qr;
mod queries;
mod receptions;
mod revalidation;
mod search;
mod selections;
mod sessions;
mod station_activity;
mod statistics;
mod subscriptions;
mod suggestions;
mod tracking;
mod voters;
