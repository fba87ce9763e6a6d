//! The companion server's endpoints the extension calls, by path: one list, which the server's
//! router mounts and the extension's build is handed (through the contract), so the two never
//! disagree on an address.

/// A market's signed coupon feed: this, then the market (`US-USD`).
pub const FEED_PATH_PREFIX: &str = "/v1/feeds/";
/// Smart Search's products for a request the shopper submitted (POST).
pub const SEARCH_PATH: &str = "/v1/search";
/// Our affiliate links for the product the shopper chose by a click on something of ours (POST).
pub const LINKS_PATH: &str = "/v1/links";
/// Anonymous usage counts, one batch at a time (POST; [`crate::events`]). Not in the contract
/// yet: the extension sends nothing there until analytics consent exists.
pub const EVENTS_PATH: &str = "/v1/events";
