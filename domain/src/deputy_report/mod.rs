//! Deputies' own reports of constituents' views (代表反映社情民意, `DeputyReport`): a deputy writes up what
//! constituents raised and submits it to the congress's staff, who accept it and then forward it to a
//! handling unit (which answers, and the answer goes back to the deputy), compile it into a special report
//! (专报) to the leadership, or decline it with a reason:
//!
//! SUBMITTED → ACCEPTED → FORWARDED → ANSWERED, ACCEPTED → COMPILED, SUBMITTED | ACCEPTED → DECLINED.
//!
//! As with opinions, a report changes only by events: [`DeputyReport::decide`] turns a command into events
//! or a refusal, [`DeputyReport::apply`] applies an event, and replaying the timeline rebuilds the report.
//! Checks run in a fixed order: whether the caller may see the report at all (NOT_FOUND, so its existence
//! is not told), then whether the step is theirs (FORBIDDEN), then the state (CONFLICT), then the
//! particulars.

#[cfg(test)]
mod tests;

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::notification::Audience;
use crate::opinion::OpinionCategory;
use crate::text::{bounded, optional};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest title, write-up, constituents' matter and place of a report.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_CONTENT_CHARS: usize = 5000;
pub const MAX_MATTER_CHARS: usize = 2000;
pub const MAX_PLACE_CHARS: usize = 200;
/// The longest note, answer or reason of a step.
pub const MAX_STEP_TEXT_CHARS: usize = 2000;

vocabulary!(
    /// Where a deputy's report stands.
    DeputyReportState {
        /// 已报送: submitted, waiting for the staff.
        Submitted = "SUBMITTED",
        /// 已受理: the staff took it; it is forwarded, compiled or declined next.
        Accepted = "ACCEPTED",
        /// 已转办: forwarded to a handling unit, which answers.
        Forwarded = "FORWARDED",
        /// 已答复: the unit answered; the answer went back to the deputy.
        Answered = "ANSWERED",
        /// 已编报: compiled into a special report (专报) to the leadership.
        Compiled = "COMPILED",
        /// 不予采用: declined by the staff, with a reason.
        Declined = "DECLINED",
    }
);

vocabulary!(
    /// A step on a report's timeline.
    DeputyReportEventKind {
        Submitted = "SUBMITTED",
        Accepted = "ACCEPTED",
        Forwarded = "FORWARDED",
        Answered = "ANSWERED",
        Compiled = "COMPILED",
        Declined = "DECLINED",
    }
);

/// What a deputy writes, checked: title, write-up and the constituents' matter bounded, the place optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportInput {
    pub title: String,
    /// The deputy's write-up: the situation, analysis and what they propose.
    pub content: String,
    /// What the constituents raised, in their terms (who raised it, how many, where).
    pub matter: String,
    pub category: OpinionCategory,
    /// The liaison station it was gathered at, if any (storage checks it is one of the deputy's congress).
    pub station_id: Option<Uuid>,
    /// Where it was gathered, in words.
    pub place: Option<String>,
}

impl ReportInput {
    pub fn parse(
        title: &str,
        content: &str,
        matter: &str,
        category: OpinionCategory,
        station_id: Option<Uuid>,
        place: Option<&str>,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            title: bounded("title", title, 1, MAX_TITLE_CHARS)?,
            content: bounded("content", content, 1, MAX_CONTENT_CHARS)?,
            matter: bounded("matter", matter, 1, MAX_MATTER_CHARS)?,
            category,
            station_id,
            place: optional("place", place, MAX_PLACE_CHARS)?,
        })
    }
}

/// A required text of a step (an answer, a note to the leadership, a reason): 1–2,000 characters.
pub fn step_text(field: &'static str, raw: &str) -> Result<String, DomainError> {
    bounded(field, raw, 1, MAX_STEP_TEXT_CHARS)
}

/// An optional note of a step: up to 2,000 characters; blank means none.
pub fn step_note(field: &'static str, raw: Option<&str>) -> Result<Option<String>, DomainError> {
    optional(field, raw, MAX_STEP_TEXT_CHARS)
}

/// What happened to a report. Events are facts: decided valid once, stored on the timeline, and applied
/// in order to rebuild the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Event {
    /// The deputy submitted the report to the congress's staff.
    Submitted {
        id: Uuid,
        congress_id: Uuid,
        deputy_id: Uuid,
        title: String,
        content: String,
        matter: String,
        category: OpinionCategory,
        station_id: Option<Uuid>,
        place: Option<String>,
        at: DateTime<Utc>,
    },
    /// A member of the staff took it.
    Accepted { account_id: Uuid, at: DateTime<Utc> },
    /// Forwarded to a handling unit of the congress (转办).
    Forwarded { unit_id: Uuid, note: Option<String>, at: DateTime<Utc> },
    /// The unit's answer, which goes back to the deputy.
    Answered { unit_id: Uuid, account_id: Uuid, text: String, at: DateTime<Utc> },
    /// Compiled into a special report (专报) to the leadership; `note` is the staff's note on it.
    Compiled { note: String, at: DateTime<Utc> },
    /// Declined, with the reason the deputy reads.
    Declined { reason: String, at: DateTime<Utc> },
}

impl Event {
    pub fn event_kind(&self) -> DeputyReportEventKind {
        match self {
            Event::Submitted { .. } => DeputyReportEventKind::Submitted,
            Event::Accepted { .. } => DeputyReportEventKind::Accepted,
            Event::Forwarded { .. } => DeputyReportEventKind::Forwarded,
            Event::Answered { .. } => DeputyReportEventKind::Answered,
            Event::Compiled { .. } => DeputyReportEventKind::Compiled,
            Event::Declined { .. } => DeputyReportEventKind::Declined,
        }
    }

    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Submitted { at, .. }
            | Event::Accepted { at, .. }
            | Event::Forwarded { at, .. }
            | Event::Answered { at, .. }
            | Event::Compiled { at, .. }
            | Event::Declined { at, .. } => *at,
        }
    }

    /// The text the step carries, as the timeline shows it.
    pub fn note(&self) -> Option<&str> {
        match self {
            Event::Forwarded { note, .. } => note.as_deref(),
            Event::Answered { text, .. } => Some(text),
            Event::Compiled { note, .. } => Some(note),
            Event::Declined { reason, .. } => Some(reason),
            Event::Submitted { .. } | Event::Accepted { .. } => None,
        }
    }
}

/// A text with the account that wrote it and its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub account_id: Option<Uuid>,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
}

/// The forwarding to a unit and the unit's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    pub unit_id: Uuid,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    pub answer: Option<Step>,
}

/// A deputy's report with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyReport {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub title: String,
    pub content: String,
    pub matter: String,
    pub category: OpinionCategory,
    pub station_id: Option<Uuid>,
    pub place: Option<String>,
    pub state: DeputyReportState,
    /// How many events have been applied; the compare-and-set token for concurrent steps.
    pub version: u32,
    pub accepted: Option<Step>,
    pub forwarding: Option<Forwarding>,
    /// The note of the special report it was compiled into.
    pub compiled: Option<Step>,
    /// Why it was declined.
    pub declined: Option<Step>,
    pub submitted_at: DateTime<Utc>,
    /// When the last step was taken.
    pub updated_at: DateTime<Utc>,
}

/// What people ask to do with a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accept,
    /// `unit_congress_id` is the unit's congress, looked up by storage.
    Forward {
        unit_id: Uuid,
        unit_congress_id: Uuid,
        note: Option<String>,
    },
    Answer {
        text: String,
    },
    Compile {
        note: String,
    },
    Decline {
        reason: String,
    },
}

/// The name of a command, for the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    Forward,
    Answer,
    Compile,
    Decline,
}

impl Action {
    pub const ALL: [Action; 5] =
        [Action::Accept, Action::Forward, Action::Answer, Action::Compile, Action::Decline];
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Accept => Action::Accept,
            Command::Forward { .. } => Action::Forward,
            Command::Answer { .. } => Action::Answer,
            Command::Compile { .. } => Action::Compile,
            Command::Decline { .. } => Action::Decline,
        }
    }
}

/// How the caller stands to one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The deputy who wrote it.
    Author,
    /// Staff of its congress, or an admin.
    Staff,
    /// Staff of the unit it was forwarded to (only once it was).
    Unit,
    /// Anyone else: the report does not exist for them.
    Outsider,
}

impl Party {
    pub fn of(actor: &Actor, r: &DeputyReport) -> Self {
        if actor.role == Role::Deputy && actor.deputy_id == Some(r.deputy_id) {
            Party::Author
        } else if actor.is_staff_of(r.congress_id) {
            Party::Staff
        } else if actor.role == Role::UnitStaff
            && actor.unit_id.is_some()
            && actor.unit_id == r.forwarding.as_ref().map(|f| f.unit_id)
        {
            Party::Unit
        } else {
            Party::Outsider
        }
    }
}

/// Who sees a report: its deputy, the staff of its congress, and the unit it was forwarded to.
pub fn may_view(actor: &Actor, r: &DeputyReport) -> bool {
    Party::of(actor, r) != Party::Outsider
}

/// The "who" column of the table.
pub fn allowed(action: Action, party: Party) -> bool {
    match action {
        Action::Accept | Action::Forward | Action::Compile | Action::Decline => party == Party::Staff,
        Action::Answer => party == Party::Unit,
    }
}

/// The states an action may start from.
pub fn states(action: Action) -> &'static [DeputyReportState] {
    use DeputyReportState as S;
    match action {
        Action::Accept => &[S::Submitted],
        Action::Forward | Action::Compile => &[S::Accepted],
        Action::Decline => &[S::Submitted, S::Accepted],
        Action::Answer => &[S::Forwarded],
    }
}

/// Whether a report in `state` counts in its deputy's archive (DEPUTY_REPORT_SUBMITTED): from its
/// submission on, unless the staff declined it.
pub fn counts_in_archive(state: DeputyReportState) -> bool {
    state != DeputyReportState::Declined
}

/// The deputy submitting a report: `(deputy_id, congress_id)`.
pub fn reporting_deputy(actor: &Actor) -> Result<(Uuid, Uuid), DomainError> {
    match (actor.role, actor.deputy_id, actor.congress_id) {
        (Role::Deputy, Some(deputy_id), Some(congress_id)) => Ok((deputy_id, congress_id)),
        _ => Err(DomainError::forbidden("only deputies submit reports of constituents' views")),
    }
}

impl DeputyReport {
    /// A new report: the `Submitted` event. `station_congress_id` is the congress of the named station,
    /// looked up by storage; `id` and `now` come from the caller.
    pub fn submit(
        actor: &Actor,
        input: &ReportInput,
        station_congress_id: Option<Uuid>,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Event, DomainError> {
        let (deputy_id, congress_id) = reporting_deputy(actor)?;
        if input.station_id.is_some() && station_congress_id != Some(congress_id) {
            return Err(DomainError::invalid(
                "stationId",
                "must be a liaison station of the deputy's congress",
            ));
        }
        Ok(Event::Submitted {
            id,
            congress_id,
            deputy_id,
            title: input.title.clone(),
            content: input.content.clone(),
            matter: input.matter.clone(),
            category: input.category,
            station_id: input.station_id,
            place: input.place.clone(),
            at: now,
        })
    }

    /// Rebuilds a report from its events, in order. `None` if the first event is not `Submitted`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Self> {
        let mut events = events.into_iter();
        let mut report = Self::from_submitted(events.next()?)?;
        for event in events {
            report.apply(event);
        }
        Some(report)
    }

    /// The report a `Submitted` event starts.
    pub fn from_submitted(event: &Event) -> Option<Self> {
        let Event::Submitted {
            id,
            congress_id,
            deputy_id,
            title,
            content,
            matter,
            category,
            station_id,
            place,
            at,
        } = event
        else {
            return None;
        };
        Some(Self {
            id: *id,
            congress_id: *congress_id,
            deputy_id: *deputy_id,
            title: title.clone(),
            content: content.clone(),
            matter: matter.clone(),
            category: *category,
            station_id: *station_id,
            place: place.clone(),
            state: DeputyReportState::Submitted,
            version: 1,
            accepted: None,
            forwarding: None,
            compiled: None,
            declined: None,
            submitted_at: *at,
            updated_at: *at,
        })
    }

    /// Applies one event. Events were decided valid, so this never fails; one that does not fit (only
    /// possible with a corrupted timeline) changes nothing but the version.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        match event {
            Event::Submitted { .. } => return,
            Event::Accepted { account_id, at } => {
                self.accepted = Some(Step { account_id: Some(*account_id), text: None, at: *at });
                self.state = DeputyReportState::Accepted;
            }
            Event::Forwarded { unit_id, note, at } => {
                self.forwarding =
                    Some(Forwarding { unit_id: *unit_id, note: note.clone(), at: *at, answer: None });
                self.state = DeputyReportState::Forwarded;
            }
            Event::Answered { unit_id, account_id, text, at } => match &mut self.forwarding {
                Some(f) if f.unit_id == *unit_id => {
                    f.answer =
                        Some(Step { account_id: Some(*account_id), text: Some(text.clone()), at: *at });
                    self.state = DeputyReportState::Answered;
                }
                _ => return,
            },
            Event::Compiled { note, at } => {
                self.compiled = Some(Step { account_id: None, text: Some(note.clone()), at: *at });
                self.state = DeputyReportState::Compiled;
            }
            Event::Declined { reason, at } => {
                self.declined = Some(Step { account_id: None, text: Some(reason.clone()), at: *at });
                self.state = DeputyReportState::Declined;
            }
        }
        self.updated_at = event.at();
    }

    /// The unit it was forwarded to.
    pub fn forwarded_unit(&self) -> Option<Uuid> {
        self.forwarding.as_ref().map(|f| f.unit_id)
    }

    /// Decides a command: the events it causes, or why it is refused. Pure: `now` comes in.
    pub fn decide(
        &self,
        actor: &Actor,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        let action = command.action();
        let party = Party::of(actor, self);
        if party == Party::Outsider {
            return Err(DomainError::NotFound("deputy report"));
        }
        if !allowed(action, party) {
            return Err(DomainError::forbidden(format!("{action:?} is not yours to do on this report")));
        }
        if !states(action).contains(&self.state) {
            return Err(DomainError::conflict(format!(
                "cannot {action:?} a report in state {}",
                self.state.as_str()
            )));
        }
        let event = match command {
            Command::Accept => Event::Accepted { account_id: actor.user_id, at: now },
            Command::Forward { unit_id, unit_congress_id, note } => {
                if *unit_congress_id != self.congress_id {
                    return Err(DomainError::invalid(
                        "unitId",
                        "must be a handling unit of the report's congress",
                    ));
                }
                Event::Forwarded { unit_id: *unit_id, note: note.clone(), at: now }
            }
            Command::Answer { text } => {
                let unit_id = self
                    .forwarded_unit()
                    .ok_or_else(|| DomainError::conflict("the report is not forwarded"))?;
                Event::Answered { unit_id, account_id: actor.user_id, text: text.clone(), at: now }
            }
            Command::Compile { note } => Event::Compiled { note: note.clone(), at: now },
            Command::Decline { reason } => Event::Declined { reason: reason.clone(), at: now },
        };
        Ok(vec![event])
    }
}

/// One notice: its kind (every one starts with `DUTY_REPORT_`, so all fall in the DUTY category), the
/// words for the inbox, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: &'static str,
    pub title: &'static str,
    pub audience: Vec<Audience>,
}

/// Who hears of a step: the staff of a submission; the deputy of every later step, and besides the unit
/// it is forwarded to, and the staff of the unit's answer.
pub fn notice_for(r: &DeputyReport, event: &Event) -> Notice {
    let deputy = Audience::Deputy(r.deputy_id);
    let (kind, title, audience) = match event {
        Event::Submitted { .. } => {
            ("DUTY_REPORT_SUBMITTED", "代表反映社情民意待受理", vec![Audience::Staff(r.congress_id)])
        }
        Event::Accepted { .. } => ("DUTY_REPORT_ACCEPTED", "您反映的社情民意已受理", vec![deputy]),
        Event::Forwarded { unit_id, .. } => {
            ("DUTY_REPORT_FORWARDED", "代表反映的社情民意已转办", vec![deputy, Audience::Unit(*unit_id)])
        }
        Event::Answered { .. } => {
            ("DUTY_REPORT_ANSWERED", "您反映的社情民意已有答复", vec![deputy, Audience::Staff(r.congress_id)])
        }
        Event::Compiled { .. } => ("DUTY_REPORT_COMPILED", "您反映的社情民意已编入专报", vec![deputy]),
        Event::Declined { .. } => ("DUTY_REPORT_DECLINED", "您反映的社情民意未被采用", vec![deputy]),
    };
    Notice { kind, title, audience }
}
