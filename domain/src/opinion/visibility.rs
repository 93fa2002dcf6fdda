//! Who sees which opinions, and how much of them. The contact phone number goes only to the people who
//! must call back: the responsible person, workers of the opinion's station and congress staff. Everyone
//! else who may see the opinion gets it masked (138****5678).

use super::aggregate::Opinion;
use super::decide::{Caller, Party};
use crate::account::{Actor, Role};
use uuid::Uuid;

/// The set of opinions a person may list, in a form storage can turn into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every opinion (admins).
    All,
    /// Opinions of one congress (its staff).
    Congress(Uuid),
    /// Opinions of one liaison station (its workers).
    Station(Uuid),
    /// A deputy's: addressed to them, taken by them, or addressed to their station (not to another deputy).
    Deputy {
        deputy_id: Uuid,
        account_id: Uuid,
        congress_id: Option<Uuid>,
        station_id: Option<Uuid>,
    },
    /// Opinions forwarded to one unit.
    Unit(Uuid),
    /// A citizen's own (submitted while logged in).
    Submitter(Uuid),
    Nothing,
}

impl Scope {
    /// `deputy_station_id` is the liaison station of a deputy's profile.
    pub fn of(actor: &Actor, deputy_station_id: Option<Uuid>) -> Self {
        match actor.role {
            Role::Admin => Scope::All,
            Role::CongressStaff => actor.congress_id.map_or(Scope::Nothing, Scope::Congress),
            Role::StationStaff => actor.station_id.map_or(Scope::Nothing, Scope::Station),
            Role::Deputy => actor.deputy_id.map_or(Scope::Nothing, |deputy_id| Scope::Deputy {
                deputy_id,
                account_id: actor.user_id,
                congress_id: actor.congress_id,
                station_id: deputy_station_id,
            }),
            Role::UnitStaff => actor.unit_id.map_or(Scope::Nothing, Scope::Unit),
            Role::Citizen => Scope::Submitter(actor.user_id),
        }
    }
}

/// How much of an opinion a party sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    /// The opinion at all.
    pub opinion: bool,
    /// The contact phone number in full (else masked).
    pub phone: bool,
    /// The contact name.
    pub contact_name: bool,
    /// The handling notes: how it was resolved, the forwarding note, the unit's reply.
    pub handling: bool,
    /// The tracking code (the citizen's key).
    pub tracking_code: bool,
}

impl Sight {
    pub fn of(party: Party) -> Self {
        let all =
            Sight { opinion: true, phone: true, contact_name: true, handling: true, tracking_code: true };
        let none = Sight {
            opinion: false,
            phone: false,
            contact_name: false,
            handling: false,
            tracking_code: false,
        };
        match party {
            Party::Responsible { .. } | Party::StationStaff | Party::CongressStaff => all,
            Party::AddressedDeputy | Party::StationDeputy | Party::Unit => {
                Sight { opinion: true, handling: true, ..none }
            }
            // The citizen sees their own words, the masked phone and the answer, not the internal notes.
            Party::Citizen => Sight { opinion: true, contact_name: true, tracking_code: true, ..none },
            Party::Outsider => none,
        }
    }

    /// Whether a step of the opinion's timeline is shown: every step to those handling it, the public ones
    /// to the rest who see the opinion (the citizen), none to those who do not see it.
    pub fn shows_step(self, public: bool) -> bool {
        self.opinion && (self.handling || public)
    }
}

/// Whether the caller may see the opinion.
pub fn may_view(caller: &Caller<'_>, o: &Opinion) -> bool {
    Sight::of(Party::of(caller, o)).opinion
}

/// Whether the caller may see the contact phone in full: the responsible person, workers of the opinion's
/// station, and congress staff of its congress (or an admin). Never the holder of the tracking code as
/// such, nor units or other deputies.
pub fn may_call_back(caller: &Caller<'_>, o: &Opinion) -> bool {
    !caller.holds_tracking_code && Sight::of(Party::of(caller, o)).phone
}
