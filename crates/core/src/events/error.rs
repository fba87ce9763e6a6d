//! Why a usage batch was refused: one typed reason for the whole batch (a batch is taken whole
//! or not at all), worded in every locale like every problem of the rules.

use std::fmt;

use super::MAX_BATCH_BYTES;
use crate::codec::field::FieldFault;
use crate::codec::json::{JsonError, Position};
use crate::problem::Problem;
use crate::text::quoted;

/// Why a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// More bytes than [`MAX_BATCH_BYTES`].
    TooLarge {
        /// How many were sent.
        bytes: usize,
    },
    /// The bytes are not UTF-8.
    NotUtf8,
    /// Not JSON (RFC 8259).
    NotJson(JsonError),
    /// The batch, or its `counts`, is not a JSON object.
    NotAnObject(&'static str),
    /// A field no batch has (what it was, cut short).
    UnknownField {
        /// The field.
        field: String,
        /// Where its value starts.
        at: Position,
    },
    /// A field given twice, a field every batch has missing, or a field of the wrong type (a
    /// whole number for `schema`, `browser_major`, `utc_offset` and each count, an object for
    /// `counts`, a string for the others).
    Field(FieldFault),
    /// A value outside its field's set or bounds (what it was, cut short).
    BadValue {
        /// The field.
        field: &'static str,
        /// The value as sent.
        value: String,
        /// Where it starts.
        at: Position,
    },
    /// A batch format this build does not read.
    UnsupportedSchema(u64),
    /// A count of an event that is not on the list (what it was, cut short).
    UnknownEvent {
        /// The event's name as sent.
        event: String,
        /// Where its count starts.
        at: Position,
    },
    /// An event counted twice.
    DuplicateEvent {
        /// The event.
        event: &'static str,
        /// Where its second count starts.
        at: Position,
    },
    /// An event counted more often than one batch may count it.
    CountTooHigh {
        /// The event.
        event: &'static str,
        /// The count sent.
        count: u64,
        /// The most a batch may count of it.
        max: u32,
    },
    /// More entries in `counts` than there are events.
    TooManyEntries {
        /// How many events there are.
        limit: usize,
    },
}

/// A batch's [`FieldFault`] codes: twice, missing, wrong type.
const FIELD_CODES: [&str; 3] = [
    "events_duplicate_field",
    "events_missing_field",
    "events_wrong_type",
];

impl BatchError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "events_too_large",
        "events_not_utf8",
        "events_not_json",
        "events_not_an_object",
        "events_unknown_field",
        FIELD_CODES[0],
        FIELD_CODES[1],
        FIELD_CODES[2],
        "events_bad_value",
        "events_unsupported_schema",
        "events_unknown_event",
        "events_duplicate_event",
        "events_count_too_high",
        "events_too_many_entries",
    ];
}

impl Problem for BatchError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "events_too_large",
            Self::NotUtf8 => "events_not_utf8",
            Self::NotJson(_) => "events_not_json",
            Self::NotAnObject(_) => "events_not_an_object",
            Self::UnknownField { .. } => "events_unknown_field",
            Self::Field(fault) => fault.code(&FIELD_CODES),
            Self::BadValue { .. } => "events_bad_value",
            Self::UnsupportedSchema(_) => "events_unsupported_schema",
            Self::UnknownEvent { .. } => "events_unknown_event",
            Self::DuplicateEvent { .. } => "events_duplicate_event",
            Self::CountTooHigh { .. } => "events_count_too_high",
            Self::TooManyEntries { .. } => "events_too_many_entries",
        }
    }

    fn params(&self) -> Vec<String> {
        let at = |name: &str, at: &Position| {
            vec![name.to_owned(), at.line.to_string(), at.column.to_string()]
        };
        match self {
            Self::TooLarge { bytes } => vec![bytes.to_string(), MAX_BATCH_BYTES.to_string()],
            Self::NotUtf8 => Vec::new(),
            Self::NotJson(e) => vec![e.line.to_string(), e.column.to_string()],
            Self::NotAnObject(what) => vec![(*what).to_owned()],
            Self::UnknownField { field, at: where_ } => at(field, where_),
            Self::Field(fault) => fault.params(),
            Self::BadValue {
                field,
                value,
                at: where_,
            } => vec![
                (*field).to_owned(),
                value.clone(),
                where_.line.to_string(),
                where_.column.to_string(),
            ],
            Self::UnsupportedSchema(schema) => {
                vec![schema.to_string(), super::SCHEMA.to_string()]
            }
            Self::UnknownEvent { event, at: where_ } => at(event, where_),
            Self::DuplicateEvent { event, at: where_ } => at(event, where_),
            Self::CountTooHigh { event, count, max } => {
                vec![(*event).to_owned(), count.to_string(), max.to_string()]
            }
            Self::TooManyEntries { limit } => vec![limit.to_string()],
        }
    }
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("usage batch refused: ")?;
        let place = |at: &Position| format!("(line {}, column {})", at.line, at.column);
        match self {
            Self::TooLarge { bytes } => {
                write!(f, "{bytes} bytes, over the {MAX_BATCH_BYTES}-byte limit")
            }
            Self::NotUtf8 => f.write_str("it is not UTF-8"),
            Self::NotJson(e) => write!(f, "it is not JSON: {e}"),
            Self::NotAnObject(what) => write!(f, "the {what} is not an object"),
            Self::UnknownField { field, at } => {
                write!(f, "unknown field {} {}", quoted(field), place(at))
            }
            Self::Field(fault) => fault.fmt(f),
            Self::BadValue { field, value, at } => write!(
                f,
                "{} is not a value {field} may have {}",
                quoted(value),
                place(at)
            ),
            Self::UnsupportedSchema(schema) => write!(
                f,
                "schema {schema} is not supported (expected {})",
                super::SCHEMA
            ),
            Self::UnknownEvent { event, at } => {
                write!(f, "{} is not an event counted {}", quoted(event), place(at))
            }
            Self::DuplicateEvent { event, at } => {
                write!(f, "{event} is counted twice {}", place(at))
            }
            Self::CountTooHigh { event, count, max } => {
                write!(
                    f,
                    "{event} counted {count} times, more than the {max} a batch may"
                )
            }
            Self::TooManyEntries { limit } => {
                write!(f, "counts has more entries than the {limit} events")
            }
        }
    }
}

impl std::error::Error for BatchError {}

impl From<JsonError> for BatchError {
    fn from(error: JsonError) -> Self {
        Self::NotJson(error)
    }
}
