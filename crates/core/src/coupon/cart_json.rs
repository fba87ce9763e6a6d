//! Reading a cart from JSON, as the command line and the server describe one:
//! `{"currency", "country", "new_user", "now", "items": [{"product_id", "store_id",
//! "category_ids", "price", "quantity"}]}` with `now` in RFC 3339 and prices in minor units.
//! Read with the core's own JSON reader; every field is checked, an unknown one refused.

use std::fmt;

use super::checks::clip;
use super::{Cart, CartItem, Currency};
use crate::codec::field::FieldFault;
use crate::codec::json::{JsonError, Next, NumberKind, Position, Reader};
use crate::codec::rfc3339::unix_seconds;
use crate::problem::Problem;
use crate::text::quoted;

/// Why a text is not a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartError {
    /// Not JSON (RFC 8259).
    NotJson(JsonError),
    /// The cart, or one of its items, is not an object.
    NotAnObject(&'static str),
    /// A field no cart or item has (what it was, cut short).
    UnknownField {
        /// The field.
        field: String,
        /// Where its value starts.
        at: Position,
    },
    /// A field given twice, a field a cart or item needs missing, or a field of the wrong type
    /// (a whole number for `price` and `quantity`, a boolean for `new_user`, a list for `items`
    /// and `category_ids`, a string for the others).
    Field(FieldFault),
    /// A currency this build does not know (what it was, cut short).
    UnknownCurrency(String),
    /// A country that is not an ISO 3166 alpha-2 code (what it was, cut short).
    BadCountry(String),
    /// `now` is not an RFC 3339 time (what it was, cut short).
    BadNow(String),
}

/// A cart's [`FieldFault`] codes: twice, missing, wrong type.
const FIELD_CODES: [&str; 3] = [
    "cart_duplicate_field",
    "cart_missing_field",
    "cart_wrong_type",
];

impl CartError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "cart_not_json",
        "cart_not_an_object",
        "cart_unknown_field",
        FIELD_CODES[0],
        FIELD_CODES[1],
        FIELD_CODES[2],
        "cart_unknown_currency",
        "cart_bad_country",
        "cart_bad_now",
    ];
}

impl Problem for CartError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotJson(_) => "cart_not_json",
            Self::NotAnObject(_) => "cart_not_an_object",
            Self::UnknownField { .. } => "cart_unknown_field",
            Self::Field(fault) => fault.code(&FIELD_CODES),
            Self::UnknownCurrency(_) => "cart_unknown_currency",
            Self::BadCountry(_) => "cart_bad_country",
            Self::BadNow(_) => "cart_bad_now",
        }
    }

    fn params(&self) -> Vec<String> {
        let at = |at: &Position| [at.line.to_string(), at.column.to_string()];
        match self {
            Self::NotJson(e) => vec![e.line.to_string(), e.column.to_string()],
            Self::NotAnObject(_) => Vec::new(),
            Self::Field(fault) => fault.params(),
            Self::UnknownField { field, at: where_ } => {
                [vec![field.clone()], at(where_).to_vec()].concat()
            }
            Self::UnknownCurrency(text) | Self::BadCountry(text) | Self::BadNow(text) => {
                vec![text.clone()]
            }
        }
    }
}

impl fmt::Display for CartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a cart: ")?;
        match self {
            Self::NotJson(e) => write!(f, "not JSON: {e}"),
            Self::NotAnObject(what) => write!(f, "the {what} is not an object"),
            Self::UnknownField { field, at } => write!(
                f,
                "unknown field {} (line {}, column {})",
                quoted(field),
                at.line,
                at.column
            ),
            Self::Field(fault) => fault.fmt(f),
            Self::UnknownCurrency(code) => {
                write!(f, "currency {} is not a known ISO 4217 code", quoted(code))
            }
            Self::BadCountry(text) => {
                write!(
                    f,
                    "country {} is not an ISO 3166 alpha-2 code",
                    quoted(text)
                )
            }
            Self::BadNow(text) => write!(f, "now {} is not an RFC 3339 time", quoted(text)),
        }
    }
}

impl std::error::Error for CartError {}

impl From<JsonError> for CartError {
    fn from(error: JsonError) -> Self {
        Self::NotJson(error)
    }
}

/// A cart's fields and an item's, with their bit in the duplicate check.
const CART_FIELDS: [&str; 5] = ["currency", "country", "new_user", "now", "items"];
const ITEM_FIELDS: [&str; 5] = [
    "product_id",
    "store_id",
    "category_ids",
    "price",
    "quantity",
];

/// Reads the next key of an object as one of `fields`: its number and name, once each.
fn field(
    reader: &mut Reader<'_>,
    open: &mut crate::codec::json::Open,
    fields: &[&'static str; 5],
    seen: &mut u32,
) -> Result<Option<(usize, &'static str)>, CartError> {
    let Some(key) = reader.next_key(open)? else {
        return Ok(None);
    };
    // Where its value starts.
    reader.peek()?;
    let at = reader.position_in_text();
    let Some(number) = fields.iter().position(|name| *name == key) else {
        return Err(CartError::UnknownField {
            field: clip(&key, 32),
            at,
        });
    };
    let name = fields.get(number).copied().unwrap_or("");
    if *seen & (1 << number) != 0 {
        return Err(CartError::Field(FieldFault::Twice { field: name, at }));
    }
    *seen |= 1 << number;
    Ok(Some((number, name)))
}

/// The next value as a string, or null as none.
fn optional_string(
    reader: &mut Reader<'_>,
    field: &'static str,
) -> Result<Option<String>, CartError> {
    let next = reader.peek()?;
    let at = reader.position_in_text();
    match next {
        Next::Null => {
            reader.null()?;
            Ok(None)
        }
        Next::String => Ok(Some(reader.string()?.into_owned())),
        _ => Err(CartError::Field(FieldFault::WrongType { field, at })),
    }
}

/// The next value as a whole number that fits `u64`.
fn whole(reader: &mut Reader<'_>, field: &'static str) -> Result<u64, CartError> {
    let next = reader.peek()?;
    let at = reader.position_in_text();
    if next == Next::Number {
        if let NumberKind::PosInt(n) = reader.number()?.kind() {
            return Ok(n);
        }
    }
    Err(CartError::Field(FieldFault::WrongType { field, at }))
}

fn read_item(reader: &mut Reader<'_>) -> Result<CartItem, CartError> {
    if reader.peek()? != Next::Object {
        return Err(CartError::NotAnObject("item"));
    }
    let mut open = reader.begin_object()?;
    let mut seen = 0;
    let mut item = CartItem {
        product_id: None,
        store_id: None,
        category_ids: Vec::new(),
        price: 0,
        quantity: 1,
    };
    let mut price = None;
    while let Some((number, name)) = field(reader, &mut open, &ITEM_FIELDS, &mut seen)? {
        match number {
            0 => item.product_id = optional_string(reader, name)?,
            1 => item.store_id = optional_string(reader, name)?,
            2 => {
                let at = reader.position_in_text();
                if reader.peek()? != Next::Array {
                    return Err(CartError::Field(FieldFault::WrongType { field: name, at }));
                }
                let mut list = reader.begin_array()?;
                while reader.next_element(&mut list)? {
                    let category = optional_string(reader, name)?;
                    item.category_ids.push(
                        category
                            .ok_or(CartError::Field(FieldFault::WrongType { field: name, at }))?,
                    );
                }
            }
            3 => price = Some(whole(reader, name)?),
            _ => {
                let at = reader.position_in_text();
                item.quantity = u32::try_from(whole(reader, name)?)
                    .map_err(|_| CartError::Field(FieldFault::WrongType { field: name, at }))?;
            }
        }
    }
    item.price = price.ok_or(CartError::Field(FieldFault::Missing("price")))?;
    Ok(item)
}

/// Reads a cart, with a reason a person can act on when it is not one.
pub fn parse_cart(json: &str) -> Result<Cart, CartError> {
    let mut reader = Reader::new(json);
    if reader.peek()? != Next::Object {
        reader.skip()?;
        reader.end()?;
        return Err(CartError::NotAnObject("cart"));
    }
    let mut open = reader.begin_object()?;
    let mut seen = 0;
    let (mut currency, mut country, mut new_user, mut now, mut items) =
        (None, None, false, None, None);
    while let Some((number, name)) = field(&mut reader, &mut open, &CART_FIELDS, &mut seen)? {
        match number {
            0 => currency = optional_string(&mut reader, name)?,
            1 => country = optional_string(&mut reader, name)?,
            2 => {
                let at = reader.position_in_text();
                if reader.peek()? != Next::Bool {
                    return Err(CartError::Field(FieldFault::WrongType { field: name, at }));
                }
                new_user = reader.boolean()?;
            }
            3 => now = optional_string(&mut reader, name)?,
            _ => {
                let at = reader.position_in_text();
                if reader.peek()? != Next::Array {
                    return Err(CartError::Field(FieldFault::WrongType { field: name, at }));
                }
                let mut list = reader.begin_array()?;
                let mut read: Vec<CartItem> = Vec::new();
                while reader.next_element(&mut list)? {
                    read.push(read_item(&mut reader)?);
                }
                items = Some(read);
            }
        }
    }
    reader.end()?;
    let currency = currency.ok_or(CartError::Field(FieldFault::Missing("currency")))?;
    let currency =
        Currency::parse(&currency).ok_or_else(|| CartError::UnknownCurrency(clip(&currency, 8)))?;
    let country = match country.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            c.as_bytes()
                .try_into()
                .map_err(|_| CartError::BadCountry(clip(c, 8)))?,
        ),
    };
    let now = now.ok_or(CartError::Field(FieldFault::Missing("now")))?;
    let now = unix_seconds(&now).map_err(|_| CartError::BadNow(clip(&now, 40)))?;
    Ok(Cart {
        currency,
        country,
        new_user,
        now,
        items: items.ok_or(CartError::Field(FieldFault::Missing("items")))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cart() {
        let cart = parse_cart(r#"{"currency": "USD", "country": "US", "now": "2026-11-23T00:00:00Z",
            "items": [{"product_id": "1005001234567890", "store_id": "912345", "category_ids": ["a"], "price": 1299, "quantity": 2},
                      {"product_id": null, "price": 1}]}"#)
        .expect("cart");
        assert_eq!(cart.total(), 2599);
        assert_eq!(cart.country, Some(*b"US"));
        assert_eq!(cart.items[0].category_ids, ["a"]);
        assert_eq!(
            (cart.items[1].quantity, cart.items[1].product_id.as_deref()),
            (1, None)
        );
        assert!(!cart.new_user);
    }

    #[test]
    fn says_why_a_text_is_not_a_cart() {
        let now = r#""now": "2026-11-23T00:00:00Z""#;
        for (text, code) in [
            ("{".to_owned(), "cart_not_json"),
            ("[]".to_owned(), "cart_not_an_object"),
            (
                format!(r#"{{"currency": "USD", {now}, "items": [1]}}"#),
                "cart_not_an_object",
            ),
            (
                format!(r#"{{"currency": "USD", {now}, "items": [{{"price": -1}}]}}"#),
                "cart_wrong_type",
            ),
            (
                format!(r#"{{"currency": "USD", {now}, "items": [{{"price": 1.5}}]}}"#),
                "cart_wrong_type",
            ),
            (
                format!(r#"{{"currency": "USD", {now}, "items": [], "extra": 1}}"#),
                "cart_unknown_field",
            ),
            (
                format!(r#"{{"currency": "USD", "currency": "EUR", {now}, "items": []}}"#),
                "cart_duplicate_field",
            ),
            (
                format!(r#"{{"currency": "USD", {now}, "items": [{{}}]}}"#),
                "cart_missing_field",
            ),
            (
                format!(r#"{{"currency": "USD", {now}}}"#),
                "cart_missing_field",
            ),
            (
                format!(r#"{{"currency": "USDX", {now}, "items": []}}"#),
                "cart_unknown_currency",
            ),
            (
                format!(r#"{{"currency": "USD", "country": "USA", {now}, "items": []}}"#),
                "cart_bad_country",
            ),
            (
                r#"{"currency": "USD", "now": "today", "items": []}"#.to_owned(),
                "cart_bad_now",
            ),
            (
                format!(r#"{{"currency": "USD", "new_user": 1, {now}, "items": []}}"#),
                "cart_wrong_type",
            ),
            (
                format!(r#"{{"currency": "USD", {now}, "items": []}} x"#),
                "cart_not_json",
            ),
        ] {
            let error = parse_cart(&text).expect_err(&text);
            assert_eq!(error.code(), code, "{text}: {error}");
            assert!(CartError::CODES.contains(&error.code()));
        }
    }

    #[test]
    fn names_where_with_the_line_and_column() {
        let error = parse_cart("{\"currency\": \"USD\",\n \"bogus\": 1}").expect_err("unknown");
        assert_eq!(error.params(), ["bogus", "2", "11"]);
        assert_eq!(
            error.to_string(),
            "not a cart: unknown field \"bogus\" (line 2, column 11)"
        );
    }
}
