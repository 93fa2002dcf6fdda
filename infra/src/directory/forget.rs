//! The one place where a committed directory change makes the copies that show it stale.

use super::card;
use crate::Store;
use uuid::Uuid;

/// What changed in the directory, for [`forget`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Changed<'a> {
    /// A deputy's profile: their in-memory copy, their public card, and the cards of the stations where
    /// they are on duty at an upcoming reception day (those cards list their name).
    Deputy(Uuid),
    /// A handling unit, deputy group, committee or professional group: its in-memory copy.
    Named(Uuid),
    /// A liaison station or its reception days: the cards of the station's deputies.
    Station(Uuid),
    /// A deputy's QR token was replaced: the card served under the old one.
    QrToken(&'a str),
}

/// The one place where a committed directory change makes the copies that show it stale: the in-process
/// memo ([`crate::memo`]), the public deputy cards ([`card`]) and,
/// through the data epoch ([`crate::epoch`]), the answers the API keeps. Best effort: a cache failure is logged.
pub(crate) async fn forget(store: &Store, changed: Changed<'_>) {
    store.advance_epoch().await;
    match changed {
        Changed::Deputy(id) => {
            store.directory.forget(id);
            card::forget_deputy(store, id).await;
        }
        Changed::Named(id) => store.directory.forget(id),
        Changed::Station(id) => card::forget_station(store, id).await,
        Changed::QrToken(token) => card::forget_token(store, token).await,
    }
}
