use serde_json::Value;

use crate::support::server;

#[tokio::test]
async fn openapi_json_lists_every_route() {
    let srv = server().await;
    let r = srv.get("/openapi.json", None).await;
    assert_eq!(r.status, reqwest::StatusCode::OK);
    let doc: Value = r.body;
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3."),
        "an OpenAPI 3 document"
    );
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/health", "get"),
        ("/v1/auth/login", "post"),
        ("/v1/auth/refresh", "post"),
        ("/v1/auth/logout", "post"),
        ("/v1/sync/push", "post"),
        ("/v1/sync/pull", "get"),
        ("/v1/conflicts", "get"),
        ("/v1/conflicts/{id}/resolve", "post"),
        ("/v1/admin/assignments", "post"),
        ("/v1/admin/assignments", "delete"),
        ("/v1/audit", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "ErrorBody",
        "PushRequest",
        "PushResponse",
        "PullResponse",
        "TokenResponse",
        "Conflict",
        "AuditPage",
        "AuditEntry",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    let value = &schemas["ResolveConflictRequest"]["properties"]["value"];
    assert!(
        value.get("type").is_none(),
        "a resolution's value is any JSON, not only an object: {value}"
    );
    let login = &schemas["LoginRequest"]["properties"];
    assert_eq!(login["email"]["maxLength"], 254, "limits are in the schema");
    let audit = &paths["/v1/audit"]["get"];
    let statuses = audit["responses"].as_object().unwrap();
    for status in ["200", "403", "422", "429"] {
        assert!(
            statuses.contains_key(status),
            "GET /v1/audit documents {status}"
        );
    }
    std::fs::write(
        std::env::temp_dir().join("cdesk-openapi.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .ok();
}
