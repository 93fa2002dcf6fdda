//! Start-up: configuration → migrations → connections → demo data → schema → HTTP server.

use crate::auth::TokenKeys;
use crate::config::Config;
use crate::graphql::persisted::{Persisted, TrustedDocuments};
use crate::graphql::{EdgeSettings, Services, build_schema};
use crate::http::{self, AppState, MAX_BODY_BYTES};
use crate::{qr, ws};
use actix_http::HttpService;
use actix_web::dev::AppConfig;
use actix_web::dev::Server;
use actix_web::{App, web};
use edaibiao_domain::opinion::OpinionPolicy;
use edaibiao_domain::suggestion::SuggestionPolicy;
use edaibiao_infra::bus::Bus;
use edaibiao_infra::outbox::{self, RelayHealth};
use edaibiao_infra::persisted_queries::PersistedQueries;
use edaibiao_infra::{Cache, Store, opinions, secrets, seed, suggestions};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::Duration;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cache: {0}")]
    Cache(edaibiao_infra::Error),
    #[error("demo data: {0}")]
    Seed(edaibiao_infra::Error),
    #[error("data encryption key: {0}")]
    DataKey(edaibiao_infra::Error),
    #[error("file storage: {0}")]
    Files(edaibiao_infra::Error),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("configuration error: TRUSTED_DOCUMENTS: {0}")]
    TrustedDocuments(#[from] crate::graphql::persisted::ManifestError),
}

/// The Prometheus recorder is process-wide; tests build many applications in one process.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// A built server, listening but not yet serving.
pub struct Application {
    port: u16,
    server: Server,
    store: Store,
    /// Background jobs (outbox relay, reminders, push, opinion closing), stopped before the pool closes.
    jobs: Vec<tokio::task::JoinHandle<()>>,
    /// Fired on shutdown: every WebSocket closes at once with 1001 (going away).
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        // Bound first, so that links and QR codes can name the port actually taken (`BIND=…:0` included).
        let listener = TcpListener::bind(config.bind)?;
        let bound = listener.local_addr()?;
        let public_base_url = config.public_base_url.clone().unwrap_or_else(|| base_url_of(bound));
        let settings = config.db_settings();
        let db = settings.connect().await?;
        let cache = Cache::connect(config.redis_url.as_deref(), &config.redis_prefix)
            .await
            .map_err(StartupError::Cache)?;
        let bus = match config.redis_url.as_deref() {
            Some(url) => Bus::redis(url, &config.redis_prefix).await.map_err(StartupError::Cache)?,
            None => Bus::local(),
        };
        let store = Store::new(db, cache).with_bus(bus);
        // Demo data is loaded in the migration turn, so two instances starting together load it once.
        let seeded = settings
            .migrate_then(async {
                if !config.seed_demo_data {
                    return Ok(Ok(false));
                }
                Ok(seed::seed_if_empty(&store).await)
            })
            .await?
            .map_err(StartupError::Seed)?;
        if seeded {
            tracing::info!("loaded demo data; see the README for demo logins");
        }

        let secret = match &config.jwt_secret {
            Some(secret) => secret.expose().as_bytes().to_vec(),
            None => {
                tracing::warn!(
                    "JWT_SECRET is not set: using a random secret; tokens end when the server stops"
                );
                secrets::random_token().map_err(StartupError::Seed)?.into_bytes()
            }
        };
        let vault = match &config.data_encryption_key {
            Some(key) => {
                edaibiao_infra::vault::Vault::new(key.expose().as_bytes()).map_err(StartupError::DataKey)?
            }
            None => {
                tracing::warn!(
                    "DATA_ENCRYPTION_KEY is not set: contact phones are encrypted with the public development key"
                );
                edaibiao_infra::vault::Vault::development()
            }
        };
        let policy = OpinionPolicy {
            contact_retention_days: config.opinion_contact_retention_days,
            ..OpinionPolicy::default()
        };
        let opinion_settings = opinions::OpinionSettings { vault, policy };
        // Migrations, seeds and imports since the last start wrote without moving the data epoch: answers
        // other instances keep must not outlive them.
        store.advance_epoch().await;
        let mut jobs = Vec::new();
        if let Some(every) = config.opinion_close_interval {
            jobs.push(tokio::spawn(opinions::timeout::run_forever(
                store.clone(),
                opinion_settings.policy,
                every,
            )));
            let (store, policy) = (store.clone(), opinion_settings.policy);
            jobs.push(tokio::spawn(async move {
                edaibiao_infra::job::repeat("opinion contact retention", every, || {
                    opinions::erasure::erase_due(&store, &policy, chrono::Utc::now())
                })
                .await;
            }));
        }
        let services = Services {
            store: store.clone(),
            keys: TokenKeys::new(&secret),
            suggestion_policy: SuggestionPolicy::default(),
            opinions: opinion_settings,
            moderation: config.moderation,
            public_base_url: public_base_url.clone(),
            sms: edaibiao_infra::sms::sender(config.sms_gateway_url.as_deref()),
            files: crate::graphql::FileServices {
                storage: edaibiao_infra::files::Storage::open(&config.files).map_err(StartupError::Files)?,
                links: edaibiao_infra::files::LinkSigner::new(&secret),
            },
        };
        if let Some(every) = config.file_sweep_interval {
            jobs.push(tokio::spawn(edaibiao_infra::files::sweep_forever(
                store.clone(),
                services.files.storage.clone(),
                every,
            )));
        }
        let trusted = match &config.trusted_documents {
            Some(path) => {
                let trusted = Arc::new(TrustedDocuments::load(path)?);
                tracing::info!(operations = trusted.len(), "trusted documents: only these operations run");
                Some(trusted)
            }
            None => None,
        };
        let persisted = Persisted { store: Arc::new(PersistedQueries::new(store.cache.clone())), trusted };
        let relay = Arc::new(RelayHealth::default());
        let state = web::Data::new(AppState {
            schema: build_schema(
                services.clone(),
                EdgeSettings {
                    introspection: config.graphql_introspection,
                    trusted: persisted.trusted.clone(),
                    document_cache_bytes: config.graphql_document_cache_bytes,
                },
            ),
            persisted,
            services,
            metrics: metrics_handle(),
            dev_tools: !config.is_production(),
            relay: relay.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            metrics_token: config.metrics_token.clone(),
            pages: Default::default(),
            live: Default::default(),
        });

        // Publishes what transactions put in the outbox; polls for other instances' leftovers.
        jobs.push(tokio::spawn(outbox::relay_forever(
            store.clone(),
            store.bus.clone(),
            relay,
            Duration::from_secs(1),
        )));

        if let Some(every) = config.reminder_interval {
            jobs.push(tokio::spawn(suggestions::reminders::run_forever(store.clone(), every)));
            jobs.push(tokio::spawn(edaibiao_infra::projects::reminders::run_forever(store.clone(), every)));
            jobs.push(tokio::spawn(edaibiao_infra::appraisals::reminders::run_forever(store.clone(), every)));
        }
        if let Some(every) = config.quota_reminder_interval {
            jobs.push(tokio::spawn(edaibiao_infra::duty::quotas::run_forever(store.clone(), every)));
        }
        // Without a gateway no dispatcher runs: notifications stay PENDING (and expire once one runs).
        if let Some(url) = &config.push_gateway_url {
            let gateway =
                edaibiao_infra::push::Gateway::new(url, edaibiao_infra::push::Gateway::DEFAULT_TIMEOUT);
            jobs.push(tokio::spawn(edaibiao_infra::push::run_forever(
                store.clone(),
                gateway,
                config.push_interval,
            )));
        }

        let port = bound.port();
        let (shutdown, sockets_shutdown) = ws::Shutdown::channel();
        // actix-web's `HttpServer` with one addition: WebSocket upgrades leave the HTTP layer at the
        // handshake (see `ws`), so an idle socket keeps none of its buffers.
        let server = Server::build()
            .disable_signals()
            .shutdown_timeout(20)
            .listen("edaibiao", listener, move || {
                let (sockets, shutdown) = (state.clone(), sockets_shutdown.clone());
                let upgrade = actix_service::fn_service(move |upgrade| {
                    ws::upgrade(sockets.clone(), shutdown.clone(), upgrade)
                });
                HttpService::build()
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .upgrade(upgrade)
                    .finish(actix_service::map_config(app(state.clone()), |_| AppConfig::default()))
                    .tcp()
            })?
            .run();
        tracing::info!(
            port,
            database = if settings.is_sqlite() { "sqlite" } else { "postgres" },
            cache = store.cache.backend_name(),
            "listening"
        );
        if !config.is_production() {
            tracing::info!("GraphiQL: {public_base_url}/graphql");
        }
        Ok(Self { port, server, store, jobs, shutdown })
    }

    /// The port the server listens on (useful with port 0 in tests).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then closes every WebSocket with 1001 (going away), lets in-flight
    /// requests finish and closes the pool.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let sockets = self.shutdown;
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: closing WebSockets, finishing in-flight requests");
            let _ = sockets.send(true);
            handle.stop(true).await;
        });
        self.server.await?;
        for job in &self.jobs {
            job.abort();
        }
        let _ = self.store.db.close().await;
        Ok(())
    }

    /// Serves until the future is dropped (tests). Sockets are never told to shut down (a dropped trigger
    /// means "never").
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// The routes, for each worker.
fn app(
    state: web::Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(state)
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .route("/graphql", web::post().to(http::graphql::post))
        .route("/files/{token}", web::get().to(crate::files::download))
        .route("/files/uploads/{token}", web::put().to(crate::files::upload))
        .route("/graphql", web::get().to(http::graphql::get))
        .route("/graphql", web::route().to(http::graphql::other_method))
        .route("/graphiql", web::get().to(crate::graphiql::ide))
        .route("/graphiql/{name}", web::get().to(crate::graphiql::asset))
        .route("/healthz", web::get().to(http::healthz))
        .route("/metrics", web::get().to(http::metrics))
        .route("/debug/sql-statements", web::get().to(http::sql_statements))
        .route("/qr/deputies/{file}", web::get().to(qr::image))
        .route("/d/{token}", web::get().to(qr::card_page))
        .route("/me/personal-data.json", web::get().to(crate::personal_data::download))
        .route("/open311/v2/discovery.json", web::get().to(crate::open311::discovery))
        .route("/open311/v2/services.json", web::get().to(crate::open311::services))
        .route("/open311/v2/services/{code}", web::get().to(crate::open311::service_definition))
        .route("/open311/v2/requests.json", web::get().to(crate::open311::requests))
        .route("/open311/v2/requests.json", web::route().to(crate::open311::read_only))
        .route("/open311/v2/requests/{file}", web::get().to(crate::open311::request))
        .route("/t", web::get().to(crate::tracking::form))
        .route("/t/{code}", web::get().to(crate::tracking::status))
        .route("/t/{code}", web::post().to(crate::tracking::rate))
        .route("/qr/voters/{file}", web::get().to(crate::voters::image))
        .route("/v/{token}", web::get().to(crate::voters::rating_page))
        .route("/a/{token}", web::get().to(crate::appraisal_vote::vote_page))
        .route("/exports/{file}", web::get().to(crate::exports::export))
}

/// Where clients reach a server bound to `bound` when `PUBLIC_BASE_URL` is unset: the bound port, on the
/// loopback address when bound to all interfaces (a development set-up; production sets the variable).
fn base_url_of(bound: std::net::SocketAddr) -> String {
    let ip = match bound.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", std::net::SocketAddr::new(ip, bound.port()))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
