//! The router against its OpenAPI document, and bad input answered in the one error shape.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{Method, Request, StatusCode};
use tower::ServiceExt;

use super::*;
use crate::state::Shared;
use crate::storage::SqliteStorage;

async fn app_with(admin_token: Option<&str>) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let storage = Arc::new(SqliteStorage::open(&url).await.expect("storage"));
    let state = Arc::new(Shared::new(
        storage,
        Vec::new(),
        admin_token.map(str::to_owned),
    ));
    (app(state), dir)
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_owned())).expect("request");
    let response = app.clone().oneshot(request).await.expect("answer");
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn every_documented_operation_is_a_route_and_every_route_is_documented() {
    let (app, _dir) = app_with(Some("t")).await;
    let (_, document) = routes();
    let mut operations = Vec::new();
    for (path, item) in &document.paths.paths {
        let methods = [
            (Method::GET, item.get.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
        ];
        for (method, documented) in methods {
            let uri = path.replace("{market}", "US-USD");
            let (status, body) = call(&app, method.clone(), &uri, &[], "{}").await;
            let routed = body["error"]["code"] != "route_not_found"
                && status != StatusCode::METHOD_NOT_ALLOWED;
            assert_eq!(routed, documented, "{method} {path}: {status} {body}");
            if documented {
                operations.push(format!("{method} {path}"));
            }
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "GET /v1/feeds",
            "GET /v1/feeds/{market}",
            "GET /v1/health",
            "GET /v1/openapi.json",
            "GET /v1/stats",
            "POST /v1/events",
            "POST /v1/links",
            "POST /v1/search",
            "PUT /v1/admin/rates",
        ]
    );
    let (status, body) = call(&app, Method::GET, "/v1/nothing", &[], "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("route_not_found"))
    );
    // The document served is the one generated.
    let (status, served) = call(&app, Method::GET, "/v1/openapi.json", &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, serde_json::to_value(&document).expect("json"));
}

#[tokio::test]
async fn a_bad_market_is_a_400_and_an_unserved_one_a_404() {
    let (app, _dir) = app_with(None).await;
    for (uri, status, code) in [
        ("/v1/feeds/usa", StatusCode::BAD_REQUEST, "market_malformed"),
        (
            "/v1/feeds/us-USD",
            StatusCode::BAD_REQUEST,
            "market_bad_country",
        ),
        (
            "/v1/feeds/US-XXX",
            StatusCode::BAD_REQUEST,
            "market_unknown_currency",
        ),
        (
            "/v1/feeds/FR-EUR",
            StatusCode::NOT_FOUND,
            "market_not_served",
        ),
    ] {
        let (got, body) = call(&app, Method::GET, uri, &[], "").await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{uri}"
        );
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn bad_bodies_get_400_with_a_message_and_the_token_is_checked_first() {
    let (off, _a) = app_with(None).await;
    let json = [("content-type", "application/json")];
    let good = r#"{"base": "USD", "per_base": {"EUR": 0.9}}"#;
    let (status, body) = call(&off, Method::PUT, "/v1/admin/rates", &json, good).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("admin_off"))
    );

    let (app, _b) = app_with(Some("sesame")).await;
    let authorised = [
        ("content-type", "application/json"),
        ("authorization", "Bearer sesame"),
    ];
    let wrong = [
        ("content-type", "application/json"),
        ("authorization", "Bearer nope"),
    ];
    let (status, _) = call(&app, Method::PUT, "/v1/admin/rates", &wrong, "{not json").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the token before the body"
    );
    let big = format!(
        r#"{{"base": "USD", "per_base": {{"EUR": 0.9}}, "pad": "{}"}}"#,
        "x".repeat(MAX_BODY_BYTES)
    );
    for (body, status, code) in [
        ("{not json", StatusCode::BAD_REQUEST, "json_invalid"),
        (
            r#"{"base": "USD", "per_base": {"EUR": 0.9}, "extra": 1}"#,
            StatusCode::BAD_REQUEST,
            "json_wrong_shape",
        ),
        (
            r#"{"base": 5, "per_base": {}}"#,
            StatusCode::BAD_REQUEST,
            "json_wrong_shape",
        ),
        (
            r#"{"base": "XBT", "per_base": {}}"#,
            StatusCode::BAD_REQUEST,
            "rates_invalid",
        ),
        (
            r#"{"base": "USD", "per_base": {"EUR": -1}}"#,
            StatusCode::BAD_REQUEST,
            "rates_invalid",
        ),
        (
            big.as_str(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
    ] {
        let (got, answer) = call(&app, Method::PUT, "/v1/admin/rates", &authorised, body).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{answer}"
        );
        assert!(answer["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let (status, _) = call(
        &app,
        Method::PUT,
        "/v1/admin/rates",
        &[("authorization", "Bearer sesame")],
        good,
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, answer) = call(&app, Method::PUT, "/v1/admin/rates", &authorised, good).await;
    assert_eq!(
        (status, answer["revision"].as_i64()),
        (StatusCode::OK, Some(1))
    );
}

/// The names of a schema's properties in the document, following a `$ref`.
fn properties(document: &serde_json::Value, schema: &serde_json::Value) -> Vec<String> {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("a name");
            &document["components"]["schemas"][name]
        }
        None => schema,
    };
    let mut names: Vec<String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_search_schemas_are_what_the_handler_reads_and_the_core_writes() {
    use shopper_aliexpress::fake::{FakeApi, FakeConfig};

    let (_, document) = routes();
    let document = serde_json::to_value(&document).expect("json");
    let operation = &document["paths"]["/v1/search"]["post"];
    let request = &operation["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        properties(&document, request),
        ["country", "currency", "locale", "query"]
    );
    let answer_schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];

    // An answer the core wrote for the fake's products, with every nested object filled.
    let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
    let client = fake.client_config();
    let search = crate::search::Search::from_config(&crate::config::AliexpressConfig {
        app_key: Some(client.app_key),
        app_secret: Some(client.app_secret),
        tracking_id: Some(client.tracking_id),
        api_url: client.base_url,
        deadline: Duration::from_secs(5),
    });
    let input = super::search::tests_input("speaker under 30 4.5 stars");
    let answer = search
        .run(&input, &shopper_core::money::Rates::none())
        .await
        .expect("products");
    let answer: serde_json::Value = serde_json::from_str(&answer).expect("json");
    assert_eq!(properties(&document, answer_schema), keys(&answer));
    let answer_name = answer_schema["$ref"].as_str().expect("a ref");
    let answer_schema =
        &document["components"]["schemas"][answer_name.rsplit('/').next().expect("name")];
    let nested = |field: &str| {
        let schema = &answer_schema["properties"][field];
        let schema = if schema["items"].is_object() {
            &schema["items"]
        } else {
            schema
        };
        properties(&document, schema)
    };
    assert_eq!(nested("query"), keys(&answer["query"]));
    assert_eq!(nested("filters"), keys(&answer["filters"][0]));
    let product = &answer["products"][0];
    assert_eq!(nested("products"), keys(product));
    let product_name = answer_schema["properties"]["products"]["items"]["$ref"]
        .as_str()
        .expect("a ref");
    let product_schema =
        &document["components"]["schemas"][product_name.rsplit('/').next().expect("name")];
    // `store` is nullable: its schema is a oneOf of null and the store.
    let store = &product_schema["properties"]["store"];
    let store_ref = store["oneOf"]
        .as_array()
        .and_then(|options| options.iter().find(|o| o["$ref"].is_string()))
        .unwrap_or(store);
    assert_eq!(properties(&document, store_ref), keys(&product["store"]));
}

#[tokio::test]
async fn the_usage_schemas_are_what_the_core_reads_and_the_handler_writes() {
    use shopper_core::events::{read_batch, Event, EventCounts};

    let (_, document) = routes();
    let document = serde_json::to_value(&document).expect("json");
    let operation = &document["paths"]["/v1/events"]["post"];
    let request = &operation["requestBody"]["content"]["application/json"]["schema"];
    // A batch with every event counted, as the core writes it.
    let mut counts = EventCounts::default();
    for event in Event::ALL {
        assert!(counts.set(*event, 1));
    }
    let sample = r#"{"schema": 1, "id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "browser": "chrome",
        "browser_major": 131, "os": "windows", "country": "US", "language": "en",
        "utc_offset": -300, "extension_version": "1.4.2", "counts": {}}"#;
    let mut batch = read_batch(sample.as_bytes()).expect("a batch");
    batch.counts = counts;
    let written: serde_json::Value = serde_json::from_str(&batch.to_json()).expect("json");
    assert_eq!(properties(&document, request), keys(&written));
    let batch_name = request["$ref"].as_str().expect("a ref");
    let batch_schema =
        &document["components"]["schemas"][batch_name.rsplit('/').next().expect("name")];
    assert_eq!(
        properties(&document, &batch_schema["properties"]["counts"]),
        keys(&written["counts"])
    );

    // The stats of that batch, through the router.
    let (app, _dir) = app_with(Some("sesame")).await;
    let (status, _) = call(&app, Method::POST, "/v1/events", &[], &batch.to_json()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let token = [("authorization", "Bearer sesame")];
    let (status, stats) = call(&app, Method::GET, "/v1/stats", &token, "").await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let answer_schema = &document["paths"]["/v1/stats"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(properties(&document, answer_schema), keys(&stats));
    let name = answer_schema["$ref"].as_str().expect("a ref");
    let stats_schema = &document["components"]["schemas"][name.rsplit('/').next().expect("name")];
    for list in ["days", "events", "profiles"] {
        let item = &stats_schema["properties"][list]["items"];
        let last = stats[list]
            .as_array()
            .and_then(|l| l.last())
            .expect("one at least");
        assert_eq!(properties(&document, item), keys(last), "{list}");
    }
    assert_eq!(
        stats["events"].as_array().map(Vec::len),
        Some(Event::ALL.len())
    );
    assert_eq!(
        stats["days"][6]["daily_active"], 1,
        "today's, the last of a week"
    );
}

#[tokio::test]
async fn answers_are_compressed_only_above_the_first_flight() {
    let (app, _dir) = app_with(None).await;
    let ask = |uri: &'static str| {
        let app = app.clone();
        async move {
            let request = Request::builder()
                .uri(uri)
                .header("accept-encoding", "gzip, deflate, br, zstd")
                .body(Body::empty())
                .expect("request");
            let response = app.oneshot(request).await.expect("answer");
            let coding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap_or_default().to_owned());
            let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
            (coding, bytes.len())
        }
    };
    let (coding, size) = ask("/v1/health").await;
    assert!(size <= usize::from(COMPRESS_ABOVE_BYTES), "{size}");
    assert_eq!(coding, None, "a small answer goes as it is");
    let document = routes().1.to_json().expect("document").len();
    assert!(document > usize::from(COMPRESS_ABOVE_BYTES), "{document}");
    let (coding, size) = ask("/v1/openapi.json").await;
    assert_eq!(coding.as_deref(), Some("br"), "a large one is compressed");
    assert!(size < document, "{size} < {document}");
}
