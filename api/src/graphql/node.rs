//! The Relay `Node` interface: anything with a global ID can be fetched by `node(id)`.

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
    Committee(Committee),
    Congress(Congress),
    Deputy(Deputy),
    DeputyGroup(DeputyGroup),
    DutyEntry(Box<super::duty::DutyEntry>),
    DutyEvaluation(Box<super::evaluation::DutyEvaluation>),
    DutyEvaluationResult(Box<super::evaluation::DutyEvaluationResult>),
    HandlingUnit(HandlingUnit),
    LiaisonStation(LiaisonStation),
    ProfessionalGroup(ProfessionalGroup),
    Opinion(Box<super::opinion::Opinion>),
    ReceptionDay(ReceptionDay),
    ReceptionRecord(Box<super::opinion::ReceptionRecord>),
    Suggestion(Box<Suggestion>),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global ID. Accounts are visible only to their holder and admins;
    /// suggestions only to those who may see them (null otherwise).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as any object's `id` gives it.")] id: ID,
    ) -> ApiResult<Option<Node>> {
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
            super::evaluation::KIND | super::evaluation::RESULT_KIND => {
                super::evaluation::node(ctx, &kind, uuid).await?
            }
            super::activity::KIND => super::activity::node(ctx, uuid).await?,
            super::duty::DUTY_ENTRY => {
                super::duty::entry_node(ctx, uuid).await?.map(|e| Node::DutyEntry(Box::new(e)))
            }
            super::opinion::KIND | super::opinion::RECEPTION_RECORD_KIND => {
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
