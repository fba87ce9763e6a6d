//! Table tests of the cookie reading: the shapes AliExpress writes, and every way they can be
//! bent, missing or hostile.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::*;
use crate::ProductId;

const OUR_KEY: &str = "_dOurKey1";
const OUR_API_KEY: &str = "_DdPRrAP";
const THEIRS: &str = "_DlJ4Oaz";
const HEX: &str = "6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e";

fn ours() -> AffiliateLinks {
    let mut links = AffiliateLinks::new(AffiliateKey::parse(OUR_KEY).expect("key"));
    let product = ProductId::parse("1005009999999999").expect("id");
    links
        .remember_api_link(
            product,
            &format!("https://s.click.aliexpress.com/e/{OUR_API_KEY}"),
        )
        .expect("api link");
    links
}

fn encoded(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

fn cid(key: &str) -> String {
    format!("aeu_cid={HEX}-1764589123456-04512-{key}")
}

/// The `x_as_i` JSON as AliExpress writes it, with `key` and `channel`.
fn as_i(key: &str, channel: &str) -> String {
    format!(
        r#"{{"affiliateKey":"{key}","channel":"{channel}","cv":"1","isCookieCache":"N","ms":"1","pid":"123","tagtime":1764589123456}}"#
    )
}

/// An `xman_us_f` cookie whose `x_as_i` is `value` as given (already encoded or not).
fn xman(value: &str) -> String {
    format!("xman_us_f=x_l=1&x_locale=en_US&x_as_i={value}&acs_rt=2b8e1c0d9f7a4e3b")
}

use Credit::{Nobody, Ours, Theirs};

#[test]
fn aeu_cid_shapes() {
    #[rustfmt::skip]
    let table: Vec<(String, Credit)> = vec![
        (cid(THEIRS), Theirs),
        (cid(OUR_KEY), Ours),
        (cid(OUR_API_KEY), Ours),
        // Keys are compared exactly, as on a landing.
        (cid("_doURkEY1"), Theirs),
        (cid(&format!("{OUR_KEY}x")), Theirs),
        // A key may hold '-': everything after the third '-' is the key.
        (cid("_Dl-J4-Oaz"), Theirs),
        (format!("aeu_cid={}-1764589123456-04512-{THEIRS}", HEX.to_uppercase()), Theirs),
        // Quoted, percent-encoded, with spaces around.
        (format!("aeu_cid=\"{HEX}-1764589123456-04512-{THEIRS}\""), Theirs),
        (format!("aeu_cid={HEX}-1764589123456-04512-%5FDlJ4Oaz"), Theirs),
        (format!("aeu_cid={}", encoded(&format!("{HEX}-1764589123456-04512-{OUR_KEY}"))), Ours),
        (format!("  aeu_cid =  {HEX}-1764589123456-04512-{THEIRS}  "), Theirs),
        // The middle parts' widths are read loosely.
        (format!("aeu_cid={HEX}-1764589123-4-{THEIRS}"), Theirs),
        // Without a key, or not of the shape: it names no one.
        (format!("aeu_cid={HEX}-1764589123456-04512"), Nobody),
        (format!("aeu_cid={HEX}-1764589123456-04512-"), Nobody),
        (format!("aeu_cid={HEX}-1764589123456-04512-   "), Nobody),
        (format!("aeu_cid={}-1764589123456-04512-{THEIRS}", &HEX[1..]), Nobody),
        (format!("aeu_cid={}g-1764589123456-04512-{THEIRS}", &HEX[1..]), Nobody),
        (format!("aeu_cid={HEX}-17645x9123456-04512-{THEIRS}"), Nobody),
        (format!("aeu_cid={HEX}-176458-04512-{THEIRS}"), Nobody),
        (format!("aeu_cid={HEX}-1764589123456-123456789-{THEIRS}"), Nobody),
        (format!("aeu_cid={HEX}-1764589123456--{THEIRS}"), Nobody),
        (format!("aeu_cid={HEX}{THEIRS}"), Nobody),
        (cid("ab cd"), Nobody),
        (cid("<script>"), Nobody),
        (cid(&"k".repeat(65)), Nobody),
        (cid(&"k".repeat(64)), Theirs),
        ("aeu_cid=".to_owned(), Nobody),
        ("aeu_cid".to_owned(), Nobody),
        (format!("aeu_cid=-{THEIRS}"), Nobody),
        // Cookie names are exact: another cookie is never read.
        (format!("AEU_CID={HEX}-1764589123456-04512-{THEIRS}"), Nobody),
        (format!("xaeu_cid={HEX}-1764589123456-04512-{THEIRS}"), Nobody),
        (format!("other=aeu_cid={HEX}-1764589123456-04512-{THEIRS}"), Nobody),
    ];
    let links = ours();
    for (cookies, want) in table {
        assert_eq!(cookie_credit(&cookies, &links), want, "{cookies}");
    }
}

#[test]
fn xman_us_f_shapes() {
    let theirs = as_i(THEIRS, "AFFILIATE");
    #[rustfmt::skip]
    let table: Vec<(String, Credit)> = vec![
        // As AliExpress writes it: the JSON encoded once.
        (xman(&encoded(&theirs)), Theirs),
        (xman(&encoded(&as_i(OUR_KEY, "AFFILIATE"))), Ours),
        (xman(&encoded(&as_i(OUR_API_KEY, "AFFILIATE"))), Ours),
        // Encoded twice or three times, or not at all (with spaces).
        (xman(&encoded(&encoded(&theirs))), Theirs),
        (xman(&encoded(&encoded(&encoded(&theirs)))), Theirs),
        (xman(&encoded(&encoded(&encoded(&encoded(&theirs))))), Nobody),
        (xman(&theirs), Theirs),
        (xman(&format!(r#"{{ "affiliateKey" : "{THEIRS}" , "channel" : "AFFILIATE" }}"#)), Theirs),
        (xman(&format!("%7B+%22affiliateKey%22+%3A+%22{THEIRS}%22+%7D")), Theirs),
        // The whole value encoded, and the name in another case.
        (format!("xman_us_f={}", encoded(&format!("x_l=1&x_as_i={}", encoded(&theirs)))), Theirs),
        (format!("xman_us_f=x_l=1&X_AS_I={}", encoded(&theirs)), Theirs),
        (format!("xman_us_f=\"x_l=1&x_as_i={}\"", encoded(&theirs)), Theirs),
        // The channel: AFFILIATE in any case and field name, absent; anything else names no one.
        (xman(&encoded(&as_i(THEIRS, "affiliate"))), Theirs),
        (xman(&encoded(&as_i(THEIRS, " Affiliate "))), Theirs),
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{THEIRS}","CHANNEL":"AFFILIATE"}}"#))), Theirs),
        (xman(&encoded(&format!(r#"{{"AFFILIATEKEY":"{THEIRS}"}}"#))), Theirs),
        (xman(&encoded(&as_i(THEIRS, "NATURAL"))), Nobody),
        (xman(&encoded(&as_i(THEIRS, "SEO"))), Nobody),
        (xman(&encoded(&as_i(THEIRS, ""))), Nobody),
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{THEIRS}","CHANNEL":"DIRECT"}}"#))), Nobody),
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{THEIRS}","channel":null}}"#))), Nobody),
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{THEIRS}","channel":1}}"#))), Nobody),
        // The last of a repeated field counts.
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{OUR_KEY}","affiliateKey":"{THEIRS}"}}"#))), Theirs),
        (xman(&encoded(&format!(r#"{{"affiliateKey":"{THEIRS}","affiliateKey":"{OUR_KEY}"}}"#))), Ours),
        // No key, an empty one, one that is not a key or not a string.
        (xman(&encoded(r#"{"channel":"AFFILIATE","pid":"123"}"#)), Nobody),
        (xman(&encoded(&as_i("", "AFFILIATE"))), Nobody),
        (xman(&encoded(&as_i("a b", "AFFILIATE"))), Nobody),
        (xman(&encoded(r#"{"affiliateKey":123,"channel":"AFFILIATE"}"#)), Nobody),
        (xman(&encoded(r#"{"affiliateKey":null,"channel":"AFFILIATE"}"#)), Nobody),
        (xman(&encoded(&format!(r#"{{"affiliateKey":["{THEIRS}"],"channel":"AFFILIATE"}}"#))), Nobody),
        // Malformed or not an object.
        (xman("%7B%22affiliateKey%22%3A"), Nobody),
        (xman(&encoded(&format!(r#"["{THEIRS}","AFFILIATE"]"#))), Nobody),
        (xman(&encoded(&format!("\"{THEIRS}\""))), Nobody),
        (xman(""), Nobody),
        (xman("%FF%FE%7B"), Nobody),
        (xman("%"), Nobody),
        (xman(&format!("{}{}", "%5B".repeat(1000), "%5D".repeat(1000))), Nobody),
        // No x_as_i at all; a key outside it is not read.
        ("xman_us_f=x_l=1&x_locale=en_US&acs_rt=2b8e1c0d".to_owned(), Nobody),
        (format!("xman_us_f=x_l=1&affiliateKey={THEIRS}"), Nobody),
        (format!("xman_us_f={}", encoded(&theirs)), Nobody),
        ("xman_us_f=".to_owned(), Nobody),
        // Another cookie of the same shape is never read.
        (format!("xman_us_x={}", &xman(&encoded(&theirs))["xman_us_f=".len()..]), Nobody),
        (format!("Xman_us_f={}", &xman(&encoded(&theirs))["xman_us_f=".len()..]), Nobody),
    ];
    let links = ours();
    for (cookies, want) in table {
        assert_eq!(cookie_credit(&cookies, &links), want, "{cookies}");
    }
}

#[test]
fn several_cookies_together() {
    let links = ours();
    let their_xman = xman(&encoded(&as_i(THEIRS, "AFFILIATE")));
    let our_xman = xman(&encoded(&as_i(OUR_KEY, "AFFILIATE")));
    #[rustfmt::skip]
    let table: Vec<(String, Credit)> = vec![
        (String::new(), Nobody),
        (";;; ; =; ==".to_owned(), Nobody),
        // A page's whole document.cookie: only the two names are read.
        (format!("x_user=secret; aep_usuc_f=site=glo&c_tp=USD&region=US; {}; intl_locale=en_US", cid(THEIRS)), Theirs),
        (format!("x_user=secret; {}; {our_xman}", cid(OUR_KEY)), Ours),
        // Any key not ours makes the whole theirs.
        (format!("{}; {their_xman}", cid(OUR_KEY)), Theirs),
        (format!("{}; {our_xman}", cid(THEIRS)), Theirs),
        (format!("{}; {}", cid(OUR_KEY), cid(THEIRS)), Theirs),
        // A cookie that names no one changes nothing either way.
        (format!("aeu_cid={HEX}-1764589123456-04512; {our_xman}"), Ours),
        (format!("{}; {}", cid(OUR_KEY), xman(&encoded(&as_i(THEIRS, "NATURAL")))), Ours),
        // No separator but ';' (as a header might be written).
        (format!("a=b;{};c=d", cid(THEIRS)), Theirs),
    ];
    for (cookies, want) in table {
        assert_eq!(cookie_credit(&cookies, &links), want, "{cookies}");
    }
}

#[test]
fn at_most_four_values_of_a_name_are_read() {
    let links = ours();
    let four_ours = vec![cid(OUR_KEY); MAX_VALUES_PER_NAME].join("; ");
    assert_eq!(
        cookie_credit(&format!("{four_ours}; {}", cid(THEIRS)), &links),
        Ours
    );
    assert_eq!(
        cookie_credit(&format!("{}; {four_ours}", cid(THEIRS)), &links),
        Theirs
    );
    // The other name has its own count.
    let their_xman = xman(&encoded(&as_i(THEIRS, "AFFILIATE")));
    assert_eq!(
        cookie_credit(&format!("{four_ours}; {their_xman}"), &links),
        Theirs
    );
}

#[test]
fn huge_values_and_texts_name_no_one() {
    let links = ours();
    // At the cap a value is read, past it not (it is never cut: a cut key is not a key).
    let padding = |len: usize| "a".repeat(len);
    let head = format!(
        "x_l=1&x_as_i={}&acs_rt=",
        encoded(&as_i(THEIRS, "AFFILIATE"))
    );
    let at_cap = format!("{head}{}", padding(MAX_VALUE_BYTES - head.len()));
    assert_eq!(
        cookie_credit(&format!("xman_us_f={at_cap}"), &links),
        Theirs
    );
    assert_eq!(
        cookie_credit(&format!("xman_us_f={at_cap}a"), &links),
        Nobody
    );
    let key = format!("{HEX}-1764589123456-04512-");
    let long_key = format!("{key}{}", padding(MAX_VALUE_BYTES));
    assert_eq!(
        cookie_credit(&format!("aeu_cid={long_key}"), &links),
        Nobody
    );
    // A text past the whole cap is not read at all, whatever it holds.
    let filler = format!("other={}", padding(MAX_COOKIES_BYTES));
    assert_eq!(
        cookie_credit(&format!("{}; {filler}", cid(THEIRS)), &links),
        Nobody
    );
    // Every value at its cap, as the shell may send them: read.
    let value = padding(MAX_COOKIE_VALUE_LENGTH);
    let most: Vec<String> = VISIT_COOKIE_NAMES
        .iter()
        .flat_map(|name| vec![format!("{name}={value}"); MAX_VALUES_PER_NAME])
        .collect();
    let most = most.join("; ");
    assert!(most.len() <= MAX_COOKIES_LENGTH, "{}", most.len());
    assert_eq!(cookie_credit(&most, &links), Nobody);
    assert_eq!(
        cookie_credit(&format!("{}; {most}", cid(THEIRS)), &links),
        Theirs
    );
}

#[test]
fn the_limits_hold_together() {
    assert_eq!(
        LONGEST_NAME,
        VISIT_COOKIE_NAMES
            .iter()
            .map(|n| n.len())
            .max()
            .unwrap_or(0)
    );
    // Names the browser keeps as written: no character a cookie header would split on.
    for name in VISIT_COOKIE_NAMES {
        assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    }
}

#[test]
fn arbitrary_text_never_panics() {
    // A small deterministic generator over the characters that matter to the reader.
    const ALPHABET: &[&str] = &[
        "aeu_cid",
        "xman_us_f",
        "x_as_i",
        "=",
        ";",
        "&",
        "%",
        "%25",
        "%7B",
        "%7D",
        "%22",
        "{",
        "}",
        "\"",
        ":",
        ",",
        "-",
        "_",
        "a",
        "7",
        " ",
        "+",
        "é",
        "\u{0}",
        "\\",
        "[",
        "]",
        "affiliateKey",
        "channel",
        "AFFILIATE",
        HEX,
        "1764589123456",
        "04512",
    ];
    let links = ours();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let parts = (next() % 40) as usize;
        let text: String = (0..parts)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        // Whatever it names, only a key makes it anyone's.
        let credit = cookie_credit(&text, &links);
        assert!(credit != Credit::Unnamed, "{text}");
    }
}
