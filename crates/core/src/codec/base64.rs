//! Standard base64 (RFC 4648 section 4, `+/` with `=` padding), read strictly as its section
//! 3.5 allows: padding only at the end and always there, no characters outside the alphabet
//! (no line breaks), and the bits past the last byte zero, so one text means one sequence of
//! bytes. Why a text is not base64 is a [`Base64Error`].
//!
//! Why not the `base64` crate: the envelope's three fields are all this needs, and its generic
//! engine cost the WASM a few kilobytes. A property test holds the two equal on what they accept
//! and the bytes they read (the crate's `STANDARD` engine is as strict).

use std::fmt;

/// Why a text is not canonical standard base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// Its length is not a multiple of four.
    Length,
    /// A character outside `A-Z a-z 0-9 + /`, or `=` before the end.
    Alphabet,
    /// More than two `=`.
    Padding,
    /// The last character's bits past the last byte are not zero.
    StrayBits,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Length => "its length is not a multiple of four",
            Self::Alphabet => "a character is not in the base64 alphabet",
            Self::Padding => "it has too much padding",
            Self::StrayBits => "its last character has stray bits",
        })
    }
}

impl std::error::Error for Base64Error {}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a byte that is not in the alphabet.
const NOT_BASE64: u8 = 0xFF;

/// Each byte's 6-bit value, or [`NOT_BASE64`]: one lookup a character, no branches, which is what
/// keeps a 38 MB envelope's payload quick to decode in the size-optimised WASM.
// A u8 always indexes a 256-entry table, and `get_mut` is not available in a const block.
#[allow(clippy::indexing_slicing)]
const SEXTETS: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The 6-bit value of one character, if it is in the alphabet.
fn sextet(c: u8) -> Option<u32> {
    let value = SEXTETS.get(usize::from(c)).copied().unwrap_or(NOT_BASE64);
    (value != NOT_BASE64).then_some(u32::from(value))
}

/// Four characters' 24 bits, or `None` if one is outside the alphabet.
#[inline(always)]
// A u8 always indexes a 256-entry table.
#[allow(clippy::indexing_slicing)]
fn sextets(a: u8, b: u8, c: u8, d: u8) -> Option<u32> {
    let [a, b, c, d] = [
        SEXTETS[usize::from(a)],
        SEXTETS[usize::from(b)],
        SEXTETS[usize::from(c)],
        SEXTETS[usize::from(d)],
    ];
    if (a | b | c | d) & 0xC0 != 0 {
        return None;
    }
    Some(u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d))
}

/// The bytes `text` encodes, when it is canonical standard base64.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return Err(Base64Error::Length);
    }
    // Every group but the last has no padding: decoded four characters at a time into bytes
    // already in place (no growth or copy call a group), with one test for a character outside
    // the alphabet per group.
    let (body, last) = bytes.split_at(bytes.len().saturating_sub(4));
    let mut out = vec![0u8; body.len() / 4 * 3];
    for (group, decoded) in body.chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let ([a, b, c, d], [x, y, z]) = (group, decoded) else {
            return Err(Base64Error::Length);
        };
        let bits = sextets(*a, *b, *c, *d).ok_or(Base64Error::Alphabet)?;
        let [_, b0, b1, b2] = bits.to_be_bytes();
        (*x, *y, *z) = (b0, b1, b2);
    }
    out.reserve_exact(3);
    if last.is_empty() {
        return Ok(out);
    }
    // Padding only ends the last group: `xx==` holds one byte, `xxx=` two.
    let padding = last.iter().rev().take_while(|c| **c == b'=').count();
    if padding > 2 {
        return Err(Base64Error::Padding);
    }
    let mut bits = 0u32;
    for (i, &c) in last.iter().enumerate() {
        let value = if i < 4 - padding {
            sextet(c).ok_or(Base64Error::Alphabet)?
        } else {
            0
        };
        bits = bits << 6 | value;
    }
    let [_, b0, b1, b2] = bits.to_be_bytes();
    let (kept, stray) = match padding {
        0 => (3, 0),
        1 => (2, b2),
        _ => (1, b1 | b2),
    };
    // The bits past the last byte must be zero.
    if stray != 0 {
        return Err(Base64Error::StrayBits);
    }
    out.extend_from_slice([b0, b1, b2].get(..kept).unwrap_or_default());
    Ok(out)
}

/// `bytes` in standard base64, padded.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| chunk.get(i).copied().unwrap_or(0));
        let bits = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (bits >> (18 - 6 * i)) & 63;
                let c = ALPHABET.get(index as usize).copied().unwrap_or(b'A');
                out.push(char::from(c));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::STANDARD;
    use ::base64::Engine as _;
    use proptest::prelude::*;

    #[test]
    fn says_why() {
        for (text, why) in [
            ("Zg=", Base64Error::Length),
            ("Zm-v", Base64Error::Alphabet),
            ("Zg==Zg==", Base64Error::Alphabet),
            ("Z===", Base64Error::Padding),
            ("Zh==", Base64Error::StrayBits),
        ] {
            assert_eq!(decode(text), Err(why), "{text}");
        }
    }

    #[test]
    fn table() {
        for (text, want) in [
            ("", Some(&b""[..])),
            ("Zg==", Some(b"f")),
            ("Zm8=", Some(b"fo")),
            ("Zm9v", Some(b"foo")),
            ("Zm9vYg==", Some(b"foob")),
            ("Zh==", None),
            ("Zm9=", None),
            ("Zg=", None),
            ("Zg", None),
            ("Z===", None),
            ("Zg==Zg==", None),
            ("Zm9v\n", None),
            ("Zm-v", None),
        ] {
            assert_eq!(decode(text).ok().as_deref(), want, "{text}");
            assert_eq!(
                STANDARD.decode(text).ok().as_deref(),
                want,
                "{text}: the crate"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

        #[test]
        fn encodes_as_the_crate_does(bytes in prop::collection::vec(any::<u8>(), 0..70)) {
            prop_assert_eq!(encode(&bytes), STANDARD.encode(&bytes));
            prop_assert_eq!(decode(&encode(&bytes)), Ok(bytes));
        }

        #[test]
        fn decodes_as_the_crate_does(text in "[A-Za-z0-9+/=]{0,14}|[A-Za-z0-9+/]{0,12}[A-Za-z0-9+/=]{0,3}[ -~]?") {
            prop_assert_eq!(decode(&text).ok(), STANDARD.decode(&text).ok(), "{}", text);
        }
    }
}
