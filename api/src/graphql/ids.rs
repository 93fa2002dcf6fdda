//! Global IDs (Relay): `base64url("Type:uuid")`, opaque to clients, and unique across types so that
//! `node(id)` can find anything.

use super::error::{ApiError, ApiResult};
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// Every type that has a global ID (every implementer of `Node`), in one list: the type name is the first
/// piece of each ID, so resolvers name the kind they encode or expect here rather than importing a constant
/// from the type's module. A plain enum, not a GraphQL type.
///
/// The name ([`NodeKind::as_str`]) is part of every ID clients hold (bookmarks, caches, notifications'
/// `subjectId`): never change a variant's string, only add variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Account,
    Activity,
    /// Keyed by activity and deputy, see [`PartKey`].
    ActivityParticipant,
    /// Keyed by suggestion, unit and time, see [`PartKey`].
    Answer,
    Appraisal,
    AppraisalCandidate,
    AppraisalChoice,
    AppraisalFinding,
    AppraisalItem,
    Attachment,
    Bill,
    /// Keyed by suggestion and deputy, see [`PartKey`].
    CoSigner,
    Committee,
    Congress,
    Deputy,
    DeputyGroup,
    DeputyReport,
    Document,
    DraftArticle,
    DraftComment,
    DraftLaw,
    DutyEntry,
    DutyEvaluation,
    DutyEvaluationResult,
    DutyQuota,
    GroupAssessment,
    /// A unit's part, keyed by suggestion and unit, see [`PartKey`].
    HandlingPart,
    HandlingUnit,
    LearningMaterial,
    LegislativeCall,
    LegislativeProposal,
    LiaisonStation,
    LivelihoodProject,
    Milestone,
    ModerationItem,
    NewsItem,
    Notification,
    Opinion,
    OpinionStep,
    PointRule,
    ProfessionalGroup,
    ProgressReport,
    ProjectCandidate,
    ProjectInspection,
    ProjectQuestion,
    ProjectRound,
    ReceptionDay,
    ReceptionRecord,
    RectificationReport,
    ReminderTalk,
    Suggestion,
    TimelineEvent,
    EvaluationItem,
    DeputyContact,
    Selection,
    SelectionCandidate,
}

impl NodeKind {
    /// Every kind, for [`NodeKind::parse`] and the tests.
    pub const ALL: [NodeKind; 56] = [
        Self::Account,
        Self::Activity,
        Self::ActivityParticipant,
        Self::Answer,
        Self::Appraisal,
        Self::AppraisalCandidate,
        Self::AppraisalChoice,
        Self::AppraisalFinding,
        Self::AppraisalItem,
        Self::Attachment,
        Self::Bill,
        Self::CoSigner,
        Self::Committee,
        Self::Congress,
        Self::Deputy,
        Self::DeputyGroup,
        Self::DeputyReport,
        Self::Document,
        Self::DraftArticle,
        Self::DraftComment,
        Self::DraftLaw,
        Self::DutyEntry,
        Self::DutyEvaluation,
        Self::DutyEvaluationResult,
        Self::DutyQuota,
        Self::GroupAssessment,
        Self::HandlingPart,
        Self::HandlingUnit,
        Self::LearningMaterial,
        Self::LegislativeCall,
        Self::LegislativeProposal,
        Self::LiaisonStation,
        Self::LivelihoodProject,
        Self::Milestone,
        Self::ModerationItem,
        Self::NewsItem,
        Self::Notification,
        Self::Opinion,
        Self::OpinionStep,
        Self::PointRule,
        Self::ProfessionalGroup,
        Self::ProgressReport,
        Self::ProjectCandidate,
        Self::ProjectInspection,
        Self::ProjectQuestion,
        Self::ProjectRound,
        Self::ReceptionDay,
        Self::ReceptionRecord,
        Self::RectificationReport,
        Self::ReminderTalk,
        Self::Suggestion,
        Self::TimelineEvent,
        Self::EvaluationItem,
        Self::DeputyContact,
        Self::Selection,
        Self::SelectionCandidate,
    ];

    /// The GraphQL type name, as global IDs carry it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Account => "Account",
            Self::Activity => "Activity",
            Self::ActivityParticipant => "ActivityParticipant",
            Self::Answer => "Answer",
            Self::Appraisal => "Appraisal",
            Self::AppraisalCandidate => "AppraisalCandidate",
            Self::AppraisalChoice => "AppraisalChoice",
            Self::AppraisalFinding => "AppraisalFinding",
            Self::AppraisalItem => "AppraisalItem",
            Self::Attachment => "Attachment",
            Self::Bill => "Bill",
            Self::CoSigner => "CoSigner",
            Self::Committee => "Committee",
            Self::Congress => "Congress",
            Self::Deputy => "Deputy",
            Self::DeputyGroup => "DeputyGroup",
            Self::DeputyReport => "DeputyReport",
            Self::Document => "Document",
            Self::DraftArticle => "DraftArticle",
            Self::DraftComment => "DraftComment",
            Self::DraftLaw => "DraftLaw",
            Self::DutyEntry => "DutyEntry",
            Self::DutyEvaluation => "DutyEvaluation",
            Self::DutyEvaluationResult => "DutyEvaluationResult",
            Self::DutyQuota => "DutyQuota",
            Self::GroupAssessment => "GroupAssessment",
            Self::HandlingPart => "HandlingPart",
            Self::HandlingUnit => "HandlingUnit",
            Self::LearningMaterial => "LearningMaterial",
            Self::LegislativeCall => "LegislativeCall",
            Self::LegislativeProposal => "LegislativeProposal",
            Self::LiaisonStation => "LiaisonStation",
            Self::LivelihoodProject => "LivelihoodProject",
            Self::Milestone => "Milestone",
            Self::ModerationItem => "ModerationItem",
            Self::NewsItem => "NewsItem",
            Self::Notification => "Notification",
            Self::Opinion => "Opinion",
            Self::OpinionStep => "OpinionStep",
            Self::PointRule => "PointRule",
            Self::ProfessionalGroup => "ProfessionalGroup",
            Self::ProgressReport => "ProgressReport",
            Self::ProjectCandidate => "ProjectCandidate",
            Self::ProjectInspection => "ProjectInspection",
            Self::ProjectQuestion => "ProjectQuestion",
            Self::ProjectRound => "ProjectRound",
            Self::ReceptionDay => "ReceptionDay",
            Self::ReceptionRecord => "ReceptionRecord",
            Self::RectificationReport => "RectificationReport",
            Self::ReminderTalk => "ReminderTalk",
            Self::Suggestion => "Suggestion",
            Self::TimelineEvent => "TimelineEvent",
            Self::EvaluationItem => "EvaluationItem",
            Self::DeputyContact => "DeputyContact",
            Self::Selection => "Selection",
            Self::SelectionCandidate => "SelectionCandidate",
        }
    }

    /// The kind named `name` (a type name as [`NodeKind::as_str`] gives it); `None` for any other text.
    pub fn parse(name: &str) -> Option<NodeKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The global ID of the `kind` record `id`.
pub fn encode(kind: NodeKind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Splits a global ID into its kind and UUID; `None` for anything else, an unknown type name included.
pub fn decode_any(id: &ID) -> Option<(NodeKind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((NodeKind::parse(kind)?, Uuid::parse_str(uuid).ok()?))
}

/// The UUID of a global ID that must be of `kind`; `field` names the argument for the error.
pub fn decode(kind: NodeKind, field: &'static str, id: &ID) -> ApiResult<Uuid> {
    match decode_any(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(ApiError::bad_input(field, format!("is not a {kind} ID"))),
    }
}

/// The key of a row that has no UUID of its own, only the pair it joins: a part of a suggestion — a
/// co-signer (the suggestion and the deputy), a unit's part (the suggestion and the unit), or an answer (the
/// suggestion, the unit and when the answer was given, in microseconds since the epoch) — or a participant
/// of an activity (the activity and the deputy).
///
/// Such rows are keyed by the pair in the database (`suggestion_co_signers`, `suggestion_units`,
/// `activity_participants`; answers live in the suggestion's snapshot only), so the global ID carries the
/// key itself: `base64url("Type:owner:member[:micros]")`. A UUID derived from the pair (v5) would be one-way
/// and need a stored column or a scan to look up; this keeps it stateless, stable for as long as the row
/// exists, and as opaque to clients as every other ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartKey {
    /// The row it belongs to: the suggestion, or the activity of a participant.
    pub owner: Uuid,
    /// The deputy of a co-signer or a participant, the unit of a part or of an answer.
    pub member: Uuid,
    /// When an answer was given (µs since the epoch); `None` for everything else.
    pub at: Option<i64>,
}

/// The global ID of the `kind` part `key`.
pub fn encode_part(kind: NodeKind, key: PartKey) -> ID {
    let PartKey { owner, member, at } = key;
    let text = match at {
        Some(at) => format!("{kind}:{owner}:{member}:{at}"),
        None => format!("{kind}:{owner}:{member}"),
    };
    ID(URL_SAFE_NO_PAD.encode(text))
}

/// Splits the global ID of a part into its kind and key; `None` for any other ID. The kind is `None` when
/// the ID has a part's shape but a type name that is no [`NodeKind`] (`node(id)` answers null for it).
pub fn decode_part(id: &ID) -> Option<(Option<NodeKind>, PartKey)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut pieces = text.split(':');
    let kind = pieces.next()?;
    let owner = Uuid::parse_str(pieces.next()?).ok()?;
    let member = Uuid::parse_str(pieces.next()?).ok()?;
    let at = pieces.next().map(str::parse::<i64>).transpose().ok()?;
    if pieces.next().is_some() {
        return None;
    }
    Some((NodeKind::parse(kind), PartKey { owner, member, at }))
}

/// Like [`decode`] for an optional argument.
pub fn decode_opt(kind: NodeKind, field: &'static str, id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|id| decode(kind, field, id)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        let mut names = std::collections::HashSet::new();
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
            assert!(names.insert(kind.as_str()), "{kind} is listed twice");
            let uuid = Uuid::now_v7();
            let id = encode(kind, uuid);
            assert_eq!(id.as_str(), URL_SAFE_NO_PAD.encode(format!("{}:{uuid}", kind.as_str())));
            assert_eq!(decode_any(&id), Some((kind, uuid)));
            assert_eq!(decode(kind, "id", &id).ok(), Some(uuid));
            let key = PartKey { owner: uuid, member: Uuid::now_v7(), at: None };
            assert_eq!(decode_part(&encode_part(kind, key)), Some((Some(kind), key)));
        }
        // Results are notifications' subjects under the name the store writes.
        let result = edaibiao_infra::evaluations::RESULT_SUBJECT;
        assert_eq!(NodeKind::parse(result), Some(NodeKind::DutyEvaluationResult));
        for unknown in ["", "deputy", "Deputy ", "Inbox", "Node"] {
            assert_eq!(NodeKind::parse(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn the_kinds_are_the_types_that_implement_node() {
        let sdl = super::super::sdl();
        let mut nodes: Vec<&str> = sdl
            .lines()
            .filter_map(|line| line.strip_prefix("type ")?.strip_suffix(" implements Node {"))
            .collect();
        nodes.sort_unstable();
        let mut kinds: Vec<&str> = NodeKind::ALL.iter().map(|kind| kind.as_str()).collect();
        kinds.sort_unstable();
        assert_eq!(kinds, nodes);
    }

    #[test]
    fn round_trips_and_checks_the_type() {
        let uuid = Uuid::now_v7();
        let id = encode(NodeKind::Deputy, uuid);
        assert_eq!(id.as_str(), URL_SAFE_NO_PAD.encode(format!("Deputy:{uuid}")));
        assert_eq!(decode_any(&id), Some((NodeKind::Deputy, uuid)));
        assert_eq!(decode(NodeKind::Deputy, "id", &id).ok(), Some(uuid));
        assert!(decode(NodeKind::Congress, "id", &id).is_err());
        assert!(decode(NodeKind::Deputy, "id", &ID("garbage".into())).is_err());
        // An unknown type name is no global ID, and the error names the kind expected.
        let unknown = ID(URL_SAFE_NO_PAD.encode(format!("Deputies:{uuid}")));
        assert_eq!(decode_any(&unknown), None);
        let Err(err) = decode(NodeKind::Deputy, "deputyId", &unknown) else {
            panic!("an unknown type is refused")
        };
        assert_eq!(err.code(), super::super::error::ErrorCode::BadUserInput);
        assert!(err.message().contains("is not a Deputy ID"), "{}", err.message());
    }

    #[test]
    fn part_keys_round_trip_and_are_not_plain_ids() {
        let (suggestion, member) = (Uuid::now_v7(), Uuid::now_v7());
        for at in [None, Some(1_767_225_600_123_456), Some(-5)] {
            let key = PartKey { owner: suggestion, member, at };
            let id = encode_part(NodeKind::Answer, key);
            assert_eq!(decode_part(&id), Some((Some(NodeKind::Answer), key)));
            assert_eq!(decode_any(&id), None, "a part's ID is not a plain one");
        }
        // A plain ID is not a part's, and neither is garbage or a key with extra pieces.
        assert_eq!(decode_part(&encode(NodeKind::Deputy, suggestion)), None);
        assert_eq!(decode_part(&ID("garbage".into())), None);
        let extra = ID(URL_SAFE_NO_PAD.encode(format!("HandlingPart:{suggestion}:{member}:1:2")));
        assert_eq!(decode_part(&extra), None);
        let bad_at = ID(URL_SAFE_NO_PAD.encode(format!("Answer:{suggestion}:{member}:soon")));
        assert_eq!(decode_part(&bad_at), None);
        // A part's shape under a type name that is no kind: the key, with no kind.
        let unknown = ID(URL_SAFE_NO_PAD.encode(format!("Part:{suggestion}:{member}")));
        let key = PartKey { owner: suggestion, member, at: None };
        assert_eq!(decode_part(&unknown), Some((None, key)));
    }
}
