//! What the city publishes of an opinion for civic tools (Open311 GeoReport v2): the matter's kind, where
//! it stands and roughly where it is, and nothing anyone wrote or gave. Free text (the content, the place
//! as typed, the answer) is left out because citizens write names and numbers into it; the point is
//! rounded to about a hundred metres so that it cannot single out a door.

use super::aggregate::Opinion;
use super::kinds::{OpinionCategory, OpinionState};
use crate::geo::{Coordinates, DivisionCode};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Decimal places a published point keeps: 0.001° is about 111 m north–south.
pub const PUBLISHED_DECIMALS: i32 = 3;

/// An opinion as published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedOpinion {
    pub id: Uuid,
    pub category: OpinionCategory,
    /// Closed, or still open.
    pub closed: bool,
    /// Where it stands, in words anyone may read (the tracking page's).
    pub status_note: &'static str,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The point, rounded to [`PUBLISHED_DECIMALS`].
    pub position: Option<(f64, f64)>,
    pub division_code: Option<DivisionCode>,
}

/// The published view of `o`, last changed at `updated_at`.
pub fn publish(o: &Opinion, updated_at: DateTime<Utc>) -> PublishedOpinion {
    PublishedOpinion {
        id: o.id,
        category: o.category,
        closed: o.state == OpinionState::Closed,
        status_note: o.state.label(),
        requested_at: o.created_at,
        updated_at,
        position: o.position.map(rounded),
        division_code: o.division_code.clone(),
    }
}

fn rounded(c: Coordinates) -> (f64, f64) {
    let scale = 10f64.powi(PUBLISHED_DECIMALS);
    ((c.latitude() * scale).round() / scale, (c.longitude() * scale).round() / scale)
}
