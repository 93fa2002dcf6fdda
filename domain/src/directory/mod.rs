//! The directory: congresses, deputies, handling units, liaison stations, groups and committees, and who
//! may change them.

mod congress;
mod deputy;
mod drafts;
mod qr;
mod station;

pub use congress::{CongressLevel, Term};
pub use deputy::{ExpertiseTags, Gender, OccupationCategory};
pub use drafts::{CongressDraft, DeputyDraft, DeputyInput, NamedDraft, StationDraft, same_congress};
pub use qr::{LOOKUP_QUANTUM, QrAction, QrImageSize, QrOwner, QrToken, lookup_padding, may_handle_qr};
pub use station::StationKind;

use crate::DomainError;
use crate::account::Actor;
use uuid::Uuid;

/// May `actor` create or edit directory records of `congress_id`? Congress staff manage their own
/// congress; admins manage every congress. Creating a congress itself (`None`) is for admins only.
pub fn may_manage_directory(actor: &Actor, congress_id: Option<Uuid>) -> Result<(), DomainError> {
    let allowed = match congress_id {
        None => actor.is_admin(),
        Some(id) => actor.is_staff_of(id),
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of this congress or an admin may change the directory"))
    }
}

/// May `actor` see the private phone number of the deputy `deputy_id` of `congress_id`? The deputy
/// themself, staff of that congress and admins: the people who must call back.
pub fn may_see_deputy_phone(actor: Option<&Actor>, deputy_id: Uuid, congress_id: Uuid) -> bool {
    actor.is_some_and(|a| a.deputy_id == Some(deputy_id) || a.is_staff_of(congress_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;

    fn actor(role: Role, congress: Option<Uuid>, deputy: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role,
            congress_id: congress,
            unit_id: None,
            deputy_id: deputy,
            station_id: None,
        }
    }

    #[test]
    fn staff_manage_only_their_congress() {
        let own = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let staff = actor(Role::CongressStaff, Some(own), None);
        assert!(may_manage_directory(&staff, Some(own)).is_ok());
        assert!(may_manage_directory(&staff, Some(other)).is_err());
        assert!(may_manage_directory(&staff, None).is_err());
        let admin = actor(Role::Admin, None, None);
        assert!(may_manage_directory(&admin, Some(other)).is_ok());
        assert!(may_manage_directory(&admin, None).is_ok());
    }

    #[test]
    fn deputies_units_and_citizens_never_manage_the_directory() {
        let congress = Uuid::from_u128(1);
        for role in [Role::Deputy, Role::Citizen, Role::UnitStaff] {
            let a = actor(role, Some(congress), None);
            assert!(matches!(may_manage_directory(&a, Some(congress)), Err(DomainError::Forbidden(_))));
        }
    }

    #[test]
    fn deputy_phone_is_for_self_and_own_staff() {
        let congress = Uuid::from_u128(1);
        let deputy = Uuid::from_u128(7);
        assert!(may_see_deputy_phone(
            Some(&actor(Role::Deputy, Some(congress), Some(deputy))),
            deputy,
            congress
        ));
        assert!(!may_see_deputy_phone(
            Some(&actor(Role::Deputy, Some(congress), Some(Uuid::from_u128(8)))),
            deputy,
            congress
        ));
        assert!(may_see_deputy_phone(
            Some(&actor(Role::CongressStaff, Some(congress), None)),
            deputy,
            congress
        ));
        assert!(!may_see_deputy_phone(
            Some(&actor(Role::CongressStaff, Some(Uuid::from_u128(2)), None)),
            deputy,
            congress
        ));
        assert!(!may_see_deputy_phone(Some(&actor(Role::Citizen, None, None)), deputy, congress));
        assert!(!may_see_deputy_phone(Some(&actor(Role::UnitStaff, None, None)), deputy, congress));
        assert!(!may_see_deputy_phone(None, deputy, congress));
    }
}
