//! What the shopper is looking at on AliExpress (a product, the cart, the checkout), read from
//! the raw facts the content script collects, and turned into a coupon [`Cart`](crate::coupon::Cart).
//!
//! The content script only reads: strings from structured data, meta tags, the settings cookie,
//! the header and the DOM (`extension/content/page.js`), in the format and within the limits
//! said once in `facts.rs` and handed to it through the shell contract. Every rule that gives
//! them meaning is here: the page's kind, product and store ids (through [`crate::link`]), categories, prices in
//! minor units with their currency, the ship-to country, quantities and selected lines. Real
//! pages change often and come in several layouts, so each fact has several sources tried in
//! order, and whatever is missing shows in [`PageContext::unknown`] rather than as an error.
//! Facts are untrusted: they are read within size limits, and bad input gives a [`PageError`]
//! or a narrower context, never a panic.

mod assemble;
mod context;
mod facts;
mod ids;
mod kind;
mod model;
mod price;
mod region;
mod structured;

use std::fmt;

use crate::problem::Problem;

pub use context::{ItemSources, Note, PageContext, PageItem, PageScope, Source, Unknown};
pub use facts::{limit, COLLECTOR_LIMITS, FACTS_VERSION, MAX_FACTS_BYTES};
pub use kind::PageKind;
pub use region::CountryCode;

pub(crate) use facts::write_format as write_facts_format;
pub(crate) use model::write_format as write_model_format;
pub use model::MODEL_EVENT;
// The promo codes of the affiliate API are read with the page's own price reader.
pub(crate) use price::{normalise_spaces, number_spans, read_price_text, PriceProblem};

/// Why a page's facts gave no context at all: the collector and the Engine disagree, or what
/// arrived is not a page's facts. The shopper is never asked to act on it (the popup simply has
/// no coupons for the page); the worker logs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// More bytes than [`MAX_FACTS_BYTES`].
    TooLarge {
        /// How many were sent.
        bytes: usize,
    },
    /// Not JSON; the JSON reader's reason, for the log (not a parameter: it is English).
    NotJson(String),
    /// JSON, but not an object.
    NotAnObject,
    /// A facts format this build does not read (the collector and the Engine disagree), or none.
    UnsupportedVersion(Option<u64>),
    /// No page URL among the facts.
    NoUrl,
    /// The page is not an AliExpress page.
    NotAliexpress,
}

impl PageError {
    /// Every code a page error can have.
    pub const CODES: &'static [&'static str] = &[
        "page_facts_too_large",
        "page_facts_not_json",
        "page_facts_not_an_object",
        "page_facts_version_missing",
        "page_facts_version_unsupported",
        "page_facts_no_url",
        "page_not_aliexpress",
    ];
}

impl Problem for PageError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "page_facts_too_large",
            Self::NotJson(_) => "page_facts_not_json",
            Self::NotAnObject => "page_facts_not_an_object",
            Self::UnsupportedVersion(None) => "page_facts_version_missing",
            Self::UnsupportedVersion(Some(_)) => "page_facts_version_unsupported",
            Self::NoUrl => "page_facts_no_url",
            Self::NotAliexpress => "page_not_aliexpress",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::TooLarge { bytes } => vec![bytes.to_string(), MAX_FACTS_BYTES.to_string()],
            Self::UnsupportedVersion(None) => vec![FACTS_VERSION.to_string()],
            Self::UnsupportedVersion(Some(v)) => vec![v.to_string(), FACTS_VERSION.to_string()],
            Self::NotJson(_) | Self::NotAnObject | Self::NoUrl | Self::NotAliexpress => Vec::new(),
        }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "page facts refused: {bytes} bytes, more than {MAX_FACTS_BYTES}"
            ),
            Self::NotJson(reason) => write!(f, "page facts refused: not JSON ({reason})"),
            Self::NotAnObject => f.write_str("page facts refused: not a JSON object"),
            Self::UnsupportedVersion(Some(v)) => write!(
                f,
                "page facts refused: version {v}, this build reads {FACTS_VERSION}"
            ),
            Self::UnsupportedVersion(None) => write!(
                f,
                "page facts refused: no version, this build reads {FACTS_VERSION}"
            ),
            Self::NoUrl => f.write_str("page facts refused: no page URL"),
            Self::NotAliexpress => f.write_str("page facts refused: not an AliExpress page"),
        }
    }
}

impl std::error::Error for PageError {}

/// Whether the page at `url` is one whose facts can name coupons: a product, the cart, the
/// checkout or a store. Other pages (search results, the home page) show many products with none
/// chosen, and can hold tens of thousands of links, so their facts are not read as they load.
pub fn facts_worth_reading(url: &str) -> bool {
    kind::kind_of_url(url).is_some_and(|kind| kind != PageKind::Other)
}

/// Reads what a page shows from the content script's facts (a JSON object; its format is
/// described in `facts.rs`, and how the collector finds each fact in `extension/content/page.js`).
pub fn read_page(facts_json: &str) -> Result<PageContext, PageError> {
    let facts = facts::read_facts(facts_json).map_err(|unreadable| match unreadable {
        facts::Unreadable::TooLarge(bytes) => PageError::TooLarge { bytes },
        facts::Unreadable::NotJson(reason) => PageError::NotJson(reason),
        facts::Unreadable::NotAnObject => PageError::NotAnObject,
        facts::Unreadable::Version(v) => PageError::UnsupportedVersion(v),
    })?;
    assemble::understand(&facts)
}

#[cfg(test)]
mod tests;
