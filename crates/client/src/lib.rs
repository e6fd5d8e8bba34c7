//! Channel Desk's sync client: talks to the central API over HTTPS (reqwest + rustls), keeps
//! the refresh token in the OS keyring and only there, and schedules sync attempts with
//! back-off.
//!
//! ```no_run
//! # use cdesk_client::{Api, Session, KeyringSecrets};
//! # use cdesk_core::{store::Store, sync::{sync_once, SyncOptions}};
//! let mut store = Store::open("desk.db".as_ref())?;
//! let api = Api::new("https://desk.example.com")?;
//! let mut session = Session::sign_in(api, "cam@vendor.example", "password", "laptop",
//!     Box::new(KeyringSecrets))?;
//! store.set_sync_account(Some((session.server(), session.email())))?;
//! sync_once(&mut store, &mut session, SyncOptions::default())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod http;
pub mod profile;
mod schedule;
mod secrets;
mod session;

pub use http::{ca_certificates, check_server_url, decode_answer, decode_error, sign_in_ca, Api};
pub use schedule::{Backoff, Scheduler, Trigger};
pub use secrets::{
    database_key, database_key_account, key_id_file, recover_database_key, self_check, DbKeyError,
    KeyringSecrets, MemorySecrets, RecoverError, SecretError, SecretStore, SelfCheckError,
    Sensitive, KEYRING_SERVICE,
};
pub use session::{Session, SessionError};
