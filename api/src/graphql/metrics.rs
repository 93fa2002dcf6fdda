//! Prometheus metrics per GraphQL operation: count by outcome and latency.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Response, async_trait};
use std::sync::Arc;
use std::time::Instant;

pub struct OperationMetrics;

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationMetricsExtension)
    }
}

struct OperationMetricsExtension;

/// Operation names come from clients; keep the label set bounded and printable.
fn label(operation_name: Option<&str>) -> String {
    match operation_name {
        Some(name)
            if !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name.to_owned()
        }
        Some(_) => "invalid".to_owned(),
        None => "anonymous".to_owned(),
    }
}

#[async_trait::async_trait]
impl Extension for OperationMetricsExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let started = Instant::now();
        let response = next.run(ctx, operation_name).await;
        let operation = label(operation_name);
        let outcome = if response.errors.is_empty() { "ok" } else { "error" };
        metrics::counter!("graphql_requests_total", "operation" => operation.clone(), "outcome" => outcome)
            .increment(1);
        metrics::histogram!("graphql_request_duration_seconds", "operation" => operation)
            .record(started.elapsed().as_secs_f64());
        response
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_bounded() {
        assert_eq!(super::label(Some("Login")), "Login");
        assert_eq!(super::label(Some("drop table; --")), "invalid");
        assert_eq!(super::label(Some(&"a".repeat(65))), "invalid");
        assert_eq!(super::label(None), "anonymous");
    }
}
