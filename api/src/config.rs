//! Configuration from environment variables, with defaults that make `cargo run` work on a fresh
//! checkout. Every value is checked at start-up; a bad one stops the server with one line naming it.

use figment::Figment;
use figment::providers::{Env, Serialized};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;

/// Where the server runs. Production refuses insecure defaults and hides GraphiQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppEnv {
    Development,
    Test,
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The raw variables as read; see [`Config`] for the checked form.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Raw {
    app_env: AppEnv,
    database_url: String,
    db_max_connections: u32,
    redis_url: Option<String>,
    redis_prefix: String,
    jwt_secret: Option<String>,
    bind: String,
    public_base_url: Option<String>,
    log_level: String,
    log_format: LogFormat,
    seed_demo_data: Option<bool>,
    reminder_interval_secs: u64,
    push_gateway_url: Option<String>,
    sms_gateway_url: Option<String>,
    push_interval_secs: u64,
    data_encryption_key: Option<String>,
    opinion_close_interval_secs: u64,
    opinion_contact_retention_days: i64,
    moderation_hide_after_reports: u32,
    quota_reminder_interval_secs: u64,
    trusted_proxies: String,
    metrics_token: Option<String>,
    graphql_introspection: Option<bool>,
    trusted_documents: Option<String>,
    graphql_document_cache_bytes: usize,
    files_dir: Option<String>,
    s3_endpoint: Option<String>,
    s3_bucket: Option<String>,
    s3_region: String,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
    file_sweep_interval_secs: u64,
}

impl Default for Raw {
    fn default() -> Self {
        Self {
            app_env: AppEnv::Development,
            database_url: "sqlite://data/edaibiao.db?mode=rwc".into(),
            db_max_connections: 10,
            redis_url: None,
            redis_prefix: "edaibiao".into(),
            jwt_secret: None,
            bind: "127.0.0.1:8080".into(),
            public_base_url: None,
            log_level: "info".into(),
            log_format: LogFormat::Text,
            seed_demo_data: None,
            reminder_interval_secs: 60,
            push_gateway_url: None,
            sms_gateway_url: None,
            push_interval_secs: 1,
            data_encryption_key: None,
            opinion_close_interval_secs: 300,
            opinion_contact_retention_days: 180,
            moderation_hide_after_reports: 3,
            quota_reminder_interval_secs: 3600,
            trusted_proxies: String::new(),
            metrics_token: None,
            graphql_introspection: None,
            trusted_documents: None,
            graphql_document_cache_bytes: 2 * 1024 * 1024,
            files_dir: None,
            s3_endpoint: None,
            s3_bucket: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            file_sweep_interval_secs: 3600,
        }
    }
}

/// A secret that never shows in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub app_env: AppEnv,
    pub database_url: String,
    pub db_max_connections: u32,
    /// PostgreSQL schema instead of `public`; set by tests, not documented for operators.
    pub database_schema: Option<String>,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    /// `None` in development means "generate one at start-up".
    pub jwt_secret: Option<Secret>,
    pub bind: SocketAddr,
    /// How clients reach the server; `None`: derived from the bound address at start-up.
    pub public_base_url: Option<String>,
    pub log_level: String,
    pub log_format: LogFormat,
    pub seed_demo_data: bool,
    /// How often the deadline job runs; `None` turns it off.
    pub reminder_interval: Option<std::time::Duration>,
    /// Where mobile pushes go; `None` means no push dispatcher runs (notifications stay PENDING).
    pub push_gateway_url: Option<String>,
    /// Where text messages (voters' one-time codes) are POSTed; `None` means they are only logged.
    pub sms_gateway_url: Option<String>,
    /// How often the push dispatcher looks for notifications to push.
    pub push_interval: std::time::Duration,
    /// Key for personal data at rest (citizens' contact phones); `None` in development means the fixed
    /// development key.
    pub data_encryption_key: Option<Secret>,
    /// How often the jobs closing unrated opinions and erasing expired contact details run; `None` turns
    /// them off.
    pub opinion_close_interval: Option<std::time::Duration>,
    /// Days a closed opinion keeps the citizen's contact name and phone before the retention job erases
    /// them (`OPINION_CONTACT_RETENTION_DAYS`, 0–3650, default 180).
    pub opinion_contact_retention_days: i64,
    /// How many reports from different accounts hide a piece of public content for review
    /// (`MODERATION_HIDE_AFTER_REPORTS`, 1–100, default 3).
    pub moderation: edaibiao_domain::moderation::ModerationPolicy,
    /// How often the job reminding deputies behind on a quota runs; `None` turns it off.
    pub quota_reminder_interval: Option<std::time::Duration>,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` headers are believed; from anyone else they are the
    /// client's word and the socket's address counts.
    pub trusted_proxies: crate::client::TrustedProxies,
    /// Bearer token `/metrics` asks for; without one `/metrics` is open outside production, hidden in it.
    pub metrics_token: Option<Secret>,
    /// Whether introspection and "Did you mean …" suggestions are on (off in production by default).
    pub graphql_introspection: bool,
    /// A manifest of the app's operations (`TRUSTED_DOCUMENTS`, a file path): when set, only those run,
    /// and persisted queries cannot be registered at run time.
    pub trusted_documents: Option<String>,
    /// Bytes of document text whose parsed form each instance keeps (`GRAPHQL_DOCUMENT_CACHE_BYTES`;
    /// 0 turns the cache off).
    pub graphql_document_cache_bytes: usize,
    /// Where attachments are stored: a folder (`FILES_DIR`, default beside the SQLite file) or S3.
    pub files: edaibiao_infra::files::StorageSettings,
    /// How often blobs no attachment links to are swept; `None` turns the sweep off.
    pub file_sweep_interval: Option<std::time::Duration>,
}

/// A configuration value that cannot be used: which variable, and why.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {variable}: {reason}")]
pub struct ConfigError {
    pub variable: String,
    pub reason: String,
}

fn bad(variable: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError { variable: variable.into(), reason: reason.into() }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_figment(Figment::from(Serialized::defaults(Raw::default())).merge(Env::raw().only(&[
            "APP_ENV",
            "DATABASE_URL",
            "DB_MAX_CONNECTIONS",
            "REDIS_URL",
            "REDIS_PREFIX",
            "JWT_SECRET",
            "BIND",
            "PUBLIC_BASE_URL",
            "LOG_LEVEL",
            "LOG_FORMAT",
            "SEED_DEMO_DATA",
            "REMINDER_INTERVAL_SECS",
            "PUSH_GATEWAY_URL",
            "SMS_GATEWAY_URL",
            "PUSH_INTERVAL_SECS",
            "DATA_ENCRYPTION_KEY",
            "OPINION_CLOSE_INTERVAL_SECS",
            "OPINION_CONTACT_RETENTION_DAYS",
            "MODERATION_HIDE_AFTER_REPORTS",
            "QUOTA_REMINDER_INTERVAL_SECS",
            "TRUSTED_PROXIES",
            "METRICS_TOKEN",
            "GRAPHQL_INTROSPECTION",
            "TRUSTED_DOCUMENTS",
            "GRAPHQL_DOCUMENT_CACHE_BYTES",
            "FILES_DIR",
            "S3_ENDPOINT",
            "S3_BUCKET",
            "S3_REGION",
            "S3_ACCESS_KEY_ID",
            "S3_SECRET_ACCESS_KEY",
            "FILE_SWEEP_INTERVAL_SECS",
        ])))
    }

    /// Reads `(VARIABLE, value)` pairs instead of the environment (tests).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Raw::default()));
        for (key, value) in pairs {
            // Parsed like environment values ("true" is a boolean, "10" a number).
            let value: figment::value::Value = value.parse().unwrap_or_else(|_| (*value).into());
            figment = figment.merge((key.to_ascii_lowercase(), value));
        }
        Self::from_figment(figment)
    }

    fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let raw: Raw = figment.extract().map_err(|e| {
            let variable = e.path.last().map_or_else(|| "environment".to_owned(), |p| p.to_ascii_uppercase());
            bad(&variable, e.kind.to_string())
        })?;
        Self::check(raw)
    }

    fn check(raw: Raw) -> Result<Self, ConfigError> {
        let production = raw.app_env == AppEnv::Production;
        let files = files_settings(&raw)?;
        if !(raw.database_url.starts_with("sqlite:")
            || raw.database_url.starts_with("postgres://")
            || raw.database_url.starts_with("postgresql://"))
        {
            return Err(bad("DATABASE_URL", "must start with sqlite:, postgres:// or postgresql://"));
        }
        if !(1..=1000).contains(&raw.db_max_connections) {
            return Err(bad("DB_MAX_CONNECTIONS", "must be between 1 and 1000"));
        }
        let redis_url = raw.redis_url.filter(|u| !u.trim().is_empty());
        if let Some(url) = &redis_url
            && !(url.starts_with("redis://") || url.starts_with("rediss://"))
        {
            return Err(bad("REDIS_URL", "must start with redis:// or rediss://"));
        }
        let jwt_secret = raw.jwt_secret.filter(|s| !s.is_empty()).map(Secret::new);
        match &jwt_secret {
            None if production => return Err(bad("JWT_SECRET", "is required when APP_ENV=production")),
            Some(secret) if secret.expose().len() < 32 => {
                return Err(bad("JWT_SECRET", "must be at least 32 bytes long"));
            }
            _ => {}
        }
        let bind = raw
            .bind
            .parse::<SocketAddr>()
            .map_err(|_| bad("BIND", "must be an address like 127.0.0.1:8080"))?;
        let base =
            raw.public_base_url.filter(|u| !u.trim().is_empty()).map(|u| u.trim_end_matches('/').to_owned());
        if let Some(base) = &base
            && !(base.starts_with("http://") || base.starts_with("https://"))
        {
            return Err(bad("PUBLIC_BASE_URL", "must be an http(s) URL"));
        }
        let push_gateway_url = raw.push_gateway_url.filter(|u| !u.trim().is_empty());
        if let Some(url) = &push_gateway_url
            && edaibiao_domain::text::web_url("PUSH_GATEWAY_URL", url).is_err()
        {
            return Err(bad("PUSH_GATEWAY_URL", "must be an http(s) URL like http://push-gateway:9000/push"));
        }
        let sms_gateway_url = raw.sms_gateway_url.filter(|u| !u.trim().is_empty());
        if let Some(url) = &sms_gateway_url
            && edaibiao_domain::text::web_url("SMS_GATEWAY_URL", url).is_err()
        {
            return Err(bad("SMS_GATEWAY_URL", "must be an http(s) URL like http://sms-gateway:9000/send"));
        }
        if !(0..=3650).contains(&raw.opinion_contact_retention_days) {
            return Err(bad("OPINION_CONTACT_RETENTION_DAYS", "must be between 0 and 3650"));
        }
        let moderation =
            edaibiao_domain::moderation::ModerationPolicy::new(raw.moderation_hide_after_reports)
                .map_err(|_| bad("MODERATION_HIDE_AFTER_REPORTS", "must be between 1 and 100"))?;
        if !(1..=3600).contains(&raw.push_interval_secs) {
            return Err(bad("PUSH_INTERVAL_SECS", "must be between 1 and 3600"));
        }
        let data_encryption_key = raw.data_encryption_key.filter(|s| !s.is_empty()).map(Secret::new);
        match &data_encryption_key {
            None if production => {
                return Err(bad("DATA_ENCRYPTION_KEY", "is required when APP_ENV=production"));
            }
            Some(key) if key.expose().len() < 32 => {
                return Err(bad("DATA_ENCRYPTION_KEY", "must be at least 32 bytes long"));
            }
            _ => {}
        }
        let trusted_proxies = raw
            .trusted_proxies
            .parse()
            .map_err(|e: crate::client::ProxyListError| bad("TRUSTED_PROXIES", e.to_string()))?;
        let metrics_token = raw.metrics_token.filter(|s| !s.is_empty()).map(Secret::new);
        if metrics_token.as_ref().is_some_and(|t| t.expose().len() < 16) {
            return Err(bad("METRICS_TOKEN", "must be at least 16 bytes long"));
        }
        tracing_subscriber::EnvFilter::try_new(&raw.log_level)
            .map_err(|e| bad("LOG_LEVEL", e.to_string()))?;
        Ok(Self {
            app_env: raw.app_env,
            database_url: raw.database_url,
            db_max_connections: raw.db_max_connections,
            database_schema: None,
            redis_url,
            redis_prefix: raw.redis_prefix,
            jwt_secret,
            bind,
            public_base_url: base,
            log_level: raw.log_level,
            log_format: raw.log_format,
            seed_demo_data: raw.seed_demo_data.unwrap_or(!production),
            reminder_interval: (raw.reminder_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(raw.reminder_interval_secs)),
            push_gateway_url,
            sms_gateway_url,
            push_interval: std::time::Duration::from_secs(raw.push_interval_secs),
            data_encryption_key,
            opinion_close_interval: (raw.opinion_close_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(raw.opinion_close_interval_secs)),
            opinion_contact_retention_days: raw.opinion_contact_retention_days,
            moderation,
            quota_reminder_interval: (raw.quota_reminder_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(raw.quota_reminder_interval_secs)),
            trusted_proxies,
            metrics_token,
            graphql_introspection: raw.graphql_introspection.unwrap_or(!production),
            trusted_documents: raw.trusted_documents.filter(|p| !p.trim().is_empty()),
            graphql_document_cache_bytes: raw.graphql_document_cache_bytes,
            files,
            file_sweep_interval: (raw.file_sweep_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(raw.file_sweep_interval_secs)),
        })
    }

    /// How to reach the database, as start-up and the `migrate` command both need it.
    pub fn db_settings(&self) -> edaibiao_infra::DbSettings {
        edaibiao_infra::DbSettings {
            url: self.database_url.clone(),
            max_connections: self.db_max_connections,
            schema: self.database_schema.clone(),
        }
    }

    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }
}

/// S3 when `S3_ENDPOINT` is set (then bucket and keys are required), else a folder: `FILES_DIR`, or
/// `files/` beside the SQLite file (`data/files` for the default database, `data/files` for PostgreSQL).
fn files_settings(raw: &Raw) -> Result<edaibiao_infra::files::StorageSettings, ConfigError> {
    use edaibiao_infra::files::StorageSettings;
    let set = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    if let Some(endpoint) = set(&raw.s3_endpoint) {
        if edaibiao_domain::text::web_url("S3_ENDPOINT", &endpoint).is_err() {
            return Err(bad("S3_ENDPOINT", "must be an http(s) URL like http://minio:9000"));
        }
        let required = |name: &str, v: &Option<String>| {
            set(v).ok_or_else(|| bad(name, "is required when S3_ENDPOINT is set"))
        };
        return Ok(StorageSettings::S3 {
            endpoint,
            bucket: required("S3_BUCKET", &raw.s3_bucket)?,
            region: raw.s3_region.clone(),
            access_key_id: required("S3_ACCESS_KEY_ID", &raw.s3_access_key_id)?,
            secret_access_key: required("S3_SECRET_ACCESS_KEY", &raw.s3_secret_access_key)?,
        });
    }
    let dir = match set(&raw.files_dir) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            let file = raw
                .database_url
                .strip_prefix("sqlite://")
                .or_else(|| raw.database_url.strip_prefix("sqlite:"))
                .map(|rest| rest.split('?').next().unwrap_or(rest))
                .filter(|path| !path.is_empty() && !path.contains(":memory:"));
            match file.and_then(|f| std::path::Path::new(f).parent().map(std::path::Path::to_path_buf)) {
                Some(parent) => parent.join("files"),
                None => std::path::PathBuf::from("data/files"),
            }
        }
    };
    Ok(StorageSettings::Fs { dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(pairs: &[(&str, &str)]) -> String {
        Config::from_pairs(pairs).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn defaults_run_embedded() {
        let Ok(config) = Config::from_pairs(&[]) else { panic!("defaults must be valid") };
        assert!(config.database_url.starts_with("sqlite:"));
        assert!(config.redis_url.is_none());
        assert!(config.seed_demo_data);
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert!(config.push_gateway_url.is_none(), "no push without a gateway");
        assert_eq!(config.push_interval, std::time::Duration::from_secs(1));
        let push = Config::from_pairs(&[("PUSH_GATEWAY_URL", "http://127.0.0.1:9000/push")]);
        assert!(push.is_ok_and(|c| c.push_gateway_url.as_deref() == Some("http://127.0.0.1:9000/push")));
        assert!(config.sms_gateway_url.is_none(), "codes are only logged without a gateway");
        let sms = Config::from_pairs(&[("SMS_GATEWAY_URL", "http://127.0.0.1:9000/sms")]);
        assert!(sms.is_ok_and(|c| c.sms_gateway_url.as_deref() == Some("http://127.0.0.1:9000/sms")));
        assert!(error_of(&[("SMS_GATEWAY_URL", "sms:9000")]).contains("SMS_GATEWAY_URL: must be"));
    }

    #[test]
    fn production_hides_introspection_and_proxies_are_cidrs() {
        let secret = "x".repeat(32);
        let production =
            [("APP_ENV", "production"), ("JWT_SECRET", &secret), ("DATA_ENCRYPTION_KEY", &secret)];
        assert!(Config::from_pairs(&production).is_ok_and(|c| !c.graphql_introspection));
        let mut on = production.to_vec();
        on.push(("GRAPHQL_INTROSPECTION", "true"));
        assert!(Config::from_pairs(&on).is_ok_and(|c| c.graphql_introspection));
        assert!(
            Config::from_pairs(&[]).is_ok_and(|c| c.graphql_introspection && c.trusted_proxies.is_empty())
        );
        let proxies = Config::from_pairs(&[("TRUSTED_PROXIES", "10.0.0.0/8, 172.16.0.1")]);
        assert!(proxies.is_ok_and(|c| {
            c.trusted_proxies.contains("172.16.0.1".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()))
        }));
        assert!(error_of(&[("TRUSTED_PROXIES", "10.0.0.0/33")]).contains("TRUSTED_PROXIES"));
        assert!(error_of(&[("METRICS_TOKEN", "short")]).contains("METRICS_TOKEN"));
    }

    #[test]
    fn production_needs_a_strong_secret() {
        assert!(error_of(&[("APP_ENV", "production")]).contains("JWT_SECRET"));
        assert!(error_of(&[("JWT_SECRET", "short")]).contains("JWT_SECRET: must be at least 32 bytes"));
        let secret = "x".repeat(32);
        let config = Config::from_pairs(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", &secret),
            ("DATA_ENCRYPTION_KEY", &secret),
        ]);
        assert!(config.is_ok_and(|c| !c.seed_demo_data));
        let no_data_key = error_of(&[("APP_ENV", "production"), ("JWT_SECRET", &secret)]);
        assert!(no_data_key.contains("DATA_ENCRYPTION_KEY"), "{no_data_key}");
        assert!(
            error_of(&[("DATA_ENCRYPTION_KEY", "short")])
                .contains("DATA_ENCRYPTION_KEY: must be at least 32")
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert!(error_of(&[("DATABASE_URL", "mysql://x")]).contains("DATABASE_URL"));
        assert!(error_of(&[("BIND", "nowhere")]).contains("BIND"));
        assert!(
            error_of(&[("MODERATION_HIDE_AFTER_REPORTS", "0")]).contains("MODERATION_HIDE_AFTER_REPORTS")
        );
        assert!(
            error_of(&[("MODERATION_HIDE_AFTER_REPORTS", "101")]).contains("MODERATION_HIDE_AFTER_REPORTS")
        );
        assert!(
            Config::from_pairs(&[("MODERATION_HIDE_AFTER_REPORTS", "5")])
                .is_ok_and(|c| c.moderation.hide_after == 5)
        );
        assert!(error_of(&[("REDIS_URL", "http://x")]).contains("REDIS_URL"));
        assert!(error_of(&[("APP_ENV", "staging")]).contains("APP_ENV"));
        assert!(error_of(&[("DB_MAX_CONNECTIONS", "lots")]).contains("DB_MAX_CONNECTIONS"));
        assert!(error_of(&[("PUBLIC_BASE_URL", "example.org")]).contains("PUBLIC_BASE_URL"));
        assert!(error_of(&[("PUSH_GATEWAY_URL", "gateway:9000")]).contains("PUSH_GATEWAY_URL: must be"));
        assert!(error_of(&[("PUSH_INTERVAL_SECS", "0")]).contains("PUSH_INTERVAL_SECS"));
    }

    #[test]
    fn files_go_beside_the_database_unless_s3_is_named() {
        let fs = |pairs: &[(&str, &str)]| match Config::from_pairs(pairs).map(|c| c.files) {
            Ok(edaibiao_infra::files::StorageSettings::Fs { dir }) => dir.display().to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(fs(&[]), "data/files");
        assert_eq!(fs(&[("DATABASE_URL", "sqlite:///var/lib/e/db.sqlite?mode=rwc")]), "/var/lib/e/files");
        assert_eq!(fs(&[("FILES_DIR", "/srv/files")]), "/srv/files");
        assert!(error_of(&[("S3_ENDPOINT", "http://minio:9000")]).contains("S3_BUCKET"));
        let s3 = Config::from_pairs(&[
            ("S3_ENDPOINT", "http://minio:9000"),
            ("S3_BUCKET", "edaibiao"),
            ("S3_ACCESS_KEY_ID", "key"),
            ("S3_SECRET_ACCESS_KEY", "secret"),
        ]);
        assert!(s3.is_ok_and(|c| matches!(c.files, edaibiao_infra::files::StorageSettings::S3 { .. })));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let secret = "s".repeat(40);
        let data_key = "d".repeat(40);
        let Ok(config) = Config::from_pairs(&[("JWT_SECRET", &secret), ("DATA_ENCRYPTION_KEY", &data_key)])
        else {
            panic!("valid config refused")
        };
        assert!(!format!("{config:?}").contains(&secret));
        assert!(!format!("{config:?}").contains(&data_key));
    }
}
