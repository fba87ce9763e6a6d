//! Content negotiation for the prepared feeds: which encoding a client's `Accept-Encoding`
//! asks for, and whether its `If-None-Match` names the feed it has.

/// The encodings each feed is prepared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// As it is.
    Identity,
    /// gzip.
    Gzip,
    /// Brotli.
    Brotli,
}

impl Encoding {
    /// Every encoding a feed is prepared in.
    pub const ALL: [Self; 3] = [Self::Identity, Self::Gzip, Self::Brotli];

    /// The `Content-Encoding` value (none for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Brotli => Some("br"),
        }
    }

    /// What this encoding's ETag adds to the feed's: a strong validator differs between
    /// representations (RFC 9110, 8.8.3), and a CDN may keep all three.
    pub fn tag_suffix(self) -> &'static str {
        match self {
            Self::Identity => "",
            Self::Gzip => "-gzip",
            Self::Brotli => "-br",
        }
    }
}

/// The most entries of a header read: a client sending more gets the first ones heeded.
const MAX_ENTRIES: usize = 32;

/// The encoding to answer with: the one with the highest `q` among br, gzip and identity,
/// ties going to the smallest (br, then gzip). No header, or nothing usable in it: identity.
pub fn negotiate(accept_encoding: Option<&str>) -> Encoding {
    let Some(header) = accept_encoding else {
        return Encoding::Identity;
    };
    let (mut br, mut gzip, mut identity, mut any) = (None, None, None, None);
    for entry in header.split(',').take(MAX_ENTRIES) {
        let mut parts = entry.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .or_else(|| p.trim().strip_prefix("Q="))
            })
            .find_map(|q| q.trim().parse::<f32>().ok())
            .filter(|q| q.is_finite())
            .unwrap_or(1.0);
        // Codings are case-insensitive; compared in place, as a request allocates nothing here.
        let is = |name: &str| coding.eq_ignore_ascii_case(name);
        let slot = if is("br") {
            &mut br
        } else if is("gzip") || is("x-gzip") {
            &mut gzip
        } else if is("identity") {
            &mut identity
        } else if coding == "*" {
            &mut any
        } else {
            continue;
        };
        slot.get_or_insert(q);
    }
    // Identity is acceptable unless refused by name or by `*;q=0` (and then still served:
    // a 406 would leave the client with nothing).
    let identity = identity.or(any.filter(|q| *q <= 0.0)).unwrap_or(0.001);
    let br = br.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    let mut best = (Encoding::Identity, identity.max(0.0));
    for (encoding, q) in [(Encoding::Gzip, gzip), (Encoding::Brotli, br)] {
        if q > 0.0 && q >= best.1 {
            best = (encoding, q);
        }
    }
    best.0
}

/// Whether `if_none_match` names one of `tags` (quoted ETags) or is `*`. The comparison is
/// weak, as RFC 9110 says for `If-None-Match`: `W/` is ignored.
pub fn none_match_hits(if_none_match: &str, tags: &[&str]) -> bool {
    if_none_match.trim() == "*"
        || if_none_match.split(',').take(MAX_ENTRIES).any(|given| {
            let given = given.trim();
            let given = given.strip_prefix("W/").unwrap_or(given);
            tags.contains(&given)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_encoding_the_client_takes() {
        for (header, want) in [
            (None, Encoding::Identity),
            (Some(""), Encoding::Identity),
            (Some("gzip"), Encoding::Gzip),
            (Some("gzip, deflate, br, zstd"), Encoding::Brotli),
            (Some("br;q=0.5, gzip;q=0.8"), Encoding::Gzip),
            (Some("br;q=0, gzip;q=0"), Encoding::Identity),
            (Some("BR"), Encoding::Brotli),
            (Some("*"), Encoding::Brotli),
            (Some("*;q=0.5, br;q=0"), Encoding::Gzip),
            (Some("identity"), Encoding::Identity),
            (Some("deflate"), Encoding::Identity),
            (Some("gzip;q=nope"), Encoding::Gzip),
            (Some("gzip;q=NaN"), Encoding::Gzip),
        ] {
            assert_eq!(negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tags = ["\"abc\"", "\"abc-gzip\""];
        assert!(none_match_hits("\"abc\"", &tags));
        assert!(none_match_hits("\"x\", W/\"abc-gzip\"", &tags));
        assert!(none_match_hits("*", &tags));
        assert!(!none_match_hits("\"abcd\"", &tags));
        assert!(!none_match_hits("abc", &tags), "unquoted is no tag");
        assert!(!none_match_hits("", &tags));
    }
}
