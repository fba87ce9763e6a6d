//! Hrefs in the shapes pages write, and the tricks that change their meaning: the one input the
//! link parser's and resolver's property tests share.

use proptest::prelude::*;

/// A head (scheme, slashes, whitespace), a host (AliExpress, look-alikes, userinfo, ports, IPs,
/// non-ASCII) and a rest (paths, queries, escapes, anything).
pub(crate) fn href() -> impl Strategy<Value = String> {
    let lit = |items: &[&'static str]| prop::sample::select(items.to_vec()).prop_map(str::to_owned);
    let head = lit(&[
        "",
        "/",
        "//",
        "///",
        "\\",
        "/\\",
        "\\\\",
        "https://",
        "HTTP://",
        "https:",
        "http:/",
        "https:\\\\",
        "javascript:",
        "mailto:",
        "ftp://",
        "?",
        "#",
        "./",
        "../",
        " ",
        "\t",
        "/\t/",
        "\n//",
    ]);
    let host = lit(&[
        "www.aliexpress.com",
        "WWW.AliExpress.COM",
        "WWW.AliExpress.COM.",
        "aliexpress.us",
        "evil.example",
        "a@b.example",
        "u:p@aliexpress.ru",
        "x:1",
        "aliexpress.com:443",
        "aliexpress.com:8080",
        "%61liexpress.com",
        "1.2.3.4",
        "0x7f.0.0.1",
        "xn--80a.com",
        "é.com",
        "[::1]",
        "a_b.com",
        "",
    ]);
    let rest = prop_oneof![
        lit(&[
            "/item/1005001234567890.html",
            "/store/912345",
            "/i/4000123456.html?x=1#f",
            "/a/../item/1.html",
            "/a/%2e%2e/b",
            ""
        ]),
        "[a-z0-9/._?#=&%\\\\ \t'\"<>`{}|^@:-]{0,16}",
        "\\PC{0,8}",
    ];
    (head, host, rest).prop_map(|(h, host, r)| format!("{h}{host}{r}"))
}
