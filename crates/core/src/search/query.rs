//! A request as tokens ([`Query`]), and what the readers ask of it: the text and key of a token,
//! which phrases start or end where, which tokens are free, and taking the tokens a reader
//! understood. Built by `tokenize`, its phrases recorded by `phrases`.

use super::vocabulary::{Found, Mark, Role, SortSays, MAX_PHRASE_TOKENS};
use crate::money::Currency;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Letters (any script), with `.` or an apostrophe between letters (`ee.uu`, `men's`).
    Word,
    /// ASCII digits with `.`, `,` or an apostrophe between digits (`1,299.00`, `1.299,00`, `4,5`,
    /// `1'299`).
    Number,
    /// A hyphen, dash or minus sign: joins words (`usb-c`) or makes a range (`20-40`).
    Dash,
    /// `+`, as in `4+ stars` or `$50+`.
    Plus,
    /// `/`, as in `4.5/5`.
    Slash,
    /// Any other character that is not punctuation: currency signs, stars, emoji.
    Symbol,
}

/// One token of the request.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub class: Class,
    /// Byte range of its lower-case text in [`Query::lower`].
    pub text: (usize, usize),
    /// Byte range of its folded key in [`Query::folded`].
    pub key: (usize, usize),
    /// Nothing separates it from the token before (`10000` and `mah` in `10000mAh`).
    pub glued: bool,
    /// Punctuation (`,`, `;`, `:`, `(`, `!`...) stands between it and the token before: no
    /// phrase, price or range runs across it.
    pub parted: bool,
    /// A number of exactly three digits that one space separates from the number before: a
    /// thousands group in the French and Russian way (`3 000`) or a number of its own
    /// (`iPhone 15 800 dollars`); the price reader decides, knowing the currency.
    pub group: bool,
    /// Written in capitals only: a lone capital is a model letter (`USB A`, `Vitamin E`), not
    /// an article, and a two-letter code names a country only so written (`US`), or before
    /// "warehouse".
    pub caps: bool,
    /// The phrases that start here, filled in by [`super::phrases::find`].
    pub found: Found,
    /// Taken by a phrase already understood (a price, a rating...): no longer a keyword.
    pub used: bool,
}

/// A tokenised request.
#[derive(Debug, Default)]
pub(super) struct Query {
    /// The currency the shopper's AliExpress shows, when known: what a sign or word several
    /// currencies share (`$`, `¥`, "dollars") means when it is one of them.
    pub shown: Option<Currency>,
    pub lower: String,
    pub folded: String,
    pub tokens: Vec<Token>,
}

impl Query {
    /// The lower-case text of token `i` ("" past the end).
    pub(super) fn text(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.lower.get(t.text.0..t.text.1))
            .unwrap_or("")
    }

    /// The folded key of token `i` ("" past the end).
    pub(super) fn key(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.folded.get(t.key.0..t.key.1))
            .unwrap_or("")
    }

    /// The class of token `i`, if there is one.
    pub(super) fn class(&self, i: usize) -> Option<Class> {
        self.tokens.get(i).map(|t| t.class)
    }

    /// Whether token `i` exists and is glued to the token before it.
    pub(super) fn glued(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.glued)
    }

    /// Whether token `i` exists and punctuation parts it from the token before it.
    pub(super) fn parted(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.parted)
    }

    /// Whether tokens `i..i + len` all exist and none is taken.
    pub(super) fn free(&self, i: usize, len: usize) -> bool {
        len > 0
            && self
                .tokens
                .get(i..i + len)
                .is_some_and(|span| span.iter().all(|t| !t.used))
    }

    /// Whether a phrase of `role` covers exactly tokens `i..i + len`, none of them taken.
    pub(super) fn is(&self, i: usize, role: Role, len: usize) -> bool {
        self.has(i, role, len) && self.free(i, len)
    }

    /// Whether a phrase of `role` covers exactly tokens `i..i + len`, taken or not.
    pub(super) fn has(&self, i: usize, role: Role, len: usize) -> bool {
        let bits = self
            .tokens
            .get(i)
            .and_then(|t| t.found.lengths.get(role as usize))
            .copied()
            .unwrap_or(0);
        (1..=MAX_PHRASE_TOKENS).contains(&len) && bits & (1 << (len - 1)) != 0
    }

    /// The length of the longest phrase of `role` at token `i` whose tokens are all free,
    /// 0 if none.
    // Out of line: called from every reader, inlined it would be copied into each (WASM size).
    #[inline(never)]
    pub(super) fn at(&self, i: usize, role: Role) -> usize {
        let mut bits = self
            .tokens
            .get(i)
            .and_then(|t| t.found.lengths.get(role as usize))
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

    /// The length of the longest free phrase of `role` that continues the phrase before it at
    /// token `i`: none if punctuation parts them.
    pub(super) fn next(&self, i: usize, role: Role) -> usize {
        if self.parted(i) {
            0
        } else {
            self.at(i, role)
        }
    }

    /// The start of a free phrase of `role` that ends just before token `end`, with no
    /// punctuation between them.
    #[inline(never)]
    pub(super) fn ending_at(&self, end: usize, role: Role) -> Option<usize> {
        if self.parted(end) {
            return None;
        }
        (end.saturating_sub(MAX_PHRASE_TOKENS)..end)
            .find(|&start| self.is(start, role, end - start))
    }

    /// The start of a phrase of `role` that ends just before token `end`, taken or not.
    #[inline(never)]
    pub(super) fn any_ending_at(&self, end: usize, role: Role) -> Option<usize> {
        if self.parted(end) {
            return None;
        }
        (end.saturating_sub(MAX_PHRASE_TOKENS)..end)
            .find(|&start| self.has(start, role, end - start))
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
    pub(super) fn sort(&self, i: usize) -> Option<SortSays> {
        self.tokens.get(i).and_then(|t| t.found.sort)
    }

    /// The rating number a word at token `i` spells (0 if none).
    pub(super) fn digit(&self, i: usize) -> u8 {
        self.tokens.get(i).map_or(0, |t| t.found.digit)
    }
}
