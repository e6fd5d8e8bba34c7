//! The central API over HTTP: one method per endpoint, every failure mapped to a
//! [`TransportError`] a person can act on.

use std::time::Duration;

use cdesk_core::sync::{OwnEchoes, TransportError};
use cdesk_protocol::*;
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// Refuses URLs that would send tokens in clear: plain HTTP is allowed to loopback only.
///
/// The URL is parsed (WHATWG rules, as reqwest will use it), never matched as text: a text
/// check passes `http://127.0.0.1:1@evil.example`, whose host is `evil.example`.
pub fn check_server_url(url: &str) -> Result<String, TransportError> {
    let url = url.trim();
    let bad = |why: &str| TransportError::BadAddress(format!("{url:?} {why}"));
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| bad("is not a server address like https://desk.example.com"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "holds a user name or password before the host (user@host); \
             give only the server address and sign in separately",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("holds a ? or #; give only the server address"));
    }
    // `host_str` is the parser's canonical host: IPv4 in dotted decimal (`127.1` and
    // `0x7f000001` become `127.0.0.1`), IPv6 in brackets, domains lowercased.
    let host = parsed.host_str().ok_or_else(|| bad("has no host"))?;
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    // The parser lowercases the scheme, so `HTTP://` is checked as `http://`.
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(
                "uses plain HTTP; use https:// (plain HTTP is only allowed to this computer)",
            ))
        }
        _ => return Err(bad("must start with https://")),
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    client: Client,
}

impl Api {
    pub fn new(server: &str) -> Result<Api, TransportError> {
        Api::with_roots(server, Vec::new())
    }

    /// A client that also trusts the CA certificates in `ca_pem` (PEM: one, or a bundle),
    /// beside this computer's and the public roots: for a company CA, or a self-signed server.
    pub fn with_ca(server: &str, ca_pem: &[u8]) -> Result<Api, TransportError> {
        Api::with_roots(server, ca_certificates(ca_pem)?)
    }

    /// [`Api::new`], or [`Api::with_ca`] when the profile trusts a CA of its own.
    pub fn connect(server: &str, ca_pem: Option<&str>) -> Result<Api, TransportError> {
        match ca_pem {
            Some(pem) => Api::with_ca(server, pem.as_bytes()),
            None => Api::new(server),
        }
    }

    fn with_roots(server: &str, cas: Vec<reqwest::Certificate>) -> Result<Api, TransportError> {
        let base = check_server_url(server)?;
        let mut builder = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("channel-desk/", env!("CARGO_PKG_VERSION")));
        for ca in cas {
            builder = builder.add_root_certificate(ca);
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::Offline(e.to_string()))?;
        Ok(Api { base, client })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn login(&self, req: &LoginRequest) -> Result<TokenResponse, TransportError> {
        send(self.client.post(self.url("/v1/auth/login")).json(req))
    }

    pub fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, TransportError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_string(),
        };
        send(self.client.post(self.url("/v1/auth/refresh")).json(&body))
    }

    pub fn logout(&self, refresh_token: &str) -> Result<(), TransportError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_string(),
        };
        let resp = self
            .client
            .post(self.url("/v1/auth/logout"))
            .json(&body)
            .send()
            .map_err(offline)?;
        check(resp).map(|_| ())
    }

    pub fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, TransportError> {
        send(
            self.authed(self.client.post(self.url("/v1/sync/push")), token)
                .json(req),
        )
    }

    pub fn pull(
        &self,
        token: &str,
        cursor: i64,
        limit: usize,
        own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        let mut req = self.client.get(self.url("/v1/sync/pull"));
        req = req.query(&[("cursor", cursor.to_string()), ("limit", limit.to_string())]);
        if let Some(own) = own {
            req = req.query(&[
                ("device", own.device.to_string()),
                ("made", own.made.to_string()),
            ]);
        }
        send(self.authed(req, token))
    }

    /// Every open conflict the user can see, following the server's pages.
    pub fn conflicts(&self, token: &str) -> Result<ConflictList, TransportError> {
        let mut all = ConflictList {
            conflicts: Vec::new(),
            next_cursor: None,
        };
        let mut after: Option<String> = None;
        loop {
            let mut req = self.client.get(self.url("/v1/conflicts"));
            if let Some(after) = &after {
                req = req.query(&[("after", after)]);
            }
            let page: ConflictList = send(self.authed(req, token))?;
            all.conflicts.extend(page.conflicts);
            match page.next_cursor {
                // A cursor that does not move would loop forever: take what came.
                Some(next) if after.as_ref() != Some(&next) => after = Some(next),
                _ => return Ok(all),
            }
        }
    }

    pub fn resolve_conflict(
        &self,
        token: &str,
        id: &str,
        value: serde_json::Value,
    ) -> Result<Conflict, TransportError> {
        let url = self.url(&format!("/v1/conflicts/{id}/resolve"));
        send(
            self.authed(self.client.post(url), token)
                .json(&ResolveConflictRequest { value }),
        )
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn authed(&self, req: RequestBuilder, token: &str) -> RequestBuilder {
        req.bearer_auth(token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
    }
}

/// The CA certificates of a PEM file or paste, refused with a reason when it holds none.
pub fn ca_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, TransportError> {
    let bad = |why: String| TransportError::BadAddress(format!("CA certificate: {why}"));
    let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad(
            "no certificate found; give a PEM file (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

/// The CA certificates (PEM) to trust when signing in to `server`: `given` (checked), else
/// those `kept` by the profile for the same server (`(server, pem)`), else none: the
/// computer's own authorities only. Signing in again need not name the file again.
pub fn sign_in_ca(
    server: &str,
    given: Option<&str>,
    kept: Option<(&str, &str)>,
) -> Result<Option<String>, TransportError> {
    if let Some(pem) = given.filter(|p| !p.trim().is_empty()) {
        ca_certificates(pem.as_bytes())?;
        return Ok(Some(pem.to_string()));
    }
    let server = check_server_url(server)?;
    Ok(kept
        .filter(|(kept_for, _)| *kept_for == server)
        .map(|(_, pem)| pem.to_string()))
}

/// A request that got no answer. A certificate nobody here vouches for is the person's to
/// fix, not a network to wait for; the rest is offline, with the cause (reqwest's own message
/// names only the URL).
fn offline(e: reqwest::Error) -> TransportError {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let untrusted = causes
        .iter()
        .find(|c| c.contains("invalid peer certificate") || c.contains("UnknownIssuer"));
    if let Some(why) = untrusted {
        return TransportError::Untrusted(why.clone());
    }
    match causes.last() {
        Some(cause) => TransportError::Offline(format!("{e}: {cause}")),
        None => TransportError::Offline(e.to_string()),
    }
}

fn send<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, TransportError> {
    let resp = check(req.send().map_err(offline)?)?;
    // Read the whole body first: a connection cut mid-body is "offline", not "garbage".
    let bytes = resp.bytes().map_err(offline)?;
    decode_answer(&bytes)
}

fn check(resp: Response) -> Result<Response, TransportError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let text = resp.text().unwrap_or_default();
    Err(decode_error(status, &text))
}

/// Reads a successful answer's body as `T`; anything else is [`TransportError::Garbage`].
/// Public so the fuzz targets (`fuzz/`) exercise exactly what a server's bytes go through.
pub fn decode_answer<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, TransportError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(120)]).into_owned();
        TransportError::Garbage(format!("{e} in {head:?}"))
    })
}

/// The error an unsuccessful answer means: the server's [`ErrorBody`] when it sent one, else
/// the status and the start of whatever it sent.
pub fn decode_error(status: StatusCode, text: &str) -> TransportError {
    let (code, message) = match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => (body.error.code, body.error.message),
        Err(_) => (
            "http".to_string(),
            format!(
                "HTTP {status}: {}",
                text.chars().take(200).collect::<String>()
            ),
        ),
    };
    match status.as_u16() {
        401 => TransportError::Unauthorized(format!("{code}: {message}")),
        426 => TransportError::UpgradeRequired(message),
        s => TransportError::Server {
            status: s,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_a_parsed_loopback_host() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.0.0.2",
            "http://localhost:3000",
            "http://LOCALHOST:3000",
            "HTTP://127.0.0.1:1",
            "http://[::1]:3000",
            "https://127.0.0.1.evil.example",
        ] {
            assert!(check_server_url(ok).is_ok(), "{ok} is refused");
        }
        for (url, why) in [
            ("http://127.0.0.1:1@evil.example", "user name"),
            ("http://user:pw@localhost:1", "user name"),
            ("https://me@desk.example.com", "user name"),
            ("http://127.0.0.1.evil.example", "plain HTTP"),
            ("http://localhost.evil", "plain HTTP"),
            ("http://localhost.evil.example:80", "plain HTTP"),
            ("HTTP://desk.example.com", "plain HTTP"),
            ("http://[::2]:3000", "plain HTTP"),
            ("http://[::ffff:8.8.8.8]", "plain HTTP"),
            ("http://10.0.0.1", "plain HTTP"),
            ("http://localhost:1?x=y", "? or #"),
            ("ftp://x", "https://"),
            ("desk.example.com", "not a server address"),
            ("http://", "not a server address"),
        ] {
            let err = check_server_url(url)
                .expect_err(&format!("{url} is accepted"))
                .to_string();
            assert!(err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn https_anywhere() {
        assert!(check_server_url("https://desk.example.com/").is_ok());
        assert!(check_server_url("HTTPS://desk.example.com").is_ok());
    }

    #[test]
    fn trailing_slash_is_trimmed() {
        assert_eq!(
            check_server_url("https://a.example/").unwrap(),
            "https://a.example"
        );
        assert_eq!(
            check_server_url(" https://a.example/api/ ").unwrap(),
            "https://a.example/api"
        );
    }
}
