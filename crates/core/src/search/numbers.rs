//! Numbers in a request: the value of a number as shoppers type it in any of the six languages
//! (`1,299.00` and `1.299,00` are both one thousand two hundred and ninety-nine, `4,5` and `4.5`
//! four and a half, `3 000` three thousand, `1'299` the Swiss way, `1,29,999` the Indian way),
//! read by the one reader of written amounts that also reads a page's prices
//! ([`crate::money::read_written`]); and the shortest exact decimal of a value, for the URL and
//! the JSON.

use crate::money::read_written;

/// The value of a number as typed (digits and separators), or `None` if its separators are in
/// no shape a number takes (`1.2.3`, `12,34,5`) or it has more than 15 significant digits (no
/// price, and no longer exact in f64).
pub(super) fn value(text: &str) -> Option<f64> {
    read_written(text).ok()?.to_f64()
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

    // How typed numbers read is the one reader's table: `money::amount`'s `written_amounts`.
}
