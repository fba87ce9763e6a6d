//! The WHATWG URL parser (<https://url.spec.whatwg.org/>), for `http` and `https` URLs only:
//! what a browser makes of an href, absolute or against a page's base, as far as the link rules
//! read it (host, path, query, fragment).
//!
//! Why not the `url` crate: with its IDNA processing it was about a sixth of the extension's
//! WASM, for the rare href that is not already in serialised form (the fast route in
//! [`crate::link::parts`] takes the rest). This follows the standard's state machine for special
//! schemes; the WHATWG test suite's own cases (`url/urltestdata.json`, from web-platform-tests)
//! run against it, and property tests hold it to the `url` crate.
//!
//! Deliberate differences from the standard, all in the host, all listed with their cases in
//! [`tests`](self) (`DIFFERENCES`):
//! - a host that is not ASCII once percent-decoded is refused ([`UrlError::HostNotAscii`])
//!   instead of being mapped by IDNA (UTS #46) to punycode: every AliExpress host is ASCII, a
//!   look-alike host is not AliExpress either way, and the IDNA tables would cost more WASM than
//!   this whole parser;
//! - for the same reason a punycode label (`xn--...`) is kept as written, where the standard
//!   decodes it and refuses one that is not valid punycode.

use std::fmt;
use std::ops::Range;

use crate::problem::Problem;

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

/// Why a string is not an `http(s)` URL, named after the standard's validation errors where it
/// has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlError {
    /// A URL of another scheme (`mailto:`, `ftp:`, `javascript:`): not one the rules read.
    OtherScheme,
    /// A relative reference without a base to resolve it against
    /// (missing-scheme-non-relative-URL).
    NoBase,
    /// No host where an http(s) URL needs one (host-missing).
    HostMissing,
    /// A code point no host may hold (domain-invalid-code-point, host-invalid-code-point).
    HostInvalidCodePoint,
    /// A host that is not ASCII once percent-decoded (a deliberate difference: see the module).
    HostNotAscii,
    /// A host that ends in a number but is no IPv4 address (IPv4-too-many-parts,
    /// IPv4-non-numeric-part, IPv4-out-of-range-part).
    Ipv4Invalid,
    /// A bracketed host that is no IPv6 address (IPv6-unclosed, IPv6-invalid-code-point, ...).
    Ipv6Invalid,
    /// A port with something other than digits (port-invalid).
    PortInvalid,
    /// A port above 65535 (port-out-of-range).
    PortOutOfRange,
}

impl UrlError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "url_other_scheme",
        "url_no_base",
        "url_host_missing",
        "url_host_invalid_code_point",
        "url_host_not_ascii",
        "url_ipv4_invalid",
        "url_ipv6_invalid",
        "url_port_invalid",
        "url_port_out_of_range",
    ];
}

impl Problem for UrlError {
    fn code(&self) -> &'static str {
        match self {
            Self::OtherScheme => "url_other_scheme",
            Self::NoBase => "url_no_base",
            Self::HostMissing => "url_host_missing",
            Self::HostInvalidCodePoint => "url_host_invalid_code_point",
            Self::HostNotAscii => "url_host_not_ascii",
            Self::Ipv4Invalid => "url_ipv4_invalid",
            Self::Ipv6Invalid => "url_ipv6_invalid",
            Self::PortInvalid => "url_port_invalid",
            Self::PortOutOfRange => "url_port_out_of_range",
        }
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OtherScheme => "not an http or https URL",
            Self::NoBase => "a relative URL without a base",
            Self::HostMissing => "the URL has no host",
            Self::HostInvalidCodePoint => "the host holds a character no host may hold",
            Self::HostNotAscii => "the host is not ASCII",
            Self::Ipv4Invalid => "the host ends in a number but is no IPv4 address",
            Self::Ipv6Invalid => "the bracketed host is no IPv6 address",
            Self::PortInvalid => "the port is not a number",
            Self::PortOutOfRange => "the port is above 65535",
        })
    }
}

impl std::error::Error for UrlError {}

/// Bytes percent-encoded in each part, beyond the C0 controls, space, DEL and non-ASCII (the
/// standard's fragment, path, userinfo and special-query percent-encode sets).
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

    pub(crate) fn fragment(&self) -> Option<&str> {
        self.text.get(self.fragment_start? + 1..)
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

/// `input` parsed as an `http(s)` URL, against `base` when it is relative.
pub(crate) fn parse(input: &str, base: Option<&WebUrl>) -> Result<WebUrl, UrlError> {
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
                _ => return Err(UrlError::OtherScheme),
            };
            match base.filter(|b| b.https == https) {
                // The base's own scheme: `https:path` is relative to it, `https://` is not.
                Some(base) if !rest.starts_with("//") => relative(rest, base),
                _ => authority(https, rest.trim_start_matches(['/', '\\'])),
            }
        }
        None => relative(&input, base.ok_or(UrlError::NoBase)?),
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

/// `text` cut at byte `at`, which a `find` on it returned (a character boundary).
fn cut(text: &str, at: usize) -> (&str, &str) {
    text.split_at_checked(at).unwrap_or((text, ""))
}

/// A relative reference against `base`.
fn relative(input: &str, base: &WebUrl) -> Result<WebUrl, UrlError> {
    let mut chars = input.chars();
    match chars.next() {
        Some(c) if is_slash(c) => {
            let rest = chars.as_str();
            if rest.starts_with(is_slash) {
                authority(base.https, rest.trim_start_matches(['/', '\\']))
            } else {
                // Same host, a path from the root.
                Ok(build(
                    base.https,
                    base.before_path(),
                    Vec::new(),
                    rest,
                    true,
                ))
            }
        }
        None => {
            // The base itself, without its fragment.
            let end = base.fragment_start.unwrap_or(base.text.len());
            let mut url = base.clone();
            url.text.truncate(end);
            url.fragment_start = None;
            Ok(url)
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
            Ok(url)
        }
        Some('#') => {
            let mut url = base.clone();
            url.text
                .truncate(base.fragment_start.unwrap_or(base.text.len()));
            url.fragment_start = None;
            finish_query_and_fragment(&mut url, input);
            Ok(url)
        }
        Some(_) => {
            let mut segments = base.segments();
            segments.pop();
            Ok(build(
                base.https,
                base.before_path(),
                segments,
                input,
                false,
            ))
        }
    }
}

/// After the scheme's slashes: user info, host and port, then the rest.
fn authority(https: bool, input: &str) -> Result<WebUrl, UrlError> {
    let end = input.find(['/', '\\', '?', '#']).unwrap_or(input.len());
    let (authority, rest) = cut(input, end);
    let (userinfo, host_and_port) = match authority.rfind('@') {
        Some(at) => {
            let (userinfo, host) = cut(authority, at);
            (Some(userinfo), host.get(1..).unwrap_or_default())
        }
        None => (None, authority),
    };
    if host_and_port.is_empty() {
        return Err(UrlError::HostMissing);
    }
    // The port follows the first `:` outside brackets.
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
        Some(at) => {
            let (host, port) = cut(host_and_port, at);
            (host, Some(port.get(1..).unwrap_or_default()))
        }
        None => (host_and_port, None),
    };
    let host = parse_host(host)?;
    let port = match port {
        None | Some("") => None,
        Some(digits) => {
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UrlError::PortInvalid);
            }
            let trimmed = digits.trim_start_matches('0');
            if trimmed.len() > 5 {
                return Err(UrlError::PortOutOfRange);
            }
            let port: u32 = if trimmed.is_empty() {
                0
            } else {
                trimmed.parse().map_err(|_| UrlError::PortInvalid)?
            };
            if port > 65_535 {
                return Err(UrlError::PortOutOfRange);
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
    let mut url = build(https, &prefix, Vec::new(), rest, true);
    url.host = host_start..host_end;
    Ok(url)
}

/// The URL of `before_path` (scheme to port), the path `segments` extended by the path in
/// `input`, then its query and fragment.
fn build(
    https: bool,
    before_path: &str,
    mut segments: Vec<String>,
    input: &str,
    from_root: bool,
) -> WebUrl {
    let end = input.find(['?', '#']).unwrap_or(input.len());
    let (path, rest) = cut(input, end);
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
    url
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
        Some(at) => {
            let (before, fragment) = cut(input, at);
            (before, fragment.get(1..))
        }
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

/// Appends `text` with controls, space, DEL, non-ASCII and the bytes of `set` percent-encoded.
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

/// A special URL's host: an IPv6 address in brackets, or a domain percent-decoded, lower-cased
/// and checked for forbidden code points, which is an IPv4 address when it ends in a number.
fn parse_host(input: &str) -> Result<String, UrlError> {
    if let Some(inside) = input.strip_prefix('[') {
        let address = inside.strip_suffix(']').ok_or(UrlError::Ipv6Invalid)?;
        let pieces = ipv6_pieces(address.as_bytes()).ok_or(UrlError::Ipv6Invalid)?;
        return Ok(serialise_ipv6(&pieces));
    }
    let decoded = super::percent::decoded(input, false);
    let domain = String::from_utf8(decoded).map_err(|_| UrlError::HostNotAscii)?;
    if !domain.is_ascii() {
        return Err(UrlError::HostNotAscii);
    }
    if domain.is_empty() {
        return Err(UrlError::HostMissing);
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
        return Err(UrlError::HostInvalidCodePoint);
    }
    if ends_in_a_number(&domain) {
        return ipv4(&domain);
    }
    Ok(domain)
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

/// An address that ends in a number, dotted-decimal.
fn ipv4(domain: &str) -> Result<String, UrlError> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() > 4 {
        return Err(UrlError::Ipv4Invalid);
    }
    let numbers = parts
        .iter()
        .map(|part| ipv4_number(part).flatten())
        .collect::<Option<Vec<u32>>>()
        .ok_or(UrlError::Ipv4Invalid)?;
    let (last, first) = numbers.split_last().ok_or(UrlError::Ipv4Invalid)?;
    if first.iter().any(|n| *n > 255) {
        return Err(UrlError::Ipv4Invalid);
    }
    let room = 8 * (4 - u32::try_from(first.len()).map_err(|_| UrlError::Ipv4Invalid)?);
    if room < 32 && *last >= 1 << room {
        return Err(UrlError::Ipv4Invalid);
    }
    let mut address = *last;
    for (i, n) in first.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    let [a, b, c, d] = address.to_be_bytes();
    Ok(format!("{a}.{b}.{c}.{d}"))
}

/// The standard's IPv6 parser, over the bytes inside the brackets (a valid address is ASCII).
fn ipv6_pieces(input: &[u8]) -> Option<[u16; 8]> {
    let mut address = [0u16; 8];
    let mut piece = 0usize;
    let mut compress: Option<usize> = None;
    let mut at = 0usize;
    let byte = |i: usize| input.get(i).copied();
    if byte(at) == Some(b':') {
        if byte(at + 1) != Some(b':') {
            return None;
        }
        at += 2;
        piece += 1;
        compress = Some(piece);
    }
    while let Some(c) = byte(at) {
        if piece == 8 {
            return None;
        }
        if c == b':' {
            if compress.is_some() {
                return None;
            }
            at += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u16 = 0;
        let mut length = 0;
        while length < 4 {
            let Some(digit) = byte(at).and_then(|b| char::from(b).to_digit(16)) else {
                break;
            };
            value = value * 0x10 + u16::try_from(digit).ok()?;
            at += 1;
            length += 1;
        }
        match byte(at) {
            Some(b'.') => {
                if length == 0 || piece > 6 {
                    return None;
                }
                at -= length;
                let mut numbers_seen = 0;
                while byte(at).is_some() {
                    if numbers_seen > 0 {
                        if byte(at) == Some(b'.') && numbers_seen < 4 {
                            at += 1;
                        } else {
                            return None;
                        }
                    }
                    let mut ipv4_piece: Option<u16> = None;
                    while let Some(digit) = byte(at).filter(u8::is_ascii_digit) {
                        let number = u16::from(digit - b'0');
                        ipv4_piece = match ipv4_piece {
                            None => Some(number),
                            Some(0) => return None,
                            Some(n) => Some(n * 10 + number),
                        };
                        if ipv4_piece > Some(255) {
                            return None;
                        }
                        at += 1;
                    }
                    let ipv4_piece = ipv4_piece?;
                    let slot = address.get_mut(piece)?;
                    *slot = *slot * 0x100 + ipv4_piece;
                    numbers_seen += 1;
                    if numbers_seen == 2 || numbers_seen == 4 {
                        piece += 1;
                    }
                }
                if numbers_seen != 4 {
                    return None;
                }
                break;
            }
            Some(b':') => {
                at += 1;
                byte(at)?;
            }
            Some(_) => return None,
            None => {}
        }
        *address.get_mut(piece)? = value;
        piece += 1;
    }
    match compress {
        Some(compress) => {
            let mut swaps = piece - compress;
            let mut piece = 7;
            while piece != 0 && swaps > 0 {
                address.swap(piece, compress + swaps - 1);
                piece -= 1;
                swaps -= 1;
            }
        }
        None if piece != 8 => return None,
        None => {}
    }
    Some(address)
}

/// The standard's IPv6 serialiser, brackets included: lower-case hex without leading zeros,
/// the first longest run of two or more zero pieces written `::`.
fn serialise_ipv6(address: &[u16; 8]) -> String {
    // The first longest run of two or more zero pieces is written `::`.
    let mut compress = None;
    let (mut best, mut run_start, mut run) = (1, 0, 0);
    for (i, piece) in address.iter().enumerate() {
        if *piece == 0 {
            if run == 0 {
                run_start = i;
            }
            run += 1;
            if run > best {
                best = run;
                compress = Some(run_start);
            }
        } else {
            run = 0;
        }
    }
    let mut out = String::from("[");
    let mut ignore_zero = false;
    for (i, piece) in address.iter().enumerate() {
        if ignore_zero && *piece == 0 {
            continue;
        }
        ignore_zero = false;
        if compress == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            ignore_zero = true;
            continue;
        }
        // Hex by hand: the formatting machinery costs the WASM more than this.
        let mut started = false;
        for shift in [12u16, 8, 4, 0] {
            let nibble = (piece >> shift) & 0xF;
            if started || nibble != 0 || shift == 0 {
                started = true;
                out.push(char::from(
                    b"0123456789abcdef"
                        .get(usize::from(nibble))
                        .copied()
                        .unwrap_or(b'0'),
                ));
            }
        }
        if i != 7 {
            out.push(':');
        }
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests;
