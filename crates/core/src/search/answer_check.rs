//! Smart Search's product answer as the extension receives it from the companion server: read
//! and checked before the popup shows one product of it. The server is ours, but what crosses a
//! network is untrusted until read: the answer is bounded in size and count, each product has
//! the fields the popup shows with the types [`super::ProductAnswer::to_json`] writes, and every
//! address it would open or load is `https` (a product's link and its store's page on AliExpress
//! itself). An answer that fails is refused whole, with the reason, so the popup says why it
//! shows no products and opens the AliExpress search instead.
//!
//! Which reader read the request (`read_by`, `rules` or `model`) is checked when the answer
//! says: an answer without it (a server from before the language model) is still shown.

use std::fmt;

use crate::codec::json::{JsonError, Value};
use crate::codec::url;
use crate::link::host::is_aliexpress_host;
use crate::money::Currency;
use crate::problem::Problem;

use super::ReadBy;

/// The largest answer read, in bytes: twenty products with long titles take about 20 KB.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;
/// The most products an answer may carry.
pub const MAX_ANSWER_PRODUCTS: usize = 50;
/// The longest title, address or text of a product, in bytes.
const MAX_TEXT_BYTES: usize = 4096;

/// Why an answer is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerFault {
    /// More bytes than [`MAX_ANSWER_BYTES`] (how many).
    TooLarge(usize),
    /// Not JSON, not an object, without a list of products, or naming a reader that is not
    /// `rules` or `model`.
    Unreadable,
    /// More products than [`MAX_ANSWER_PRODUCTS`] (how many).
    TooManyProducts(usize),
    /// Product `index` (from 0) lacks `field` or has it in another type or form.
    BadProduct {
        /// Its place in the list.
        index: usize,
        /// The field at fault.
        field: &'static str,
    },
}

impl AnswerFault {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "search_answer_too_large",
        "search_answer_unreadable",
        "search_answer_too_many_products",
        "search_answer_bad_product",
    ];
}

impl Problem for AnswerFault {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge(_) => "search_answer_too_large",
            Self::Unreadable => "search_answer_unreadable",
            Self::TooManyProducts(_) => "search_answer_too_many_products",
            Self::BadProduct { .. } => "search_answer_bad_product",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::TooLarge(bytes) => vec![bytes.to_string(), MAX_ANSWER_BYTES.to_string()],
            Self::Unreadable => Vec::new(),
            Self::TooManyProducts(count) => {
                vec![count.to_string(), MAX_ANSWER_PRODUCTS.to_string()]
            }
            Self::BadProduct { index, field } => vec![(index + 1).to_string(), (*field).to_owned()],
        }
    }
}

impl fmt::Display for AnswerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("product answer refused: ")?;
        match self {
            Self::TooLarge(bytes) => write!(f, "{bytes} bytes, over {MAX_ANSWER_BYTES}"),
            Self::Unreadable => f.write_str("not an answer with a list of products"),
            Self::TooManyProducts(count) => {
                write!(f, "{count} products, over {MAX_ANSWER_PRODUCTS}")
            }
            Self::BadProduct { index, field } => {
                write!(f, "product {} has no usable {field}", index + 1)
            }
        }
    }
}

impl std::error::Error for AnswerFault {}

impl From<JsonError> for AnswerFault {
    fn from(_: JsonError) -> Self {
        Self::Unreadable
    }
}

/// Checks a product answer; how many products it carries when the popup may show them all.
pub fn check_product_answer(text: &str) -> Result<usize, AnswerFault> {
    if text.len() > MAX_ANSWER_BYTES {
        return Err(AnswerFault::TooLarge(text.len()));
    }
    let answer = Value::parse(text)?;
    match answer.get("read_by") {
        None => {}
        Some(reader) if reader.as_str().and_then(ReadBy::parse).is_some() => {}
        Some(_) => return Err(AnswerFault::Unreadable),
    }
    let products = answer
        .get("products")
        .and_then(Value::as_array)
        .ok_or(AnswerFault::Unreadable)?;
    if products.len() > MAX_ANSWER_PRODUCTS {
        return Err(AnswerFault::TooManyProducts(products.len()));
    }
    for (index, product) in products.iter().enumerate() {
        check_product(product).map_err(|field| AnswerFault::BadProduct { index, field })?;
    }
    Ok(products.len())
}

/// What is wrong with one product: the first field at fault.
fn check_product(product: &Value<'_>) -> Result<(), &'static str> {
    let text = |field: &'static str| {
        product
            .get(field)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty() && t.len() <= MAX_TEXT_BYTES)
            .ok_or(field)
    };
    // Unknown stays null; a value of another type is a fault.
    let nullable = |field: &'static str, fits: fn(&Value<'_>) -> bool| match product.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(value) if fits(value) => Ok(()),
        Some(_) => Err(field),
    };
    let id = text("id")?;
    if id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err("id");
    }
    text("title")?;
    Currency::parse(text("currency")?).ok_or("currency")?;
    product
        .get("price")
        .and_then(Value::as_u64)
        .ok_or("price")?;
    major_text(text("price_text")?).ok_or("price_text")?;
    nullable("original_price", |v| v.as_u64().is_some())?;
    nullable("original_price_text", |v| {
        v.as_str().and_then(major_text).is_some()
    })?;
    nullable("discount_percent", |v| v.as_u64().is_some_and(|p| p <= 100))?;
    nullable("positive_percent", |v| match v {
        Value::Number(n) => percent_text(&n.to_text()),
        _ => false,
    })?;
    nullable("orders", |v| v.as_u64().is_some())?;
    nullable("free_shipping", |v| v.as_bool().is_some())?;
    nullable("ship_from", |v| v.as_str().is_some_and(|c| c.len() == 2))?;
    nullable("image", |v| v.as_str().is_some_and(|u| https(u, false)))?;
    nullable("store", |v| {
        v.is_object()
            && match v.get("url") {
                None | Some(Value::Null) => true,
                Some(url) => url.as_str().is_some_and(|u| https(u, true)),
            }
    })?;
    if !https(text("link")?, true) {
        return Err("link");
    }
    Ok(())
}

/// An amount in major units as the writer writes it: digits, then a point and digits.
fn major_text(text: &str) -> Option<()> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(fraction) && text.len() <= 24).then_some(())
}

/// A share in percent as the writer writes it (`92.1`, `100`, `0`): from 0 to 100, no sign or
/// exponent. Read without a float parser, which would cost the extension's WASM about 10 KB.
fn percent_text(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let point_ok = !text.contains('.') || !fraction.is_empty();
    let whole_ok =
        point_ok && !whole.is_empty() && whole.len() <= 3 && digits(whole) && digits(fraction);
    let value: u32 = whole.parse().unwrap_or(u32::MAX);
    whole_ok
        && fraction.len() <= 6
        && (value < 100 || (value == 100 && fraction.bytes().all(|b| b == b'0')))
}

/// An `https` address of a bounded length; on AliExpress itself when `aliexpress`.
fn https(address: &str, aliexpress: bool) -> bool {
    if address.len() > MAX_TEXT_BYTES {
        return false;
    }
    match url::parse(address, None) {
        Ok(parsed) => {
            parsed.scheme() == "https" && (!aliexpress || is_aliexpress_host(parsed.host()))
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests;
