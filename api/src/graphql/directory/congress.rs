use super::enums::CongressLevel;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::directory::CongressDraft;
use edaibiao_infra::directory::{self as store, congresses};

/// A people's congress: one level, one region, one term (e.g. 示例市第十七届人民代表大会).
pub struct Congress(pub store::Congress);

/// A people's congress: one level, one region, one term (e.g. 示例市第十七届人民代表大会).
#[Object]
impl Congress {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Congress, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Level of the congress.
    async fn level(&self) -> CongressLevel {
        self.0.level.into()
    }
    /// The administrative region it represents.
    async fn region(&self) -> &str {
        &self.0.region
    }
    /// Ordinal of the term (届), e.g. 17.
    async fn term(&self) -> i32 {
        self.0.term.get()
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A congress as staff enter it.
#[derive(InputObject)]
pub struct CongressInput {
    /// Full name, 1–100 characters.
    pub name: String,
    /// Level of the congress.
    pub level: CongressLevel,
    /// Region, 1–100 characters.
    pub region: String,
    /// Term ordinal, 1–99.
    pub term: i32,
}

impl CongressInput {
    fn draft(&self) -> ApiResult<CongressDraft> {
        Ok(CongressDraft::parse(&self.name, self.level.into(), &self.region, self.term)?)
    }
}

#[derive(Default)]
pub struct CongressQuery;

#[Object]
impl CongressQuery {
    /// Congresses, optionally of one level.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn congresses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only congresses of this level.")] level: Option<CongressLevel>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Congress>> {
        let request = page_request(first, after)?;
        let level = level.map(Into::into);
        let page = congresses::list(&ctx.services()?.store, level, request).await?;
        Ok(connection(page, request, |m| m.id, Congress))
    }
}

#[derive(Default)]
pub struct CongressMutation;

#[Object]
impl CongressMutation {
    /// Creates a congress. Admins only.
    async fn create_congress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `CongressInput` describes them.")] input: CongressInput,
    ) -> ApiResult<Congress> {
        let actor = ctx.actor()?;
        let created = congresses::create(&ctx.services()?.store, actor, input.draft()?).await?;
        Ok(Congress(created))
    }

    /// Replaces a congress's details. Its staff or an admin.
    async fn update_congress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] id: ID,
        #[graphql(desc = "The details, as `CongressInput` describes them.")] input: CongressInput,
    ) -> ApiResult<Congress> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Congress, "id", &id)?;
        let updated = congresses::update(&ctx.services()?.store, actor, id, input.draft()?).await?;
        Ok(Congress(updated))
    }
}
