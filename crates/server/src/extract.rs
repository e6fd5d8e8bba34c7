//! Request extractors: the authenticated user, the protocol version, and a JSON body whose
//! rejections are [`ApiError`]s (so even a malformed or oversized body gets an `ErrorBody`).

use axum::extract::rejection::JsonRejection;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use cdesk_protocol::{MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION};

use crate::error::ApiError;
use crate::scope::Subject;
use crate::AppState;

/// A JSON request body.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(
                "the request body is larger than the server accepts: send fewer changes at once"
                    .into(),
            )
        } else {
            ApiError::Invalid(rejection.body_text())
        }
    }
}

/// The signed-in user, from `Authorization: Bearer <access token>`. Every request counts
/// against the user's rate limit ([`crate::ratelimit`]).
#[derive(Debug, Clone)]
pub struct AuthUser(pub Subject);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("sign in: no access token was sent".into()))?;
        let user_id = crate::tokens::check_access(&state.pool, token).await?;
        state.limiter.check(&user_id)?;
        let subject = crate::users::subject(&state.pool, &user_id).await?;
        tracing::Span::current().record("user", subject.email.as_str());
        Ok(AuthUser(subject))
    }
}

/// The signed-in user, holding one of their push slots until the request ends: at most
/// [`crate::bounds::Cap::pushes_per_user`] pushes of one user run at once, so one user (or a
/// stolen token) cannot take every database connection. Excess pushes wait a bounded time, then
/// get 429 `rate_limited`.
#[derive(Debug)]
pub struct PushSlot(pub Subject, pub crate::bounds::Slot);

impl FromRequestParts<AppState> for PushSlot {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthUser(subject) = AuthUser::from_request_parts(parts, state).await?;
        let slot = state.push_slots.acquire(&subject.user_id).await?;
        Ok(PushSlot(subject, slot))
    }
}

/// The address the request came from: the TCP peer, when the router is served with connect
/// info ([`crate::serve::serve`] does). `None` when embedded without it.
///
/// When the peer is one of the configured trusted proxies (`--trusted-proxy`), the client is
/// the address that proxy names: the last `for=` of `Forwarded` (RFC 7239), else the last
/// address of `X-Forwarded-For`, skipping further trusted proxies from the right. Earlier
/// entries are whatever the client sent and are never believed. From any other peer both
/// headers are ignored: otherwise anyone could name a fresh address per guess and escape
/// sign-in throttling, or pin a block on someone else's address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_canonical());
        Ok(ClientIp(peer.map(|peer| {
            client_address(peer, &parts.headers, &state.trusted_proxies)
        })))
    }
}

/// The client behind `peer`, as [`ClientIp`] describes.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| {
        trusted
            .iter()
            .any(|t| t.to_canonical() == ip.to_canonical())
    };
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<Option<IpAddr>> = header_list(headers, "forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| node_address(value))
            })
        })
        .collect();
    let chain = if forwarded.is_empty() {
        header_list(headers, "x-forwarded-for")
            .iter()
            .map(|v| node_address(v))
            .collect()
    } else {
        forwarded
    };
    // From the right: the proxy's own entry first. The first entry that is not a trusted proxy
    // is the client; one we cannot read (`unknown`, an obfuscated name) ends the search at the
    // last address we can vouch for.
    let mut client = peer;
    for entry in chain.into_iter().rev() {
        match entry {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip.to_canonical(),
            None => break,
        }
    }
    client
}

/// Every comma-separated element of every `name` header, in order.
fn header_list(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// An address from `1.2.3.4`, `1.2.3.4:80`, `"[2001:db8::1]:80"`, `2001:db8::1`.
fn node_address(value: &str) -> Option<IpAddr> {
    let v = value.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    v.parse::<IpAddr>()
        .ok()
        .or_else(|| v.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// The client's sync protocol version; refuses versions this server cannot serve.
#[derive(Debug, Clone, Copy)]
pub struct ProtocolVersion(pub u32);

impl<S: Send + Sync> FromRequestParts<S> for ProtocolVersion {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let raw = parts
            .headers
            .get(PROTOCOL_HEADER)
            .and_then(|v| v.to_str().ok());
        let version = raw.and_then(|v| v.trim().parse::<u32>().ok());
        match version {
            Some(v) if (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&v) => {
                Ok(ProtocolVersion(v))
            }
            Some(v) if v > PROTOCOL_VERSION => Err(ApiError::UpgradeRequired(format!(
                "this client speaks sync protocol {v}, newer than this server \
                 ({MIN_PROTOCOL_VERSION}..={PROTOCOL_VERSION}); the server must be upgraded"
            ))),
            Some(v) => Err(ApiError::UpgradeRequired(format!(
                "this version of Channel Desk is too old to sync (protocol {v}; the server needs \
                 {MIN_PROTOCOL_VERSION} or later): please upgrade the app"
            ))),
            None => Err(ApiError::UpgradeRequired(format!(
                "this client did not send a valid {PROTOCOL_HEADER} header; \
                 please upgrade Channel Desk"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, value.parse().unwrap());
        }
        h
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.9"),
        ]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &[]),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &[ip("10.0.0.1")]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_earlier_entries_are_not_believed() {
        let proxy = ip("10.0.0.1");
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9")]);
        assert_eq!(client_address(proxy, &h, &[proxy]), ip("203.0.113.9"));
        // A chain of trusted proxies is walked from the right.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(
            client_address(proxy, &h, &[proxy, ip("10.0.0.2")]),
            ip("203.0.113.9")
        );
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_address(proxy, &h, &[proxy]), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_is_parsed() {
        let proxy = ip("::1");
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            (
                "forwarded",
                "for=192.0.2.43, For=\"[2001:db8:cafe::17]:4711\";proto=https",
            ),
        ]);
        assert_eq!(client_address(proxy, &h, &[proxy]), ip("2001:db8:cafe::17"));
        let h = headers(&[(
            "forwarded",
            "proto=https;for=\"192.0.2.60:8080\";by=10.0.0.1",
        )]);
        assert_eq!(client_address(proxy, &h, &[proxy]), ip("192.0.2.60"));
    }

    #[test]
    fn an_unreadable_or_missing_entry_leaves_the_proxy_as_the_client() {
        let proxy = ip("10.0.0.1");
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
        let h = headers(&[("forwarded", "for=1.1.1.1, for=unknown")]);
        assert_eq!(client_address(proxy, &h, &[proxy]), proxy);
        let h = headers(&[("x-forwarded-for", "1.1.1.1, _hidden")]);
        assert_eq!(client_address(proxy, &h, &[proxy]), proxy);
    }

    #[test]
    fn mapped_ipv4_peers_match_ipv4_proxies() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.1"), &h, &[ip("10.0.0.1")]),
            ip("203.0.113.9")
        );
    }
}
