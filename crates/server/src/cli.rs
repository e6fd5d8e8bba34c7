//! The `cdesk-server` command line: `serve`, `migrate`, `user add|disable`, `assign`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tokio::io::AsyncReadExt;

use crate::bounds::Cap;
use crate::ratelimit::RateLimit;
use crate::throttle::LoginThrottle;
use crate::tokens::TokenConfig;
use crate::users::RoleName;
use crate::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "cdesk-server",
    version,
    about = "Channel Desk central API server"
)]
pub struct Cli {
    /// Log as JSON lines (for log collectors) instead of human-readable text.
    #[arg(long, global = true, env = "CDESK_LOG_JSON")]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Database {
    /// PostgreSQL URL, e.g. postgres://cdesk@localhost/cdesk
    #[arg(long, env = "CDESK_DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API.
    Serve {
        #[command(flatten)]
        db: Database,
        /// Address to listen on.
        #[arg(long, env = "CDESK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Access token lifetime, in seconds.
        #[arg(long, env = "CDESK_ACCESS_TTL_SECS", default_value_t = 15 * 60)]
        access_ttl_secs: u64,
        /// Refresh token lifetime, in days.
        #[arg(long, env = "CDESK_REFRESH_TTL_DAYS", default_value_t = 30)]
        refresh_ttl_days: u64,
        /// Largest request body, in MiB.
        #[arg(long, env = "CDESK_BODY_LIMIT_MIB", default_value_t = crate::BODY_LIMIT_BYTES / (1024 * 1024))]
        body_limit_mib: usize,
        /// Most database connections of this process.
        #[arg(long, env = "CDESK_DB_CONNECTIONS", default_value_t = 16)]
        db_connections: u32,
        /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
        #[arg(long, env = "CDESK_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
        #[arg(long, env = "CDESK_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[command(flatten)]
        db: Database,
    },
    /// Give the database a new epoch, so every client pulls everything again. Run it after
    /// restoring a backup: the restored sequence may re-issue numbers clients already passed.
    RenewEpoch {
        #[command(flatten)]
        db: Database,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Assign a sales rep to a partner (or remove the assignment with --remove).
    Assign {
        #[command(flatten)]
        db: Database,
        /// The rep's email.
        #[arg(long)]
        email: String,
        /// The partner's id.
        #[arg(long = "partner")]
        partner: String,
        #[arg(long)]
        remove: bool,
    },
}

/// Request rate and sign-in throttling of `serve`.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Requests per second each signed-in user may make, sustained (0: no limit).
    #[arg(long, env = "CDESK_RATE_LIMIT_PER_SEC", default_value_t = RateLimit::default().per_second.get())]
    rate_limit_per_sec: u32,
    /// Requests each signed-in user may make at once before the sustained rate applies.
    #[arg(long, env = "CDESK_RATE_LIMIT_BURST", default_value_t = RateLimit::default().burst.get())]
    rate_limit_burst: u32,
    /// Failed sign-ins of one email (within 15 minutes) before it is blocked.
    #[arg(long, env = "CDESK_LOGIN_FAILURES_PER_EMAIL", default_value_t = LoginThrottle::default().max_failures_per_email)]
    login_failures_per_email: u32,
    /// Failed sign-ins from one address (IPv6: one /64, within 15 minutes) before it is blocked.
    #[arg(long, env = "CDESK_LOGIN_FAILURES_PER_IP", default_value_t = LoginThrottle::default().max_failures_per_ip)]
    login_failures_per_ip: u32,
    /// The first block after too many failed sign-ins, in seconds; doubled for every further
    /// failure, up to 15 minutes.
    #[arg(long, env = "CDESK_LOGIN_LOCKOUT_SECS", default_value_t = LoginThrottle::default().lockout.as_secs())]
    login_lockout_secs: u64,
    /// Password checks (argon2, 19 MiB each) this process runs at once; more sign-ins wait up
    /// to 30 s for a turn, then get 429. Default: the number of CPUs.
    #[arg(long, env = "CDESK_MAX_PASSWORD_CHECKS", default_value_t = Cap::password_checks().max)]
    max_password_checks: usize,
    /// Pushes one user may have in flight at once in this process; more wait up to 10 s for a
    /// turn, then get 429.
    #[arg(long, env = "CDESK_MAX_PUSHES_PER_USER", default_value_t = Cap::pushes_per_user().max)]
    max_pushes_per_user: usize,
    /// The address of a reverse proxy in front of this server (repeat it, or separate with
    /// commas, for several). Only from these peers are `Forwarded` / `X-Forwarded-For` believed
    /// to name the client, for sign-in throttling and logs; from any other peer they are
    /// ignored.
    #[arg(
        long = "trusted-proxy",
        env = "CDESK_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<IpAddr>,
}

impl LimitArgs {
    fn rate_limit(&self) -> Option<RateLimit> {
        let per_second = NonZeroU32::new(self.rate_limit_per_sec)?;
        Some(RateLimit {
            per_second,
            burst: NonZeroU32::new(self.rate_limit_burst).unwrap_or(per_second),
        })
    }

    fn login(&self) -> LoginThrottle {
        let lockout = Duration::from_secs(self.login_lockout_secs.max(1));
        LoginThrottle {
            max_failures_per_email: self.login_failures_per_email.max(1),
            max_failures_per_ip: self.login_failures_per_ip.max(1),
            lockout,
            max_lockout: lockout.max(LoginThrottle::default().max_lockout),
            ..LoginThrottle::default()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Add {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        email: String,
        /// cam, rep, manager or admin.
        #[arg(long)]
        role: RoleName,
        /// A manager's region: americas, emea, apac or public_sector.
        #[arg(long)]
        region: Option<String>,
    },
    /// Disable a user and end all their sessions.
    Disable {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        email: String,
    },
}

async fn pool(db: &Database, connections: u32) -> anyhow::Result<sqlx::PgPool> {
    let pool = crate::db::connect(&db.database_url, connections)
        .await
        .context("connecting to PostgreSQL")?;
    crate::db::migrate(&pool)
        .await
        .context("migrating the database")?;
    Ok(pool)
}

/// Reads the password from stdin: the first line, without its line ending.
async fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    tokio::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .await
        .context("reading the password from standard input")?;
    Ok(input.lines().next().unwrap_or_default().to_string())
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            access_ttl_secs,
            refresh_ttl_days,
            body_limit_mib,
            db_connections,
            tls_cert,
            tls_key,
            limits,
        } => {
            let tls = match (&tls_cert, &tls_key) {
                (Some(cert), Some(key)) => Some(crate::serve::tls_config(cert, key)?),
                _ => None,
            };
            let pool = pool(&db, db_connections).await?;
            let settings = Settings {
                tokens: TokenConfig {
                    access_ttl: Duration::from_secs(access_ttl_secs),
                    refresh_ttl: Duration::from_secs(refresh_ttl_days.saturating_mul(86_400)),
                    ..TokenConfig::default()
                },
                body_limit: body_limit_mib.saturating_mul(1024 * 1024),
                rate_limit: limits.rate_limit(),
                login: limits.login(),
                password_checks: Cap {
                    max: limits.max_password_checks.max(1),
                    ..Cap::password_checks()
                },
                pushes_per_user: Cap {
                    max: limits.max_pushes_per_user.max(1),
                    ..Cap::pushes_per_user()
                },
                trusted_proxies: limits.trusted_proxies.clone(),
            };
            let listener = std::net::TcpListener::bind(listen)
                .with_context(|| format!("listening on {listen}"))?;
            let scheme = if tls.is_some() { "https" } else { "http" };
            tracing::info!(address = %listener.local_addr()?, scheme, "serving");
            crate::serve::serve(
                listener,
                crate::router(pool, settings),
                tls,
                shutdown_signal(),
            )
            .await
            .context("serving")?;
            Ok(())
        }
        Command::Migrate { db } => {
            pool(&db, 1).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::RenewEpoch { db } => {
            let pool = pool(&db, 1).await?;
            let epoch = crate::db::renew_epoch(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("new epoch {epoch}: clients will pull everything again");
            Ok(())
        }
        Command::User { command } => match command {
            UserCommand::Add {
                db,
                email,
                role,
                region,
            } => {
                let password = read_password().await?;
                let pool = pool(&db, 1).await?;
                let id = crate::users::add(&pool, &email, role.0, region.as_deref(), &password)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("created user {email} ({id})");
                Ok(())
            }
            UserCommand::Disable { db, email } => {
                let pool = pool(&db, 1).await?;
                crate::users::disable(&pool, &email)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("disabled {email}; their sessions are revoked");
                Ok(())
            }
        },
        Command::Assign {
            db,
            email,
            partner,
            remove,
        } => {
            let pool = pool(&db, 1).await?;
            crate::admin::set_assignment(&pool, &email, &partner, !remove)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{} {email} {} partner {partner}",
                if remove { "unassigned" } else { "assigned" },
                if remove { "from" } else { "to" }
            );
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
