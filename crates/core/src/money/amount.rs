//! Amounts as people write them, the one reader of them: a page's prices (`1.299,00 €`,
//! `₹1,29,999`, `CHF 1'299.50`) and the amounts a shopper types into Smart Search (`1,299`,
//! `1.299` in German, `4,5`, `3 000`) are both read here, into an exact decimal [`Amount`].
//!
//! Separators: spaces (plain, no-break, narrow no-break) and apostrophes (`'`, `’`, the Swiss
//! way) only group digits. When both `.` and `,` appear, the last one is the decimal mark, and
//! it comes once, after every group. A lone `.` or `,` followed by exactly three digits groups
//! thousands (`1,299` and `1.299` are one thousand two hundred and ninety-nine: a page never
//! prints three decimals, and a German shopper typing `1.299` means 1299), unless nothing but
//! zeros stands before it (`0.299` groups nothing) or spaces already group (`1 299,500`);
//! otherwise it is the decimal mark (`12,99`, `4.5`). Groups: the first of one to three digits,
//! the last of three, those between of two or three (India groups lakhs in twos: `1,29,999`).
//! Repeated marks only group (`1.000.000`).

use std::fmt;

use super::{Currency, Minor};

/// A price above this many minor units (ten billion dollars, a hundred billion yen) is a
/// mistake or a trick, not something AliExpress sells.
pub(crate) const ABSURD_MINOR: Minor = 1_000_000_000_000;

/// Most significant digits an amount may have to be read as an `f64` (beyond them the double is
/// no longer the decimal's own).
const MAX_F64_DIGITS: u32 = 15;

/// A decimal amount as written, before a currency says where its minor unit is: exact, no float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount {
    whole: u64,
    /// The decimals without their trailing zeros (`12.50` has fraction 5 of 1 digit).
    fraction: u64,
    fraction_digits: u32,
}

/// Why an amount was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountProblem {
    /// No digit at all.
    NoNumber,
    /// A minus sign before it.
    Negative,
    /// Digits and separators in no shape an amount takes (`1.2.3`, `12,34,5`, `1e3`).
    Malformed,
    /// More decimals than the currency has (`12.999` dollars) or than any amount has.
    TooManyDecimals,
    /// Zero, which a page prints only as a placeholder.
    Zero,
    /// Absurdly large.
    Absurd,
}

impl fmt::Display for AmountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoNumber => "no number",
            Self::Negative => "negative",
            Self::Malformed => "digits and separators in no shape a price takes",
            Self::TooManyDecimals => "more decimals than the currency has",
            Self::Zero => "zero, a placeholder",
            Self::Absurd => "absurdly large",
        })
    }
}

/// A separator that only groups digits: spaces as pages and keyboards write them, apostrophes.
fn groups_only(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')
}

/// An amount as people write it: digits and separators only, by the rules in the module summary
/// (`1,299.00`, `1.299,00`, `1 299,50`, `1'299.50`, `1,29,999`, `4,5`, `007`).
pub(crate) fn read_written(text: &str) -> Result<Amount, AmountProblem> {
    let (mut dots, mut commas, mut spaced, mut digits) = (0u32, 0u32, false, false);
    // The last `.` or `,` and the last separator of any kind, by byte position.
    let mut last_mark: Option<usize> = None;
    let mut last_separator: Option<usize> = None;
    for (at, c) in text.char_indices() {
        match c {
            '0'..='9' => {
                digits = true;
                continue;
            }
            '.' => dots += 1,
            ',' => commas += 1,
            c if groups_only(c) => spaced = true,
            '-' | '−' if at == 0 => return Err(AmountProblem::Negative),
            _ => return Err(AmountProblem::Malformed),
        }
        if matches!(c, '.' | ',') {
            last_mark = Some(at);
        }
        last_separator = Some(at);
    }
    if !digits {
        return Err(AmountProblem::NoNumber);
    }
    let decimal = match (dots, commas, last_mark) {
        (_, _, None) => None,
        (d, c, Some(at)) if d > 0 && c > 0 => Some(at),
        (1, 0, Some(at)) | (0, 1, Some(at)) => {
            let after = text.get(at + 1..).map_or(0, |rest| {
                rest.bytes().take_while(u8::is_ascii_digit).count()
            });
            let zeros_before = text.get(..at).is_some_and(|b| b.bytes().all(|b| b == b'0'));
            (spaced || after != 3 || zeros_before).then_some(at)
        }
        _ => None,
    };
    let (whole, fraction) = match decimal {
        Some(at) => {
            // The decimal mark comes once, after every grouping separator.
            let mark_count = if text.as_bytes().get(at) == Some(&b'.') {
                dots
            } else {
                commas
            };
            if last_separator != Some(at) || mark_count != 1 {
                return Err(AmountProblem::Malformed);
            }
            (
                text.get(..at).unwrap_or(""),
                text.get(at + 1..).unwrap_or(""),
            )
        }
        None => (text, ""),
    };
    if decimal.is_some() && fraction.is_empty() {
        return Err(AmountProblem::Malformed);
    }
    check_grouping(whole)?;
    amount(whole.chars().filter(char::is_ascii_digit), fraction)
}

/// An amount in structured data or a meta tag: plain digits with an optional `.` decimal mark
/// (schema.org's form; JSON numbers arrive as their shortest text, `12.99`).
pub(crate) fn read_plain(text: &str) -> Result<Amount, AmountProblem> {
    let text = text.trim();
    if text.starts_with(['-', '−']) {
        return Err(AmountProblem::Negative);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(if text.bytes().any(|b| b.is_ascii_digit()) {
            AmountProblem::Malformed
        } else {
            AmountProblem::NoNumber
        });
    }
    if text.ends_with('.') {
        return Err(AmountProblem::Malformed);
    }
    amount(whole.chars(), fraction)
}

/// Digit groups of a whole part: one group of any length, or the first of 1 to 3 digits, the
/// last of 3, those between of 2 or 3. No group is empty (`1,,299`, `,5`).
fn check_grouping(whole: &str) -> Result<(), AmountProblem> {
    let mut groups = whole.split(|c: char| !c.is_ascii_digit()).peekable();
    let first = groups.next().unwrap_or("");
    if groups.peek().is_none() {
        return if first.is_empty() {
            Err(AmountProblem::Malformed)
        } else {
            Ok(())
        };
    }
    let mut ok = (1..=3).contains(&first.len());
    while let Some(group) = groups.next() {
        ok &= if groups.peek().is_some() {
            (2..=3).contains(&group.len())
        } else {
            group.len() == 3
        };
    }
    ok.then_some(()).ok_or(AmountProblem::Malformed)
}

/// The amount of the digits `whole` and `fraction` (plain digits).
fn amount(whole: impl Iterator<Item = char>, fraction: &str) -> Result<Amount, AmountProblem> {
    if !all_digits(fraction) {
        return Err(AmountProblem::Malformed);
    }
    // Leading zeros say nothing; a whole part of more than 18 digits overflows any price.
    let mut value: u64 = 0;
    let mut count = 0u32;
    for c in whole {
        let digit = u64::from(c.to_digit(10).ok_or(AmountProblem::Malformed)?);
        if value == 0 && digit == 0 {
            continue;
        }
        count += 1;
        if count > 18 {
            return Err(AmountProblem::Absurd);
        }
        value = value * 10 + digit;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 18 {
        return Err(AmountProblem::TooManyDecimals);
    }
    Ok(Amount {
        whole: value,
        fraction: fraction
            .bytes()
            .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')),
        fraction_digits: u32::try_from(fraction.len()).unwrap_or(u32::MAX),
    })
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

impl Amount {
    /// The amount in minor units of `currency`: `12.99` is 1299 cents, `1299` yen is 1299.
    /// Decimals beyond the currency's are refused unless they are zeros (`¥1,299.00`).
    pub(crate) fn minor(self, currency: Currency) -> Result<Minor, AmountProblem> {
        let exponent = currency.minor_digits();
        if self.fraction_digits > exponent {
            return Err(AmountProblem::TooManyDecimals);
        }
        let scale = 10u64.checked_pow(exponent).ok_or(AmountProblem::Absurd)?;
        let fraction_scale = 10u64
            .checked_pow(exponent - self.fraction_digits)
            .ok_or(AmountProblem::Absurd)?;
        let minor = self
            .whole
            .checked_mul(scale)
            .and_then(|whole| whole.checked_add(self.fraction.checked_mul(fraction_scale)?))
            .ok_or(AmountProblem::Absurd)?;
        match minor {
            0 => Err(AmountProblem::Zero),
            m if m > ABSURD_MINOR => Err(AmountProblem::Absurd),
            m => Ok(m),
        }
    }

    /// The amount when it is a whole number (`5`, `5.0`), `None` when it has decimals (`7.5`).
    pub(crate) fn whole(self) -> Option<u64> {
        (self.fraction_digits == 0).then_some(self.whole)
    }

    /// The amount as the nearest `f64`, when it has at most 15 significant digits (so the
    /// double is the decimal's own, and the shortest decimal that gives it back is the one
    /// written); `None` beyond.
    pub(crate) fn to_f64(self) -> Option<f64> {
        let scale = 10u128.checked_pow(self.fraction_digits)?;
        let mantissa = u128::from(self.whole)
            .checked_mul(scale)?
            .checked_add(u128::from(self.fraction))?;
        if mantissa >= 10u128.pow(MAX_F64_DIGITS) {
            return None;
        }
        // Both are exact in f64 (under 2^53 and 10^22), so the quotient is the nearest f64.
        let decimals = i32::try_from(self.fraction_digits).ok()?;
        Some(mantissa as f64 / 10f64.powi(decimals))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::money::code;

    /// What a shopper types in a search and a page prints: read alike.
    #[test]
    fn written_amounts() {
        for (text, expected) in [
            ("30", Some(30.0)),
            ("1,299.00", Some(1299.0)),
            ("1.299,00", Some(1299.0)),
            ("1,299", Some(1299.0)),
            ("1.299", Some(1299.0)),
            ("4,5", Some(4.5)),
            ("4.5", Some(4.5)),
            ("19.99", Some(19.99)),
            ("12,99", Some(12.99)),
            ("3 000", Some(3000.0)),
            ("1 299,50", Some(1299.5)),
            ("1 299.50", Some(1299.5)),
            ("1\u{a0}299,00", Some(1299.0)),
            ("1\u{202f}299,00", Some(1299.0)),
            ("1.000.000", Some(1_000_000.0)),
            ("1,000,000.5", Some(1_000_000.5)),
            ("0,5", Some(0.5)),
            ("007", Some(7.0)),
            ("0", Some(0.0)),
            // What a page prints and a shopper may type too.
            ("1'299.50", Some(1299.5)),
            ("1’299.50", Some(1299.5)),
            ("1,29,999.00", Some(129_999.0)),
            ("12,34,567", Some(1_234_567.0)),
            ("150.000", Some(150_000.0)),
            // A lone mark after nothing but zeros groups nothing.
            ("0.299", Some(0.299)),
            ("0,250", Some(0.25)),
            ("1.2345", Some(1.2345)),
            ("1 299,500", Some(1299.5)),
            ("1.2.3", None),
            ("12,34,5", None),
            ("1,299,00", None),
            ("1.299.00,5.5", None),
            ("1,5 000", None),
            ("1,2,3", None),
            ("1.299.00", None),
            ("1.299,00,00", None),
            ("12,3456,789", None),
            ("1,299.00.00", None),
            ("1,,299", None),
            (",5", None),
            ("12.", None),
            ("1e3", None),
            ("", None),
        ] {
            let read = read_written(text).ok().and_then(Amount::to_f64);
            assert_eq!(read, expected, "{text:?}");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(read_written(""), Err(AmountProblem::NoNumber));
        assert_eq!(read_written(",."), Err(AmountProblem::NoNumber));
        assert_eq!(read_written("-5"), Err(AmountProblem::Negative));
        assert_eq!(read_written("1x2"), Err(AmountProblem::Malformed));
        assert_eq!(
            read_written("99999999999999999999999"),
            Err(AmountProblem::Absurd)
        );
        assert_eq!(
            read_written(&format!("1.{}", "1".repeat(19))),
            Err(AmountProblem::TooManyDecimals)
        );
        // Readable, but too many digits to be an f64 of its own.
        assert_eq!(
            read_written("1234567890123456").map(Amount::to_f64),
            Ok(None)
        );
    }

    #[test]
    fn minor_units_per_currency() {
        let usd = code("USD");
        let jpy = code("JPY");
        let minor = |text: &str, c| read_plain(text).and_then(|a| a.minor(c));
        assert_eq!(minor("12.99", usd), Ok(1299));
        assert_eq!(minor("12.9", usd), Ok(1290));
        assert_eq!(minor("12", usd), Ok(1200));
        assert_eq!(minor("12.990", usd), Ok(1299), "trailing zeros");
        assert_eq!(minor("12.999", usd), Err(AmountProblem::TooManyDecimals));
        assert_eq!(minor("1299", jpy), Ok(1299));
        assert_eq!(minor("1299.00", jpy), Ok(1299));
        assert_eq!(minor("1299.5", jpy), Err(AmountProblem::TooManyDecimals));
        assert_eq!(minor("0", usd), Err(AmountProblem::Zero));
        assert_eq!(minor("0.00", usd), Err(AmountProblem::Zero));
        assert_eq!(minor("10000000000.01", usd), Err(AmountProblem::Absurd));
        assert_eq!(minor("9999999999.99", usd), Ok(999_999_999_999));
        assert_eq!(minor("999999999999999999", usd), Err(AmountProblem::Absurd));
        assert_eq!(minor("1e3", usd), Err(AmountProblem::Malformed));
        assert_eq!(minor("-5", usd), Err(AmountProblem::Negative));
        assert_eq!(minor("12.", usd), Err(AmountProblem::Malformed));
        assert_eq!(minor(".5", usd), Err(AmountProblem::Malformed));
        assert_eq!(minor("", usd), Err(AmountProblem::NoNumber));
        assert_eq!(minor("abc", usd), Err(AmountProblem::NoNumber));
        assert_eq!(minor("1,299.00", usd), Err(AmountProblem::Malformed));
        assert_eq!(minor(" 12.99 ", usd), Ok(1299));
        assert_eq!(minor("007.50", usd), Ok(750));
    }

    /// How people write a whole number of units and its cents: `(thousands, decimal mark)`,
    /// and whether lakhs are grouped in twos (India).
    pub(crate) const STYLES: [(&str, &str, bool); 7] = [
        (",", ".", false),      // English
        (".", ",", false),      // German, Spanish, Portuguese
        (" ", ",", false),      // French, Russian
        ("\u{a0}", ",", false), // French as pages print it
        ("'", ".", false),      // Swiss
        ("’", ".", false),      // Swiss, typographic
        (",", ".", true),       // Indian
    ];

    /// `whole` with its digits grouped the way `style` writes them.
    pub(crate) fn grouped(whole: u64, (thousands, _, lakhs): (&str, &str, bool)) -> String {
        let digits = whole.to_string();
        let mut groups: Vec<&str> = Vec::new();
        let mut end = digits.len();
        let mut size = 3;
        while end > size {
            groups.push(&digits[end - size..end]);
            end -= size;
            if lakhs {
                size = 2;
            }
        }
        groups.push(&digits[..end]);
        groups.reverse();
        groups.join(thousands)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Any amount written in any of the ways people write it reads back as itself.
        #[test]
        fn every_written_form_reads_back(
            whole in 0u64..1_000_000_000_000,
            cents in proptest::option::of(0u64..100),
            style in proptest::sample::select(&STYLES[..]),
        ) {
            let mut text = grouped(whole, style);
            if let Some(cents) = cents {
                text.push_str(style.1);
                text.push_str(&format!("{cents:02}"));
            }
            let read = read_written(&text);
            let want = Amount {
                whole,
                fraction: cents.map_or(0, |c| if c % 10 == 0 { c / 10 } else { c }),
                fraction_digits: match cents {
                    None | Some(0) => 0,
                    Some(c) if c % 10 == 0 => 1,
                    Some(_) => 2,
                },
            };
            proptest::prop_assert_eq!(read, Ok(want), "{}", text);
        }

        /// Whatever the digits and separators, reading ends without a panic, and an amount read
        /// is one its plain form (digits, `.`, decimals) gives again.
        #[test]
        fn any_digits_and_separators_read_consistently(text in "[0-9.,' \u{a0}’-]{0,24}") {
            if let Ok(amount) = read_written(&text) {
                let plain = if amount.fraction_digits == 0 {
                    amount.whole.to_string()
                } else {
                    format!("{}.{:0width$}", amount.whole, amount.fraction, width = amount.fraction_digits as usize)
                };
                proptest::prop_assert_eq!(read_plain(&plain), Ok(amount), "{} as {}", text, plain);
            }
        }
    }
}
