//! The operator's language model: an OpenAI-compatible chat endpoint (a llama.cpp or vLLM
//! server the operator runs) asked, within a short deadline, to read a Smart Search request
//! the rules did not read fully. One `POST {url}/chat/completions` with the core's instructions
//! as the system message, the shopper's text as the user message and the core's JSON schema as
//! `response_format`; the message it answers is read by the core
//! ([`shopper_core::search::read_model_answer`]). A shell: what to ask, what an answer may hold
//! and what is done with it are the core's.
//!
//! HTTP is the affiliate API client's reqwest (rustls, no default features): one HTTP stack.
//!
//! Privacy: the shopper's text goes to the operator's endpoint and nowhere else; nothing here
//! logs it, nor the model's answer (which may echo it). A failure is told by its kind only.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use shopper_core::search::{
    read_model_answer, ModelAnswerFault, SearchRequest, MODEL_ANSWER_SCHEMA, MODEL_INSTRUCTIONS,
};

use crate::config::{LlmConfig, LLM_OFF_WITHOUT_URL};

/// The largest chat answer read, in bytes: the message is at most 4 KB
/// ([`shopper_core::search::MAX_MODEL_ANSWER_BYTES`]); servers add usage and timings around it.
pub const MAX_CHAT_RESPONSE_BYTES: usize = 64 * 1024;
/// The most tokens the model may write: a filled answer takes under a hundred; a model that
/// rambles is cut, its answer then refused, rather than holding the shopper to the deadline.
pub const MAX_ANSWER_TOKENS: u32 = 256;

/// Why the model's reading is not used (the rules' stands).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// No whole answer within the deadline.
    #[error("no answer within the deadline")]
    Deadline,
    /// The endpoint could not be reached (connection refused, reset, DNS...).
    #[error("the endpoint could not be reached")]
    Unreachable,
    /// The endpoint answered with this HTTP status.
    #[error("the endpoint answered HTTP {0}")]
    Status(u16),
    /// The answer was larger than [`MAX_CHAT_RESPONSE_BYTES`].
    #[error("the answer is over {MAX_CHAT_RESPONSE_BYTES} bytes")]
    TooLarge,
    /// Not an OpenAI-compatible chat completion with a message.
    #[error("not a chat completion with a message")]
    NotAChatAnswer,
    /// The message is no answer the core reads.
    #[error("{0}")]
    Answer(ModelAnswerFault),
}

impl ModelError {
    /// What kind of failure, for a log line: `model_deadline`, `model_unreachable`,
    /// `model_status`, `model_too_large`, `model_not_a_chat_answer`, or the core's
    /// `model_answer_*` kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Deadline => "model_deadline",
            Self::Unreachable => "model_unreachable",
            Self::Status(_) => "model_status",
            Self::TooLarge => "model_too_large",
            Self::NotAChatAnswer => "model_not_a_chat_answer",
            Self::Answer(fault) => fault.kind(),
        }
    }
}

/// A chat completion, as far as it is read: the first choice's message.
#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

/// The operator's model, ready to be asked. Cheap to share: its connections are pooled.
pub struct LanguageModel {
    http: reqwest::Client,
    endpoint: String,
    model: String,
    api_key: Option<String>,
    deadline: Duration,
    /// The core's answer schema, read once.
    schema: Value,
}

impl LanguageModel {
    /// The model as the configuration has it, or why it is off (no URL or model, or a client
    /// that could not be set up).
    pub fn from_config(config: &LlmConfig) -> Result<Self, String> {
        let (Some(url), Some(model)) = (&config.url, &config.model) else {
            return Err(config
                .off_reason()
                .unwrap_or(LLM_OFF_WITHOUT_URL)
                .to_owned());
        };
        let schema: Value = serde_json::from_str(MODEL_ANSWER_SCHEMA)
            .map_err(|e| format!("the core's answer schema is not JSON: {e}"))?;
        let http = reqwest::Client::builder()
            .connect_timeout(config.deadline)
            // An endpoint that redirects is somebody else's answer.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("smart-shopper/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the language model's client could not be set up: {e}"))?;
        Ok(Self {
            http,
            endpoint: format!("{url}/chat/completions"),
            model: model.clone(),
            api_key: config.api_key.clone(),
            deadline: config.deadline,
            schema,
        })
    }

    /// Where it is asked (`{url}/chat/completions`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The model asked for.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// How long it is waited for.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The model's reading of the shopper's `text`, within the deadline.
    pub async fn read(&self, text: &str) -> Result<SearchRequest, ModelError> {
        let content = tokio::time::timeout(self.deadline, self.ask(text))
            .await
            .unwrap_or(Err(ModelError::Deadline))?;
        read_model_answer(&content).map_err(ModelError::Answer)
    }

    /// The chat request's body: the core's instructions, the text, the core's schema.
    fn body(&self, text: &str) -> String {
        json!({
            "model": self.model,
            "messages": [
                {"role": "system", "content": MODEL_INSTRUCTIONS},
                {"role": "user", "content": text},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "search_request", "strict": true, "schema": self.schema},
            },
            "temperature": 0,
            "max_tokens": MAX_ANSWER_TOKENS,
            "stream": false,
        })
        .to_string()
    }

    /// One POST and the first choice's message.
    async fn ask(&self, text: &str) -> Result<String, ModelError> {
        let mut request = self
            .http
            .post(&self.endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body(text));
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(ModelError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_CHAT_RESPONSE_BYTES as u64)
        {
            return Err(ModelError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > MAX_CHAT_RESPONSE_BYTES {
                return Err(ModelError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let completion: Completion =
            serde_json::from_slice(&body).map_err(|_| ModelError::NotAChatAnswer)?;
        completion
            .choices
            .into_iter()
            .next()
            .and_then(|choice| choice.message.content)
            .ok_or(ModelError::NotAChatAnswer)
    }
}

/// A transport failure: its kind only (reqwest's text names the endpoint, never the body).
fn transport(error: reqwest::Error) -> ModelError {
    if error.is_timeout() {
        ModelError::Deadline
    } else {
        ModelError::Unreachable
    }
}

/// The read's future is `Send`, as the server's handlers need: this does not compile otherwise.
#[allow(dead_code)]
fn reads_are_send(model: &LanguageModel) {
    fn send<T: Send>(_: T) {}
    send(model.read("lamp"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>, model: Option<&str>) -> LlmConfig {
        LlmConfig {
            url: url.map(str::to_owned),
            model: model.map(str::to_owned),
            api_key: None,
            deadline: Duration::from_millis(1500),
        }
    }

    #[test]
    fn off_without_a_url_or_a_model() {
        let reason = |c: &LlmConfig| LanguageModel::from_config(c).err();
        assert_eq!(
            reason(&config(None, Some("m"))).as_deref(),
            Some(LLM_OFF_WITHOUT_URL)
        );
        assert_eq!(
            reason(&config(Some("http://127.0.0.1:8080/v1"), None)).as_deref(),
            Some("no llm model configured")
        );
        let model =
            LanguageModel::from_config(&config(Some("http://127.0.0.1:8080/v1"), Some("m")))
                .expect("on");
        assert_eq!(
            model.endpoint(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        let body: Value = serde_json::from_str(&model.body("lamp \"x\"")).expect("json");
        assert_eq!(body["messages"][1]["content"], "lamp \"x\"");
        assert_eq!(body["max_tokens"], MAX_ANSWER_TOKENS);
    }

    #[test]
    fn every_failure_has_its_own_kind() {
        let kinds = [
            ModelError::Deadline,
            ModelError::Unreachable,
            ModelError::Status(500),
            ModelError::TooLarge,
            ModelError::NotAChatAnswer,
            ModelError::Answer(ModelAnswerFault::NotAnObject),
        ]
        .map(|e| e.kind());
        for (i, kind) in kinds.iter().enumerate() {
            assert!(kind.starts_with("model_"), "{kind}");
            assert!(!kinds[..i].contains(kind), "{kind} twice");
        }
    }
}
