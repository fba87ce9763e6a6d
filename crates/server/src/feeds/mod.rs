//! The signed feed of each market, prepared whenever the coupons or rates change or one of a
//! market's coupons expires, never per request: serving is a lookup of bytes made here (the
//! envelope, gzipped and in Brotli) with their strong ETags.

mod encoding;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::HeaderValue;
use serde::Serialize;
use sha2::{Digest, Sha256};
use shopper_core::coupon::{
    parse_feed, write_feed, write_time, Coupon, PublisherSecret, Timestamp,
};
use shopper_core::market::{implied_markets, Market};
use shopper_core::money::Rates;
use utoipa::ToSchema;

pub use encoding::{negotiate, none_match_hits, Encoding};

/// Brotli's quality for feeds: 9 is within a few percent of 11 on a feed's base64 at a
/// fraction of the time (a rebuild of every market stays well under a second per 10,000
/// coupons).
const BROTLI_QUALITY: u32 = 9;
const BROTLI_WINDOW: u32 = 22;

/// One market's feed, ready to serve.
#[derive(Debug)]
pub struct PreparedFeed {
    /// Its market.
    pub market: Market,
    /// The signed envelope.
    pub envelope: Bytes,
    /// The envelope gzipped.
    pub gzip: Bytes,
    /// The envelope in Brotli.
    pub brotli: Bytes,
    /// Its strong ETag in each encoding, in [`Encoding::ALL`]'s order, made with the feed so
    /// that answering one (a 304 most of all) allocates nothing.
    tags: [Tag; 3],
    /// How many coupons it holds.
    pub coupons: usize,
    /// The feed's `generated_at`.
    pub generated_at: Timestamp,
}

/// One ETag: as text (for the list of feeds and `If-None-Match`) and as the header value
/// answers carry, a shared copy of the same bytes.
#[derive(Debug)]
struct Tag {
    text: String,
    header: HeaderValue,
}

impl Tag {
    /// The quoted tag of a feed whose hex digest is `digest`, in `encoding`.
    fn new(digest: &str, encoding: Encoding) -> Self {
        let text = format!("\"{digest}{}\"", encoding.tag_suffix());
        // Quotes, hex digits and a suffix of letters: always a valid header value.
        let header = HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("\"\""));
        Self { text, header }
    }
}

impl PreparedFeed {
    /// The strong ETag of the feed in `encoding`, quoted.
    pub fn etag(&self, encoding: Encoding) -> &str {
        &self.tag(encoding).text
    }

    /// The same ETag as a header value (cloning it shares its bytes).
    pub fn etag_header(&self, encoding: Encoding) -> &HeaderValue {
        &self.tag(encoding).header
    }

    fn tag(&self, encoding: Encoding) -> &Tag {
        let [identity, gzip, brotli] = &self.tags;
        match encoding {
            Encoding::Identity => identity,
            Encoding::Gzip => gzip,
            Encoding::Brotli => brotli,
        }
    }

    /// Its bytes in `encoding`.
    pub fn body(&self, encoding: Encoding) -> &Bytes {
        match encoding {
            Encoding::Identity => &self.envelope,
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.brotli,
        }
    }

    /// Whether `if_none_match` names this feed, in any of its encodings (they are one feed).
    pub fn not_modified(&self, if_none_match: &str) -> bool {
        let tags = self.tags.each_ref().map(|tag| tag.text.as_str());
        none_match_hits(if_none_match, &tags)
    }
}

/// Every market's feed, as built at one revision.
#[derive(Debug, Default)]
pub struct Published {
    /// The feeds by market.
    pub feeds: BTreeMap<Market, Arc<PreparedFeed>>,
    /// The catalog revision they were built from.
    pub revision: i64,
    /// When the next of their coupons expires (the next rebuild that no import causes).
    pub next_expiry: Option<Timestamp>,
}

/// What a build starts from.
pub struct BuildInput<'a> {
    /// The stored coupons that expire after `changed_at` (older ones cannot matter).
    pub coupons: &'a [Coupon],
    /// The day's rates.
    pub rates: &'a Rates,
    /// The markets the configuration names.
    pub configured: &'a [Market],
    /// When the coupons or rates last changed.
    pub changed_at: Timestamp,
    /// The catalog revision.
    pub revision: i64,
    /// The time of the build.
    pub now: Timestamp,
    /// The key feeds are signed with.
    pub secret: &'a PublisherSecret,
}

/// The markets served: those configured, and those the coupons unexpired at the last change
/// name. (From the last change, not from now: every server builds the same markets from the
/// same catalog, whenever it builds.)
pub fn markets(input: &BuildInput<'_>) -> Vec<Market> {
    let mut markets = input.configured.to_vec();
    markets.extend(implied_markets(input.coupons, input.changed_at));
    markets.sort_unstable();
    markets.dedup();
    markets
}

/// Builds every market's feed.
pub fn build(input: &BuildInput<'_>) -> Published {
    let mut published = Published {
        revision: input.revision,
        ..Published::default()
    };
    for market in markets(input) {
        let feed = build_market(market, input);
        published.feeds.insert(market, Arc::new(feed));
        let next = market.next_expiry(input.coupons, input.now);
        published.next_expiry = match (published.next_expiry, next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    published
}

/// One market's feed. Dated from its content alone (the last change, or a later expiry that
/// changed it), so every server writes the same bytes for the same catalog: one ETag behind a
/// load balancer, and a CDN's copy stays valid.
pub fn build_market(market: Market, input: &BuildInput<'_>) -> PreparedFeed {
    let coupons: Vec<&Coupon> = market.coupons(input.coupons, input.now).collect();
    let generated_at = market
        .last_expiry(input.coupons, input.now)
        .map_or(input.changed_at, |expiry| expiry.max(input.changed_at));
    let mut text = write_feed(generated_at, coupons.iter().copied(), input.rates);
    // Nothing is signed that the extension's reader would refuse: the feed is read back first.
    let count = match parse_feed(&text) {
        Ok(feed) if feed.problems.is_empty() => feed.coupons.len(),
        Ok(feed) => {
            for problem in &feed.problems {
                tracing::error!(%market, %problem, "stored coupon left out of the feed");
            }
            text = write_feed(generated_at, &feed.coupons, input.rates);
            feed.coupons.len()
        }
        Err(error) => {
            tracing::error!(%market, %error, "feed unreadable; serving it empty");
            text = write_feed(generated_at, [], input.rates);
            0
        }
    };
    let envelope = input.secret.seal(text.as_bytes()).into_bytes();
    let digest: String = Sha256::digest(&envelope)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    PreparedFeed {
        market,
        gzip: Bytes::from(gzip(&envelope)),
        brotli: Bytes::from(brotli(&envelope)),
        envelope: Bytes::from(envelope),
        tags: Encoding::ALL.map(|encoding| Tag::new(&digest, encoding)),
        coupons: count,
        generated_at,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        let _ = writer.write_all(bytes);
    }
    out
}

/// One market in the list of feeds.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
pub struct MarketEntry {
    /// The market, `COUNTRY-CURRENCY`.
    #[schema(example = "US-USD")]
    pub market: String,
    /// Where its signed feed is, relative to this list.
    #[schema(example = "/v1/feeds/US-USD")]
    pub url: String,
    /// The feed's strong ETag (as served uncompressed).
    pub etag: String,
    /// The envelope's size in bytes, uncompressed.
    pub bytes: usize,
    /// How many coupons it holds.
    pub coupons: usize,
    /// The feed's `generated_at`, RFC 3339.
    pub generated_at: String,
}

/// A publisher key, as the list of feeds names it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
pub struct KeyEntry {
    /// The id envelopes name.
    pub key_id: String,
    /// Its 32 bytes, base64.
    pub public_key: String,
    /// Whether feeds are signed with it now (the others are earlier keys, during a rotation).
    pub current: bool,
}

/// The markets and their feeds.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
pub struct FeedIndex {
    /// Each market served.
    pub markets: Vec<MarketEntry>,
    /// The signing key and any earlier ones. Trust comes from the keys built into the
    /// extension, never from this list.
    pub keys: Vec<KeyEntry>,
}

impl Published {
    /// The list of feeds, each `url` made by `url_of` from its market.
    pub fn index(&self, keys: &[KeyEntry], url_of: impl Fn(&Market) -> String) -> FeedIndex {
        FeedIndex {
            markets: self
                .feeds
                .values()
                .map(|feed| MarketEntry {
                    market: feed.market.to_string(),
                    url: url_of(&feed.market),
                    etag: feed.etag(Encoding::Identity).to_owned(),
                    bytes: feed.envelope.len(),
                    coupons: feed.coupons,
                    generated_at: write_time(feed.generated_at),
                })
                .collect(),
            keys: keys.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests;
