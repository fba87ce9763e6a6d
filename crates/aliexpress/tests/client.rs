//! The client against the fake API on loopback: every method and answer shape, every error,
//! retries only where allowed (counted by the fake), the breaker opening and closing, the
//! deadline holding against a slow API, link.generate's bound, ids above 2^53 kept exact.
// Helpers outside #[test] functions stop a failing test with a message too.
#![allow(clippy::panic, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault, ListShape, BIG_ID};
use shopper_aliexpress::{
    method, ApiError, BreakerConfig, Client, Config, FeaturedPromoQuery, LinkRequest, PagedQuery,
    PromoSort, Refusal, MAX_LINK_URLS,
};
use shopper_core::coupon::{promo_code_coupon, Discount, PromoContext};
use shopper_core::locale::UiLanguage;
use shopper_core::market::Market;
use shopper_core::money::major_units;
use shopper_core::search::{parse_query_in, refine, ApiSort, ProductAnswer, ProductQuery};
use shopper_core::Problem;
use support::{country, currency, plan, query, usd};

mod support;

async fn fake() -> FakeApi {
    FakeApi::start(FakeConfig::default())
        .await
        .unwrap_or_else(|e| panic!("fake: {e}"))
}

fn make_client(config: Config) -> Client {
    Client::new(config).unwrap_or_else(|e| panic!("client: {e}"))
}

/// The reason the API refused, when it did.
fn refusal<T>(result: &Result<T, ApiError>) -> Option<Refusal> {
    match result {
        Err(ApiError::Refused { reason, .. }) => Some(*reason),
        _ => None,
    }
}

fn soon() -> Instant {
    Instant::now() + Duration::from_secs(10)
}

#[tokio::test]
async fn products_read_from_wrapped_and_plain_lists() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    for shape in [ListShape::Wrapped, ListShape::Plain] {
        fake.set_lists(shape);
        let page = client
            .product_query(&query(""), soon())
            .await
            .unwrap_or_else(|e| panic!("{shape:?}: {e}"));
        assert_eq!(page.products.len(), 6, "{shape:?}");
        assert_eq!(
            (page.total, page.page_no, page.skipped),
            (Some(6), Some(1), 0)
        );
        let first = &page.products[0];
        assert_eq!(first.id, "1005001234567890");
        assert_eq!(first.title, "Bluetooth Speaker Waterproof Portable");
        assert_eq!(
            (first.currency, first.price, first.original_price),
            (usd(), 1299, Some(2598))
        );
        assert_eq!(first.discount_percent, Some(50));
        assert_eq!(first.positive_permille, Some(955));
        assert_eq!(first.orders, Some(1520));
        let store = first.store.clone().unwrap_or_else(|| panic!("store"));
        assert_eq!(store.id.as_deref(), Some("912345"));
        assert_eq!(store.name.as_deref(), Some("Fake Store 912345"));
        assert!(store
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("/store/912345")));
        assert!(first
            .promotion_link
            .as_deref()
            .is_some_and(|u| u.starts_with("https://s.click.aliexpress.com/")));
        assert!(first.image_url.is_some() && first.detail_url.is_some());
        assert_eq!((first.free_shipping, first.ship_from), (None, None));
        assert_eq!(first.promo_codes.len(), 1);
        assert_eq!(first.promo_codes[0].promo_code.as_deref(), Some("GMG20207"));
        assert!(page.products[2].promo_codes.is_empty());
    }
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 2);
    assert_eq!(fake.last_call(method::HOT_PRODUCT_QUERY), None);
    let last = fake
        .last_call(method::PRODUCT_QUERY)
        .unwrap_or_else(|| panic!("recorded"));
    assert_eq!(
        last.get("method").map(String::as_str),
        Some(method::PRODUCT_QUERY)
    );
    assert!(last.contains_key("sign") && last.contains_key("timestamp"));
}

#[tokio::test]
async fn ids_above_2_pow_53_are_kept_exact() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let page = client
        .product_query(&query("charger"), soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.products.len(), 1);
    // As a float it would be 9007199254740992.
    assert_eq!(page.products[0].id, BIG_ID.to_string());
    assert_eq!(page.products[0].id, "9007199254740993");
    let store = page.products[0].store.as_ref();
    assert_eq!(store.and_then(|s| s.id.as_deref()), Some("1102345678"));
    let watch = client
        .product_query(&query("watch"), soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(watch.products[0].id, "1005009876543210987");
}

#[tokio::test]
async fn filters_sort_currency_and_pages_are_sent() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let request = ProductQuery {
        min_sale_price: Some(1000),
        max_sale_price: Some(2500),
        sort: Some(ApiSort::SalePriceAsc),
        target_currency: currency("EUR"),
        target_language: UiLanguage::Fr,
        ship_to_country: country("FR"),
        page_size: 2,
        ..query("bluetooth")
    };
    let page = client
        .product_query(&request, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = page.products.iter().map(|p| p.id.as_str()).collect();
    // Speaker 12.99, earbuds 15.99, watch 24.50: cheapest first, two a page.
    assert_eq!(ids, ["1005001234567890", "1005003332221110"]);
    assert_eq!(page.total, Some(3));
    assert!(page.products.iter().all(|p| p.currency == currency("EUR")));
    let first = &page.products[0];
    assert_eq!(major_units(first.price, first.currency), "12.99");
    // The next page, of hot products (which take the same filters).
    let hot = PagedQuery {
        query: request,
        page_no: Some(2),
    };
    let page = client
        .hot_product_query(&hot, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = page.products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1005009876543210987"]);
    assert_eq!(page.page_no, Some(2));
}

#[tokio::test]
async fn a_search_goes_from_the_plan_to_the_answer_with_ids_exact() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let plan = plan("usb charger under $20 cheapest");
    let page = client
        .product_query(&plan.query, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let refinement = refine(page.products, &plan);
    assert_eq!(refinement.products.len(), 1);
    let answer = ProductAnswer {
        request: parse_query_in("usb charger under $20 cheapest", Some(usd())),
        read_by: shopper_core::search::ReadBy::Rules,
        plan,
        refinement,
    }
    .to_json();
    let value: serde_json::Value = serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["query"]["max_sale_price"], 2000);
    assert_eq!(value["query"]["sort"], "SALE_PRICE_ASC");
    assert_eq!(value["products"][0]["price_text"], "18.99");
    // The id stays a string: a JSON number would come back as 9007199254740992.
    assert_eq!(value["products"][0]["id"], BIG_ID.to_string());
    assert!(answer.contains("\"id\":\"9007199254740993\""), "{answer}");
}

#[tokio::test]
async fn hot_products_and_featured_promotions() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let lamps = PagedQuery {
        query: query("lamp"),
        page_no: None,
    };
    let hot = client
        .hot_product_query(&lamps, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hot.products.len(), 1);
    assert_eq!(fake.calls(method::HOT_PRODUCT_QUERY), 1);
    let promo = FeaturedPromoQuery {
        promotion_name: "Hot Product".into(),
        sort: Some(PromoSort::PriceAsc),
        page_size: Some(5),
        ..FeaturedPromoQuery::default()
    };
    let featured = client
        .featured_promo_products(&promo, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The speaker and the charger, and 60 featured picks, every one with a code; cheapest first.
    assert_eq!(featured.total, Some(62));
    let prices: Vec<u64> = featured.products.iter().map(|p| p.price).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert!(featured.products.iter().all(|p| p.promo_codes.len() == 1));
    // The promo codes become coupons through the core's rules.
    let context = PromoContext {
        currency: Some(usd()),
        market: Market::parse("US-USD").ok(),
    };
    let first_two = FeaturedPromoQuery {
        promotion_name: "Hot Product".into(),
        page_size: Some(2),
        ..FeaturedPromoQuery::default()
    };
    let featured = client
        .featured_promo_products(&first_two, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let coupons: Vec<_> = featured
        .products
        .iter()
        .flat_map(|p| &p.promo_codes)
        .map(|info| promo_code_coupon(info, &context).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(coupons[0].id(), "ae-code-US-USD-GMG20207");
    assert_eq!(coupons[0].discount(), Discount::Fixed { amount: 700 });
    assert_eq!(coupons[0].min_spend(), 1000);
    assert_eq!(
        coupons[1].discount(),
        Discount::Percent {
            percent: 5,
            max: None
        }
    );
    assert_eq!(coupons[1].min_spend(), 2000);
    let missing = client
        .featured_promo_products(&FeaturedPromoQuery::default(), soon())
        .await;
    assert_eq!(
        refusal(&missing),
        Some(Refusal::BadParameter),
        "{missing:?}"
    );
}

#[tokio::test]
async fn links_are_generated_for_at_most_50_urls() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let urls: Vec<String> = (0..MAX_LINK_URLS)
        .map(|i| format!("https://www.aliexpress.com/item/10050012345678{i:02}.html"))
        .collect();
    for shape in [ListShape::Wrapped, ListShape::Plain] {
        fake.set_lists(shape);
        let links = client
            .generate_links(&LinkRequest { urls: urls.clone() }, soon())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(links.len(), MAX_LINK_URLS, "{shape:?}");
        assert_eq!(links[7].source, urls[7]);
        assert!(links[7]
            .promotion_link
            .starts_with("https://s.click.aliexpress.com/e/_fake"));
    }
    assert_eq!(fake.calls(method::LINK_GENERATE), 2);
    let mut too_many = urls.clone();
    too_many.push("https://www.aliexpress.com/item/1.html".into());
    let refused = client
        .generate_links(&LinkRequest { urls: too_many }, soon())
        .await;
    assert_eq!(refused, Err(ApiError::TooManyUrls(51)));
    let none = client.generate_links(&LinkRequest::default(), soon()).await;
    assert_eq!(none, Ok(Vec::new()));
    assert_eq!(
        fake.calls(method::LINK_GENERATE),
        2,
        "neither reached the API"
    );
}

#[tokio::test]
async fn link_generation_fails_as_every_call_does() {
    let fake = fake().await;
    let mut config = fake.client_config();
    config.attempt_timeout = Duration::from_millis(300);
    config.breaker.failures_to_open = 100;
    let client = make_client(config);
    let request = LinkRequest {
        urls: vec!["https://www.aliexpress.com/item/1005001234567890.html".into()],
    };
    let first = client
        .generate_links(&request, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The same url always gets the same link: a fixed short key per source value.
    let again = client
        .generate_links(&request, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, again);
    assert_eq!(first.len(), 1);

    fake.fail_next(Fault::Status(503), 1);
    assert_eq!(client.generate_links(&request, soon()).await, Ok(first));
    assert_eq!(fake.calls(method::LINK_GENERATE), 4, "a 5xx is retried");

    fake.fail_next(
        Fault::Refuse {
            code: "isv.error".into(),
            msg: "not a publisher".into(),
            sub_code: Some("isv.unregistered-publisher".into()),
        },
        1,
    );
    let refused = client.generate_links(&request, soon()).await;
    assert_eq!(refusal(&refused), Some(Refusal::UnregisteredPublisher));
    assert_eq!(fake.calls(method::LINK_GENERATE), 5, "a refusal is not");

    fake.fail_next(Fault::Slow(Duration::from_secs(5)), 1);
    let slow = client
        .generate_links(&request, Instant::now() + Duration::from_millis(200))
        .await;
    assert_eq!(slow, Err(ApiError::Deadline));
    assert_eq!(
        fake.answered(method::LINK_GENERATE),
        5,
        "cut before it answered"
    );

    // Urls the API has no link for are left out of the answer.
    let mixed = LinkRequest {
        urls: vec![
            "https://example.com/item/1.html".into(),
            "https://www.aliexpress.com/item/1005001234567890.html".into(),
        ],
    };
    let links = client
        .generate_links(&mixed, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].source, mixed.urls[1]);
}

#[tokio::test]
async fn refusals_are_typed_and_not_retried() {
    let fake = fake().await;
    // How the configuration is wrong, the refusal and the API's code for it.
    type Wrong = (fn(&mut Config), Refusal, &'static str);
    let wrong: [Wrong; 3] = [
        (
            |c| c.app_secret = "not-the-secret".into(),
            Refusal::IncompleteSignature,
            "IncompleteSignature",
        ),
        (
            |c| c.app_key = "someone-else".into(),
            Refusal::InvalidAppKey,
            "InvalidAppKey",
        ),
        (
            |c| c.tracking_id = "not-a-publisher".into(),
            Refusal::UnregisteredPublisher,
            "isv.error",
        ),
    ];
    for (calls, (change, reason, code)) in (1..).zip(wrong) {
        let mut config = fake.client_config();
        change(&mut config);
        let error = make_client(config).product_query(&query("x"), soon()).await;
        assert_eq!(refusal(&error), Some(reason), "{error:?}");
        assert!(
            matches!(&error, Err(ApiError::Refused { code: c, .. }) if c == code),
            "{error:?}"
        );
        assert_eq!(fake.calls(method::PRODUCT_QUERY), calls, "not retried");
    }

    let client = make_client(fake.client_config());
    fake.fail_next(Fault::RespCode(405, "No result".into()), 1);
    let error = client.product_query(&query("x"), soon()).await;
    assert_eq!(
        error,
        Err(ApiError::Failed {
            code: 405,
            message: "No result".into()
        })
    );

    for body in ["<html>gateway</html>", "{\"other_response\": {}}", "[1, 2]"] {
        fake.fail_next(Fault::Body(body.into()), 1);
        let error = client.product_query(&query("x"), soon()).await;
        assert!(
            matches!(error, Err(ApiError::Malformed(_))),
            "{body}: {error:?}"
        );
    }
    fake.fail_next(Fault::Status(404), 1);
    let error = client.product_query(&query("x"), soon()).await;
    assert_eq!(error, Err(ApiError::Status(404)));
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        3 + 1 + 3 + 1,
        "none retried"
    );
}

#[tokio::test]
async fn timeouts_5xx_and_call_limits_are_retried_within_the_count() {
    let fake = fake().await;
    let mut config = fake.client_config();
    config.retry.attempts = 3;
    config.attempt_timeout = Duration::from_millis(300);
    // The breaker is another test's: here it never opens.
    config.breaker.failures_to_open = 100;
    let client = make_client(config);

    fake.fail_next(Fault::Status(503), 2);
    assert!(client.product_query(&query("lamp"), soon()).await.is_ok());
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        3,
        "two retries, then the answer"
    );

    fake.fail_next(Fault::ApiCallLimit, 1);
    assert!(client.product_query(&query("lamp"), soon()).await.is_ok());
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 5);

    fake.fail_next(Fault::Slow(Duration::from_secs(5)), 1);
    assert!(client.product_query(&query("lamp"), soon()).await.is_ok());
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        7,
        "a timeout, then the answer"
    );

    fake.fail_next(Fault::Status(502), 5);
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(error, Err(ApiError::Status(502)));
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        10,
        "three attempts in all"
    );

    fake.fail_next(Fault::ApiCallLimit, 3);
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(refusal(&error), Some(Refusal::ApiCallLimit), "{error:?}");
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 13);
}

#[tokio::test]
async fn retries_stop_at_the_retry_budget() {
    let fake = fake().await;
    let mut config = fake.client_config();
    config.retry.attempts = 10;
    config.retry.first_backoff = Duration::from_secs(1);
    config.retry.budget = Duration::from_millis(500);
    let client = make_client(config);
    fake.fail_next(Fault::Status(500), 10);
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(error, Err(ApiError::Status(500)));
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        1,
        "no retry fits in the budget"
    );
}

#[tokio::test]
async fn the_breaker_opens_after_failures_and_closes_after_a_good_trial() {
    let fake = fake().await;
    let mut config = fake.client_config();
    config.retry.attempts = 1;
    config.breaker = BreakerConfig {
        failures_to_open: 2,
        cool_down: Duration::from_millis(200),
    };
    let client = make_client(config);
    fake.fail_always(Some(Fault::Status(500)));
    for _ in 0..2 {
        let error = client.product_query(&query("lamp"), soon()).await;
        assert_eq!(error, Err(ApiError::Status(500)));
    }
    assert!(client.breaker_open());
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(error, Err(ApiError::CircuitOpen));
    assert_eq!(
        fake.calls(method::PRODUCT_QUERY),
        2,
        "an open breaker calls nothing"
    );

    // After the cool-down one trial goes; it fails, so the breaker opens again.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(error, Err(ApiError::Status(500)));
    let error = client.product_query(&query("lamp"), soon()).await;
    assert_eq!(error, Err(ApiError::CircuitOpen));
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 3);

    // The API is back: the next trial closes it.
    fake.fail_always(None);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(client.product_query(&query("lamp"), soon()).await.is_ok());
    assert!(!client.breaker_open());
    assert!(client.product_query(&query("lamp"), soon()).await.is_ok());
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 5);

    // A refusal says the API is up: it never opens the breaker.
    let mut wrong = fake.client_config();
    wrong.app_secret = "wrong".into();
    wrong.breaker = BreakerConfig {
        failures_to_open: 1,
        cool_down: Duration::from_secs(60),
    };
    let wrong = make_client(wrong);
    for _ in 0..3 {
        let error = wrong.product_query(&query("lamp"), soon()).await;
        assert!(refusal(&error).is_some(), "{error:?}");
    }
    assert!(!wrong.breaker_open());
}

#[tokio::test]
async fn a_deadline_holds_against_a_slow_api() {
    let fake = fake().await;
    let mut config = fake.client_config();
    config.attempt_timeout = Duration::from_secs(30);
    let client = make_client(config);
    fake.fail_always(Some(Fault::Slow(Duration::from_secs(30))));
    let error = client
        .product_query(&query("lamp"), Instant::now() + Duration::from_millis(300))
        .await;
    assert_eq!(error, Err(ApiError::Deadline));
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 1);
    assert_eq!(
        fake.answered(method::PRODUCT_QUERY),
        0,
        "the API had not answered yet"
    );

    // With retries, the deadline bounds them all: short attempts time out and are retried
    // until the deadline, never past it.
    let mut config = fake.client_config();
    config.attempt_timeout = Duration::from_millis(100);
    config.retry.attempts = 50;
    config.retry.budget = Duration::from_secs(60);
    let client = make_client(config);
    let error = client
        .product_query(&query("lamp"), Instant::now() + Duration::from_millis(500))
        .await;
    assert!(
        matches!(error, Err(ApiError::Deadline | ApiError::Timeout)),
        "{error:?}"
    );
    assert_eq!(fake.answered(method::PRODUCT_QUERY), 0);
    let past = client.product_query(&query("lamp"), Instant::now()).await;
    assert_eq!(
        past,
        Err(ApiError::Deadline),
        "a deadline already passed calls nothing"
    );
}

#[tokio::test]
async fn an_unreachable_api_is_typed() {
    // A port nothing listens on: bind one, then free it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let mut config = Config::new("k", "s", "t");
    config.base_url = format!("http://127.0.0.1:{port}/sync");
    let error = make_client(config)
        .product_query(&query("lamp"), soon())
        .await;
    assert!(matches!(error, Err(ApiError::Unreachable(_))), "{error:?}");
}

/// Every page of hot products and of a featured promotion, for `market`.
async fn promo_pages(client: &Client, market: Market) -> Vec<shopper_aliexpress::ProductPage> {
    let (ship_to_country, target_currency) = (country(market.country()), market.currency());
    let mut pages = Vec::new();
    for page_no in 1..=10 {
        let hot = PagedQuery {
            query: ProductQuery {
                ship_to_country,
                target_currency,
                page_size: 50,
                ..query("")
            },
            page_no: Some(page_no),
        };
        let page = client
            .hot_product_query(&hot, soon())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let last = page.is_last(page_no, 50);
        pages.push(page);
        if last {
            break;
        }
    }
    for page_no in 1..=10 {
        let promo = FeaturedPromoQuery {
            promotion_name: "Hot Product".into(),
            target_currency: Some(target_currency),
            country: Some(ship_to_country),
            page_no: Some(page_no),
            page_size: Some(50),
            ..FeaturedPromoQuery::default()
        };
        let page = client
            .featured_promo_products(&promo, soon())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let last = page.is_last(page_no, 50);
        pages.push(page);
        if last {
            break;
        }
    }
    pages
}

#[tokio::test]
async fn pages_end_where_the_api_says() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let market = Market::parse("US-USD").unwrap_or_else(|e| panic!("{e}"));
    let pages = promo_pages(&client, market).await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.products.len()).collect();
    // 6 + 120 hot products in pages of 50, then 2 + 60 featured ones.
    assert_eq!(sizes, [50, 50, 26, 50, 12]);
    assert_eq!(
        pages.iter().map(|p| p.total_pages).collect::<Vec<_>>(),
        [Some(3), Some(3), Some(3), Some(2), Some(2)]
    );
    assert_eq!(pages[4].finished, Some(true), "featured pages say so");
    assert_eq!(fake.calls(method::HOT_PRODUCT_QUERY), 3);
    assert_eq!(fake.calls(method::FEATURED_PROMO_PRODUCTS), 2);
    // Each way of saying the end is enough on its own.
    let page = |products: usize, total, total_pages, finished| shopper_aliexpress::ProductPage {
        products: pages[0].products.iter().take(products).cloned().collect(),
        total,
        total_pages,
        finished,
        ..shopper_aliexpress::ProductPage::default()
    };
    assert!(page(0, None, None, None).is_last(1, 50), "an empty page");
    assert!(!page(50, None, None, None).is_last(1, 50), "nothing said");
    assert!(page(50, None, None, Some(true)).is_last(1, 50));
    assert!(!page(50, None, None, Some(false)).is_last(1, 50));
    assert!(page(50, None, Some(2), None).is_last(2, 50));
    assert!(!page(50, None, Some(3), None).is_last(2, 50));
    assert!(page(50, Some(100), None, None).is_last(2, 50));
    assert!(!page(50, Some(101), None, None).is_last(2, 50));
}

#[tokio::test]
async fn promo_codes_read_in_every_shape_and_currency() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    for (text, currency_text) in [
        ("US-USD", "USD"),
        ("ES-EUR", "EUR"),
        ("BR-BRL", "BRL"),
        ("GB-GBP", "GBP"),
        ("JP-JPY", "JPY"),
    ] {
        let market = Market::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let mut harvest = shopper_core::coupon::Harvest::new(1_800_000_000);
        for page in promo_pages(&client, market).await {
            assert_eq!(page.skipped, 0);
            harvest.add(market, &page.products);
        }
        let mut ids: Vec<&str> = harvest.coupons().iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        let want: Vec<String> = ["FEAT3OFF", "GMG20207", "HOTSIGN15", "MEGA10", "SAVE5NOW"]
            .iter()
            .map(|code| format!("ae-code-{text}-{code}"))
            .collect();
        assert_eq!(ids, want, "{text}: {:?}", harvest.refused());
        assert!(harvest
            .coupons()
            .iter()
            .all(|c| c.currency() == currency(currency_text)
                && c.countries() == [market.country_code()]));
        let refused: Vec<(String, &str)> = harvest
            .refused()
            .iter()
            .map(|r| (r.id.clone().unwrap_or_default(), r.refusal.code()))
            .collect();
        let said = |code: &str, why| (format!("ae-code-{text}-{code}"), why);
        assert_eq!(
            refused,
            [
                said("GIFT4NEW", "promo_code_unreadable_value"),
                said("OLDCODE", "promo_code_expired"),
                said("NONELEFT", "promo_code_used_up"),
                said("GMG20207", "promo_code_conflicting_terms"),
            ],
            "{text}"
        );
        let mega = harvest
            .coupons()
            .iter()
            .find(|c| c.id().ends_with("MEGA10"))
            .unwrap_or_else(|| panic!("MEGA10"));
        assert_eq!(
            mega.discount(),
            Discount::Percent {
                percent: 10,
                max: Some(1500)
            },
            "{text}"
        );
        assert_eq!(mega.min_spend(), 5000, "{text}");
    }
}

#[tokio::test]
async fn one_method_can_fail_alone() {
    let fake = fake().await;
    let client = make_client(fake.client_config());
    let hot = PagedQuery {
        query: query(""),
        page_no: None,
    };
    fake.fail_method(method::HOT_PRODUCT_QUERY, Some(Fault::ApiCallLimit));
    let failed = client.hot_product_query(&hot, soon()).await;
    assert_eq!(refusal(&failed), Some(Refusal::ApiCallLimit), "{failed:?}");
    assert_eq!(
        fake.calls(method::HOT_PRODUCT_QUERY),
        3,
        "retried, then given up"
    );
    let page = client
        .product_query_page(&hot, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.products.len(), 6, "the others answer");
    fake.fail_method(method::HOT_PRODUCT_QUERY, None);
    let page = client
        .hot_product_query(&hot, soon())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.products.len(), 20, "the API's own page size");
}
