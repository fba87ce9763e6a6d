//! Property tests of the request reader: no input panics or takes long (10 KB of text, emoji,
//! right-to-left scripts, control characters), every answer is well formed, and a request built
//! from product words and any price, rating, shipping, sort and filler phrases keeps the product
//! words as its keywords.

use proptest::prelude::*;

use super::*;

/// Product words: brand and model words among them, in the six languages. None is a word of a
/// phrase table (checked by `products_are_read_as_keywords_alone`), so each is a product word.
const PRODUCTS: &[&str] = &[
    "bluetooth speaker",
    "iphone 15",
    "iphone 15 case",
    "usb-c cable",
    "1tb ssd",
    "20000mah power bank",
    "27 inch monitor",
    "samsung galaxy s24",
    "ps5 controller",
    "rtx 4090",
    "xiaomi redmi note 13",
    "lego technic 42115",
    "3-in-1 charger",
    "m8 screws",
    "zapatos mujer",
    "funda móvil",
    "carregador usb c",
    "tênis masculino",
    "sac main cuir",
    "écouteurs",
    "handyhülle iphone 15",
    "wärmflasche",
    "powerbank 10000mah",
    "смарт часы",
    "кроссовки nike",
    "чехол iphone 15",
];

/// Phrases a shopper adds to product words, in the six languages. Amounts that start a phrase
/// bare never have exactly three digits: after a model number, `iPhone 15 800 рублей` is
/// `15 800` roubles by the French and Russian way of grouping thousands (a documented
/// ambiguity), where `iPhone 15 30€` is not.
const PHRASES: &[&str] = &[
    "under 30 dollars",
    "below $25",
    "between 20 and 40 euros",
    "$10-$20",
    "from 30 to 60 usd",
    "over 50 usd",
    "4+ stars",
    "at least 4.5 stars",
    "rated 4 or more",
    "free shipping",
    "ships from Spain",
    "US warehouse",
    "cheapest",
    "best selling",
    "newest",
    "I'm looking for",
    "please",
    "entre 20 y 40 euros",
    "por menos de 15 euros",
    "hasta 50 dólares",
    "más de 4 estrellas",
    "envío gratis",
    "desde España",
    "más barato",
    "los más vendidos",
    "novedades",
    "busco",
    "até 50 reais",
    "entre R$ 100 e R$ 200",
    "4,5 estrelas ou mais",
    "frete grátis",
    "enviado do Brasil",
    "mais vendidos",
    "lançamentos",
    "estou procurando",
    "moins de 20 euros",
    "jusqu'à 10 €",
    "au moins 4 étoiles",
    "livraison gratuite",
    "expédié depuis la France",
    "le moins cher",
    "meilleures ventes",
    "je cherche",
    "unter 30 Euro",
    "von 40 bis 80 Euro",
    "mindestens 4 Sterne",
    "kostenloser Versand",
    "Versand aus Deutschland",
    "am günstigsten",
    "Neuheiten",
    "ich suche",
    "до 3000 рублей",
    "от 1000 до 2000 рублей",
    "от 4 звезд",
    "рейтинг 4,5",
    "бесплатная доставка",
    "доставка из России",
    "самые дешевые",
    "хиты продаж",
    "ищу",
    "30€",
    "1.299,00 €",
    "1,299.00 USD",
    "3 000 ₽",
    "R$ 50 ou menos",
    "price 20-40",
];

/// Pieces of hostile text: phrase words, numbers in every format, signs, emoji, right-to-left
/// and Cyrillic script, marks, control and invisible characters.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(PHRASES).prop_map(str::to_owned),
        prop::sample::select(PRODUCTS).prop_map(str::to_owned),
        prop::sample::select(
            &[
                "de",
                "a",
                "to",
                "-",
                "–",
                "+",
                "/",
                "$",
                "€",
                "R$",
                "US$",
                "₽",
                "¥",
                "★",
                "⭐\u{FE0F}",
                "'",
                "’",
                "l'",
                "jusqu'",
                ".",
                ",",
                "%",
                "max",
                "pro",
                "and",
                "between",
                "from",
                "warehouse",
                "US",
                "us",
                "под",
                "из",
                "с",
                "до",
                "4.5/5",
                "0",
                "000",
                "1 000",
                "9999999999999999999",
                "1,2,3",
                "1.2.3",
                "4,5",
                "12,99",
                "\u{202E}",
                "\u{200F}",
                "\u{200B}",
                "\u{FEFF}",
                "\u{0000}",
                "\u{0007}",
                "\u{001B}",
                "\t",
                "\n",
                "\r",
                "\u{0301}",
                "\u{0306}",
                "İ",
                "ß",
                "ẞ",
                "Ё",
                "🔥",
                "👩‍👩‍👧",
                "🇺🇸",
                "שלום",
                "مرحبا",
                "עד 50",
                "ＵＳＤ",
                "３０",
                "\u{3000}",
                "\u{00A0}",
                "\u{202F}",
            ][..]
        )
        .prop_map(str::to_owned),
        "[0-9.,]{1,12}",
        any::<char>().prop_map(String::from),
    ]
}

fn hostile_text(pieces: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(hostile_piece(), 0..pieces),
        prop::collection::vec(
            prop::sample::select(&["", " ", " ", ", ", "\u{00A0}"][..]),
            pieces,
        ),
    )
        .prop_map(|(pieces, gaps)| {
            pieces
                .iter()
                .zip(gaps.iter().chain(std::iter::repeat(&" ")))
                .map(|(piece, gap)| format!("{piece}{gap}"))
                .collect()
        })
}

/// Everything any answer must satisfy.
fn well_formed(request: &SearchRequest) -> Result<(), TestCaseError> {
    let is_price = |p: Option<f64>| p.is_none_or(|p| p.is_finite() && (0.0..=1e9).contains(&p));
    prop_assert!(is_price(request.min_price), "{request:?}");
    prop_assert!(is_price(request.max_price), "{request:?}");
    if let (Some(min), Some(max)) = (request.min_price, request.max_price) {
        prop_assert!(min <= max, "{request:?}");
    }
    prop_assert!(
        request.min_rating.is_none_or(|r| r > 0.0 && r <= 5.0),
        "{request:?}"
    );
    let k = &request.keywords;
    prop_assert!(
        !k.starts_with(' ') && !k.ends_with(' ') && !k.contains("  "),
        "{k:?}"
    );
    prop_assert!(!k.chars().any(|c| c.is_control()), "{k:?}");
    let answer = request.clone().answer(Site::default(), &Rates::none());
    let url = &answer.url;
    prop_assert!(url.starts_with("https://www.aliexpress.com/wholesale?SearchText="));
    prop_assert!(url.is_ascii() && !url.contains(' '), "{url}");
    let json: serde_json::Value = serde_json::from_str(&answer.to_json())
        .map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
    prop_assert_eq!(json.as_object().map(|o| o.len()), Some(12));
    Ok(())
}

/// What bounds the reader's work whatever the input: only the first [`MAX_QUERY_CHARS`]
/// characters are read, so text past them changes nothing. (How long the worst inputs take is a
/// benchmark, `cargo bench -p shopper-core --bench search`, not a timed test.)
fn read_bounded(text: &str) -> Result<SearchRequest, TestCaseError> {
    let request = parse_query(text);
    let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
    prop_assert_eq!(
        &request,
        &parse_query(&cut),
        "text past the cut changed the answer"
    );
    Ok(request)
}

/// Whether `keywords` holds `product` as whole words.
fn keeps(keywords: &str, product: &str) -> bool {
    format!(" {keywords} ").contains(&format!(" {product} "))
}

#[test]
fn products_are_read_as_keywords_alone() {
    for product in PRODUCTS {
        let request = parse_query(product);
        assert_eq!(
            request,
            SearchRequest {
                keywords: (*product).to_owned(),
                ..SearchRequest::default()
            }
        );
    }
}

#[test]
fn the_worst_inputs_are_read_only_to_the_cut() {
    // Inputs that make every reader try hardest: every token a phrase start, a number, a range
    // joiner or a currency sign, at the full length read.
    let worst = [
        "de ".repeat(2_000),
        "1 000 ".repeat(2_000),
        "$1-$2 ".repeat(2_000),
        "between 1 and ".repeat(1_000),
        "от 4 звезд ".repeat(1_000),
        "expédié depuis la France ".repeat(500),
        "самые дешевые ".repeat(1_000),
        "a".repeat(100_000),
        "🔥".repeat(10_000),
        "\u{0301}".repeat(10_000),
        "1".repeat(10_000),
        "1,".repeat(10_000),
    ];
    for text in &worst {
        let read = read_bounded(text);
        assert!(
            read.as_ref()
                .is_ok_and(|request| well_formed(request).is_ok()),
            "{read:?} for {:?}…",
            text.get(..40)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn product_words_survive_any_phrases(
        product in prop::sample::select(PRODUCTS),
        phrases in prop::collection::vec(prop::sample::select(PHRASES), 0..5),
        at in 0usize..6,
        shout in any::<bool>(),
    ) {
        let mut parts: Vec<&str> = phrases.clone();
        parts.insert(at.min(parts.len()), product);
        let mut query = parts.join(" ");
        if shout {
            query = query.to_uppercase();
        }
        let request = parse_query(&query);
        well_formed(&request)?;
        prop_assert!(keeps(&request.keywords, product), "{query:?} gave {:?}", request.keywords);
    }

    #[test]
    fn any_text_is_read_without_panic(text in any::<String>()) {
        well_formed(&parse_query(&text))?;
    }

    #[test]
    fn hostile_text_is_read_without_panic(text in hostile_text(60)) {
        well_formed(&parse_query(&text))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ten_kilobytes_are_read_only_to_the_cut(text in hostile_text(1_500)) {
        let text: String = text.chars().cycle().take(10_000).collect();
        well_formed(&read_bounded(&text)?)?;
    }
}
