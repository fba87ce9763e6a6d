//! Smart Search's products: a request the shopper submitted, read by the core's parser (the
//! popup's) and, when the rules did not read it fully and the operator runs one, by the
//! language model ([`crate::language_model`]; the rules' reading stands whenever the model's
//! fails), planned by the core for the shopper's market, asked of the AliExpress affiliate API
//! within a deadline, the filters the API lacks applied by the core, and the core's answer. A
//! shell: every rule is `shopper_core::search`'s; this holds the clients, the deadlines and the
//! order of the steps.
//!
//! Privacy: nothing here writes or logs the request's text (it goes to the affiliate API as
//! keywords, and to the operator's model when one is asked), and nothing here sees the
//! client's address. A failure is logged by its code or kind only.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shopper_aliexpress::{ApiError, Client};
use shopper_core::money::Rates;
use shopper_core::search::{
    parse_query_in, plan_query, read_fully, refine, PlanError, ProductAnswer, ReadBy,
    SearchRequest, SearchTarget,
};

use crate::config::{AliexpressConfig, LLM_OFF_WITHOUT_URL};
use crate::language_model::LanguageModel;

/// Why a search has no products.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Search is off (no credentials, or a client that could not be set up): why.
    #[error("Smart Search is off: {0}")]
    Off(String),
    /// The core would not ask the API (the request names no product).
    #[error("{0}")]
    Plan(PlanError),
    /// The API gave no products.
    #[error("{0}")]
    Api(ApiError),
}

/// A request to search, read and bounded by the HTTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchInput {
    /// What the shopper typed.
    pub query: String,
    /// Where the products are for.
    pub target: SearchTarget,
}

/// Smart Search: on with an API client, or off with the reason; with the operator's language
/// model, or without it and why.
pub struct Search {
    client: Result<Arc<Client>, String>,
    deadline: Duration,
    model: Result<LanguageModel, String>,
}

impl Search {
    /// Search that answers [`SearchError::Off`] with `reason`.
    pub fn off(reason: &str) -> Self {
        Self {
            client: Err(reason.to_owned()),
            deadline: Duration::ZERO,
            model: Err(LLM_OFF_WITHOUT_URL.to_owned()),
        }
    }

    /// Search as the configuration has it: on when the app key, secret and tracking id are all
    /// given, asking the configured endpoint within the configured deadline.
    pub fn from_config(config: &AliexpressConfig) -> Self {
        Self::with_client(crate::affiliate_api::client(config), config.deadline)
    }

    /// Search through `client` (the process's one, [`crate::affiliate_api::client`]; off with
    /// the reason there is none), each request within `deadline`.
    pub fn with_client(client: Result<Arc<Client>, String>, deadline: Duration) -> Self {
        match client {
            Ok(client) => Self {
                client: Ok(client),
                deadline,
                model: Err(LLM_OFF_WITHOUT_URL.to_owned()),
            },
            Err(reason) => Self::off(&reason),
        }
    }

    /// This search with `model` (or why there is none) reading what the rules do not read
    /// fully.
    pub fn with_model(mut self, model: Result<LanguageModel, String>) -> Self {
        self.model = model;
        self
    }

    /// The language model, or why there is none.
    pub fn model(&self) -> Result<&LanguageModel, &str> {
        self.model.as_ref().map_err(String::as_str)
    }

    /// Why search is off, or `None` when it is on.
    pub fn off_reason(&self) -> Option<&str> {
        self.client.as_ref().err().map(String::as_str)
    }

    /// The products for `input`, as the core's answer JSON
    /// ([`ProductAnswer::to_json`]), converting a price in another currency with `rates`.
    pub async fn run(&self, input: &SearchInput, rates: &Rates) -> Result<String, SearchError> {
        let client = self
            .client
            .as_ref()
            .map_err(|reason| SearchError::Off(reason.clone()))?;
        let rules = parse_query_in(&input.query, Some(input.target.currency));
        let (request, read_by) = self.read(&input.query, rules).await;
        let plan = plan_query(&request, input.target, rates).map_err(SearchError::Plan)?;
        let deadline = Instant::now() + self.deadline;
        // The client holds its deadline; this holds it too, whatever the client does.
        let page = tokio::time::timeout(self.deadline, client.product_query(&plan.query, deadline))
            .await
            .unwrap_or(Err(ApiError::Deadline))
            .map_err(SearchError::Api)?;
        let mut refinement = refine(page.products, &plan);
        refinement.unusable += page.skipped;
        Ok(ProductAnswer {
            request,
            read_by,
            plan,
            refinement,
        }
        .to_json())
    }
}

impl Search {
    /// The request as read: the rules' reading when they read it fully or there is no model,
    /// else the model's put together with it, or the rules' alone when the model's fails.
    async fn read(&self, text: &str, rules: SearchRequest) -> (SearchRequest, ReadBy) {
        let Ok(model) = &self.model else {
            return (rules, ReadBy::Rules);
        };
        if read_fully(&rules) {
            return (rules, ReadBy::Rules);
        }
        match model.read(text).await {
            Ok(reading) => (rules.with_model_reading(reading), ReadBy::Model),
            Err(error) => {
                // The kind only: neither the request nor the model's answer reaches a log.
                tracing::warn!(
                    failure = error.kind(),
                    "the language model's reading is not used; the rules' stands"
                );
                (rules, ReadBy::Rules)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_aliexpress::fake::{FakeApi, FakeConfig};
    use shopper_core::locale::UiLanguage;
    use shopper_core::money::Currency;
    use shopper_core::page::CountryCode;
    use shopper_core::search::check_product_answer;

    fn input(query: &str) -> SearchInput {
        SearchInput {
            query: query.to_owned(),
            target: SearchTarget {
                ship_to: CountryCode::US,
                currency: Currency::USD,
                language: UiLanguage::En,
            },
        }
    }

    fn configured(fake: &FakeApi, deadline: Duration) -> AliexpressConfig {
        let client = fake.client_config();
        AliexpressConfig {
            app_key: Some(client.app_key),
            app_secret: Some(client.app_secret),
            tracking_id: Some(client.tracking_id),
            api_url: client.base_url,
            deadline,
        }
    }

    #[tokio::test]
    async fn the_fakes_products_make_an_answer_the_extension_accepts() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let search = Search::from_config(&configured(&fake, Duration::from_secs(5)));
        assert_eq!(search.off_reason(), None);
        let answer = search
            .run(&input("bluetooth"), &Rates::none())
            .await
            .expect("products");
        let shown = check_product_answer(&answer).expect("the extension's check passes");
        assert_eq!(shown, 3, "{answer}");
        let value: serde_json::Value = serde_json::from_str(&answer).expect("json");
        assert_eq!(value["keywords"], "bluetooth");
        assert_eq!(value["query"]["target_currency"], "USD");
    }

    #[tokio::test]
    async fn off_without_credentials_and_no_call_without_keywords() {
        let mut config = AliexpressConfig {
            app_key: Some("k".into()),
            app_secret: None,
            tracking_id: None,
            api_url: "http://127.0.0.1:9/sync".into(),
            deadline: Duration::from_secs(1),
        };
        let search = Search::from_config(&config);
        assert_eq!(
            search.off_reason(),
            Some("no AliExpress app secret, tracking id configured")
        );
        assert!(matches!(
            search.run(&input("lamp"), &Rates::none()).await,
            Err(SearchError::Off(_))
        ));
        config.app_secret = Some("s".into());
        config.tracking_id = Some("t".into());
        let search = Search::from_config(&config);
        assert_eq!(
            search.run(&input("under 30 dollars"), &Rates::none()).await,
            Err(SearchError::Plan(PlanError::NoKeywords))
        );
    }
}
