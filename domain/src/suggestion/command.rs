//! What people ask to do with a suggestion. Constructors validate the free-text inputs, so a command that
//! exists has well-formed text; `decide` then checks who asks, in which state, against which facts.

use super::kinds::{AnswerClass, ContactMethod, HandlingMode, HandlingRole, Satisfaction};
use crate::DomainError;
use crate::text::{Body, Category, Label, Note, PersonName, Statement, Title};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// Title, content and category of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftText {
    title: Title,
    content: Body,
    category: Category,
}

impl DraftText {
    pub fn new(title: Title, content: Body, category: Category) -> Self {
        Self { title, content, category }
    }

    pub fn parse(title: &str, content: &str, category: &str) -> Result<Self, DomainError> {
        Ok(Self::new(
            Title::parse("title", title)?,
            Body::parse("content", content)?,
            Category::parse("category", category)?,
        ))
    }

    pub fn title(&self) -> &Title {
        &self.title
    }

    pub fn content(&self) -> &Body {
        &self.content
    }

    pub fn category(&self) -> &Category {
        &self.category
    }
}

/// A unit chosen for assignment, with the congress it belongs to (units of another congress are refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitChoice {
    pub unit_id: Uuid,
    pub role: HandlingRole,
    pub congress_id: Uuid,
}

/// A unit's formal answer as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    content: Body,
    class: AnswerClass,
    promised_by: Option<NaiveDate>,
    reasons: Option<Statement>,
    signed_by: PersonName,
    public: bool,
}

impl AnswerInput {
    /// Checks the class rules: B needs a promised date, C and D need reasons.
    pub fn parse(
        content: &str,
        class: AnswerClass,
        promised_by: Option<NaiveDate>,
        reasons: Option<&str>,
        signed_by: &str,
        public: bool,
    ) -> Result<Self, DomainError> {
        let reasons = Statement::parse_optional("reasons", reasons)?;
        match class {
            AnswerClass::InProgress if promised_by.is_none() => {
                return Err(DomainError::invalid(
                    "promisedBy",
                    "an IN_PROGRESS (B) answer promises a completion date",
                ));
            }
            AnswerClass::Deferred | AnswerClass::ForReference if reasons.is_none() => {
                return Err(DomainError::invalid(
                    "reasons",
                    "a DEFERRED (C) or FOR_REFERENCE (D) answer gives reasons",
                ));
            }
            _ => {}
        }
        Ok(Self {
            content: Body::parse("content", content)?,
            class,
            promised_by: if class == AnswerClass::InProgress { promised_by } else { None },
            reasons,
            signed_by: PersonName::parse("signedBy", signed_by)?,
            public,
        })
    }

    pub fn content(&self) -> &Body {
        &self.content
    }

    pub fn class(&self) -> AnswerClass {
        self.class
    }

    /// Given for an IN_PROGRESS (B) answer only.
    pub fn promised_by(&self) -> Option<NaiveDate> {
        self.promised_by
    }

    /// Given for every DEFERRED (C) and FOR_REFERENCE (D) answer.
    pub fn reasons(&self) -> Option<&Statement> {
        self.reasons.as_ref()
    }

    pub fn signed_by(&self) -> &PersonName {
        &self.signed_by
    }

    pub fn public(&self) -> bool {
        self.public
    }
}

/// A rating of one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    /// The answering unit rated; may be left out when only one unit answers.
    pub unit_id: Option<Uuid>,
    pub attitude: Satisfaction,
    pub result: Satisfaction,
    pub comment: Option<Note>,
}

impl RatingInput {
    /// A comment is required when either rating is DISSATISFIED.
    pub fn parse(
        unit_id: Option<Uuid>,
        attitude: Satisfaction,
        result: Satisfaction,
        comment: Option<&str>,
    ) -> Result<Self, DomainError> {
        let comment = Note::parse_optional("comment", comment)?;
        let dissatisfied = attitude == Satisfaction::Dissatisfied || result == Satisfaction::Dissatisfied;
        if dissatisfied && comment.is_none() {
            return Err(DomainError::invalid("comment", "say why when dissatisfied"));
        }
        Ok(Self { unit_id, attitude, result, comment })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    EditDraft(DraftText),
    InviteCoSigner {
        deputy_id: Uuid,
        deputy_congress_id: Uuid,
    },
    AnswerInvitation {
        accept: bool,
    },
    /// Submits the draft; the first submission is numbered by storage (see [`Suggestion::needs_serial`]).
    Submit,
    ReturnForRevision {
        reason: Note,
    },
    Withdraw,
    /// `due_at` defaults to the policy's deadline.
    Assign {
        mode: HandlingMode,
        units: Vec<UnitChoice>,
        due_at: Option<DateTime<Utc>>,
    },
    RequestReassignment {
        reason: Note,
    },
    ApproveReassignment {
        mode: HandlingMode,
        units: Vec<UnitChoice>,
        due_at: Option<DateTime<Utc>>,
    },
    RejectReassignment {
        reason: Note,
    },
    RequestExtension {
        reason: Note,
        due_at: DateTime<Utc>,
    },
    ResolveExtension {
        approve: bool,
        reason: Option<Note>,
    },
    Accept,
    GiveCoOpinion {
        text: Statement,
    },
    RecordContact {
        method: ContactMethod,
        contacted_at: DateTime<Utc>,
        summary: Note,
    },
    Answer(AnswerInput),
    Rate(RatingInput),
    ReportImplementation {
        note: Note,
        done: bool,
    },
    RateResult {
        unit_id: Option<Uuid>,
        satisfaction: Satisfaction,
    },
    Supervise {
        supervisor: Label,
        note: Option<Note>,
    },
    /// Merge this suggestion into `primary` (并案); the facts about the primary come from storage.
    MergeInto {
        primary: MergeTarget,
    },
}

/// What the merge rule needs to know about the suggestion merged into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeTarget {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub state: super::kinds::SuggestionState,
    pub merged_into: Option<Uuid>,
}

/// The name of a command, for the permission table and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    EditDraft,
    InviteCoSigner,
    AnswerInvitation,
    Submit,
    ReturnForRevision,
    Withdraw,
    Assign,
    RequestReassignment,
    ApproveReassignment,
    RejectReassignment,
    RequestExtension,
    ResolveExtension,
    Accept,
    GiveCoOpinion,
    RecordContact,
    Answer,
    Rate,
    ReportImplementation,
    RateResult,
    Supervise,
    Merge,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::EditDraft,
        Action::InviteCoSigner,
        Action::AnswerInvitation,
        Action::Submit,
        Action::ReturnForRevision,
        Action::Withdraw,
        Action::Assign,
        Action::RequestReassignment,
        Action::ApproveReassignment,
        Action::RejectReassignment,
        Action::RequestExtension,
        Action::ResolveExtension,
        Action::Accept,
        Action::GiveCoOpinion,
        Action::RecordContact,
        Action::Answer,
        Action::Rate,
        Action::ReportImplementation,
        Action::RateResult,
        Action::Supervise,
        Action::Merge,
    ];

    /// Actions a unit or staff takes on a primary suggestion that its merged suggestions follow.
    pub fn follows_merge(self) -> bool {
        matches!(
            self,
            Action::Assign
                | Action::RequestReassignment
                | Action::ApproveReassignment
                | Action::RejectReassignment
                | Action::RequestExtension
                | Action::ResolveExtension
                | Action::Accept
                | Action::GiveCoOpinion
                | Action::RecordContact
                | Action::Answer
                | Action::ReportImplementation
                | Action::Supervise
        )
    }
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::EditDraft(_) => Action::EditDraft,
            Command::InviteCoSigner { .. } => Action::InviteCoSigner,
            Command::AnswerInvitation { .. } => Action::AnswerInvitation,
            Command::Submit => Action::Submit,
            Command::ReturnForRevision { .. } => Action::ReturnForRevision,
            Command::Withdraw => Action::Withdraw,
            Command::Assign { .. } => Action::Assign,
            Command::RequestReassignment { .. } => Action::RequestReassignment,
            Command::ApproveReassignment { .. } => Action::ApproveReassignment,
            Command::RejectReassignment { .. } => Action::RejectReassignment,
            Command::RequestExtension { .. } => Action::RequestExtension,
            Command::ResolveExtension { .. } => Action::ResolveExtension,
            Command::Accept => Action::Accept,
            Command::GiveCoOpinion { .. } => Action::GiveCoOpinion,
            Command::RecordContact { .. } => Action::RecordContact,
            Command::Answer(_) => Action::Answer,
            Command::Rate(_) => Action::Rate,
            Command::ReportImplementation { .. } => Action::ReportImplementation,
            Command::RateResult { .. } => Action::RateResult,
            Command::Supervise { .. } => Action::Supervise,
            Command::MergeInto { .. } => Action::Merge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_classes_need_their_particulars() {
        let date = NaiveDate::from_ymd_opt(2027, 6, 30);
        assert!(AnswerInput::parse("已解决", AnswerClass::Solved, None, None, "王局长", true).is_ok());
        assert!(AnswerInput::parse("推进中", AnswerClass::InProgress, None, None, "王局长", true).is_err());
        assert!(AnswerInput::parse("推进中", AnswerClass::InProgress, date, None, "王局长", true).is_ok());
        assert!(AnswerInput::parse("暂缓", AnswerClass::Deferred, None, None, "王局长", true).is_err());
        assert!(
            AnswerInput::parse("暂缓", AnswerClass::Deferred, None, Some("资金未落实"), "王局长", true)
                .is_ok()
        );
        assert!(
            AnswerInput::parse("参考", AnswerClass::ForReference, None, Some(" "), "王局长", true).is_err()
        );
        assert!(AnswerInput::parse("", AnswerClass::Solved, None, None, "王局长", true).is_err());
        assert!(AnswerInput::parse("好", AnswerClass::Solved, None, None, "", true).is_err());
    }

    #[test]
    fn dissatisfaction_needs_a_comment() {
        use Satisfaction::*;
        assert!(RatingInput::parse(None, Satisfied, Satisfied, None).is_ok());
        assert!(RatingInput::parse(None, Satisfied, Dissatisfied, None).is_err());
        assert!(RatingInput::parse(None, Dissatisfied, Satisfied, Some(" ")).is_err());
        assert!(RatingInput::parse(None, Dissatisfied, Satisfied, Some("态度敷衍")).is_ok());
    }

    #[test]
    fn draft_text_bounds() {
        assert!(DraftText::parse("标题", "内容", "交通").is_ok());
        assert!(DraftText::parse(&"题".repeat(101), "内容", "交通").is_err());
        assert!(DraftText::parse("标题", &"字".repeat(20_001), "交通").is_err());
        assert!(DraftText::parse("标题", "内容", "").is_err());
    }
}
