//! Learning materials (在线学习), course completions, documents (资料查询) and the news feed (人大工作动态)
//! over GraphQL. Resolvers parse arguments and call one use case of `edaibiao_infra::learning`.

use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::directory::{Congress, Deputy, DeputyGroup};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, DeputyGroupKey, DeputyKey};
use crate::graphql::node::Node;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::learning::{
    self as dom, MAX_ASSIGNED, MaterialAudience, NewDocument, NewMaterial, NewNewsItem,
};
use edaibiao_infra::learning::{self as store, Completion, CourseDeputy};
use uuid::Uuid;

/// What a learning material is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::learning::MaterialKind")]
pub enum MaterialKind {
    /// A text article, read in the app.
    Article,
    /// A PDF, by its URL.
    Pdf,
    /// A video, by its https URL.
    Video,
}

/// What a learning material or a document is about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::learning::MaterialCategory")]
pub enum MaterialCategory {
    /// Laws and regulations (法律法规).
    LawsAndRegulations,
    /// Work reports (工作报告).
    WorkReports,
    /// Training courses (培训课程): a material of this category is a course its audience completes.
    TrainingCourses,
    /// The congress's own rules (人大制度).
    CongressRules,
}

/// Who a learning material is published to. Staff of the congress always see it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::learning::AudienceKind")]
pub enum MaterialAudienceKind {
    /// Every deputy of the congress.
    AllDeputies,
    /// The deputies of one deputy group.
    DeputyGroup,
    /// Named deputies.
    Assigned,
}

/// A material (article, PDF or video) published to the congress's deputies; a TRAINING_COURSES material is
/// a course, which each deputy of its audience marks completed (a COURSE_COMPLETED entry of their archive).
pub struct LearningMaterial(pub store::Material);

/// A material (article, PDF or video) published to the congress's deputies; a TRAINING_COURSES material is
/// a course, which each deputy of its audience marks completed (a COURSE_COMPLETED entry of their archive).
#[Object]
impl LearningMaterial {
    /// The files of the material (PDFs and pictures staff attach), in order.
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(
            ctx,
            edaibiao_domain::attachment::OwnerKind::LearningMaterial,
            self.0.id,
        )
        .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::LearningMaterial, self.0.id)
    }
    /// The congress that published it.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// An article's text, or a PDF's or video's description (may be empty for those).
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Article, PDF or video.
    async fn kind(&self) -> MaterialKind {
        self.0.kind.into()
    }
    /// What it is about.
    async fn category(&self) -> MaterialCategory {
        self.0.category.into()
    }
    /// Whether it is a course to complete (the TRAINING_COURSES category).
    async fn is_course(&self) -> bool {
        dom::is_course(self.0.category)
    }
    /// A PDF's or video's URL (an uploaded PDF file waits for attachments).
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Who it is published to.
    async fn audience(&self) -> MaterialAudienceKind {
        self.0.audience.kind().into()
    }
    /// For a DEPUTY_GROUP audience: the group.
    async fn deputy_group(&self, ctx: &Context<'_>) -> ApiResult<Option<DeputyGroup>> {
        let MaterialAudience::Group(group) = self.0.audience else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyGroupKey(group)).await?.map(DeputyGroup))
    }
    /// For an ASSIGNED audience: how many deputies it names.
    async fn assigned_count(&self) -> Option<i32> {
        match &self.0.audience {
            MaterialAudience::Assigned(d) => Some(i32::try_from(d.len()).unwrap_or(i32::MAX)),
            _ => None,
        }
    }
    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    /// When staff last edited it; null if never.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
    /// When staff withdrew it (only they still read it then); null while it stands.
    async fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        self.0.withdrawn_at
    }
    /// For a deputy viewing a course they completed: their completion; null otherwise.
    async fn my_completion(&self) -> Option<CourseCompletion> {
        self.0.viewer_completion.clone().map(CourseCompletion)
    }
}

/// A deputy's completion of a course.
pub struct CourseCompletion(Completion);

/// A deputy's completion of a course.
#[Object]
impl CourseCompletion {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// Global ID of the course.
    async fn material_id(&self) -> ID {
        ids::encode(NodeKind::LearningMaterial, self.0.material_id)
    }
    /// When the deputy completed it (the first time: completing again changes nothing).
    async fn completed_at(&self) -> DateTime<Utc> {
        self.0.completed_at
    }
    /// The time spent, in seconds, where the app reported it.
    async fn seconds_spent(&self) -> Option<i32> {
        self.0.seconds_spent
    }
}

/// One deputy of a course's audience and whether they completed it.
pub struct CourseDeputyStatus(CourseDeputy);

/// One deputy of a course's audience and whether they completed it.
#[Object]
impl CourseDeputyStatus {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// The deputy's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Their completion; null while they have not completed it.
    async fn completion(&self) -> Option<CourseCompletion> {
        self.0.completion.clone().map(CourseCompletion)
    }
}

/// Who of a course's audience completed it, for the congress's staff.
pub struct CourseProgress {
    material: store::Material,
    deputies: Vec<CourseDeputy>,
}

/// Who of a course's audience completed it, for the congress's staff.
#[Object]
impl CourseProgress {
    /// The course.
    async fn material(&self) -> LearningMaterial {
        LearningMaterial(self.material.clone())
    }
    /// Deputies listed (the audience, and anyone who completed it and has left the audience since).
    async fn audience_count(&self) -> i32 {
        i32::try_from(self.deputies.len()).unwrap_or(i32::MAX)
    }
    /// How many of them completed it.
    async fn completed_count(&self) -> i32 {
        i32::try_from(self.deputies.iter().filter(|d| d.completion.is_some()).count()).unwrap_or(i32::MAX)
    }
    /// Each deputy: those who completed it first, then by name.
    async fn deputies(&self) -> Vec<CourseDeputyStatus> {
        self.deputies.iter().cloned().map(CourseDeputyStatus).collect()
    }
}

/// An item of the congress's news feed (人大工作动态).
pub struct NewsItem(pub store::NewsItem);

/// An item of the congress's news feed (人大工作动态).
#[Object]
impl NewsItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::NewsItem, self.0.id)
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Important items are pushed to the congress's deputies.
    async fn important(&self) -> bool {
        self.0.important
    }
    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
}

/// A document to look up (资料): a law, a work report, a rule of the congress.
pub struct Document(pub store::Document);

/// A document to look up (资料): a law, a work report, a rule of the congress.
#[Object]
impl Document {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Document, self.0.id)
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Its text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// What it is.
    async fn category(&self) -> MaterialCategory {
        self.0.category.into()
    }
    /// Where the official text is, if anywhere.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Readable by anyone, signed in or not; otherwise by the congress's staff and deputies.
    async fn public(&self) -> bool {
        self.0.public
    }
    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
}

/// A material to publish.
#[derive(InputObject)]
pub struct PublishLearningMaterialInput {
    /// Global ID of the congress.
    pub congress_id: ID,
    /// Title, 1–100 characters.
    pub title: String,
    /// An article's text (1–20,000 characters), or a PDF's or video's description (optional).
    pub body: Option<String>,
    /// Article, PDF or video.
    pub kind: MaterialKind,
    /// What it is about; TRAINING_COURSES makes it a course.
    pub category: MaterialCategory,
    /// A PDF's http(s) URL or a video's https URL, at most 2,000 characters; none for an article.
    pub url: Option<String>,
    /// Who it is for.
    pub audience: MaterialAudienceKind,
    /// For DEPUTY_GROUP: global ID of a deputy group of the congress.
    pub deputy_group_id: Option<ID>,
    /// For ASSIGNED: global IDs of deputies of the congress, 1–500.
    #[graphql(default)]
    pub deputy_ids: Vec<ID>,
}

/// A material's new text. Its kind, category and audience stay as published.
#[derive(InputObject)]
pub struct EditLearningMaterialInput {
    /// Title, 1–100 characters.
    pub title: String,
    /// An article's text (1–20,000 characters), or a PDF's or video's description (optional).
    pub body: Option<String>,
    /// A PDF's http(s) URL or a video's https URL, at most 2,000 characters; none for an article.
    pub url: Option<String>,
}

/// A news item to publish.
#[derive(InputObject)]
pub struct PublishNewsItemInput {
    /// Global ID of the congress.
    pub congress_id: ID,
    /// Title, 1–100 characters.
    pub title: String,
    /// Text, 1–20,000 characters.
    pub body: String,
    /// Pushed to the congress's deputies (`NEWS_IMPORTANT`) when true.
    #[graphql(default)]
    pub important: bool,
}

/// A document to publish.
#[derive(InputObject)]
pub struct PublishDocumentInput {
    /// Global ID of the congress.
    pub congress_id: ID,
    /// Title, 1–100 characters.
    pub title: String,
    /// Its text, 1–200,000 characters.
    pub body: String,
    /// A law, a work report or a rule (not TRAINING_COURSES).
    pub category: MaterialCategory,
    /// Where the official text is (http(s), at most 2,000 characters).
    pub url: Option<String>,
    /// Readable by anyone, signed in or not (laws and regulations usually are); default false.
    #[graphql(default)]
    pub public: bool,
}

fn material_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::LearningMaterial, field, id)
}

fn congress_id(id: &ID) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Congress, "congressId", id)
}

#[derive(Default)]
pub struct LearningQuery;

#[Object]
impl LearningQuery {
    /// One learning material, for the congress's staff and the deputies of its audience; NOT_FOUND
    /// otherwise.
    async fn learning_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the material.")] id: ID,
    ) -> ApiResult<LearningMaterial> {
        let found =
            store::material_for(&ctx.services()?.store, ctx.actor_opt(), material_id(&id, "id")?).await?;
        Ok(LearningMaterial(found))
    }

    /// The congress's learning materials the viewer sees (all of them for staff; for a deputy, those
    /// published to all deputies, their group or them), newest first. FORBIDDEN for anyone else signed in.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn learning_materials(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only this category.")] category: Option<MaterialCategory>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<LearningMaterial>> {
        let congress = self::congress_id(&congress_id)?;
        let request = page_request(first, after)?;
        let page = store::materials(
            &ctx.services()?.store,
            Some(ctx.actor()?),
            congress,
            category.map(Into::into),
            request,
        )
        .await?;
        Ok(connection(page, request, |m| m.id, LearningMaterial))
    }

    /// Who of a course's audience completed it and who has not (staff of the congress only).
    async fn course_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the course.")] id: ID,
    ) -> ApiResult<CourseProgress> {
        let (material, deputies) =
            store::course_progress(&ctx.services()?.store, ctx.actor()?, material_id(&id, "id")?).await?;
        Ok(CourseProgress { material, deputies })
    }

    /// The congress's news feed (人大工作动态), newest first, for its staff and deputies (FORBIDDEN otherwise).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn news_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<NewsItem>> {
        let congress = self::congress_id(&congress_id)?;
        let request = page_request(first, after)?;
        let page = store::news_feed(&ctx.services()?.store, Some(ctx.actor()?), congress, request).await?;
        Ok(connection(page, request, |n| n.id, NewsItem))
    }

    /// One news item, for the congress's staff and deputies; NOT_FOUND otherwise.
    async fn news_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the news item.")] id: ID,
    ) -> ApiResult<NewsItem> {
        let id = ids::decode(NodeKind::NewsItem, "id", &id)?;
        Ok(NewsItem(store::news_item_for(&ctx.services()?.store, ctx.actor_opt(), id).await?))
    }

    /// One document: a public one for anyone (signed in or not), another for the congress's staff and
    /// deputies; NOT_FOUND otherwise.
    async fn document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the document.")] id: ID,
    ) -> ApiResult<Document> {
        let id = ids::decode(NodeKind::Document, "id", &id)?;
        Ok(Document(store::document_for(&ctx.services()?.store, ctx.actor_opt(), id).await?))
    }

    /// The congress's documents to look up, newest first: every one for its staff and deputies, the
    /// public ones for anyone else (signed in or not).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only this category.")] category: Option<MaterialCategory>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<Document>> {
        let congress = self::congress_id(&congress_id)?;
        let request = page_request(first, after)?;
        let page = store::documents(
            &ctx.services()?.store,
            ctx.actor_opt(),
            congress,
            category.map(Into::into),
            request,
        )
        .await?;
        Ok(connection(page, request, |d| d.id, Document))
    }
}

#[derive(Default)]
pub struct LearningMutation;

#[Object]
impl LearningMutation {
    /// Staff of the congress publish a learning material to all its deputies, one deputy group, or named
    /// deputies; they are told (`LEARNING_MATERIAL_PUBLISHED`). A retry with the same `idempotencyKey`
    /// returns the first material.
    async fn publish_learning_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The material.")] input: PublishLearningMaterialInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LearningMaterial> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        if input.deputy_ids.len() > MAX_ASSIGNED {
            return Err(ApiError::bad_input("deputyIds", "at most 500 deputies"));
        }
        let group = input
            .deputy_group_id
            .as_ref()
            .map(|id| ids::decode(NodeKind::DeputyGroup, "deputyGroupId", id))
            .transpose()?;
        let deputies = input
            .deputy_ids
            .iter()
            .map(|id| ids::decode(NodeKind::Deputy, "deputyIds", id))
            .collect::<ApiResult<Vec<_>>>()?;
        let audience = MaterialAudience::parse(input.audience.into(), group, deputies)?;
        let material = NewMaterial::parse(
            &input.title,
            input.body.as_deref(),
            input.kind.into(),
            input.category.into(),
            input.url.as_deref(),
        )?;
        let congress = congress_id(&input.congress_id)?;
        let published = store::publish_material(
            &services.store,
            actor,
            congress,
            material,
            audience,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(LearningMaterial(published))
    }

    /// Staff of the congress change a material's title, text and URL (checked as when published); search
    /// finds the new text at once. A withdrawn material is changed no more (CONFLICT); a deputy is
    /// FORBIDDEN, anyone who does not see it gets NOT_FOUND. A retry with the same `idempotencyKey` changes
    /// nothing more.
    async fn edit_learning_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the material.")] id: ID,
        #[graphql(desc = "The new text.")] input: EditLearningMaterialInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LearningMaterial> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let edit = store::MaterialEdit { title: input.title, body: input.body, url: input.url };
        let id = material_id(&id, "id")?;
        let edited =
            store::edit_material(&services.store, actor, id, edit, idempotency_key.as_deref()).await?;
        Ok(LearningMaterial(edited))
    }

    /// Staff of the congress withdraw a material: it leaves every list and search at once, and its audience
    /// no longer reads or completes it; completions already recorded stay in the deputies' archives (and
    /// `courseProgress`). Withdrawing again is a CONFLICT, unless it is a retry with the same
    /// `idempotencyKey`, which returns the material.
    async fn withdraw_learning_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the material.")] id: ID,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LearningMaterial> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = material_id(&id, "id")?;
        let withdrawn =
            store::withdraw_material(&services.store, actor, id, idempotency_key.as_deref()).await?;
        Ok(LearningMaterial(withdrawn))
    }

    /// A deputy of a course's audience marks it completed, with the time spent where the app knows it (1
    /// second to 24 hours). It enters their duty archive as COURSE_COMPLETED, which quotas and point rules
    /// count. Completing again (a retry) changes nothing and returns the first completion.
    async fn complete_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the course.")] id: ID,
        #[graphql(desc = "Seconds spent on it, 1–86,400, where the app measured it.")] seconds_spent: Option<
            i32,
        >,
    ) -> ApiResult<CourseCompletion> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let done =
            store::complete_course(&services.store, actor, material_id(&id, "id")?, seconds_spent).await?;
        Ok(CourseCompletion(done))
    }

    /// Staff of the congress add an item to its news feed; an important one is pushed to its deputies
    /// (`NEWS_IMPORTANT`). A retry with the same `idempotencyKey` returns the first item.
    async fn publish_news_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The news item.")] input: PublishNewsItemInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<NewsItem> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let item = NewNewsItem::parse(&input.title, &input.body, input.important)?;
        let congress = congress_id(&input.congress_id)?;
        Ok(NewsItem(
            store::publish_news(&services.store, actor, congress, item, idempotency_key.as_deref()).await?,
        ))
    }

    /// Staff of the congress publish a document to look up (a law, a report, a rule), public or for the
    /// congress's staff and deputies. A retry with the same `idempotencyKey` returns the first document.
    async fn publish_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document.")] input: PublishDocumentInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Document> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let doc = NewDocument::parse(
            &input.title,
            &input.body,
            input.category.into(),
            input.url.as_deref(),
            input.public,
        )?;
        let congress = congress_id(&input.congress_id)?;
        Ok(Document(
            store::publish_document(&services.store, actor, congress, doc, idempotency_key.as_deref())
                .await?,
        ))
    }
}

/// `node(id)` for a material, a news item or a document: as the single-item queries show them (a public
/// document to anyone); null otherwise.
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let (store_, actor) = (&ctx.services()?.store, ctx.actor_opt());
    let found = match kind {
        NodeKind::LearningMaterial => store::material_for(store_, actor, id)
            .await
            .map(|m| Node::LearningMaterial(Box::new(LearningMaterial(m)))),
        NodeKind::NewsItem => {
            store::news_item_for(store_, actor, id).await.map(|n| Node::NewsItem(Box::new(NewsItem(n))))
        }
        NodeKind::Document => {
            store::document_for(store_, actor, id).await.map(|d| Node::Document(Box::new(Document(d))))
        }
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
