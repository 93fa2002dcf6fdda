//! The Relay `Node` interface: anything with a global ID can be fetched by `node(id)`, with the same
//! authorisation as the list or field it normally comes from; what the caller may not see is null.

use super::account::{self, Account};
use super::directory::{
    COMMITTEE, CONGRESS, Committee, Congress, DEPUTY, DEPUTY_GROUP, Deputy, DeputyGroup, HANDLING_UNIT,
    HandlingUnit, LIAISON_STATION, LiaisonStation, PROFESSIONAL_GROUP, ProfessionalGroup, RECEPTION_DAY,
    ReceptionDay, ReceptionDayKey,
};
use super::error::{ApiError, ApiResult};
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
    CoSigner(Box<suggestion::CoSigner>),
    Committee(Committee),
    Congress(Congress),
    Deputy(Deputy),
    DeputyGroup(DeputyGroup),
    DutyEntry(Box<super::duty::DutyEntry>),
    DutyEvaluation(Box<super::evaluation::DutyEvaluation>),
    DutyEvaluationResult(Box<super::evaluation::DutyEvaluationResult>),
    DutyQuota(Box<super::duty::DutyQuota>),
    GroupAssessment(Box<super::evaluation::GroupAssessment>),
    HandlingPart(Box<suggestion::HandlingPart>),
    HandlingUnit(HandlingUnit),
    LiaisonStation(LiaisonStation),
    Notification(Box<super::notification::Notification>),
    Opinion(Box<super::opinion::Opinion>),
    OpinionStep(Box<super::opinion::OpinionStep>),
    PointRule(Box<super::duty::PointRule>),
    ProfessionalGroup(ProfessionalGroup),
    ReceptionDay(ReceptionDay),
    ReceptionRecord(Box<super::opinion::ReceptionRecord>),
    RectificationReport(Box<super::evaluation::RectificationReport>),
    ReminderTalk(Box<super::evaluation::ReminderTalk>),
    Suggestion(Box<Suggestion>),
    TimelineEvent(Box<suggestion::TimelineEvent>),
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
    /// reminder talks for staff. Appraisals as `appraisal` shows them (a published one to anyone, signed in
    /// or not), their items to those who see the appraisal's every step.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as any object's `id` gives it.")] id: ID,
    ) -> ApiResult<Option<Node>> {
        if let Some((kind, uuid)) = ids::decode_any(&id)
            && (kind == super::appraisal::KIND || kind == super::appraisal::ITEM_KIND)
        {
            // Published appraisals are public: no sign-in needed.
            return super::appraisal::node(ctx, &kind, uuid).await;
        }
        if let Some((kind, key)) = ids::decode_part(&id) {
            if kind == super::activity::PARTICIPANT_KIND {
                return super::activity::participant_node(ctx, key).await;
            }
            return suggestion::part_node(ctx, &kind, key).await;
        }
        let (kind, uuid) =
            ids::decode_any(&id).ok_or_else(|| ApiError::bad_input("id", "is not a global ID"))?;
        let loader = ctx.loader()?;
        let node = match kind.as_str() {
            CONGRESS => loader.load_one(CongressKey(uuid)).await?.map(|m| Node::Congress(Congress(m))),
            DEPUTY => loader.load_one(DeputyKey(uuid)).await?.map(|m| Node::Deputy(Deputy(m))),
            DEPUTY_GROUP => {
                loader.load_one(DeputyGroupKey(uuid)).await?.map(|m| Node::DeputyGroup(DeputyGroup(m)))
            }
            COMMITTEE => loader.load_one(CommitteeKey(uuid)).await?.map(|m| Node::Committee(Committee(m))),
            HANDLING_UNIT => {
                loader.load_one(HandlingUnitKey(uuid)).await?.map(|m| Node::HandlingUnit(HandlingUnit(m)))
            }
            LIAISON_STATION => loader
                .load_one(LiaisonStationKey(uuid))
                .await?
                .map(|m| Node::LiaisonStation(LiaisonStation(m))),
            PROFESSIONAL_GROUP => loader
                .load_one(ProfessionalGroupKey(uuid))
                .await?
                .map(|m| Node::ProfessionalGroup(ProfessionalGroup(m))),
            RECEPTION_DAY => {
                loader.load_one(ReceptionDayKey(uuid)).await?.map(|m| Node::ReceptionDay(ReceptionDay(m)))
            }
            super::evaluation::KIND
            | super::evaluation::RESULT_KIND
            | super::evaluation::GROUP_ASSESSMENT_KIND
            | super::evaluation::RECTIFICATION_KIND
            | super::evaluation::REMINDER_TALK_KIND => super::evaluation::node(ctx, &kind, uuid).await?,
            super::activity::KIND => super::activity::node(ctx, uuid).await?,
            super::duty::DUTY_ENTRY => {
                super::duty::entry_node(ctx, uuid).await?.map(|e| Node::DutyEntry(Box::new(e)))
            }
            super::duty::DUTY_QUOTA => {
                super::duty::quota_node(ctx, uuid).await?.map(|q| Node::DutyQuota(Box::new(q)))
            }
            super::duty::POINT_RULE => {
                super::duty::point_rule_node(ctx, uuid).await?.map(|r| Node::PointRule(Box::new(r)))
            }
            super::notification::KIND => {
                super::notification::node(ctx, uuid).await?.map(|n| Node::Notification(Box::new(n)))
            }
            suggestion::TIMELINE_EVENT_KIND => {
                suggestion::timeline_event_node(ctx, uuid).await?.map(|e| Node::TimelineEvent(Box::new(e)))
            }
            super::opinion::KIND | super::opinion::RECEPTION_RECORD_KIND | super::opinion::STEP_KIND => {
                super::opinion::node(ctx, &kind, uuid).await?
            }
            suggestion::KIND => {
                let actor = ctx.actor()?;
                let found = store_suggestions::find_for(&ctx.services()?.store, actor, uuid).await;
                match found {
                    Ok(s) => Some(Node::Suggestion(Box::new(Suggestion(s)))),
                    Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => None,
                    Err(other) => return Err(other.into()),
                }
            }
            account::KIND => {
                let actor = ctx.actor()?;
                if actor.user_id != uuid && !actor.is_admin() {
                    return Err(edaibiao_domain::DomainError::forbidden(
                        "only the holder or an admin sees an account",
                    )
                    .into());
                }
                Some(Node::Account(Account::new(store_accounts::find(&ctx.services()?.store, uuid).await?)))
            }
            _ => return Err(ApiError::bad_input("id", "is not a global ID")),
        };
        Ok(node)
    }
}
