//! The WHATWG URL parser, for `http` and `https` URLs only: what a browser makes of an href,
//! absolute or against a page's base, as far as the link rules read it (host, path, query).
//!
//! Why not the `url` crate: with its IDNA processing it was about a sixth of the extension's
//! WASM, for the rare href that is not already in serialised form (the fast route in
//! [`crate::link::parts`] takes the rest). This follows the standard's state machine for special
//! schemes and the `url` crate's choices within it (percent-encode sets, dot segments); hosts are
//! ASCII only, as they were with `idna_adapter` held at 1.0 (a non-ASCII host is refused).
//! Property tests hold it to the `url` crate, with one difference: a punycode label (`xn--...`)
//! is taken as it is written, where `url` decodes it and refuses one that is not valid punycode.
//! No AliExpress host has such a label, and the fast route never took them.

use std::ops::Range;

/// A parsed `http` or `https` URL, serialised, with where its parts lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebUrl {
    text: String,
    https: bool,
    /// Where `//` ends and the host starts (after any user info).
    host: Range<usize>,
    path_start: usize,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

/// Bytes percent-encoded in each part, beyond controls, space and non-ASCII (the `url` crate's
/// sets).
const FRAGMENT: &[u8] = b"\"<>`";
const PATH: &[u8] = b"\"<>`#?{}";
const USERINFO: &[u8] = b"\"<>`#?{}/:;=@[\\]^|";
const QUERY: &[u8] = b"\"#<>'";

impl WebUrl {
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    pub(crate) fn scheme(&self) -> &str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }

    pub(crate) fn host(&self) -> &str {
        self.text.get(self.host.clone()).unwrap_or_default()
    }

    pub(crate) fn path(&self) -> &str {
        let end = self
            .query_start
            .or(self.fragment_start)
            .unwrap_or(self.text.len());
        self.text.get(self.path_start..end).unwrap_or_default()
    }

    pub(crate) fn query(&self) -> Option<&str> {
        let start = self.query_start?;
        let end = self.fragment_start.unwrap_or(self.text.len());
        self.text.get(start + 1..end)
    }

    /// Scheme, user info, host and port: everything before the path.
    pub(crate) fn before_path(&self) -> &str {
        self.text.get(..self.path_start).unwrap_or_default()
    }

    /// The path's segments, for resolving against.
    fn segments(&self) -> Vec<String> {
        let path = self.path();
        path.strip_prefix('/')
            .unwrap_or(path)
            .split('/')
            .map(str::to_owned)
            .collect()
    }
}

/// `input` parsed as an `http(s)` URL, against `base` when it is relative; `None` when it is
/// not a URL, or another scheme's.
pub(crate) fn parse(input: &str, base: Option<&WebUrl>) -> Option<WebUrl> {
    // Leading and trailing C0 controls and spaces go, and tabs and newlines anywhere.
    let input: String = input
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme_of(&input) {
        Some((scheme, rest)) => {
            let https = match scheme.as_str() {
                "https" => true,
                "http" => false,
                _ => return None,
            };
            match base.filter(|b| b.https == https) {
                // The base's own scheme: `https:path` is relative to it, `https://` is not.
                Some(base) if !rest.starts_with("//") => relative(rest, base),
                _ => authority(https, rest.trim_start_matches(['/', '\\'])),
            }
        }
        None => relative(&input, base?),
    }
}

/// The scheme, lower-case, and what follows its `:`, if the input starts with one.
fn scheme_of(input: &str) -> Option<(String, &str)> {
    let end = input.find(':')?;
    let scheme = input.get(..end)?;
    let mut bytes = scheme.bytes();
    let shaped = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    shaped.then(|| {
        (
            scheme.to_ascii_lowercase(),
            input.get(end + 1..).unwrap_or_default(),
        )
    })
}

fn is_slash(c: char) -> bool {
    c == '/' || c == '\\'
}

/// A relative reference against `base`.
fn relative(input: &str, base: &WebUrl) -> Option<WebUrl> {
    let mut chars = input.chars();
    match chars.next() {
        Some(c) if is_slash(c) => {
            let rest = chars.as_str();
            if rest.starts_with(is_slash) {
                authority(base.https, rest.trim_start_matches(['/', '\\']))
            } else {
                // Same host, a path from the root.
                build(base.https, base.before_path(), Vec::new(), rest, true)
            }
        }
        None => {
            // The base itself, without its fragment.
            let end = base.fragment_start.unwrap_or(base.text.len());
            let mut url = base.clone();
            url.text.truncate(end);
            url.fragment_start = None;
            Some(url)
        }
        Some('?') => {
            let mut url = base.clone();
            url.text.truncate(
                base.query_start
                    .or(base.fragment_start)
                    .unwrap_or(base.text.len()),
            );
            url.query_start = None;
            url.fragment_start = None;
            finish_query_and_fragment(&mut url, input);
            Some(url)
        }
        Some('#') => {
            let mut url = base.clone();
            url.text
                .truncate(base.fragment_start.unwrap_or(base.text.len()));
            url.fragment_start = None;
            finish_query_and_fragment(&mut url, input);
            Some(url)
        }
        Some(_) => {
            let mut segments = base.segments();
            segments.pop();
            build(base.https, base.before_path(), segments, input, false)
        }
    }
}

/// After the scheme's slashes: user info, host and port, then the rest.
fn authority(https: bool, input: &str) -> Option<WebUrl> {
    let end = input.find(['/', '\\', '?', '#']).unwrap_or(input.len());
    let (authority, rest) = input.split_at_checked(end)?;
    let (userinfo, host_and_port) = match authority.rfind('@') {
        Some(at) => (Some(authority.get(..at)?), authority.get(at + 1..)?),
        None => (None, authority),
    };
    if host_and_port.is_empty() {
        return None;
    }
    // The port follows the last `:` outside brackets.
    let mut in_brackets = false;
    let mut colon = None;
    for (i, c) in host_and_port.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            ':' if !in_brackets => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (host, port) = match colon {
        Some(at) => (host_and_port.get(..at)?, Some(host_and_port.get(at + 1..)?)),
        None => (host_and_port, None),
    };
    let host = parse_host(host)?;
    let port = match port {
        None | Some("") => None,
        Some(digits) => {
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let trimmed = digits.trim_start_matches('0');
            if trimmed.len() > 5 {
                return None;
            }
            let port: u32 = if trimmed.is_empty() {
                0
            } else {
                trimmed.parse().ok()?
            };
            if port > 65_535 {
                return None;
            }
            let default = if https { 443 } else { 80 };
            (port != default).then_some(port)
        }
    };
    let mut prefix = String::from(if https { "https://" } else { "http://" });
    if let Some(userinfo) = userinfo {
        let (username, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        if !username.is_empty() || !password.is_empty() {
            encode_into(&mut prefix, username, USERINFO);
            if !password.is_empty() {
                prefix.push(':');
                encode_into(&mut prefix, password, USERINFO);
            }
            prefix.push('@');
        }
    }
    let host_start = prefix.len();
    prefix.push_str(&host);
    let host_end = prefix.len();
    if let Some(port) = port {
        prefix.push(':');
        prefix.push_str(&port.to_string());
    }
    // The path starts here; a leading slash (or backslash) is its own.
    let rest = rest.strip_prefix(is_slash).unwrap_or(rest);
    let mut url = build(https, &prefix, Vec::new(), rest, true)?;
    url.host = host_start..host_end;
    Some(url)
}

/// The URL of `before_path` (scheme to port), the path `segments` extended by the path in
/// `input`, then its query and fragment.
fn build(
    https: bool,
    before_path: &str,
    mut segments: Vec<String>,
    input: &str,
    from_root: bool,
) -> Option<WebUrl> {
    let end = input.find(['?', '#']).unwrap_or(input.len());
    let (path, rest) = input.split_at_checked(end)?;
    if from_root {
        segments.clear();
    }
    let mut pieces = path.split(is_slash).peekable();
    while let Some(raw) = pieces.next() {
        let last = pieces.peek().is_none();
        let mut segment = String::new();
        encode_into(&mut segment, raw, PATH);
        match segment.to_ascii_lowercase().as_str() {
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                segments.pop();
                if last {
                    segments.push(String::new());
                }
            }
            "." | "%2e" => {
                if last {
                    segments.push(String::new());
                }
            }
            _ => segments.push(segment),
        }
    }
    let mut text = String::from(before_path);
    let host = host_range(&text);
    let path_start = text.len();
    for segment in &segments {
        text.push('/');
        text.push_str(segment);
    }
    let mut url = WebUrl {
        text,
        https,
        host,
        path_start,
        query_start: None,
        fragment_start: None,
    };
    finish_query_and_fragment(&mut url, rest);
    Some(url)
}

/// Where the host lies in a serialised scheme-to-port prefix.
fn host_range(before_path: &str) -> Range<usize> {
    // After `http://` or `https://`.
    let start = if before_path.starts_with("https:") {
        8
    } else {
        7
    };
    let authority = before_path.get(start..).unwrap_or_default();
    let host_start = start + authority.rfind('@').map_or(0, |at| at + 1);
    let host = before_path.get(host_start..).unwrap_or_default();
    let host_len = if host.starts_with('[') {
        host.find(']').map_or(host.len(), |i| i + 1)
    } else {
        host.find(':').unwrap_or(host.len())
    };
    host_start..host_start + host_len
}

/// Appends `?query` and `#fragment` from `input` (which starts with either, or is empty).
fn finish_query_and_fragment(url: &mut WebUrl, input: &str) {
    let (before_fragment, fragment) = match input.find('#') {
        Some(at) => (input.get(..at).unwrap_or_default(), input.get(at + 1..)),
        None => (input, None),
    };
    if let Some(query) = before_fragment.strip_prefix('?') {
        url.query_start = Some(url.text.len());
        url.text.push('?');
        encode_into(&mut url.text, query, QUERY);
    }
    if let Some(fragment) = fragment {
        url.fragment_start = Some(url.text.len());
        url.text.push('#');
        encode_into(&mut url.text, fragment, FRAGMENT);
    }
}

/// Appends `text` with controls, space, non-ASCII and the bytes of `set` percent-encoded.
fn encode_into(out: &mut String, text: &str, set: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for c in text.chars() {
        let plain = c.is_ascii() && c > ' ' && c != '\u{7f}' && !set.contains(&(c as u8));
        if plain {
            out.push(c);
            continue;
        }
        let mut buffer = [0u8; 4];
        for byte in c.encode_utf8(&mut buffer).bytes() {
            out.push('%');
            for nibble in [byte >> 4, byte & 0xF] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

/// A host as the `url` crate (with `idna_adapter` 1.0) parses one: an IPv6 address in brackets,
/// or a domain percent-decoded, ASCII only, lower-cased, without forbidden code points (punycode
/// labels are not decoded), and an IPv4 address when it ends in a number.
fn parse_host(input: &str) -> Option<String> {
    if let Some(inside) = input.strip_prefix('[') {
        let address = inside.strip_suffix(']')?;
        let shaped = address.contains(':')
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return shaped.then(|| input.to_ascii_lowercase());
    }
    let decoded = super::percent::decoded(input, false);
    let domain = String::from_utf8(decoded).ok()?;
    if domain.is_empty() || !domain.is_ascii() {
        return None;
    }
    let domain = domain.to_ascii_lowercase();
    let forbidden = domain.bytes().any(|b| {
        b <= b' '
            || b == 0x7f
            || matches!(
                b,
                b'#' | b'%'
                    | b'/'
                    | b':'
                    | b'<'
                    | b'>'
                    | b'?'
                    | b'@'
                    | b'['
                    | b'\\'
                    | b']'
                    | b'^'
                    | b'|'
            )
    });
    if forbidden {
        return None;
    }
    if ends_in_a_number(&domain) {
        return ipv4(&domain);
    }
    Some(domain)
}

fn ends_in_a_number(domain: &str) -> bool {
    let mut labels = domain.rsplit('.');
    let last = match labels.next() {
        Some("") => match labels.next() {
            Some(last) => last,
            None => return false,
        },
        Some(last) => last,
        None => return false,
    };
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || ipv4_number(last).is_some()
}

/// One part of an IPv4 address: decimal, `0x` hex or `0`-prefixed octal; `Some(None)` when it
/// is a number too large for 32 bits.
fn ipv4_number(text: &str) -> Option<Option<u32>> {
    if text.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        (hex, 16)
    } else if text.len() > 1 && text.starts_with('0') {
        (text.get(1..).unwrap_or_default(), 8)
    } else {
        (text, 10)
    };
    if digits.is_empty() {
        return Some(Some(0));
    }
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(u32::from_str_radix(digits, radix).ok())
}

/// An address that ends in a number, dotted-decimal, or `None` when it is no address.
fn ipv4(domain: &str) -> Option<String> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let numbers = parts
        .iter()
        .map(|part| ipv4_number(part).flatten())
        .collect::<Option<Vec<u32>>>()?;
    let (last, first) = numbers.split_last()?;
    if first.iter().any(|n| *n > 255) {
        return None;
    }
    let room = 8 * (4 - u32::try_from(first.len()).ok()?);
    if room < 32 && *last >= 1 << room {
        return None;
    }
    let mut address = *last;
    for (i, n) in first.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    let [a, b, c, d] = address.to_be_bytes();
    Some(format!("{a}.{b}.{c}.{d}"))
}

#[cfg(test)]
mod tests;
