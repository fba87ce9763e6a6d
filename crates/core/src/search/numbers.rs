//! The value of a number as shoppers type it in any of the six languages: `1,299.00` and
//! `1.299,00` are both one thousand two hundred and ninety-nine, `4,5` and `4.5` are four and a
//! half, `3 000` is three thousand.
//!
//! When both `.` and `,` appear, the last one is the decimal mark. A lone `.` or `,` followed by
//! exactly three digits groups thousands (`1,299`, `3.000`: nobody types prices or ratings to
//! three decimals), otherwise it is the decimal mark. Repeated marks and spaces only group, in
//! groups of three.

/// Most significant digits read: beyond them a number is no price (and no longer exact in f64).
const MAX_DIGITS: u32 = 15;

/// The value of a number token's text, or `None` if its separators are in no shape a number
/// takes (`1.2.3`, `12,34,5`).
pub(super) fn value(text: &str) -> Option<f64> {
    let (mut dots, mut commas, mut spaces) = (0, 0, false);
    let mut last_mark: Option<(usize, char)> = None;
    for (at, c) in text.char_indices() {
        match c {
            '.' => dots += 1,
            ',' => commas += 1,
            c if c.is_ascii_digit() => continue,
            _ => {
                spaces = true;
                continue;
            }
        }
        last_mark = Some((at, c));
    }
    let decimal = match (dots, commas, last_mark) {
        (0, 0, _) | (_, _, None) => None,
        (d, c, Some((at, _))) if d > 0 && c > 0 => Some(at),
        (1, 0, Some((at, _))) | (0, 1, Some((at, _))) => {
            let after = text.get(at + 1..).map_or(0, str::len);
            (spaces || after != 3).then_some(at)
        }
        _ => None,
    };
    let (whole, fraction) = match decimal {
        Some(at) => (text.get(..at)?, text.get(at + 1..)?),
        None => (text, ""),
    };
    // The decimal mark comes once: what remains before it only groups, in threes.
    let mark = decimal.and_then(|at| text.as_bytes().get(at).copied());
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || !grouped(whole, mark) {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        if !b.is_ascii_digit() {
            continue;
        }
        if mantissa == 0 && b == b'0' {
            continue;
        }
        digits += 1;
        if digits > MAX_DIGITS {
            return None;
        }
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    let decimals = i32::try_from(fraction.len()).ok()?;
    // Both are exact in f64 (under 2^53 and 10^22), so the quotient is the nearest f64.
    Some(mantissa as f64 / 10f64.powi(decimals))
}

/// Whether the whole part's separators (any but the decimal mark) group digits in threes after
/// a first group of one to three.
fn grouped(whole: &str, decimal_mark: Option<u8>) -> bool {
    let mut groups = whole.split(|c: char| !c.is_ascii_digit());
    let Some(first) = groups.next() else {
        return false;
    };
    if decimal_mark.is_some_and(|mark| whole.bytes().any(|b| b == mark)) {
        return false;
    }
    let mut rest = groups.peekable();
    if rest.peek().is_none() {
        return !first.is_empty();
    }
    (1..=3).contains(&first.len()) && rest.all(|g| g.len() == 3)
}

/// Appends `value` (a price or a rating read by [`value`]) in its shortest exact decimal form:
/// `30`, `19.99`, `4.5`. Integer arithmetic on the scaled value, rather than float formatting,
/// which would weigh in the extension's WASM.
pub(super) fn push_decimal(out: &mut String, value: f64) {
    if !value.is_finite() || value < 0.0 {
        out.push('0');
        return;
    }
    // The fewest decimals that give `value` back: a number read from at most 15 significant
    // digits has them.
    let mut decimals = 0;
    let mut scale = 1.0;
    while decimals < 9 && (value * scale).round() / scale != value {
        decimals += 1;
        scale *= 10.0;
    }
    let scaled = (value * scale).round();
    if scaled >= 1e18 {
        // Out of what a price can be; whole units only.
        push_integer(out, value.min(1e18) as u64);
        return;
    }
    let mut scaled = scaled as u64;
    // A value no short decimal gives back (none that was typed) ends in zeros: drop them.
    while decimals > 0 && scaled % 10 == 0 {
        scaled /= 10;
        decimals -= 1;
    }
    let unit = 10u64.pow(decimals);
    push_integer(out, scaled / unit);
    if decimals > 0 {
        out.push('.');
        let fraction = scaled % unit;
        let mut digit = unit / 10;
        while digit > 0 {
            out.push(char::from(b'0' + (fraction / digit % 10) as u8));
            digit /= 10;
        }
    }
}

/// Appends `n` in decimal.
fn push_integer(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for d in digits.iter().skip(at) {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_exactly() {
        for (value, text) in [
            (0.0, "0"),
            (30.0, "30"),
            (19.99, "19.99"),
            (4.5, "4.5"),
            (0.05, "0.05"),
            (1299.0, "1299"),
            (1_000_000.5, "1000000.5"),
            (123_456_789.12, "123456789.12"),
            (1e9, "1000000000"),
            (199.9, "199.9"),
            (0.1 + 0.2, "0.3"),
        ] {
            let mut out = String::new();
            push_decimal(&mut out, value);
            assert_eq!(out, text, "{value}");
        }
    }

    #[test]
    fn every_typed_number_is_written_back() {
        for text in [
            "12.34", "0.5", "99.99", "4.8", "1.05", "15000", "0.01", "3.14159",
        ] {
            let mut out = String::new();
            push_decimal(&mut out, value(text).unwrap_or(-1.0));
            assert_eq!(out, text);
        }
    }

    #[test]
    fn formats() {
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
            ("1.000.000", Some(1_000_000.0)),
            ("1,000,000.5", Some(1_000_000.5)),
            ("0,5", Some(0.5)),
            ("007", Some(7.0)),
            ("0", Some(0.0)),
            ("1.2.3", None),
            ("12,34,5", None),
            ("1,299,00", None),
            ("1.299.00,5.5", None),
            ("1234567890123456", None),
            ("1,5 000", None),
        ] {
            assert_eq!(value(text), expected, "{text}");
        }
    }
}
