//! Reception records (接待记录): at a liaison station the deputy on duty, or a worker of the station, notes
//! when the public was received, how many came, and the matters raised; each matter may become an opinion
//! in the same step, taken at once by the recorder. The records of a month form the station's ledger (台账).

use super::input::OpinionInput;
use crate::DomainError;
use crate::account::{Actor, Role};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// The most visitors one record counts.
pub const MAX_VISITORS: u32 = 1000;
/// The most matters one record lists.
pub const MAX_MATTERS: usize = 50;
/// How far back a reception may be recorded.
pub const MAX_AGE_DAYS: i64 = 366;

/// One matter raised, and whether it becomes an opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterInput {
    pub opinion: OpinionInput,
    pub make_opinion: bool,
}

/// A reception as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionInput {
    pub received_at: DateTime<Utc>,
    pub visitors: u32,
    pub reception_day_id: Option<Uuid>,
    pub matters: Vec<MatterInput>,
}

impl ReceptionInput {
    /// Checks the record: 1–1,000 visitors, received in the past year and not in the future, at most 50
    /// matters. A contact phone is kept only with an opinion (where it is stored encrypted), so a matter that
    /// does not become one must not carry a phone.
    pub fn parse(
        received_at: DateTime<Utc>,
        visitors: i32,
        reception_day_id: Option<Uuid>,
        matters: Vec<MatterInput>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let visitors =
            u32::try_from(visitors).ok().filter(|v| (1..=MAX_VISITORS).contains(v)).ok_or_else(|| {
                DomainError::invalid("visitors", format!("must be between 1 and {MAX_VISITORS}"))
            })?;
        if received_at > now + Duration::minutes(5) {
            return Err(DomainError::invalid("receivedAt", "must not be in the future"));
        }
        if received_at < now - Duration::days(MAX_AGE_DAYS) {
            return Err(DomainError::invalid("receivedAt", "must be within the past year"));
        }
        if matters.len() > MAX_MATTERS {
            return Err(DomainError::invalid("matters", format!("at most {MAX_MATTERS} per record")));
        }
        if matters.iter().any(|m| !m.make_opinion && m.opinion.contact_phone.is_some()) {
            return Err(DomainError::invalid(
                "matters",
                "a contact phone is kept only with a matter that becomes an opinion",
            ));
        }
        Ok(Self { received_at, visitors, reception_day_id, matters })
    }
}

/// May `actor` record receptions at, and read the ledger of, station `station_id` of `congress_id`? Deputies
/// of the station (`deputy_station_id` is the station of the actor's deputy profile) and deputies on duty
/// there on the reception day recorded (`on_duty`), its workers, and staff of its congress (or an admin).
pub fn may_record_reception(
    actor: &Actor,
    station_id: Uuid,
    congress_id: Uuid,
    deputy_station_id: Option<Uuid>,
    on_duty: bool,
) -> Result<(), DomainError> {
    let deputy = actor.role == Role::Deputy && actor.congress_id == Some(congress_id);
    let allowed = actor.is_staff_of(congress_id)
        || (actor.role == Role::StationStaff && actor.station_id == Some(station_id))
        || (deputy && (on_duty || deputy_station_id == Some(station_id)));
    if allowed {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the station's deputies and workers, and congress staff, keep its reception records",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opinion::OpinionCategory;

    fn matter(phone: Option<&str>, make_opinion: bool) -> MatterInput {
        let opinion =
            OpinionInput::parse(OpinionCategory::Transport, "公交站太远", None, Some("李先生"), phone)
                .unwrap();
        MatterInput { opinion, make_opinion }
    }

    fn field(r: Result<ReceptionInput, DomainError>) -> Option<&'static str> {
        match r {
            Ok(_) => None,
            Err(DomainError::Invalid { field, .. }) => Some(field),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn records_are_checked() {
        let now = Utc::now();
        let ok = |visitors, at, matters| field(ReceptionInput::parse(at, visitors, None, matters, now));
        assert_eq!(ok(3, now - Duration::hours(2), vec![matter(Some("13812345678"), true)]), None);
        assert_eq!(ok(1, now, vec![]), None);
        assert_eq!(ok(0, now, vec![]), Some("visitors"));
        assert_eq!(ok(1001, now, vec![]), Some("visitors"));
        assert_eq!(ok(1, now + Duration::hours(1), vec![]), Some("receivedAt"));
        assert_eq!(ok(1, now - Duration::days(400), vec![]), Some("receivedAt"));
        assert_eq!(ok(1, now, vec![matter(Some("13812345678"), false)]), Some("matters"));
        assert_eq!(ok(1, now, vec![matter(None, false); 51]), Some("matters"));
    }

    #[test]
    fn the_station_keeps_its_own_records() {
        let (station, other_station, congress) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let base = Actor {
            user_id: Uuid::from_u128(9),
            role: Role::Citizen,
            congress_id: None,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        };
        let worker = Actor { role: Role::StationStaff, station_id: Some(station), ..base.clone() };
        let elsewhere = Actor { station_id: Some(other_station), ..worker.clone() };
        let deputy = Actor {
            role: Role::Deputy,
            deputy_id: Some(Uuid::from_u128(4)),
            congress_id: Some(congress),
            ..base.clone()
        };
        let staff = Actor { role: Role::CongressStaff, congress_id: Some(congress), ..base.clone() };
        let unit = Actor { role: Role::UnitStaff, unit_id: Some(Uuid::from_u128(5)), ..base.clone() };
        assert!(may_record_reception(&worker, station, congress, None, false).is_ok());
        assert!(may_record_reception(&elsewhere, station, congress, None, false).is_err());
        assert!(may_record_reception(&deputy, station, congress, Some(station), false).is_ok());
        assert!(may_record_reception(&deputy, station, congress, Some(other_station), false).is_err());
        assert!(
            may_record_reception(&deputy, station, congress, Some(other_station), true).is_ok(),
            "on duty"
        );
        assert!(may_record_reception(&staff, station, congress, None, false).is_ok());
        assert!(may_record_reception(&unit, station, congress, None, true).is_err());
        assert!(may_record_reception(&base, station, congress, None, false).is_err());
    }
}
