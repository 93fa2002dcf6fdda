//! Search (检索): `search_documents` holds, per searchable item, its kind, congress, title, body and the
//! token string the domain cuts its text into (`edaibiao_domain::search::tokens`: CJK bigrams and
//! lowercase ASCII words, space-separated). Retrieval by token is engine-specific, ranking is not:
//! - SQLite: an external-content FTS5 table `search_fts` over `tokens` (tokenizer `unicode61`, which keeps
//!   each pre-cut token whole), kept in step with `search_documents` by triggers;
//! - PostgreSQL: a GIN index on `to_tsvector('simple', tokens)` (the `simple` configuration neither stems
//!   nor drops stop words, so each token is one lexeme).
//!
//! Existing suggestions are indexed once here; afterwards each step that changes an item's text indexes it
//! in its own transaction.

use super::util::index;
use edaibiao_domain::search::token_string;
use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, text, timestamp_with_time_zone, uuid};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000022_search"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("search_documents")
                .col(uuid("item_id").primary_key())
                .col(string("kind"))
                .col(uuid("congress_id"))
                .col(text("title"))
                .col(text("body"))
                .col(text("tokens"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("search_documents", "ix_search_documents_kind", &["kind", "congress_id"]))
            .await?;
        let db = m.get_connection();
        let statements: &[&str] = match db.get_database_backend() {
            DbBackend::Sqlite => &[
                "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_documents', \
                 content_rowid='rowid', tokenize='unicode61')",
                "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN \
                 INSERT INTO search_fts(rowid, tokens) VALUES (new.rowid, new.tokens); END",
                "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN \
                 INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.rowid, old.tokens); END",
                "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN \
                 INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.rowid, old.tokens); \
                 INSERT INTO search_fts(rowid, tokens) VALUES (new.rowid, new.tokens); END",
            ],
            _ => &["CREATE INDEX ix_search_documents_tokens ON search_documents \
                    USING GIN (to_tsvector('simple', tokens))"],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE search_fts").await?;
        }
        m.drop_table(Table::drop().table("search_documents").to_owned()).await
    }
}

/// Indexes the suggestions that exist, in batches.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let select = Query::select()
        .columns(["id", "congress_id", "title", "content", "updated_at"])
        .from("suggestions")
        .to_owned();
    let rows = db.query_all_raw(backend.build(&select)).await?;
    for chunk in rows.chunks(200) {
        let mut insert = Query::insert()
            .into_table("search_documents")
            .columns(["item_id", "kind", "congress_id", "title", "body", "tokens", "updated_at"])
            .to_owned();
        for row in chunk {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let congress: uuid::Uuid = row.try_get("", "congress_id")?;
            let title: String = row.try_get("", "title")?;
            let content: String = row.try_get("", "content")?;
            let at: chrono::DateTime<chrono::Utc> = row.try_get("", "updated_at")?;
            let tokens = token_string(&format!("{title}\n{content}"));
            insert
                .values([
                    id.into(),
                    "SUGGESTION".into(),
                    congress.into(),
                    title.into(),
                    content.into(),
                    tokens.into(),
                    at.into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}
