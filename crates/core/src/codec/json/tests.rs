//! The reader against serde_json, its reference: the same documents accepted and refused, the
//! same values read, numbers printed the same; the writer's escapes.

use super::*;
use proptest::prelude::*;

/// What serde_json reads, as ours should read it.
fn reference(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

/// Ours, printed as serde_json prints its own `Value` (object keys sorted, a repeated key's last
/// value kept), so that numbers are compared in their printed form.
fn render(value: &Value<'_>) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_text(),
        Value::String(s) => serde_json::to_string(&**s).expect("json"),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(render).collect::<Vec<_>>().join(",")
        ),
        Value::Object(entries) => {
            let sorted: std::collections::BTreeMap<&str, String> =
                entries.iter().map(|(k, v)| (&**k, render(v))).collect();
            let entries: Vec<String> = sorted
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).expect("json")))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
    }
}

fn same_as_reference(text: &str) {
    let ours = Value::parse(text);
    match (reference(text), &ours) {
        (Some(theirs), Ok(ours)) => assert_eq!(render(ours), theirs.to_string(), "{text:?}"),
        (None, Err(_)) => {}
        (theirs, ours) => panic!("{text:?}: serde_json {theirs:?}, ours {ours:?}"),
    }
}

#[test]
fn documents() {
    for text in [
        "null",
        " true ",
        "false",
        "0",
        "-0",
        "12.99",
        "1e3",
        "1E+2",
        "-1.5e-7",
        "18446744073709551615",
        "-9223372036854775808",
        "1e308",
        "1.7976931348623157e308",
        "1.8e308",
        "1e309",
        "-1e400",
        "1e-400",
        "0e99999999999999999999",
        "01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "\"\"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83dx\"",
        "\"\\ud83d\\n\"",
        "\"\\u12\"",
        "\"\\x\"",
        "\"tab\there\"",
        "\"unterminated",
        "[]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
        "nul",
        "tru",
        "[1] x",
        "",
        "   ",
        "é",
    ] {
        same_as_reference(text);
    }
}

#[test]
fn numbers_are_classified_as_serde_json_classifies_them() {
    for (text, kind) in [
        ("0", NumberKind::PosInt(0)),
        ("18446744073709551615", NumberKind::PosInt(u64::MAX)),
        ("18446744073709551616", NumberKind::Float),
        ("-1", NumberKind::NegInt(-1)),
        ("-9223372036854775808", NumberKind::NegInt(i64::MIN)),
        ("-9223372036854775809", NumberKind::Float),
        ("-0", NumberKind::Float),
        ("1.0", NumberKind::Float),
        ("1e2", NumberKind::Float),
    ] {
        let Ok(Value::Number(n)) = Value::parse(text) else {
            panic!("{text}")
        };
        assert_eq!(n.kind(), kind, "{text}");
        let theirs: serde_json::Value = serde_json::from_str(text).expect("a number");
        let theirs_kind = if let Some(n) = theirs.as_u64() {
            NumberKind::PosInt(n)
        } else if let Some(n) = theirs.as_i64() {
            NumberKind::NegInt(n)
        } else {
            NumberKind::Float
        };
        assert_eq!(kind, theirs_kind, "{text}: serde_json");
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    for depth in [126, 127, 128, 129, 10_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        same_as_reference(&text);
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        same_as_reference(&objects);
    }
}

#[test]
fn skipping_checks_what_serde_json_checks_when_it_ignores() {
    #[derive(serde::Deserialize)]
    struct Only {
        #[allow(dead_code)]
        a: u8,
    }
    for text in [
        r#"{"a": 1, "b": "\ud800"}"#,
        r#"{"a": 1, "b": {"\ud800": 1e999}}"#,
        r#"{"a": 1, "b": "\x"}"#,
        r#"{"a": 1, "b": [1, 2,]}"#,
        r#"{"a": 1, "b": 01}"#,
        "{\"a\": 1, \"b\": \"\u{1}\"}",
    ] {
        let theirs = serde_json::from_str::<Only>(text).is_ok();
        let mut reader = Reader::new(text);
        let ours = (|| {
            let mut open = reader.begin_object()?;
            while let Some(key) = reader.next_key(&mut open)? {
                if key == "a" {
                    reader.number()?;
                } else {
                    reader.skip()?;
                }
            }
            reader.end()
        })();
        assert_eq!(ours.is_ok(), theirs, "{text}: {ours:?}");
    }
}

#[test]
fn numbers_print_as_serde_json_prints_them() {
    for text in [
        "1e16",
        "1e15",
        "123456789012345.5",
        "1.5e-7",
        "0.00001",
        "0.000015",
        "1e300",
        "15.0",
        "12.990",
        "-0",
        "-0.0",
        "9.999e15",
        "12345678901234567890",
        "0.1e1",
        "-12.5",
        "1E2",
        "5e-324",
        "1.7976931348623157e308",
        "2.5e-5",
        "100",
        "-100",
        "0.5",
    ] {
        let ours = Value::parse(text).expect("a number");
        let Value::Number(n) = ours else {
            panic!("{text}")
        };
        let theirs = reference(text).expect("a number").to_string();
        assert_eq!(n.to_text(), theirs, "{text}");
    }
}

#[test]
fn errors_say_where() {
    let error = Value::parse("{\n  \"a\": x}").expect_err("not JSON");
    assert_eq!(
        (error.kind, error.line, error.column),
        (JsonFault::ExpectedValue, 2, 8)
    );
    assert_eq!(error.to_string(), "a value was expected (line 2, column 8)");
    for (text, kind) in [
        ("", JsonFault::UnexpectedEnd),
        ("[1,]", JsonFault::TrailingComma),
        ("[1 2]", JsonFault::ExpectedComma),
        ("{\"a\" 1}", JsonFault::ExpectedColon),
        ("{1: 2}", JsonFault::KeyNotString),
        ("nul", JsonFault::InvalidLiteral),
        ("01", JsonFault::InvalidNumber),
        ("1e999", JsonFault::NumberOutOfRange),
        ("\"\\x\"", JsonFault::InvalidEscape),
        ("\"\u{1}\"", JsonFault::ControlCharacter),
        ("\"\\ud800\"", JsonFault::LoneSurrogate),
        ("1 2", JsonFault::TrailingCharacters),
    ] {
        assert_eq!(
            Value::parse(text).map_err(|e| e.kind),
            Err(kind),
            "{text:?}"
        );
    }
}

#[test]
fn writes_strings_as_serde_json_does() {
    for text in [
        "",
        "plain",
        "q\"b\\s/",
        "\u{0}\u{1f}\u{7f}\n\r\t\u{8}\u{c}",
        "ünï€😀",
    ] {
        let mut writer = Writer::new();
        writer.string(text);
        assert_eq!(writer.finish(), serde_json::to_string(text).expect("json"));
    }
    let mut writer = Writer::new();
    writer.begin_object();
    writer.key("a");
    writer.strings(["x", "y"]);
    writer.key("b");
    writer.nested(|w| {
        w.begin_object();
        w.end_object();
    });
    writer.key("c");
    writer.optional_unsigned(None);
    writer.key("d");
    writer.signed(-5);
    writer.end_object();
    assert_eq!(writer.finish(), r#"{"a":["x","y"],"b":{},"c":null,"d":-5}"#);
}

/// JSON-ish text: real documents' pieces, and the odd bytes around them.
fn jsonish() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\"k\":", "null", "true", "false", "0", "-1",
        "12.99", "1e5", "-0.0", "1e999", "\\", "\\u", "\\ud83d", "\\ude00", "\\n", "00", " ", "\n",
        "x", "é", "\u{1}",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Well-formed documents, so that acceptance is tested on more than refusals.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        // Up to 15 significant digits, which an f64 holds as written (see `Number::to_text`),
        // and powers of ten an f64 holds exactly (serde_json's own reading of larger ones can
        // be a unit off in the last place).
        "-?(0|[1-9][0-9]{0,7})(\\.[0-9]{1,7})?([eE][+-]?[0-9])?",
        "\\PC{0,8}".prop_map(|s| serde_json::to_string(&s).expect("json")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..6).prop_map(|v| {
                let entries: Vec<String> = v
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn reads_what_serde_json_reads(text in jsonish()) {
        same_as_reference(&text);
    }

    #[test]
    fn reads_documents_as_serde_json_does(text in json_value()) {
        same_as_reference(&text);
    }
}

proptest! {
    #[test]
    fn plain_len_stops_at_the_first_special_byte(bytes in prop::collection::vec(prop_oneof![
        Just(b'"'), Just(b'\\'), 0u8..0x20, 0x20u8..=0xff, Just(b'a')
    ], 0..40)) {
        let want = bytes
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(bytes.len());
        prop_assert_eq!(plain_len(&bytes), want);
    }
}
