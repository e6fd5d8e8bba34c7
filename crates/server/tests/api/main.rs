//! Integration tests of the central API against a real PostgreSQL (started by the harness in
//! `tests/support`) and the server on 127.0.0.1:0, over HTTP.

#[path = "../support/mod.rs"]
mod support;

mod audit;
mod auth;
mod bounded;
mod catalogue;
mod cli;
mod concurrency;
mod conflicts;
mod disconnects;
mod limits;
mod openapi;
mod pull;
mod push;
mod ratelimit;
mod schemathesis;
mod scopes;
mod throttle;
mod tls;
