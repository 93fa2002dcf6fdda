//! Background jobs that wake on a timer. Each instance runs them all; the jobs themselves claim their
//! work row by row (a compare-and-set marker), so two instances never send the same reminder twice.

use crate::error::Result;
use std::time::Duration;

/// Runs `round` every `every` until the task is dropped: a round that did something is logged with what
/// it did, a failed one is logged and retried at the next tick. A late tick waits rather than bunching up.
pub async fn repeat<F, Fut>(what: &'static str, every: Duration, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize>>,
{
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match round().await {
            Ok(0) => {}
            Ok(done) => tracing::info!(done, job = what, "job round done"),
            Err(err) => tracing::warn!(error = %err, job = what, "job round failed; will retry"),
        }
    }
}
