//! Who sees which suggestions. Drafts belong to their deputies until submitted; a unit sees only what is
//! assigned to it; staff see their congress's; citizens see none. Other deputies see a suggestion with a
//! public answer, but only its public face.

use super::aggregate::Suggestion;
use super::kinds::CoSignStatus;
use crate::DomainError;
use crate::account::{Actor, Role};
use std::collections::BTreeSet;
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

/// A part of the stored suggestions that lists are read from: every list a person may ask for is made of
/// the parts their [`Scope`] reads ([`Scope::parts`]), and a suggestion is in the parts
/// [`parts_holding`] names. So a change to a suggestion can alter only the lists that read a part holding
/// it before or after the change: the API's page cache keeps a number per part, moved by such a change,
/// instead of forgetting every kept list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListPart {
    /// Every submitted suggestion (the admins' lists).
    Submitted,
    /// One congress's submitted suggestions (its staff's lists).
    Congress(Uuid),
    /// The suggestions assigned to one unit.
    Unit(Uuid),
    /// One deputy's own suggestions, with the count of them.
    Deputy(Uuid),
    /// Every suggestion with a public answer (shown to every deputy).
    Public,
}

impl Scope {
    /// The parts this scope's lists are read from; with `mine` (a deputy's own list, the `mine` filter),
    /// the deputy's own part alone.
    pub fn parts(self, mine: bool) -> Vec<ListPart> {
        match self {
            Scope::AllSubmitted => vec![ListPart::Submitted],
            Scope::CongressSubmitted(c) => vec![ListPart::Congress(c)],
            Scope::Unit(u) => vec![ListPart::Unit(u)],
            Scope::Deputy(d) if mine => vec![ListPart::Deputy(d)],
            Scope::Deputy(d) => vec![ListPart::Deputy(d), ListPart::Public],
            Scope::Nothing => Vec::new(),
        }
    }
}

/// The parts that hold `s`, as it is: a change to it reaches the parts of the suggestion before and after.
pub fn parts_holding(s: &Suggestion) -> BTreeSet<ListPart> {
    let mut parts: BTreeSet<ListPart> = own_deputies(s).into_iter().map(ListPart::Deputy).collect();
    if s.serial.is_some() {
        parts.insert(ListPart::Submitted);
        parts.insert(ListPart::Congress(s.congress_id));
    }
    if let Some(a) = &s.assignment {
        parts.extend(a.units.iter().map(|p| ListPart::Unit(p.unit_id)));
    }
    if has_public_answer(s) {
        parts.insert(ListPart::Public);
    }
    parts
}

/// Whether any answer of the suggestion may be published.
pub fn has_public_answer(s: &Suggestion) -> bool {
    s.assignment
        .as_ref()
        .is_some_and(|a| a.units.iter().any(|p| p.answer.as_ref().is_some_and(|ans| ans.public)))
}

/// How much of a suggestion a person sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Nothing: it does not exist for them.
    Hidden,
    /// Its public face only ([`public_face`]): a deputy with no part in it, shown it because one of its
    /// answers is public.
    Public,
    /// All of it: its own deputies (lead and co-signers who did not decline), its assigned units, staff of
    /// its congress and admins.
    Full,
}

/// Whether `s` is one of the deputy's own: they lead it, or are invited to co-sign it and did not decline.
fn is_own(s: &Suggestion, deputy_id: Uuid) -> bool {
    deputy_id == s.lead_deputy_id
        || s.co_signers.iter().any(|c| c.deputy_id == deputy_id && c.status != CoSignStatus::Declined)
}

/// The deputies whose own list (`mine`) holds `s`: the lead and every co-signer who has not declined.
pub fn own_deputies(s: &Suggestion) -> BTreeSet<Uuid> {
    std::iter::once(s.lead_deputy_id)
        .chain(s.co_signers.iter().filter(|c| c.status != CoSignStatus::Declined).map(|c| c.deputy_id))
        .collect()
}

/// How each deputy's count of own suggestions changes when a suggestion's [`own_deputies`] go from
/// `before` (empty for a new one) to `after`: +1 for each who gained it, −1 for each who lost it. Storage
/// keeps the counts with these changes in the step's own transaction, so a list's total is read, not
/// counted.
pub fn own_count_changes(before: &BTreeSet<Uuid>, after: &BTreeSet<Uuid>) -> Vec<(Uuid, i64)> {
    let gained = after.difference(before).map(|d| (*d, 1));
    gained.chain(before.difference(after).map(|d| (*d, -1))).collect()
}

/// How much of `s` `actor` sees.
pub fn sight(actor: &Actor, s: &Suggestion) -> Sight {
    let submitted = s.serial.is_some();
    let own = match Scope::of(actor) {
        Scope::AllSubmitted => submitted,
        Scope::CongressSubmitted(c) => submitted && c == s.congress_id,
        Scope::Unit(u) => s.assignment.as_ref().is_some_and(|a| a.part(u).is_some()),
        Scope::Deputy(d) => is_own(s, d),
        Scope::Nothing => false,
    };
    match Scope::of(actor) {
        _ if own => Sight::Full,
        Scope::Deputy(_) if has_public_answer(s) => Sight::Public,
        // A citizen reads, and may follow, what a unit answered in public.
        Scope::Nothing if actor.role == Role::Citizen && has_public_answer(s) => Sight::Public,
        _ => Sight::Hidden,
    }
}

/// A citizen follows a suggestion they can read (one with a public answer) to hear its later steps in
/// their inbox. Deputies, units and staff hear of their own already: FORBIDDEN; a suggestion without a
/// public answer does not exist for a citizen: NOT_FOUND.
pub fn may_follow(actor: &Actor, s: &Suggestion) -> Result<(), DomainError> {
    may_unfollow(actor)?;
    if !has_public_answer(s) {
        return Err(DomainError::NotFound("suggestion"));
    }
    Ok(())
}

/// Only citizens follow, so only citizens unfollow (whatever the suggestion has become since).
pub fn may_unfollow(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(DomainError::forbidden("citizens follow suggestions; the others hear of their own"))
    }
}

/// Whether `actor` may see `s` at all.
pub fn may_view(actor: &Actor, s: &Suggestion) -> bool {
    sight(actor, s) != Sight::Hidden
}

/// What a deputy with no part in `s` sees of it: the suggestion itself, its units, and only the answers
/// the units made public (with their ratings and follow-up). Non-public answers, co-units' opinions,
/// contacts with the deputy, pending requests, supervision notes, the revision reason and the staff flag
/// are for the suggestion's own deputies, its units and staff only.
pub fn public_face(s: &Suggestion) -> Suggestion {
    let mut face = s.clone();
    face.revision_reason = None;
    face.supervision = None;
    face.flagged = false;
    if let Some(a) = face.assignment.as_mut() {
        a.contacts.clear();
        a.reassignment = None;
        a.extension = None;
        for part in &mut a.units {
            part.co_opinion = None;
            part.history.retain(|(answer, _)| answer.public);
            if !part.answer.as_ref().is_some_and(|answer| answer.public) {
                part.answer = None;
                part.rating = None;
                part.co_signer_ratings.clear();
                part.implementation.clear();
                part.result_rating = None;
            }
        }
    }
    face
}
