//! The parser against the `url` crate (with `idna_adapter` 1.0), its reference.

use super::*;
use crate::link::hrefs::href;
use proptest::prelude::*;

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
        Some(base) => Some(parse(base, None)?),
        None => None,
    };
    parse(input, base.as_ref()).map(|url| url.as_str().to_owned())
}

/// Equal, except that IPv6 hosts are only required to be IPv6 hosts on both sides (their
/// normalisation is not reproduced: no such host is ever AliExpress).
fn same(ours: Option<String>, theirs: Option<String>) -> bool {
    match (&ours, &theirs) {
        (Some(a), Some(b)) if a.contains("://[") || b.contains("://[") => {
            a.contains("://[") && b.contains("://[")
        }
        (Some(a), Some(b)) if a.contains("@[") || b.contains("@[") => true,
        // A punycode label is not decoded here (see the module's documentation).
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
