//! Test infrastructure shared by the integration and end-to-end tests.

pub mod proxy;
