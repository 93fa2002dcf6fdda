//! The suggestion as a whole, and how each event changes it. `apply` is the only place state changes, so
//! replaying a suggestion's timeline always rebuilds the same suggestion.

use super::event::Event;
use super::kinds::{
    AnswerClass, CoSignStatus, ContactMethod, HandlingMode, HandlingRole, Satisfaction, SuggestionState,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which meeting a suggestion belongs to: a plenary session (次会议) or the recess between sessions
/// (闭会期间) of a year. Serial numbers run per congress and sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", tag = "kind")]
pub enum Sitting {
    Session { number: u32 },
    Recess { year: i32 },
}

impl Sitting {
    /// A stable key for counters and filters, e.g. `S2` or `R2026`.
    pub fn key(self) -> String {
        match self {
            Sitting::Session { number } => format!("S{number}"),
            Sitting::Recess { year } => format!("R{year}"),
        }
    }

    /// The serial number shown to people, e.g. 第2次会议第0123号 or 2026年闭会期间第0012号.
    pub fn serial(self, n: u64) -> String {
        match self {
            Sitting::Session { number } => format!("第{number}次会议第{n:04}号"),
            Sitting::Recess { year } => format!("{year}年闭会期间第{n:04}号"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoSigner {
    pub deputy_id: Uuid,
    pub status: CoSignStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub content: String,
    pub class: AnswerClass,
    /// Required for IN_PROGRESS (B 类).
    pub promised_by: Option<NaiveDate>,
    /// Required for DEFERRED and FOR_REFERENCE (C/D 类).
    pub reasons: Option<String>,
    /// The official who signed the answer.
    pub signed_by: String,
    /// Whether the answer may be published.
    pub public: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub deputy_id: Uuid,
    /// 办理态度
    pub attitude: Satisfaction,
    /// 办理结果
    pub result: Satisfaction,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

impl Rating {
    pub fn is_dissatisfied(&self) -> bool {
        self.attitude == Satisfaction::Dissatisfied || self.result == Satisfaction::Dissatisfied
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOpinion {
    pub text: String,
    pub at: DateTime<Utc>,
    /// Given after the co-opinion due date.
    pub late: bool,
}

/// How far in the future (for clock differences) a recorded contact's time may be.
pub const CONTACT_LEEWAY_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub unit_id: Uuid,
    pub method: ContactMethod,
    pub contacted_at: DateTime<Utc>,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplementationNote {
    pub note: String,
    pub done: bool,
    pub at: DateTime<Utc>,
}

/// One unit's part of the handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPart {
    pub unit_id: Uuid,
    pub role: HandlingRole,
    pub accepted: bool,
    pub co_opinion: Option<CoOpinion>,
    pub answer: Option<Answer>,
    /// The lead deputy's rating of the current answer.
    pub rating: Option<Rating>,
    /// Co-signers' own ratings, kept for statistics.
    pub co_signer_ratings: Vec<Rating>,
    /// How often a dissatisfied rating re-opened this part.
    pub rehandles: u32,
    /// Answers and ratings before each re-opening.
    pub history: Vec<(Answer, Rating)>,
    /// Progress on a B-class promise (答复满意 → 结果满意).
    pub implementation: Vec<ImplementationNote>,
    /// The deputy's rating of the implemented result.
    pub result_rating: Option<Satisfaction>,
}

impl UnitPart {
    fn new(unit_id: Uuid, role: HandlingRole) -> Self {
        Self {
            unit_id,
            role,
            accepted: false,
            co_opinion: None,
            answer: None,
            rating: None,
            co_signer_ratings: Vec::new(),
            rehandles: 0,
            history: Vec::new(),
            implementation: Vec::new(),
            result_rating: None,
        }
    }

    /// Whether this part owes an answer (the lead unit, or every unit in PARALLEL mode).
    pub fn answers(&self) -> bool {
        self.role == HandlingRole::Lead
    }

    pub fn implementation_done(&self) -> bool {
        self.implementation.iter().any(|n| n.done)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReassignment {
    pub unit_id: Uuid,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingExtension {
    pub unit_id: Uuid,
    pub reason: String,
    pub due_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub mode: HandlingMode,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub units: Vec<UnitPart>,
    pub contacts: Vec<Contact>,
    pub reassignment: Option<PendingReassignment>,
    pub extension: Option<PendingExtension>,
}

impl Assignment {
    pub fn part(&self, unit_id: Uuid) -> Option<&UnitPart> {
        self.units.iter().find(|p| p.unit_id == unit_id)
    }

    fn part_mut(&mut self, unit_id: Uuid) -> Option<&mut UnitPart> {
        self.units.iter_mut().find(|p| p.unit_id == unit_id)
    }

    pub fn answering(&self) -> impl Iterator<Item = &UnitPart> {
        self.units.iter().filter(|p| p.answers())
    }

    pub fn all_answered(&self) -> bool {
        self.answering().all(|p| p.answer.is_some())
    }

    pub fn all_rated(&self) -> bool {
        self.answering().all(|p| p.rating.is_some())
    }

    /// For an answered part: whether its unit recorded a contact with the deputy made before the answer
    /// (沟通), the contact's time read with the leeway its recording allows ([`CONTACT_LEEWAY_MINUTES`]: a
    /// contact recorded just before answering may say a few minutes later); `None` while the part has no
    /// answer.
    pub fn contacted_before_answer(&self, part: &UnitPart) -> Option<bool> {
        let latest = part.answer.as_ref()?.at + chrono::Duration::minutes(CONTACT_LEEWAY_MINUTES);
        Some(self.contacts.iter().any(|c| c.unit_id == part.unit_id && c.contacted_at <= latest))
    }

    /// The lead unit in LEAD_WITH_CO mode.
    pub fn lead_unit(&self) -> Option<Uuid> {
        match self.mode {
            HandlingMode::LeadWithCo => self.answering().next().map(|p| p.unit_id),
            HandlingMode::Parallel => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionNote {
    pub note: String,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

/// 重点督办: who follows the suggestion closely, and their notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    pub supervisor: String,
    pub since: DateTime<Utc>,
    pub notes: Vec<SupervisionNote>,
}

/// A deputy's suggestion (代表建议) with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub sitting: Sitting,
    pub lead_deputy_id: Uuid,
    pub title: String,
    pub content: String,
    pub category: String,
    pub state: SuggestionState,
    /// How many events have been applied; the compare-and-set token for concurrent changes.
    pub version: u32,
    pub serial: Option<String>,
    pub co_signers: Vec<CoSigner>,
    /// Why staff last sent it back (预研把关、修改完善).
    pub revision_reason: Option<String>,
    pub assignment: Option<Assignment>,
    pub supervision: Option<Supervision>,
    /// A part was rated dissatisfied again after re-handling: staff must look at it.
    pub flagged: bool,
    /// Merged (并案) into this suggestion, which is handled for both.
    pub merged_into: Option<Uuid>,
    /// Suggestions merged into this one: they follow its handling, and each lead deputy rates their own.
    pub merged: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Suggestion {
    /// Rebuilds a suggestion from its events, in order. `None` if the first event is not `Created`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Self> {
        let mut events = events.into_iter();
        let mut suggestion = Self::from_created(events.next()?)?;
        for event in events {
            suggestion.apply(event);
        }
        Some(suggestion)
    }

    /// The suggestion a `Created` event starts.
    pub fn from_created(event: &Event) -> Option<Self> {
        let Event::Created { id, congress_id, sitting, lead_deputy_id, title, content, category, at } = event
        else {
            return None;
        };
        Some(Self {
            id: *id,
            congress_id: *congress_id,
            sitting: *sitting,
            lead_deputy_id: *lead_deputy_id,
            title: title.clone(),
            content: content.clone(),
            category: category.clone(),
            state: SuggestionState::Draft,
            version: 1,
            serial: None,
            co_signers: Vec::new(),
            revision_reason: None,
            assignment: None,
            supervision: None,
            flagged: false,
            merged_into: None,
            merged: Vec::new(),
            created_at: *at,
        })
    }

    /// Confirmed co-signers: the only ones that count.
    pub fn confirmed_co_signers(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.co_signers.iter().filter(|c| c.status == CoSignStatus::Confirmed).map(|c| c.deputy_id)
    }

    /// Applies one event. Events were decided valid, so this never fails; an event that does not fit (only
    /// possible with a corrupted timeline) changes nothing but the version.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        match event {
            Event::Created { .. } => {}
            Event::DraftEdited { title, content, category } => {
                self.title.clone_from(title);
                self.content.clone_from(content);
                self.category.clone_from(category);
            }
            Event::CoSignerInvited { deputy_id } => {
                self.co_signers.retain(|c| c.deputy_id != *deputy_id);
                self.co_signers.push(CoSigner { deputy_id: *deputy_id, status: CoSignStatus::Invited });
            }
            Event::CoSignAnswered { deputy_id, accepted } => {
                if let Some(c) = self.co_signers.iter_mut().find(|c| c.deputy_id == *deputy_id) {
                    c.status = if *accepted { CoSignStatus::Confirmed } else { CoSignStatus::Declined };
                }
            }
            Event::Submitted { serial } => {
                if self.serial.is_none() {
                    self.serial.clone_from(serial);
                }
                self.state = SuggestionState::Proposed;
            }
            Event::ReturnedForRevision { reason } => {
                self.revision_reason = Some(reason.clone());
                self.merged_into = None;
                self.state = SuggestionState::Draft;
            }
            Event::Withdrawn => {
                self.merged_into = None;
                self.state = SuggestionState::Withdrawn;
            }
            Event::MergedInto { primary_id } => self.merged_into = Some(*primary_id),
            Event::Absorbed { member_id } => {
                if !self.merged.contains(member_id) {
                    self.merged.push(*member_id);
                }
            }
            Event::Assigned { mode, units, assigned_at, due_at } => {
                self.assign(*mode, units, *assigned_at, *due_at);
            }
            Event::ReassignmentRequested { unit_id, reason, at } => {
                if let Some(a) = &mut self.assignment {
                    a.reassignment =
                        Some(PendingReassignment { unit_id: *unit_id, reason: reason.clone(), at: *at });
                }
            }
            Event::ReassignmentRejected { .. } => {
                if let Some(a) = &mut self.assignment {
                    a.reassignment = None;
                }
            }
            Event::ExtensionRequested { unit_id, reason, due_at, at } => {
                if let Some(a) = &mut self.assignment {
                    a.extension = Some(PendingExtension {
                        unit_id: *unit_id,
                        reason: reason.clone(),
                        due_at: *due_at,
                        at: *at,
                    });
                }
            }
            Event::ExtensionResolved { approved_due_at, .. } => {
                if let Some(a) = &mut self.assignment {
                    a.extension = None;
                    if let Some(due) = approved_due_at {
                        a.due_at = *due;
                    }
                }
            }
            Event::Accepted { unit_id } => {
                if let Some(part) = self.assignment.as_mut().and_then(|a| a.part_mut(*unit_id)) {
                    part.accepted = true;
                }
                if self.state == SuggestionState::Assigned {
                    self.state = SuggestionState::Handled;
                }
            }
            Event::CoOpinionGiven { unit_id, text, at, late } => {
                if let Some(part) = self.assignment.as_mut().and_then(|a| a.part_mut(*unit_id)) {
                    part.co_opinion = Some(CoOpinion { text: text.clone(), at: *at, late: *late });
                }
            }
            Event::ContactRecorded { contact } => {
                if let Some(a) = &mut self.assignment {
                    a.contacts.push(contact.clone());
                }
            }
            Event::Answered { unit_id, answer } => {
                if let Some(a) = &mut self.assignment {
                    if let Some(part) = a.part_mut(*unit_id) {
                        part.answer = Some(answer.clone());
                    }
                    if a.all_answered() {
                        self.state = SuggestionState::Answered;
                    }
                }
            }
            Event::Rated { unit_id, rating, official } => {
                if let Some(a) = &mut self.assignment {
                    if let Some(part) = a.part_mut(*unit_id) {
                        if *official {
                            part.rating = Some(rating.clone());
                        } else {
                            part.co_signer_ratings.retain(|r| r.deputy_id != rating.deputy_id);
                            part.co_signer_ratings.push(rating.clone());
                        }
                    }
                    if *official && a.all_rated() {
                        self.state = SuggestionState::Rated;
                    }
                }
            }
            Event::Rehandling { unit_id, due_at } => {
                if let Some(a) = &mut self.assignment {
                    if let Some(part) = a.part_mut(*unit_id)
                        && let (Some(answer), Some(rating)) = (part.answer.take(), part.rating.take())
                    {
                        part.history.push((answer, rating));
                        part.rehandles += 1;
                        part.co_signer_ratings.clear();
                    }
                    a.due_at = a.due_at.max(*due_at);
                    self.state = SuggestionState::Handled;
                }
            }
            Event::Flagged { .. } => self.flagged = true,
            Event::ImplementationReported { unit_id, note } => {
                if let Some(part) = self.assignment.as_mut().and_then(|a| a.part_mut(*unit_id)) {
                    part.implementation.push(note.clone());
                }
            }
            Event::ResultRated { unit_id, satisfaction } => {
                if let Some(part) = self.assignment.as_mut().and_then(|a| a.part_mut(*unit_id)) {
                    part.result_rating = Some(*satisfaction);
                }
            }
            Event::Supervised { supervisor, note, by, at } => {
                let supervision = self.supervision.get_or_insert_with(|| Supervision {
                    supervisor: supervisor.clone(),
                    since: *at,
                    notes: Vec::new(),
                });
                supervision.supervisor.clone_from(supervisor);
                if let Some(note) = note {
                    supervision.notes.push(SupervisionNote { note: note.clone(), by: *by, at: *at });
                }
            }
        }
    }

    fn assign(
        &mut self,
        mode: HandlingMode,
        units: &[(Uuid, HandlingRole)],
        assigned_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
    ) {
        self.assignment = Some(Assignment {
            mode,
            assigned_at,
            due_at,
            units: units.iter().map(|(unit, role)| UnitPart::new(*unit, *role)).collect(),
            contacts: Vec::new(),
            reassignment: None,
            extension: None,
        });
        self.state = SuggestionState::Assigned;
    }
}

impl Sitting {
    /// Checks the numbers: sessions 1–20 of a term, recess years 2000–2100.
    pub fn parse(session_number: Option<i32>, recess_year: Option<i32>) -> Result<Self, crate::DomainError> {
        match (session_number, recess_year) {
            (Some(n), None) if (1..=20).contains(&n) => Ok(Sitting::Session { number: n.unsigned_abs() }),
            (None, Some(y)) if (2000..=2100).contains(&y) => Ok(Sitting::Recess { year: y }),
            (Some(_), None) => Err(crate::DomainError::invalid("sessionNumber", "must be between 1 and 20")),
            (None, Some(_)) => {
                Err(crate::DomainError::invalid("recessYear", "must be between 2000 and 2100"))
            }
            _ => Err(crate::DomainError::invalid(
                "sessionNumber",
                "give a session number or a recess year, not both",
            )),
        }
    }
}

impl Suggestion {
    /// Whether `events` (just decided) submit this suggestion for the first time, so it must be numbered
    /// (第1次会议第0001号). `decide` leaves the number out: only storage knows the next one of the congress
    /// and sitting, gap-free and given back when the transaction fails. A resubmission keeps its number.
    pub fn needs_serial(&self, events: &[Event]) -> bool {
        self.serial.is_none() && events.iter().any(|e| matches!(e, Event::Submitted { serial: None }))
    }

    /// Gives the first submission among `events` its serial number (see [`Suggestion::needs_serial`]).
    pub fn number(events: &mut [Event], serial: String) {
        if let Some(Event::Submitted { serial: slot }) =
            events.iter_mut().find(|e| matches!(e, Event::Submitted { .. }))
        {
            *slot = Some(serial);
        }
    }
}

impl Suggestion {
    /// A deputy starts a draft and becomes its lead deputy. The congress is the deputy's own.
    pub fn start(
        actor: &crate::account::Actor,
        sitting: Sitting,
        text: super::command::DraftText,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Event, crate::DomainError> {
        let (Some(deputy_id), Some(congress_id)) = (actor.deputy_id, actor.congress_id) else {
            return Err(crate::DomainError::forbidden("only deputies write suggestions"));
        };
        if actor.role != crate::account::Role::Deputy {
            return Err(crate::DomainError::forbidden("only deputies write suggestions"));
        }
        Ok(Event::Created {
            id,
            congress_id,
            sitting,
            lead_deputy_id: deputy_id,
            title: text.title().as_str().to_owned(),
            content: text.content().as_str().to_owned(),
            category: text.category().as_str().to_owned(),
            at: now,
        })
    }

    /// Whether the deadline has passed while the answer is still owed.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state, SuggestionState::Assigned | SuggestionState::Handled)
            && self.assignment.as_ref().is_some_and(|a| a.due_at < now)
    }
}
