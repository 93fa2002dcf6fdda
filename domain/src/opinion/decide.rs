//! Who may do what to an opinion, in which state: the permission table of the closed loop, as code.
//!
//! Checks run in a fixed order, so every refusal says the most basic reason: first the person
//! (FORBIDDEN), then the state (CONFLICT), then the particulars (CONFLICT or BAD_USER_INPUT).

use super::aggregate::Opinion;
use super::command::{Action, Command};
use super::event::Event;
use super::input::{Addressee, OpinionInput};
use super::kinds::OpinionState;
use super::policy::OpinionPolicy;
use super::tracking::TrackingCode;
use crate::DomainError;
use crate::account::{Actor, Role};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use OpinionState as S;

/// Who is asking, with the facts about them that the rules need.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caller<'a> {
    /// The logged-in account, if any.
    pub actor: Option<&'a Actor>,
    /// The liaison station of a deputy's profile (deputies of a station may take what is addressed to it).
    pub deputy_station_id: Option<Uuid>,
    /// Presented the opinion's tracking code: the citizen's key.
    pub holds_tracking_code: bool,
}

impl<'a> Caller<'a> {
    /// A logged-in account; `deputy_station_id` is the station of a deputy's profile.
    pub fn of(actor: &'a Actor, deputy_station_id: Option<Uuid>) -> Self {
        Self { actor: Some(actor), deputy_station_id, holds_tracking_code: false }
    }

    /// Whoever presents the tracking code, logged in or not.
    pub fn tracking_code_holder() -> Self {
        Self { actor: None, deputy_station_id: None, holds_tracking_code: true }
    }
}

/// How the caller stands to one opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// Took it (首问负责人); `deputy` when the responsible account is a deputy's.
    Responsible { deputy: bool },
    /// The deputy it was addressed to through their QR code.
    AddressedDeputy,
    /// A deputy of the station it was addressed to (through the station, not to a particular deputy).
    StationDeputy,
    /// A worker of its station.
    StationStaff,
    /// Congress staff of its congress, or an admin.
    CongressStaff,
    /// Staff of the unit it is forwarded to.
    Unit,
    /// The citizen: the submitter's account, or whoever holds the tracking code.
    Citizen,
    /// Anyone else.
    Outsider,
}

impl Party {
    pub fn of(caller: &Caller<'_>, o: &Opinion) -> Self {
        if caller.holds_tracking_code {
            return Party::Citizen;
        }
        let Some(a) = caller.actor else { return Party::Outsider };
        if let Some(r) = &o.responsible
            && r.account_id == a.user_id
        {
            return Party::Responsible { deputy: r.deputy_id.is_some() };
        }
        if a.is_staff_of(o.congress_id) {
            return Party::CongressStaff;
        }
        let same = |mine: Option<Uuid>, theirs: Option<Uuid>| mine.is_some() && mine == theirs;
        match a.role {
            Role::Deputy if same(a.deputy_id, o.deputy_id) => Party::AddressedDeputy,
            Role::Deputy
                if o.deputy_id.is_none()
                    && a.congress_id == Some(o.congress_id)
                    && same(caller.deputy_station_id, o.station_id) =>
            {
                Party::StationDeputy
            }
            Role::StationStaff if same(a.station_id, o.station_id) => Party::StationStaff,
            Role::UnitStaff if same(a.unit_id, o.forwarded_unit()) => Party::Unit,
            Role::Citizen if same(Some(a.user_id), o.submitter_account_id) => Party::Citizen,
            _ => Party::Outsider,
        }
    }
}

/// The "who" column of the table.
pub fn allowed(action: Action, party: Party) -> bool {
    use Action as A;
    match action {
        A::Accept => matches!(
            party,
            Party::Responsible { .. }
                | Party::AddressedDeputy
                | Party::StationDeputy
                | Party::StationStaff
                | Party::CongressStaff
        ),
        A::ResolveDirectly | A::Forward | A::GiveFeedback => matches!(party, Party::Responsible { .. }),
        // Only deputies write suggestions.
        A::Convert => party == Party::Responsible { deputy: true },
        A::Reply => party == Party::Unit,
        A::Rate => party == Party::Citizen,
    }
}

/// The states an action may start from.
pub fn states(action: Action) -> &'static [OpinionState] {
    use Action as A;
    match action {
        A::Accept => &[S::Received],
        A::ResolveDirectly | A::Forward | A::Convert => &[S::Accepted],
        A::Reply => &[S::Forwarded],
        A::GiveFeedback => &[S::ResolvedDirectly, S::Forwarded, S::Converted],
        A::Rate => &[S::FeedbackGiven],
    }
}

fn conflict(message: impl Into<String>) -> DomainError {
    DomainError::conflict(message)
}

impl Opinion {
    /// A new opinion: the `Submitted` event, with the masked phone only. `id`, `tracking_code` and `now` come
    /// from the caller (storage makes the randomness).
    pub fn submit(
        input: &OpinionInput,
        to: Addressee,
        submitter_account_id: Option<Uuid>,
        id: Uuid,
        tracking_code: TrackingCode,
        now: DateTime<Utc>,
    ) -> Event {
        Event::Submitted {
            id,
            tracking_code,
            congress_id: to.congress_id(),
            station_id: to.station_id(),
            deputy_id: to.deputy_id(),
            source: to.source(),
            category: input.category,
            content: input.content.clone(),
            location: input.location.clone(),
            contact_name: input.contact_name.clone(),
            contact_phone_masked: input.contact_phone.as_ref().map(|p| p.masked()),
            submitter_account_id,
            at: now,
            position: input.position,
            division_code: input.division_code.clone(),
        }
    }

    /// Decides a command: the events it causes, or why it is refused. Pure: `now` comes in.
    pub fn decide(
        &self,
        caller: &Caller<'_>,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        let action = command.action();
        let party = Party::of(caller, self);
        if !allowed(action, party) {
            return Err(DomainError::forbidden(format!("{action:?} is not yours to do on this opinion")));
        }
        if !states(action).contains(&self.state) {
            return Err(conflict(format!("cannot {action:?} an opinion in state {}", self.state.as_str())));
        }
        match command {
            Command::Accept => {
                let actor = caller.actor.ok_or_else(|| DomainError::forbidden("log in to accept"))?;
                Ok(vec![Event::Accepted { account_id: actor.user_id, deputy_id: actor.deputy_id, at: now }])
            }
            Command::ResolveDirectly { note } => {
                Ok(vec![Event::ResolvedDirectly { note: note.clone(), at: now }])
            }
            Command::Forward { unit_id, unit_congress_id, note } => {
                if *unit_congress_id != self.congress_id {
                    return Err(DomainError::invalid(
                        "unitId",
                        "must be a handling unit of the opinion's congress",
                    ));
                }
                Ok(vec![Event::Forwarded { unit_id: *unit_id, note: note.clone(), at: now }])
            }
            Command::Reply { text } => {
                let forwarding =
                    self.forwarding.as_ref().ok_or_else(|| conflict("the opinion is not forwarded"))?;
                if forwarding.reply.is_some() {
                    return Err(conflict("the unit has already replied"));
                }
                let actor = caller.actor.ok_or_else(|| DomainError::forbidden("log in to reply"))?;
                Ok(vec![Event::UnitReplied {
                    unit_id: forwarding.unit_id,
                    account_id: actor.user_id,
                    text: text.clone(),
                    at: now,
                }])
            }
            Command::Convert { suggestion_id } => {
                Ok(vec![Event::Converted { suggestion_id: *suggestion_id, at: now }])
            }
            Command::GiveFeedback { text } => {
                if self.state == S::Forwarded && !self.unit_replied() {
                    return Err(conflict("feedback on a forwarded opinion waits for the unit's reply"));
                }
                Ok(vec![Event::FeedbackGiven { text: text.clone(), at: now }])
            }
            Command::Rate(input) => Ok(vec![Event::Rated {
                satisfaction: input.satisfaction,
                comment: input.comment.clone(),
                at: now,
            }]),
        }
    }

    /// The system closes an opinion nobody rated within `close_after_feedback_days` of the feedback.
    pub fn close_if_due(
        &self,
        now: DateTime<Utc>,
        policy: &OpinionPolicy,
    ) -> Result<Vec<Event>, DomainError> {
        match (&self.state, &self.feedback) {
            (S::FeedbackGiven, Some(feedback))
                if feedback.at + Duration::days(policy.close_after_feedback_days) <= now =>
            {
                Ok(vec![Event::ClosedByTimeout { at: now }])
            }
            (S::FeedbackGiven, _) => Err(conflict("the citizen still has time to rate")),
            _ => {
                Err(conflict(format!("cannot close an opinion in state {} by timeout", self.state.as_str())))
            }
        }
    }
}
