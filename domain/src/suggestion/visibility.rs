//! Who sees which suggestions. Drafts belong to their deputies until submitted; a unit sees only what is
//! assigned to it; staff see their congress's; citizens see none.

use super::aggregate::Suggestion;
use super::kinds::CoSignStatus;
use crate::account::{Actor, Role};
use uuid::Uuid;

/// The set of suggestions a person may list, in a form storage can turn into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every submitted suggestion (admins).
    AllSubmitted,
    /// Submitted suggestions of one congress (its staff).
    CongressSubmitted(Uuid),
    /// Suggestions currently assigned to one unit (lead or co).
    Unit(Uuid),
    /// Suggestions the deputy leads or is invited to co-sign (not declined), and any with a public answer.
    Deputy(Uuid),
    Nothing,
}

impl Scope {
    pub fn of(actor: &Actor) -> Self {
        match actor.role {
            Role::Admin => Scope::AllSubmitted,
            Role::CongressStaff => actor.congress_id.map_or(Scope::Nothing, Scope::CongressSubmitted),
            Role::UnitStaff => actor.unit_id.map_or(Scope::Nothing, Scope::Unit),
            Role::Deputy => actor.deputy_id.map_or(Scope::Nothing, Scope::Deputy),
            Role::Citizen | Role::StationStaff => Scope::Nothing,
        }
    }
}

/// Whether any answer of the suggestion may be published.
pub fn has_public_answer(s: &Suggestion) -> bool {
    s.assignment
        .as_ref()
        .is_some_and(|a| a.units.iter().any(|p| p.answer.as_ref().is_some_and(|ans| ans.public)))
}

/// Whether `actor` may see `s`.
pub fn may_view(actor: &Actor, s: &Suggestion) -> bool {
    let submitted = s.serial.is_some();
    match Scope::of(actor) {
        Scope::AllSubmitted => submitted,
        Scope::CongressSubmitted(c) => submitted && c == s.congress_id,
        Scope::Unit(u) => s.assignment.as_ref().is_some_and(|a| a.part(u).is_some()),
        Scope::Deputy(d) => {
            d == s.lead_deputy_id
                || s.co_signers.iter().any(|c| c.deputy_id == d && c.status != CoSignStatus::Declined)
                || has_public_answer(s)
        }
        Scope::Nothing => false,
    }
}
