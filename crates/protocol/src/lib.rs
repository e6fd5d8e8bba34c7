//! The wire types of the Channel Desk central API, shared by the sync client (in `cdesk-core`)
//! and the server (`cdesk-server`). JSON over HTTP. Every sync request carries
//! [`PROTOCOL_VERSION`] in the [`PROTOCOL_HEADER`] header; a server that cannot serve that
//! version answers 426 with the error code `upgrade_required`.
//!
//! ## Sync in one page
//! - **Push** (`POST /v1/sync/push`): a device sends its outbox in order, in batches. Each
//!   [`Mutation`] has a per-device, strictly increasing `mutation_id`. The server applies a batch
//!   in one transaction and records the device's last applied id in it: ids at or below it are
//!   answered `duplicate` (exactly once) when they carry what the server processed under that id
//!   (else the push is refused with `diverged`: the client's database was restored or copied, and
//!   it continues under a new device id), an id that skips ahead is refused (`gap`), a mutation the
//!   user may not make or that is invalid is `rejected`, reported, and the queue moves on. For a
//!   device the server has never seen, the first mutation's id sets the base (a server restored
//!   from an old backup must not strand a client whose earlier changes it forgot).
//! - **Order**: every applied change gets the next number of one gap-free, commit-ordered
//!   sequence (`seq`).
//! - **Pull** (`GET /v1/sync/pull?cursor=N&limit=M`): the records the user may see whose last
//!   change is after `cursor`, in `seq` order, a page at a time; the client applies a page and
//!   stores its `cursor` in one local transaction. The server may answer [`PullResponse::Reset`]
//!   (cursor unknown or too old): the client drops its cursor and pulls from 0, keeping its outbox.
//!   Every page names the server database's `epoch`; a client whose cursor came from another
//!   epoch does the same (a restored server may already have passed the old cursor's number).
//! - **Conflicts** are per field: a mutation carries, per field, the version (`seq`) it was
//!   edited from. If the field changed on the server since, by another device, to another
//!   value, the incoming value wins (later arrival) and a [`Conflict`] keeps both values until a
//!   person resolves it. Bookkeeping fields (`created_at`, `updated_at`) never conflict.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The protocol this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The oldest client protocol the server still serves.
pub const MIN_PROTOCOL_VERSION: u32 = 1;
/// The request header carrying the client's protocol version.
pub const PROTOCOL_HEADER: &str = "x-cdesk-protocol";
/// Most mutations accepted in one push.
pub const MAX_PUSH_BATCH: usize = 500;
/// Most changes returned in one pull page.
pub const MAX_PULL_PAGE: usize = 1000;

// --- errors ---------------------------------------------------------------------------------

/// Every error response body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorDetail {
    /// Stable: `unauthorized`, `token_expired`, `token_revoked`, `forbidden`, `not_found`,
    /// `invalid`, `upgrade_required`, `gap`, `diverged`, `too_large`, `rate_limited`,
    /// `internal`.
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
            },
        }
    }
}

// --- auth -----------------------------------------------------------------------------------

/// What a user may see and do (decided by the server, never the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns partners (`partner.owner` is the CAM's email) and everything under them.
    Cam,
    /// Sales rep: the partners assigned to them, the accounts they own, the notes they wrote.
    Rep,
    /// Channel manager: everything in one region.
    Manager,
    /// Everything; the only role that edits the rules tables.
    Admin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub password: String,
    /// A name for the device, shown in sessions lists.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefreshRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub refresh_token: String,
}

/// Tokens issued at login and on every refresh (the refresh token rotates: the old one is
/// spent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
    pub user: UserInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserInfo {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// A manager's region (`americas`, `emea`, `apac`, `public_sector`).
    pub region: Option<String>,
}

// --- push -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Upsert,
    Delete,
}

/// One local change, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Mutation {
    /// Per device, strictly increasing, never reused.
    pub mutation_id: i64,
    /// The record kind: `partner`, `person`, `enablement_item`, `business_plan`, `account`,
    /// `opportunity`, `call_note`, `next_step`, or a rules kind.
    pub entity: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub entity_id: String,
    pub op: Op,
    /// The fields that changed and their new values (all fields when created).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub patch: Map<String, Value>,
    /// Per changed field, the version (`seq`) the edit was made from; 0 or absent = never seen.
    #[serde(default)]
    pub base_versions: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushRequest {
    /// The device's stable id (made once per local database): letters, digits, `-`, `_`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9_-]{1,100}$", min_length = 1, max_length = 100)
    )]
    pub device_id: String,
    /// At most `MAX_PUSH_BATCH` (500).
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MutationStatus {
    Applied {
        seq: i64,
        /// Fields where this change overwrote a change the client had not seen.
        #[serde(default)]
        conflicts: Vec<Conflict>,
    },
    /// Already applied earlier (a retried push): nothing done again.
    Duplicate,
    /// Not applied, and never will be: the client shows it to the person, and puts its copy of
    /// the record back to `current`.
    Rejected {
        code: String,
        message: String,
        /// The record as the server holds it and the user may see it; absent when it does not
        /// exist for them (a refused create, a record outside their scope).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current: Option<Change>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MutationResult {
    pub mutation_id: i64,
    #[serde(flatten)]
    pub status: MutationStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushResponse {
    /// The highest mutation id of this device the server has processed (applied, duplicate or
    /// rejected): the client may drop its outbox up to here.
    pub last_mutation_id: i64,
    pub results: Vec<MutationResult>,
}

// --- pull -----------------------------------------------------------------------------------

/// The current state of one record the user may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Change {
    /// The record's last change in the global sequence.
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    /// `delete` is a tombstone; so is a record that left the user's scope.
    pub op: Op,
    /// Every field of the record. A tombstone has none, but for `merged_into` when the record
    /// was a second create of one natural key (two offline drafts of one plan), merged into the
    /// record of that id.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// Per field, the `seq` of its last change: the base the client edits from.
    #[serde(default)]
    pub field_versions: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PullResponse {
    Changes {
        changes: Vec<Change>,
        /// Store this, with the page, in one local transaction; send it next time.
        cursor: i64,
        has_more: bool,
        /// Made once per server database. A cursor only means something within one epoch: when
        /// it changes (the server was restored or rebuilt), the client pulls again from 0.
        #[serde(default)]
        epoch: String,
    },
    /// Start again from cursor 0 (keep the outbox).
    Reset { reason: String },
}

// --- conflicts ------------------------------------------------------------------------------

/// One field as a change writes it: its new value, the version it was edited from (0: never
/// seen), and who writes it (a device id).
#[derive(Debug, Clone, Copy)]
pub struct FieldWrite<'a> {
    pub field: &'a str,
    pub value: &'a Value,
    pub base: i64,
    pub writer: &'a str,
}

/// One field as the server holds it: its value, the `seq` of its last change, who wrote it.
#[derive(Debug, Clone, Copy)]
pub struct FieldState<'a> {
    pub value: &'a Value,
    pub version: i64,
    pub writer: Option<&'a str>,
}

/// Timestamps every write sets: versioned like any field, but two edits that both touched them
/// are no conflict (every concurrent edit would be one).
pub fn is_bookkeeping(field: &str) -> bool {
    matches!(field, "created_at" | "updated_at")
}

/// The field-level conflict rule, the one definition the server and any test double call: a
/// write conflicts when the field changed after the version it was edited from, by another
/// writer, to another value than the one written. Device clocks never decide; the write (the
/// later arrival) is applied, and the conflict keeps the value it overwrote.
pub fn is_conflict(write: &FieldWrite<'_>, stored: &FieldState<'_>) -> bool {
    write.base < stored.version
        && stored.writer != Some(write.writer)
        && stored.value != write.value
        && !is_bookkeeping(write.field)
}

/// Two edits of one field that did not see each other. The server applied `theirs` (the later
/// arrival); `ours` is the value it overwrote. Visible to both authors until resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Conflict {
    pub id: String,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    /// The value that was there, written by `overwritten_by`.
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub overwritten_value: Value,
    pub overwritten_by: String,
    /// The value that won, written by `written_by`.
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub written_value: Value,
    pub written_by: String,
    pub created_at: String,
    /// Set once resolved.
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
}

/// Resolves a conflict by choosing (or merging into) a value; it syncs like any change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResolveConflictRequest {
    /// Any JSON value the field takes.
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConflictList {
    pub conflicts: Vec<Conflict>,
    /// Set when more conflicts follow: pass it as `after` for the next page. Absent on the last
    /// page (and from servers that do not page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

// --- admin --------------------------------------------------------------------------------

/// Assigns a sales rep to a partner (`POST /v1/admin/assignments`) or removes the assignment
/// (`DELETE /v1/admin/assignments`). Admins only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssignmentRequest {
    /// The rep's email.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub partner_id: String,
}

// --- audit --------------------------------------------------------------------------------

/// Most audit entries in one page of `GET /v1/audit`.
pub const MAX_AUDIT_PAGE: usize = 500;

/// One change as the audit trail keeps it: who, from which device, what record, which fields,
/// when. Written in the same transaction as the change itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    /// Increasing; page with `before`.
    pub id: i64,
    /// When the change's transaction ran (RFC 3339, UTC).
    pub at: String,
    /// The user who made the change; absent for the server's command line.
    pub user_id: Option<String>,
    /// The user's email, or `cli` for the server's command line.
    pub actor: String,
    /// The device that pushed the change (absent for changes made through the API directly).
    pub device_id: Option<String>,
    /// The record kind (`partner`, `call_note`, a rules kind ...) or `user` for user admin.
    pub kind: String,
    pub entity_id: String,
    /// `upsert`, `delete` (pushed), `resolve` (a conflict), `assign`, `unassign`, `user_add`,
    /// `user_disable`.
    pub action: String,
    /// The names of the fields the change wrote.
    pub fields: Vec<String>,
    /// The device's mutation id, for pushed changes.
    pub mutation_id: Option<i64>,
    /// The change's number in the global sequence, for record changes.
    pub seq: Option<i64>,
    /// Extra facts of the action (the partner of an assignment, the conflict resolved ...).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: Option<Value>,
}

/// A page of the audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutation_results_are_flat_and_tagged() {
        let r = MutationResult {
            mutation_id: 7,
            status: MutationStatus::Rejected {
                code: "forbidden".into(),
                message: "not your partner".into(),
                current: None,
            },
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mutation_id": 7, "status": "rejected", "code": "forbidden", "message": "not your partner"})
        );
        assert_eq!(serde_json::from_value::<MutationResult>(json).unwrap(), r);
    }

    #[test]
    fn a_conflict_is_a_change_unseen_by_another_writer_to_another_value() {
        let (old, new) = (Value::from("old"), Value::from("new"));
        let write = FieldWrite {
            field: "account_notes",
            value: &new,
            base: 3,
            writer: "dev-b",
        };
        let stored = FieldState {
            value: &old,
            version: 5,
            writer: Some("dev-a"),
        };
        assert!(is_conflict(&write, &stored));
        assert!(
            !is_conflict(&FieldWrite { base: 5, ..write }, &stored),
            "seen"
        );
        let own = FieldState {
            writer: Some("dev-b"),
            ..stored
        };
        assert!(!is_conflict(&write, &own), "its own change");
        let same = FieldState {
            value: &new,
            ..stored
        };
        assert!(!is_conflict(&write, &same), "the same value");
        let stamp = FieldWrite {
            field: "updated_at",
            ..write
        };
        assert!(!is_conflict(&stamp, &stored), "bookkeeping");
    }

    #[test]
    fn pull_reset_is_distinguishable() {
        let json = r#"{"kind":"reset","reason":"cursor too old"}"#;
        assert!(matches!(
            serde_json::from_str::<PullResponse>(json).unwrap(),
            PullResponse::Reset { .. }
        ));
    }

    #[test]
    fn error_body_shape_is_stable() {
        let json =
            serde_json::to_string(&ErrorBody::new("unauthorized", "wrong password")).unwrap();
        assert_eq!(
            json,
            r#"{"error":{"code":"unauthorized","message":"wrong password"}}"#
        );
    }
}
