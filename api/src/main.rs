//! `edaibiao`: the e代表 API server.
//!
//! - `edaibiao` or `edaibiao serve`: run the server (configuration from the environment; see README).
//! - `edaibiao print-schema`: print the GraphQL schema (SDL) that `schema.graphql` holds.
//! - `edaibiao migrate`: apply database migrations and exit.

// The merged GraphQL roots nest deeply enough that optimised builds need more than the default 128.
#![recursion_limit = "256"]

use edaibiao_api::config::Config;
use edaibiao_api::{Application, graphql, telemetry};
use std::process::ExitCode;

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".to_owned());
    if command == "print-schema" {
        print!("{}", graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    let result = actix_web::rt::System::new().block_on(async move {
        match command.as_str() {
            "serve" => Application::build(config)
                .await
                .map_err(|e| e.to_string())?
                .run_until_stopped()
                .await
                .map_err(|e| e.to_string()),
            "migrate" => config.db_settings().migrate().await.map_err(|e| e.to_string()),
            other => Err(format!("unknown command {other:?}; use serve, migrate or print-schema")),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("edaibiao: {err}");
            ExitCode::FAILURE
        }
    }
}
