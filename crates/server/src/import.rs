//! `shopper-server coupons import FILE`: a v1 feed, a plain JSON array of v1 coupons, or a CSV
//! file of them, every coupon through the core's own feed reader and checks (so the reasons
//! are those of `shopper feed lint`), then upserted by id in one transaction, or nothing at all.

use std::path::Path;

use serde_json::{Map, Value};
use shopper_core::coupon::{parse_feed, Coupon, FeedError, JsonError};
use shopper_core::Problem;

/// The largest file read (a 100,000-coupon feed is about 40 MB).
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// The CSV columns, each a v1 coupon field (`discount_*` are the discount's; lists are
/// separated by spaces; an empty cell is a field not given): a coupon flattened, as the database
/// stores it, so one list names both.
pub const CSV_COLUMNS: [&str; 18] = crate::storage::CouponRow::COLUMNS;

/// One coupon refused, and why: what `coupons import` (and `coupons harvest`, for a promo code)
/// prints, one JSON line each ([`Refused::line`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refused {
    /// Its position among the file's coupons (or the harvest's promo codes), from 0.
    pub index: usize,
    /// Its line in a CSV file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Its id, when it had one.
    pub id: Option<String>,
    /// The core's stable code for the fault.
    pub code: &'static str,
    /// The reason, as `shopper feed lint` words it.
    pub reason: String,
    /// The market a harvested promo code was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// The product a harvested promo code came with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
}

impl Refused {
    /// The line printed for it: one JSON object.
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A file's coupons, checked.
#[derive(Debug, Default)]
pub struct Checked {
    /// The valid ones, in file order.
    pub coupons: Vec<Coupon>,
    /// The refused ones.
    pub refused: Vec<Refused>,
}

/// Why a file was refused whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// It could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It is larger than [`MAX_IMPORT_BYTES`].
    #[error("{0} bytes is more than the {MAX_IMPORT_BYTES} an import reads")]
    TooLarge(u64),
    /// It is not UTF-8.
    #[error("the file is not UTF-8")]
    NotUtf8,
    /// It is not a v1 feed or a JSON array of coupons.
    #[error("{0}")]
    Feed(FeedError),
    /// It is not CSV with the documented columns.
    #[error("CSV: {0}")]
    Csv(String),
}

/// Reads and checks the file at `path`: CSV when its name ends in `.csv`, JSON otherwise.
pub fn check_file(path: &Path) -> Result<Checked, ImportError> {
    let read_error = |source| ImportError::Read {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge(size));
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        check_csv(&bytes)
    } else {
        check_json(std::str::from_utf8(&bytes).map_err(|_| ImportError::NotUtf8)?)
    }
}

/// The opening a plain array is read inside, a line of its own so that a JSON error's line
/// in the file is one less than in the wrapped text and its column is unchanged.
const WRAP_OPEN: &str = "{\"version\":1,\"generated_at\":\"1970-01-01T00:00:00Z\",\"coupons\":\n";

/// A v1 feed, or a plain array of v1 coupons.
pub fn check_json(text: &str) -> Result<Checked, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('[') {
        return checked(text, |_| None);
    }
    let wrapped = format!("{WRAP_OPEN}{text}\n}}");
    checked(&wrapped, |_| None).map_err(|error| match error {
        ImportError::Feed(FeedError::NotJson(e)) => {
            ImportError::Feed(FeedError::NotJson(JsonError {
                line: e.line.saturating_sub(1).max(1),
                ..e
            }))
        }
        other => other,
    })
}

/// A feed's text through the core's reader; `line` says where a coupon sits in the file.
fn checked(text: &str, line: impl Fn(usize) -> Option<u64>) -> Result<Checked, ImportError> {
    let feed = parse_feed(text).map_err(ImportError::Feed)?;
    let refused = feed
        .problems
        .iter()
        .map(|p| Refused {
            index: p.index,
            line: line(p.index),
            id: p.id.clone(),
            code: p.reason.code(),
            reason: p.reason.to_string(),
            market: None,
            product_id: None,
        })
        .collect();
    Ok(Checked {
        coupons: feed.coupons,
        refused,
    })
}

/// A CSV file with a header of [`CSV_COLUMNS`] (any subset, any order): each row becomes the
/// v1 coupon object it spells, and the lot is read as a feed.
pub fn check_csv(bytes: &[u8]) -> Result<Checked, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let mut columns = Vec::with_capacity(header.len());
    for name in header.iter() {
        let name = name.trim();
        if !CSV_COLUMNS.contains(&name) {
            return Err(ImportError::Csv(format!(
                "unknown column {name:?} (the columns are {})",
                CSV_COLUMNS.join(", ")
            )));
        }
        if columns.contains(&name) {
            return Err(ImportError::Csv(format!("column {name:?} is given twice")));
        }
        columns.push(name);
    }
    let mut coupons = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv(e.to_string()))?;
        lines.push(record.position().map_or(0, csv::Position::line));
        coupons.push(row_object(&columns, &record));
    }
    let feed = serde_json::json!({
        "version": 1,
        "generated_at": "1970-01-01T00:00:00Z",
        "coupons": coupons,
    });
    checked(&feed.to_string(), |index| lines.get(index).copied())
}

/// The v1 coupon object a CSV row spells.
fn row_object(columns: &[&str], record: &csv::StringRecord) -> Value {
    let mut coupon = Map::new();
    let mut discount = Map::new();
    for (name, cell) in columns.iter().zip(record.iter()) {
        if cell.is_empty() {
            continue;
        }
        let value = match *name {
            "product_ids" | "category_ids" | "countries" => Value::Array(
                cell.split_whitespace()
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            ),
            "min_spend" | "discount_amount" | "discount_percent" | "discount_max" => number(cell),
            "new_users_only" => match cell.trim().to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                // Left as text: the core names the field and what it must be.
                _ => Value::String(cell.to_owned()),
            },
            _ => Value::String(cell.to_owned()),
        };
        match name.strip_prefix("discount_") {
            Some("type") => discount.insert("type".into(), value),
            Some("amount") => discount.insert("amount".into(), value),
            Some("percent") => discount.insert("percent".into(), value),
            Some("max") => discount.insert("max".into(), value),
            _ => coupon.insert((*name).to_owned(), value),
        };
    }
    if !discount.is_empty() {
        coupon.insert("discount".into(), Value::Object(discount));
    }
    Value::Object(coupon)
}

/// A cell of digits as a JSON number; anything else as text, which the core refuses by name.
fn number(cell: &str) -> Value {
    let cell = cell.trim();
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = cell.parse::<i64>() {
            return Value::from(n);
        }
    }
    Value::String(cell.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_core::coupon::FieldFault;

    const GOOD: &str = r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "min_spend": 100,
        "discount": {"type": "fixed", "amount": 50}, "starts_at": "2026-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z"}"#;

    #[test]
    fn a_feed_or_a_plain_array() {
        let feed = format!(
            r#"{{"version": 1, "generated_at": "2026-01-01T00:00:00Z", "coupons": [{GOOD}]}}"#
        );
        assert_eq!(check_json(&feed).expect("feed").coupons.len(), 1);
        let array = format!("[{GOOD}, {{\"id\": \"b\"}}]");
        let checked = check_json(&array).expect("array");
        assert_eq!(checked.coupons.len(), 1);
        assert_eq!(checked.refused.len(), 1);
        assert_eq!(checked.refused[0].id.as_deref(), Some("b"));
        assert_eq!(checked.refused[0].code, "coupon_missing_field");
        assert_eq!(checked.refused[0].reason, "missing title");
    }

    #[test]
    fn a_broken_array_says_where_in_the_file() {
        let Err(ImportError::Feed(FeedError::NotJson(e))) = check_json("[\n  {\"id\": x}\n]")
        else {
            unreachable!("not JSON");
        };
        assert_eq!((e.line, e.column), (2, 10));
        assert!(matches!(
            check_json("{}"),
            Err(ImportError::Feed(FeedError::Field(FieldFault::Missing(_))))
        ));
    }

    #[test]
    fn csv_rows_are_coupons_with_the_same_reasons() {
        let csv = "id,kind,title,currency,min_spend,discount_type,discount_amount,countries,starts_at,expires_at,new_users_only\n\
                   a,select,t,USD,100,fixed,50,US CA,2026-01-01T00:00:00Z,2099-01-01T00:00:00Z,false\n\
                   b,select,t,USD,1.5,fixed,50,,2026-01-01T00:00:00Z,2099-01-01T00:00:00Z,\n\
                   c,select,t,USD,,fixed,50,,2026-01-01T00:00:00Z,2099-01-01T00:00:00Z,maybe\n";
        let checked = check_csv(csv.as_bytes()).expect("csv");
        assert_eq!(checked.coupons.len(), 1);
        assert_eq!(checked.coupons[0].countries(), [*b"US", *b"CA"]);
        let refused: Vec<(Option<u64>, &str)> =
            checked.refused.iter().map(|r| (r.line, r.code)).collect();
        assert_eq!(
            refused,
            [
                (Some(3), "coupon_field_not_whole_number"),
                (Some(4), "coupon_field_not_boolean")
            ]
        );
        assert_eq!(
            checked.refused[0].reason,
            "min_spend must be a whole number of minor units"
        );
    }

    #[test]
    fn a_csv_with_unknown_columns_or_ragged_rows_is_refused_whole() {
        assert!(matches!(
            check_csv(b"id,colour\na,red\n"),
            Err(ImportError::Csv(_))
        ));
        assert!(matches!(
            check_csv(b"id,id\na,b\n"),
            Err(ImportError::Csv(_))
        ));
        assert!(matches!(
            check_csv(b"id,kind\na\n"),
            Err(ImportError::Csv(_))
        ));
    }
}
