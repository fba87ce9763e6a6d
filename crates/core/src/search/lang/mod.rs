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
//! `free_shipping`, `ship_verb`, `from`, `from_weak`, `in`, `warehouse`, `sort:SAYS`
//! ([`SortSays`]: `price_asc`, `price_desc`, `orders`, `newest`; `price` for "sort by price",
//! which names the order without its direction; `asc` and `desc` for direction words that are
//! also everyday words, read only right after a `sort:price` phrase), `money:CODE` (a currency
//! word; `money` alone names no currency; `money:$` a dollar word, the dollar the shopper's
//! AliExpress shows or else the US dollar), `country:CODE`; `money?` and `country?` mark weak ones
//! ([`Mark::Weak`]).
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

use super::vocabulary::{first_word, Detail, Mark, Meaning, Role, SortSays};

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

/// Every language's words that describe rather than name a product (`DESCRIBING`).
const DESCRIBING: [&str; 6] = [
    en::DESCRIBING,
    es::DESCRIBING,
    pt::DESCRIBING,
    fr::DESCRIBING,
    de::DESCRIBING,
    ru::DESCRIBING,
];

/// Whether a word, by its folded key, describes a person, an occasion or a wish rather than
/// names a product ([`super::reading`]). A possessive `'s` is read as its word (`dad's`). A
/// scan of a few hundred short words: only the companion server asks, once per request word.
pub(super) fn describes(key: &str) -> bool {
    let key = key.strip_suffix("'s").unwrap_or(key);
    DESCRIBING
        .iter()
        .flat_map(|words| words.split_whitespace())
        .any(|word| match word.strip_suffix('*') {
            Some(stem) => key.starts_with(stem),
            None => key == word,
        })
}

/// Whether `code` (ISO 3166-1 alpha-2, upper-case) is a country the tables name: the countries
/// the rules can read an item's origin as.
pub(super) fn names_country(code: &str) -> bool {
    let index = index();
    index
        .tables
        .iter()
        .flatten()
        .chain(&index.stems)
        .any(|(_, meaning)| {
            meaning.role == Role::Country
                && matches!(meaning.detail, Detail::Code(c, _) if c == code)
        })
}

/// The tables as the reader searches them.
pub(super) struct Index {
    /// Each table's phrases whose first word is a whole word, in the table's order (sorted by
    /// phrase, so a token finds the phrases it starts by binary search: a space sorts before any
    /// character of a word, so this is also the order of first words).
    pub tables: [Vec<(&'static str, Meaning)>; TABLES.len()],
    /// Phrases whose first word is a stem, tried one by one.
    pub stems: Vec<(&'static str, Meaning)>,
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
                for meaning in roles.split(' ').filter_map(meaning) {
                    if first_word(phrase).ends_with('*') {
                        index.stems.push((phrase, meaning));
                    } else {
                        table.push((phrase, meaning));
                    }
                }
            }
        }
        index
    })
}

/// A meaning as the tables write it.
fn meaning(text: &'static str) -> Option<Meaning> {
    let (name, arg) = text.split_once(':').unwrap_or((text, ""));
    let plain = |role| Some((role, Detail::Nothing));
    let (role, detail) = match name {
        "filler" => plain(Role::Filler),
        "at_most" => plain(Role::AtMost),
        "at_least" => plain(Role::AtLeast),
        "range_from" => plain(Role::RangeFrom),
        "between" => plain(Role::Between),
        "and" => plain(Role::And),
        "to" => plain(Role::To),
        "or_less" => plain(Role::OrLess),
        "or_more" => plain(Role::OrMore),
        "price_word" => plain(Role::PriceWord),
        "price_lead" => plain(Role::PriceLead),
        "unit" => plain(Role::Unit),
        "star" => plain(Role::Star),
        "rating_word" => plain(Role::RatingWord),
        "free_shipping" => plain(Role::FreeShipping),
        "ship_verb" => plain(Role::ShipVerb),
        "from" => plain(Role::FromStrong),
        "from_weak" => plain(Role::FromWeak),
        "in" => plain(Role::Inside),
        "warehouse" => plain(Role::Warehouse),
        "money" => Some((Role::Money, Detail::Code(arg, Mark::Strong))),
        "money?" => Some((Role::Money, Detail::Code(arg, Mark::Weak))),
        "country" => Some((Role::Country, Detail::Code(arg, Mark::Strong))),
        "country?" => Some((Role::Country, Detail::Code(arg, Mark::Weak))),
        "digit" => Some((Role::Digit, Detail::Digit(arg.parse().ok()?))),
        "sort" => Some((
            Role::Sort,
            Detail::Sort(match arg {
                "price_asc" => SortSays::Cheapest,
                "price_desc" => SortSays::Dearest,
                "orders" => SortSays::MostOrders,
                "newest" => SortSays::Newest,
                "price" => SortSays::ByPrice,
                "asc" => SortSays::Ascending,
                "desc" => SortSays::Descending,
                _ => return None,
            }),
        )),
        _ => None,
    }?;
    Some(Meaning { role, detail })
}

#[cfg(test)]
mod tests {
    use super::super::query::Class;
    use super::super::tokenize::tokenize;
    use super::super::vocabulary::MAX_PHRASE_TOKENS;
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
                    assert!(meaning(text).is_some(), "{line:?}: {text:?}");
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
    fn describing_words_are_folded_single_words_in_order() {
        for words in DESCRIBING {
            let list: Vec<&str> = words.split_whitespace().collect();
            assert!(list.len() > 20, "{words:.40}");
            for pair in list.windows(2) {
                if let [a, b] = pair {
                    assert!(a < b, "{a:?} must come before {b:?}");
                }
            }
            for word in list {
                let bare = word.trim_end_matches('*');
                let query = tokenize(bare);
                assert_eq!(query.key(0), bare, "{word:?} is not folded");
                assert_eq!(query.tokens.len(), 1, "{word:?} is not one word");
                assert_eq!(query.class(0), Some(Class::Word), "{word:?}");
                assert!(describes(bare), "{word:?}");
            }
        }
        assert!(describes("dad's") && describes("gifts") && describes("подарки"));
        assert!(!describes("gif") && !describes("speaker") && !describes(""));
    }

    #[test]
    fn codes_are_known() {
        let index = index();
        for (phrase, meaning) in index.tables.iter().flatten().chain(&index.stems) {
            match (meaning.role, meaning.detail) {
                (Role::Money, Detail::Code(code, _)) => assert!(
                    code.is_empty() || code == "$" || Currency::parse(code).is_some(),
                    "{phrase:?}: {code}"
                ),
                (Role::Country, Detail::Code(code, _)) => assert!(
                    code.len() == 2 && CountryCode::parse(code).is_some(),
                    "{phrase:?}: {code}"
                ),
                (Role::Digit, Detail::Digit(n)) => assert!((1..=5).contains(&n), "{phrase:?}"),
                (Role::Sort, Detail::Sort(_)) => {}
                (Role::Money | Role::Country | Role::Digit | Role::Sort, _) => {
                    panic!("{phrase:?} carries nothing")
                }
                (_, Detail::Nothing) => {}
                (_, _) => panic!("{phrase:?} carries what its role does not"),
            }
        }
    }
}
