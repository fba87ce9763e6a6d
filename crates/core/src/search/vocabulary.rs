//! What the words of a request can mean: the roles a phrase of the language tables plays
//! ([`Role`]), what some of them carry ([`Detail`]), and the record of the phrases that start at
//! one token ([`Found`]). A leaf: the tables (`lang`), the tokens (`query`), the phrase finder
//! and the readers all import it, and it imports none of them.

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
/// the words around it allow. The discriminant indexes [`Found`].
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
    /// A currency word after an amount ("dollars", "рублей"); its [`Detail::Code`] is the ISO
    /// 4217 code, or "" for a word that says money without saying which (`pesos`).
    Money,
    /// A unit after a number that makes it no price (`27 inch`, `2 m`, `5 pcs`, `50 %`).
    Unit,
    /// "stars", "estrellas", "звезд", `★`.
    Star,
    /// "rated", "rating", "рейтинг": a number after it is a rating.
    RatingWord,
    /// A rating number written as a word ("four stars"), its [`Detail::Digit`].
    Digit,
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
    /// A country's name or code; its [`Detail::Code`] is the ISO 3166 alpha-2 code.
    Country,
    /// How to order results ("cheapest", "más vendidos", "sort by price", "absteigend"); its
    /// [`Detail::Sort`] says what.
    Sort,
}

/// How many roles there are.
pub(super) const ROLES: usize = Role::Sort as usize + 1;

/// What a sort phrase says. Only the price order has two directions on AliExpress, so a phrase
/// can name the order without its direction ("sort by price") or the direction alone
/// ("descending"): the sort reader puts the two together instead of letting the first phrase
/// decide the direction it never said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortSays {
    /// Cheapest first: "cheapest", "low to high", "más barato", "am günstigsten".
    Cheapest,
    /// Most expensive first: "most expensive", "high to low", "de mayor a menor".
    Dearest,
    /// Most ordered first: "best selling", "más vendidos", "хиты продаж".
    MostOrders,
    /// Newest first: "newest", "novedades", "Neuheiten".
    Newest,
    /// By price, the direction unsaid: "sort by price", "ordenar por precio", "по цене".
    ByPrice,
    /// A direction word that is also an everyday word ("ascending", "croissant", "crescente"):
    /// cheapest first, but only right after a by-price phrase.
    Ascending,
    /// The same, most expensive first ("descending", "décroissant", "absteigend", "по убыванию").
    Descending,
}

/// What a phrase of some roles carries beyond its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// Nothing: the role says it all.
    Nothing,
    /// A currency's or country's code, and how sure the word is.
    Code(&'static str, Mark),
    /// What a sort phrase says.
    Sort(SortSays),
    /// A rating number written as a word.
    Digit(u8),
}

/// One meaning of a table phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Meaning {
    pub role: Role,
    pub detail: Detail,
}

/// Longest phrase recorded, in tokens (dashes skipped included).
pub(super) const MAX_PHRASE_TOKENS: usize = 8;

/// The phrases starting at one token: for each role, a bit per length (bit `n - 1` for a phrase
/// of `n` tokens), and what the longest phrase of the roles that carry something carries.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Found {
    pub lengths: [u8; ROLES],
    pub money: Option<(&'static str, Mark)>,
    pub country: Option<(&'static str, Mark)>,
    pub sort: Option<SortSays>,
    pub digit: u8,
}

impl Found {
    /// Records a phrase of `len` tokens that means `meaning`.
    pub(super) fn record(&mut self, meaning: Meaning, len: usize) {
        let Some(bits) = self.lengths.get_mut(meaning.role as usize) else {
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
        match (meaning.role, meaning.detail) {
            (Role::Money, Detail::Code(code, mark)) => self.money = Some((code, mark)),
            (Role::Country, Detail::Code(code, mark)) => self.country = Some((code, mark)),
            (Role::Sort, Detail::Sort(says)) => self.sort = Some(says),
            (Role::Digit, Detail::Digit(n)) => self.digit = n,
            _ => {}
        }
    }
}

/// The first word of a table phrase.
pub(super) fn first_word(phrase: &str) -> &str {
    phrase.split(' ').next().unwrap_or("")
}
