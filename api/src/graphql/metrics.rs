//! Prometheus metrics per GraphQL operation: count by outcome and latency.
//!
//! The label is the operation's kind and first root field (`query:suggestions`), which the schema bounds,
//! never the operation name a client chose: 300 random names would otherwise be 300 series.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Response, ServerResult, Variables, async_trait};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct OperationMetrics;

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationMetricsExtension::default())
    }
}

/// One per request: remembers the label of each operation of the parsed document.
#[derive(Default)]
struct OperationMetricsExtension {
    labels: Mutex<Vec<(Option<String>, String)>>,
}

/// `kind:field` of each operation: its first root field, which validation has checked exists by the time
/// it is used (only validated documents execute).
fn labels(doc: &ExecutableDocument) -> Vec<(Option<String>, String)> {
    doc.operations
        .iter()
        .map(|(name, op)| {
            let kind = match op.node.ty {
                OperationType::Query => "query",
                OperationType::Mutation => "mutation",
                OperationType::Subscription => "subscription",
            };
            let field = op.node.selection_set.node.items.iter().find_map(|s| match &s.node {
                Selection::Field(f) => Some(f.node.name.node.as_str()),
                _ => None,
            });
            (name.map(|n| n.to_string()), format!("{kind}:{}", field.unwrap_or("other")))
        })
        .collect()
}

#[async_trait::async_trait]
impl Extension for OperationMetricsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        if let Ok(mut labels) = self.labels.lock() {
            *labels = self::labels(&doc);
        }
        Ok(doc)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let started = Instant::now();
        let response = next.run(ctx, operation_name).await;
        let operation = self
            .labels
            .lock()
            .ok()
            .and_then(|labels| {
                let found = match operation_name {
                    Some(name) => labels.iter().find(|(n, _)| n.as_deref() == Some(name)),
                    None => labels.first(),
                };
                found.map(|(_, label)| label.clone())
            })
            .unwrap_or_else(|| "other".to_owned());
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
    fn labels_come_from_the_schema_not_the_client() {
        let doc = async_graphql::parser::parse_query(
            "query RandomName123 { suggestions { nodes { id } } } mutation M { ...F login } fragment F on Mutation { logout }",
        );
        let Ok(doc) = doc else { panic!("parses") };
        // The parser keeps named operations in a hash map: their order is not stable.
        let mut labels: Vec<String> = super::labels(&doc).into_iter().map(|(_, l)| l).collect();
        labels.sort();
        assert_eq!(labels, ["mutation:login", "query:suggestions"]);
    }
}
