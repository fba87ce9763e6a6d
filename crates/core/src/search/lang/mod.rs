//! The phrase tables: one file per language (English, Spanish, Portuguese, French, German,
//! Russian) and one for what every language shares (signs, units, country codes), each a text
//! of `phrase|roles` lines, sorted by phrase. Text rather than Rust structures because it is a
//! third of the size in the extension's WASM; it is read once, on first use, into an index.
//!
//! A phrase is written folded (lower-case, no accents, `ß` as `ss`, `ё` as `е`), words separated
//! by one space; a French elision keeps its apostrophe as a word of its own (`jusqu' a`); a word
//! ending in `*` is a stem (`звезд*`). Its roles, separated by spaces, are what it can mean
//! ([`Role`]): `filler`, `at_most`, `at_least`, `range_from`, `between`, `and`, `to`, `or_less`,
//! `or_more`, `price_word`, `price_lead`, `unit`, `star`, `rating_word`, `digit:N`,
//! `free_shipping`, `ship_verb`, `from`, `from_weak`, `in`, `warehouse`, `sort:ORDER`
//! (`price_asc`, `price_desc`, `orders`, `newest`), `money:CODE` (a currency word; `money` alone
//! names no currency), `country:CODE`; `money?` and `country?` mark weak ones ([`Mark::Weak`]).
//! Currency codes are checked against the one currency table, countries against ISO 3166, by the
//! tests below.

mod common;
mod de;
mod en;
mod es;
mod fr;
mod pt;
mod ru;

use std::sync::OnceLock;

use super::phrases::{first_word, Mark, Role};
use super::SortOrder;

/// Every table.
const TABLES: [&str; 7] = [
    common::PHRASES,
    en::PHRASES,
    es::PHRASES,
    pt::PHRASES,
    fr::PHRASES,
    de::PHRASES,
    ru::PHRASES,
];

/// The tables as the reader searches them.
pub(super) struct Index {
    /// Each table's phrases whose first word is a whole word, in the table's order (sorted by
    /// phrase, so a token finds the phrases it starts by binary search: a space sorts before any
    /// character of a word, so this is also the order of first words).
    pub tables: [Vec<(&'static str, Role)>; TABLES.len()],
    /// Phrases whose first word is a stem, tried one by one.
    pub stems: Vec<(&'static str, Role)>,
}

/// The index, read on first use (about 1,100 lines; well under a millisecond).
pub(super) fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index {
            tables: Default::default(),
            stems: Vec::new(),
        };
        for (table, text) in index.tables.iter_mut().zip(TABLES) {
            for line in text.lines() {
                let (phrase, roles) = line.split_once('|').unwrap_or(("", ""));
                // A role that does not read is skipped; the tests make sure there is none.
                for role in roles.split(' ').filter_map(role) {
                    if first_word(phrase).ends_with('*') {
                        index.stems.push((phrase, role));
                    } else {
                        table.push((phrase, role));
                    }
                }
            }
        }
        index
    })
}

/// A role as the tables write it.
fn role(text: &'static str) -> Option<Role> {
    let (name, arg) = text.split_once(':').unwrap_or((text, ""));
    Some(match name {
        "filler" => Role::Filler,
        "at_most" => Role::AtMost,
        "at_least" => Role::AtLeast,
        "range_from" => Role::RangeFrom,
        "between" => Role::Between,
        "and" => Role::And,
        "to" => Role::To,
        "or_less" => Role::OrLess,
        "or_more" => Role::OrMore,
        "price_word" => Role::PriceWord,
        "price_lead" => Role::PriceLead,
        "unit" => Role::Unit,
        "star" => Role::Star,
        "rating_word" => Role::RatingWord,
        "free_shipping" => Role::FreeShipping,
        "ship_verb" => Role::ShipVerb,
        "from" => Role::FromStrong,
        "from_weak" => Role::FromWeak,
        "in" => Role::Inside,
        "warehouse" => Role::Warehouse,
        "money" => Role::Money(arg, Mark::Strong),
        "money?" => Role::Money(arg, Mark::Weak),
        "country" => Role::Country(arg, Mark::Strong),
        "country?" => Role::Country(arg, Mark::Weak),
        "digit" => Role::Digit(arg.parse().ok()?),
        "sort" => Role::Sort(match arg {
            "price_asc" => SortOrder::PriceAsc,
            "price_desc" => SortOrder::PriceDesc,
            "orders" => SortOrder::Orders,
            "newest" => SortOrder::Newest,
            _ => return None,
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::phrases::MAX_PHRASE_TOKENS;
    use super::super::tokenize::{tokenize, Class};
    use super::*;
    use crate::money::Currency;
    use crate::page::CountryCode;

    #[test]
    fn every_line_reads() {
        for table in TABLES {
            for line in table.lines().filter(|l| !l.is_empty()) {
                let (phrase, roles) = line.split_once('|').unwrap_or((line, ""));
                assert!(!phrase.is_empty() && !roles.is_empty(), "{line:?}");
                for text in roles.split(' ') {
                    assert!(role(text).is_some(), "{line:?}: {text:?}");
                }
            }
        }
        let index = index();
        let count: usize = index.tables.iter().map(Vec::len).sum();
        assert!(count > 1_000 && !index.stems.is_empty());
    }

    #[test]
    fn each_table_is_sorted() {
        for table in &index().tables {
            for pair in table.windows(2) {
                if let [(a, _), (b, _)] = pair {
                    assert!(a <= b, "{a:?} must come before {b:?}");
                }
            }
        }
    }

    #[test]
    fn phrases_are_written_as_the_tokenizer_folds_them() {
        let index = index();
        for (phrase, _) in index.tables.iter().flatten().chain(&index.stems) {
            assert!(!phrase.is_empty() && !phrase.contains("  "), "{phrase:?}");
            assert!(
                phrase.split(' ').count() <= MAX_PHRASE_TOKENS,
                "{phrase:?} is too long"
            );
            for word in phrase.split(' ') {
                let bare = word.trim_end_matches('*');
                assert!(!bare.is_empty(), "{phrase:?}");
                // An elision is typed glued to its word: check it that way.
                let typed = if bare.ends_with('\'') {
                    format!("{bare}x")
                } else {
                    bare.to_owned()
                };
                let query = tokenize(&typed);
                assert_eq!(query.key(0), bare, "{phrase:?}: {word:?} is not folded");
                let single = query.tokens.len() == 1 || bare.ends_with('\'');
                assert!(single, "{phrase:?}: {word:?} is not one token");
                assert_ne!(query.class(0), Some(Class::Number), "{phrase:?}");
            }
        }
    }

    #[test]
    fn codes_are_known() {
        let index = index();
        for (phrase, role) in index.tables.iter().flatten().chain(&index.stems) {
            match role {
                Role::Money(code, _) => assert!(
                    code.is_empty() || Currency::parse(code).is_some(),
                    "{phrase:?}: {code}"
                ),
                Role::Country(code, _) => assert!(
                    code.len() == 2 && CountryCode::parse(code).is_some(),
                    "{phrase:?}: {code}"
                ),
                Role::Digit(n) => assert!((1..=5).contains(n), "{phrase:?}"),
                _ => {}
            }
        }
    }
}
