//! Integration tests of the central API against a real PostgreSQL (started by the harness in
//! `tests/support`) and the server on 127.0.0.1:0, over HTTP.

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod catalogue;
mod cli;
mod concurrency;
mod conflicts;
mod limits;
mod openapi;
mod pull;
mod push;
mod scopes;
