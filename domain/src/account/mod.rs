//! People who use the app: roles, identities, credentials and what each role may do with accounts.

mod actor;
mod login_throttle;
mod password;
mod phone;
mod role;
mod session;
pub mod verification;

pub use actor::Actor;
pub use login_throttle::{LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_ATTEMPTS_PER_PHONE};
pub use password::NewPassword;
pub use phone::Phone;
pub use role::Role;
pub use session::{RefreshOutcome, SessionPolicy};

use crate::DomainError;
use uuid::Uuid;

/// What a new account is tied to, checked against its role: a unit's staff belong to one handling unit,
/// congress staff to one congress, a deputy account to one deputy profile, station staff to one liaison
/// station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Affiliation {
    pub congress_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub station_id: Option<Uuid>,
}

impl Affiliation {
    /// Checks that the affiliation fits the role: exactly the link the role needs, no other.
    pub fn check_for(&self, role: Role) -> Result<(), DomainError> {
        let needs = |present: bool, field: &'static str, wanted: bool| -> Result<(), DomainError> {
            match (present, wanted) {
                (false, true) => {
                    Err(DomainError::invalid(field, format!("is required for role {}", role.as_str())))
                }
                (true, false) => {
                    Err(DomainError::invalid(field, format!("is not allowed for role {}", role.as_str())))
                }
                _ => Ok(()),
            }
        };
        needs(self.unit_id.is_some(), "unitId", role == Role::UnitStaff)?;
        needs(self.deputy_id.is_some(), "deputyId", role == Role::Deputy)?;
        needs(self.station_id.is_some(), "stationId", role == Role::StationStaff)?;
        // A deputy's congress comes from the deputy profile, so only staff name it directly.
        needs(self.congress_id.is_some(), "congressId", role == Role::CongressStaff)
    }
}

/// May `actor` create an account with `role` and `affiliation`? `linked_congress` is the congress of the
/// deputy profile, liaison station, handling unit or congress the new account is tied to.
///
/// The name a deleted account goes by from then on, wherever it acted (comments, past steps).
pub const DELETED_ACCOUNT_NAME: &str = "已注销用户";

/// Only a citizen deletes their own account (PIPL art. 47). The accounts of deputies, staff, units and
/// stations are official: those who opened them close them.
pub fn may_delete_own_account(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(DomainError::forbidden("only a citizen's own account can be deleted by its holder"))
    }
}

/// ADMIN creates anything. CONGRESS_STAFF create deputies, station staff, unit staff and fellow staff, all
/// of their own congress only: an account tied to another congress's unit would read that congress's
/// suggestions. Nobody creates citizens: citizens register themselves.
pub fn may_create_account(
    actor: &Actor,
    role: Role,
    affiliation: &Affiliation,
    linked_congress: Option<Uuid>,
) -> Result<(), DomainError> {
    if role == Role::Citizen {
        return Err(DomainError::forbidden("citizens register themselves"));
    }
    match actor.role {
        Role::Admin => Ok(()),
        Role::CongressStaff => match role {
            Role::CongressStaff
                if affiliation.congress_id.is_some() && affiliation.congress_id == actor.congress_id =>
            {
                Ok(())
            }
            Role::Deputy | Role::StationStaff | Role::UnitStaff
                if linked_congress.is_some() && linked_congress == actor.congress_id =>
            {
                Ok(())
            }
            Role::Admin => Err(DomainError::forbidden("only an admin may create admins")),
            _ => Err(DomainError::forbidden("congress staff act only within their own congress")),
        },
        _ => Err(DomainError::forbidden("only admins and congress staff create accounts")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(congress: Uuid) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role: Role::CongressStaff,
            congress_id: Some(congress),
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    fn with_role(role: Role) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role,
            congress_id: None,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    #[test]
    fn affiliation_must_match_role() {
        let unit = Affiliation { unit_id: Some(Uuid::nil()), ..Default::default() };
        assert!(unit.check_for(Role::UnitStaff).is_ok());
        assert!(unit.check_for(Role::Deputy).is_err());
        assert!(Affiliation::default().check_for(Role::UnitStaff).is_err());
        assert!(Affiliation::default().check_for(Role::Admin).is_ok());
        let congress = Affiliation { congress_id: Some(Uuid::nil()), ..Default::default() };
        assert!(congress.check_for(Role::CongressStaff).is_ok());
        assert!(Affiliation::default().check_for(Role::CongressStaff).is_err());
    }

    #[test]
    fn nobody_creates_citizens() {
        for role in Role::ALL {
            let actor = with_role(role);
            assert!(may_create_account(&actor, Role::Citizen, &Affiliation::default(), None).is_err());
        }
    }

    #[test]
    fn only_admin_and_congress_staff_create_accounts() {
        for role in [Role::Deputy, Role::Citizen, Role::UnitStaff] {
            let err = may_create_account(&with_role(role), Role::UnitStaff, &Affiliation::default(), None);
            assert!(matches!(err, Err(DomainError::Forbidden(_))), "{role:?}");
        }
        assert!(
            may_create_account(&with_role(Role::Admin), Role::Admin, &Affiliation::default(), None).is_ok()
        );
    }

    #[test]
    fn congress_staff_stay_within_their_congress() {
        let own = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let actor = staff(own);
        assert!(may_create_account(&actor, Role::Deputy, &Affiliation::default(), Some(own)).is_ok());
        assert!(may_create_account(&actor, Role::Deputy, &Affiliation::default(), Some(other)).is_err());
        let same = Affiliation { congress_id: Some(own), ..Default::default() };
        let elsewhere = Affiliation { congress_id: Some(other), ..Default::default() };
        assert!(may_create_account(&actor, Role::CongressStaff, &same, None).is_ok());
        assert!(may_create_account(&actor, Role::CongressStaff, &elsewhere, None).is_err());
        assert!(may_create_account(&actor, Role::Admin, &Affiliation::default(), None).is_err());
        // Unit staff: only for a unit of the staff's own congress.
        let at_unit = Affiliation { unit_id: Some(Uuid::from_u128(7)), ..Default::default() };
        assert!(may_create_account(&actor, Role::UnitStaff, &at_unit, Some(own)).is_ok());
        assert!(may_create_account(&actor, Role::UnitStaff, &at_unit, Some(other)).is_err());
        assert!(may_create_account(&actor, Role::UnitStaff, &at_unit, None).is_err());
        // Station staff: only for a station of the staff's own congress, and only with a station.
        let at_station = Affiliation { station_id: Some(Uuid::from_u128(9)), ..Default::default() };
        assert!(may_create_account(&actor, Role::StationStaff, &at_station, Some(own)).is_ok());
        assert!(may_create_account(&actor, Role::StationStaff, &at_station, Some(other)).is_err());
        assert!(at_station.check_for(Role::StationStaff).is_ok());
        assert!(Affiliation::default().check_for(Role::StationStaff).is_err());
        assert!(at_station.check_for(Role::Deputy).is_err());
    }

    #[test]
    fn only_a_citizen_deletes_their_own_account() {
        for role in Role::ALL {
            let actor = Actor { role, ..staff(Uuid::nil()) };
            assert_eq!(may_delete_own_account(&actor).is_ok(), role == Role::Citizen, "{role:?}");
        }
    }
}
