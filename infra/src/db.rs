//! Database connection and migrations for SQLite (the embedded default) and PostgreSQL (production).

use crate::migration::Migrator;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

pub type Db = DatabaseConnection;

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbSettings {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
    /// PostgreSQL schema to use instead of `public` (tests give each run its own).
    pub schema: Option<String>,
}

impl DbSettings {
    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }

    fn options(&self, max_connections: u32) -> ConnectOptions {
        let mut opts = ConnectOptions::new(self.url.clone());
        opts.max_connections(max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(5))
            .sqlx_logging(false)
            // SQLite in WAL mode lets readers run beside the one writer; the busy timeout makes a writer
            // wait for the lock instead of failing at once.
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        if let Some(schema) = &self.schema {
            opts.set_schema_search_path(schema.clone());
        }
        opts
    }

    /// Creates the directory of a SQLite file so that a fresh checkout runs without setup.
    fn ensure_sqlite_dir(&self) -> std::io::Result<()> {
        let Some(rest) = self.url.strip_prefix("sqlite://").or_else(|| self.url.strip_prefix("sqlite:"))
        else {
            return Ok(());
        };
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path.starts_with(":memory:") {
            return Ok(());
        }
        match std::path::Path::new(path).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
            _ => Ok(()),
        }
    }

    /// Opens the connection pool. On SQLite, pools of one process open in turn with its migrations: a
    /// fresh file switches to WAL on its first connection, and two first connections at once fail with
    /// "database is locked" instead of waiting.
    pub async fn connect(&self) -> Result<Db, DbErr> {
        if self.is_sqlite() {
            let _turn = SQLITE_TURN.lock().await;
            return self.connect_now().await;
        }
        self.connect_now().await
    }

    async fn connect_now(&self) -> Result<Db, DbErr> {
        self.ensure_sqlite_dir()
            .map_err(|e| DbErr::Custom(format!("cannot create the SQLite directory: {e}")))?;
        Database::connect(self.options(self.max_connections)).await
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        self.migrate_then(async { Ok(()) }).await
    }

    /// Applies pending migrations, then runs `then` (e.g. loading demo data into an empty database) before
    /// letting anyone else migrate. On PostgreSQL an advisory lock held on a dedicated connection makes API
    /// instances that start together take turns instead of racing. SQLite serves one instance, so a lock
    /// within the process is enough.
    pub async fn migrate_then<T>(&self, then: impl Future<Output = Result<T, DbErr>>) -> Result<T, DbErr> {
        if self.is_sqlite() {
            let _turn = SQLITE_TURN.lock().await;
            let db = self.connect_now().await?;
            Migrator::up(&db, None).await?;
            db.close().await?;
            return then.await;
        }
        let conn = Database::connect(self.options(1)).await?;
        let lock = |sql: &str| Statement::from_string(DbBackend::Postgres, sql.to_owned());
        conn.execute_raw(lock(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))).await?;
        // Inside the lock: concurrent `CREATE SCHEMA IF NOT EXISTS` can still collide on PostgreSQL.
        if let Some(schema) = &self.schema {
            conn.execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{}\"", schema.replace('"', "")))
                .await?;
        }
        let result = match Migrator::up(&conn, None).await {
            Ok(()) => then.await,
            Err(err) => Err(err),
        };
        let unlocked = conn.execute_raw(lock(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))).await;
        conn.close().await?;
        let value = result?;
        unlocked?;
        Ok(value)
    }
}

/// Serialises SQLite pool openings and migrations within the process (SQLite serves one instance).
static SQLITE_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Arbitrary but fixed key of the migration advisory lock ("edaibiao" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x6564_6169_6269_616f;

/// Connection pool usage: `(open connections, idle connections)`.
pub fn pool_stats(db: &Db) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

/// Checks that the database answers.
pub async fn ping(db: &Db) -> bool {
    db.ping().await.is_ok()
}
