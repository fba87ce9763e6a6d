//! Splits an href into the host, path and query that the link rules read: a fast scan for the
//! already-normalised URLs that browsers hand us, and the WHATWG parser ([`crate::codec::url`]) for
//! the rest.
//!
//! Why two paths: a WHATWG parse costs about 3.5 µs a link in V8 (DESIGN.md, for `url`), which alone
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
    /// Fragment without the `#`, if there was one.
    pub fragment: Option<Cow<'a, str>>,
}

/// The parts of an `http` or `https` URL, or `None` for any other scheme or an unparsable string.
pub(crate) fn parts(href: &str) -> Option<Parts<'_>> {
    fast_parts(href).or_else(|| parsed_parts(href))
}

/// The WHATWG route: correct for every input, and the reference the fast scan must match.
pub(crate) fn parsed_parts(href: &str) -> Option<Parts<'static>> {
    let url = crate::codec::url::parse(href, None).ok()?;
    let host = url.host();
    let host = host.strip_suffix('.').unwrap_or(host);
    Some(Parts {
        host: Cow::Owned(host.to_owned()),
        path: Cow::Owned(url.path().to_owned()),
        query: url.query().map(|q| Cow::Owned(q.to_owned())),
        fragment: url.fragment().map(|f| Cow::Owned(f.to_owned())),
    })
}

/// The fast route: answers only for URLs already in serialised WHATWG form, `None` otherwise.
/// One pass over the bytes finds where the host, path and query end.
pub(crate) fn fast_parts(href: &str) -> Option<Parts<'_>> {
    let rest = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))?;
    let mut authority_end = None;
    let mut query_start = None;
    let mut end = rest.len();
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        // The fragment is scanned on its own: its bytes are left as they are by other rules.
        if b == b'#' {
            end = i;
            break;
        }
        if !PLAIN_URL_BYTES
            .get(usize::from(b))
            .copied()
            .unwrap_or(false)
        {
            return None;
        }
        match b {
            b'/' if authority_end.is_none() => authority_end = Some(i),
            b'?' if query_start.is_none() => {
                authority_end.get_or_insert(i);
                query_start = Some(i);
            }
            _ => {}
        }
    }
    let authority_end = authority_end.unwrap_or(end);
    let host = plain_host(rest.get(..authority_end)?)?;
    let path_end = query_start.unwrap_or(end);
    let path = rest.get(authority_end..path_end)?;
    if has_dot_segment(path) {
        return None;
    }
    let query = match query_start {
        Some(start) => Some(Cow::Borrowed(rest.get(start + 1..end)?)),
        None => None,
    };
    let fragment = match rest.get(end..) {
        Some(hash) if !hash.is_empty() => {
            let fragment = hash.get(1..)?;
            if !fragment.bytes().all(is_plain_fragment_byte) {
                return None;
            }
            Some(Cow::Borrowed(fragment))
        }
        _ => None,
    };
    Some(Parts {
        host: Cow::Borrowed(host),
        path: Cow::Borrowed(if path.is_empty() { "/" } else { path }),
        query,
        fragment,
    })
}

/// Bytes a WHATWG serialiser leaves untouched everywhere in an http(s) URL before the fragment.
/// The apostrophe is missing on purpose: the parser percent-encodes it in the query of special
/// URLs. `#` is missing because the scan stops there.
// A u8 always indexes a 256-entry table, and `get_mut` is not available in a const block.
#[allow(clippy::indexing_slicing)]
const PLAIN_URL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0u8;
    loop {
        table[b as usize] = b.is_ascii_alphanumeric()
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
                    | b'%'
            );
        if b == u8::MAX {
            break;
        }
        b += 1;
    }
    table
};

/// A byte a WHATWG serialiser leaves untouched in a fragment: printable ASCII but the
/// fragment percent-encode set's `"`, `<`, `>` and `` ` ``.
fn is_plain_fragment_byte(b: u8) -> bool {
    (0x21..0x7f).contains(&b) && !matches!(b, b'"' | b'<' | b'>' | b'`')
}

/// A host the parser would keep as it is: lower-case letters, digits, hyphens and dots,
/// no empty label, no punycode label (left to the parser), and a last label that
/// does not start with a digit (the parser would try it as an IPv4 address).
fn plain_host(authority: &str) -> Option<&str> {
    let host = authority.strip_suffix('.').unwrap_or(authority);
    let mut label_start = 0;
    let bytes = host.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if i == label_start {
                return None;
            }
            label_start = i + 1;
        } else if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || (i == label_start + 3 && bytes.get(label_start..=i) == Some(b"xn--"))
        {
            return None;
        }
    }
    match bytes.get(label_start) {
        // Empty host, a trailing empty label, or a last label the parser would read as a number.
        None => None,
        Some(first) if first.is_ascii_digit() => None,
        Some(_) => Some(host),
    }
}

/// Whether the parser would rewrite the path: `.`/`..` segments, in plain or percent-encoded form.
fn has_dot_segment(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'/' => segment_start = i + 1,
            b'%' if matches!(bytes.get(i + 1..i + 3), Some([b'2', b'e' | b'E'])) => return true,
            b'.' => {
                let after = bytes.get(i + 1).copied();
                let dots = i + 1 - segment_start;
                if (dots == 1 || (dots == 2 && bytes.get(segment_start) == Some(&b'.')))
                    && matches!(after, None | Some(b'/'))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
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
    fn fragments() {
        let fragment = |href: &str| fast_parts(href).map(|p| p.fragment.map(Cow::into_owned));
        assert_eq!(
            fragment("https://aliexpress.com/a#x/y?z#w"),
            Some(Some("x/y?z#w".into()))
        );
        assert_eq!(
            fragment("https://aliexpress.com/a#"),
            Some(Some(String::new()))
        );
        assert_eq!(fragment("https://aliexpress.com/a"), Some(None));
        assert_eq!(
            fragment("https://aliexpress.com/a#x y"),
            None,
            "the parser encodes the space"
        );
        assert_eq!(fragment("https://aliexpress.com/a#`"), None);
        assert_eq!(
            parsed_parts("https://aliexpress.com/a#x y")
                .and_then(|p| p.fragment)
                .as_deref(),
            Some("x%20y")
        );
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
