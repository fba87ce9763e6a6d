//! Smart Shopper's companion server: the coupon source (imports into storage), the signed
//! coupon feed of each market, served as prepared bytes with strong ETags and written as
//! static files a CDN can serve, Smart Search's products and our links from the affiliate API.
//! Every rule (the feed format and its checks, markets, signing, currencies, which links
//! qualify) is `shopper-core`'s; this crate is the shell around it.
//!
//! - [`config`]: the TOML file, `SHOPPER_*` variables and flags, resolved.
//! - [`storage`]: the [`storage::Storage`] trait and its SQLite and PostgreSQL backends, with migrations.
//! - [`import`]: coupons from a feed, a JSON array or CSV, checked by the core.
//! - [`harvest`]: coupons from the promo codes the affiliate API attaches to products.
//! - [`feeds`]: each market's feed built, signed, compressed; content negotiation.
//! - [`publisher`]: keeping the feeds current, and the publish folder.
//! - [`http`]: the router, its limits, the OpenAPI document.
//! - [`search`]: Smart Search's products (the core's parser, plan and filters around the API client).
//! - [`language_model`]: the operator's optional model, reading what the rules do not read fully.
//! - [`links`]: our affiliate links (the core's link rules, the link cache, `link.generate`).
//! - [`affiliate_api`]: the one API client Smart Search and the links share.
//! - [`usage`]: the anonymous usage counts (the core's batch and aggregates), their rate limits
//!   ([`limiter`], in memory) and retention sweep.
//! - [`serve`]: the connection loop.
//! - [`keys`], [`rates`], [`state`], [`clock`], [`cli`]: the rest.

pub mod affiliate_api;
pub mod cli;
pub mod clock;
pub mod config;
pub mod feeds;
pub mod harvest;
pub mod http;
pub mod import;
pub mod keys;
pub mod language_model;
pub mod limiter;
pub mod links;
pub mod publisher;
pub mod rates;
pub mod search;
pub mod serve;
pub mod state;
pub mod storage;
pub mod usage;
