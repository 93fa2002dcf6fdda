//! Records known by a name within a congress: deputy groups, committees, handling units, and professional
//! groups (which also link to a committee).

use super::{Congress, Deputy, required};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CommitteeKey, CommitteeMembersKey, CongressKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, MergedObject, Object};
use edaibiao_domain::directory::NamedDraft;
use edaibiao_domain::text::SearchText;
use edaibiao_infra::directory::named::{self, NamedFilter};
use uuid::Uuid;

/// A name and an optional description.
#[derive(InputObject)]
pub struct NamedInput {
    /// 1–100 characters.
    pub name: String,
    /// Up to 2,000 characters.
    pub description: Option<String>,
}

impl NamedInput {
    fn draft(&self) -> ApiResult<NamedDraft> {
        Ok(NamedDraft::parse(&self.name, self.description.as_deref())?)
    }
}

fn filter(congress_id: Option<ID>, name_contains: Option<String>) -> ApiResult<NamedFilter> {
    Ok(NamedFilter {
        congress_id: ids::decode_opt(NodeKind::Congress, "congressId", congress_id.as_ref())?,
        name_contains: SearchText::parse("nameContains", name_contains.as_deref())?,
    })
}

async fn congress_of(ctx: &Context<'_>, id: Uuid) -> ApiResult<Congress> {
    required(ctx.loader()?.load_one(CongressKey(id)).await?, "congress").map(Congress)
}

macro_rules! named_type {
    (
        $(#[$doc:meta])* $type:ident, $store:ident,
        $query:ident, $mutation:ident, $list:ident, $create:ident, $update:ident
    ) => {
        $(#[$doc])*
        pub struct $type(pub named::$type);

        $(#[$doc])*
        #[Object]
        impl $type {
            /// Global ID.
            pub async fn id(&self) -> ID {
                ids::encode(NodeKind::$type, self.0.id)
            }
            /// Name.
            async fn name(&self) -> &str {
                &self.0.name
            }
            /// What it is about.
            async fn description(&self) -> Option<&str> {
                self.0.description.as_deref()
            }
            /// The congress it belongs to.
            async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
                congress_of(ctx, self.0.congress_id).await
            }
        }

        #[derive(Default)]
        pub struct $query;

        #[Object]
        impl $query {
            /// A page, optionally of one congress and by part of the name.
            #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
            async fn $list(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "Only those of this congress (its global ID).")] congress_id: Option<ID>,
                #[graphql(desc = "Only those whose name contains this text.")] name_contains: Option<String>,
                #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
                #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
            ) -> ApiResult<Conn<$type>> {
                let request = page_request(first, after)?;
                let filter = filter(congress_id, name_contains)?;
                let page = named::$store::list(&ctx.services()?.store, &filter, request).await?;
                Ok(connection(page, request, |m| m.id, $type))
            }
        }

        #[derive(Default)]
        pub struct $mutation;

        #[Object]
        impl $mutation {
            /// Creates one in a congress. Staff of that congress or an admin.
            async fn $create(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "Global ID of the congress to create it in.")] congress_id: ID,
                #[graphql(desc = "The details, as `NamedInput` describes them.")] input: NamedInput,
            ) -> ApiResult<$type> {
                let actor = ctx.actor()?;
                let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
                Ok($type(named::$store::create(&ctx.services()?.store, actor, congress_id, input.draft()?).await?))
            }

            /// Replaces name and description.
            async fn $update(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "Its global ID.")] id: ID,
                #[graphql(desc = "The details, as `NamedInput` describes them.")] input: NamedInput,
            ) -> ApiResult<$type> {
                let actor = ctx.actor()?;
                let id = ids::decode(NodeKind::$type, "id", &id)?;
                Ok($type(named::$store::update(&ctx.services()?.store, actor, id, input.draft()?).await?))
            }
        }
    };
}

named_type!(
    /// A delegation or deputy group (代表团 / 代表小组).
    DeputyGroup, deputy_groups,
    DeputyGroupQuery, DeputyGroupMutation, deputy_groups, create_deputy_group, update_deputy_group
);
named_type!(
    /// A government department or body that handles suggestions (承办单位).
    HandlingUnit, handling_units,
    HandlingUnitQuery, HandlingUnitMutation, handling_units, create_handling_unit, update_handling_unit
);

/// A congress committee (专门委员会 / 工作委员会) and the deputies it keeps in touch with (对口联系).
pub struct Committee(pub named::Committee);

/// A congress committee (专门委员会 / 工作委员会) and the deputies it keeps in touch with (对口联系).
#[Object]
impl Committee {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Committee, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it is about.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The congress it belongs to.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
        congress_of(ctx, self.0.congress_id).await
    }
    /// Deputies linked to this committee (对口联系代表).
    async fn linked_deputies(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        let loader = ctx.loader()?;
        let ids = loader.load_one(CommitteeMembersKey(self.0.id)).await?.unwrap_or_default();
        Ok(loader.deputies_in_order(&ids).await?.into_iter().map(Deputy).collect())
    }
}

#[derive(Default)]
pub struct CommitteeQuery;

#[Object]
impl CommitteeQuery {
    /// Committees, optionally of one congress and by part of the name.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn committees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those of this congress (its global ID).")] congress_id: Option<ID>,
        #[graphql(desc = "Only those whose name contains this text.")] name_contains: Option<String>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Committee>> {
        let request = page_request(first, after)?;
        let filter = filter(congress_id, name_contains)?;
        let page = named::committees::list(&ctx.services()?.store, &filter, request).await?;
        Ok(connection(page, request, |m| m.id, Committee))
    }
}

#[derive(Default)]
pub struct CommitteeMutation;

#[Object]
impl CommitteeMutation {
    /// Creates a committee in a congress. Staff of that congress or an admin.
    async fn create_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress to create it in.")] congress_id: ID,
        #[graphql(desc = "The details, as `NamedInput` describes them.")] input: NamedInput,
    ) -> ApiResult<Committee> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        Ok(Committee(
            named::committees::create(&ctx.services()?.store, actor, congress_id, input.draft()?).await?,
        ))
    }

    /// Replaces a committee's name and description.
    async fn update_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the committee.")] id: ID,
        #[graphql(desc = "The details, as `NamedInput` describes them.")] input: NamedInput,
    ) -> ApiResult<Committee> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Committee, "id", &id)?;
        Ok(Committee(named::committees::update(&ctx.services()?.store, actor, id, input.draft()?).await?))
    }

    /// Links a deputy of the same congress to a committee (对口联系); linking twice changes nothing.
    async fn link_deputy_to_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the committee.")] committee_id: ID,
        #[graphql(desc = "Global ID of the deputy to link, of the committee's congress.")] deputy_id: ID,
    ) -> ApiResult<Committee> {
        set_link(ctx, committee_id, deputy_id, true).await
    }

    /// Removes a deputy's link to a committee; unlinking twice changes nothing.
    async fn unlink_deputy_from_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the committee.")] committee_id: ID,
        #[graphql(desc = "Global ID of the deputy to unlink.")] deputy_id: ID,
    ) -> ApiResult<Committee> {
        set_link(ctx, committee_id, deputy_id, false).await
    }
}

async fn set_link(ctx: &Context<'_>, committee_id: ID, deputy_id: ID, linked: bool) -> ApiResult<Committee> {
    let actor = ctx.actor()?;
    let committee_id = ids::decode(NodeKind::Committee, "committeeId", &committee_id)?;
    let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
    let committee =
        named::set_committee_link(&ctx.services()?.store, actor, committee_id, deputy_id, linked).await?;
    Ok(Committee(committee))
}

/// Deputies grouped by expertise (专业小组), optionally linked to a committee.
pub struct ProfessionalGroup(pub named::ProfessionalGroup);

/// Deputies grouped by expertise (专业小组), optionally linked to a committee.
#[Object]
impl ProfessionalGroup {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProfessionalGroup, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The congress it belongs to.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
        congress_of(ctx, self.0.congress_id).await
    }
    /// The committee the group works with.
    async fn committee(&self, ctx: &Context<'_>) -> ApiResult<Option<Committee>> {
        let Some(id) = self.0.committee_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(CommitteeKey(id)).await?.map(Committee))
    }
}

/// A professional group as staff enter it.
#[derive(InputObject)]
pub struct ProfessionalGroupInput {
    /// 1–100 characters.
    pub name: String,
    /// A committee of the same congress.
    pub committee_id: Option<ID>,
}

impl ProfessionalGroupInput {
    fn parse(&self) -> ApiResult<(NamedDraft, Option<Uuid>)> {
        let committee_id = ids::decode_opt(NodeKind::Committee, "committeeId", self.committee_id.as_ref())?;
        Ok((NamedDraft::parse(&self.name, None)?, committee_id))
    }
}

#[derive(Default)]
pub struct ProfessionalGroupQuery;

#[Object]
impl ProfessionalGroupQuery {
    /// Professional groups, optionally of one congress and by part of the name.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn professional_groups(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those of this congress (its global ID).")] congress_id: Option<ID>,
        #[graphql(desc = "Only those whose name contains this text.")] name_contains: Option<String>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<ProfessionalGroup>> {
        let request = page_request(first, after)?;
        let filter = filter(congress_id, name_contains)?;
        let page = named::professional_groups::list(&ctx.services()?.store, &filter, request).await?;
        Ok(connection(page, request, |m| m.id, ProfessionalGroup))
    }
}

#[derive(Default)]
pub struct ProfessionalGroupMutation;

#[Object]
impl ProfessionalGroupMutation {
    /// Creates a professional group in a congress. Staff of that congress or an admin.
    async fn create_professional_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress to create it in.")] congress_id: ID,
        #[graphql(desc = "The details, as `ProfessionalGroupInput` describes them.")]
        input: ProfessionalGroupInput,
    ) -> ApiResult<ProfessionalGroup> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let (name, committee_id) = input.parse()?;
        let created = named::professional_groups::create(
            &ctx.services()?.store,
            actor,
            congress_id,
            name,
            committee_id,
        )
        .await?;
        Ok(ProfessionalGroup(created))
    }

    /// Replaces a professional group's name and committee.
    async fn update_professional_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the professional group.")] id: ID,
        #[graphql(desc = "The details, as `ProfessionalGroupInput` describes them.")]
        input: ProfessionalGroupInput,
    ) -> ApiResult<ProfessionalGroup> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::ProfessionalGroup, "id", &id)?;
        let (name, committee_id) = input.parse()?;
        let updated =
            named::professional_groups::update(&ctx.services()?.store, actor, id, name, committee_id).await?;
        Ok(ProfessionalGroup(updated))
    }
}

#[derive(MergedObject, Default)]
pub struct GroupQuery(DeputyGroupQuery, HandlingUnitQuery, CommitteeQuery, ProfessionalGroupQuery);

#[derive(MergedObject, Default)]
pub struct GroupMutation(
    DeputyGroupMutation,
    HandlingUnitMutation,
    CommitteeMutation,
    ProfessionalGroupMutation,
);
