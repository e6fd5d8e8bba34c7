//! A signed-in session: the access token in memory, the refresh token in the keyring. Refreshes
//! (and rotates) on demand, and retries a request once when the access token has expired.

use cdesk_core::sync::{OwnEchoes, Transport, TransportError};
use cdesk_protocol::*;
use thiserror::Error;

use crate::http::Api;
use crate::secrets::{SecretError, SecretStore, Sensitive};

#[derive(Debug, Error)]
pub enum SessionError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Secrets(#[from] SecretError),
    #[error("not signed in to {server} as {email}; sign in again")]
    SignedOut { server: String, email: String },
}

/// A session with one server as one user.
pub struct Session {
    api: Api,
    email: String,
    secrets: Box<dyn SecretStore>,
    access: Option<Sensitive<String>>,
    user: Option<UserInfo>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.api.base())
            .field("email", &self.email)
            .field("access", &self.access)
            .finish()
    }
}

fn account(server: &str, email: &str) -> String {
    format!("{server}|{}", email.trim().to_lowercase())
}

impl Session {
    /// Signs in to `api`'s server with a password; the refresh token goes to `secrets`,
    /// nowhere else.
    pub fn sign_in(
        api: Api,
        email: &str,
        password: &str,
        device_name: &str,
        secrets: Box<dyn SecretStore>,
    ) -> Result<Session, SessionError> {
        let tokens = api.login(&LoginRequest {
            email: email.trim().to_string(),
            password: password.to_string(),
            device_name: device_name.to_string(),
        })?;
        secrets.set(&account(api.base(), email), &tokens.refresh_token)?;
        tracing::info!(server = api.base(), email, "signed in");
        Ok(Session {
            email: email.trim().to_string(),
            access: Some(Sensitive(tokens.access_token)),
            user: Some(tokens.user),
            api,
            secrets,
        })
    }

    /// Resumes a session with `api`'s server from the refresh token in `secrets` (no network
    /// until first use).
    pub fn resume(
        api: Api,
        email: &str,
        secrets: Box<dyn SecretStore>,
    ) -> Result<Session, SessionError> {
        if secrets.get(&account(api.base(), email))?.is_none() {
            return Err(SessionError::SignedOut {
                server: api.base().to_string(),
                email: email.to_string(),
            });
        }
        Ok(Session {
            api,
            email: email.trim().to_string(),
            secrets,
            access: None,
            user: None,
        })
    }

    pub fn server(&self) -> &str {
        self.api.base()
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    /// Who the server says we are (known after sign-in or the first refresh).
    pub fn user(&self) -> Option<&UserInfo> {
        self.user.as_ref()
    }

    /// Revokes the refresh token on the server (when reachable) and forgets it here.
    pub fn sign_out(self) -> Result<(), SessionError> {
        let key = account(self.api.base(), &self.email);
        if let Some(refresh) = self.secrets.get(&key)? {
            if let Err(e) = self.api.logout(&refresh) {
                tracing::warn!(error = %e, "could not revoke the session on the server");
            }
        }
        self.secrets.delete(&key)?;
        Ok(())
    }

    fn access_token(&mut self) -> Result<String, TransportError> {
        if let Some(token) = &self.access {
            return Ok(token.0.clone());
        }
        let key = account(self.api.base(), &self.email);
        let refresh = self
            .secrets
            .get(&key)
            .map_err(|e| TransportError::Unauthorized(e.to_string()))?
            .ok_or_else(|| TransportError::Unauthorized("signed out".into()))?;
        let tokens = match self.api.refresh(&refresh) {
            Ok(t) => t,
            Err(TransportError::Unauthorized(why)) => {
                // Spent, revoked or expired: only signing in again helps.
                let _ = self.secrets.delete(&key);
                return Err(TransportError::Unauthorized(why));
            }
            Err(other) => return Err(other),
        };
        // The old refresh token is spent now: keep the new one before anything else.
        self.secrets
            .set(&key, &tokens.refresh_token)
            .map_err(|e| TransportError::Unauthorized(e.to_string()))?;
        self.user = Some(tokens.user);
        self.access = Some(Sensitive(tokens.access_token.clone()));
        Ok(tokens.access_token)
    }

    /// Runs `call` with a valid access token, refreshing once if the server says it expired.
    fn authed<T>(
        &mut self,
        call: impl Fn(&Api, &str) -> Result<T, TransportError>,
    ) -> Result<T, TransportError> {
        let token = self.access_token()?;
        match call(&self.api, &token) {
            Err(TransportError::Unauthorized(_)) => {
                self.access = None;
                let token = self.access_token()?;
                call(&self.api, &token)
            }
            other => other,
        }
    }

    pub fn conflicts(&mut self) -> Result<Vec<Conflict>, TransportError> {
        self.authed(|api, t| api.conflicts(t)).map(|l| l.conflicts)
    }

    pub fn resolve_conflict(
        &mut self,
        id: &str,
        value: serde_json::Value,
    ) -> Result<Conflict, TransportError> {
        self.authed(|api, t| api.resolve_conflict(t, id, value.clone()))
    }
}

impl Transport for Session {
    fn push(&mut self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.authed(|api, t| api.push(t, request))
    }

    fn pull(
        &mut self,
        cursor: i64,
        limit: usize,
        own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        self.authed(|api, t| api.pull(t, cursor, limit, own))
    }
}
