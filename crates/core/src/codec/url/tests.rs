//! The parser against the WHATWG URL test suite (`urltestdata.json`, committed as data beside
//! this file: web-platform-tests' `url/resources/urltestdata.json` as servo/rust-url carries it,
//! the wpt commit named on its first line; BSD-3-Clause), and against the `url` crate (with
//! `idna_adapter` 1.0) in property tests.
//!
//! Every deliberate difference from the standard is in [`DIFFERENCES`], with its reason; the
//! one place the `url` crate, the property tests' reference, differs from the standard is
//! [`no_reference`].

use super::*;
use crate::link::hrefs::href;
use proptest::prelude::*;

/// A deliberate difference from the standard: which cases it covers (from the case and our
/// answer to it), what we answer there instead, and why.
struct Difference {
    name: &'static str,
    why: &'static str,
    /// Whether the difference covers a case we answered `ours` to.
    covers: fn(input: &str, ours: &Result<WebUrl, UrlError>) -> bool,
}

/// Every deliberate difference from the WHATWG URL Standard (the module's documentation says
/// the same in prose).
const DIFFERENCES: [Difference; 2] = [
    Difference {
        name: "non-ASCII host refused",
        why: "no IDNA (UTS #46) mapping: every AliExpress host is ASCII, a look-alike is not \
              AliExpress either way, and the tables would cost more WASM than the parser",
        covers: |input, ours| {
            *ours == Err(UrlError::HostNotAscii)
                && !String::from_utf8_lossy(&crate::codec::percent::decoded(input, false))
                    .is_ascii()
        },
    },
    Difference {
        name: "punycode label kept as written",
        why: "no punycode decoding either (the same IDNA step): an `xn--` label is taken as it \
              is, where the standard refuses one that is not valid punycode",
        covers: |_, ours| {
            ours.as_ref()
                .is_ok_and(|url| url.host().split('.').any(|label| label.starts_with("xn--")))
        },
    },
];

/// One case of the WHATWG suite that this parser handles: an input with no base or an http(s)
/// base.
struct Case<'a> {
    input: &'a str,
    base: Option<&'a str>,
    /// The standard's URL, when the input is one (of any scheme).
    expected: Option<Expected<'a>>,
}

struct Expected<'a> {
    href: &'a str,
    hostname: &'a str,
    pathname: &'a str,
    search: &'a str,
    hash: &'a str,
}

fn suite() -> serde_json::Value {
    serde_json::from_str(include_str!("urltestdata.json")).unwrap_or_else(|e| panic!("{e}"))
}

fn field<'a>(case: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    case.get(name).and_then(|v| v.as_str())
}

fn cases(suite: &serde_json::Value) -> Vec<Case<'_>> {
    suite
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        // The strings between cases are comments.
        .filter(|case| case.is_object())
        .filter_map(|case| {
            let base = field(case, "base");
            let web_base = base.is_none_or(|b| b.starts_with("http:") || b.starts_with("https:"));
            web_base.then(|| Case {
                input: field(case, "input").unwrap_or_else(|| panic!("a case without input")),
                base,
                expected: case.get("failure").is_none().then(|| Expected {
                    href: field(case, "href").unwrap_or_default(),
                    hostname: field(case, "hostname").unwrap_or_default(),
                    pathname: field(case, "pathname").unwrap_or_default(),
                    search: field(case, "search").unwrap_or_default(),
                    hash: field(case, "hash").unwrap_or_default(),
                }),
            })
        })
        .collect()
}

/// Whether our answer is the standard's: the same URL in every part we read; for a URL of
/// another scheme, that it is one; for a failure, any error.
fn agrees(ours: &Result<WebUrl, UrlError>, expected: Option<&Expected<'_>>) -> bool {
    let Some(e) = expected else {
        return ours.is_err();
    };
    if !(e.href.starts_with("http:") || e.href.starts_with("https:")) {
        return *ours == Err(UrlError::OtherScheme);
    }
    let prefixed = |mark: &str, part: Option<&str>| match part {
        Some(part) if !part.is_empty() => format!("{mark}{part}"),
        _ => String::new(),
    };
    ours.as_ref().is_ok_and(|url| {
        url.as_str() == e.href
            && url.host() == e.hostname
            && url.path() == e.pathname
            && prefixed("?", url.query()) == e.search
            && prefixed("#", url.fragment()) == e.hash
    })
}

#[test]
fn the_whatwg_test_suite() {
    let suite = suite();
    let cases = cases(&suite);
    assert!(cases.len() > 700, "{} cases", cases.len());
    let mut covered = [0usize; DIFFERENCES.len()];
    let mut failures = Vec::new();
    for case in &cases {
        let ours = match case.base {
            Some(base) => parse(base, None).and_then(|base| parse(case.input, Some(&base))),
            None => parse(case.input, None),
        };
        if agrees(&ours, case.expected.as_ref()) {
            continue;
        }
        match DIFFERENCES
            .iter()
            .position(|d| (d.covers)(case.input, &ours))
        {
            Some(at) => covered[at] += 1,
            None => failures.push(format!(
                "{:?} on {:?}: ours {:?}, the standard's {:?}",
                case.input,
                case.base,
                ours.map(|u| u.as_str().to_owned()),
                case.expected.as_ref().map(|e| e.href)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for (difference, count) in DIFFERENCES.iter().zip(covered) {
        // A difference that no case shows any more has been fixed: take it off the list.
        assert!(
            count > 0,
            "{}: no case of the suite differs ({})",
            difference.name,
            difference.why
        );
    }
}

#[test]
fn errors_are_the_parsers_own() {
    let web = |input: &str| parse(input, None).err();
    for (input, want) in [
        ("mailto:a@aliexpress.com", UrlError::OtherScheme),
        ("/item/1.html", UrlError::NoBase),
        ("https://", UrlError::HostMissing),
        ("https://user@/x", UrlError::HostMissing),
        ("https://:443/", UrlError::HostMissing),
        ("https://a b.com/", UrlError::HostInvalidCodePoint),
        ("https://a%25b.com/", UrlError::HostInvalidCodePoint),
        ("https://аliexpress.com/", UrlError::HostNotAscii),
        ("https://%C3%A9.com/", UrlError::HostNotAscii),
        ("https://%FF.com/", UrlError::HostNotAscii),
        ("https://1.2.3.4.5/", UrlError::Ipv4Invalid),
        ("https://256.256.256.256/", UrlError::Ipv4Invalid),
        ("https://[::1/", UrlError::Ipv6Invalid),
        ("https://[1:2:3:4:5:6:7:8:9]/", UrlError::Ipv6Invalid),
        ("https://aliexpress.com:x/", UrlError::PortInvalid),
        ("https://aliexpress.com:65536/", UrlError::PortOutOfRange),
    ] {
        assert_eq!(web(input), Some(want), "{input}");
        assert!(UrlError::CODES.contains(&want.code()), "{want:?}");
    }
    assert_eq!(
        parse("https://[0:0:0:0:0:ffff:7f00:1]/", None).map(|u| u.host().to_owned()),
        Ok("[::ffff:7f00:1]".to_owned())
    );
}

/// What the `url` crate makes of `input` (against `base`), when it is an http(s) URL.
fn reference(input: &str, base: Option<&str>) -> Option<String> {
    let url = match base {
        Some(base) => url::Url::parse(base).ok()?.join(input).ok()?,
        None => url::Url::parse(input).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

fn ours(input: &str, base: Option<&str>) -> Option<String> {
    let base = match base {
        Some(base) => Some(parse(base, None).ok()?),
        None => None,
    };
    parse(input, base.as_ref())
        .ok()
        .map(|url| url.as_str().to_owned())
}

/// Equal, but for the deliberate differences ([`DIFFERENCES`]): a punycode label is kept as
/// written here, where `url` decodes it (and refuses an invalid one).
fn same(ours: Option<String>, theirs: Option<String>) -> bool {
    match (&ours, &theirs) {
        (Some(a), None) if a.contains("xn--") => true,
        _ => ours == theirs,
    }
}

/// The `url` crate refuses to resolve `///host/...` against an http(s) base, which browsers
/// (and the standard, and this parser) read as `//host/...`: no reference for those.
fn no_reference(input: &str, base: Option<&str>) -> bool {
    let cleaned: String = input
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    base.is_some()
        && cleaned
            .chars()
            .take(3)
            .filter(|c| *c == '/' || *c == '\\')
            .count()
            == 3
}

fn check(input: &str, base: Option<&str>) {
    if no_reference(input, base) {
        return;
    }
    let (a, b) = (ours(input, base), reference(input, base));
    assert!(
        same(a.clone(), b.clone()),
        "{input:?} on {base:?}: ours {a:?}, url {b:?}"
    );
}

const BASES: [&str; 5] = [
    "https://www.aliexpress.com/w/wholesale-earbuds.html?SearchText=earbuds",
    "https://www.aliexpress.com/",
    "http://aliexpress.ru/item/1.html?x#y",
    "https://user:pw@es.aliexpress.com:8443/a/b/c",
    "https://www.aliexpress.com/a/b/",
];

#[test]
fn table() {
    for input in [
        "https://www.aliexpress.com/item/1.html",
        "HTTPS://WWW.AliExpress.COM./a/../item/1005001.html?x=1",
        "https://user:p@ss@aliexpress.com:443/x?q='a b'#f g",
        "https://aliexpress.com:8080",
        "https://aliexpress.com:65536/",
        "https://aliexpress.com:0443/",
        "https://aliexpress.com:x/",
        "http://aliexpress.com:80/",
        "https:aliexpress.com/item/1.html",
        "https:\\\\aliexpress.com\\item\\1.html",
        "https:///aliexpress.com/x",
        "https://",
        "https://@/",
        "https://@aliexpress.com/",
        "https://%61liexpress.com/",
        "https://%C3%A9.com/",
        "https://é.com/",
        "https://xn--aliexpress-abc.com/",
        "https://xn--e1afmkfd.xn--p1ai/",
        "https://a..b/",
        "https://./",
        "https://1.2.3.4/",
        "https://0x7f.1/",
        "https://1.2.3.4.5/",
        "https://256.1/",
        "https://aliexpress.com.123/",
        "https://aliexpress.com.0x/",
        "https://[::1]/",
        "https://[::1/",
        "https://a b.com/",
        "https://a*b.com/",
        "https://a_b.com/",
        "https://a^b.com/",
        "https://a|b.com/",
        "https://a%25b.com/",
        "https://a%2fb.com/",
        "https://aliexpress.com/a/%2e%2E/item/1.html",
        "https://aliexpress.com/a/./b/.",
        "https://aliexpress.com/a/b/..",
        "https://aliexpress.com/é/{x}`<>\"^|?é=é&'#é",
        "https://aliexpress.com/\u{7f}\u{1}?\u{7f}",
        "  https://aliexpress.com/\tx\ny  ",
        "ftp://aliexpress.com/",
        "javascript:alert(1)",
        "mailto:a@aliexpress.com",
        "/item/1005001.html",
        "",
    ] {
        check(input, None);
        for base in BASES {
            check(input, Some(base));
        }
    }
    for input in [
        "/item/1.html",
        "//www.aliexpress.com/item/2.html",
        "item/3.html",
        "./item/4.html",
        "../item/5.html",
        "../../../../item/6.html",
        "?page=2",
        "#reviews",
        "",
        "https:item/7.html",
        "http:item/8.html",
        "https:/item/9.html",
        "https:\\item/10.html",
        "/\\evil.example/item/11.html",
        "\\\\evil.example/item/12.html",
        "///www.aliexpress.com/item/13.html",
        ".",
        "..",
        "a/..",
        "a/.",
    ] {
        for base in BASES {
            check(input, Some(base));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6000, ..ProptestConfig::default() })]

    #[test]
    fn parses_as_the_url_crate_does(input in href()) {
        let (a, b) = (ours(&input, None), reference(&input, None));
        prop_assert!(same(a.clone(), b.clone()), "{:?}: ours {:?}, url {:?}", input, a, b);
    }

    #[test]
    fn resolves_as_the_url_crate_does(input in href(), base in prop::sample::select(BASES.to_vec())) {
        prop_assume!(!no_reference(&input, Some(base)));
        let (a, b) = (ours(&input, Some(base)), reference(&input, Some(base)));
        prop_assert!(same(a.clone(), b.clone()), "{:?} on {}: ours {:?}, url {:?}", input, base, a, b);
    }

    #[test]
    fn any_text_parses_as_the_url_crate_parses_it(input in "\\PC{0,40}|.{0,40}") {
        let (a, b) = (ours(&input, None), reference(&input, None));
        prop_assert!(same(a.clone(), b.clone()), "{:?}: ours {:?}, url {:?}", input, a, b);
    }
}
