//! The e代表 API: GraphQL over HTTP on actix-web, authentication, health and metrics endpoints, and the
//! start-up that wires configuration, database, cache and schema together.

// The merged GraphQL roots nest deeply enough that optimised builds need more than the default 128.
#![recursion_limit = "256"]

mod appraisal_vote;
pub mod auth;
pub mod client;
pub mod config;
mod exports;
mod files;
pub mod graphiql;
pub mod graphql;
mod http;
mod open311;
mod personal_data;
mod qr;
pub mod startup;
pub mod telemetry;
mod tracking;
mod voters;
mod ws;

pub use startup::Application;
