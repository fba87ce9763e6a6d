use super::*;
use crate::codec::json::Writer;
use crate::money::code;

/// An answer with every field, `changes` applied as `(field, JSON value)` (`None`: left out).
fn answer(changes: &[(&str, Option<&str>)]) -> String {
    let mut fields: Vec<(&str, Option<&str>)> = vec![
        ("keywords", Some(r#""Kids Telescope""#)),
        ("min_price", Some("10")),
        ("max_price", Some("49.99")),
        ("currency", Some(r#""EUR""#)),
        ("min_rating", Some("4.5")),
        ("free_shipping", Some("true")),
        ("ship_from", Some(r#""ES""#)),
        ("sort", Some(r#""orders""#)),
    ];
    for (field, value) in changes {
        match fields.iter_mut().find(|(name, _)| name == field) {
            Some(entry) => entry.1 = *value,
            None => fields.push((field, *value)),
        }
    }
    let entries: Vec<String> = fields
        .iter()
        .filter_map(|(name, value)| value.map(|v| format!(r#""{name}": {v}"#)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

#[test]
fn a_good_answer_is_read_into_the_request_the_rules_make() {
    let request = read_model_answer(&answer(&[])).expect("read");
    assert_eq!(
        request,
        SearchRequest {
            keywords: "kids telescope".into(),
            min_price: Some(10.0),
            max_price: Some(49.99),
            currency: Some(code("EUR")),
            min_rating: Some(4.5),
            free_shipping: true,
            ship_from: CountryCode::parse("ES"),
            sort: Some(SortOrder::Orders),
        }
    );
    // Nulls, and the zeros that mean no filter.
    let bare = answer(&[
        ("keywords", Some(r#""telescope for kids""#)),
        ("min_price", Some("0")),
        ("max_price", Some("null")),
        ("min_rating", Some("0")),
        ("free_shipping", Some("false")),
        ("ship_from", Some("null")),
        ("sort", Some("null")),
    ]);
    assert_eq!(
        read_model_answer(&bare),
        Ok(SearchRequest {
            keywords: "telescope kids".into(),
            ..SearchRequest::default()
        }),
        "filler words go, and a currency without a price says nothing"
    );
}

#[test]
fn what_the_rules_read_reads_back_the_same() {
    for text in [
        "bluetooth speaker 20-40 € 4.5 stars free shipping ships from Spain cheapest",
        "смарт часы до 3000 рублей хиты продаж",
        "lamp over 15 newest",
        "usb-c charger 65w",
    ] {
        let request = parse_query(text);
        let mut w = Writer::new();
        w.begin_object();
        request.write_json_fields(&mut w);
        w.end_object();
        assert_eq!(
            read_model_answer(&w.finish()).as_ref(),
            Ok(&request),
            "{text}"
        );
    }
}

#[test]
fn every_fault_refuses_the_whole_answer() {
    let kind = |text: &str| read_model_answer(text).err().map(|f| f.kind());
    let long = format!(r#""{}""#, "a".repeat(MAX_MODEL_KEYWORDS_CHARS + 1));
    let longest = format!(r#""{}""#, "a".repeat(MAX_MODEL_KEYWORDS_CHARS));
    assert!(read_model_answer(&answer(&[("keywords", Some(&longest))])).is_ok());
    let huge = format!(r#""{}""#, "a ".repeat(MAX_MODEL_ANSWER_BYTES));
    for (text, expected) in [
        (
            answer(&[("keywords", Some(&huge))]),
            "model_answer_too_large",
        ),
        ("Sure! Here it is: {}".into(), "model_answer_not_json"),
        (
            format!("```json\n{}\n```", answer(&[])),
            "model_answer_not_json",
        ),
        (format!("{} {{}}", answer(&[])), "model_answer_not_json"),
        (
            answer(&[("max_price", Some("1e400"))]),
            "model_answer_not_json",
        ),
        (r#"["kids telescope"]"#.into(), "model_answer_not_an_object"),
        (r#""kids telescope""#.into(), "model_answer_not_an_object"),
        (answer(&[("page", Some("2"))]), "model_answer_unknown_field"),
        (
            answer(&[]).replacen('{', r#"{"sort": null, "#, 1),
            "model_answer_field_twice",
        ),
        (answer(&[("sort", None)]), "model_answer_field_missing"),
        (answer(&[("keywords", None)]), "model_answer_field_missing"),
        (
            answer(&[("keywords", Some("5"))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("keywords", Some("null"))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("min_price", Some(r#""10""#))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("free_shipping", Some(r#""yes""#))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("free_shipping", Some("null"))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("currency", Some("978"))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("sort", Some("[]"))]),
            "model_answer_field_wrong_type",
        ),
        (
            answer(&[("keywords", Some(r#""""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("keywords", Some(r#""under 30 dollars""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("keywords", Some(&long))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("min_price", Some("-1"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("max_price", Some("0"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("max_price", Some("2e9"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("min_price", Some("60"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("currency", Some(r#""XXX""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("currency", Some(r#""eur""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("currency", Some(r#""€""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("ship_from", Some(r#""es""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("ship_from", Some(r#""ESP""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("ship_from", Some(r#""XQ""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("min_rating", Some("5.5"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("min_rating", Some("-1"))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("sort", Some(r#""random""#))]),
            "model_answer_bad_value",
        ),
        (
            answer(&[("sort", Some(r#""PRICE_ASC""#))]),
            "model_answer_bad_value",
        ),
    ] {
        assert_eq!(kind(&text), Some(expected), "{text:.200}");
    }
}

#[test]
fn a_fault_says_no_text_of_the_answer() {
    let secret = "zqxwvkjh";
    for text in [
        answer(&[(secret, Some("1"))]),
        answer(&[("currency", Some(&format!(r#""{secret}""#)))]),
        format!("{secret} {}", answer(&[])),
    ] {
        let fault = read_model_answer(&text).expect_err("refused");
        assert!(!fault.to_string().contains(secret), "{fault}");
        assert!(!format!("{fault:?}").contains(secret), "{fault:?}");
    }
}

#[test]
fn the_schema_and_the_instructions_are_the_readers() {
    let schema: serde_json::Value = serde_json::from_str(MODEL_ANSWER_SCHEMA).expect("json");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    assert_eq!(required, MODEL_ANSWER_FIELDS);
    let properties: Vec<&String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    assert_eq!(properties.len(), MODEL_ANSWER_FIELDS.len());
    assert!(MODEL_ANSWER_FIELDS
        .iter()
        .all(|f| schema["properties"][*f].is_object()));
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["keywords"]["maxLength"],
        MAX_MODEL_KEYWORDS_CHARS
    );
    let mut orders: Vec<serde_json::Value> =
        SortOrder::ALL.iter().map(|o| o.as_str().into()).collect();
    orders.push(serde_json::Value::Null);
    assert_eq!(
        schema["properties"]["sort"]["enum"],
        serde_json::Value::Array(orders)
    );
    for word in MODEL_ANSWER_FIELDS
        .iter()
        .copied()
        .chain(SortOrder::ALL.iter().map(|o| o.as_str()))
    {
        assert!(MODEL_INSTRUCTIONS.contains(word), "{word}");
    }

    // The answer's fields are the request's, as the answers write them.
    let mut w = Writer::new();
    w.begin_object();
    SearchRequest::default().write_json_fields(&mut w);
    w.end_object();
    let written: serde_json::Value = serde_json::from_str(&w.finish()).expect("json");
    let mut written: Vec<&str> = written
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut fields = MODEL_ANSWER_FIELDS.to_vec();
    written.sort_unstable();
    fields.sort_unstable();
    assert_eq!(written, fields);
    for order in SortOrder::ALL {
        assert_eq!(SortOrder::parse(order.as_str()), Some(order));
    }
}

#[test]
fn the_rules_filters_win_and_the_models_fill_what_they_missed() {
    let rules =
        parse_query("a gift for a ten-year-old who likes space under 30 dollars free shipping");
    let model = read_model_answer(&answer(&[])).expect("read");
    let both = rules.clone().with_model_reading(model.clone());
    assert_eq!(both.keywords, "kids telescope");
    assert_eq!(
        (both.min_price, both.max_price, both.currency),
        (None, Some(30.0), Some(code("USD"))),
        "the rules' price range, whole"
    );
    assert!(both.free_shipping);
    assert_eq!(both.min_rating, Some(4.5));
    assert_eq!(both.ship_from, CountryCode::parse("ES"));
    assert_eq!(both.sort, Some(SortOrder::Orders));

    let rules = parse_query("a gift for someone who likes space cheapest");
    let both = rules.with_model_reading(model);
    assert_eq!(
        (both.min_price, both.max_price, both.currency),
        (Some(10.0), Some(49.99), Some(code("EUR")))
    );
    assert_eq!(both.sort, Some(SortOrder::PriceAsc), "the rules' order");
}
