//! The feed's optional `rates` field: the day's exchange rates, so the extension can convert a
//! price the shopper typed in another currency. `{"base": "USD", "per_base": {"EUR": 0.92}}`:
//! how many units of each currency one unit of the base buys. A v1 reader that predates it
//! skips it as it skips any field it does not know, so adding it breaks no reader.

use std::borrow::Cow;

use super::{first_time, FeedError};
use crate::codec::field::FieldFault;
use crate::codec::json::{Next, Reader, Writer};
use crate::money::{read_plain, Currency, Rates};

/// The most rates a feed's `per_base` is read for (more than the currency table holds).
const MAX_LISTED: usize = 64;

/// The rates a feed writes, and so reads back exactly: 12 significant digits, between these.
/// Every real rate against a base such as the dollar or the euro is far inside.
const WRITTEN: std::ops::RangeInclusive<f64> = 1e-6..=1e12;
const DIGITS: i32 = 12;

/// Reads the value of `rates`: an object (or null, for none). Inside it, `base` must be a string
/// (or null) and `per_base` an object; a base or currency the rules do not know, or a rate that is not a
/// plain positive decimal, leaves that rate out rather than refusing the coupons with it.
pub(super) fn read_rates(reader: &mut Reader<'_>) -> Result<Rates, FeedError> {
    let wrong = |reader: &Reader<'_>| {
        FeedError::Field(FieldFault::WrongType {
            field: "rates",
            at: reader.position_in_text(),
        })
    };
    match reader.peek()? {
        Next::Null => {
            reader.null()?;
            return Ok(Rates::none());
        }
        Next::Object => {}
        _ => {
            let error = wrong(reader);
            reader.skip()?;
            return Err(error);
        }
    }
    let (mut base, mut listed, mut seen) = (None, Vec::new(), 0);
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        match &*key {
            "base" => {
                first_time(reader, &mut seen, 0, "base")?;
                if reader.peek()? == Next::Null {
                    reader.null()?;
                    continue;
                }
                if reader.peek()? != Next::String {
                    let error = wrong(reader);
                    reader.skip()?;
                    return Err(error);
                }
                base = Some(Currency::parse(&reader.string()?));
            }
            "per_base" => {
                first_time(reader, &mut seen, 1, "per_base")?;
                if reader.peek()? != Next::Object {
                    let error = wrong(reader);
                    reader.skip()?;
                    return Err(error);
                }
                let mut entries = reader.begin_object()?;
                while let Some(code) = reader.next_key(&mut entries)? {
                    let rate = match reader.peek()? {
                        Next::Number => rate_value(&reader.number()?.to_text()),
                        _ => {
                            reader.skip()?;
                            None
                        }
                    };
                    if let (Some(currency), Some(rate)) = (Currency::parse(&code), rate) {
                        if listed.len() < MAX_LISTED {
                            listed.push((currency, rate));
                        }
                    }
                }
            }
            _ => reader.skip()?,
        }
    }
    Ok(match base {
        Some(Some(base)) => Rates::new(base, listed),
        // No base, or one the rules do not know: nothing converts.
        _ => Rates::none(),
    })
}

/// The most bytes [`rates_json`] writes (ASCII: as many UTF-16 units): the base and 64 rates of
/// 12 significant digits each, the longest being five zeros and 12 digits after the point.
pub const MAX_RATES_JSON_BYTES: usize = 2048;

/// The rates as the feed's `rates` value, standing alone: how they cross from the coupon book
/// of the service worker to the popup's Smart Search, and how a snapshot keeps them.
pub fn rates_json(rates: &Rates) -> String {
    let mut w = Writer::new();
    write_rates(&mut w, rates);
    w.finish()
}

/// Reads rates written by [`rates_json`] (or a feed's `rates` value), refusing anything after
/// them as a feed would.
pub fn read_rates_json(text: &str) -> Result<Rates, FeedError> {
    let mut reader = Reader::new(text);
    let rates = read_rates(&mut reader)?;
    reader.end()?;
    Ok(rates)
}

/// A rate as the feed writes it (a plain decimal), read without floating-point parsing. The JSON
/// reader gives a number below 1e-5 or from 1e16 in exponent form (`1.5e-6`), as serde_json
/// prints it: its point is moved back first.
fn rate_value(text: &str) -> Option<f64> {
    let plain = match text.split_once(['e', 'E']) {
        None => Cow::Borrowed(text),
        Some((mantissa, exponent)) => Cow::Owned(move_point(mantissa, exponent.parse().ok()?)?),
    };
    read_plain(&plain).ok()?.to_f64()
}

/// `mantissa` (digits, perhaps a point) times ten to `exponent`, as plain decimal text; `None`
/// for a sign or an exponent no rate has.
fn move_point(mantissa: &str, exponent: i32) -> Option<String> {
    if !(-30..=30).contains(&exponent) || !mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let point = i32::try_from(whole.len()).ok()? + exponent;
    let len = i32::try_from(digits.len()).ok()?;
    let zeros = |n: i32| "0".repeat(usize::try_from(n).unwrap_or(0));
    Some(if point <= 0 {
        format!("0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{digits}{}", zeros(point - len))
    } else {
        // `_checked`, never a panic: a panic's message would bring the formatter into the WASM.
        let (left, right) = digits.split_at_checked(usize::try_from(point).ok()?)?;
        format!("{left}.{right}")
    })
}

/// Writes `rates` as the value of `rates`, each rate to 12 significant digits; a rate outside
/// what is written exactly (far from any real one) is left out.
pub(super) fn write_rates(w: &mut Writer, rates: &Rates) {
    w.nested(|w| {
        w.begin_object();
        w.key("base");
        w.optional_string(rates.base().as_ref().map(Currency::as_str));
        w.key("per_base");
        w.nested(|w| {
            w.begin_object();
            for (currency, rate) in rates.listed() {
                if let Some(text) = rate_text(rate) {
                    w.key(currency.as_str());
                    w.number_text(&text);
                }
            }
            w.end_object();
        });
        w.end_object();
    });
}

/// `rate` as a plain decimal of 12 significant digits, trailing zeros dropped (`0.92`,
/// `5.0512`, `25000`); `None` outside [`WRITTEN`]. Integer arithmetic, not `{:.N}` formatting:
/// the service worker writes rates into every snapshot, and float formatting would cost the
/// WASM about 15 KB gzipped of its 160 KB budget.
fn rate_text(rate: f64) -> Option<String> {
    if !WRITTEN.contains(&rate) {
        return None;
    }
    // The power of ten at or below the rate: between -6 and 12 within the range.
    let exponent = (-6..=12).rev().find(|e| rate >= 10f64.powi(*e))?;
    let decimals = (DIGITS - 1 - exponent).max(0);
    // At most 10^12 (a rounding up to the next power): exact in both f64 and u64.
    let scaled = (rate * 10f64.powi(decimals)).round() as u64;
    let digits = scaled.to_string();
    let decimals = usize::try_from(decimals).unwrap_or(0);
    if decimals == 0 {
        return Some(digits);
    }
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, fraction) = padded.split_at_checked(padded.len().checked_sub(decimals)?)?;
    let fraction = fraction.trim_end_matches('0');
    Some(if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::code;

    fn read(json: &str) -> Result<Rates, FeedError> {
        read_rates_json(json)
    }

    fn written(rates: &Rates) -> String {
        rates_json(rates)
    }

    #[test]
    fn rates_are_written_as_the_float_formatter_would_write_them() {
        // The integer arithmetic against the standard formatter, over rates of every size.
        let mut rate = 1e-6;
        while rate <= 1e12 {
            for r in [
                rate,
                rate * 1.234_567_891_234_5,
                rate * 9.999_999_999_99,
                rate * 3.0 + 0.1,
            ] {
                if !WRITTEN.contains(&r) {
                    continue;
                }
                let exponent = r.log10().floor() as i32;
                let decimals = usize::try_from((DIGITS - 1 - exponent).max(0)).unwrap_or(0);
                let text = format!("{r:.decimals$}");
                let text = if text.contains('.') {
                    text.trim_end_matches('0').trim_end_matches('.')
                } else {
                    &text
                };
                let ours = rate_text(r).expect("written");
                let back = |t: &str| t.parse::<f64>().expect("number");
                // Equal, or (a product rounded differently by one in the twelfth digit) as near.
                assert!(
                    ours == text || ((back(&ours) - back(text)) / r).abs() < 2e-11,
                    "{r}: {ours} against {text}"
                );
            }
            rate *= 7.3;
        }
        assert_eq!(rate_text(1e12).as_deref(), Some("1000000000000"));
        assert_eq!(rate_text(1e-6).as_deref(), Some("0.000001"));
        assert_eq!(rate_text(9.999_999_999_999_9).as_deref(), Some("10"));
        assert_eq!(rate_text(0.0), None);
    }

    #[test]
    fn the_longest_rates_written_fit_their_limit_and_read_back() {
        let known: Vec<Currency> = (0..26 * 26 * 26)
            .filter_map(|n: u32| {
                let letters = [n / 676, n / 26 % 26, n % 26].map(|d| b'A' + d as u8);
                Currency::parse(std::str::from_utf8(&letters).ok()?)
            })
            .collect();
        let listed: Vec<(Currency, f64)> = known
            .iter()
            .skip(1)
            .map(|c| (*c, 1.234_567_890_12e-6))
            .collect();
        let rates = Rates::new(known[0], listed.iter().copied());
        let text = rates_json(&rates);
        assert_eq!(rates.listed().count(), listed.len().min(64), "{text}");
        assert!(text.len() <= MAX_RATES_JSON_BYTES, "{} bytes", text.len());
        assert_eq!(read_rates_json(&text), Ok(rates), "{text}");
    }

    #[test]
    fn rates_are_written_as_plain_decimals_and_read_back() {
        let rates = Rates::new(
            code("USD"),
            [
                (code("EUR"), 0.92),
                (code("BRL"), 5.0512),
                (code("VND"), 25_000.0),
                (code("JPY"), 0.1 + 0.2 + 150.0),
            ],
        );
        let text = written(&rates);
        assert_eq!(
            text,
            r#"{"base":"USD","per_base":{"EUR":0.92,"BRL":5.0512,"VND":25000,"JPY":150.3}}"#
        );
        let back = read(&text).expect("rates");
        assert_eq!(back.rate(code("USD"), code("EUR")), Some(0.92));
        assert_eq!(back.rate(code("USD"), code("VND")), Some(25_000.0));
        assert_eq!(back.rate(code("USD"), code("JPY")), Some(150.3));
        assert_eq!(read(&written(&Rates::none())), Ok(Rates::none()));
        assert_eq!(written(&Rates::none()), r#"{"base":null,"per_base":{}}"#);
    }

    #[test]
    fn what_cannot_be_used_is_left_out_and_only_a_wrong_shape_refuses() {
        let rates = read(
            r#"{"base": "USD", "per_base": {"EUR": 0.9, "XBT": 1, "GBP": "0.8", "JPY": 1e2,
                "RUB": -90, "BRL": 0, "CNY": 7.1, "later": {"x": [1]}}, "date": "2026-11-23"}"#,
        )
        .expect("rates");
        assert_eq!(rates.rate(code("USD"), code("EUR")), Some(0.9));
        assert_eq!(rates.rate(code("USD"), code("CNY")), Some(7.1));
        assert_eq!(
            rates.rate(code("USD"), code("JPY")),
            Some(100.0),
            "1e2 is 100"
        );
        let small =
            read(r#"{"base": "USD", "per_base": {"EUR": 1.5e-6, "GBP": 2.5E3, "CNY": 0.000007}}"#)
                .expect("rates");
        assert_eq!(small.rate(code("USD"), code("EUR")), Some(0.000_001_5));
        assert_eq!(small.rate(code("USD"), code("GBP")), Some(2500.0));
        assert_eq!(small.rate(code("USD"), code("CNY")), Some(0.000_007));
        for (mantissa, exponent, plain) in [
            ("1.5", -6, Some("0.0000015")),
            ("15", -1, Some("1.5")),
            ("1.25", 1, Some("12.5")),
            ("1.25", 4, Some("12500")),
            ("-1", 2, None),
            ("1", 31, None),
        ] {
            assert_eq!(
                move_point(mantissa, exponent).as_deref(),
                plain,
                "{mantissa}e{exponent}"
            );
        }
        for left_out in ["GBP", "RUB", "BRL"] {
            assert_eq!(rates.rate(code("USD"), code(left_out)), None, "{left_out}");
        }
        assert_eq!(
            read(r#"{"base": "XBT", "per_base": {"EUR": 0.9}}"#),
            Ok(Rates::none())
        );
        assert_eq!(read(r#"{"per_base": {"EUR": 0.9}}"#), Ok(Rates::none()));
        assert_eq!(read("null"), Ok(Rates::none()));
        for wrong in [
            "[]",
            "\"USD\"",
            r#"{"base": 1, "per_base": {}}"#,
            r#"{"base": "USD", "per_base": []}"#,
        ] {
            assert!(
                matches!(
                    read(wrong),
                    Err(FeedError::Field(FieldFault::WrongType {
                        field: "rates",
                        ..
                    }))
                ),
                "{wrong}"
            );
        }
        assert!(matches!(
            read(r#"{"base": "USD", "base": "EUR", "per_base": {}}"#),
            Err(FeedError::Field(FieldFault::Twice { field: "base", .. }))
        ));
        let many: Vec<String> = (0..200).map(|i| format!("\"K{i}\": 1")).collect();
        let many = format!(
            r#"{{"base": "USD", "per_base": {{{}, "EUR": 2}}}}"#,
            many.join(",")
        );
        assert_eq!(
            read(&many).expect("rates").rate(code("USD"), code("EUR")),
            Some(2.0)
        );
    }

    proptest::proptest! {
        /// Every rate in the written range comes back within its 12 significant digits; one
        /// typed with at most 12 comes back exactly.
        #[test]
        fn rates_round_trip(exponent in -6i32..12, mantissa in 1.0f64..10.0, digits in 1u32..=12) {
            let rate = mantissa * 10f64.powi(exponent);
            let text = rate_text(rate).expect("in range");
            let back = rate_value(&text).expect("read back");
            proptest::prop_assert!(((back - rate) / rate).abs() < 1e-11, "{rate} {text} {back}");
            let typed = format!("{:.*}", (digits as usize).saturating_sub(1), mantissa);
            let typed: f64 = format!("{typed}e{exponent}").parse().expect("a number");
            if WRITTEN.contains(&typed) {
                let text = rate_text(typed).expect("in range");
                proptest::prop_assert_eq!(rate_value(&text), Some(typed), "{}", text);
            }
        }
    }
}
