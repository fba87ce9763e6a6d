//! Who read a request: whether the rules read it fully, and so whether the companion server's
//! optional language model is asked to read it instead ([`read_fully`]), and which reader's
//! reading an answer carries ([`ReadBy`]).
//!
//! The rules read prices, ratings, shipping and order precisely, and keep every other word as a
//! product word. That is right for a product's name, however long (a title pasted whole reads
//! well as AliExpress keywords), and wrong for a description of a person or a wish ("a gift
//! for a ten-year-old who likes space" would search for `gift ten-year-old who likes space`).
//! What tells the two apart is a kind of word no product name has: words that describe a
//! person, an occasion or a wish (`gift`, `who`, `likes`, `something`, `regalo`, `qui`,
//! `Geschenk`, `подарок`; the per-language lists `DESCRIBING` in `lang/`). A request is read
//! fully unless its product words hold one. Its length alone says nothing: a long product
//! name would be sent to the model for nothing, and "gift ideas" is short.

use super::lang::describes;
use super::query::Class;
use super::tokenize::tokenize;
use super::SearchRequest;

/// Which reader's reading a request's answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    /// The rules ([`super::parse_query_in`]): they read it fully, or the model was not asked, or
    /// its answer was not usable.
    Rules,
    /// The operator's language model, its answer read strictly
    /// ([`super::read_model_answer`]).
    Model,
}

impl ReadBy {
    /// The name the answer's JSON uses: `rules` or `model`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::Model => "model",
        }
    }

    /// The reader a name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "rules" => Some(Self::Rules),
            "model" => Some(Self::Model),
            _ => None,
        }
    }
}

/// Whether the rules read `request` (their own reading of it) fully: none of its product words
/// describes a person, an occasion or a wish. A request without product words is read fully:
/// there is nothing left to read.
pub fn read_fully(request: &SearchRequest) -> bool {
    let words = tokenize(&request.keywords);
    (0..words.tokens.len())
        .filter(|&i| words.class(i) == Some(Class::Word))
        .all(|i| !describes(words.key(i)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    #[test]
    fn descriptions_are_not_read_fully_in_every_language() {
        for text in [
            "a gift for a ten-year-old who likes space",
            "present for my dad who loves fishing",
            "something to keep my coffee warm at my desk",
            "what should I buy for a friend who has everything?",
            "gift ideas under $30 for her",
            "birthday gift for girlfriend",
            "a lamp that changes color",
            "regalo para un niño de diez años que le gusta el espacio",
            "algo para mi novia que le encanta el café",
            "un cadeau pour mon fils qui aime les dinosaures",
            "Geschenk für meinen Vater, der gerne angelt",
            "подарок для мальчика который любит космос",
            "что подарить маме на день рождения",
            "presente para minha mãe que gosta de cozinhar",
            "Dad's birthday",
            "GIFTS FOR HIM",
        ] {
            assert!(!read_fully(&parse_query(text)), "{text}");
        }
    }

    #[test]
    fn product_names_with_filters_are_read_fully() {
        for text in [
            "wireless earbuds under $20 with free shipping",
            "bluetooth speaker under 30 dollars 4+ stars free shipping ships from Spain cheapest",
            "Smart Watch Fitness Tracker Bluetooth Waterproof Heart Rate Monitor Sleep",
            "iphone 15 pro max case",
            "usb-c to lightning cable 2m",
            "Brother printer toner",
            "zapatos mujer talla 38",
            "ropa niño invierno",
            "coque iphone 15 pas cher",
            "robe femme été",
            "Kopfhörer kabellos unter 50 Euro",
            "смарт часы до 3000 рублей хиты продаж",
            "fone de ouvido bluetooth frete grátis",
            "ceiling fan with light",
            "under 30 dollars cheapest",
            "",
        ] {
            assert!(read_fully(&parse_query(text)), "{text}");
        }
    }

    #[test]
    fn the_reader_is_named() {
        for reader in [ReadBy::Rules, ReadBy::Model] {
            assert_eq!(ReadBy::parse(reader.as_str()), Some(reader));
        }
        assert_eq!(ReadBy::parse("human"), None);
    }
}
