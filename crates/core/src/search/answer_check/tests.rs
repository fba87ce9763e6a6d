use super::*;

fn product(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "title": "Wireless earbuds", "image": "https://ae01.alicdn.com/kf/a.jpg",
        "currency": "USD", "price": 1250, "price_text": "12.50", "original_price": 2500,
        "original_price_text": "25.00", "discount_percent": 50, "positive_percent": 92.1,
        "orders": 1234, "store": {{"id": "912345", "name": "Sound", "url": "https://www.aliexpress.com/store/912345"}},
        "link": "https://s.click.aliexpress.com/e/_abc", "free_shipping": true, "ship_from": "CN"}}"#
    )
}

fn answer(products: &[String]) -> String {
    format!(
        r#"{{"keywords": "earbuds", "filters": [], "products": [{}]}}"#,
        products.join(",")
    )
}

#[test]
fn a_good_answer_is_counted() {
    let text = answer(&[product("1005006000000001"), product("3256809840464144")]);
    assert_eq!(check_product_answer(&text), Ok(2));
    assert_eq!(check_product_answer(&answer(&[])), Ok(0));
    // Unknown values are null.
    let sparse = r#"{"products": [{"id": "1", "title": "t", "currency": "EUR", "price": 1,
        "price_text": "0.01", "link": "https://s.click.aliexpress.com/e/x", "image": null,
        "orders": null, "store": null, "positive_percent": null}]}"#;
    assert_eq!(check_product_answer(sparse), Ok(1));
}

#[test]
fn the_reader_is_checked_when_the_answer_names_it() {
    let with = |reader: &str| {
        format!(
            r#"{{"keywords": "telescope", "read_by": {reader}, "filters": [], "products": [{}]}}"#,
            product("1005006000000001")
        )
    };
    // Without it (a server from before the language model), as before.
    assert_eq!(check_product_answer(&answer(&[])), Ok(0));
    assert_eq!(check_product_answer(&with(r#""rules""#)), Ok(1));
    assert_eq!(check_product_answer(&with(r#""model""#)), Ok(1));
    for bad in [r#""robot""#, r#""MODEL""#, "1", "null", "[]"] {
        assert_eq!(
            check_product_answer(&with(bad)),
            Err(AnswerFault::Unreadable),
            "{bad}"
        );
    }
}

#[test]
fn each_bad_field_refuses_the_answer_and_names_it() {
    let good = product("1005006000000001");
    for (from, to, field) in [
        (
            r#""id": "1005006000000001""#,
            r#""id": 1005006000000001"#,
            "id",
        ),
        (r#""id": "1005006000000001""#, r#""id": "12a""#, "id"),
        (r#""title": "Wireless earbuds""#, r#""title": """#, "title"),
        (r#""currency": "USD""#, r#""currency": "XXX""#, "currency"),
        (r#""price": 1250"#, r#""price": -1"#, "price"),
        (
            r#""price_text": "12.50""#,
            r#""price_text": "12,50""#,
            "price_text",
        ),
        (
            r#""discount_percent": 50"#,
            r#""discount_percent": 150"#,
            "discount_percent",
        ),
        (
            r#""positive_percent": 92.1"#,
            r#""positive_percent": "92%""#,
            "positive_percent",
        ),
        (r#""orders": 1234"#, r#""orders": 1.5"#, "orders"),
        (
            r#""free_shipping": true"#,
            r#""free_shipping": "yes""#,
            "free_shipping",
        ),
        (
            "https://ae01.alicdn.com/kf/a.jpg",
            "http://ae01.alicdn.com/kf/a.jpg",
            "image",
        ),
        (
            "https://www.aliexpress.com/store/912345",
            "https://aliexpress.com.evil.example/store",
            "store",
        ),
        (
            "https://s.click.aliexpress.com/e/_abc",
            "javascript:alert(1)",
            "link",
        ),
        (
            "https://s.click.aliexpress.com/e/_abc",
            "https://evil.example/e/_abc",
            "link",
        ),
    ] {
        let bad = good.replace(from, to);
        assert_ne!(bad, good, "{from}");
        let text = answer(&[product("1"), bad]);
        assert_eq!(
            check_product_answer(&text),
            Err(AnswerFault::BadProduct { index: 1, field }),
            "{to}"
        );
    }
}

#[test]
fn what_is_not_an_answer_is_refused() {
    for text in ["", "[]", "{", r#"{"products": 3}"#, r#"{"products": [1]}"#] {
        assert!(check_product_answer(text).is_err(), "{text}");
    }
    assert_eq!(check_product_answer("[]"), Err(AnswerFault::Unreadable));
    let many = answer(&vec![product("1"); MAX_ANSWER_PRODUCTS + 1]);
    assert_eq!(
        check_product_answer(&many),
        Err(AnswerFault::TooManyProducts(MAX_ANSWER_PRODUCTS + 1))
    );
    let huge = " ".repeat(MAX_ANSWER_BYTES + 1);
    assert_eq!(
        check_product_answer(&huge),
        Err(AnswerFault::TooLarge(MAX_ANSWER_BYTES + 1))
    );
}

#[test]
fn what_the_server_writes_is_what_the_extension_reads() {
    use crate::locale::UiLanguage;
    use crate::money::{code, Rates};
    use crate::page::CountryCode;
    use crate::search::affiliate_query::{plan_query, SearchTarget};
    use crate::search::products::{refine, tests::product as found};
    use crate::search::{parse_query_in, ProductAnswer};

    let target = SearchTarget {
        ship_to: CountryCode::parse("US").unwrap_or_else(|| unreachable!()),
        currency: code("USD"),
        language: UiLanguage::En,
    };
    let request = parse_query_in("lamp under 30 free shipping", Some(target.currency));
    let plan = plan_query(&request, target, &Rates::none()).unwrap_or_else(|e| unreachable!("{e}"));
    let refinement = refine(vec![found(1), found(2), found(3)], &plan);
    let shown = refinement.products.len();
    let json = ProductAnswer {
        request,
        read_by: crate::search::ReadBy::Model,
        plan,
        refinement,
    }
    .to_json();
    assert!(shown > 0);
    assert_eq!(check_product_answer(&json), Ok(shown), "{json}");
}

#[test]
fn a_share_is_read_from_0_to_100_without_a_float_parser() {
    for ok in ["0", "92.1", "100", "100.0", "5.25"] {
        assert!(percent_text(ok), "{ok}");
    }
    for bad in ["100.1", "101", "-1", "1e2", ".5", "5.", "1000", ""] {
        assert!(!percent_text(bad), "{bad}");
    }
}
