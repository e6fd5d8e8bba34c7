//! How much a client may send. Beside the request body limit ([`crate::BODY_LIMIT_BYTES`], 24
//! MiB, 413) and the batch limits (at most [`cdesk_protocol::MAX_PUSH_BATCH`] mutations per push,
//! 413; pull pages clamped to [`cdesk_protocol::MAX_PULL_PAGE`]), every field has a maximum
//! length:
//!
//! | what | at most |
//! | --- | --- |
//! | names (partner, person, account, opportunity, rules), owners, authors | 200 characters |
//! | titles (call note title, next step description) | 500 characters |
//! | free text (note body, account notes, plan goals, tier notes ...) | 10 MiB |
//! | emails (a person's, sign-in, assignment) | 254 characters |
//! | any other record field, as JSON | 1 MiB |
//! | passwords | 1024 characters |
//! | device names | 200 characters |
//! | ids (records, partners, conflicts), tokens | 200 characters |
//!
//! They are the desktop app's own limits (`cdesk-core`'s `domain/validate.rs`), so a change the
//! app accepts is never refused here; they stop a modified client from storing what every other
//! client would then have to pull. A record field over its limit rejects that one mutation
//! (`rejected`, naming the field; the rest of the batch and the queue go on, as for any invalid
//! change); a request field over its limit is 422 `invalid`, naming the field.

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_OTHER_FIELD_BYTES: usize = 1024 * 1024;
pub const MAX_PASSWORD_CHARS: usize = 1024;
pub const MAX_DEVICE_NAME_CHARS: usize = 200;
pub const MAX_ID_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// Characters of a string value.
    Chars(usize),
    /// Bytes of a string value (UTF-8), or of any other value as JSON.
    Bytes(usize),
}

fn field_limit(kind: Kind, field: &str) -> Limit {
    use Kind::*;
    match (kind, field) {
        (CallNote, "body")
        | (Partner, "account_notes")
        | (Account, "tier_notes")
        | (Opportunity, "win_loss_reason" | "customer_understanding")
        | (BusinessPlan, "goals" | "marketing_plan") => Limit::Bytes(MAX_TEXT_BYTES),
        (CallNote, "title") | (NextStep, "description") => Limit::Chars(MAX_TITLE_CHARS),
        (Person, "email") => Limit::Chars(MAX_EMAIL_CHARS),
        (Partner | Person | Account | Opportunity | Certification | Badge, "name")
        | (Partner | Account | Opportunity | NextStep, "owner")
        | (CallNote, "author")
        | (Person, "role")
        | (JourneyCapability, "label")
        | (CurriculumModule, "title") => Limit::Chars(MAX_NAME_CHARS),
        _ if kind.scope_fields().contains(&field) => Limit::Chars(MAX_ID_CHARS),
        _ => Limit::Bytes(MAX_OTHER_FIELD_BYTES),
    }
}

/// Whether a JSON value holds a NUL character anywhere (PostgreSQL text and jsonb cannot).
pub fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Checks one record field against its limit; the error names `kind.field`.
pub fn check_field(kind: Kind, field: &str, value: &Value) -> Result<(), String> {
    if has_nul(value) {
        return Err(format!(
            "{}.{field} contains a NUL character, which cannot be stored",
            kind.name()
        ));
    }
    let limit = field_limit(kind, field);
    let too_long = |size: String, max: String| {
        Err(format!("{}.{field} is {size}; at most {max}", kind.name()))
    };
    match (limit, value) {
        (Limit::Chars(max), Value::String(s)) => {
            // Counting stops early: a 10 MB name costs no more than a 201-character one.
            if s.chars().take(max + 1).count() > max {
                return too_long(
                    format!("{} characters", s.chars().count()),
                    format!("{max} characters"),
                );
            }
        }
        (Limit::Bytes(max), Value::String(s)) => {
            if s.len() > max {
                return too_long(format!("{} bytes", s.len()), format!("{max} bytes"));
            }
        }
        (limit, other) => {
            // A non-string value where text is expected is held to the text's character limit
            // in bytes (four per character at most).
            let max = match limit {
                Limit::Chars(max) => max * 4,
                Limit::Bytes(max) => max,
            };
            let bytes = serde_json::to_vec(other).map_or(usize::MAX, |b| b.len());
            if bytes > max {
                return too_long(format!("{bytes} bytes as JSON"), format!("{max} bytes"));
            }
        }
    }
    Ok(())
}

/// A request field of at most `max` characters and without NUL, else 422 naming it.
pub fn chars(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.contains('\0') {
        return Err(ApiError::Unprocessable(format!(
            "{field} contains a NUL character"
        )));
    }
    if value.chars().take(max + 1).count() > max {
        return Err(ApiError::Unprocessable(format!(
            "{field} is {} characters; at most {max}",
            value.chars().count()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_titles_and_free_text_have_the_desktop_limits() {
        let ok = |kind, field, v: Value| check_field(kind, field, &v).is_ok();
        assert!(ok(Kind::Partner, "name", json!("x".repeat(200))));
        assert!(!ok(Kind::Partner, "name", json!("x".repeat(201))));
        assert!(
            ok(Kind::Partner, "name", json!("é".repeat(200))),
            "characters, not bytes"
        );
        assert!(ok(Kind::CallNote, "title", json!("x".repeat(500))));
        assert!(!ok(Kind::CallNote, "title", json!("x".repeat(501))));
        assert!(ok(
            Kind::CallNote,
            "body",
            json!("x".repeat(MAX_TEXT_BYTES))
        ));
        assert!(!ok(
            Kind::CallNote,
            "body",
            json!("x".repeat(MAX_TEXT_BYTES + 1))
        ));
        assert!(!ok(
            Kind::Person,
            "email",
            json!(format!("{}@x.io", "a".repeat(250)))
        ));
        assert!(!ok(Kind::Account, "partner_id", json!("p".repeat(201))));
        assert!(ok(Kind::Partner, "capabilities", json!(["a", "b"])));
        assert!(!ok(
            Kind::Partner,
            "capabilities",
            json!(["x".repeat(MAX_OTHER_FIELD_BYTES)])
        ));
        assert!(!ok(Kind::Partner, "name", json!(["x".repeat(1000)])));
        assert!(!ok(Kind::Partner, "capabilities", json!([{"a\u{0}": 1}])));
        assert!(!ok(Kind::CallNote, "body", json!("a\u{0}b")));
    }

    #[test]
    fn the_message_names_the_kind_and_field() {
        let err = check_field(Kind::CallNote, "title", &json!("x".repeat(501))).unwrap_err();
        assert_eq!(
            err,
            "call_note.title is 501 characters; at most 500 characters"
        );
        let err = chars("email", &"x".repeat(300), MAX_EMAIL_CHARS).unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            err.to_string().starts_with("email is 300 characters"),
            "{err}"
        );
    }
}
