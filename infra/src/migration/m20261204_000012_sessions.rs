//! Sessions live in the database (issue 13): one row per login, the authority on whether its access and
//! refresh tokens still hold. Until now a session was only its chain of refresh tokens (`family_id`) and
//! a revocation mark in the cache, which a Redis restart forgot. Every existing family becomes a session,
//! ended when its tokens were revoked (revocation marked every token of the family at once).

use super::util::{fk, index};
use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{pk_uuid, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000012_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sessions")
                .col(pk_uuid("id"))
                .col(uuid("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("sessions", "account_id", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", "ix_sessions_account", &["account_id", "revoked_at"])).await?;

        // One row per refresh-token family; a family belongs to one account.
        let families = Query::select()
            .column("family_id")
            .column("account_id")
            .expr(Expr::col("created_at").min())
            .expr(Expr::col("revoked_at").max())
            .from("refresh_tokens")
            .group_by_col("family_id")
            .group_by_col("account_id")
            .to_owned();
        let backfill = Query::insert()
            .into_table("sessions")
            .columns(["id", "account_id", "created_at", "revoked_at"])
            .select_from(families)
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        let db = m.get_connection();
        db.execute_raw(db.get_database_backend().build(&backfill)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sessions").to_owned()).await
    }
}

#[cfg(test)]
mod tests {
    use crate::entity::{account, refresh_token, session};
    use crate::migration::Migrator;
    use chrono::{Duration, Utc};
    use sea_orm::{ActiveValue::Set, Database, EntityTrait};
    use sea_orm_migration::MigratorTrait;
    use uuid::Uuid;

    fn token(
        family: Uuid,
        account: Uuid,
        age_minutes: i64,
        rotated: bool,
        revoked: bool,
    ) -> refresh_token::ActiveModel {
        let at = Utc::now() - Duration::minutes(age_minutes);
        refresh_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family),
            account_id: Set(account),
            token_hash: Set(Uuid::new_v4().to_string()),
            expires_at: Set(at + Duration::days(30)),
            rotated_at: Set(rotated.then_some(at)),
            revoked_at: Set(revoked.then_some(at)),
            created_at: Set(at),
        }
    }

    #[tokio::test]
    async fn every_refresh_token_family_becomes_a_session() {
        let file = std::env::temp_dir().join(format!("edaibiao-migration-{}.db", Uuid::new_v4().simple()));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{e}"));
        Migrator::up(&db, Some(11)).await.unwrap_or_else(|e| panic!("{e}"));
        let now = Utc::now();
        let owner = Uuid::now_v7();
        let row = account::ActiveModel {
            id: Set(owner),
            phone: Set("13900009999".into()),
            password_hash: Set("x".into()),
            name: Set("测试".into()),
            role: Set("CITIZEN".into()),
            congress_id: Set(None),
            unit_id: Set(None),
            deputy_id: Set(None),
            station_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        };
        account::Entity::insert(row).exec(&db).await.unwrap_or_else(|e| panic!("{e}"));
        let (live, ended) = (Uuid::now_v7(), Uuid::now_v7());
        let tokens = vec![
            token(live, owner, 60, true, false),
            token(live, owner, 30, false, false),
            token(ended, owner, 20, true, true),
            token(ended, owner, 10, false, true),
        ];
        refresh_token::Entity::insert_many(tokens).exec(&db).await.unwrap_or_else(|e| panic!("{e}"));

        Migrator::up(&db, None).await.unwrap_or_else(|e| panic!("{e}"));
        let sessions = session::Entity::find().all(&db).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sessions.len(), 2);
        let of = |id: Uuid| sessions.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no session {id}"));
        assert_eq!(of(live).account_id, owner);
        assert_eq!(of(live).revoked_at, None);
        let started = now - Duration::minutes(60);
        assert!((of(live).created_at - started).num_seconds().abs() <= 1, "starts with its first token");
        assert!(of(ended).revoked_at.is_some());
        let _ = db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}
