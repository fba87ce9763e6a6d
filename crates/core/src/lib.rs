//! Smart Shopper's business rules, in pure Rust so they are tested natively and shared by
//! the extension (through `shopper-wasm`), the command line and the companion server.
//!
//! - [`link`]: what a URL found on a page is (AliExpress or not, product, store, search,
//!   already carrying someone's affiliate attribution) and its canonical product URL.
//! - [`affiliate`]: the publisher's affiliate key and how a product link becomes our link.
//! - [`link_request`]: a request for our links (the server's `POST /v1/links`): which URLs
//!   qualify, which an affiliate API link can stand for, the limits.
//! - [`tab_visit`]: what a tab remembers of its visit between page loads (a visit of ours under way).
//! - [`visit`]: stand-down, when a tab was reached through someone else's affiliate link (and
//!   never through ours).
//! - [`policy`]: the shopper's rewrite mode, what it allows on a tab and what the popup says.
//! - [`batch`]: deciding a whole batch of links in one call, without a per-link allocation.
//! - [`coupon`]: which coupons apply to a cart and the combination that saves the most.
//! - [`page`]: what the shopper is looking at (product, cart, checkout) read from a page's facts.
//! - [`money`]: the one currency table and type, amounts in minor units.
//! - [`market`]: a ship-to country and a currency, and which coupons belong in its feed.
//! - [`deals`]: the coupons for a page, as the popup and the badge show them.
//! - [`search`]: a shopper's request in their own words (six languages) as an AliExpress search.
//! - [`events`]: the anonymous usage batch (read strictly, written once) and its daily aggregates.
//! - [`locale`]: the six languages of the extension's interface.
//! - [`shopper_region`]: where a shopper shops (ship-to country and currency), said or guessed.
//! - [`api`]: the companion server's endpoints the extension calls.
//! - [`contract`]: what the JS shell needs of the rules at build time (it cannot ask the WASM).
//! - [`problem`]: every error as a code and parameters a UI words in the shopper's language.

pub mod affiliate;
pub mod api;
pub mod batch;
mod codec;
pub mod contract;
pub mod coupon;
pub mod deals;
pub mod events;
pub mod link;
pub mod link_request;
pub mod locale;
pub mod market;
pub mod money;
pub mod page;
pub mod policy;
pub mod problem;
pub mod search;
pub mod shopper_region;
pub mod tab_visit;
mod text;
pub mod visit;

pub use affiliate::{AffiliateKey, AffiliateLinks, InvalidAffiliateKey};
pub use batch::{decide_batch, BatchSummary};
pub use link::{classify, resolve, BaseUrl, Link, LinkKind, ProductId, Tagging};
pub use policy::{
    decide, HeldBack, LeaveReason, LinkDecision, RewriteMode, TabFacts, TabNote, TabPolicy, TabView,
};
pub use problem::Problem;
pub use visit::{verdict, StandDown, Verdict, Visit};
