//! Start-up: pick the backend from `DATABASE_URL`, migrate, optionally seed demo data,
//! build the router (pages, REST API, forms, health checks, sessions), bind the listener
//! (port 0 in tests) and serve until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use loopdesk::clock::Clock;
use loopdesk::login::LoginThrottle;
use tokio::net::TcpListener;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

use app::app::{shell, App};
use app::auth::hash_password_blocking;
use app::state::AppState;

use crate::config::Config;
use crate::seed::{seed_demo, SeedOutcome, DEMO_LOGINS, DEMO_PASSWORD};
use crate::store::Backend;
use crate::{api, gate, web};

/// `server audit verify`: walks the audit log's hash chain of the configured database.
pub async fn audit_verify(
    config: &Config,
) -> anyhow::Result<Result<u64, loopdesk::audit::AuditBreak>> {
    let backend = Backend::connect(config.database_url.as_str()).await?;
    app::audit::verify_chain(&backend.stores)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the audit log: {e:?}"))
}

/// `server account enable|reset-password <username>`: the staff account's recovery from the
/// command line; returns the temporary password of a reset.
pub async fn account_command(
    config: &Config,
    action: app::views::accounts::AccountAction,
    username: &str,
) -> anyhow::Result<Option<String>> {
    let backend = Backend::connect(config.database_url.as_str()).await?;
    app::accounts::from_command_line(
        &backend.stores,
        &loopdesk::password::PasswordPolicy::default(),
        username,
        action,
        Utc::now(),
    )
    .await
    .map_err(|e| match e {
        app::desk::DeskError::NotFound => anyhow::anyhow!("no staff account with that username"),
        other => anyhow::anyhow!("{other:?}"),
    })
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "loopdesk.sid";

/// Tickets the SLA sweeper claims per batch.
pub const SWEEP_BATCH: u32 = 500;

/// A built, bound application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    background: Background,
}

/// Background jobs of one instance: expired-session cleanup, the SLA sweeper, the hourly
/// arrears check (bills fall due without a new import) and the daily inactivity check.
struct Background {
    fanout: Option<crate::fanout::Fanout>,
    cleanup: tokio::task::JoinHandle<()>,
    sweeper: Option<tokio::task::JoinHandle<()>>,
    collections: Option<tokio::task::JoinHandle<()>>,
    inactivity: Option<tokio::task::JoinHandle<()>>,
}

impl Background {
    fn stop(&self) {
        if let Some(f) = &self.fanout {
            f.stop();
        }
        self.cleanup.abort();
        for job in [&self.sweeper, &self.collections, &self.inactivity]
            .into_iter()
            .flatten()
        {
            job.abort();
        }
    }
}

impl Application {
    /// Connects to the database, migrates, seeds (with `demo`), builds the router and binds.
    pub async fn build(
        config: Config,
        demo: bool,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Application> {
        let backend = Backend::connect(config.database_url.as_str()).await?;
        if demo {
            match seed_demo(&backend.stores, clock.now(), config.demo_history_days)
                .await
                .context("seeding demo data failed")?
            {
                SeedOutcome::Seeded => tracing::info!("demo data seeded"),
                SeedOutcome::AlreadySeeded => {
                    tracing::info!("database already has users; demo data left as it is")
                }
            }
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let local = listener.local_addr().context("no local address")?;

        let leptos_options = LeptosOptions::builder()
            .output_name("loopdesk")
            .site_root(config.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(local)
            .build();
        let dummy_hash =
            tokio::task::spawn_blocking(|| hash_password_blocking("loopdesk-dummy-password"))
                .await
                .context("hashing the dummy password failed")?;
        let billing: app::console::Provider = match &config.billing_url {
            Some(url) => Arc::new(crate::billing_http::HttpBilling::new(
                url,
                Duration::from_secs(5),
            )?),
            None => Arc::new(app::console::LocalBilling(backend.stores.clone())),
        };
        if let Err(e) = app::console::seed_phrases(&backend.stores, clock.now()).await {
            anyhow::bail!("cannot seed the standard phrases: {e:?}");
        }
        crate::seed::seed_knowledge_defaults(&backend.stores)
            .await
            .context("cannot seed the knowledge categories and synonyms")?;
        let search: app::knowledge::Index =
            Arc::new(search::TantivyIndex::new().context("cannot create the search index")?);
        let started = std::time::Instant::now();
        match app::knowledge::rebuild_index(&backend.stores, search.as_ref()).await {
            Ok(docs) => tracing::info!(
                docs,
                ms = started.elapsed().as_millis() as u64,
                "knowledge index built"
            ),
            Err(e) => anyhow::bail!("cannot build the knowledge index: {e:?}"),
        }
        let sender: app::messaging::Sender = match &config.sms_spool {
            Some(path) => Arc::new(app::messaging::SpoolSender::new(path.clone())),
            None => Arc::new(app::messaging::LogSender),
        };
        // Several instances share PostgreSQL: live events fan out through LISTEN/NOTIFY.
        let (live, search, fanout) = match backend.sql.postgres_pool() {
            Some(pool) => {
                let (hub, search, fanout) =
                    crate::fanout::start(pool.clone(), backend.stores.clone(), search).await?;
                (hub, search, Some(fanout))
            }
            None => (app::live::LiveHub::default(), search, None),
        };
        let state = AppState {
            billing,
            search,
            sender,
            leptos_options,
            stores: app::live::with_live(backend.stores, &live),
            clock,
            throttle: LoginThrottle::default(),
            policy: loopdesk::password::PasswordPolicy::default(),
            live,
            targets: config.service_targets,
            dummy_hash,
        };

        let sessions = backend.sessions;
        sessions
            .migrate()
            .await
            .context("cannot create the session table")?;
        let cleanup = tokio::spawn({
            let sessions = sessions.clone();
            async move {
                let mut tick = tokio::time::interval(Duration::from_secs(60));
                loop {
                    tick.tick().await;
                    if let Err(e) = sessions.delete_expired().await {
                        tracing::warn!(error = %e, "deleting expired sessions failed");
                    }
                }
            }
        });
        let sweeper = (config.sweep_seconds > 0).then(|| {
            let (stores, clock) = (state.stores.clone(), state.clock.clone());
            let every = Duration::from_secs(config.sweep_seconds);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match app::desk::run_once(&stores, clock.now(), SWEEP_BATCH).await {
                        Ok(o) if o.warnings + o.overdue + o.breached > 0 => {
                            tracing::info!(?o, "SLA sweeper raised events")
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = ?e, "SLA sweeper pass failed"),
                    }
                }
            })
        });
        let collections = (config.sweep_seconds > 0).then(|| {
            let (stores, clock) = (state.stores.clone(), state.clock.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(3600));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    let now = clock.now();
                    let raised = match app::desk::today(&stores, now).await {
                        Ok(today) => app::console::raise_collections(&stores, now, today).await,
                        Err(e) => Err(e),
                    };
                    match raised {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "collection tasks raised for arrears"),
                        Err(e) => tracing::warn!(error = ?e, "arrears check failed"),
                    }
                }
            })
        });
        // Staff accounts unused for 30 days are disabled: checked at start and then daily.
        let inactivity = (config.sweep_seconds > 0).then(|| {
            let (stores, clock, policy) = (state.stores.clone(), state.clock.clone(), state.policy);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(24 * 3600));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match app::accounts::disable_inactive(&stores, &policy, clock.now()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "unused staff accounts disabled"),
                        Err(e) => tracing::warn!(error = ?e, "inactivity check failed"),
                    }
                }
            })
        });
        let session_layer = SessionManagerLayer::new(sessions)
            .with_name(SESSION_COOKIE)
            .with_secure(config.secure_cookies)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_expiry(Expiry::OnInactivity(CookieDuration::minutes(
                config.session_idle_minutes,
            )));

        let router = build_router(state.clone())
            .layer(middleware::from_fn_with_state(
                api::rate::RateLimits::new(config.api_rate),
                api::rate::limit,
            ))
            .layer(session_layer)
            .layer(middleware::from_fn_with_state(
                Duration::from_secs(config.request_timeout_seconds),
                api::request_timeout,
            ))
            .layer(middleware::from_fn(api::transaction_id));
        Ok(Application {
            listener,
            router,
            state,
            background: Background {
                fanout,
                cleanup,
                sweeper,
                collections,
                inactivity,
            },
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has a local address")
    }

    /// The state (tests reach the stores through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let addr = self.local_addr();
        println!("\nLoopdesk is running at http://{addr}\n");
        println!("Demo logins (password for all: {DEMO_PASSWORD}):");
        for (login, what) in DEMO_LOGINS {
            println!("  {login:<12} {what}");
        }
        println!("\nStop with Ctrl-C.");
        tracing::info!(%addr, "listening");
        let live = self.state.live.clone();
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open consoles' event streams end so in-flight requests can finish.
            live.close();
        })
        .await
        .context("the HTTP server failed");
        self.background.stop();
        tracing::info!("stopped");
        result
    }

    /// Serves until the future completes (tests).
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) {
        let live = self.state.live.clone();
        let _ = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            live.close();
        })
        .await;
        self.background.stop();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.stores.health.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::error!(error = ?e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The router without the session and transaction layers.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let shell_fn = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/auth/login", post(web::post_login))
        .route("/auth/logout", post(web::post_logout))
        .route("/auth/locale", post(web::post_locale))
        .nest("/api/v1", api::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), shell_fn)
        .route_layer(middleware::from_fn_with_state(state.clone(), gate::gate))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::page_guard,
        ))
        .layer(middleware::from_fn(web::browser_guard))
        .with_state(state)
}
