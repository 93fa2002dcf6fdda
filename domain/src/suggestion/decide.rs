//! Who may do what to a suggestion, in which state: the permission table of the lifecycle, as code.
//!
//! Checks run in a fixed order, so every refusal says the most basic reason: first the person
//! (FORBIDDEN), then the state (CONFLICT), then the particulars (CONFLICT or BAD_USER_INPUT).

use super::aggregate::{Answer, Contact, ImplementationNote, Rating, Suggestion};
use super::command::{Action, Command, UnitChoice};
use super::event::Event;
use super::kinds::{AnswerClass, CoSignStatus, HandlingMode, HandlingRole, SuggestionState};
use super::policy::SuggestionPolicy;
use crate::DomainError;
use crate::account::{Actor, Role};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use SuggestionState as S;

/// A unit with its role in an assignment, as events record it.
type AssignedUnit = (Uuid, HandlingRole);

/// How the actor stands to one suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    LeadDeputy,
    CoSigner(CoSignStatus),
    OtherDeputy,
    /// Staff of a unit the suggestion is assigned to.
    Unit {
        unit_id: Uuid,
        role: HandlingRole,
    },
    OtherUnit,
    /// Congress staff of the suggestion's congress, or an admin.
    Staff,
    OtherStaff,
    Citizen,
}

impl Party {
    pub fn of(actor: &Actor, s: &Suggestion) -> Self {
        match actor.role {
            _ if actor.is_staff_of(s.congress_id) => Party::Staff,
            Role::CongressStaff | Role::Admin => Party::OtherStaff,
            Role::Deputy => match actor.deputy_id {
                Some(d) if d == s.lead_deputy_id => Party::LeadDeputy,
                Some(d) => s
                    .co_signers
                    .iter()
                    .find(|c| c.deputy_id == d)
                    .map_or(Party::OtherDeputy, |c| Party::CoSigner(c.status)),
                None => Party::OtherDeputy,
            },
            Role::UnitStaff => actor
                .unit_id
                .and_then(|u| s.assignment.as_ref().and_then(|a| a.part(u)))
                .map_or(Party::OtherUnit, |p| Party::Unit { unit_id: p.unit_id, role: p.role }),
            // Station staff take citizens' opinions, not part in suggestions.
            Role::Citizen | Role::StationStaff => Party::Citizen,
        }
    }
}

/// The "who" and "when" columns of the lifecycle table.
pub fn allowed(action: Action, party: Party) -> bool {
    use Action as A;
    match action {
        A::EditDraft | A::InviteCoSigner | A::Submit | A::Withdraw | A::RateResult => {
            party == Party::LeadDeputy
        }
        A::AnswerInvitation => matches!(party, Party::CoSigner(_)),
        A::ReturnForRevision
        | A::Assign
        | A::ApproveReassignment
        | A::RejectReassignment
        | A::ResolveExtension
        | A::Supervise
        | A::Merge => party == Party::Staff,
        A::RequestReassignment => matches!(party, Party::Unit { .. }),
        A::RequestExtension | A::Accept | A::RecordContact | A::Answer | A::ReportImplementation => {
            matches!(party, Party::Unit { role: HandlingRole::Lead, .. })
        }
        A::GiveCoOpinion => matches!(party, Party::Unit { role: HandlingRole::Co, .. }),
        A::Rate => matches!(party, Party::LeadDeputy | Party::CoSigner(CoSignStatus::Confirmed)),
    }
}

/// The states an action may start from.
pub fn states(action: Action, party: Party) -> &'static [SuggestionState] {
    use Action as A;
    match action {
        A::EditDraft | A::InviteCoSigner | A::AnswerInvitation | A::Submit => &[S::Draft],
        A::ReturnForRevision | A::Assign | A::Merge => &[S::Proposed],
        A::Withdraw => &[S::Draft, S::Proposed],
        A::RequestReassignment | A::ApproveReassignment | A::RejectReassignment => &[S::Assigned],
        A::RequestExtension | A::ResolveExtension => &[S::Assigned, S::Handled],
        A::Accept => &[S::Assigned, S::Handled],
        A::GiveCoOpinion | A::RecordContact | A::Answer => &[S::Handled],
        A::Rate if party == Party::LeadDeputy => &[S::Answered],
        A::Rate => &[S::Answered, S::Rated],
        A::ReportImplementation | A::RateResult => &[S::Answered, S::Rated],
        A::Supervise => &[S::Proposed, S::Assigned, S::Handled, S::Answered, S::Rated],
    }
}

impl Suggestion {
    /// The primary's side of a merge: it takes `member_id` in, if it is still waiting for assignment.
    pub fn absorb(&self, member_id: Uuid) -> Result<Vec<Event>, DomainError> {
        if self.state != S::Proposed || self.merged_into.is_some() {
            return Err(conflict("the primary must be a proposed suggestion that is not merged itself"));
        }
        Ok(vec![Event::Absorbed { member_id }])
    }
}

fn not_yours(action: Action) -> DomainError {
    DomainError::forbidden(format!("{action:?} is not yours to do on this suggestion"))
}

fn conflict(message: impl Into<String>) -> DomainError {
    DomainError::conflict(message)
}

impl Suggestion {
    /// Decides a command: the events it causes, or why it is refused. Pure: `now` and `policy` come in.
    pub fn decide(
        &self,
        actor: &Actor,
        command: &Command,
        now: DateTime<Utc>,
        policy: &SuggestionPolicy,
    ) -> Result<Vec<Event>, DomainError> {
        let action = command.action();
        let party = Party::of(actor, self);
        if !allowed(action, party) {
            return Err(not_yours(action));
        }
        // A merged suggestion is assigned with its primary, never on its own.
        if self.merged_into.is_some() && matches!(action, Action::Assign | Action::ApproveReassignment) {
            return Err(conflict("this suggestion is merged: assign the suggestion it was merged into"));
        }
        // A primary keeps its merged suggestions: it cannot leave the queue while they wait on it.
        if !self.merged.is_empty()
            && matches!(action, Action::Withdraw | Action::ReturnForRevision | Action::Merge)
            && states(action, party).contains(&self.state)
        {
            return Err(conflict("other suggestions are merged into this one"));
        }
        self.decide_as_merged(actor, command, now, policy)
    }

    /// Decides a command that a merged suggestion follows from its primary (and, inside, every command).
    pub fn decide_as_merged(
        &self,
        actor: &Actor,
        command: &Command,
        now: DateTime<Utc>,
        policy: &SuggestionPolicy,
    ) -> Result<Vec<Event>, DomainError> {
        let action = command.action();
        let party = Party::of(actor, self);
        if !allowed(action, party) {
            return Err(not_yours(action));
        }
        if !states(action, party).contains(&self.state) {
            return Err(conflict(format!("cannot {action:?} a suggestion in state {}", self.state.as_str())));
        }
        let unit = match party {
            Party::Unit { unit_id, .. } => Some(unit_id),
            _ => None,
        };
        match command {
            Command::EditDraft(text) => Ok(vec![Event::DraftEdited {
                title: text.title().as_str().to_owned(),
                content: text.content().as_str().to_owned(),
                category: text.category().as_str().to_owned(),
            }]),
            Command::InviteCoSigner { deputy_id, deputy_congress_id } => {
                if *deputy_id == self.lead_deputy_id {
                    return Err(DomainError::invalid(
                        "deputyId",
                        "the lead deputy cannot co-sign their own suggestion",
                    ));
                }
                if *deputy_congress_id != self.congress_id {
                    return Err(DomainError::invalid(
                        "deputyId",
                        "co-signers are deputies of the same congress",
                    ));
                }
                match self.co_signers.iter().find(|c| c.deputy_id == *deputy_id) {
                    Some(c) if c.status != CoSignStatus::Declined => {
                        Err(conflict("this deputy is already invited"))
                    }
                    _ => Ok(vec![Event::CoSignerInvited { deputy_id: *deputy_id }]),
                }
            }
            Command::AnswerInvitation { accept } => {
                let Party::CoSigner(status) = party else {
                    return Err(DomainError::forbidden("not invited"));
                };
                if status != CoSignStatus::Invited {
                    return Err(conflict("the invitation is already answered"));
                }
                let deputy_id = actor.deputy_id.ok_or_else(|| DomainError::forbidden("not a deputy"))?;
                Ok(vec![Event::CoSignAnswered { deputy_id, accepted: *accept }])
            }
            // Numbered afterwards by storage, which alone knows the next number (`needs_serial`).
            Command::Submit => Ok(vec![Event::Submitted { serial: None }]),
            Command::ReturnForRevision { reason } => {
                Ok(vec![Event::ReturnedForRevision { reason: reason.as_str().to_owned() }])
            }
            Command::Withdraw => Ok(vec![Event::Withdrawn]),
            Command::Assign { mode, units, due_at } => {
                let (units, due_at) = self.check_assignment(*mode, units, *due_at, now, policy)?;
                Ok(vec![Event::Assigned { mode: *mode, units, assigned_at: now, due_at }])
            }
            Command::RequestReassignment { reason } => {
                let a = self.assignment_or_conflict()?;
                if a.reassignment.is_some() {
                    return Err(conflict("a reassignment request is already waiting for staff"));
                }
                if now - a.assigned_at > Duration::days(policy.reassignment_window_days) {
                    return Err(conflict(format!(
                        "reassignment can be asked within {} days of assignment",
                        policy.reassignment_window_days
                    )));
                }
                let unit_id = unit.ok_or_else(|| DomainError::forbidden("not an assigned unit"))?;
                Ok(vec![Event::ReassignmentRequested {
                    unit_id,
                    reason: reason.as_str().to_owned(),
                    at: now,
                }])
            }
            Command::ApproveReassignment { mode, units, due_at } => {
                if self.assignment_or_conflict()?.reassignment.is_none() {
                    return Err(conflict("no reassignment request is waiting"));
                }
                let (units, due_at) = self.check_assignment(*mode, units, *due_at, now, policy)?;
                Ok(vec![Event::Assigned { mode: *mode, units, assigned_at: now, due_at }])
            }
            Command::RejectReassignment { reason } => {
                if self.assignment_or_conflict()?.reassignment.is_none() {
                    return Err(conflict("no reassignment request is waiting"));
                }
                Ok(vec![Event::ReassignmentRejected { reason: reason.as_str().to_owned() }])
            }
            Command::RequestExtension { reason, due_at } => {
                let a = self.assignment_or_conflict()?;
                if a.extension.is_some() {
                    return Err(conflict("an extension request is already waiting for staff"));
                }
                if *due_at <= a.due_at {
                    return Err(DomainError::invalid("dueAt", "must be later than the current deadline"));
                }
                let cap = cap(a.assigned_at, policy);
                if *due_at > cap {
                    return Err(DomainError::invalid(
                        "dueAt",
                        format!(
                            "extensions end at most {} months after assignment",
                            policy.max_deadline_months
                        ),
                    ));
                }
                let unit_id = unit.ok_or_else(|| DomainError::forbidden("not an assigned unit"))?;
                Ok(vec![Event::ExtensionRequested {
                    unit_id,
                    reason: reason.as_str().to_owned(),
                    due_at: *due_at,
                    at: now,
                }])
            }
            Command::ResolveExtension { approve, reason } => {
                let a = self.assignment_or_conflict()?;
                let Some(pending) = &a.extension else {
                    return Err(conflict("no extension request is waiting"));
                };
                if !approve && reason.is_none() {
                    return Err(DomainError::invalid("reason", "say why the extension is refused"));
                }
                let approved_due_at = approve.then_some(pending.due_at);
                Ok(vec![Event::ExtensionResolved {
                    approved_due_at,
                    reason: reason.as_ref().map(|r| r.as_str().to_owned()),
                }])
            }
            Command::Accept => {
                let part = self.own_part(unit)?;
                if part.accepted {
                    return Err(conflict("already accepted"));
                }
                Ok(vec![Event::Accepted { unit_id: part.unit_id }])
            }
            Command::GiveCoOpinion { text } => {
                let a = self.assignment_or_conflict()?;
                if a.answering().any(|p| p.answer.is_some()) {
                    return Err(conflict("the lead unit has answered; co-unit opinions are closed"));
                }
                let unit_id = unit.ok_or_else(|| DomainError::forbidden("not an assigned unit"))?;
                let due = a.assigned_at + SuggestionPolicy::months(policy.co_opinion_due_months);
                Ok(vec![Event::CoOpinionGiven {
                    unit_id,
                    text: text.as_str().to_owned(),
                    at: now,
                    late: now > due,
                }])
            }
            Command::RecordContact { method, contacted_at, summary } => {
                let part = self.own_part(unit)?;
                let a = self.assignment_or_conflict()?;
                if *contacted_at > now + Duration::minutes(super::aggregate::CONTACT_LEEWAY_MINUTES)
                    || *contacted_at < a.assigned_at
                {
                    return Err(DomainError::invalid("contactedAt", "must be between assignment and now"));
                }
                Ok(vec![Event::ContactRecorded {
                    contact: Contact {
                        unit_id: part.unit_id,
                        method: *method,
                        contacted_at: *contacted_at,
                        summary: summary.as_str().to_owned(),
                    },
                }])
            }
            Command::Answer(input) => {
                let part = self.own_part(unit)?;
                if !part.accepted {
                    return Err(conflict("accept the suggestion before answering"));
                }
                if part.answer.is_some() {
                    return Err(conflict("already answered"));
                }
                let a = self.assignment_or_conflict()?;
                if policy.contact_required && !a.contacts.iter().any(|c| c.unit_id == part.unit_id) {
                    return Err(conflict("record a contact with the deputy before answering"));
                }
                if let Some(date) = input.promised_by()
                    && date < now.date_naive()
                {
                    return Err(DomainError::invalid("promisedBy", "must not be in the past"));
                }
                let answer = Answer {
                    content: input.content().as_str().to_owned(),
                    class: input.class(),
                    promised_by: input.promised_by(),
                    reasons: input.reasons().map(|r| r.as_str().to_owned()),
                    signed_by: input.signed_by().as_str().to_owned(),
                    public: input.public(),
                    at: now,
                };
                Ok(vec![Event::Answered { unit_id: part.unit_id, answer }])
            }
            Command::Rate(input) => self.decide_rating(actor, party, input, now, policy),
            Command::ReportImplementation { note, done } => {
                let part = self.own_part(unit)?;
                if part.answer.as_ref().map(|a| a.class) != Some(AnswerClass::InProgress) {
                    return Err(conflict("implementation is reported on IN_PROGRESS (B) answers"));
                }
                if part.implementation_done() {
                    return Err(conflict("the implementation is already reported done"));
                }
                Ok(vec![Event::ImplementationReported {
                    unit_id: part.unit_id,
                    note: ImplementationNote { note: note.as_str().to_owned(), done: *done, at: now },
                }])
            }
            Command::RateResult { unit_id, satisfaction } => {
                let part = self.answering_part(*unit_id)?;
                if !part.implementation_done() {
                    return Err(conflict("the result can be rated once the unit reports it done"));
                }
                if part.result_rating.is_some() {
                    return Err(conflict("the result is already rated"));
                }
                Ok(vec![Event::ResultRated { unit_id: part.unit_id, satisfaction: *satisfaction }])
            }
            Command::MergeInto { primary } => {
                if primary.id == self.id {
                    return Err(DomainError::invalid(
                        "primaryId",
                        "a suggestion cannot be merged into itself",
                    ));
                }
                if primary.congress_id != self.congress_id {
                    return Err(DomainError::invalid(
                        "primaryId",
                        "merged suggestions belong to one congress",
                    ));
                }
                if self.merged_into.is_some() {
                    return Err(conflict("this suggestion is already merged"));
                }
                if primary.state != S::Proposed || primary.merged_into.is_some() {
                    return Err(conflict(
                        "the primary must be a proposed suggestion that is not merged itself",
                    ));
                }
                Ok(vec![Event::MergedInto { primary_id: primary.id }])
            }
            Command::Supervise { supervisor, note } => Ok(vec![Event::Supervised {
                supervisor: supervisor.as_str().to_owned(),
                note: note.as_ref().map(|n| n.as_str().to_owned()),
                by: actor.user_id,
                at: now,
            }]),
        }
    }

    fn decide_rating(
        &self,
        actor: &Actor,
        party: Party,
        input: &super::command::RatingInput,
        now: DateTime<Utc>,
        policy: &SuggestionPolicy,
    ) -> Result<Vec<Event>, DomainError> {
        let part = self.answering_part(input.unit_id)?;
        let Some(answer) = &part.answer else { return Err(conflict("this unit has not answered yet")) };
        let deputy_id = actor.deputy_id.ok_or_else(|| DomainError::forbidden("not a deputy"))?;
        let rating = Rating {
            deputy_id,
            attitude: input.attitude,
            result: input.result,
            comment: input.comment.as_ref().map(|c| c.as_str().to_owned()),
            at: now.max(answer.at),
        };
        if party != Party::LeadDeputy {
            return Ok(vec![Event::Rated { unit_id: part.unit_id, rating, official: false }]);
        }
        if part.rating.is_some() {
            return Err(conflict("this answer is already rated"));
        }
        let dissatisfied = rating.is_dissatisfied();
        let mut events = vec![Event::Rated { unit_id: part.unit_id, rating, official: true }];
        if dissatisfied {
            if part.rehandles < policy.max_rehandles {
                events.push(Event::Rehandling {
                    unit_id: part.unit_id,
                    due_at: now + Duration::days(policy.rehandle_days),
                });
            } else {
                events.push(Event::Flagged { unit_id: part.unit_id });
            }
        }
        Ok(events)
    }

    fn assignment_or_conflict(&self) -> Result<&super::aggregate::Assignment, DomainError> {
        self.assignment.as_ref().ok_or_else(|| conflict("the suggestion is not assigned"))
    }

    fn own_part(&self, unit: Option<Uuid>) -> Result<&super::aggregate::UnitPart, DomainError> {
        let unit = unit.ok_or_else(|| DomainError::forbidden("not an assigned unit"))?;
        self.assignment_or_conflict()?
            .part(unit)
            .ok_or_else(|| DomainError::forbidden("not an assigned unit"))
    }

    /// The answering part a deputy means: the one named, or the only one.
    fn answering_part(&self, unit_id: Option<Uuid>) -> Result<&super::aggregate::UnitPart, DomainError> {
        let a = self.assignment_or_conflict()?;
        match unit_id {
            Some(id) => a
                .part(id)
                .filter(|p| p.answers())
                .ok_or_else(|| DomainError::invalid("unitId", "is not an answering unit of this suggestion")),
            None => {
                let mut answering = a.answering();
                match (answering.next(), answering.next()) {
                    (Some(only), None) => Ok(only),
                    _ => Err(DomainError::invalid("unitId", "name the unit whose answer is rated")),
                }
            }
        }
    }

    /// Checks an assignment: distinct units of this congress, the right roles for the mode, and a deadline
    /// in the future (by default the policy's).
    fn check_assignment(
        &self,
        mode: HandlingMode,
        units: &[UnitChoice],
        due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        policy: &SuggestionPolicy,
    ) -> Result<(Vec<AssignedUnit>, DateTime<Utc>), DomainError> {
        let mut seen = Vec::with_capacity(units.len());
        for u in units {
            if u.congress_id != self.congress_id {
                return Err(DomainError::invalid("units", "units must belong to the suggestion's congress"));
            }
            if seen.contains(&u.unit_id) {
                return Err(DomainError::invalid("units", "each unit appears once"));
            }
            seen.push(u.unit_id);
        }
        let leads = units.iter().filter(|u| u.role == HandlingRole::Lead).count();
        match mode {
            HandlingMode::LeadWithCo if leads != 1 => {
                return Err(DomainError::invalid("units", "LEAD_WITH_CO needs exactly one lead unit"));
            }
            HandlingMode::Parallel if units.len() < 2 || leads != units.len() => {
                return Err(DomainError::invalid(
                    "units",
                    "PARALLEL needs two or more units, each answering",
                ));
            }
            _ => {}
        }
        let default_due = now + SuggestionPolicy::months(policy.default_deadline_months);
        let due_at = due_at.unwrap_or(default_due);
        if due_at <= now {
            return Err(DomainError::invalid("dueAt", "must be in the future"));
        }
        if due_at > cap(now, policy) {
            return Err(DomainError::invalid(
                "dueAt",
                format!("at most {} months ahead", policy.max_deadline_months),
            ));
        }
        Ok((units.iter().map(|u| (u.unit_id, u.role)).collect(), due_at))
    }
}

/// The latest any deadline may be: `max_deadline_months` after assignment.
fn cap(assigned_at: DateTime<Utc>, policy: &SuggestionPolicy) -> DateTime<Utc> {
    assigned_at + SuggestionPolicy::months(policy.max_deadline_months)
}
