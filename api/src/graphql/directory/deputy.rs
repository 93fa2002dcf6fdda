use super::enums::{Gender, OccupationCategory};
use super::{Congress, DeputyGroup, LiaisonStation, ProfessionalGroup, required};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{
    CongressKey, DeputyGroupKey, DeputyKey, ExpertiseKey, LiaisonStationKey, ProfessionalGroupKey,
};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::directory::{self as dir, DeputyDraft, may_see_deputy_phone};
use edaibiao_domain::text::SearchText;
use edaibiao_infra::directory::deputies::{self, DeputyFilter as StoreFilter, DeputyLinks};

/// A people's congress deputy (人大代表). Everything but the phone number is public.
pub struct Deputy(pub deputies::Deputy);

/// A people's congress deputy (人大代表). Everything but the phone number is public.
#[Object]
impl Deputy {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Deputy, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Gender as published on the roster.
    async fn gender(&self) -> Gender {
        self.0.gender.into()
    }
    /// The congress the deputy was elected to.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
        let found = ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?;
        required(found, "congress").map(Congress)
    }
    /// Delegation or deputy group (代表团 / 代表小组).
    async fn deputy_group(&self, ctx: &Context<'_>) -> ApiResult<Option<DeputyGroup>> {
        let Some(id) = self.0.deputy_group_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyGroupKey(id)).await?.map(DeputyGroup))
    }
    /// Professional group by expertise (专业小组).
    async fn professional_group(&self, ctx: &Context<'_>) -> ApiResult<Option<ProfessionalGroup>> {
        let Some(id) = self.0.professional_group_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(ProfessionalGroupKey(id)).await?.map(ProfessionalGroup))
    }
    /// Occupation category on the roster.
    async fn occupation(&self) -> OccupationCategory {
        self.0.occupation.into()
    }
    /// Industry the deputy works in (e.g. 教育, 制造业).
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
    /// Areas of expertise, sorted.
    async fn expertise(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        Ok(ctx.loader()?.load_one(ExpertiseKey(self.0.id)).await?.unwrap_or_default())
    }
    /// The liaison station where the deputy receives the public.
    async fn liaison_station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        let Some(id) = self.0.liaison_station_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(LiaisonStationKey(id)).await?.map(LiaisonStation))
    }
    /// Public biography.
    async fn bio(&self) -> Option<&str> {
        self.0.bio.as_deref()
    }
    /// Public photo.
    async fn photo_url(&self) -> Option<&str> {
        self.0.photo_url.as_deref()
    }
    /// Private phone number: shown to the deputy, the congress's staff and admins; null for everyone else.
    async fn phone(&self, ctx: &Context<'_>) -> Option<&str> {
        may_see_deputy_phone(ctx.actor_opt(), self.0.id, self.0.congress_id)
            .then_some(self.0.phone.as_deref())
            .flatten()
    }
    /// When the profile was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Roster filters (履职资源分类名册); all given filters must match.
#[derive(InputObject, Default)]
pub struct DeputyFilter {
    /// Deputies of this congress.
    pub congress_id: Option<ID>,
    /// Members of this delegation or deputy group.
    pub deputy_group_id: Option<ID>,
    /// Members of this professional group.
    pub professional_group_id: Option<ID>,
    /// Deputies who receive the public at this station.
    pub liaison_station_id: Option<ID>,
    /// Deputies of this occupation category.
    pub occupation: Option<OccupationCategory>,
    /// Exact industry.
    pub industry: Option<String>,
    /// One expertise tag the deputy has.
    pub expertise: Option<String>,
    /// Part of the name.
    pub name_contains: Option<String>,
}

impl DeputyFilter {
    fn to_store(&self) -> ApiResult<StoreFilter> {
        let exact = |field, s: &Option<String>| -> ApiResult<Option<String>> {
            Ok(SearchText::parse(field, s.as_deref())?.map(SearchText::into_string))
        };
        let links = links(&self.deputy_group_id, &self.professional_group_id, &self.liaison_station_id)?;
        Ok(StoreFilter {
            congress_id: ids::decode_opt(NodeKind::Congress, "congressId", self.congress_id.as_ref())?,
            deputy_group_id: links.deputy_group_id,
            professional_group_id: links.professional_group_id,
            liaison_station_id: links.liaison_station_id,
            occupation: self.occupation.map(Into::into),
            industry: exact("industry", &self.industry)?,
            expertise: exact("expertise", &self.expertise)?,
            name_contains: SearchText::parse("nameContains", self.name_contains.as_deref())?,
        })
    }
}

/// Reads the global IDs of a deputy's group, professional group and station.
fn links(group: &Option<ID>, professional: &Option<ID>, station: &Option<ID>) -> ApiResult<DeputyLinks> {
    Ok(DeputyLinks {
        deputy_group_id: ids::decode_opt(NodeKind::DeputyGroup, "deputyGroupId", group.as_ref())?,
        professional_group_id: ids::decode_opt(
            NodeKind::ProfessionalGroup,
            "professionalGroupId",
            professional.as_ref(),
        )?,
        liaison_station_id: ids::decode_opt(NodeKind::LiaisonStation, "liaisonStationId", station.as_ref())?,
    })
}

/// A deputy profile as staff enter it. Saving replaces the whole profile.
#[derive(InputObject)]
pub struct DeputyInput {
    /// Full name, 1–50 characters.
    pub name: String,
    /// Gender as published on the roster.
    pub gender: Gender,
    /// Occupation category on the roster.
    pub occupation: OccupationCategory,
    /// Industry, up to 50 characters.
    pub industry: Option<String>,
    /// Up to 10 expertise tags of 1–20 characters.
    #[graphql(default)]
    pub expertise: Vec<String>,
    /// Public biography, up to 2,000 characters.
    pub bio: Option<String>,
    /// http(s) URL of a photo.
    pub photo_url: Option<String>,
    /// Private mobile number.
    pub phone: Option<String>,
    /// A delegation or deputy group of the same congress.
    pub deputy_group_id: Option<ID>,
    /// A professional group of the same congress.
    pub professional_group_id: Option<ID>,
    /// A liaison station of the same congress.
    pub liaison_station_id: Option<ID>,
}

impl DeputyInput {
    fn parse(&self) -> ApiResult<(DeputyDraft, DeputyLinks)> {
        let input = dir::DeputyInput {
            name: &self.name,
            occupation_industry: self.industry.as_deref(),
            expertise: &self.expertise,
            bio: self.bio.as_deref(),
            photo_url: self.photo_url.as_deref(),
            phone: self.phone.as_deref(),
        };
        let draft = DeputyDraft::parse(&input, self.gender.into(), self.occupation.into())?;
        let links = links(&self.deputy_group_id, &self.professional_group_id, &self.liaison_station_id)?;
        Ok((draft, links))
    }
}

#[derive(Default)]
pub struct DeputyQuery;

#[Object]
impl DeputyQuery {
    /// The deputy roster, filtered; newest first is not promised, order is stable across pages.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn deputies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those matching every given filter.")] filter: Option<DeputyFilter>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Deputy>> {
        let request = page_request(first, after)?;
        let filter = filter.unwrap_or_default().to_store()?;
        let page = deputies::search(&ctx.services()?.store, &filter, request).await?;
        Ok(connection(page, request, |m| m.id, Deputy))
    }

    /// One deputy.
    async fn deputy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] id: ID,
    ) -> ApiResult<Option<Deputy>> {
        let id = ids::decode(NodeKind::Deputy, "id", &id)?;
        Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
    }
}

#[derive(Default)]
pub struct DeputyMutation;

#[Object]
impl DeputyMutation {
    /// Adds a deputy to a congress. Staff of that congress or an admin.
    async fn create_deputy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress to add the deputy to.")] congress_id: ID,
        #[graphql(desc = "The details, as `DeputyInput` describes them.")] input: DeputyInput,
    ) -> ApiResult<Deputy> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let (draft, links) = input.parse()?;
        Ok(Deputy(deputies::create(&ctx.services()?.store, actor, congress_id, draft, links).await?))
    }

    /// Replaces a deputy's profile. Staff of the deputy's congress or an admin.
    async fn update_deputy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] id: ID,
        #[graphql(desc = "The details, as `DeputyInput` describes them.")] input: DeputyInput,
    ) -> ApiResult<Deputy> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Deputy, "id", &id)?;
        let (draft, links) = input.parse()?;
        Ok(Deputy(deputies::update(&ctx.services()?.store, actor, id, draft, links).await?))
    }
}
