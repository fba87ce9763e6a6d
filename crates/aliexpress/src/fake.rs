//! A fake of the AliExpress affiliate API for tests, on 127.0.0.1 with a free port: it checks
//! every request's signature exactly as the API does ([`crate::sign`], refusing with
//! `IncompleteSignature` otherwise), answers `product.query`, `hotproduct.query`,
//! `featuredpromo.products.get` and `link.generate` in the documented shapes from a fixed
//! catalogue (lists wrapped or plain, as configured), can be told to be slow, to fail with a
//! status, to answer `ApiCallLimit` or any other refusal (for the next calls, every call, or every
//! call of one method), counts the calls per method and keeps the parameters of the last call of
//! each (what a test checks was asked).
//!
//! Filters it applies: keywords (any word in the title), `min_sale_price`/`max_sale_price` in
//! minor units, `sort` (each method's own names), `page_no`/`page_size`; prices and promo code
//! terms come back in `target_currency` with the catalogue's amounts in its minor units (it
//! converts nothing). `product.query` lists six products; `hotproduct.query` the same six and 120
//! hot deals, `featuredpromo.products.get` the six's two promo codes' products and 60 featured
//! picks, every one with a promo code (see `fixtures`): enough for three pages of harvest.

mod fixtures;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use shopper_core::money::Currency;
use shopper_core::search::affiliate_query::PAGE_SIZE_FILTERED;
use shopper_core::search::ApiSort;

use crate::client::Config;
use crate::sign::{sign, SIGN_METHOD};
use crate::{method, PromoSort, MAX_LINK_URLS};

pub use fixtures::BIG_ID;

/// How the fake writes lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListShape {
    /// `"products": {"product": [...]}`, as the API mostly does.
    #[default]
    Wrapped,
    /// `"products": [...]`.
    Plain,
}

/// What the fake does instead of answering well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer well.
    Slow(Duration),
    /// Answer this HTTP status with an empty body.
    Status(u16),
    /// Answer `error_response` `ApiCallLimit`.
    ApiCallLimit,
    /// Answer `error_response` with this code, message and sub-code.
    Refuse {
        /// `code`.
        code: String,
        /// `msg`.
        msg: String,
        /// `sub_code`.
        sub_code: Option<String>,
    },
    /// Answer `resp_code` with this code and message.
    RespCode(i64, String),
    /// Answer status 200 with this body (a body not in the documented shape).
    Body(String),
}

/// The fake's credentials and list shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeConfig {
    /// The only app key it knows.
    pub app_key: String,
    /// The secret it checks signatures with.
    pub app_secret: String,
    /// The only tracking id registered as a publisher's.
    pub tracking_id: String,
    /// How it writes lists.
    pub lists: ListShape,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            app_key: "fake-app-key".into(),
            app_secret: "fake-app-secret".into(),
            tracking_id: "fake-tracking-id".into(),
            lists: ListShape::Wrapped,
        }
    }
}

#[derive(Debug, Default)]
struct Behaviour {
    /// Faults for the next calls, in order, each used once.
    next: VecDeque<Fault>,
    /// A fault for every call of a method, until cleared (before `always`).
    per_method: HashMap<String, Fault>,
    /// A fault for every call after those, until cleared.
    always: Option<Fault>,
}

#[derive(Debug)]
struct Shared {
    config: Mutex<FakeConfig>,
    behaviour: Mutex<Behaviour>,
    calls: Mutex<HashMap<String, u64>>,
    answered: Mutex<HashMap<String, u64>>,
    /// The parameters of the last call of each method (one per method: bounded however long a
    /// fake runs).
    last: Mutex<HashMap<String, HashMap<String, String>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake. Dropping it stops it.
#[derive(Debug)]
pub struct FakeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeApi {
    /// Starts a fake on 127.0.0.1 with a free port.
    pub async fn start(config: FakeConfig) -> std::io::Result<Self> {
        Self::start_on(config, 0).await
    }

    /// Starts a fake on 127.0.0.1:`port` (0: a free one).
    pub async fn start_on(config: FakeConfig, port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            behaviour: Mutex::new(Behaviour::default()),
            calls: Mutex::new(HashMap::new()),
            answered: Mutex::new(HashMap::new()),
            last: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/sync", any(handle))
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            // Serving ends only when the listener fails; the test sees that as failed calls.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, shared, task })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its endpoint, for [`Config::base_url`].
    pub fn url(&self) -> String {
        format!("http://{}/sync", self.addr)
    }

    /// A client configuration for it: its url and credentials, short timeouts and backoffs.
    pub fn client_config(&self) -> Config {
        let config = lock(&self.shared.config);
        let mut client = Config::new(&config.app_key, &config.app_secret, &config.tracking_id);
        client.base_url = self.url();
        client.attempt_timeout = Duration::from_secs(2);
        client.retry.first_backoff = Duration::from_millis(10);
        client.retry.max_backoff = Duration::from_millis(40);
        client
    }

    /// Requests received for `method` (every one, refused or not).
    pub fn calls(&self, method: &str) -> u64 {
        lock(&self.shared.calls).get(method).copied().unwrap_or(0)
    }

    /// The parameters (system ones included) of the last request received for `method`.
    pub fn last_call(&self, method: &str) -> Option<HashMap<String, String>> {
        lock(&self.shared.last).get(method).cloned()
    }

    /// Requests received, all methods.
    pub fn total_calls(&self) -> u64 {
        lock(&self.shared.calls).values().sum()
    }

    /// Answers written for `method` (a slow answer counts once its wait is over).
    pub fn answered(&self, method: &str) -> u64 {
        lock(&self.shared.answered)
            .get(method)
            .copied()
            .unwrap_or(0)
    }

    /// The next `times` calls get `fault` (after any already queued).
    pub fn fail_next(&self, fault: Fault, times: usize) {
        let mut behaviour = lock(&self.shared.behaviour);
        behaviour.next.extend(std::iter::repeat_n(fault, times));
    }

    /// Every call gets `fault` from now on (`None`: answer well again); queued faults first.
    pub fn fail_always(&self, fault: Option<Fault>) {
        lock(&self.shared.behaviour).always = fault;
    }

    /// Every call of `method` gets `fault` from now on (`None`: answer it well again); queued
    /// faults first.
    pub fn fail_method(&self, method: &str, fault: Option<Fault>) {
        let mut behaviour = lock(&self.shared.behaviour);
        match fault {
            Some(fault) => behaviour.per_method.insert(method.to_owned(), fault),
            None => behaviour.per_method.remove(method),
        };
    }

    /// Lists wrapped or plain from now on.
    pub fn set_lists(&self, lists: ListShape) {
        lock(&self.shared.config).lists = lists;
    }

    /// Runs until the task serving it ends (for the binary).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

/// Every request, whatever its method: count it, apply the fault due, check the signature,
/// answer.
async fn handle(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params: HashMap<String, String> = HashMap::new();
    let pairs = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .chain(form_urlencoded::parse(&body));
    for (name, value) in pairs {
        params.insert(name.into_owned(), value.into_owned());
    }
    let method = params.get("method").cloned().unwrap_or_default();
    *lock(&shared.calls).entry(method.clone()).or_insert(0) += 1;
    lock(&shared.last).insert(method.clone(), params.clone());
    let fault = {
        let mut behaviour = lock(&shared.behaviour);
        behaviour
            .next
            .pop_front()
            .or_else(|| behaviour.per_method.get(&method).cloned())
            .or_else(|| behaviour.always.clone())
    };
    let answer = match fault {
        Some(Fault::Slow(wait)) => {
            tokio::time::sleep(wait).await;
            answer(&shared, &method, &params)
        }
        Some(Fault::Status(status)) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
        Some(Fault::ApiCallLimit) => refusal(
            "ApiCallLimit",
            "The request has exceeded the call limit",
            Some("isv.api-call-limit"),
        ),
        Some(Fault::Refuse {
            code,
            msg,
            sub_code,
        }) => refusal(&code, &msg, sub_code.as_deref()),
        Some(Fault::RespCode(code, message)) => envelope(&method, code, &message, json!({})),
        Some(Fault::Body(body)) => body.into_response(),
        None => answer(&shared, &method, &params),
    };
    *lock(&shared.answered).entry(method).or_insert(0) += 1;
    answer
}

/// `value` as the API's JSON answer.
fn json_response(value: &Value) -> Response {
    let json = [(
        axum::http::header::CONTENT_TYPE,
        "application/json;charset=UTF-8",
    )];
    (json, value.to_string()).into_response()
}

fn refusal(code: &str, msg: &str, sub_code: Option<&str>) -> Response {
    let mut error = json!({"code": code, "msg": msg, "request_id": "fake"});
    if let (Some(sub), Value::Object(object)) = (sub_code, &mut error) {
        object.insert("sub_code".into(), json!(sub));
    }
    json_response(&json!({ "error_response": error }))
}

fn envelope(method: &str, code: i64, message: &str, result: Value) -> Response {
    let key = format!("{}_response", method.replace('.', "_"));
    let mut resp_result = json!({"resp_code": code, "resp_msg": message});
    if code == 200 {
        if let Value::Object(object) = &mut resp_result {
            object.insert("result".into(), result);
        }
    }
    json_response(&json!({ key: {"resp_result": resp_result, "request_id": "fake"} }))
}

/// A well-behaved answer: the signature checked, then the method's result.
fn answer(shared: &Shared, method: &str, params: &HashMap<String, String>) -> Response {
    let config = lock(&shared.config).clone();
    let get = |name: &str| params.get(name).map(String::as_str).unwrap_or("");
    if get("app_key") != config.app_key {
        return refusal(
            "InvalidAppKey",
            "Invalid app key",
            Some("isv.appkey-not-exists"),
        );
    }
    let signed = get("sign_method") == SIGN_METHOD
        && !get("timestamp").is_empty()
        && !method.is_empty()
        && sign(
            &config.app_secret,
            params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        ) == get("sign");
    if !signed {
        return refusal(
            "IncompleteSignature",
            "The request signature does not conform to platform standards",
            None,
        );
    }
    if get("tracking_id") != config.tracking_id {
        return refusal(
            "isv.error",
            "The tracking id is not a registered publisher's",
            Some("isv.unregistered-publisher"),
        );
    }
    let wrap = |name: &str, items: Vec<Value>| match config.lists {
        ListShape::Wrapped => json!({ name: items }),
        ListShape::Plain => Value::Array(items),
    };
    let featured = method == method::FEATURED_PROMO_PRODUCTS;
    match method {
        method::PRODUCT_QUERY | method::HOT_PRODUCT_QUERY | method::FEATURED_PROMO_PRODUCTS => {
            if featured && get("promotion_name").is_empty() {
                return refusal("MissingParameter", "promotion_name is required", None);
            }
            let listing = products(params, method);
            let finished = listing.page_no >= listing.pages as u64;
            let mut result = json!({
                "current_page_no": listing.page_no,
                "current_record_count": listing.products.len(),
                "total_record_count": listing.total,
                "total_page_no": listing.pages,
                "products": wrap("product", listing.products),
            });
            if let (true, Value::Object(object)) = (featured, &mut result) {
                // Only the featured promotions' answers say it.
                object.insert("is_finished".into(), json!(finished));
            }
            envelope(method, 200, "Call succeeds", result)
        }
        method::LINK_GENERATE => {
            let urls: Vec<&str> = get("source_values")
                .split(',')
                .filter(|u| !u.is_empty())
                .collect();
            if get("promotion_link_type") != "0" || urls.is_empty() {
                return refusal(
                    "InvalidParameter",
                    "promotion_link_type and source_values are required",
                    None,
                );
            }
            if urls.len() > MAX_LINK_URLS {
                return refusal(
                    "InvalidParameter",
                    "source_values takes at most 50 urls",
                    None,
                );
            }
            let links: Vec<Value> = urls
                .iter()
                .filter(|url| url.contains("aliexpress."))
                .map(|url| {
                    json!({
                        "source_value": url,
                        "promotion_link": format!("https://s.click.aliexpress.com/e/_fake{:016x}", fnv(url)),
                    })
                })
                .collect();
            envelope(
                method,
                200,
                "Call succeeds",
                json!({
                    "total_result_count": links.len(),
                    "tracking_id": config.tracking_id,
                    "promotion_links": wrap("promotion_link", links),
                }),
            )
        }
        _ => refusal("InvalidMethod", "The method is not known", None),
    }
}

/// One page of the products a method lists.
struct Listing {
    products: Vec<Value>,
    total: usize,
    pages: usize,
    page_no: u64,
}

/// The catalogue's products `method` lists that match the request, and its page of them.
fn products(params: &HashMap<String, String>, method: &str) -> Listing {
    let number = |name: &str| params.get(name).and_then(|v| v.parse::<u64>().ok());
    let keywords: Vec<String> = params
        .get("keywords")
        .map(|k| {
            k.to_lowercase()
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let currency = params
        .get("target_currency")
        .and_then(|c| Currency::parse(c))
        .unwrap_or(fixtures::BASE_CURRENCY);
    let listed = |f: &fixtures::Fixture| match (method, f.listed) {
        (method::FEATURED_PROMO_PRODUCTS, fixtures::Listed::Everywhere) => f.promo.is_some(),
        (method::FEATURED_PROMO_PRODUCTS, listed) => listed == fixtures::Listed::Featured,
        (method::HOT_PRODUCT_QUERY, listed) => listed != fixtures::Listed::Featured,
        (_, listed) => listed == fixtures::Listed::Everywhere,
    };
    let mut found: Vec<fixtures::Fixture> = fixtures::catalogue()
        .into_iter()
        .filter(listed)
        .filter(|f| {
            let title = f.title.to_lowercase();
            keywords.is_empty() || keywords.iter().any(|k| title.contains(k.as_str()))
        })
        .filter(|f| number("min_sale_price").is_none_or(|min| f.sale >= min))
        .filter(|f| number("max_sale_price").is_none_or(|max| f.sale <= max))
        .collect();
    let sort = params.get("sort").map(String::as_str).unwrap_or("");
    let product_sort = [
        ApiSort::SalePriceAsc,
        ApiSort::SalePriceDesc,
        ApiSort::LastVolumeAsc,
        ApiSort::LastVolumeDesc,
    ]
    .into_iter()
    .find(|s| s.as_str() == sort);
    let promo_sort = PromoSort::ALL.into_iter().find(|s| s.as_str() == sort);
    match (product_sort, promo_sort) {
        (Some(ApiSort::SalePriceAsc), _) | (_, Some(PromoSort::PriceAsc)) => {
            found.sort_by_key(|f| f.sale);
        }
        (Some(ApiSort::SalePriceDesc), _) | (_, Some(PromoSort::PriceDesc)) => {
            found.sort_by_key(|f| std::cmp::Reverse(f.sale));
        }
        (Some(ApiSort::LastVolumeAsc), _) | (_, Some(PromoSort::VolumeAsc)) => {
            found.sort_by_key(|f| f.orders);
        }
        (Some(ApiSort::LastVolumeDesc), _) | (_, Some(PromoSort::VolumeDesc)) => {
            found.sort_by_key(|f| std::cmp::Reverse(f.orders));
        }
        // Other orders (commission, rating, promotion time): the catalogue's.
        _ => {}
    }
    // 20 is the API's own default page.
    let page_size = number("page_size")
        .unwrap_or(20)
        .clamp(1, u64::from(PAGE_SIZE_FILTERED)) as usize;
    let page_no = number("page_no").unwrap_or(1).max(1);
    let skip = usize::try_from(page_no - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(page_size);
    let total = found.len();
    let products = found
        .iter()
        .skip(skip)
        .take(page_size)
        .map(|f| fixtures::product_json(f, currency))
        .collect();
    Listing {
        products,
        total,
        pages: total.div_ceil(page_size),
        page_no,
    }
}

/// FNV-1a: a fixed link per url.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
