//! Bounded under load and attack, against the real server: atomic sign-in throttling and the
//! cap on password checks, `--trusted-proxy`, the per-user cap on pushes in flight, the
//! conflicts list paged in SQL, and partner rescopes that hold the sequence counter briefly.

mod conflict_pages;
mod rescope;
