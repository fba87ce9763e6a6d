//! A small JSON reader and writer (RFC 8259) for what crosses the WASM boundary: the coupon
//! feed and its envelope, a cart, a page's facts and its JSON-LD blocks in, the popup's deals out.
//!
//! Why not serde_json: with the visitors, `Value` and float formatting it pulled in, it was
//! about a third of the extension's WASM. This reads RFC 8259 JSON only (no comments, no trailing
//! commas), with the limits RFC 8259 leaves to an implementation set where serde_json sets them
//! (nesting up to 127 levels, a number beyond `f64`'s range refused, a string that is read with
//! an unpaired surrogate escape refused), borrows strings that have no escapes, and says what is
//! wrong as a typed [`JsonError`] with the line and column. serde_json stays the reference in
//! tests: the same documents are accepted and the same values read.

use std::borrow::Cow;
use std::fmt;

/// The nesting limit: 127 levels of arrays and objects are read, the 128th is refused.
const MAX_DEPTH: u32 = 128;

/// Why some JSON was not read, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong.
    pub kind: JsonFault,
    /// The line it is on, from 1.
    pub line: usize,
    /// The column, from 1, counted in bytes.
    pub column: usize,
}

/// What is wrong with some JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonFault {
    /// The text ends inside a value (or has none).
    UnexpectedEnd,
    /// A byte no JSON value starts with.
    ExpectedValue,
    /// `null`, `true` or `false` misspelt.
    InvalidLiteral,
    /// A number against RFC 8259's grammar (`01`, `1.`, `-`).
    InvalidNumber,
    /// A number beyond what a 64-bit float holds.
    NumberOutOfRange,
    /// A backslash escape that is not one of RFC 8259's.
    InvalidEscape,
    /// A control character (U+0000 to U+001F) inside a string.
    ControlCharacter,
    /// A `\u` escape of half a surrogate pair, without its other half.
    LoneSurrogate,
    /// Arrays and objects nested deeper than 127 levels.
    TooDeep,
    /// A comma before `]` or `}`.
    TrailingComma,
    /// Two entries of an array or object without a comma between them.
    ExpectedComma,
    /// An object's key without `:` after it.
    ExpectedColon,
    /// An object's key that is not a string.
    KeyNotString,
    /// Something after the document's one value.
    TrailingCharacters,
    /// A value of another type where the reader needed this one.
    Expected(JsonType),
}

/// A JSON value's type, as a reader expects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl fmt::Display for JsonFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnexpectedEnd => "the text ends inside a value",
            Self::ExpectedValue => "a value was expected",
            Self::InvalidLiteral => "null, true or false is misspelt",
            Self::InvalidNumber => "a number is malformed",
            Self::NumberOutOfRange => "a number is too large",
            Self::InvalidEscape => "a string has an invalid escape",
            Self::ControlCharacter => "a string holds a control character",
            Self::LoneSurrogate => "a string has half a surrogate pair",
            Self::TooDeep => "arrays and objects are nested too deep",
            Self::TrailingComma => "a comma ends a list or an object",
            Self::ExpectedComma => "a comma is missing between two entries",
            Self::ExpectedColon => "a colon is missing after a key",
            Self::KeyNotString => "a key is not a string",
            Self::TrailingCharacters => "something follows the value",
            Self::Expected(JsonType::String) => "a string was expected",
            Self::Expected(JsonType::Array) => "a list was expected",
            Self::Expected(JsonType::Object) => "an object was expected",
        })
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.kind, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Where in a JSON text something is: its line and column, from 1 (the column in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, counted in bytes.
    pub column: usize,
}

/// What the next value is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// A number as written, checked against JSON's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Number<'a> {
    text: &'a str,
}

/// A number as serde_json classifies it: an integer that fits `u64`, a negative one that fits
/// `i64`, or (anything else: a fraction, an exponent, `-0`, an integer too long) a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberKind {
    PosInt(u64),
    NegInt(i64),
    Float,
}

impl<'a> Number<'a> {
    /// What serde_json would make of it.
    pub(crate) fn kind(&self) -> NumberKind {
        // Bytes rather than `str` methods: this runs for every number in a big feed.
        let bytes = self.text.as_bytes();
        let (negative, digits) = match bytes.split_first() {
            Some((b'-', digits)) => (true, digits),
            _ => (false, bytes),
        };
        let mut magnitude = 0u64;
        for &b in digits {
            if !b.is_ascii_digit() {
                return NumberKind::Float;
            }
            match magnitude
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(b - b'0')))
            {
                Some(n) => magnitude = n,
                // Past u64: serde_json reads it as a float.
                None => return NumberKind::Float,
            }
        }
        if !negative {
            return NumberKind::PosInt(magnitude);
        }
        // serde_json's rule: `-0`, and magnitudes past `i64::MIN`, are floats.
        match (magnitude as i64).wrapping_neg() {
            negated if negated < 0 => NumberKind::NegInt(negated),
            _ => NumberKind::Float,
        }
    }

    /// The number as the nearest `f64` (`None` only past its range, which [`Reader::number`]
    /// refuses already).
    pub(crate) fn to_f64(self) -> Option<f64> {
        self.text.parse().ok()
    }

    /// The number as serde_json prints a `Value` holding it: integers as written, floats in
    /// their shortest round-trip form (`12.99`, `15.0`, `0.00001`, `1e+16`, `1.5e-7`).
    ///
    /// Worked out from the decimal digits, without floating point: the same as serde_json for
    /// every number of up to 15 significant digits within about 10^±22 (which covers every
    /// price). Beyond, the two can differ in the last digits: past 17 digits these are cut
    /// here, and serde_json's own reading of larger powers of ten can be a unit off in the
    /// last place. A price written that way is refused either way (it has more decimals
    /// than a currency, or more digits than any price).
    pub(crate) fn to_text(self) -> String {
        if !matches!(self.kind(), NumberKind::Float) {
            return self.text.to_owned();
        }
        let decimal = Decimal::of(self.text);
        let mut out = String::new();
        if decimal.negative {
            out.push('-');
        }
        let digits = decimal.digits.as_str();
        // Below the smallest subnormal (about 4.9e-324) the nearest f64 is zero.
        if digits.is_empty() || decimal.exponent < -324 {
            out.push_str("0.0");
            return out;
        }
        let exponent = decimal.exponent;
        let count = i64::try_from(digits.len()).unwrap_or(i64::MAX);
        let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
        if (-5..=15).contains(&exponent) {
            if count - 1 <= exponent {
                out.push_str(digits);
                out.push_str(&zeros(exponent + 1 - count));
                out.push_str(".0");
            } else if exponent >= 0 {
                let point = usize::try_from(exponent + 1).unwrap_or(0);
                let (whole, fraction) = digits.split_at_checked(point).unwrap_or((digits, ""));
                out.push_str(whole);
                out.push('.');
                out.push_str(fraction);
            } else {
                out.push_str("0.");
                out.push_str(&zeros(-exponent - 1));
                out.push_str(digits);
            }
        } else {
            let (first, rest) = digits.split_at_checked(1).unwrap_or((digits, ""));
            out.push_str(first);
            if !rest.is_empty() {
                out.push('.');
                out.push_str(rest);
            }
            out.push_str(if exponent < 0 { "e-" } else { "e+" });
            out.push_str(&exponent.unsigned_abs().to_string());
        }
        out
    }
}

/// A number's significant digits (no leading or trailing zeros, at most 17) and the power of
/// ten of its first digit.
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Of a number that matched JSON's grammar.
    fn of(text: &str) -> Self {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, written_exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
        // Exponents past what any f64 needs are clamped: the value is then zero or out of range.
        let written_exponent = written_exponent
            .strip_prefix('+')
            .unwrap_or(written_exponent)
            .parse::<i64>()
            .unwrap_or(if written_exponent.starts_with('-') {
                -100_000
            } else {
                100_000
            })
            .clamp(-100_000, 100_000);
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = whole.bytes().chain(fraction.bytes());
        let leading_zeros = all.clone().take_while(|b| *b == b'0').count();
        let mut digits: String = all.skip(leading_zeros).take(17).map(char::from).collect();
        while digits.ends_with('0') {
            digits.pop();
        }
        let whole_len = i64::try_from(whole.len()).unwrap_or(0);
        let leading_zeros = i64::try_from(leading_zeros).unwrap_or(0);
        Self {
            negative,
            digits,
            exponent: whole_len - 1 - leading_zeros + written_exponent,
        }
    }

    /// Whether an f64 cannot hold it (serde_json's "number out of range"): about 1.8e308 and up.
    fn overflows(&self) -> bool {
        // Digit strings without trailing zeros compare as their values do.
        !self.digits.is_empty()
            && (self.exponent > 308
                || (self.exponent == 308 && self.digits.as_bytes() > b"17976931348623157"))
    }
}

/// How many bytes at the start of `bytes` are plain string content: neither a quote, a
/// backslash nor a control character. Eight bytes at a time while none is (strings are most of
/// a feed, and most of a string is plain), then byte by byte. Kept free of iterator set-up:
/// in the size-optimised WASM, that cost more than the bytes of a short key.
#[inline(always)]
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A high bit set in each byte of `v` that is zero (exact for whether there is one).
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut plain = 0;
    while let Some(&chunk) = bytes.get(plain..).and_then(|rest| rest.first_chunk::<8>()) {
        let word = u64::from_le_bytes(chunk);
        let special = zero_byte(word ^ (ONES * u64::from(b'"')))
            | zero_byte(word ^ (ONES * u64::from(b'\\')))
            // Bytes below 0x20: the same test against 0x20 rather than zero.
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if special != 0 {
            break;
        }
        plain += 8;
    }
    while let Some(&byte) = bytes.get(plain) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        plain += 1;
    }
    plain
}

/// A JSON document being read, a value at a time.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

/// Where a reader is inside one array or object: before its first entry or after one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open {
    first: bool,
}

/// A whole JSON value, its strings borrowed from the text where they have no escapes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Number(Number<'a>),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Entries in document order; a repeated key's last value is the one [`Value::get`] gives,
    /// as in serde_json's map.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// Reads a whole document: one value, then nothing but whitespace.
    pub(crate) fn parse(text: &'a str) -> Result<Self, JsonError> {
        let mut reader = Reader::new(text);
        let value = reader.value()?;
        reader.end()?;
        Ok(value)
    }

    /// The value under `key`, if this is an object that has one.
    pub(crate) fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Self::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A whole number that fits `u64`, as serde_json's `Value::as_u64` reads one.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => match n.kind() {
                NumberKind::PosInt(n) => Some(n),
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self, Self::Object(_))
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            at: 0,
            depth: 0,
        }
    }

    /// Where it is, to carry on later with [`Reader::resume`] (a document read in steps).
    pub(crate) fn position(&self) -> (usize, u32) {
        (self.at, self.depth)
    }

    /// Carries on reading `text` from a [`Reader::position`] a reader of the same text reached.
    pub(crate) fn resume(text: &'a str, (at, depth): (usize, u32)) -> Self {
        Self { text, at, depth }
    }

    // The few tiny functions every byte goes through are inlined even in the size-optimised
    // WASM build: called out of line, they tripled the time a 29 MB feed takes to read there.
    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline(always)]
    fn byte(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// Where the reader is: the line and column of the next byte.
    pub(crate) fn position_in_text(&self) -> Position {
        let before = self.bytes().get(..self.at).unwrap_or_default();
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|b| **b != b'\n').count();
        Position { line, column }
    }

    /// An error at the current position.
    pub(crate) fn error(&self, kind: JsonFault) -> JsonError {
        let Position { line, column } = self.position_in_text();
        JsonError { kind, line, column }
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while matches!(self.byte(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// What the next value is; an error at the end of the text or on a byte no value starts with.
    pub(crate) fn peek(&mut self) -> Result<Next, JsonError> {
        self.skip_whitespace();
        Ok(match self.byte() {
            None => return Err(self.error(JsonFault::UnexpectedEnd)),
            Some(b'n') => Next::Null,
            Some(b't' | b'f') => Next::Bool,
            Some(b'-' | b'0'..=b'9') => Next::Number,
            Some(b'"') => Next::String,
            Some(b'[') => Next::Array,
            Some(b'{') => Next::Object,
            Some(_) => return Err(self.error(JsonFault::ExpectedValue)),
        })
    }

    /// After the last value: only whitespace may follow.
    pub(crate) fn end(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        match self.byte() {
            None => Ok(()),
            Some(_) => Err(self.error(JsonFault::TrailingCharacters)),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let found = self.bytes().get(self.at..self.at + word.len()) == Some(word.as_bytes());
        if found {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error(JsonFault::InvalidLiteral))
        }
    }

    /// `null`.
    pub(crate) fn null(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        self.literal("null")
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self) -> Result<bool, JsonError> {
        self.skip_whitespace();
        if self.byte() == Some(b't') {
            self.literal("true").map(|()| true)
        } else {
            self.literal("false").map(|()| false)
        }
    }

    /// A number's text, checked against JSON's grammar and, when `in_range`, refused past what
    /// an `f64` holds (serde_json checks that for numbers it reads, not those it skips).
    fn number_text(&mut self, in_range: bool) -> Result<Number<'a>, JsonError> {
        self.skip_whitespace();
        let start = self.at;
        let digits = |reader: &mut Self| {
            let from = reader.at;
            while reader.byte().is_some_and(|b| b.is_ascii_digit()) {
                reader.at += 1;
            }
            reader.at - from
        };
        if self.byte() == Some(b'-') {
            self.at += 1;
        }
        match self.byte() {
            Some(b'0') => {
                self.at += 1;
                if self.byte().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.error(JsonFault::InvalidNumber));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error(JsonFault::InvalidNumber)),
        }
        if self.byte() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error(JsonFault::InvalidNumber));
            }
        }
        if matches!(self.byte(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.byte(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error(JsonFault::InvalidNumber));
            }
        }
        let text = self.text.get(start..self.at).unwrap_or_default();
        let number = Number { text };
        if in_range && matches!(number.kind(), NumberKind::Float) && Decimal::of(text).overflows() {
            return Err(self.error(JsonFault::NumberOutOfRange));
        }
        Ok(number)
    }

    /// A number, refused past `f64`'s range.
    pub(crate) fn number(&mut self) -> Result<Number<'a>, JsonError> {
        self.number_text(true)
    }

    /// A string, borrowed when it has no escapes. With `strict`, escaped surrogates must pair
    /// (a string that is read); without, only their hex digits are checked (one that is skipped).
    fn string_checked(&mut self, strict: bool) -> Result<Cow<'a, str>, JsonError> {
        self.skip_whitespace();
        if self.byte() != Some(b'"') {
            return Err(self.error(JsonFault::Expected(JsonType::String)));
        }
        self.at += 1;
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run_start = start;
        loop {
            // Straight to the next byte that is not plain text: most strings have none but the
            // closing quote.
            self.at += plain_len(self.bytes().get(self.at..).unwrap_or_default());
            let Some(byte) = self.byte() else {
                return Err(self.error(JsonFault::UnexpectedEnd));
            };
            match byte {
                b'"' => {
                    let run = self.text.get(run_start..self.at).unwrap_or_default();
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(run),
                        Some(mut text) => {
                            text.push_str(run);
                            Cow::Owned(text)
                        }
                    });
                }
                b'\\' => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.text.get(run_start..self.at).unwrap_or_default());
                    self.at += 1;
                    let escaped = self.escape(strict)?;
                    if let Some(c) = escaped {
                        if let Some(text) = owned.as_mut() {
                            text.push(c);
                        }
                    }
                    run_start = self.at;
                }
                0..=0x1F => {
                    return Err(self.error(JsonFault::ControlCharacter));
                }
                _ => self.at += 1,
            }
        }
    }

    /// A string that is read.
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.string_checked(true)
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let Some(byte) = self.byte() else {
                return Err(self.error(JsonFault::UnexpectedEnd));
            };
            let digit = char::from(byte)
                .to_digit(16)
                .ok_or_else(|| self.error(JsonFault::InvalidEscape))?;
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }

    /// The character after a backslash (`None` for a surrogate a skipped string leaves unpaired).
    fn escape(&mut self, strict: bool) -> Result<Option<char>, JsonError> {
        let Some(byte) = self.byte() else {
            return Err(self.error(JsonFault::UnexpectedEnd));
        };
        self.at += 1;
        let simple = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(strict),
            _ => return Err(self.error(JsonFault::InvalidEscape)),
        };
        Ok(Some(simple))
    }

    fn unicode_escape(&mut self, strict: bool) -> Result<Option<char>, JsonError> {
        let first = self.hex4()?;
        if !strict {
            return Ok(None);
        }
        if (0xDC00..=0xDFFF).contains(&first) {
            return Err(self.error(JsonFault::LoneSurrogate));
        }
        if !(0xD800..=0xDBFF).contains(&first) {
            return Ok(char::from_u32(first));
        }
        if self.bytes().get(self.at..self.at + 2) != Some(b"\\u") {
            self.at = (self.at + 1).min(self.text.len());
            return Err(self.error(JsonFault::LoneSurrogate));
        }
        self.at += 2;
        let second = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return Err(self.error(JsonFault::LoneSurrogate));
        }
        let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        char::from_u32(c)
            .map(Some)
            .ok_or_else(|| self.error(JsonFault::LoneSurrogate))
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error(JsonFault::TooDeep));
        }
        self.at += 1;
        Ok(())
    }

    /// Opens an array (the next value must be one).
    pub(crate) fn begin_array(&mut self) -> Result<Open, JsonError> {
        self.skip_whitespace();
        if self.byte() != Some(b'[') {
            return Err(self.error(JsonFault::Expected(JsonType::Array)));
        }
        self.enter()?;
        Ok(Open { first: true })
    }

    /// Whether the array has another element (then read it), or has ended (then it is closed).
    pub(crate) fn next_element(&mut self, open: &mut Open) -> Result<bool, JsonError> {
        self.skip_whitespace();
        match self.byte() {
            Some(b']') => {
                self.at += 1;
                self.depth -= 1;
                return Ok(false);
            }
            Some(b',') if !open.first => {
                self.at += 1;
                self.skip_whitespace();
                if self.byte() == Some(b']') {
                    return Err(self.error(JsonFault::TrailingComma));
                }
            }
            Some(_) if open.first => {}
            Some(_) => return Err(self.error(JsonFault::ExpectedComma)),
            None => return Err(self.error(JsonFault::UnexpectedEnd)),
        }
        open.first = false;
        Ok(true)
    }

    /// Opens an object (the next value must be one).
    pub(crate) fn begin_object(&mut self) -> Result<Open, JsonError> {
        self.skip_whitespace();
        if self.byte() != Some(b'{') {
            return Err(self.error(JsonFault::Expected(JsonType::Object)));
        }
        self.enter()?;
        Ok(Open { first: true })
    }

    /// The next key of the object (then read its value), or `None` when it has ended (then it
    /// is closed).
    pub(crate) fn next_key(&mut self, open: &mut Open) -> Result<Option<Cow<'a, str>>, JsonError> {
        self.key_checked(open, true)
    }

    fn key_checked(
        &mut self,
        open: &mut Open,
        strict: bool,
    ) -> Result<Option<Cow<'a, str>>, JsonError> {
        self.skip_whitespace();
        match self.byte() {
            Some(b'}') => {
                self.at += 1;
                self.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !open.first => {
                self.at += 1;
                self.skip_whitespace();
                if self.byte() == Some(b'}') {
                    return Err(self.error(JsonFault::TrailingComma));
                }
            }
            Some(_) if open.first => {}
            Some(_) => return Err(self.error(JsonFault::ExpectedComma)),
            None => return Err(self.error(JsonFault::UnexpectedEnd)),
        }
        open.first = false;
        self.skip_whitespace();
        match self.byte() {
            Some(b'"') => {}
            Some(_) => return Err(self.error(JsonFault::KeyNotString)),
            None => return Err(self.error(JsonFault::UnexpectedEnd)),
        }
        let key = self.string_checked(strict)?;
        self.skip_whitespace();
        match self.byte() {
            Some(b':') => self.at += 1,
            Some(_) => return Err(self.error(JsonFault::ExpectedColon)),
            None => return Err(self.error(JsonFault::UnexpectedEnd)),
        }
        Ok(Some(key))
    }

    /// Skips the next value, checking it as serde_json checks a value it ignores.
    pub(crate) fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            Next::Null => self.null(),
            Next::Bool => self.boolean().map(drop),
            Next::Number => self.number_text(false).map(drop),
            Next::String => self.string_checked(false).map(drop),
            Next::Array => {
                let mut open = self.begin_array()?;
                while self.next_element(&mut open)? {
                    self.skip()?;
                }
                Ok(())
            }
            Next::Object => {
                let mut open = self.begin_object()?;
                while self.key_checked(&mut open, false)?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
        }
    }

    /// Reads the next value whole.
    pub(crate) fn value(&mut self) -> Result<Value<'a>, JsonError> {
        Ok(match self.peek()? {
            Next::Null => {
                self.null()?;
                Value::Null
            }
            Next::Bool => Value::Bool(self.boolean()?),
            Next::Number => Value::Number(self.number()?),
            Next::String => Value::String(self.string()?),
            Next::Array => {
                let mut items = Vec::new();
                let mut open = self.begin_array()?;
                while self.next_element(&mut open)? {
                    items.push(self.value()?);
                }
                Value::Array(items)
            }
            Next::Object => {
                let mut entries = Vec::new();
                let mut open = self.begin_object()?;
                while let Some(key) = self.next_key(&mut open)? {
                    let value = self.value()?;
                    entries.push((key, value));
                }
                Value::Object(entries)
            }
        })
    }
}

/// JSON text being written: objects and arrays with their commas, strings escaped as
/// serde_json escapes them, so the output is byte for byte serde_json's.
pub(crate) struct Writer {
    out: String,
    /// Whether the innermost open array or object has no entry yet.
    first: bool,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self {
            out: String::new(),
            first: true,
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }

    /// Before a value in an array, or a key in an object: the comma if one is due.
    fn separate(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    pub(crate) fn begin_object(&mut self) {
        self.out.push('{');
        self.first = true;
    }

    pub(crate) fn end_object(&mut self) {
        self.out.push('}');
        self.first = false;
    }

    pub(crate) fn begin_array(&mut self) {
        self.out.push('[');
        self.first = true;
    }

    pub(crate) fn end_array(&mut self) {
        self.out.push(']');
        self.first = false;
    }

    /// A key of the open object; its value follows.
    pub(crate) fn key(&mut self, key: &str) {
        self.separate();
        self.escaped(key);
        self.out.push(':');
        // The value that follows needs no comma of its own.
        self.first = true;
    }

    /// Before a value: in an array, the comma; after a key, nothing.
    fn before_value(&mut self) {
        self.separate();
    }

    pub(crate) fn string(&mut self, value: &str) {
        self.before_value();
        self.escaped(value);
        self.first = false;
    }

    pub(crate) fn unsigned(&mut self, value: u64) {
        self.before_value();
        self.out.push_str(&value.to_string());
    }

    pub(crate) fn signed(&mut self, value: i64) {
        self.before_value();
        self.out.push_str(&value.to_string());
    }

    /// A number already written as JSON number text (a decimal the caller formatted exactly).
    pub(crate) fn number_text(&mut self, text: &str) {
        self.before_value();
        self.out.push_str(text);
    }

    pub(crate) fn boolean(&mut self, value: bool) {
        self.before_value();
        self.out.push_str(if value { "true" } else { "false" });
    }

    pub(crate) fn null(&mut self) {
        self.before_value();
        self.out.push_str("null");
    }

    /// An array or object value: its comma, then what `write` writes.
    pub(crate) fn nested(&mut self, write: impl FnOnce(&mut Self)) {
        self.before_value();
        write(self);
    }

    pub(crate) fn optional_string(&mut self, value: Option<&str>) {
        match value {
            Some(value) => self.string(value),
            None => self.null(),
        }
    }

    pub(crate) fn optional_unsigned(&mut self, value: Option<u64>) {
        match value {
            Some(value) => self.unsigned(value),
            None => self.null(),
        }
    }

    pub(crate) fn strings<'s>(&mut self, values: impl IntoIterator<Item = &'s str>) {
        self.nested(|w| {
            w.begin_array();
            for value in values {
                w.string(value);
            }
            w.end_array();
        });
    }

    /// `"text"` with serde_json's escapes: `\"`, `\\`, the short forms of control characters
    /// and `\u00XX` for the rest of them; everything else as it is.
    fn escaped(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        let mut run_start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let short = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0C => "\\f",
                0..=0x1F => "",
                _ => continue,
            };
            // Escaped bytes are ASCII: the runs between them are whole characters.
            self.out
                .push_str(text.get(run_start..i).unwrap_or_default());
            if short.is_empty() {
                self.out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 0xF] {
                    let digit = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                    self.out.push(char::from(digit));
                }
            } else {
                self.out.push_str(short);
            }
            run_start = i + 1;
        }
        self.out.push_str(text.get(run_start..).unwrap_or_default());
        self.out.push('"');
    }
}

#[cfg(test)]
mod tests;
