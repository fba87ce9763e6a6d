//! Splits an href into the host, path and query that the link rules read: a fast scan for the
//! already-normalised URLs that browsers hand us, and the WHATWG parser (`url`) for the rest.
//!
//! Why two paths: `url::Url::parse` costs about 3.5 µs a link in V8 (DESIGN.md), which alone
//! would spend the whole 10 ms budget of a 5,000-link batch. Almost every href a page gives us
//! is already in the form a WHATWG parser would print, so a scan that accepts only that form
//! (lower-case scheme and host, no user info, no port, no dot segments, no bytes the parser
//! would re-encode) yields exactly the parts the parser would. Anything else falls back to the
//! parser. A property test holds the two paths equal wherever the fast one answers.

use std::borrow::Cow;

/// The pieces of an http(s) URL the link rules look at, as a WHATWG parser serialises them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    /// Host, lower-case, with one trailing dot dropped.
    pub host: Cow<'a, str>,
    /// Path, starting with `/`.
    pub path: Cow<'a, str>,
    /// Query without the `?`, if there was one.
    pub query: Option<Cow<'a, str>>,
}

/// The parts of an `http` or `https` URL, or `None` for any other scheme or an unparsable string.
pub(crate) fn parts(href: &str) -> Option<Parts<'_>> {
    fast_parts(href).or_else(|| parsed_parts(href))
}

/// The WHATWG route: correct for every input, and the reference the fast scan must match.
pub(crate) fn parsed_parts(href: &str) -> Option<Parts<'static>> {
    let url = url::Url::parse(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let host = host.strip_suffix('.').unwrap_or(host);
    Some(Parts {
        host: Cow::Owned(host.to_owned()),
        path: Cow::Owned(url.path().to_owned()),
        query: url.query().map(|q| Cow::Owned(q.to_owned())),
    })
}

/// The fast route: answers only for URLs already in serialised WHATWG form, `None` otherwise.
pub(crate) fn fast_parts(href: &str) -> Option<Parts<'_>> {
    let rest = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))?;
    if !rest.bytes().all(is_plain_url_byte) {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let host = plain_host(authority)?;
    let after = after
        .split_once('#')
        .map_or(after, |(before, _fragment)| before);
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after, None),
    };
    if has_dot_segment(path) {
        return None;
    }
    Some(Parts {
        host: Cow::Borrowed(host),
        path: Cow::Borrowed(if path.is_empty() { "/" } else { path }),
        query: query.map(Cow::Borrowed),
    })
}

/// Bytes a WHATWG serialiser leaves untouched everywhere in an http(s) URL. The apostrophe is
/// missing on purpose: the parser percent-encodes it in the query of special URLs.
fn is_plain_url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
                | b'?'
                | b'#'
                | b'%'
        )
}

/// A host the parser would keep as it is: lower-case letters, digits, hyphens and dots,
/// no empty label, no punycode label (the parser validates those), and a last label that
/// does not start with a digit (the parser would try it as an IPv4 address).
fn plain_host(authority: &str) -> Option<&str> {
    let host = authority.strip_suffix('.').unwrap_or(authority);
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return None;
    }
    let mut last = "";
    for label in host.split('.') {
        if label.is_empty() || label.starts_with("xn--") {
            return None;
        }
        last = label;
    }
    if last.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(host)
}

/// Whether the parser would rewrite the path: `.`/`..` segments, in plain or percent-encoded form.
fn has_dot_segment(path: &str) -> bool {
    path.split('/')
        .any(|segment| segment == "." || segment == "..")
        || path
            .as_bytes()
            .windows(3)
            .any(|w| matches!(w, [b'%', b'2', b'e' | b'E']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(p: Parts<'_>) -> (String, String, Option<String>) {
        (
            p.host.into_owned(),
            p.path.into_owned(),
            p.query.map(Cow::into_owned),
        )
    }

    #[test]
    fn fast_route_takes_plain_urls() {
        let p = fast_parts("https://www.aliexpress.com/item/1005001.html?spm=a#x");
        assert_eq!(
            p.map(owned),
            Some((
                "www.aliexpress.com".into(),
                "/item/1005001.html".into(),
                Some("spm=a".into())
            ))
        );
        assert_eq!(
            fast_parts("http://aliexpress.com.").map(owned),
            Some(("aliexpress.com".into(), "/".into(), None))
        );
    }

    #[test]
    fn fast_route_declines_what_the_parser_would_change() {
        for href in [
            "HTTPS://www.aliexpress.com/",
            "https://WWW.aliexpress.com/",
            "https://user@aliexpress.com/",
            "https://aliexpress.com:443/",
            "https://xn--aliexpress-abc.com/",
            "https://aliexpress.com/a/../item/1.html",
            "https://aliexpress.com/a/%2e%2E/item/1.html",
            "https://aliexpress.com\\item",
            "https://1.2.3.4/",
            "https://a..aliexpress.com/",
            "https://aliexpress.com/?q='x'",
            "https:///aliexpress.com",
            " https://aliexpress.com/",
            "javascript:alert(1)",
        ] {
            assert_eq!(fast_parts(href), None, "{href}");
        }
    }

    #[test]
    fn parser_route_normalises() {
        let p = parsed_parts("HTTPS://WWW.AliExpress.COM./a/../item/1005001.html?x=1").map(owned);
        assert_eq!(
            p,
            Some((
                "www.aliexpress.com".into(),
                "/item/1005001.html".into(),
                Some("x=1".into())
            ))
        );
        assert_eq!(parsed_parts("mailto:a@aliexpress.com"), None);
        assert_eq!(parsed_parts("/item/1005001.html"), None);
    }
}
