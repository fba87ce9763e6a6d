//! Which phrases of the language tables start at each token, found once per request so the
//! readers (ratings, prices, shipping, sort, keywords) ask in constant time.
//!
//! A table phrase is words separated by single spaces, in folded form (see `tokenize`); a word
//! ending in `*` is a stem that matches any word it begins (`звезд*` matches `звезд`, `звезды`,
//! `звёзд`), which is how inflected Russian and German forms are covered without listing each.
//! Dashes between words are skipped, so `best selling` also matches `best-selling`.

use super::lang;
use super::query::{Class, Query};
use super::vocabulary::{first_word, Found};

/// Records every table phrase that starts at each token.
pub(super) fn find(query: &mut Query) {
    for i in 0..query.tokens.len() {
        // Numbers are in no table; the numbers readers look at them directly.
        if query.class(i) == Some(Class::Number) {
            continue;
        }
        let mut found = Found::default();
        let key = query.key(i);
        let Some(&first_byte) = key.as_bytes().first() else {
            continue;
        };
        let index = lang::index();
        for table in &index.tables {
            let from = table.partition_point(|(phrase, _)| first_word_cmp(phrase, key).is_lt());
            for (phrase, meaning) in table.get(from..).unwrap_or(&[]) {
                if !first_word_cmp(phrase, key).is_eq() {
                    break;
                }
                if let Some(len) = span(query, i, phrase) {
                    found.record(*meaning, len);
                }
            }
        }
        for (phrase, meaning) in &index.stems {
            // Most stems fail on their first byte: test it before anything else.
            if phrase.as_bytes().first() != Some(&first_byte) {
                continue;
            }
            let stem = first_word(phrase).trim_end_matches('*');
            if key.starts_with(stem) {
                if let Some(len) = span(query, i, phrase) {
                    found.record(*meaning, len);
                }
            }
        }
        if let Some(token) = query.tokens.get_mut(i) {
            token.found = found;
        }
    }
}

/// How the first word of a table phrase compares with `key`, byte by byte, without splitting
/// the phrase (this runs a few dozen times per token).
fn first_word_cmp(phrase: &str, key: &str) -> std::cmp::Ordering {
    let word = phrase.as_bytes().iter().take_while(|&&b| b != b' ');
    word.cmp(key.as_bytes().iter())
}

/// How many tokens `phrase` covers from token `i`, if it matches there.
fn span(query: &Query, i: usize, phrase: &str) -> Option<usize> {
    let mut at = i;
    for (n, word) in phrase.split(' ').enumerate() {
        if n > 0 {
            while query.class(at) == Some(Class::Dash) && !query.parted(at) {
                at += 1;
            }
            if query.parted(at) {
                return None;
            }
        }
        let key = query.key(at);
        let matches = match word.strip_suffix('*') {
            Some(stem) => key.starts_with(stem),
            None => key == word,
        };
        if !matches || query.class(at).is_none() {
            return None;
        }
        at += 1;
    }
    Some(at - i)
}
