//! Reading a cart from JSON, as pages, the command line and the server describe one:
//! `{"currency", "country", "new_user", "now", "items": [{"product_id", "store_id",
//! "category_ids", "price", "quantity"}]}` with `now` in RFC 3339 and prices in minor units.

use serde::Deserialize;

use super::feed::timestamp;
use super::{Cart, CartItem, Currency, Minor};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCart {
    currency: String,
    country: Option<String>,
    #[serde(default)]
    new_user: bool,
    now: String,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    product_id: Option<String>,
    store_id: Option<String>,
    #[serde(default)]
    category_ids: Vec<String>,
    price: Minor,
    #[serde(default = "one")]
    quantity: u32,
}

fn one() -> u32 {
    1
}

/// Reads a cart, with a reason a person can act on when it is not one.
pub fn parse_cart(json: &str) -> Result<Cart, String> {
    let raw: RawCart = serde_json::from_str(json).map_err(|e| format!("not a cart: {e}"))?;
    let currency = Currency::parse(&raw.currency)
        .ok_or_else(|| format!("currency {:?} is not a known ISO 4217 code", raw.currency))?;
    let country = match raw.country.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            c.as_bytes()
                .try_into()
                .map_err(|_| format!("country {c:?} is not an ISO 3166 alpha-2 code"))?,
        ),
    };
    Ok(Cart {
        currency,
        country,
        new_user: raw.new_user,
        now: timestamp(&raw.now).map_err(|e| format!("now: {e}"))?,
        items: raw
            .items
            .into_iter()
            .map(|i| CartItem {
                product_id: i.product_id,
                store_id: i.store_id,
                category_ids: i.category_ids,
                price: i.price,
                quantity: i.quantity,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cart() {
        let cart = parse_cart(r#"{"currency": "USD", "country": "US", "now": "2026-11-23T00:00:00Z",
            "items": [{"product_id": "1005001234567890", "store_id": "912345", "price": 1299, "quantity": 2}]}"#)
        .expect("cart");
        assert_eq!(cart.total(), 2598);
        assert_eq!(cart.country, Some(*b"US"));
        assert!(!cart.new_user);
        assert!(parse_cart(
            r#"{"currency": "USD", "now": "2026-11-23T00:00:00Z", "items": [{"price": -1}]}"#
        )
        .is_err());
        assert!(parse_cart(
            r#"{"currency": "USD", "now": "2026-11-23T00:00:00Z", "items": [], "extra": 1}"#
        )
        .is_err());
        assert!(
            parse_cart(r#"{"currency": "USDX", "now": "2026-11-23T00:00:00Z", "items": []}"#)
                .is_err()
        );
    }
}
