//! What the words of a request can mean ([`Role`]), and which phrases of the language tables
//! start at each token, found once per request so the readers (ratings, prices, shipping, sort,
//! keywords) ask in constant time.
//!
//! A table phrase is words separated by single spaces, in folded form (see `tokenize`); a word
//! ending in `*` is a stem that matches any word it begins (`звезд*` matches `звезд`, `звезды`,
//! `звёзд`), which is how inflected Russian and German forms are covered without listing each.
//! Dashes between words are skipped, so `best selling` also matches `best-selling`.

use super::lang;
use super::tokenize::{Class, Query};
use super::SortOrder;

/// How sure a currency or country word is on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// Names it whatever surrounds it (`dollars`, `€`, `Spain`).
    Strong,
    /// Also an everyday word (`pounds` of weight, `real` leather, the code `us`): a currency only
    /// after a price word ("under 10 pounds"), a country code only in capitals or before
    /// "warehouse".
    Weak,
}

/// What a phrase means in a request. A word with several meanings (`de`: an article, the start
/// of "de 20 a 40", "envío de España") is listed once per meaning; the readers decide which one
/// the words around it allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Says nothing about the product: articles, prepositions, "I'm looking for", "please".
    Filler,
    /// Before an amount, the most to pay: "under", "hasta", "до", "jusqu'à".
    AtMost,
    /// Before an amount, the least: "over", "más de", "от", "ab"; also opens "from X to Y".
    AtLeast,
    /// Opens "X to Y" only: "de 20 a 40", "von 20 bis 40"; alone it is not a price.
    RangeFrom,
    /// Opens "between X and Y".
    Between,
    /// Joins "between X and Y".
    And,
    /// Joins "from X to Y".
    To,
    /// After an amount: "or less", "max", "o menos", "или меньше".
    OrLess,
    /// After an amount or a rating: "or more", "and up", "ou mais", "+".
    OrMore,
    /// "price", "precio", "цена": a bare number or range after it is a price.
    PriceWord,
    /// "for", "about", "por", "за": before a price, and dropped with it, but no price on its own.
    PriceLead,
    /// A currency word after an amount ("dollars", "рублей"): its ISO 4217 code, or "" for a
    /// word that says money without saying which (`pesos`).
    Money(&'static str, Mark),
    /// A unit after a number that makes it no price (`27 inch`, `2 m`, `5 pcs`, `50 %`).
    Unit,
    /// "stars", "estrellas", "звезд", `★`.
    Star,
    /// "rated", "rating", "рейтинг": a number after it is a rating.
    RatingWord,
    /// A rating number written as a word ("four stars").
    Digit(u8),
    /// "free shipping", "envío gratis", "frete grátis", "бесплатная доставка".
    FreeShipping,
    /// "ships", "envío", "expédié", "Versand", "доставка": before where it ships from.
    ShipVerb,
    /// "from", "desde", "depuis", "aus", "из": a country after it is where it ships from.
    FromStrong,
    /// "de", "do", "von", "с": the same, but only after a shipping word.
    FromWeak,
    /// "in", "en", "no", "в": a country after it, after "warehouse", is where it ships from.
    Inside,
    /// "warehouse", "almacén", "entrepôt", "Lager", "склад".
    Warehouse,
    /// A country's name or code: ISO 3166 alpha-2.
    Country(&'static str, Mark),
    /// How to order results: "cheapest", "más vendidos", "Neuheiten".
    Sort(SortOrder),
}

/// A [`Role`] without what it carries: the index of what [`Found`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Filler,
    AtMost,
    AtLeast,
    RangeFrom,
    Between,
    And,
    To,
    OrLess,
    OrMore,
    PriceWord,
    PriceLead,
    Money,
    Unit,
    Star,
    RatingWord,
    Digit,
    FreeShipping,
    ShipVerb,
    FromStrong,
    FromWeak,
    Inside,
    Warehouse,
    Country,
    Sort,
}

const KINDS: usize = Kind::Sort as usize + 1;

/// Longest phrase recorded, in tokens (dashes skipped included).
pub(super) const MAX_PHRASE_TOKENS: usize = 8;

impl Role {
    pub(super) fn kind(self) -> Kind {
        match self {
            Self::Filler => Kind::Filler,
            Self::AtMost => Kind::AtMost,
            Self::AtLeast => Kind::AtLeast,
            Self::RangeFrom => Kind::RangeFrom,
            Self::Between => Kind::Between,
            Self::And => Kind::And,
            Self::To => Kind::To,
            Self::OrLess => Kind::OrLess,
            Self::OrMore => Kind::OrMore,
            Self::PriceWord => Kind::PriceWord,
            Self::PriceLead => Kind::PriceLead,
            Self::Money(..) => Kind::Money,
            Self::Unit => Kind::Unit,
            Self::Star => Kind::Star,
            Self::RatingWord => Kind::RatingWord,
            Self::Digit(_) => Kind::Digit,
            Self::FreeShipping => Kind::FreeShipping,
            Self::ShipVerb => Kind::ShipVerb,
            Self::FromStrong => Kind::FromStrong,
            Self::FromWeak => Kind::FromWeak,
            Self::Inside => Kind::Inside,
            Self::Warehouse => Kind::Warehouse,
            Self::Country(..) => Kind::Country,
            Self::Sort(_) => Kind::Sort,
        }
    }
}

/// The phrases starting at one token: for each kind, a bit per length (bit `n - 1` for a phrase
/// of `n` tokens), and what the longest phrase of the kinds that carry something carries.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Found {
    lengths: [u8; KINDS],
    money: Option<(&'static str, Mark)>,
    country: Option<(&'static str, Mark)>,
    sort: Option<SortOrder>,
    digit: u8,
}

impl Found {
    fn record(&mut self, role: Role, len: usize) {
        let Some(bits) = self.lengths.get_mut(role.kind() as usize) else {
            return;
        };
        if len == 0 || len > MAX_PHRASE_TOKENS {
            return;
        }
        let longest = 8 - bits.leading_zeros() as usize;
        *bits |= 1 << (len - 1);
        if len < longest {
            return;
        }
        match role {
            Role::Money(code, mark) => self.money = Some((code, mark)),
            Role::Country(code, mark) => self.country = Some((code, mark)),
            Role::Sort(order) => self.sort = Some(order),
            Role::Digit(n) => self.digit = n,
            _ => {}
        }
    }
}

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
            for (phrase, role) in table.get(from..).unwrap_or(&[]) {
                if !first_word_cmp(phrase, key).is_eq() {
                    break;
                }
                if let Some(len) = span(query, i, phrase) {
                    found.record(*role, len);
                }
            }
        }
        for (phrase, role) in &index.stems {
            // Most stems fail on their first byte: test it before anything else.
            if phrase.as_bytes().first() != Some(&first_byte) {
                continue;
            }
            let stem = first_word(phrase).trim_end_matches('*');
            if key.starts_with(stem) {
                if let Some(len) = span(query, i, phrase) {
                    found.record(*role, len);
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

/// The first word of a table phrase.
pub(super) fn first_word(phrase: &str) -> &str {
    phrase.split(' ').next().unwrap_or("")
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

impl Query {
    /// Whether tokens `i..i + len` all exist and none is taken.
    pub(super) fn free(&self, i: usize, len: usize) -> bool {
        len > 0
            && self
                .tokens
                .get(i..i + len)
                .is_some_and(|span| span.iter().all(|t| !t.used))
    }

    /// Whether a phrase of `kind` covers exactly tokens `i..i + len`, none of them taken.
    pub(super) fn is(&self, i: usize, kind: Kind, len: usize) -> bool {
        self.has(i, kind, len) && self.free(i, len)
    }

    /// Whether a phrase of `kind` covers exactly tokens `i..i + len`, taken or not.
    pub(super) fn has(&self, i: usize, kind: Kind, len: usize) -> bool {
        let bits = self
            .tokens
            .get(i)
            .and_then(|t| t.found.lengths.get(kind as usize))
            .copied()
            .unwrap_or(0);
        (1..=MAX_PHRASE_TOKENS).contains(&len) && bits & (1 << (len - 1)) != 0
    }

    /// The length of the longest phrase of `kind` at token `i` whose tokens are all free,
    /// 0 if none.
    // Out of line: called from every reader, inlined it would be copied into each (WASM size).
    #[inline(never)]
    pub(super) fn at(&self, i: usize, kind: Kind) -> usize {
        let mut bits = self
            .tokens
            .get(i)
            .and_then(|t| t.found.lengths.get(kind as usize))
            .copied()
            .unwrap_or(0);
        while bits != 0 {
            let len = 8 - bits.leading_zeros() as usize;
            if self.free(i, len) {
                return len;
            }
            bits &= !(1 << (len - 1));
        }
        0
    }

    /// The length of the longest free phrase of `kind` that continues the phrase before it at
    /// token `i`: none if punctuation parts them.
    pub(super) fn next(&self, i: usize, kind: Kind) -> usize {
        if self.parted(i) {
            0
        } else {
            self.at(i, kind)
        }
    }

    /// The start of a free phrase of `kind` that ends just before token `end`, with no
    /// punctuation between them.
    #[inline(never)]
    pub(super) fn ending_at(&self, end: usize, kind: Kind) -> Option<usize> {
        if self.parted(end) {
            return None;
        }
        (end.saturating_sub(MAX_PHRASE_TOKENS)..end)
            .find(|&start| self.is(start, kind, end - start))
    }

    /// The start of a phrase of `kind` that ends just before token `end`, taken or not.
    #[inline(never)]
    pub(super) fn any_ending_at(&self, end: usize, kind: Kind) -> Option<usize> {
        if self.parted(end) {
            return None;
        }
        (end.saturating_sub(MAX_PHRASE_TOKENS)..end)
            .find(|&start| self.has(start, kind, end - start))
    }

    /// Takes tokens `from..to`: they are understood and no keyword keeps them.
    pub(super) fn take(&mut self, from: usize, to: usize) {
        for token in self.tokens.iter_mut().take(to).skip(from) {
            token.used = true;
        }
    }

    /// What the longest currency word at token `i` names.
    pub(super) fn money(&self, i: usize) -> Option<(&'static str, Mark)> {
        self.tokens.get(i).and_then(|t| t.found.money)
    }

    /// The country the longest country phrase at token `i` names.
    pub(super) fn country(&self, i: usize) -> Option<(&'static str, Mark)> {
        self.tokens.get(i).and_then(|t| t.found.country)
    }

    /// The order the longest sort phrase at token `i` asks for.
    pub(super) fn sort(&self, i: usize) -> Option<SortOrder> {
        self.tokens.get(i).and_then(|t| t.found.sort)
    }

    /// The rating number a word at token `i` spells (0 if none).
    pub(super) fn digit(&self, i: usize) -> u8 {
        self.tokens.get(i).map_or(0, |t| t.found.digit)
    }
}
