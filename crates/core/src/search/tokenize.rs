//! Splits a shopper's request into tokens (words, numbers, dashes, pluses, slashes, symbols),
//! each with its lower-case text, which a keyword keeps, and its folded key, which the phrase
//! tables match (no accents, `ß` as `ss`, `ё` as `е`, `’` as `'`).
//!
//! One pass over the characters, no regex: the request is read into two strings (lower-case and
//! folded) and one token list, whatever its script. Control characters, bidirectional marks,
//! zero-width characters and emoji joiners separate tokens and are otherwise ignored; emoji and
//! other symbols become one-character symbol tokens that no keyword keeps.

use super::query::{Class, Query, Token};
use super::vocabulary::Found;

/// How many characters of a request are read; the rest is ignored. A shopping request is a line
/// of a few words: this bounds the work (and the memory) whatever a caller passes.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// What a character does in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Space,
    Digit,
    Letter,
    Dash,
    Plus,
    Slash,
    Separator,
    Symbol,
}

/// The request's tokens. Never fails: any text, cut at [`MAX_QUERY_CHARS`], gives tokens.
pub(super) fn tokenize(text: &str) -> Query {
    let src = match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => text.get(..cut).unwrap_or(""),
        None => text,
    };
    let mut query = Query {
        shown: None,
        lower: String::with_capacity(src.len() + 16),
        folded: String::with_capacity(src.len() + 16),
        tokens: Vec::with_capacity(16),
    };
    let mut pos = 0;
    let mut glued = false;
    let mut parted = false;
    let mut group_next = false;
    while let Some((c, len)) = char_at(src, pos) {
        let class = char_class(c);
        let end = match class {
            CharClass::Space | CharClass::Separator => {
                pos += len;
                glued = false;
                parted |= class == CharClass::Separator;
                continue;
            }
            CharClass::Digit => number_end(src, pos),
            CharClass::Letter => word_end(src, pos),
            _ => pos + len,
        };
        let class = match class {
            CharClass::Digit => Class::Number,
            CharClass::Letter => Class::Word,
            CharClass::Dash => Class::Dash,
            CharClass::Plus => Class::Plus,
            CharClass::Slash => Class::Slash,
            _ => Class::Symbol,
        };
        let text = src.get(pos..end).unwrap_or("");
        let group = group_next && class == Class::Number;
        push(&mut query, class, text, (glued, parted), group);
        group_next = class == Class::Number && group_follows(src, text, end);
        // A token always covers at least one character, so the loop always advances.
        pos = end.max(pos + len);
        glued = true;
        parted = false;
    }
    query
}

/// Appends the token whose source text is `source`.
fn push(query: &mut Query, class: Class, source: &str, (glued, parted): (bool, bool), group: bool) {
    let text_start = query.lower.len();
    let key_start = query.folded.len();
    // Capitals are the letters lower-casing changes; letters it leaves are small (or have no
    // case, as Hebrew): one test with the lower-casing done anyway, not two more Unicode tables.
    let (mut upper, mut lower) = (false, false);
    for c in source.chars().map(normalise) {
        let mut lowered = c.to_lowercase();
        let changed = lowered.len() != 1 || lowered.clone().next() != Some(c);
        upper |= changed;
        lower |= !changed && c.is_alphabetic();
        for l in lowered.by_ref() {
            query.lower.push(l);
            fold(l, &mut query.folded);
        }
    }
    query.tokens.push(Token {
        class,
        text: (text_start, query.lower.len()),
        key: (key_start, query.folded.len()),
        glued,
        parted,
        group,
        caps: upper && !lower,
        found: Found::default(),
        used: false,
    });
}

/// The character at byte `pos` of `src`, normalised, with its length in `src`.
fn char_at(src: &str, pos: usize) -> Option<(char, usize)> {
    let c = src.get(pos..)?.chars().next()?;
    Some((normalise(c), c.len_utf8()))
}

/// Full-width ASCII (typed with East Asian keyboards) as ASCII, the ideographic space as a space.
fn normalise(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

fn char_class(c: char) -> CharClass {
    if c.is_ascii_digit() {
        return CharClass::Digit;
    }
    if c.is_alphanumeric() || is_mark(c) {
        return CharClass::Letter;
    }
    if c.is_whitespace() || c.is_control() || is_invisible(c) {
        return CharClass::Space;
    }
    match c {
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '–' | '—' | '−' => CharClass::Dash,
        '+' => CharClass::Plus,
        '/' => CharClass::Slash,
        '$' | '%' => CharClass::Symbol,
        c if c.is_ascii_punctuation() => CharClass::Separator,
        '¡' | '¿' | '«' | '»' | '‘' | '’' | 'ʼ' | '‚' | '“' | '”' | '„' | '…' | '·' | '•' | '‹'
        | '›' | '、' | '。' | '「' | '」' => CharClass::Separator,
        _ => CharClass::Symbol,
    }
}

/// Combining marks that continue a word (accents typed as separate characters, Cyrillic,
/// Hebrew and Arabic marks).
fn is_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters with no width that only steer rendering: zero-width spaces and joiners,
/// bidirectional marks and isolates, the byte-order mark, variation selectors, emoji tags.
fn is_invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x180E | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F
        | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE007F | 0xE0100..=0xE01EF)
}

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| char_class(c) == CharClass::Letter)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// French elided words (`l'écran`, `d'Allemagne`, `jusqu'à`): the apostrophe ends them, so the
/// article or preposition is a token of its own.
const ELISIONS: [&str; 12] = [
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "s", "t",
];

/// Where the word starting at `pos` ends: letters and marks, with `.` or an apostrophe between
/// letters, stopping after the apostrophe of a French elision.
fn word_end(src: &str, start: usize) -> usize {
    let mut pos = start;
    while let Some((c, len)) = char_at(src, pos) {
        if char_class(c) == CharClass::Letter {
            pos += len;
            continue;
        }
        let next = char_at(src, pos + len).map(|(n, _)| n);
        if (c == '.' || is_apostrophe(c)) && is_letter(next) {
            if is_apostrophe(c) {
                let word = src.get(start..pos).unwrap_or("");
                if ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(word)) {
                    return pos + len;
                }
            }
            pos += len;
            continue;
        }
        break;
    }
    pos
}

/// Where the number starting at `pos` ends: digits, with `.`, `,` or an apostrophe (`1'299`,
/// the Swiss way of grouping thousands) between digits.
fn number_end(src: &str, start: usize) -> usize {
    let mut pos = start;
    while let Some(len) = digit(src, pos) {
        pos += len;
        if let Some((c, mark)) = char_at(src, pos) {
            if matches!(c, '.' | ',' | '\'' | '’') && digit(src, pos + mark).is_some() {
                pos += mark;
            }
        }
    }
    pos
}

/// The length of the ASCII digit (full-width or not) at `pos`, if there is one.
fn digit(src: &str, pos: usize) -> Option<usize> {
    char_at(src, pos)
        .filter(|(c, _)| c.is_ascii_digit())
        .map(|(_, len)| len)
}

/// Whether the number ending at `end` (`text` its source) may be followed by a thousands group:
/// it is one to three plain digits, then one space, exactly three digits, and no further digit
/// or letter (`3 000 ₽`; not `15 128gb`, not `2 100ml`).
fn group_follows(src: &str, text: &str, end: usize) -> bool {
    if !(1..=3).contains(&text.chars().count())
        || !text.chars().all(|c| normalise(c).is_ascii_digit())
    {
        return false;
    }
    let Some((space, len)) = char_at(src, end) else {
        return false;
    };
    if !space.is_whitespace() || space.is_control() {
        return false;
    }
    let mut at = end + len;
    for _ in 0..3 {
        match digit(src, at) {
            Some(l) => at += l,
            None => return false,
        }
    }
    !char_at(src, at).is_some_and(|(c, _)| c.is_ascii_digit() || char_class(c) == CharClass::Letter)
}

/// `c` (already lower-case) as the phrase tables spell it, appended to `out`.
fn fold(c: char, out: &mut String) {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ё' => 'е',
        '’' | 'ʼ' => '\'',
        'ß' => return out.push_str("ss"),
        'æ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        c if is_mark(c) => return,
        c => c,
    };
    out.push(plain);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(Class, String, String, bool)> {
        let q = tokenize(text);
        (0..q.tokens.len())
            .map(|i| {
                (
                    q.class(i).unwrap_or(Class::Symbol),
                    q.text(i).to_owned(),
                    q.key(i).to_owned(),
                    q.glued(i),
                )
            })
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn words_numbers_and_symbols() {
        assert_eq!(
            texts("Powerbank 20000mAh, USB-C 1.299,00€ 4,5 3 000 ₽"),
            [
                "powerbank",
                "20000",
                "mah",
                "usb",
                "-",
                "c",
                "1.299,00",
                "€",
                "4,5",
                "3",
                "000",
                "₽"
            ]
        );
        assert_eq!(texts("iphone 15 128gb"), ["iphone", "15", "128", "gb"]);
        assert_eq!(texts("2 100ml"), ["2", "100", "ml"]);
        assert_eq!(texts("US$30-$40"), ["us", "$", "30", "-", "$", "40"]);
        assert_eq!(texts("4.5/5★"), ["4.5", "/", "5", "★"]);
    }

    #[test]
    fn thousands_groups() {
        let groups =
            |text: &str| -> Vec<bool> { tokenize(text).tokens.iter().map(|t| t.group).collect() };
        assert_eq!(groups("3 000 000 ₽"), [false, true, true, false]);
        assert_eq!(groups("1 299,00"), [false, true]);
        assert_eq!(groups("iphone 15 128gb"), [false, false, false, false]);
        assert_eq!(
            groups("2 100ml 1234 567 1 2345"),
            [false, false, false, false, false, false, false]
        );
    }

    #[test]
    fn folding_and_elisions() {
        let t = tokens("Envío Größe Ёлка jusqu'à l’écran men's EE.UU.");
        let keys: Vec<&str> = t.iter().map(|t| t.2.as_str()).collect();
        assert_eq!(
            keys,
            ["envio", "grosse", "елка", "jusqu'", "a", "l'", "ecran", "men's", "ee.uu"]
        );
        assert_eq!(t.get(1).map(|t| t.1.as_str()), Some("größe"));
        // The elided article is glued to its word.
        assert_eq!(t.get(6).map(|t| t.3), Some(true));
    }

    #[test]
    fn invisible_and_control_characters_separate() {
        assert_eq!(
            texts("a\u{200F}b\u{0000}c\u{202E}d\u{FEFF}e"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(texts("⭐️4"), ["⭐", "4"]);
        assert_eq!(texts("ＵＳＢ　３０"), ["usb", "30"]);
        assert!(tokenize("").tokens.is_empty());
        assert!(tokenize(" \t\n ,;!").tokens.is_empty());
    }

    #[test]
    fn capitals() {
        let q = tokenize("USB A cable a");
        let caps: Vec<bool> = q.tokens.iter().map(|t| t.caps).collect();
        assert_eq!(caps, [true, true, false, false]);
    }

    #[test]
    fn the_request_is_cut() {
        let long = "ab ".repeat(2 * MAX_QUERY_CHARS);
        let q = tokenize(&long);
        assert_eq!(q.tokens.len(), MAX_QUERY_CHARS / 3 + 1);
    }
}
