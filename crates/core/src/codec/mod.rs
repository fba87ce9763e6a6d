//! The small readers and writers of the formats that cross the WASM boundary: JSON (RFC 8259),
//! WHATWG URLs, percent-escapes (RFC 3986), base64 (RFC 4648) and RFC 3339 times.
//!
//! Why our own: serde_json, url, percent-encoding, base64 and time cost the extension's WASM
//! about 60 KB gzipped between them, for the few shapes the rules read. Each of those crates
//! stays a dev-dependency, and property tests hold the reader here equal to it.

pub(crate) mod base64;
pub(crate) mod field;
pub(crate) mod json;
pub(crate) mod percent;
pub(crate) mod rfc3339;
pub(crate) mod url;
