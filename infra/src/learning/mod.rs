//! Learning materials, course completions, documents and the news feed in storage.
//!
//! A material's audience is stored as its kind, a deputy group, or rows of `learning_material_deputies`;
//! who sees it is the domain's rule ([`may_read_material`]), and the list query mirrors it in SQL. A course
//! completion is one row per course and deputy: completing again is a no-op answered with the first
//! completion, and the row is the deputy's COURSE_COMPLETED archive entry (the archive reads it, like it
//! reads bills and activities), so quotas and point rules count it once.

use crate::entity::{
    course_completion, deputy, deputy_group, document, learning_material, learning_material_deputy, news_item,
};
use crate::error::{Result, stored};
use crate::idempotency::Idempotency;
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Page, PageRequest, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::learning::{
    AudienceKind, MaterialAudience, MaterialCategory, MaterialKind, NewDocument, NewMaterial, NewNewsItem,
    ViewerFacts, check_change, check_completion, check_publisher, kinds, may_read_document,
    may_read_material, may_read_news, seconds_spent,
};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::search::SearchKind;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A deputy's completion of a course.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub id: Uuid,
    pub material_id: Uuid,
    pub deputy_id: Uuid,
    pub seconds_spent: Option<i32>,
    pub completed_at: DateTime<Utc>,
}

impl From<course_completion::Model> for Completion {
    fn from(row: course_completion::Model) -> Self {
        Self {
            id: row.id,
            material_id: row.material_id,
            deputy_id: row.deputy_id,
            seconds_spent: row.seconds_spent,
            completed_at: row.completed_at,
        }
    }
}

/// A learning material as read, with the viewing deputy's completion of it (for a course they completed).
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    pub kind: MaterialKind,
    pub category: MaterialCategory,
    pub url: Option<String>,
    pub audience: MaterialAudience,
    pub published_at: DateTime<Utc>,
    /// When staff last edited it.
    pub updated_at: Option<DateTime<Utc>>,
    /// When staff withdrew it (then only they read it).
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub viewer_completion: Option<Completion>,
}

/// A document as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    pub category: MaterialCategory,
    pub url: Option<String>,
    pub public: bool,
    pub published_at: DateTime<Utc>,
}

/// A news item as read.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsItem {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    pub important: bool,
    pub published_at: DateTime<Utc>,
}

impl From<news_item::Model> for NewsItem {
    fn from(row: news_item::Model) -> Self {
        Self {
            id: row.id,
            congress_id: row.congress_id,
            title: row.title,
            body: row.body,
            important: row.important,
            published_at: row.published_at,
        }
    }
}

fn document_of(row: document::Model) -> Result<Document> {
    Ok(Document {
        category: stored("document category", row.id, MaterialCategory::parse(&row.category))?,
        id: row.id,
        congress_id: row.congress_id,
        title: row.title,
        body: row.body,
        url: row.url,
        public: row.public,
        published_at: row.published_at,
    })
}

/// The subject kinds notices name.
const MATERIAL_SUBJECT: &str = "LearningMaterial";
const NEWS_SUBJECT: &str = "NewsItem";

fn key<'a>(actor: &Actor, idempotency: Option<&'a Idempotency<'a>>, result: Uuid) -> Option<Key<'a>> {
    idempotency.map(|idempotency| Key { owner: actor.user_id, idempotency, result })
}

fn id_of(done: Once<Uuid>) -> Uuid {
    match done {
        Once::Done(id) | Once::Replayed(id) => id,
    }
}

/// What a viewer's deputy profile says about their deputy group (nothing for anyone but a deputy).
async fn viewer_facts(db: &impl ConnectionTrait, actor: Option<&Actor>) -> Result<ViewerFacts> {
    let Some(deputy_id) = actor.and_then(|a| a.deputy_id) else { return Ok(ViewerFacts::default()) };
    let group = deputy::Entity::find_by_id(deputy_id).one(db).await?.and_then(|d| d.deputy_group_id);
    Ok(ViewerFacts { deputy_group_id: group })
}

/// The stored audiences of `rows`, in one query for the named deputies.
async fn materials_of(
    db: &impl ConnectionTrait,
    rows: Vec<learning_material::Model>,
    viewer: Option<Uuid>,
) -> Result<Vec<Material>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut named: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let assigned: Vec<Uuid> =
        rows.iter().filter(|r| r.audience_kind == AudienceKind::Assigned.as_str()).map(|r| r.id).collect();
    if !assigned.is_empty() {
        for row in learning_material_deputy::Entity::find()
            .filter(learning_material_deputy::Column::MaterialId.is_in(assigned))
            .all(db)
            .await?
        {
            named.entry(row.material_id).or_default().push(row.deputy_id);
        }
    }
    let mut completions: HashMap<Uuid, Completion> = HashMap::new();
    if let Some(deputy_id) = viewer
        && !ids.is_empty()
    {
        for row in course_completion::Entity::find()
            .filter(course_completion::Column::DeputyId.eq(deputy_id))
            .filter(course_completion::Column::MaterialId.is_in(ids))
            .all(db)
            .await?
        {
            completions.insert(row.material_id, row.into());
        }
    }
    rows.into_iter()
        .map(|row| {
            let audience = match stored("material audience", row.id, AudienceKind::parse(&row.audience_kind))?
            {
                AudienceKind::AllDeputies => MaterialAudience::AllDeputies,
                AudienceKind::DeputyGroup => MaterialAudience::Group(
                    row.deputy_group_id
                        .ok_or_else(|| crate::Error::Internal(format!("material {} has no group", row.id)))?,
                ),
                AudienceKind::Assigned => {
                    let mut deputies = named.remove(&row.id).unwrap_or_default();
                    deputies.sort_unstable();
                    MaterialAudience::Assigned(deputies)
                }
            };
            Ok(Material {
                kind: stored("material kind", row.id, MaterialKind::parse(&row.kind))?,
                category: stored("material category", row.id, MaterialCategory::parse(&row.category))?,
                viewer_completion: completions.remove(&row.id),
                audience,
                id: row.id,
                congress_id: row.congress_id,
                title: row.title,
                body: row.body,
                url: row.url,
                published_at: row.published_at,
                updated_at: row.updated_at,
                withdrawn_at: row.withdrawn_at,
                version: row.version,
            })
        })
        .collect()
}

/// The deputies a material's audience names, as notification audiences.
async fn audience_of(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    audience: &MaterialAudience,
) -> Result<Vec<Audience>> {
    Ok(match audience {
        MaterialAudience::AllDeputies => vec![Audience::Deputies(congress_id)],
        MaterialAudience::Group(group) => deputy::Entity::find()
            .filter(deputy::Column::DeputyGroupId.eq(*group))
            .all(db)
            .await?
            .into_iter()
            .map(|d| Audience::Deputy(d.id))
            .collect(),
        MaterialAudience::Assigned(deputies) => deputies.iter().copied().map(Audience::Deputy).collect(),
    })
}

/// Checks that a group audience is a group of the congress, and that named deputies are its deputies.
async fn check_audience(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    audience: &MaterialAudience,
) -> Result<()> {
    match audience {
        MaterialAudience::AllDeputies => Ok(()),
        MaterialAudience::Group(group) => {
            let found = deputy_group::Entity::find_by_id(*group).one(db).await?;
            if found.is_some_and(|g| g.congress_id == congress_id) {
                Ok(())
            } else {
                Err(DomainError::invalid("deputyGroupId", "is not a deputy group of the congress").into())
            }
        }
        MaterialAudience::Assigned(deputies) => {
            let found = deputy::Entity::find()
                .filter(deputy::Column::Id.is_in(deputies.clone()))
                .filter(deputy::Column::CongressId.eq(congress_id))
                .count(db)
                .await?;
            if usize::try_from(found).unwrap_or_default() == deputies.len() {
                Ok(())
            } else {
                Err(DomainError::invalid("deputyIds", "are not all deputies of the congress").into())
            }
        }
    }
}

/// `publishLearningMaterial`: staff of the congress publish a material to its audience, who are told
/// (`LEARNING_MATERIAL_PUBLISHED`) in the same transaction. A retry with the same idempotency key returns the
/// first material.
pub async fn publish_material(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    material: NewMaterial,
    audience: MaterialAudience,
    idempotency_key: Option<&str>,
) -> Result<Material> {
    check_publisher(actor, congress_id)?;
    check_audience(&store.db, congress_id, &audience).await?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishLearningMaterial" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let now = Utc::now();
        let row = learning_material::ActiveModel {
            id: Set(id),
            congress_id: Set(congress_id),
            title: Set(material.title.as_str().to_owned()),
            body: Set(material.body.clone()),
            kind: Set(material.kind.as_str().to_owned()),
            category: Set(material.category.as_str().to_owned()),
            url: Set(material.url.clone()),
            audience_kind: Set(audience.kind().as_str().to_owned()),
            deputy_group_id: Set(match audience {
                MaterialAudience::Group(g) => Some(g),
                _ => None,
            }),
            created_by: Set(actor.user_id),
            published_at: Set(now),
            version: Set(1),
            updated_at: Set(None),
            withdrawn_at: Set(None),
        };
        learning_material::Entity::insert(row).exec_without_returning(txn).await?;
        index(
            txn,
            SearchKind::LearningMaterial,
            (id, congress_id),
            material.title.as_str(),
            &material.body,
            now,
        )
        .await?;
        if let MaterialAudience::Assigned(deputies) = &audience {
            let rows = deputies.iter().map(|d| learning_material_deputy::ActiveModel {
                id: Set(Uuid::now_v7()),
                material_id: Set(id),
                deputy_id: Set(*d),
            });
            learning_material_deputy::Entity::insert_many(rows).exec_without_returning(txn).await?;
        }
        let told = audience_of(txn, congress_id, &audience).await?;
        let title = if material.is_course() { "新的学习课程" } else { "新的学习资料" };
        let message = Message {
            kind: kinds::MATERIAL_PUBLISHED,
            title,
            body: Some(material.title.as_str().to_owned()),
            subject_kind: MATERIAL_SUBJECT,
            subject_id: Some(id),
        };
        notifications::tell(txn, &told, &message, Some(actor.user_id)).await?;
        Ok(id)
    })
    .await?;
    material_for(store, Some(actor), id_of(done)).await
}

/// One material, for those who read it ([`may_read_material`]: a withdrawn one only staff); NOT_FOUND for
/// anyone else.
pub async fn material_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Material> {
    materials_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "learning material".into())
}

/// The materials among `ids` the viewer reads ([`may_read_material`]), by id; the others left out.
pub async fn materials_among(
    store: &Store,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Material>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = learning_material::Entity::find()
        .filter(learning_material::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    let viewer = viewer_facts(&store.db, actor).await?;
    Ok(materials_of(&store.db, rows, actor.and_then(|a| a.deputy_id))
        .await?
        .into_iter()
        .filter(|m| may_read_material(actor, m.congress_id, &m.audience, viewer, m.withdrawn_at.is_some()))
        .map(|m| (m.id, m))
        .collect())
}

/// A material's new text as staff edit it: title, body and URL (its kind, category and audience stay).
#[derive(Debug, Clone)]
pub struct MaterialEdit {
    pub title: String,
    pub body: Option<String>,
    pub url: Option<String>,
}

/// Writes `(kind, (id, congress))`'s text into the search index, in the step's transaction.
async fn index(
    db: &impl ConnectionTrait,
    kind: SearchKind,
    (item_id, congress_id): (Uuid, Uuid),
    title: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    crate::search::index(db, crate::search::Indexed { kind, item_id, congress_id, title, body, at }).await
}

/// Locks material `id` and checks that `actor` may change it ([`check_change`]).
async fn lock_for_change(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
) -> Result<learning_material::Model> {
    let row = transaction::lock::<learning_material::Entity>(txn, id).await?;
    let material = materials_of(txn, vec![row.clone()], None).await?.pop().ok_or("learning material")?;
    let viewer = viewer_facts(txn, Some(actor)).await?;
    let withdrawn = material.withdrawn_at.is_some();
    let reads = may_read_material(Some(actor), material.congress_id, &material.audience, viewer, withdrawn);
    check_change(actor, material.congress_id, reads, withdrawn)?;
    Ok(row)
}

/// `editLearningMaterial`: staff of the congress change a material's title, text and URL (checked as when
/// published, for its kind); the index is rewritten in the same transaction. Nobody is told again. A
/// withdrawn material is changed no more (CONFLICT). A retry with the same idempotency key changes nothing
/// more and returns the material.
pub async fn edit_material(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    edit: MaterialEdit,
    idempotency_key: Option<&str>,
) -> Result<Material> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "editLearningMaterial" });
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let row = lock_for_change(txn, actor, id).await?;
        let kind = stored("material kind", row.id, MaterialKind::parse(&row.kind))?;
        let category = stored("material category", row.id, MaterialCategory::parse(&row.category))?;
        let text =
            NewMaterial::parse(&edit.title, edit.body.as_deref(), kind, category, edit.url.as_deref())?;
        let now = Utc::now();
        let update = learning_material::Entity::update_many()
            .col_expr(learning_material::Column::Title, Expr::value(text.title.as_str()))
            .col_expr(learning_material::Column::Body, Expr::value(text.body.as_str()))
            .col_expr(learning_material::Column::Url, Expr::value(text.url.clone()))
            .col_expr(learning_material::Column::UpdatedAt, Expr::value(Some(now)));
        transaction::save(txn, id, row.version, row.version + 1, update).await?;
        index(txn, SearchKind::LearningMaterial, (id, row.congress_id), text.title.as_str(), &text.body, now)
            .await
    })
    .await?;
    material_for(store, Some(actor), id).await
}

/// `withdrawLearningMaterial`: staff of the congress withdraw a material: it leaves every list and search
/// (removed from the index in the same transaction) and its audience no longer reads it or completes it;
/// completions already recorded stay in the deputies' archives. Withdrawing again is a CONFLICT (a retry
/// with the same idempotency key returns the material instead).
pub async fn withdraw_material(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    idempotency_key: Option<&str>,
) -> Result<Material> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "withdrawLearningMaterial" });
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let row = lock_for_change(txn, actor, id).await?;
        let update = learning_material::Entity::update_many()
            .col_expr(learning_material::Column::WithdrawnAt, Expr::value(Some(Utc::now())));
        transaction::save(txn, id, row.version, row.version + 1, update).await?;
        crate::search::remove(txn, id).await
    })
    .await?;
    material_for(store, Some(actor), id).await
}

/// `learningMaterials`: the congress's materials the viewer sees (of one category, if given), newest first.
/// FORBIDDEN for anyone but the congress's staff and deputies.
pub async fn materials(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    category: Option<MaterialCategory>,
    request: PageRequest,
) -> Result<Page<Material>> {
    if !may_read_news(actor, congress_id) {
        return Err(DomainError::forbidden("only the congress's staff and deputies see its materials").into());
    }
    let mut query = learning_material::Entity::find()
        .filter(learning_material::Column::CongressId.eq(congress_id))
        .filter(learning_material::Column::WithdrawnAt.is_null());
    if let Some(category) = category {
        query = query.filter(learning_material::Column::Category.eq(category.as_str()));
    }
    let viewer_deputy = actor.filter(|a| !a.is_staff_of(congress_id)).and_then(|a| a.deputy_id);
    if let Some(deputy_id) = viewer_deputy {
        // The SQL form of `may_see_material` for a deputy of the congress.
        let facts = viewer_facts(&store.db, actor).await?;
        let mut seen = Condition::any()
            .add(learning_material::Column::AudienceKind.eq(AudienceKind::AllDeputies.as_str()))
            .add(
                learning_material::Column::Id.in_subquery(
                    Query::select()
                        .column(learning_material_deputy::Column::MaterialId)
                        .from(learning_material_deputy::Entity)
                        .and_where(learning_material_deputy::Column::DeputyId.eq(deputy_id))
                        .to_owned(),
                ),
            );
        if let Some(group) = facts.deputy_group_id {
            seen = seen.add(
                Condition::all()
                    .add(learning_material::Column::AudienceKind.eq(AudienceKind::DeputyGroup.as_str()))
                    .add(learning_material::Column::DeputyGroupId.eq(group)),
            );
        }
        query = query.filter(seen);
    }
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(learning_material::Column::Id.lt(after));
    }
    let rows =
        query.order_by_desc(learning_material::Column::Id).limit(request.first + 1).all(&store.db).await?;
    let page = Page::from_overfetch(rows, request, total_count);
    let items = materials_of(&store.db, page.items, viewer_deputy).await?;
    Ok(Page { items, has_next_page: page.has_next_page, total_count: page.total_count })
}

/// `completeCourse`: a deputy who sees a course marks it completed, with the time spent if the app knows
/// it. Completing again (a retry, a second tap) changes nothing and answers with the first completion, so
/// the archive, quotas and points count it once.
pub async fn complete_course(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    seconds: Option<i32>,
) -> Result<Completion> {
    let seconds = seconds_spent(seconds)?;
    let row = learning_material::Entity::find_by_id(id).one(&store.db).await?.ok_or("learning material")?;
    let material = materials_of(&store.db, vec![row], None).await?.pop().ok_or("learning material")?;
    let viewer = viewer_facts(&store.db, Some(actor)).await?;
    let withdrawn = material.withdrawn_at.is_some();
    let deputy_id = check_completion(
        actor,
        material.congress_id,
        material.category,
        &material.audience,
        viewer,
        withdrawn,
    )?;
    let saved = transaction::run(store, async |txn| {
        let row = course_completion::ActiveModel {
            id: Set(Uuid::now_v7()),
            material_id: Set(id),
            congress_id: Set(material.congress_id),
            deputy_id: Set(deputy_id),
            seconds_spent: Set(seconds),
            completed_at: Set(Utc::now()),
        };
        course_completion::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    course_completion::Column::MaterialId,
                    course_completion::Column::DeputyId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        course_completion::Entity::find()
            .filter(course_completion::Column::MaterialId.eq(id))
            .filter(course_completion::Column::DeputyId.eq(deputy_id))
            .one(txn)
            .await?
            .ok_or_else(|| "course completion".into())
    })
    .await?;
    Ok(saved.into())
}

/// One deputy of a course's audience and their completion, if any.
#[derive(Debug, Clone)]
pub struct CourseDeputy {
    pub deputy_id: Uuid,
    pub name: String,
    pub completion: Option<Completion>,
}

/// `courseProgress`: staff of the congress see who of a course's audience completed it and who has not
/// (completed first, then by name). A deputy who completed and then left the audience is still listed.
pub async fn course_progress(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<(Material, Vec<CourseDeputy>)> {
    let material = material_for(store, Some(actor), id).await?;
    check_publisher(actor, material.congress_id)?;
    let mut audience = deputy::Entity::find().filter(deputy::Column::CongressId.eq(material.congress_id));
    match &material.audience {
        MaterialAudience::AllDeputies => {}
        MaterialAudience::Group(g) => audience = audience.filter(deputy::Column::DeputyGroupId.eq(*g)),
        MaterialAudience::Assigned(ids) => audience = audience.filter(deputy::Column::Id.is_in(ids.clone())),
    }
    let mut completions: HashMap<Uuid, Completion> = course_completion::Entity::find()
        .filter(course_completion::Column::MaterialId.eq(id))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|c| (c.deputy_id, c.into()))
        .collect();
    let mut deputies = audience.order_by_asc(deputy::Column::Name).all(&store.db).await?;
    let missing: Vec<Uuid> =
        completions.keys().filter(|d| !deputies.iter().any(|x| x.id == **d)).copied().collect();
    if !missing.is_empty() {
        deputies
            .extend(deputy::Entity::find().filter(deputy::Column::Id.is_in(missing)).all(&store.db).await?);
    }
    let mut out: Vec<CourseDeputy> = deputies
        .into_iter()
        .map(|d| CourseDeputy { completion: completions.remove(&d.id), deputy_id: d.id, name: d.name })
        .collect();
    out.sort_by(|a, b| b.completion.is_some().cmp(&a.completion.is_some()).then_with(|| a.name.cmp(&b.name)));
    Ok((material, out))
}

/// `publishNewsItem`: staff add an item to the congress's news feed; an important one is pushed to the
/// congress's deputies (`NEWS_IMPORTANT`) in the same transaction. A retry with the same idempotency key
/// returns the first item.
pub async fn publish_news(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    item: NewNewsItem,
    idempotency_key: Option<&str>,
) -> Result<NewsItem> {
    check_publisher(actor, congress_id)?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishNewsItem" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let now = Utc::now();
        let row = news_item::ActiveModel {
            id: Set(id),
            congress_id: Set(congress_id),
            title: Set(item.title.as_str().to_owned()),
            body: Set(item.body.as_str().to_owned()),
            important: Set(item.important),
            created_by: Set(actor.user_id),
            published_at: Set(now),
        };
        news_item::Entity::insert(row).exec_without_returning(txn).await?;
        index(txn, SearchKind::NewsItem, (id, congress_id), item.title.as_str(), item.body.as_str(), now)
            .await?;
        if item.important {
            let message = Message {
                kind: kinds::NEWS_IMPORTANT,
                title: "人大工作动态",
                body: Some(item.title.as_str().to_owned()),
                subject_kind: NEWS_SUBJECT,
                subject_id: Some(id),
            };
            notifications::tell(txn, &[Audience::Deputies(congress_id)], &message, Some(actor.user_id))
                .await?;
        }
        Ok(id)
    })
    .await?;
    news_item_for(store, Some(actor), id_of(done)).await
}

/// One news item, for the congress's staff and deputies; NOT_FOUND for anyone else.
pub async fn news_item_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<NewsItem> {
    news_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "news item".into())
}

/// The news items among `ids` the viewer reads ([`may_read_news`]), by id; the others left out.
pub async fn news_among(
    store: &Store,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, NewsItem>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = news_item::Entity::find()
        .filter(news_item::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().filter(|r| may_read_news(actor, r.congress_id)).map(|r| (r.id, r.into())).collect())
}

/// `newsFeed`: the congress's news, newest first, for its staff and deputies (FORBIDDEN otherwise).
pub async fn news_feed(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    request: PageRequest,
) -> Result<Page<NewsItem>> {
    if !may_read_news(actor, congress_id) {
        return Err(DomainError::forbidden("only the congress's staff and deputies read its news").into());
    }
    let mut query = news_item::Entity::find().filter(news_item::Column::CongressId.eq(congress_id));
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(news_item::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(news_item::Column::Id).limit(request.first + 1).all(&store.db).await?;
    Page::from_overfetch(rows, request, total_count).try_map(|r| Ok::<_, crate::Error>(r.into()))
}

/// `publishDocument`: staff publish a document to look up. A retry with the same idempotency key returns
/// the first document.
pub async fn publish_document(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    doc: NewDocument,
    idempotency_key: Option<&str>,
) -> Result<Document> {
    check_publisher(actor, congress_id)?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishDocument" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let now = Utc::now();
        let row = document::ActiveModel {
            id: Set(id),
            congress_id: Set(congress_id),
            title: Set(doc.title.as_str().to_owned()),
            body: Set(doc.body.clone()),
            category: Set(doc.category.as_str().to_owned()),
            url: Set(doc.url.clone()),
            public: Set(doc.public),
            created_by: Set(actor.user_id),
            published_at: Set(now),
        };
        document::Entity::insert(row).exec_without_returning(txn).await?;
        index(txn, SearchKind::Document, (id, congress_id), doc.title.as_str(), &doc.body, now).await?;
        Ok(id)
    })
    .await?;
    document_for(store, Some(actor), id_of(done)).await
}

/// One document: a public one for anyone, another for the congress's staff and deputies; NOT_FOUND
/// otherwise.
pub async fn document_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Document> {
    documents_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "document".into())
}

/// The documents among `ids` the viewer reads ([`may_read_document`]), by id; the others left out.
pub async fn documents_among(
    store: &Store,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Document>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = document::Entity::find()
        .filter(document::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    for row in rows.into_iter().filter(|r| may_read_document(actor, r.congress_id, r.public)) {
        out.insert(row.id, document_of(row)?);
    }
    Ok(out)
}

/// `documents`: the congress's documents (of one category, if given), newest first: every one for its
/// staff and deputies, the public ones for anyone else (anonymous too).
pub async fn documents(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    category: Option<MaterialCategory>,
    request: PageRequest,
) -> Result<Page<Document>> {
    let mut query = document::Entity::find().filter(document::Column::CongressId.eq(congress_id));
    if !may_read_document(actor, congress_id, false) {
        query = query.filter(document::Column::Public.eq(true));
    }
    if let Some(category) = category {
        query = query.filter(document::Column::Category.eq(category.as_str()));
    }
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(document::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(document::Column::Id).limit(request.first + 1).all(&store.db).await?;
    Page::from_overfetch(rows, request, total_count).try_map(document_of)
}
