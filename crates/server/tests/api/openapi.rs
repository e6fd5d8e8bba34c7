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
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
}
