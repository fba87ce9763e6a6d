//! Reading a feed's coupons straight from JSON without failing the whole feed on one bad field:
//! every field is read as a [`Loose`] value and checked afterwards, so a string where a number
//! belongs is reported against that coupon. Reading straight into these (rather than into a
//! whole JSON tree first) is what keeps a 100,000-coupon feed fast.

use std::borrow::Cow;

use crate::codec::json::{JsonError, Next, NumberKind, Reader};

/// One JSON value as a coupon field sees it. Objects nested where a scalar belongs are skipped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Loose<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A whole number beyond `i64`.
    Huge,
    /// A number with a fraction or exponent.
    Fraction,
    /// Borrowed from the feed text when it has no escapes, as almost every string does.
    Str(Cow<'a, str>),
    List(Vec<Loose<'a>>),
    Object,
}

/// Reads the next value as a [`Loose`] one: numbers past `f64`'s range and strings with
/// unpaired surrogate escapes fail the document (the reader's limits); an object's keys are read
/// and its values skipped.
pub(crate) fn read_loose<'a>(reader: &mut Reader<'a>) -> Result<Loose<'a>, JsonError> {
    Ok(match reader.peek()? {
        Next::Null => {
            reader.null()?;
            Loose::Null
        }
        Next::Bool => Loose::Bool(reader.boolean()?),
        Next::Number => match reader.number()?.kind() {
            NumberKind::PosInt(n) => i64::try_from(n).map_or(Loose::Huge, Loose::Int),
            NumberKind::NegInt(n) => Loose::Int(n),
            NumberKind::Float => Loose::Fraction,
        },
        Next::String => Loose::Str(reader.string()?),
        Next::Array => {
            let mut items = Vec::new();
            let mut open = reader.begin_array()?;
            while reader.next_element(&mut open)? {
                items.push(read_loose(reader)?);
            }
            Loose::List(items)
        }
        Next::Object => {
            let mut open = reader.begin_object()?;
            while reader.next_key(&mut open)?.is_some() {
                reader.skip()?;
            }
            Loose::Object
        }
    })
}

/// An optional field: `null` is the field not given.
pub(crate) fn read_optional<'a>(reader: &mut Reader<'a>) -> Result<Option<Loose<'a>>, JsonError> {
    if reader.peek()? == Next::Null {
        reader.null()?;
        return Ok(None);
    }
    read_loose(reader).map(Some)
}

/// An object read as `T` when it is one, or the mark of another value.
#[derive(Debug)]
pub(crate) enum ObjectOr<T> {
    Object(T),
    /// Any other value.
    Other,
}

/// Reads an object with `read`, or reads the value that is there instead (so that what makes the
/// document invalid still does).
pub(crate) fn read_object_or<'a, T, E: From<JsonError>>(
    reader: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, E>,
) -> Result<ObjectOr<T>, E> {
    match reader.peek()? {
        Next::Object => return read(reader).map(ObjectOr::Object),
        Next::Array => reader.skip()?,
        Next::Null => reader.null()?,
        Next::Bool => drop(reader.boolean()?),
        Next::Number => drop(reader.number()?),
        Next::String => drop(reader.string()?),
    }
    Ok(ObjectOr::Other)
}
