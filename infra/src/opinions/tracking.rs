//! The citizen's side of a tracking code, for the GraphQL fields and the public tracking page alike: what a
//! typed code opens, and the rating it allows. A code that opens nothing (mistyped, malformed or guessed)
//! counts against the client's address, so walking the code space is RATE_LIMITED while a citizen who
//! mistypes a few times, or reloads their page all day, is never stopped.

use super::{OpinionSettings, PublicOpinion, Rater, by_tracking_code};
use crate::error::Result;
use crate::throttle::Throttle;
use crate::{Error, Store};
use edaibiao_domain::DomainError;
use edaibiao_domain::opinion::{RatingInput, TRACKING_MISSES_PER_ADDRESS, TrackingCode};

/// The opinion a code typed by a citizen opens: NOT_FOUND when it opens nothing (also when it is not a
/// code at all), RATE_LIMITED after too many of those from one address.
pub async fn open(
    store: &Store,
    settings: &OpinionSettings,
    client_address: &str,
    typed: &str,
) -> Result<PublicOpinion> {
    guarded(store, settings, client_address, typed, async |code| by_tracking_code(store, code).await).await
}

/// Rates the outcome by a code typed by a citizen, as [`super::rate`] with the code; a code that opens
/// nothing counts as in [`open`].
pub async fn rate(
    store: &Store,
    settings: &OpinionSettings,
    client_address: &str,
    typed: &str,
    input: RatingInput,
) -> Result<PublicOpinion> {
    guarded(store, settings, client_address, typed, async |code| {
        super::rate(store, Rater::TrackingCode(code), input).await
    })
    .await
}

/// Counts the attempt before the work (so concurrent guesses cannot all pass) and gives it back unless
/// the code opened nothing.
async fn guarded(
    store: &Store,
    settings: &OpinionSettings,
    client_address: &str,
    typed: &str,
    work: impl AsyncFnOnce(&TrackingCode) -> Result<PublicOpinion>,
) -> Result<PublicOpinion> {
    let address = settings.vault.address_digest(client_address);
    let misses = Throttle::new("opinion-tracking-miss", &address, TRACKING_MISSES_PER_ADDRESS);
    misses.hit(&store.cache).await?;
    let outcome = match TrackingCode::parse(typed) {
        Ok(code) => work(&code).await,
        Err(_) => Err(DomainError::NotFound("opinion").into()),
    };
    if !matches!(outcome, Err(Error::Domain(DomainError::NotFound(_)))) {
        misses.refund(&store.cache).await;
    }
    outcome
}
