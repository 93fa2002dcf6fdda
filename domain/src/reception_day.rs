//! Reception days (接待日): a liaison station opens for a few hours and deputies on duty receive the
//! public. Who may schedule them, what a valid one looks like, and when it may still change.

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::text::optional;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// The longest reception day: one working day with a margin.
pub const MAX_LENGTH: Duration = Duration::hours(12);
/// How far ahead a reception day may be scheduled.
pub const MAX_AHEAD: Duration = Duration::days(366);
/// Deputies on duty at one reception day.
pub const MIN_DEPUTIES: usize = 1;
pub const MAX_DEPUTIES: usize = 20;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 500;

/// May `actor` schedule, change or cancel reception days at station `station_id` of `congress_id`?
/// Staff of that congress, admins, and the workers of that very station.
pub fn may_schedule_reception(actor: &Actor, station_id: Uuid, congress_id: Uuid) -> Result<(), DomainError> {
    let station_worker = actor.role == Role::StationStaff && actor.station_id == Some(station_id);
    if actor.is_staff_of(congress_id) || station_worker {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only staff of the station's congress, its workers or an admin schedule reception days",
        ))
    }
}

/// When a reception day takes place: a start strictly before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceptionSlot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl ReceptionSlot {
    /// A slot for a new or changed reception day: it ends after it starts, lasts at most
    /// [`MAX_LENGTH`], does not start in the past and starts at most [`MAX_AHEAD`] from `now`.
    pub fn parse(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        if ends_at <= starts_at {
            return Err(DomainError::invalid("endsAt", "must be after the start"));
        }
        if ends_at - starts_at > MAX_LENGTH {
            return Err(DomainError::invalid("endsAt", "a reception day lasts at most 12 hours"));
        }
        if starts_at < now {
            return Err(DomainError::invalid("startsAt", "must not be in the past"));
        }
        if starts_at - now > MAX_AHEAD {
            return Err(DomainError::invalid("startsAt", "must be within a year from now"));
        }
        Ok(Self { starts_at, ends_at })
    }

    /// Whether two slots share any moment (touching ends do not overlap).
    pub fn overlaps(&self, other: &ReceptionSlot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// A reception day as staff enter it, checked: its slot, 1–20 distinct deputies of the station's
/// congress, and an optional note of up to 500 characters.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionDayDraft {
    pub slot: ReceptionSlot,
    /// Distinct, in the order given.
    pub deputy_ids: Vec<Uuid>,
    pub note: Option<String>,
}

impl ReceptionDayDraft {
    /// `deputy_congress` holds the congress of each requested deputy that exists.
    pub fn parse(
        slot: ReceptionSlot,
        deputy_ids: &[Uuid],
        note: Option<&str>,
        station_congress: Uuid,
        deputy_congress: &HashMap<Uuid, Uuid>,
    ) -> Result<Self, DomainError> {
        let mut distinct: Vec<Uuid> = Vec::with_capacity(deputy_ids.len());
        for id in deputy_ids {
            if !distinct.contains(id) {
                distinct.push(*id);
            }
        }
        if !(MIN_DEPUTIES..=MAX_DEPUTIES).contains(&distinct.len()) {
            return Err(DomainError::invalid(
                "deputyIds",
                format!("name between {MIN_DEPUTIES} and {MAX_DEPUTIES} deputies on duty"),
            ));
        }
        for id in &distinct {
            match deputy_congress.get(id) {
                None => return Err(DomainError::invalid("deputyIds", "names a deputy that does not exist")),
                Some(c) if *c != station_congress => {
                    return Err(DomainError::invalid(
                        "deputyIds",
                        "names a deputy of another congress than the station's",
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(Self { slot, deputy_ids: distinct, note: optional("note", note, MAX_NOTE)? })
    }
}

/// A scheduled reception day as stored, as far as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceptionDayState {
    pub slot: ReceptionSlot,
    pub cancelled: bool,
}

/// What can be done to an existing reception day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceptionChange {
    /// New times, deputies or note: only before it starts.
    Update,
    /// Called off: until it ends.
    Cancel,
}

/// May `day` still undergo `change` at `now`? A cancelled day changes no more; one that has started
/// keeps its times and deputies (it is on the record); one that has ended cannot be cancelled.
pub fn may_change_reception(
    day: ReceptionDayState,
    change: ReceptionChange,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if day.cancelled {
        return Err(DomainError::conflict("the reception day is cancelled"));
    }
    match change {
        ReceptionChange::Update if day.slot.starts_at <= now => {
            Err(DomainError::conflict("the reception day has started and can no longer be changed"))
        }
        ReceptionChange::Cancel if day.slot.ends_at <= now => {
            Err(DomainError::conflict("the reception day is over and can no longer be cancelled"))
        }
        _ => Ok(()),
    }
}

/// Refuses a draft that puts a deputy on duty at two places at once. `booked` lists, for other
/// reception days that are not cancelled, a deputy on duty there and that day's slot.
pub fn check_no_double_booking(
    draft: &ReceptionDayDraft,
    booked: &[(Uuid, ReceptionSlot)],
) -> Result<(), DomainError> {
    let clash =
        booked.iter().any(|(deputy, slot)| draft.deputy_ids.contains(deputy) && draft.slot.overlaps(slot));
    if clash {
        Err(DomainError::conflict(
            "a deputy on duty is already on duty at another reception day at that time",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const CONGRESS: Uuid = Uuid::from_u128(1);
    const STATION: Uuid = Uuid::from_u128(30);

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().unwrap_or_default()
    }

    fn hours(h: i64) -> DateTime<Utc> {
        now() + Duration::hours(h)
    }

    fn slot(from: i64, to: i64) -> ReceptionSlot {
        ReceptionSlot::parse(hours(from), hours(to), now()).unwrap()
    }

    fn actor(role: Role, congress: Option<Uuid>, station: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role,
            congress_id: congress,
            unit_id: None,
            deputy_id: None,
            station_id: station,
        }
    }

    fn field_of(result: Result<impl std::fmt::Debug, DomainError>) -> &'static str {
        match result {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn staff_admins_and_the_stations_workers_schedule() {
        for who in [
            actor(Role::CongressStaff, Some(CONGRESS), None),
            actor(Role::Admin, None, None),
            actor(Role::StationStaff, Some(CONGRESS), Some(STATION)),
        ] {
            assert!(may_schedule_reception(&who, STATION, CONGRESS).is_ok(), "{who:?}");
        }
        for who in [
            actor(Role::CongressStaff, Some(Uuid::from_u128(2)), None),
            actor(Role::StationStaff, Some(CONGRESS), Some(Uuid::from_u128(31))),
            actor(Role::Deputy, Some(CONGRESS), None),
            actor(Role::Citizen, None, None),
            actor(Role::UnitStaff, None, None),
        ] {
            assert!(matches!(
                may_schedule_reception(&who, STATION, CONGRESS),
                Err(DomainError::Forbidden(_))
            ));
        }
    }

    #[test]
    fn a_slot_ends_after_it_starts_lasts_at_most_12_hours_and_lies_ahead() {
        assert!(ReceptionSlot::parse(hours(1), hours(13), now()).is_ok());
        assert!(ReceptionSlot::parse(now(), hours(1), now()).is_ok());
        assert_eq!(field_of(ReceptionSlot::parse(hours(2), hours(2), now())), "endsAt");
        assert_eq!(field_of(ReceptionSlot::parse(hours(2), hours(1), now())), "endsAt");
        assert_eq!(
            field_of(ReceptionSlot::parse(hours(1), hours(13) + Duration::seconds(1), now())),
            "endsAt"
        );
        assert_eq!(field_of(ReceptionSlot::parse(hours(-1), hours(2), now())), "startsAt");
        assert_eq!(field_of(ReceptionSlot::parse(hours(24 * 367), hours(24 * 367 + 2), now())), "startsAt");
    }

    #[test]
    fn slots_overlap_only_when_they_share_time() {
        assert!(slot(1, 3).overlaps(&slot(2, 4)));
        assert!(slot(1, 4).overlaps(&slot(2, 3)));
        assert!(!slot(1, 2).overlaps(&slot(2, 3)));
        assert!(!slot(3, 4).overlaps(&slot(1, 2)));
    }

    #[test]
    fn deputies_are_distinct_existing_and_of_the_stations_congress() {
        let (a, b, c) = (Uuid::from_u128(10), Uuid::from_u128(11), Uuid::from_u128(12));
        let congresses: HashMap<Uuid, Uuid> = [(a, CONGRESS), (b, CONGRESS), (c, Uuid::from_u128(2))].into();
        let draft =
            ReceptionDayDraft::parse(slot(1, 3), &[a, b, a], Some(" 带上材料 "), CONGRESS, &congresses);
        assert_eq!(draft.as_ref().map(|d| d.deputy_ids.clone()), Ok(vec![a, b]));
        assert_eq!(draft.map(|d| d.note), Ok(Some("带上材料".to_owned())));
        assert_eq!(
            field_of(ReceptionDayDraft::parse(slot(1, 3), &[], None, CONGRESS, &congresses)),
            "deputyIds"
        );
        assert_eq!(
            field_of(ReceptionDayDraft::parse(slot(1, 3), &[a, c], None, CONGRESS, &congresses)),
            "deputyIds"
        );
        let unknown = Uuid::from_u128(13);
        assert_eq!(
            field_of(ReceptionDayDraft::parse(slot(1, 3), &[unknown], None, CONGRESS, &congresses)),
            "deputyIds"
        );
        let many: Vec<Uuid> = (100..121).map(Uuid::from_u128).collect();
        let all: HashMap<Uuid, Uuid> = many.iter().map(|id| (*id, CONGRESS)).collect();
        assert_eq!(field_of(ReceptionDayDraft::parse(slot(1, 3), &many, None, CONGRESS, &all)), "deputyIds");
        assert!(ReceptionDayDraft::parse(slot(1, 3), &many[..20], None, CONGRESS, &all).is_ok());
        let long = "字".repeat(MAX_NOTE + 1);
        assert_eq!(
            field_of(ReceptionDayDraft::parse(slot(1, 3), &[a], Some(&long), CONGRESS, &congresses)),
            "note"
        );
    }

    #[test]
    fn a_day_changes_before_it_starts_and_is_cancelled_before_it_ends() {
        let ahead = ReceptionDayState { slot: slot(1, 3), cancelled: false };
        assert!(may_change_reception(ahead, ReceptionChange::Update, now()).is_ok());
        assert!(may_change_reception(ahead, ReceptionChange::Cancel, now()).is_ok());
        let ongoing = hours(2);
        assert!(matches!(
            may_change_reception(ahead, ReceptionChange::Update, ongoing),
            Err(DomainError::Conflict(_))
        ));
        assert!(may_change_reception(ahead, ReceptionChange::Cancel, ongoing).is_ok());
        let over = hours(3);
        assert!(matches!(
            may_change_reception(ahead, ReceptionChange::Cancel, over),
            Err(DomainError::Conflict(_))
        ));
        let cancelled = ReceptionDayState { cancelled: true, ..ahead };
        for change in [ReceptionChange::Update, ReceptionChange::Cancel] {
            assert!(matches!(may_change_reception(cancelled, change, now()), Err(DomainError::Conflict(_))));
        }
    }

    #[test]
    fn a_deputy_is_not_on_duty_twice_at_once() {
        let (a, b) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let congresses: HashMap<Uuid, Uuid> = [(a, CONGRESS), (b, CONGRESS)].into();
        let draft = ReceptionDayDraft::parse(slot(2, 4), &[a], None, CONGRESS, &congresses).unwrap();
        assert!(check_no_double_booking(&draft, &[(b, slot(2, 4)), (a, slot(4, 6))]).is_ok());
        assert!(matches!(check_no_double_booking(&draft, &[(a, slot(3, 5))]), Err(DomainError::Conflict(_))));
    }
}
