//! Table tests of the batch: what is read, each reason a batch is refused, the writer's exact
//! output, and the aggregation rule with its active counts and retention.

use super::*;
use crate::problem::Problem;

const ID: &str = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b";

/// A valid batch's text with `extra` spliced in before its end (`,"x":1`) and `counts`.
fn text(counts: &str, extra: &str) -> String {
    format!(
        r#"{{"schema": 1, "id": "{ID}", "browser": "chrome", "browser_major": 131, "os": "windows",
           "country": "US", "language": "en", "utc_offset": -300, "extension_version": "1.4.2",
           "counts": {counts}{extra}}}"#
    )
}

fn sample() -> Batch {
    let mut counts = EventCounts::default();
    assert!(counts.set(Event::PopupOpened, 3));
    assert!(counts.set(Event::CouponCopied, 1));
    Batch {
        id: AnonymousId::parse(ID).expect("id"),
        browser: BrowserFamily::Chrome,
        browser_major: BrowserMajor::new(131).expect("major"),
        os: OsFamily::Windows,
        country: Country::parse("US").expect("country"),
        language: Some(UiLanguage::En),
        utc_offset: UtcOffset::new(-300).expect("offset"),
        extension_version: ExtensionVersion::parse("1.4.2").expect("version"),
        counts,
    }
}

#[test]
fn reads_a_batch() {
    let batch = read_batch(
        text(
            r#"{"popup_opened": 3, "coupon_copied": 1, "coupon_filled": 0}"#,
            "",
        )
        .as_bytes(),
    );
    assert_eq!(batch, Ok(sample()));
    // Fields in any order, escapes read, `other` for a language outside the six.
    let shuffled = format!(
        r#"{{"counts": {{}}, "language": "other", "id": "{}", "extension_version": "0.1",
           "utc_offset": 330, "country": "ZZ", "os": "other", "browser_major": 1,
           "browser": "\u0065dge", "schema": 1}}"#,
        ID
    );
    let batch = read_batch(shuffled.as_bytes()).expect("a batch");
    assert_eq!(batch.language, None);
    assert_eq!(batch.browser, BrowserFamily::Edge);
    assert_eq!(batch.country, Country::UNKNOWN);
    assert_eq!(batch.counts, EventCounts::default());
}

#[test]
fn writes_the_one_shape() {
    assert_eq!(
        sample().to_json(),
        format!(
            r#"{{"schema":1,"id":"{ID}","browser":"chrome","browser_major":131,"os":"windows","country":"US","language":"en","utc_offset":-300,"extension_version":"1.4.2","counts":{{"popup_opened":3,"coupon_copied":1}}}}"#
        )
    );
    let json = sample().to_json();
    assert_eq!(read_batch(json.as_bytes()), Ok(sample()));
    let value: serde_json::Value = serde_json::from_str(&json).expect("serde_json reads it");
    assert_eq!(value["counts"]["popup_opened"], 3);
}

#[test]
fn the_fullest_batch_is_well_under_the_limit() {
    let mut batch = sample();
    for event in Event::ALL {
        assert!(batch.counts.set(*event, event.max_count()));
    }
    batch.language = None;
    batch.browser = BrowserFamily::Vivaldi;
    batch.browser_major = BrowserMajor::new(999).expect("major");
    batch.os = OsFamily::Chromeos;
    batch.utc_offset = UtcOffset::new(-720).expect("offset");
    batch.extension_version = ExtensionVersion::parse("65535.65535.65535.65535").expect("v");
    let json = batch.to_json();
    assert!(json.len() < 500, "{} bytes", json.len());
    assert_eq!(read_batch(json.as_bytes()), Ok(batch));
}

#[test]
fn refuses_the_whole_batch_with_its_reason() {
    let valid = text("{}", "");
    let without = |field: &str| {
        let value: serde_json::Value = serde_json::from_str(&valid).expect("json");
        let mut object = value.as_object().cloned().unwrap_or_default();
        object.remove(field);
        serde_json::Value::Object(object).to_string()
    };
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (
            "x".repeat(MAX_BATCH_BYTES + 1),
            "events_too_large",
            vec!["4097", "4096"],
        ),
        (
            text("{}", &" ".repeat(MAX_BATCH_BYTES)),
            "events_too_large",
            vec![],
        ),
        ("{".to_owned(), "events_not_json", vec![]),
        (format!("{valid} x"), "events_not_json", vec![]),
        ("[1]".to_owned(), "events_not_an_object", vec!["batch"]),
        (text("[]", ""), "events_wrong_type", vec!["counts"]),
        (
            text("{}", r#", "ip": "10.0.0.1""#),
            "events_unknown_field",
            vec!["ip"],
        ),
        (
            text("{}", r#", "url": "https://www.aliexpress.com/item/1.html""#),
            "events_unknown_field",
            vec!["url"],
        ),
        (
            text("{}", r#", "query": "cheap lamp""#),
            "events_unknown_field",
            vec!["query"],
        ),
        (
            text("{}", r#", "os": "linux""#),
            "events_duplicate_field",
            vec!["os"],
        ),
        (without("id"), "events_missing_field", vec!["id"]),
        (without("counts"), "events_missing_field", vec!["counts"]),
        (without("schema"), "events_missing_field", vec!["schema"]),
        (
            valid.replace(r#""schema": 1"#, r#""schema": 2"#),
            "events_unsupported_schema",
            vec!["2", "1"],
        ),
        (
            valid.replace(r#""schema": 1"#, r#""schema": "1""#),
            "events_wrong_type",
            vec!["schema"],
        ),
        (
            valid.replace(r#""schema": 1"#, r#""schema": 1.0"#),
            "events_wrong_type",
            vec!["schema"],
        ),
        (
            valid.replace(ID, "not-an-id"),
            "events_bad_value",
            vec!["id", "not-an-id"],
        ),
        (
            valid.replace(ID, &ID.to_uppercase()),
            "events_bad_value",
            vec!["id"],
        ),
        (
            valid
                .replace(r#""id": "1b4e"#, r#""id": ["1b4e"#)
                .replace("633b\"", "633b\"]"),
            "events_wrong_type",
            vec!["id"],
        ),
        (
            valid.replace("\"chrome\"", "\"netscape\""),
            "events_bad_value",
            vec!["browser", "netscape"],
        ),
        (
            valid.replace("\"chrome\"", "null"),
            "events_wrong_type",
            vec!["browser"],
        ),
        (
            valid.replace("131", "0"),
            "events_bad_value",
            vec!["browser_major", "0"],
        ),
        (
            valid.replace("131", "1000"),
            "events_bad_value",
            vec!["browser_major", "1000"],
        ),
        (
            valid.replace("131", "-1"),
            "events_wrong_type",
            vec!["browser_major"],
        ),
        (
            valid.replace("131", "131.5"),
            "events_wrong_type",
            vec!["browser_major"],
        ),
        (
            valid.replace("\"windows\"", "\"win\""),
            "events_bad_value",
            vec!["os", "win"],
        ),
        (
            valid.replace("\"US\"", "\"UK\""),
            "events_bad_value",
            vec!["country", "UK"],
        ),
        (
            valid.replace("\"US\"", "\"us\""),
            "events_bad_value",
            vec!["country"],
        ),
        (
            valid.replace("\"en\"", "\"en-US\""),
            "events_bad_value",
            vec!["language", "en-US"],
        ),
        (
            valid.replace("-300", "-301"),
            "events_bad_value",
            vec!["utc_offset", "-301"],
        ),
        (
            valid.replace("-300", "900"),
            "events_bad_value",
            vec!["utc_offset", "900"],
        ),
        (
            valid.replace("-300", "99999999999999999999"),
            "events_wrong_type",
            vec!["utc_offset"],
        ),
        (
            valid.replace("-300", "\"America/New_York\""),
            "events_wrong_type",
            vec!["utc_offset"],
        ),
        (
            valid.replace("\"1.4.2\"", "\"1.4.2-beta\""),
            "events_bad_value",
            vec!["extension_version", "1.4.2-beta"],
        ),
        (
            valid.replace("\"1.4.2\"", "142"),
            "events_wrong_type",
            vec!["extension_version"],
        ),
        (
            text(r#"{"page_viewed": 1}"#, ""),
            "events_unknown_event",
            vec!["page_viewed"],
        ),
        (
            text(r#"{"popup_opened": 1, "popup_opened": 2}"#, ""),
            "events_duplicate_event",
            vec!["popup_opened"],
        ),
        (
            text(r#"{"popup_opened": 1001}"#, ""),
            "events_count_too_high",
            vec!["popup_opened", "1001", "1000"],
        ),
        (
            text(r#"{"popup_opened": 18446744073709551615}"#, ""),
            "events_count_too_high",
            vec![],
        ),
        (
            text(r#"{"popup_opened": -1}"#, ""),
            "events_wrong_type",
            vec!["popup_opened"],
        ),
        (
            text(r#"{"popup_opened": "3"}"#, ""),
            "events_wrong_type",
            vec!["popup_opened"],
        ),
        (
            text(r#"{"popup_opened": {"n": 3}}"#, ""),
            "events_wrong_type",
            vec!["popup_opened"],
        ),
        (
            text(
                &format!(
                    "{{{}, \"popup_opened\": 1}}",
                    Event::ALL
                        .iter()
                        .map(|e| format!("\"{}\": 1", e.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "",
            ),
            "events_too_many_entries",
            vec!["10"],
        ),
    ];
    for (text, code, params) in cases {
        let error = read_batch(text.as_bytes()).expect_err(&text);
        assert_eq!(error.code(), code, "{text}: {error}");
        assert!(BatchError::CODES.contains(&error.code()));
        for param in params {
            assert!(
                error.params().iter().any(|p| p == param),
                "{error:?} names {param}"
            );
        }
    }
    assert_eq!(read_batch(b"{\"schema\": \xff}"), Err(BatchError::NotUtf8));
}

#[test]
fn a_reason_says_where() {
    let text = text("{}", ",\n \"extra\": 1");
    let Err(BatchError::UnknownField { field, at }) = read_batch(text.as_bytes()) else {
        unreachable!("an unknown field");
    };
    assert_eq!((field.as_str(), at.line, at.column), ("extra", 4, 11));
    let long = crate::events::tests::text("{}", &format!(r#", "{}": 1"#, "k".repeat(500)));
    let Err(BatchError::UnknownField { field, .. }) = read_batch(long.as_bytes()) else {
        unreachable!("an unknown field");
    };
    assert_eq!(field.len(), 40, "cut short");
}

#[test]
fn a_batch_becomes_its_increments() {
    let day = day_of(1_795_392_000);
    assert_eq!(day_text(day), "2026-11-23");
    let inc = increments(&sample(), day);
    let key = |event| EventKey {
        day,
        event,
        country: Country::parse("US").expect("US"),
        language: Some(UiLanguage::En),
        browser: BrowserFamily::Chrome,
        extension_version: ExtensionVersion::parse("1.4.2").expect("v"),
    };
    assert_eq!(
        inc.events,
        [(key(Event::PopupOpened), 3), (key(Event::CouponCopied), 1)]
    );
    assert_eq!(
        inc.mark,
        ActiveMark {
            id: sample().id,
            day
        }
    );
    let profiles: Vec<(&str, &str)> = inc
        .first_of_day
        .iter()
        .map(|p| (p.dimension.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        profiles,
        [
            ("os", "windows"),
            ("browser", "chrome/131"),
            ("utc_offset", "-05:00")
        ]
    );
    assert!(inc.first_of_day.iter().all(|p| p.day == day));
    // A batch of nothing still marks the id active.
    let mut quiet = sample();
    quiet.counts = EventCounts::default();
    let inc = increments(&quiet, day);
    assert!(inc.events.is_empty());
    assert_eq!(inc.mark.day, day);
}

#[test]
fn days_are_utc() {
    assert_eq!(day_of(0), 0);
    assert_eq!(day_of(86_399), 0);
    assert_eq!(day_of(86_400), 1);
    assert_eq!(day_of(-1), -1);
    assert_eq!(day_text(0), "1970-01-01");
    assert_eq!(day_text(-1), "1969-12-31");
    assert_eq!(day_text(day_of(1_709_164_800)), "2024-02-29");
}

#[test]
fn a_day_is_read_as_it_is_written() {
    for day in [-1, 0, 1, 19_782, 20_415, day_of(1_709_164_800)] {
        assert_eq!(parse_day(&day_text(day)), Some(day), "{}", day_text(day));
    }
    for bad in [
        "2023-02-29",
        "2026-13-01",
        "2026-1-01",
        "2026-01-01T00:00:00Z",
        "20260101",
        "2026-01-01 ",
        "",
        "yesterday",
    ] {
        assert_eq!(parse_day(bad), None, "{bad}");
    }
}

fn id(n: u8) -> AnonymousId {
    AnonymousId::from_random([n; 16])
}

#[test]
fn active_counts_follow_their_definitions() {
    let today: Day = 20_000;
    let mark = |n, day| ActiveMark { id: id(n), day };
    let marks = [
        mark(1, today),
        mark(1, today),     // twice the same day: once
        mark(1, today - 3), // and earlier: still one id in the month
        mark(2, today),
        mark(3, today - 29), // the window's first day
        mark(4, today - 30), // just outside it
        mark(5, today - 1),
    ];
    assert_eq!(
        active_counts(&marks, today),
        ActiveCounts {
            daily: 2,
            monthly: 4
        }
    );
    // Yesterday's: ids 1 (day -3), 3, 4 (day -30 is its window's first day), 5.
    assert_eq!(
        active_counts(&marks, today - 1),
        ActiveCounts {
            daily: 1,
            monthly: 4
        }
    );
    assert_eq!(active_counts(&[], today), ActiveCounts::default());
}

#[test]
fn marks_are_kept_31_days_exactly_as_long_as_the_monthly_count_needs() {
    let today: Day = 20_000;
    assert_eq!(monthly_window(today), (today - 29, today));
    assert_eq!(oldest_kept_mark(today), today - 30);
    assert!(monthly_countable(today, today));
    assert!(
        monthly_countable(today - 1, today),
        "yesterday's, finished today"
    );
    assert!(!monthly_countable(today - 2, today));
    assert!(!monthly_countable(today + 1, today));
    assert!(
        monthly_countable(monthly_to_finish(today), today),
        "the day finished is still countable"
    );
    assert!(!monthly_countable(monthly_to_finish(today) - 1, today));
    assert!(monthly_to_finish(today) < today, "today's is not over");
    // Deleting what retention says changes neither count that is still countable.
    let marks: Vec<ActiveMark> = (0..60u8)
        .map(|n| ActiveMark {
            id: id(n % 7),
            day: today - i64::from(n),
        })
        .collect();
    let kept: Vec<ActiveMark> = marks
        .iter()
        .copied()
        .filter(|m| m.day >= oldest_kept_mark(today))
        .collect();
    assert!(kept.len() < marks.len());
    for day in [today, today - 1] {
        assert_eq!(
            active_counts(&kept, day),
            active_counts(&marks, day),
            "{day}"
        );
    }
    // And keeping one day less would lose yesterday's count of an id last seen 30 days ago.
    let lone = [
        ActiveMark {
            id: id(99),
            day: oldest_kept_mark(today),
        },
        ActiveMark {
            id: id(1),
            day: today,
        },
    ];
    assert_ne!(
        active_counts(&lone[1..], today - 1),
        active_counts(&lone, today - 1)
    );
}
