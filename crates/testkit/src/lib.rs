//! Test infrastructure shared by the integration and end-to-end tests.

pub mod postgres;
pub mod proxy;
pub mod secret_service;
