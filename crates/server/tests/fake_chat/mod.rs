//! A fake of an OpenAI-compatible chat endpoint (what a llama.cpp or vLLM server answers at
//! `POST /v1/chat/completions`) for the language model tests, on 127.0.0.1 with a free port:
//! it answers what the test sets (a message, an HTTP status, a body that is no completion),
//! after a wait when told, and keeps every request's body and `Authorization` header.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

/// What the fake answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A chat completion whose message is this text.
    Message(String),
    /// This HTTP status, with an error body.
    Status(u16),
    /// Status 200 with this body (no chat completion).
    Body(String),
}

/// One request received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Its JSON body (null when it was not JSON).
    pub body: Value,
    /// Its `Authorization` header.
    pub authorization: Option<String>,
}

#[derive(Debug)]
struct Shared {
    reply: Mutex<Reply>,
    wait: Mutex<Duration>,
    received: Mutex<Vec<Received>>,
}

/// A running fake; dropping it stops it.
pub struct FakeChat {
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FakeChat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeChat {
    /// Starts one answering `reply`, at once.
    pub async fn start(reply: Reply) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            reply: Mutex::new(reply),
            wait: Mutex::new(Duration::ZERO),
            received: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(completion))
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, shared, task }
    }

    /// Its base URL, as an operator configures it (`http://127.0.0.1:PORT/v1`).
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Answers `reply` from now on.
    pub fn reply(&self, reply: Reply) {
        *self.shared.reply.lock().unwrap() = reply;
    }

    /// Waits this long before each answer from now on.
    pub fn wait(&self, wait: Duration) {
        *self.shared.wait.lock().unwrap() = wait;
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }
}

/// A message the core reads: every field, `fields` over the defaults.
pub fn message(fields: Value) -> String {
    let mut answer = json!({
        "keywords": "telescope", "min_price": null, "max_price": null, "currency": null,
        "min_rating": null, "free_shipping": false, "ship_from": null, "sort": null,
    });
    for (name, value) in fields.as_object().unwrap() {
        answer[name] = value.clone();
    }
    answer.to_string()
}

async fn completion(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let model = body["model"].clone();
    shared.received.lock().unwrap().push(Received {
        body,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    });
    let wait = *shared.wait.lock().unwrap();
    tokio::time::sleep(wait).await;
    let reply = shared.reply.lock().unwrap().clone();
    match reply {
        Reply::Message(content) => {
            // As llama.cpp's server writes one, with its timings.
            let completion = json!({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360},
                "timings": {"prompt_ms": 12.5, "predicted_ms": 480.0},
            });
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                completion.to_string(),
            )
                .into_response()
        }
        Reply::Status(status) => (
            StatusCode::from_u16(status).unwrap(),
            json!({"error": {"message": "the fake fails", "type": "server_error"}}).to_string(),
        )
            .into_response(),
        Reply::Body(text) => text.into_response(),
    }
}
