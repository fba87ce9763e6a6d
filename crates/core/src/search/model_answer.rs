//! The operator's language model as a reader of requests the rules could not read fully
//! ([`super::read_fully`]): what it is told ([`MODEL_INSTRUCTIONS`]), the JSON schema its answer
//! must follow ([`MODEL_ANSWER_SCHEMA`]), the strict reader of that answer into the same
//! [`SearchRequest`] the rules make ([`read_model_answer`]), and how its reading and the rules'
//! are put together ([`SearchRequest::with_model_reading`]).
//!
//! The model's answer is untrusted, whatever the schema asked: it is read only when it is small
//! ([`MAX_MODEL_ANSWER_BYTES`]), one JSON object with each of the schema's fields exactly once
//! and no other, each value of its type and among the values the rules themselves can read (a
//! known currency and country, a rating of at most five stars, a price no higher than the rules
//! read, one of the four orders). Anything else refuses the whole answer, and the rules'
//! reading stands. A fault carries no text of the answer: it may echo the shopper's request.

use std::fmt;

use super::lang::names_country;
use super::prices::MAX_PRICE;
use super::{parse_query, SearchRequest, SortOrder};
use crate::codec::field::FieldFault;
use crate::codec::json::{JsonError, Next, Position, Reader};
use crate::money::Currency;
use crate::page::CountryCode;

/// The largest answer read, in bytes: a filled answer takes about 250.
pub const MAX_MODEL_ANSWER_BYTES: usize = 4096;
/// The longest keywords read from the model, in characters (the schema's `maxLength`).
pub const MAX_MODEL_KEYWORDS_CHARS: usize = 100;

/// The answer's fields, in the schema's order: the request's own fields, as the answers write
/// them.
pub const MODEL_ANSWER_FIELDS: [&str; 8] = [
    "keywords",
    "min_price",
    "max_price",
    "currency",
    "min_rating",
    "free_shipping",
    "ship_from",
    "sort",
];

/// What the model is told (its system message); the shopper's request is the user message.
/// The same for every request, so a server that caches a prompt's prefix reads it once.
pub const MODEL_INSTRUCTIONS: &str = "You read one request a shopper typed into the search box \
of a shopping assistant for AliExpress, in any language, and answer only with a JSON object of \
the given schema. keywords: a few words naming the product to search AliExpress for, in the \
language of the request; when the request describes a person, an occasion or a wish rather than \
a product, the product that suits it best (for \"a gift for a ten-year-old who likes space\", \
\"kids telescope\"); never a person, an occasion, a price or a filter. min_price and max_price: \
the price range the request names, as numbers, else null. currency: the ISO 4217 code of the \
currency the request names, else null. min_rating: the least rating in stars out of 5 the \
request asks for, else null. free_shipping: true only when the request asks for free shipping. \
ship_from: the ISO 3166-1 alpha-2 code of the country the request wants the items shipped from, \
else null. sort: price_asc (cheapest first), price_desc, orders (best selling) or newest when \
the request asks for an order, else null. Never add a filter the request does not ask for.";

/// The JSON schema of the model's answer, as `response_format.json_schema.schema` carries it:
/// every field required (nullable where the request may not say), nothing else allowed.
pub const MODEL_ANSWER_SCHEMA: &str = r#"{"type":"object","additionalProperties":false,"properties":{"keywords":{"type":"string","minLength":1,"maxLength":100},"min_price":{"type":["number","null"],"minimum":0},"max_price":{"type":["number","null"],"minimum":0},"currency":{"type":["string","null"],"pattern":"^[A-Z]{3}$"},"min_rating":{"type":["number","null"],"minimum":0,"maximum":5},"free_shipping":{"type":"boolean"},"ship_from":{"type":["string","null"],"pattern":"^[A-Z]{2}$"},"sort":{"type":["string","null"],"enum":["price_asc","price_desc","orders","newest",null]}},"required":["keywords","min_price","max_price","currency","min_rating","free_shipping","ship_from","sort"]}"#;

/// Why the model's answer was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelAnswerFault {
    /// More bytes than [`MAX_MODEL_ANSWER_BYTES`] (how many).
    TooLarge(usize),
    /// Not JSON.
    NotJson(JsonError),
    /// JSON, but not an object.
    NotAnObject,
    /// A field the schema does not have (its name is not kept: untrusted text).
    UnknownField(Position),
    /// A field given twice, missing, or of the wrong type.
    Field(FieldFault),
    /// A field's value is none the rules could read: an unknown currency, country or order, a
    /// rating above five stars, a price below zero or above the rules' largest, a least price
    /// above the most, keywords without a product word or too long.
    BadValue(&'static str),
}

impl ModelAnswerFault {
    /// What kind of fault, for a log line (which never holds the answer): `model_answer_` then
    /// `too_large`, `not_json`, `not_an_object`, `unknown_field`, `field_twice`,
    /// `field_missing`, `field_wrong_type` or `bad_value`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TooLarge(_) => "model_answer_too_large",
            Self::NotJson(_) => "model_answer_not_json",
            Self::NotAnObject => "model_answer_not_an_object",
            Self::UnknownField(_) => "model_answer_unknown_field",
            Self::Field(fault) => fault.code(&[
                "model_answer_field_twice",
                "model_answer_field_missing",
                "model_answer_field_wrong_type",
            ]),
            Self::BadValue(_) => "model_answer_bad_value",
        }
    }
}

impl fmt::Display for ModelAnswerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the language model's answer is refused: ")?;
        match self {
            Self::TooLarge(bytes) => write!(f, "{bytes} bytes, over {MAX_MODEL_ANSWER_BYTES}"),
            Self::NotJson(error) => write!(f, "not JSON: {error}"),
            Self::NotAnObject => f.write_str("not a JSON object"),
            Self::UnknownField(at) => write!(
                f,
                "a field the schema does not have (line {}, column {})",
                at.line, at.column
            ),
            Self::Field(fault) => fault.fmt(f),
            Self::BadValue(field) => write!(f, "{field} has a value the rules cannot read"),
        }
    }
}

impl std::error::Error for ModelAnswerFault {}

impl From<JsonError> for ModelAnswerFault {
    fn from(error: JsonError) -> Self {
        Self::NotJson(error)
    }
}

/// Reads the model's answer (the content of its message) into a request, as strictly as the
/// module says; its keywords are read as the rules read product words (lower-case, without
/// filler, price or filter words).
pub fn read_model_answer(text: &str) -> Result<SearchRequest, ModelAnswerFault> {
    if text.len() > MAX_MODEL_ANSWER_BYTES {
        return Err(ModelAnswerFault::TooLarge(text.len()));
    }
    let mut reader = Reader::new(text);
    if reader.peek()? != Next::Object {
        // JSON's own reason first, when it is not JSON at all.
        reader.skip()?;
        reader.end()?;
        return Err(ModelAnswerFault::NotAnObject);
    }
    let mut open = reader.begin_object()?;
    let mut seen = 0u8;
    let mut request = SearchRequest::default();
    while let Some(key) = reader.next_key(&mut open)? {
        reader.peek()?;
        let at = reader.position_in_text();
        let Some(index) = MODEL_ANSWER_FIELDS.iter().position(|name| *name == key) else {
            return Err(ModelAnswerFault::UnknownField(at));
        };
        let field = MODEL_ANSWER_FIELDS.get(index).copied().unwrap_or("");
        if seen & (1 << index) != 0 {
            return Err(ModelAnswerFault::Field(FieldFault::Twice { field, at }));
        }
        seen |= 1 << index;
        let mut value = FieldValue {
            reader: &mut reader,
            field,
            at,
        };
        match field {
            "keywords" => request.keywords = value.keywords()?,
            "min_price" => request.min_price = value.price()?.filter(|p| *p > 0.0),
            "max_price" => {
                request.max_price = value.price()?;
                // Nothing costs nothing: a most of 0 is no reading of a request.
                if request.max_price == Some(0.0) {
                    return Err(value.bad());
                }
            }
            "currency" => request.currency = value.named(Currency::parse)?,
            "min_rating" => {
                request.min_rating = match value.number()? {
                    Some(stars) if (0.0..=5.0).contains(&stars) => Some(stars),
                    None => None,
                    Some(_) => return Err(value.bad()),
                }
                // No least rating.
                .filter(|stars| *stars > 0.0);
            }
            "free_shipping" => request.free_shipping = value.boolean()?,
            "ship_from" => request.ship_from = value.named(country)?,
            _ => request.sort = value.named(SortOrder::parse)?,
        }
    }
    reader.end()?;
    if let Some(field) = MODEL_ANSWER_FIELDS
        .iter()
        .enumerate()
        .find(|(index, _)| seen & (1 << index) == 0)
        .map(|(_, field)| *field)
    {
        return Err(ModelAnswerFault::Field(FieldFault::Missing(field)));
    }
    match (request.min_price, request.max_price) {
        (Some(min), Some(max)) if min > max => return Err(ModelAnswerFault::BadValue("max_price")),
        // The currency only says what the prices are in.
        (None, None) => request.currency = None,
        _ => {}
    }
    Ok(request)
}

/// A country code as the answer must write it: two upper-case letters, of a country the rules
/// can read an item's origin as.
fn country(text: &str) -> Option<CountryCode> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()) && names_country(text))
        .then(|| CountryCode::parse(text))
        .flatten()
}

/// One field's value, about to be read.
struct FieldValue<'r, 'a> {
    reader: &'r mut Reader<'a>,
    field: &'static str,
    at: Position,
}

impl FieldValue<'_, '_> {
    fn wrong_type(&self) -> ModelAnswerFault {
        ModelAnswerFault::Field(FieldFault::WrongType {
            field: self.field,
            at: self.at,
        })
    }

    fn bad(&self) -> ModelAnswerFault {
        ModelAnswerFault::BadValue(self.field)
    }

    /// Whether the value is `null` (then it is read).
    fn null(&mut self) -> Result<bool, ModelAnswerFault> {
        if self.reader.peek()? == Next::Null {
            self.reader.null()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A number or null.
    fn number(&mut self) -> Result<Option<f64>, ModelAnswerFault> {
        if self.null()? {
            return Ok(None);
        }
        if self.reader.peek()? != Next::Number {
            return Err(self.wrong_type());
        }
        let number = self.reader.number()?;
        number
            .to_f64()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or(self.bad())
    }

    /// A price or null: not negative, and no more than the rules read (0 is read as no price).
    fn price(&mut self) -> Result<Option<f64>, ModelAnswerFault> {
        match self.number()? {
            Some(price) if (0.0..=MAX_PRICE).contains(&price) => Ok(Some(price)),
            Some(_) => Err(self.bad()),
            None => Ok(None),
        }
    }

    fn boolean(&mut self) -> Result<bool, ModelAnswerFault> {
        if self.reader.peek()? != Next::Bool {
            return Err(self.wrong_type());
        }
        Ok(self.reader.boolean()?)
    }

    /// A string `parse` reads, or null.
    fn named<T>(
        &mut self,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, ModelAnswerFault> {
        if self.null()? {
            return Ok(None);
        }
        if self.reader.peek()? != Next::String {
            return Err(self.wrong_type());
        }
        let text = self.reader.string()?;
        parse(&text).map(Some).ok_or(self.bad())
    }

    /// Keywords with at least one product word, read as the rules read them.
    fn keywords(&mut self) -> Result<String, ModelAnswerFault> {
        if self.reader.peek()? != Next::String {
            return Err(self.wrong_type());
        }
        let text = self.reader.string()?;
        if text.chars().nth(MAX_MODEL_KEYWORDS_CHARS).is_some() {
            return Err(self.bad());
        }
        let keywords = parse_query(&text).keywords;
        if keywords.is_empty() {
            return Err(self.bad());
        }
        Ok(keywords)
    }
}

impl SearchRequest {
    /// This request (the rules' reading) with what the model read of it (`model`): the model's
    /// product words, and each filter as the rules read it when they read it, else as the
    /// model did. The rules read filters precisely and the model only guesses them; what the
    /// rules missed was the product (the price range and its currency go together).
    pub fn with_model_reading(self, model: SearchRequest) -> SearchRequest {
        let rules_price = self.min_price.is_some() || self.max_price.is_some();
        let (min_price, max_price, currency) = if rules_price {
            (self.min_price, self.max_price, self.currency)
        } else {
            (model.min_price, model.max_price, model.currency)
        };
        SearchRequest {
            keywords: model.keywords,
            min_price,
            max_price,
            currency,
            min_rating: self.min_rating.or(model.min_rating),
            free_shipping: self.free_shipping || model.free_shipping,
            ship_from: self.ship_from.or(model.ship_from),
            sort: self.sort.or(model.sort),
        }
    }
}

#[cfg(test)]
mod tests;
