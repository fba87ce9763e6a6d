//! Percent-encoding (RFC 3986): decoding `%XX` escapes in URLs and form values, and encoding
//! one URL component (a deep link's target) as `encodeURIComponent` does.
//!
//! Why not the `percent-encoding` crate in the WASM: its iterators cost more than the work on
//! the short strings of a link in the size-optimised build. It stays the reference in tests.

use std::fmt;

/// The bytes `text` percent-encodes: `%XX` is a byte, a `%` without two hex digits is itself,
/// and with `plus_is_space` a `+` is a space (form encoding). What `percent_encoding`'s
/// `percent_decode_str` gives, without the crate's iterator in the WASM.
pub(crate) fn decoded(text: &str, plus_is_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits make one byte.
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'%'));
                i += 2;
            }
            (b'+', ..) if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

/// Everything but RFC 3986's unreserved characters is escaped, as `encodeURIComponent` does
/// (less `!*'()`), so the target URL survives as one query value.
fn is_unreserved(byte: u8) -> bool {
    // A table: the comparisons, once per byte of every link, cost more in the size-optimised
    // WASM than a lookup.
    // A u8 always indexes a 256-entry table, and `get_mut` is not available in a const block.
    #[allow(clippy::indexing_slicing)]
    const UNRESERVED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let byte = b as u8;
            table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
            b += 1;
        }
        table
    };
    UNRESERVED.get(usize::from(byte)).copied().unwrap_or(false)
}

/// A sink that percent-encodes everything written into it as one URL component, so the
/// canonical URL is written once, by its own rule, straight into the deep link.
///
/// What `percent_encoding::utf8_percent_encode` writes with that set, built in a buffer on the
/// stack and appended when it fills and at [`Encoded::finish`]: its per-piece iterator, or a
/// `push` per byte, cost a third of a batch's time in the size-optimised WASM.
pub(crate) struct Encoded<'a> {
    out: &'a mut String,
    buffer: [u8; ENCODED_CAPACITY],
    len: usize,
}

/// Bytes an [`Encoded`] buffers: a canonical URL's escapes, in one go.
const ENCODED_CAPACITY: usize = 192;

impl<'a> Encoded<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        Self {
            out,
            buffer: [0; ENCODED_CAPACITY],
            len: 0,
        }
    }

    /// Appends what is buffered to the output.
    fn flush(&mut self) {
        let encoded = self.buffer.get(..self.len).unwrap_or_default();
        // Only ASCII is ever buffered, so this never fails.
        self.out
            .push_str(std::str::from_utf8(encoded).unwrap_or_default());
        self.len = 0;
    }

    pub(crate) fn finish(mut self) {
        self.flush();
    }
}

impl fmt::Write for Encoded<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let hex = |nibble: u8| HEX.get(usize::from(nibble & 0xF)).copied().unwrap_or(b'0');
        for &byte in s.as_bytes() {
            // Room for one escape.
            if self.len + 3 > ENCODED_CAPACITY {
                self.flush();
            }
            let Some([first, second, third]) = self.buffer.get_mut(self.len..self.len + 3) else {
                break;
            };
            if is_unreserved(byte) {
                *first = byte;
                self.len += 1;
            } else {
                *first = b'%';
                *second = hex(byte >> 4);
                *third = hex(byte);
                self.len += 3;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
    use proptest::prelude::*;

    /// The set [`is_unreserved`] leaves alone, as `percent_encoding` writes it.
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');

    #[test]
    fn encoding_is_percent_encodings() {
        use std::fmt::Write as _;
        for text in [
            "",
            "https://www.aliexpress.com/item/1.html?sku_id=2",
            "a-b_c.d~e f+g%h&i=j",
            "ünï€😀/x",
            "\u{0}\u{7f}\u{80}",
        ] {
            let mut out = String::new();
            let mut encoded = Encoded::new(&mut out);
            let _ = encoded.write_str(text);
            encoded.finish();
            let want: String = percent_encoding::utf8_percent_encode(text, COMPONENT).collect();
            assert_eq!(out, want, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn encodes_any_text_as_percent_encoding_does(text in "\\PC{0,24}|[ -~]{0,24}") {
            use std::fmt::Write as _;
            let mut out = String::new();
            let mut encoded = Encoded::new(&mut out);
            let _ = encoded.write_str(&text);
            encoded.finish();
            let want: String = percent_encoding::utf8_percent_encode(&text, COMPONENT).collect();
            proptest::prop_assert_eq!(out, want);
        }
    }

    proptest! {
        #[test]
        fn decoding_is_the_crate_s(text in "[%+0-9a-fA-FgG ]{0,12}|\\PC{0,12}") {
            let theirs: Vec<u8> = percent_encoding::percent_decode_str(&text).collect();
            prop_assert_eq!(decoded(&text, false), theirs);
            let spaced = text.replace('+', " ");
            let theirs: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
            prop_assert_eq!(decoded(&text, true), theirs);
        }
    }
}
