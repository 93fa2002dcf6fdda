//! Contact work (联系代表, `DeputyContact`): each committee (专工委) and each standing-committee member
//! (常委会组成人员) of a congress is linked to some of its deputies (对口联系), and records each contact with
//! one of them: the day, the method, what was said, and the items the deputy passed on (suggestions,
//! citizens' opinions, the deputy's own reports), linked by id.
//!
//! A standing-committee member is a deputy of the congress (members are elected from among its deputies),
//! so a member is named by their deputy id and needs no account of their own: a member with a deputy login
//! records their own contacts. A member is one for contact work as soon as staff link a deputy to them.
//! Committees have no accounts of their own, so the congress's staff record a committee's contacts.
//!
//! A contact is a fact recorded once; it has no states. The coverage statistic (全覆盖) asks, per committee
//! and per member, whether every linked deputy was contacted at least once in a year.

#[cfg(test)]
mod tests;

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::text::bounded;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The longest record of what was said.
pub const MAX_CONTENT_CHARS: usize = 2000;
/// The most items one contact passes on.
pub const MAX_PASSED_ON: usize = 20;

vocabulary!(
    /// How the contact was made.
    ContactMethod {
        /// 走访: a visit to the deputy.
        Visit = "VISIT",
        /// 电话: a phone call.
        Phone = "PHONE",
        /// 座谈: a meeting (座谈会).
        Meeting = "MEETING",
        /// 网络: online (messages, video).
        Online = "ONLINE",
    }
);

vocabulary!(
    /// The kind of an item a deputy passed on during a contact.
    PassedOnKind {
        /// A suggestion (建议).
        Suggestion = "SUGGESTION",
        /// A citizen's opinion (社情民意).
        Opinion = "OPINION",
        /// The deputy's report of constituents' views (代表反映社情民意).
        DeputyReport = "DEPUTY_REPORT",
    }
);

/// Who made the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contactor {
    /// A committee of the congress (专工委), by its id.
    Committee(Uuid),
    /// A standing-committee member (常委会组成人员), by their deputy id.
    Member(Uuid),
}

/// An item passed on, by kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassedOn {
    pub kind: PassedOnKind,
    pub id: Uuid,
}

/// What a recorder fills in, checked: the day is not in the future (China Standard Time), the content is
/// 1–2,000 characters, at most 20 items passed on, none twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub contacted_on: NaiveDate,
    pub method: ContactMethod,
    pub content: String,
    pub passed_on: Vec<PassedOn>,
}

impl ContactInput {
    pub fn parse(
        contacted_on: NaiveDate,
        method: ContactMethod,
        content: &str,
        passed_on: Vec<PassedOn>,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        if contacted_on > today {
            return Err(DomainError::invalid("contactedOn", "must not be in the future"));
        }
        let content = bounded("content", content, 1, MAX_CONTENT_CHARS)?;
        if passed_on.len() > MAX_PASSED_ON {
            return Err(DomainError::invalid("passedOn", format!("at most {MAX_PASSED_ON} items")));
        }
        let distinct: BTreeSet<_> = passed_on.iter().collect();
        if distinct.len() != passed_on.len() {
            return Err(DomainError::invalid("passedOn", "names an item twice"));
        }
        Ok(Self { contacted_on, method, content, passed_on })
    }
}

/// A recorded contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyContact {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub contactor: Contactor,
    /// The deputy contacted.
    pub deputy_id: Uuid,
    pub contacted_on: NaiveDate,
    pub method: ContactMethod,
    pub content: String,
    pub passed_on: Vec<PassedOn>,
    /// The account that recorded it.
    pub recorded_by: Uuid,
}

/// Who may record a contact of `contactor` (of `congress_id`): the congress's staff (and admins) for a
/// committee or a member; a member for themselves. Anyone else is FORBIDDEN.
pub fn may_record(actor: &Actor, congress_id: Uuid, contactor: Contactor) -> Result<(), DomainError> {
    let member_self = matches!(contactor, Contactor::Member(m)
        if actor.role == Role::Deputy && actor.deputy_id == Some(m) && actor.congress_id == Some(congress_id));
    if actor.is_staff_of(congress_id) || member_self {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "contacts are recorded by the congress's staff, or by a standing-committee member for themselves",
        ))
    }
}

/// The deputy contacted must be linked to the contactor (对口联系): BAD_USER_INPUT otherwise.
pub fn check_linked(linked: bool) -> Result<(), DomainError> {
    if linked {
        Ok(())
    } else {
        Err(DomainError::invalid("deputyId", "the deputy is not linked to this committee or member"))
    }
}

/// Who sees a contact: the congress's staff (and admins), the deputy contacted, and the member who made it.
pub fn may_view(actor: &Actor, c: &DeputyContact) -> bool {
    if actor.is_staff_of(c.congress_id) {
        return true;
    }
    let Some(me) = actor.deputy_id.filter(|_| actor.role == Role::Deputy) else { return false };
    me == c.deputy_id || c.contactor == Contactor::Member(me)
}

/// One contactor's coverage in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Deputies linked to them now.
    pub linked: u64,
    /// Of those, the ones contacted at least once in the year.
    pub contacted: u64,
    /// Their contacts in the year (with any deputy, linked now or not).
    pub contacts: u64,
}

impl Coverage {
    /// 全覆盖: every linked deputy contacted at least once. Nobody linked covers nothing.
    pub fn covered(&self) -> bool {
        self.linked > 0 && self.contacted == self.linked
    }
}

/// The coverage of each contactor with a link: `links` are (contactor, deputy) pairs as they stand now,
/// `contacts` the (contactor, deputy) pairs of the year's contacts, one per contact.
pub fn coverage(
    links: &[(Contactor, Uuid)],
    contacts: &[(Contactor, Uuid)],
) -> BTreeMap<Contactor, Coverage> {
    let mut linked: BTreeMap<Contactor, BTreeSet<Uuid>> = BTreeMap::new();
    for (who, deputy) in links {
        linked.entry(*who).or_default().insert(*deputy);
    }
    let mut reached: BTreeMap<Contactor, BTreeSet<Uuid>> = BTreeMap::new();
    let mut out: BTreeMap<Contactor, Coverage> = BTreeMap::new();
    for (who, deputies) in &linked {
        out.insert(*who, Coverage { linked: deputies.len() as u64, ..Coverage::default() });
    }
    for (who, deputy) in contacts {
        let row = out.entry(*who).or_default();
        row.contacts += 1;
        if linked.get(who).is_some_and(|d| d.contains(deputy))
            && reached.entry(*who).or_default().insert(*deputy)
        {
            row.contacted += 1;
        }
    }
    out
}
