//! The Relay `Node` interface: anything with a global ID can be fetched by `node(id)`, with the same
//! authorisation as the list or field it normally comes from; what the caller may not see is null.

use super::account::Account;
use super::directory::{
    Committee, Congress, Deputy, DeputyGroup, HandlingUnit, LiaisonStation, ProfessionalGroup, ReceptionDay,
    ReceptionDayKey,
};
use super::error::{ApiError, ApiResult};
use super::ids::NodeKind;
use super::loaders::{
    CommitteeKey, CongressKey, DeputyGroupKey, DeputyKey, HandlingUnitKey, LiaisonStationKey,
    ProfessionalGroupKey,
};
use super::suggestion::{self, Suggestion};
use super::{ContextExt, ids};
use async_graphql::{Context, ID, Interface, Object};
use edaibiao_infra::accounts as store_accounts;
use edaibiao_infra::suggestions as store_suggestions;

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID, unique across all types."))]
pub enum Node {
    Account(Account),
    Activity(Box<super::activity::Activity>),
    ActivityParticipant(Box<super::activity::ActivityParticipant>),
    Answer(Box<suggestion::Answer>),
    Appraisal(Box<super::appraisal::Appraisal>),
    AppraisalItem(Box<super::appraisal::AppraisalItem>),
    AppraisalFinding(Box<super::appraisal::AppraisalFinding>),
    AppraisalChoice(Box<super::appraisal::AppraisalChoice>),
    AppraisalCandidate(Box<super::appraisal::AppraisalCandidate>),
    Attachment(Box<super::attachment::Attachment>),
    Bill(Box<super::bill::Bill>),
    CoSigner(Box<suggestion::CoSigner>),
    Committee(Committee),
    Congress(Congress),
    Deputy(Deputy),
    DeputyGroup(DeputyGroup),
    DeputyReport(Box<super::deputy_report::DeputyReport>),
    Document(Box<super::learning::Document>),
    DraftArticle(Box<super::legislation::DraftArticle>),
    DraftComment(Box<super::legislation::DraftComment>),
    DraftLaw(Box<super::legislation::DraftLaw>),
    DutyEntry(Box<super::duty::DutyEntry>),
    DutyEvaluation(Box<super::evaluation::DutyEvaluation>),
    DutyEvaluationResult(Box<super::evaluation::DutyEvaluationResult>),
    DutyQuota(Box<super::duty::DutyQuota>),
    GroupAssessment(Box<super::evaluation::GroupAssessment>),
    HandlingPart(Box<suggestion::HandlingPart>),
    HandlingUnit(HandlingUnit),
    LearningMaterial(Box<super::learning::LearningMaterial>),
    LegislativeCall(Box<super::legislation::LegislativeCall>),
    LegislativeProposal(Box<super::legislation::LegislativeProposal>),
    LiaisonStation(LiaisonStation),
    LivelihoodProject(Box<super::project::LivelihoodProject>),
    Milestone(Box<super::project::Milestone>),
    ModerationItem(Box<super::moderation::ModerationItem>),
    NewsItem(Box<super::learning::NewsItem>),
    Notification(Box<super::notification::Notification>),
    Opinion(Box<super::opinion::Opinion>),
    OpinionStep(Box<super::opinion::OpinionStep>),
    PointRule(Box<super::duty::PointRule>),
    ProfessionalGroup(ProfessionalGroup),
    ProgressReport(Box<super::project::ProgressReport>),
    ProjectCandidate(Box<super::project::ProjectCandidate>),
    ProjectInspection(Box<super::project::ProjectInspection>),
    ProjectQuestion(Box<super::project::ProjectQuestion>),
    ProjectRound(Box<super::project::ProjectRound>),
    ReceptionDay(ReceptionDay),
    ReceptionRecord(Box<super::opinion::ReceptionRecord>),
    RectificationReport(Box<super::evaluation::RectificationReport>),
    ReminderTalk(Box<super::evaluation::ReminderTalk>),
    Suggestion(Box<Suggestion>),
    TimelineEvent(Box<suggestion::TimelineEvent>),
    EvaluationItem(Box<super::evaluation::scheme::EvaluationItem>),
    DeputyContact(Box<super::contact::DeputyContact>),
    Selection(Box<super::selection::Selection>),
    SelectionCandidate(Box<super::selection::SelectionCandidate>),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global ID, as the list or field it comes from shows it to the viewer.
    /// Accounts are visible only to their holder and admins, evaluations to staff of the congress and (once
    /// published) its deputies, results to staff and (once published) the deputy concerned: FORBIDDEN
    /// otherwise. Anything else the viewer may not see is null: suggestions and their timeline events,
    /// co-signers, units' parts and answers for those who may see the suggestion; notifications for their
    /// recipient; quotas and point rules for the congress's staff and deputies; activities and their
    /// participants for the congress's staff and deputies (a leave reason only for staff and the deputy
    /// concerned); a rectification report for those who may read its result; group assessments and
    /// reminder talks for staff; a scheme's items to whoever may read the evaluation; livelihood project rounds, candidates, questions, projects, milestones,
    /// progress reports and inspections as `projectRound` and `livelihoodProject` show them (to anonymous
    /// viewers too, once public). Appraisals as `appraisal` shows them (a published one to anyone, signed in
    /// or not), their items to those who see the appraisal's every step; votes on whom to appraise and their
    /// candidates to staff and deputies of the congress. Legislative calls, draft laws, their articles and
    /// comments to anyone (a comment's commenter to staff only); a legislative proposal to staff of the
    /// congress and its proposer. Learning materials to staff of the congress and the deputies of their
    /// audience; news items to the congress's staff and deputies; documents to them, and a public one to
    /// anyone (signed in or not). An attachment to whoever sees the item it belongs to.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as any object's `id` gives it.")] id: ID,
    ) -> ApiResult<Option<Node>> {
        if let Some((kind, uuid)) = ids::decode_any(&id)
            && matches!(kind, NodeKind::Appraisal | NodeKind::AppraisalItem | NodeKind::AppraisalFinding)
        {
            // Published appraisals are public: no sign-in needed.
            return super::appraisal::node(ctx, kind, uuid).await;
        }
        if let Some((kind, uuid)) = ids::decode_any(&id)
            && kind == NodeKind::Attachment
        {
            // An attachment is seen by whoever sees its item, some of which are public.
            return Ok(super::attachment::node(ctx, uuid).await?.map(|a| Node::Attachment(Box::new(a))));
        }
        if let Some((kind, uuid)) = ids::decode_any(&id)
            && kind == NodeKind::Document
        {
            // A public document is readable by anyone: no sign-in needed.
            return super::learning::node(ctx, kind, uuid).await;
        }
        if let Some((kind, uuid)) = ids::decode_any(&id)
            && matches!(
                kind,
                NodeKind::LegislativeCall
                    | NodeKind::LegislativeProposal
                    | NodeKind::DraftLaw
                    | NodeKind::DraftArticle
                    | NodeKind::DraftComment
            )
        {
            // Calls, drafts, their articles and comments are public: no sign-in needed.
            return super::legislation::node(ctx, kind, uuid).await;
        }
        if let Some((kind, key)) = ids::decode_part(&id) {
            if kind == Some(NodeKind::ActivityParticipant) {
                return super::activity::participant_node(ctx, key).await;
            }
            return suggestion::part_node(ctx, kind, key).await;
        }
        let (kind, uuid) =
            ids::decode_any(&id).ok_or_else(|| ApiError::bad_input("id", "is not a global ID"))?;
        let loader = ctx.loader()?;
        let node = match kind {
            NodeKind::Congress => {
                loader.load_one(CongressKey(uuid)).await?.map(|m| Node::Congress(Congress(m)))
            }
            NodeKind::Deputy => loader.load_one(DeputyKey(uuid)).await?.map(|m| Node::Deputy(Deputy(m))),
            NodeKind::DeputyGroup => {
                loader.load_one(DeputyGroupKey(uuid)).await?.map(|m| Node::DeputyGroup(DeputyGroup(m)))
            }
            NodeKind::Committee => {
                loader.load_one(CommitteeKey(uuid)).await?.map(|m| Node::Committee(Committee(m)))
            }
            NodeKind::HandlingUnit => {
                loader.load_one(HandlingUnitKey(uuid)).await?.map(|m| Node::HandlingUnit(HandlingUnit(m)))
            }
            NodeKind::LiaisonStation => loader
                .load_one(LiaisonStationKey(uuid))
                .await?
                .map(|m| Node::LiaisonStation(LiaisonStation(m))),
            NodeKind::ProfessionalGroup => loader
                .load_one(ProfessionalGroupKey(uuid))
                .await?
                .map(|m| Node::ProfessionalGroup(ProfessionalGroup(m))),
            NodeKind::ReceptionDay => {
                loader.load_one(ReceptionDayKey(uuid)).await?.map(|m| Node::ReceptionDay(ReceptionDay(m)))
            }
            NodeKind::DutyEvaluation
            | NodeKind::DutyEvaluationResult
            | NodeKind::GroupAssessment
            | NodeKind::RectificationReport
            | NodeKind::ReminderTalk
            | NodeKind::EvaluationItem => super::evaluation::node(ctx, kind, uuid).await?,
            NodeKind::Activity => super::activity::node(ctx, uuid).await?,
            NodeKind::Appraisal
            | NodeKind::AppraisalItem
            | NodeKind::AppraisalFinding
            | NodeKind::AppraisalChoice
            | NodeKind::AppraisalCandidate => super::appraisal::node(ctx, kind, uuid).await?,
            NodeKind::Bill => super::bill::node(ctx, uuid).await?,
            NodeKind::DeputyContact => {
                super::contact::node(ctx, uuid).await?.map(|c| Node::DeputyContact(Box::new(c)))
            }
            NodeKind::DeputyReport => {
                super::deputy_report::node(ctx, uuid).await?.map(|r| Node::DeputyReport(Box::new(r)))
            }
            NodeKind::ProjectRound
            | NodeKind::ProjectCandidate
            | NodeKind::ProjectQuestion
            | NodeKind::LivelihoodProject
            | NodeKind::Milestone
            | NodeKind::ProgressReport
            | NodeKind::ProjectInspection => super::project::node(ctx, kind, uuid).await?,
            NodeKind::DutyEntry => {
                super::duty::entry_node(ctx, uuid).await?.map(|e| Node::DutyEntry(Box::new(e)))
            }
            NodeKind::DutyQuota => {
                super::duty::quota_node(ctx, uuid).await?.map(|q| Node::DutyQuota(Box::new(q)))
            }
            NodeKind::PointRule => {
                super::duty::point_rule_node(ctx, uuid).await?.map(|r| Node::PointRule(Box::new(r)))
            }
            NodeKind::ModerationItem => super::moderation::node(ctx, uuid).await?,
            NodeKind::Notification => {
                super::notification::node(ctx, uuid).await?.map(|n| Node::Notification(Box::new(n)))
            }
            NodeKind::TimelineEvent => {
                suggestion::timeline_event_node(ctx, uuid).await?.map(|e| Node::TimelineEvent(Box::new(e)))
            }
            NodeKind::LegislativeCall
            | NodeKind::LegislativeProposal
            | NodeKind::DraftLaw
            | NodeKind::DraftArticle
            | NodeKind::DraftComment => super::legislation::node(ctx, kind, uuid).await?,
            NodeKind::LearningMaterial | NodeKind::NewsItem | NodeKind::Document => {
                super::learning::node(ctx, kind, uuid).await?
            }
            NodeKind::Selection | NodeKind::SelectionCandidate => {
                super::selection::node(ctx, kind, uuid).await?
            }
            NodeKind::Attachment => {
                super::attachment::node(ctx, uuid).await?.map(|a| Node::Attachment(Box::new(a)))
            }
            NodeKind::Opinion | NodeKind::ReceptionRecord | NodeKind::OpinionStep => {
                super::opinion::node(ctx, kind, uuid).await?
            }
            NodeKind::Suggestion => {
                let actor = ctx.actor()?;
                let found = store_suggestions::find_for(&ctx.services()?.store, actor, uuid).await;
                match found {
                    Ok(s) => Some(Node::Suggestion(Box::new(Suggestion(s)))),
                    Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => None,
                    Err(other) => return Err(other.into()),
                }
            }
            NodeKind::Account => {
                let actor = ctx.actor()?;
                if actor.user_id != uuid && !actor.is_admin() {
                    return Err(edaibiao_domain::DomainError::forbidden(
                        "only the holder or an admin sees an account",
                    )
                    .into());
                }
                Some(Node::Account(Account::new(store_accounts::find(&ctx.services()?.store, uuid).await?)))
            }
            // Parts are keyed by a pair (see `ids::PartKey`), never by a UUID of their own.
            NodeKind::ActivityParticipant
            | NodeKind::CoSigner
            | NodeKind::HandlingPart
            | NodeKind::Answer => {
                return Err(ApiError::bad_input("id", "is not a global ID"));
            }
        };
        Ok(node)
    }
}
