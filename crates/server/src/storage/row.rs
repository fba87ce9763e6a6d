//! A coupon as a row of the `coupons` table, the same for every backend: v1's fields in plain
//! columns (lists as JSON text, countries joined by commas, times in seconds).

use shopper_core::coupon::{Coupon, CouponFields, CouponKind, Discount, Timestamp};
use shopper_core::money::{Currency, Rates};

use super::StorageError;

/// The columns of one `coupons` row, in the order of [`CouponRow::COLUMNS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponRow {
    /// `id`.
    pub id: String,
    /// `kind`: store, select or code.
    pub kind: String,
    /// `title`.
    pub title: String,
    /// `code`, for a promo code.
    pub code: Option<String>,
    /// `store_id`, for a store coupon.
    pub store_id: Option<String>,
    /// `product_ids`, a JSON array.
    pub product_ids: String,
    /// `category_ids`, a JSON array.
    pub category_ids: String,
    /// `currency`.
    pub currency: String,
    /// `min_spend`, minor units.
    pub min_spend: i64,
    /// `discount_type`: fixed or percent.
    pub discount_type: String,
    /// `discount_amount`, for a fixed discount.
    pub discount_amount: Option<i64>,
    /// `discount_percent`, for a percentage.
    pub discount_percent: Option<i64>,
    /// `discount_max`, for a capped percentage.
    pub discount_max: Option<i64>,
    /// `countries`, joined by commas.
    pub countries: String,
    /// `starts_at`.
    pub starts_at: i64,
    /// `expires_at`.
    pub expires_at: i64,
    /// `new_users_only`.
    pub new_users_only: bool,
    /// `url`.
    pub url: Option<String>,
}

impl CouponRow {
    /// The columns, in order (then `updated_at`, which the backend writes).
    pub const COLUMNS: [&'static str; 18] = [
        "id",
        "kind",
        "title",
        "code",
        "store_id",
        "product_ids",
        "category_ids",
        "currency",
        "min_spend",
        "discount_type",
        "discount_amount",
        "discount_percent",
        "discount_max",
        "countries",
        "starts_at",
        "expires_at",
        "new_users_only",
        "url",
    ];

    /// The row of a coupon (amounts are bounded by the core's checks far below `i64::MAX`).
    pub fn of(coupon: &Coupon) -> Self {
        let big = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let list = |ids: &[Box<str>]| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let (kind, code, store_id, product_ids, category_ids) = match coupon.kind() {
            CouponKind::Store {
                store_id,
                product_ids,
                category_ids,
            } => (
                "store",
                None,
                Some(store_id.to_owned()),
                list(product_ids),
                list(category_ids),
            ),
            CouponKind::Select => ("select", None, None, "[]".into(), "[]".into()),
            CouponKind::Code { code } => (
                "code",
                Some(code.to_owned()),
                None,
                "[]".into(),
                "[]".into(),
            ),
        };
        let (discount_type, amount, percent, max) = match coupon.discount() {
            Discount::Fixed { amount } => ("fixed", Some(big(amount)), None, None),
            Discount::Percent { percent, max } => {
                ("percent", None, Some(i64::from(percent)), max.map(big))
            }
        };
        let countries: Vec<&str> = coupon
            .countries()
            .iter()
            .map(|c| std::str::from_utf8(c).unwrap_or("??"))
            .collect();
        Self {
            id: coupon.id().to_owned(),
            kind: kind.to_owned(),
            title: coupon.title().to_owned(),
            code,
            store_id,
            product_ids,
            category_ids,
            currency: coupon.currency().as_str().to_owned(),
            min_spend: big(coupon.min_spend()),
            discount_type: discount_type.to_owned(),
            discount_amount: amount,
            discount_percent: percent,
            discount_max: max,
            countries: countries.join(","),
            starts_at: coupon.starts_at(),
            expires_at: coupon.expires_at(),
            new_users_only: coupon.new_users_only(),
            url: coupon.url().map(str::to_owned),
        }
    }

    /// One `coupons` row as either backend returns it: the PostgreSQL backend selects its JSON
    /// lists as text and its percent as a bigint (`postgres::select_list`), so both give these
    /// types, and one reading serves both.
    pub fn read<'r, R>(row: &'r R) -> Result<Self, sqlx::Error>
    where
        R: sqlx::Row,
        &'static str: sqlx::ColumnIndex<R>,
        String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(Self {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            code: row.try_get("code")?,
            store_id: row.try_get("store_id")?,
            product_ids: row.try_get("product_ids")?,
            category_ids: row.try_get("category_ids")?,
            currency: row.try_get("currency")?,
            min_spend: row.try_get("min_spend")?,
            discount_type: row.try_get("discount_type")?,
            discount_amount: row.try_get("discount_amount")?,
            discount_percent: row.try_get("discount_percent")?,
            discount_max: row.try_get("discount_max")?,
            countries: row.try_get("countries")?,
            starts_at: row.try_get("starts_at")?,
            expires_at: row.try_get("expires_at")?,
            new_users_only: row.try_get("new_users_only")?,
            url: row.try_get("url")?,
        })
    }

    /// The coupon this row holds. A row that does not make one is an error naming it (the
    /// feed writer's own check, before signing, is the last word on what a shopper gets).
    pub fn coupon(&self) -> Result<Coupon, StorageError> {
        let bad = |reason: &str| StorageError::BadRow {
            id: self.id.clone(),
            reason: reason.to_owned(),
        };
        let amount = |n: i64| u64::try_from(n).map_err(|_| bad("negative amount"));
        let ids = |text: &str| -> Result<Vec<Box<str>>, StorageError> {
            serde_json::from_str(text).map_err(|_| bad("a list of ids is not a JSON array"))
        };
        let (product_ids, category_ids) = (ids(&self.product_ids)?, ids(&self.category_ids)?);
        let kind = match (self.kind.as_str(), &self.store_id, &self.code) {
            ("store", Some(store_id), _) => CouponKind::Store {
                store_id,
                product_ids: &product_ids,
                category_ids: &category_ids,
            },
            ("select", _, _) => CouponKind::Select,
            ("code", _, Some(code)) => CouponKind::Code { code },
            _ => return Err(bad("unknown kind, or no store id or code")),
        };
        let discount = match (self.discount_type.as_str(), self.discount_amount) {
            ("fixed", Some(off)) => Discount::Fixed {
                amount: amount(off)?,
            },
            ("percent", _) => Discount::Percent {
                percent: self
                    .discount_percent
                    .and_then(|p| u8::try_from(p).ok())
                    .ok_or_else(|| bad("no percent"))?,
                max: self.discount_max.map(amount).transpose()?,
            },
            _ => return Err(bad("unknown discount")),
        };
        let countries = self
            .countries
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                <[u8; 2]>::try_from(c.as_bytes()).map_err(|_| bad("a country is not two letters"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let currency = Currency::parse(&self.currency).ok_or_else(|| bad("unknown currency"))?;
        Ok(Coupon::new(CouponFields {
            id: &self.id,
            kind,
            title: &self.title,
            currency,
            min_spend: amount(self.min_spend)?,
            discount,
            countries: &countries,
            starts_at: self.starts_at as Timestamp,
            expires_at: self.expires_at as Timestamp,
            new_users_only: self.new_users_only,
            url: self.url.as_deref(),
        }))
    }
}

/// The rates of the `exchange_rates` rows `(currency, base, per_base)`, the same for every
/// backend (an unknown code, written by hand or by a newer build, is left out).
pub(super) fn rates_of(rows: Vec<(String, String, f64)>) -> Rates {
    let mut base = None;
    let mut listed = Vec::new();
    for (currency, row_base, per_base) in rows {
        base = base.or(Currency::parse(&row_base));
        if let Some(currency) = Currency::parse(&currency) {
            listed.push((currency, per_base));
        }
    }
    base.map_or_else(Rates::none, |base| Rates::new(base, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_core::coupon::parse_feed;

    #[test]
    fn every_kind_of_coupon_makes_a_row_and_back() {
        let feed = parse_feed(
            r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [
            {"id": "st", "kind": "store", "title": "t", "store_id": "9", "product_ids": ["1", "2"],
             "category_ids": ["c"], "currency": "USD", "min_spend": 2000, "discount": {"type": "fixed", "amount": 300},
             "countries": ["US", "CA"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z",
             "url": "https://www.aliexpress.com/store/9"},
            {"id": "sel", "kind": "select", "title": "t", "currency": "JPY", "min_spend": 0,
             "discount": {"type": "percent", "percent": 15, "max": 1000}, "starts_at": "2026-11-01T00:00:00Z",
             "expires_at": "2026-12-01T00:00:00Z", "new_users_only": true},
            {"id": "code", "kind": "code", "title": "t", "code": "SAVE", "currency": "EUR", "min_spend": 1,
             "discount": {"type": "percent", "percent": 5}, "starts_at": "2026-11-01T00:00:00Z",
             "expires_at": "2026-12-01T00:00:00Z"}]}"#,
        )
        .expect("feed");
        assert!(feed.problems.is_empty(), "{:?}", feed.problems);
        for coupon in &feed.coupons {
            let row = CouponRow::of(coupon);
            assert_eq!(&row.coupon().expect("a coupon"), coupon);
        }
        let mut broken = CouponRow::of(&feed.coupons[0]);
        broken.countries = "USA".into();
        assert!(matches!(broken.coupon(), Err(StorageError::BadRow { .. })));
    }
}
