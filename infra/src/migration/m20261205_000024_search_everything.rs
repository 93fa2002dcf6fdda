//! Search over every kind, and learning materials that staff edit and withdraw.
//!
//! - `learning_materials` gains `version` (the compare-and-set token of an edit or withdrawal, 1 for the
//!   rows that exist), `updated_at` (the last edit) and `withdrawn_at` (set when staff withdraw it: it then
//!   leaves lists and search; completions already recorded stay in the archive).
//! - The index (`search_documents`, migration 22) gets the bills, opinions, draft laws (title, description
//!   and the articles of the current version), comments on drafts, legislative proposals, learning
//!   materials (not withdrawn: none is yet), news items and documents that exist, once; from then on each
//!   step that changes their text indexes them in its own transaction. The text is cut exactly as the
//!   steps cut it (`edaibiao_domain::search`); an opinion is indexed by its category and content, never its
//!   contact.

use edaibiao_domain::opinion::Opinion;
use edaibiao_domain::search::{SearchKind, comment_title, draft_body, opinion_title, token_string};
use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, timestamp_with_time_zone_null};
use std::collections::HashMap;
use uuid::Uuid;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000024_search_everything"
    }
}

type At = chrono::DateTime<chrono::Utc>;

/// One item to index: kind, id, congress, title, body, when.
struct Doc {
    kind: SearchKind,
    id: Uuid,
    congress: Uuid,
    title: String,
    body: String,
    at: At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per statement: SQLite cannot combine them.
        m.alter_table(
            Table::alter().table("learning_materials").add_column(integer("version").default(1)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("learning_materials")
                .add_column(timestamp_with_time_zone_null("updated_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("learning_materials")
                .add_column(timestamp_with_time_zone_null("withdrawn_at"))
                .to_owned(),
        )
        .await?;
        backfill(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let kinds: Vec<SimpleExpr> = SearchKind::ALL
            .iter()
            .filter(|k| **k != SearchKind::Suggestion)
            .map(|k| Expr::val(k.as_str()))
            .collect();
        let delete = Query::delete()
            .from_table("search_documents")
            .and_where(Expr::col("kind").is_in(kinds))
            .to_owned();
        let db = m.get_connection();
        db.execute_raw(db.get_database_backend().build(&delete)).await?;
        for column in ["withdrawn_at", "updated_at", "version"] {
            m.alter_table(Table::alter().table("learning_materials").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Indexes every existing item of the kinds this migration adds, exactly as the steps index them (the
/// infra test `the_backfill_indexes_as_the_steps_do` compares the two).
#[doc(hidden)]
pub async fn backfill(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let mut docs = Vec::new();
    docs.extend(bills(db).await?);
    docs.extend(opinions(db).await?);
    docs.extend(drafts(db).await?);
    docs.extend(comments(db).await?);
    docs.extend(proposals(db).await?);
    docs.extend(plain(db, SearchKind::LearningMaterial, "learning_materials").await?);
    docs.extend(plain(db, SearchKind::NewsItem, "news_items").await?);
    docs.extend(plain(db, SearchKind::Document, "documents").await?);
    insert(db, &docs).await
}

async fn rows(
    db: &impl ConnectionTrait,
    select: SelectStatement,
) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    db.query_all_raw(db.get_database_backend().build(&select)).await
}

async fn bills(db: &impl ConnectionTrait) -> Result<Vec<Doc>, DbErr> {
    let select = Query::select()
        .columns(["id", "congress_id", "title", "reason", "provisions", "updated_at"])
        .from("bills")
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        let (reason, provisions): (String, String) =
            (row.try_get("", "reason")?, row.try_get("", "provisions")?);
        out.push(Doc {
            kind: SearchKind::Bill,
            id: row.try_get("", "id")?,
            congress: row.try_get("", "congress_id")?,
            title: row.try_get("", "title")?,
            body: format!("{reason}\n\n{provisions}"),
            at: row.try_get("", "updated_at")?,
        });
    }
    Ok(out)
}

async fn opinions(db: &impl ConnectionTrait) -> Result<Vec<Doc>, DbErr> {
    let select = Query::select().columns(["snapshot"]).from("opinions").to_owned();
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        let snapshot: String = row.try_get("", "snapshot")?;
        let o: Opinion =
            serde_json::from_str(&snapshot).map_err(|e| DbErr::Custom(format!("opinion: {e}")))?;
        out.push(Doc {
            kind: SearchKind::Opinion,
            id: o.id,
            congress: o.congress_id,
            title: opinion_title(o.category.label()),
            body: o.content,
            at: o.created_at,
        });
    }
    Ok(out)
}

async fn drafts(db: &impl ConnectionTrait) -> Result<Vec<Doc>, DbErr> {
    let select = Query::select()
        .columns(["draft_id", "draft_version", "number", "text", "position"])
        .from("draft_articles")
        .order_by("draft_id", Order::Asc)
        .order_by("position", Order::Asc)
        .to_owned();
    let mut articles: HashMap<(Uuid, i32), Vec<(String, String)>> = HashMap::new();
    for row in rows(db, select).await? {
        let key = (row.try_get("", "draft_id")?, row.try_get("", "draft_version")?);
        articles.entry(key).or_default().push((row.try_get("", "number")?, row.try_get("", "text")?));
    }
    let select = Query::select()
        .columns(["id", "congress_id", "title", "description", "current_version", "updated_at"])
        .from("draft_laws")
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        let id: Uuid = row.try_get("", "id")?;
        let version: i32 = row.try_get("", "current_version")?;
        let description: String = row.try_get("", "description")?;
        let current = articles.remove(&(id, version)).unwrap_or_default();
        out.push(Doc {
            kind: SearchKind::DraftLaw,
            id,
            congress: row.try_get("", "congress_id")?,
            title: row.try_get("", "title")?,
            body: draft_body(&description, current.iter().map(|(n, t)| (n.as_str(), t.as_str()))),
            at: row.try_get("", "updated_at")?,
        });
    }
    Ok(out)
}

async fn comments(db: &impl ConnectionTrait) -> Result<Vec<Doc>, DbErr> {
    let select = Query::select().columns(["id", "congress_id", "title"]).from("draft_laws").to_owned();
    let mut drafts: HashMap<Uuid, (Uuid, String)> = HashMap::new();
    for row in rows(db, select).await? {
        drafts.insert(row.try_get("", "id")?, (row.try_get("", "congress_id")?, row.try_get("", "title")?));
    }
    let select = Query::select()
        .columns(["id", "draft_id", "content", "updated_at"])
        .from("draft_comments")
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        let draft: Uuid = row.try_get("", "draft_id")?;
        let Some((congress, title)) = drafts.get(&draft) else { continue };
        out.push(Doc {
            kind: SearchKind::DraftComment,
            id: row.try_get("", "id")?,
            congress: *congress,
            title: comment_title(title),
            body: row.try_get("", "content")?,
            at: row.try_get("", "updated_at")?,
        });
    }
    Ok(out)
}

async fn proposals(db: &impl ConnectionTrait) -> Result<Vec<Doc>, DbErr> {
    let select = Query::select()
        .columns(["id", "congress_id", "law_title", "reason", "created_at"])
        .from("legislative_proposals")
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        out.push(Doc {
            kind: SearchKind::LegislativeProposal,
            id: row.try_get("", "id")?,
            congress: row.try_get("", "congress_id")?,
            title: row.try_get("", "law_title")?,
            body: row.try_get("", "reason")?,
            at: row.try_get("", "created_at")?,
        });
    }
    Ok(out)
}

/// A table with `title`, `body` and `published_at` columns.
async fn plain(db: &impl ConnectionTrait, kind: SearchKind, table: &'static str) -> Result<Vec<Doc>, DbErr> {
    let mut select = Query::select()
        .columns(["id", "congress_id", "title", "body", "published_at"])
        .from(table)
        .to_owned();
    if table == "learning_materials" {
        // A withdrawn material has left search.
        select.and_where(Expr::col("withdrawn_at").is_null());
    }
    let mut out = Vec::new();
    for row in rows(db, select).await? {
        out.push(Doc {
            kind,
            id: row.try_get("", "id")?,
            congress: row.try_get("", "congress_id")?,
            title: row.try_get("", "title")?,
            body: row.try_get("", "body")?,
            at: row.try_get("", "published_at")?,
        });
    }
    Ok(out)
}

async fn insert(db: &impl ConnectionTrait, docs: &[Doc]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in docs.chunks(200) {
        let mut insert = Query::insert()
            .into_table("search_documents")
            .columns(["item_id", "kind", "congress_id", "title", "body", "tokens", "updated_at"])
            .to_owned();
        for d in chunk {
            let tokens = token_string(&format!("{}\n{}", d.title, d.body));
            insert
                .values([
                    d.id.into(),
                    d.kind.as_str().into(),
                    d.congress.into(),
                    d.title.clone().into(),
                    d.body.clone().into(),
                    tokens.into(),
                    d.at.into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}
