//! Promo codes the AliExpress affiliate API attaches to products (`promo_code_info`) turned into
//! v1 coupons of kind `code`, or refused with a typed reason ([`PromoCodeRefusal`]). Nothing is
//! guessed: a `code_value` text that does not read is refused, and so is one that disagrees with
//! the API's own fields.
//!
//! How the terms are read, the same way in every language the API writes them in:
//! - `code_value` ("On order over USD 10, get USD 7 off", "Em pedidos acima de R$ 50, ganhe R$ 10
//!   de desconto", "Скидка 200 руб. при заказе от 1 000 руб.") is read for what it names, not
//!   for its words: each number with the currency written next to it, by the page's own price
//!   reader (the one reader of written amounts, `money::read_written`, and the one table of
//!   currency symbols and codes), and each percentage. A number without a currency counts in the
//!   one currency the text names elsewhere; a shared sign (`$`, `¥`) is settled by the currency
//!   of the product the code came with.
//! - `code_campaigntype` says the shape: `1` an amount off over a threshold, `2` a percentage
//!   off. The text must say the same (an amount or one percentage).
//! - `code_mini_spend` (major units; `0` means no threshold) says which amount is the threshold:
//!   the text's amounts are the threshold, which must equal it, and the discount (or, for a
//!   percentage, its cap). So no per-language grammar decides which number is which, and a text
//!   that names a threshold the API's minimum does not is refused. A text that names only the
//!   discount takes its threshold from `code_mini_spend`. An amount off must be below its
//!   threshold.
//! - Times (`code_availabletime_start`/`_end`) are `YYYY-MM-DD HH:MM:SS` in Pacific time, as the
//!   API's reference says ("PST time"). Whether it means standard or daylight time is not said,
//!   so the coupon is kept within both readings: it starts at the later one (UTC−8) and ends at
//!   the earlier one (UTC−7), the end's second included. A shopper is never shown a code outside
//!   its hours; at worst one hour of it is not shown.
//! - `code_quantity` `0` means none are left: refused. `code_promotionurl` is the coupon's link
//!   when it is an https AliExpress link (`s.click.aliexpress.com`), and left out otherwise.
//! - A code harvested for a market (the `ship_to_country` and `target_currency` it was asked
//!   with) applies in that market's country, and its id is `ae-code-`, the market and the code
//!   (`ae-code-US-USD-GMG20207`, [`promo_code_id`]): the same code from many products is one
//!   coupon, and each market's is its own, so that the terms the API writes in one market's
//!   currency never replace another's. Without a market it applies everywhere
//!   (`ae-code-GMG20207`). Its title is the API's own text. It passes the feed's own checks.
//!
//! A product's `promo_code_info` is read in every shape the API writes it by [`read_promo_codes`].

mod shapes;

use std::fmt;

use super::checks::{check_fields, clip, url_ok, CouponFault};
use super::{Coupon, CouponFields, CouponKind, Discount, Minor, Timestamp};
use crate::codec::rfc3339::unix_seconds;
use crate::market::Market;
use crate::money::{read_plain, read_written, Amount, Currency};
use crate::page::{normalise_spaces, number_spans, read_price_text, PriceProblem};
use crate::problem::Problem;
use crate::text::quoted;

pub use shapes::{read_promo_codes, MAX_PROMO_CODES_PER_PRODUCT};

/// Longest `code_value` read, in bytes: the API's texts are one short sentence.
pub const MAX_PROMO_TEXT: usize = 300;

/// Most numbers a `code_value` may hold: a threshold, a discount and a cap, with one to spare
/// (a text with more says something this reader does not follow).
const MAX_NUMBERS: usize = 4;

/// What a coupon's id starts with, before the market and the code.
pub const PROMO_ID_PREFIX: &str = "ae-code-";

/// The id of the coupon a promo code makes when harvested for `market` (or for none).
pub fn promo_code_id(code: &str, market: Option<Market>) -> String {
    match market {
        Some(market) => format!("{PROMO_ID_PREFIX}{market}-{code}"),
        None => format!("{PROMO_ID_PREFIX}{code}"),
    }
}

/// The `promo_code_info` of a product, as the API gives it: every field a string, any one of
/// them possibly missing. Named as the API names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromoCodeInfo {
    /// What the shopper types at checkout.
    pub promo_code: Option<String>,
    /// `1`: an amount off over a threshold; `2`: a percentage off.
    pub code_campaigntype: Option<String>,
    /// The terms in words ("On order over USD 10, get USD 7 off").
    pub code_value: Option<String>,
    /// The threshold in major units (`"10"`, `"10.00"`); `0` means none.
    pub code_mini_spend: Option<String>,
    /// First moment it applies, `YYYY-MM-DD HH:MM:SS` Pacific time.
    pub code_availabletime_start: Option<String>,
    /// Last moment it applies, `YYYY-MM-DD HH:MM:SS` Pacific time.
    pub code_availabletime_end: Option<String>,
    /// How many are left.
    pub code_quantity: Option<String>,
    /// The product and the code in one affiliate link.
    pub code_promotionurl: Option<String>,
}

/// What the code came with: the product's currency and the market it was asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PromoContext {
    /// The currency of the product's prices: settles a shared sign (`$`, `¥`) in the text, and
    /// is the currency of a percentage code whose text names none and that has no threshold.
    pub currency: Option<Currency>,
    /// The market it was harvested for: the coupon applies in its country and its id names it;
    /// `None`: everywhere.
    pub market: Option<Market>,
}

/// Why a promo code did not become a coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromoCodeRefusal {
    /// A field it needs is missing or empty.
    Missing(&'static str),
    /// `code_campaigntype` is neither `1` nor `2` (what it was, cut short).
    UnknownCampaignType(String),
    /// `code_value` names no amount or percentage this reader follows (what it was, cut short).
    UnreadableValue(String),
    /// The terms name an amount without saying, or settling, its currency.
    NoCurrency,
    /// The terms name two currencies.
    TwoCurrencies,
    /// `code_campaigntype` says one shape and `code_value` the other (the type, cut short).
    KindMismatch(String),
    /// A field is not what its name says: a number, a time (the field, what it was, cut short).
    BadField {
        /// The field.
        field: &'static str,
        /// The text given.
        text: String,
    },
    /// `code_value` names a threshold `code_mini_spend` does not (the minimum, cut short).
    ThresholdMismatch(String),
    /// An amount off that is not below its threshold.
    NotBelowThreshold,
    /// A percentage with decimals (what it was, cut short): a coupon takes whole percents.
    PercentNotWhole(String),
    /// `code_quantity` is zero: none are left.
    UsedUp,
    /// The coupon read from it fails the feed's own checks.
    Invalid(CouponFault),
    /// It had ended when it was harvested (its end, as the feed writes times).
    Expired(String),
    /// Another product gave the same code, for the same market, other terms (the first read is
    /// kept).
    ConflictingTerms,
}

impl PromoCodeRefusal {
    /// Every code its [`Problem`] can have, apart from those of [`CouponFault`], which
    /// [`PromoCodeRefusal::Invalid`] gives as its own.
    pub const CODES: &'static [&'static str] = &[
        "promo_code_missing_field",
        "promo_code_unknown_campaign_type",
        "promo_code_unreadable_value",
        "promo_code_no_currency",
        "promo_code_two_currencies",
        "promo_code_kind_mismatch",
        "promo_code_bad_field",
        "promo_code_threshold_mismatch",
        "promo_code_not_below_threshold",
        "promo_code_percent_not_whole",
        "promo_code_used_up",
        "promo_code_expired",
        "promo_code_conflicting_terms",
    ];
}

impl Problem for PromoCodeRefusal {
    fn code(&self) -> &'static str {
        match self {
            Self::Missing(_) => "promo_code_missing_field",
            Self::UnknownCampaignType(_) => "promo_code_unknown_campaign_type",
            Self::UnreadableValue(_) => "promo_code_unreadable_value",
            Self::NoCurrency => "promo_code_no_currency",
            Self::TwoCurrencies => "promo_code_two_currencies",
            Self::KindMismatch(_) => "promo_code_kind_mismatch",
            Self::BadField { .. } => "promo_code_bad_field",
            Self::ThresholdMismatch(_) => "promo_code_threshold_mismatch",
            Self::NotBelowThreshold => "promo_code_not_below_threshold",
            Self::PercentNotWhole(_) => "promo_code_percent_not_whole",
            Self::UsedUp => "promo_code_used_up",
            Self::Expired(_) => "promo_code_expired",
            Self::ConflictingTerms => "promo_code_conflicting_terms",
            Self::Invalid(fault) => fault.code(),
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::Missing(field) => vec![(*field).to_owned()],
            Self::UnknownCampaignType(text)
            | Self::UnreadableValue(text)
            | Self::KindMismatch(text)
            | Self::ThresholdMismatch(text)
            | Self::PercentNotWhole(text)
            | Self::Expired(text) => vec![text.clone()],
            Self::BadField { field, text } => vec![(*field).to_owned(), text.clone()],
            Self::NoCurrency
            | Self::TwoCurrencies
            | Self::NotBelowThreshold
            | Self::UsedUp
            | Self::ConflictingTerms => Vec::new(),
            Self::Invalid(fault) => fault.params(),
        }
    }
}

impl fmt::Display for PromoCodeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("promo code refused: ")?;
        match self {
            Self::Missing(field) => write!(f, "{field} is missing"),
            Self::UnknownCampaignType(text) => {
                write!(f, "code_campaigntype {} is neither 1 nor 2", quoted(text))
            }
            Self::UnreadableValue(text) => write!(
                f,
                "code_value {} names no amount or percentage that reads",
                quoted(text)
            ),
            Self::NoCurrency => f.write_str("its terms do not say which currency"),
            Self::TwoCurrencies => f.write_str("its terms name two currencies"),
            Self::KindMismatch(kind) => write!(
                f,
                "code_campaigntype {} and code_value disagree on the kind of discount",
                quoted(kind)
            ),
            Self::BadField { field, text } => write!(f, "{field}: {} does not read", quoted(text)),
            Self::ThresholdMismatch(min) => write!(
                f,
                "code_value names a threshold other than code_mini_spend {}",
                quoted(min)
            ),
            Self::NotBelowThreshold => f.write_str("its amount off is not below its threshold"),
            Self::PercentNotWhole(text) => write!(f, "{} is not a whole percentage", quoted(text)),
            Self::UsedUp => f.write_str("none are left"),
            Self::Expired(end) => write!(f, "it ended at {end}"),
            Self::ConflictingTerms => {
                f.write_str("another product gave the same code other terms in this market")
            }
            Self::Invalid(fault) => write!(f, "{fault}"),
        }
    }
}

impl std::error::Error for PromoCodeRefusal {}

impl From<CouponFault> for PromoCodeRefusal {
    fn from(fault: CouponFault) -> Self {
        Self::Invalid(fault)
    }
}

/// What `code_value` names: its amounts (in the one currency it names, if any) and percentages.
#[derive(Debug, Default)]
pub(crate) struct Terms {
    pub amounts: Vec<Amount>,
    pub percents: Vec<u64>,
    pub currency: Option<Currency>,
}

/// The shape `code_campaigntype` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    AmountOff,
    PercentOff,
}

/// The coupon a promo code of the API makes, or why it makes none.
pub fn promo_code_coupon(
    info: &PromoCodeInfo,
    context: &PromoContext,
) -> Result<Coupon, PromoCodeRefusal> {
    let code = required(&info.promo_code, "promo_code")?;
    let kind = required(&info.code_campaigntype, "code_campaigntype")?;
    let shape = match kind {
        "1" => Shape::AmountOff,
        "2" => Shape::PercentOff,
        other => return Err(PromoCodeRefusal::UnknownCampaignType(clip(other, 16))),
    };
    let value = required(&info.code_value, "code_value")?;
    let title = normalise_spaces(value);
    let terms = read_terms(&title, context.currency)?;
    let said = if terms.percents.is_empty() {
        Shape::AmountOff
    } else {
        Shape::PercentOff
    };
    if said != shape {
        return Err(PromoCodeRefusal::KindMismatch(clip(kind, 16)));
    }
    let min_text = required(&info.code_mini_spend, "code_mini_spend")?;
    let min_amount = read_plain(min_text).map_err(|_| bad("code_mini_spend", min_text))?;
    let currency = match (terms.currency, shape, terms.amounts.is_empty()) {
        (Some(currency), _, _) => currency,
        // A percentage over nothing names no money: the product's currency is its own.
        (None, Shape::PercentOff, true) if is_zero(min_amount) => {
            context.currency.ok_or(PromoCodeRefusal::NoCurrency)?
        }
        _ => return Err(PromoCodeRefusal::NoCurrency),
    };
    let min_spend = if is_zero(min_amount) {
        0
    } else {
        min_amount
            .minor(currency)
            .map_err(|_| bad("code_mini_spend", min_text))?
    };
    let amounts = terms
        .amounts
        .iter()
        .map(|amount| amount.minor(currency))
        .collect::<Result<Vec<Minor>, _>>()
        .map_err(|_| PromoCodeRefusal::UnreadableValue(clip(&title, 64)))?;
    let discount = discount(shape, &amounts, min_spend, &terms, min_text, &title)?;
    if let Some(quantity) = present(&info.code_quantity) {
        let left: u64 = quantity
            .parse()
            .map_err(|_| bad("code_quantity", quantity))?;
        if left == 0 {
            return Err(PromoCodeRefusal::UsedUp);
        }
    }
    let starts_at = pacific_time(
        &info.code_availabletime_start,
        "code_availabletime_start",
        8,
    )?;
    // The end is the last second it applies: the coupon's end is the second after.
    let expires_at =
        pacific_time(&info.code_availabletime_end, "code_availabletime_end", 7)?.saturating_add(1);
    let url = present(&info.code_promotionurl).filter(|url| url_ok(url));
    let id = promo_code_id(code, context.market);
    let countries = context.market.map(|m| [m.country_code()]);
    let fields = CouponFields {
        id: &id,
        kind: CouponKind::Code { code },
        title: &title,
        currency,
        min_spend,
        discount,
        countries: countries.as_ref().map_or(&[], |c| c.as_slice()),
        starts_at,
        expires_at,
        new_users_only: false,
        url,
    };
    check_fields(&fields, false)?;
    Ok(Coupon::new(fields))
}

/// The discount of a code of `shape` whose text names `amounts` (minor units) over a threshold
/// of `min_spend`: the amount that is not the threshold is the amount off, or a percentage's cap.
fn discount(
    shape: Shape,
    amounts: &[Minor],
    min_spend: Minor,
    terms: &Terms,
    min_text: &str,
    title: &str,
) -> Result<Discount, PromoCodeRefusal> {
    let mismatch = || PromoCodeRefusal::ThresholdMismatch(clip(min_text, 16));
    // Of two amounts, the one that is not the threshold (which must be one of them).
    let not_threshold = |a: Minor, b: Minor| match min_spend {
        0 => Err(mismatch()),
        min if a == min => Ok(b),
        min if b == min => Ok(a),
        _ => Err(mismatch()),
    };
    match shape {
        Shape::AmountOff => {
            let amount = match *amounts {
                // Only the amount off: the threshold is code_mini_spend's (or none).
                [only] => only,
                [a, b] => not_threshold(a, b)?,
                _ => return Err(PromoCodeRefusal::UnreadableValue(clip(title, 64))),
            };
            if min_spend > 0 && amount >= min_spend {
                return Err(PromoCodeRefusal::NotBelowThreshold);
            }
            Ok(Discount::Fixed { amount })
        }
        Shape::PercentOff => {
            let max = match *amounts {
                [] => None,
                // One amount with a percentage is its threshold, never a cap read by guess.
                [only] if min_spend > 0 && only == min_spend => None,
                [_] => return Err(mismatch()),
                [a, b] => Some(not_threshold(a, b)?),
                _ => return Err(PromoCodeRefusal::UnreadableValue(clip(title, 64))),
            };
            let percent = terms.percents.first().copied().unwrap_or(0);
            let percent = u8::try_from(percent).map_err(|_| {
                CouponFault::PercentOutOfRange(i64::try_from(percent).unwrap_or(i64::MAX))
            })?;
            Ok(Discount::Percent { percent, max })
        }
    }
}

/// A field's text, trimmed, when it has any.
fn present(field: &Option<String>) -> Option<&str> {
    field
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn required<'a>(
    field: &'a Option<String>,
    name: &'static str,
) -> Result<&'a str, PromoCodeRefusal> {
    present(field).ok_or(PromoCodeRefusal::Missing(name))
}

fn bad(field: &'static str, text: &str) -> PromoCodeRefusal {
    PromoCodeRefusal::BadField {
        field,
        text: clip(text, 32),
    }
}

fn is_zero(amount: Amount) -> bool {
    amount.whole() == Some(0)
}

/// Seconds since the epoch of `YYYY-MM-DD HH:MM:SS` read at `hours_behind` hours behind UTC
/// (the API's Pacific time), through the one RFC 3339 reader.
fn pacific_time(
    field: &Option<String>,
    name: &'static str,
    hours_behind: u8,
) -> Result<Timestamp, PromoCodeRefusal> {
    let text = required(field, name)?;
    let bytes = text.as_bytes();
    if bytes.len() != 19 || bytes.get(10) != Some(&b' ') {
        return Err(bad(name, text));
    }
    unix_seconds(&format!("{text}-0{hours_behind}:00")).map_err(|_| bad(name, text))
}

/// The amounts and percentages `text` (spaces normalised) names, and its one currency.
pub(crate) fn read_terms(text: &str, hint: Option<Currency>) -> Result<Terms, PromoCodeRefusal> {
    let unreadable = || PromoCodeRefusal::UnreadableValue(clip(text, 64));
    if text.len() > MAX_PROMO_TEXT {
        return Err(unreadable());
    }
    let spans = number_spans(text, MAX_NUMBERS + 1);
    if spans.is_empty() || spans.len() > MAX_NUMBERS {
        return Err(unreadable());
    }
    let mut terms = Terms::default();
    let mut bare: Vec<Amount> = Vec::new();
    let mut currencies: Vec<Currency> = Vec::new();
    for (i, &(start, end)) in spans.iter().enumerate() {
        let previous_end = i
            .checked_sub(1)
            .and_then(|p| spans.get(p))
            .map_or(0, |s| s.1);
        let next_start = spans.get(i + 1).map_or(text.len(), |s| s.0);
        let before = text.get(previous_end..start).unwrap_or("");
        let after = text.get(end..next_start).unwrap_or("");
        let number = text.get(start..end).unwrap_or("");
        if after.trim_start().starts_with(['%', '％']) {
            let amount = read_written(number).map_err(|_| unreadable())?;
            let percent = amount
                .whole()
                .ok_or_else(|| PromoCodeRefusal::PercentNotWhole(clip(number, 16)))?;
            terms.percents.push(percent);
            continue;
        }
        let window = format!("{}{number}{}", word_before(before), word_after(after));
        let price = read_price_text(&window, hint).map_err(|problem| match problem {
            PriceProblem::TwoCurrencies => PromoCodeRefusal::TwoCurrencies,
            _ => unreadable(),
        })?;
        match (price.currency, price.marked) {
            (Some(currency), _) => {
                currencies.push(currency);
                terms.amounts.push(price.amount);
            }
            // A shared sign the product's currency does not settle.
            (None, true) => return Err(PromoCodeRefusal::NoCurrency),
            (None, false) => bare.push(price.amount),
        }
    }
    currencies.dedup();
    match currencies.as_slice() {
        [] => {}
        [one] => terms.currency = Some(*one),
        _ => return Err(PromoCodeRefusal::TwoCurrencies),
    }
    if terms.percents.len() > 1 {
        return Err(unreadable());
    }
    if !bare.is_empty() {
        // A number without its currency is in the one the text names; with none named, it is
        // money of no known currency.
        if terms.currency.is_none() {
            return Err(PromoCodeRefusal::NoCurrency);
        }
        terms.amounts.extend(bare);
    }
    Ok(terms)
}

/// What stands right before a number and may be its currency: the characters glued to it
/// (`US$`), else the word before the space, with the space; a lone shared sign takes the word
/// before it too (`US $`, `CA $`, `JP ¥`), as pages print them.
fn word_before(before: &str) -> &str {
    let trimmed = before.strip_suffix(' ').unwrap_or(before);
    let word_start = |text: &str| text.rfind(' ').map_or(0, |at| at + 1);
    let mut start = word_start(trimmed);
    if start > 0 && matches!(trimmed.get(start..), Some("$" | "¥" | "￥")) {
        start = word_start(trimmed.get(..start - 1).unwrap_or(""));
    }
    before.get(start..).unwrap_or("")
}

/// What stands right after a number and may be its currency: the characters glued to it
/// (`10€`, `10,`), else the word after the space.
fn word_after(after: &str) -> &str {
    let rest = after.strip_prefix(' ').unwrap_or(after);
    let glued = after.len() - rest.len();
    let end = rest.find(' ').map_or(rest.len(), |at| at);
    after.get(..glued + end).unwrap_or("")
}

#[cfg(test)]
mod tests;
