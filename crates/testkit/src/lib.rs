//! Test infrastructure shared by the integration and end-to-end tests.
//!
//! The PostgreSQL and Secret Service harnesses run Unix programs (and use Unix process and
//! file APIs), so they exist on Unix only; the proxy is portable.

#[cfg(unix)]
pub mod postgres;
pub mod proxy;
#[cfg(unix)]
pub mod secret_service;
pub mod tls;
