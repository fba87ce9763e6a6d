//! What can be wrong with one field of a JSON object whose fields a reader knows: given twice,
//! missing, or of the wrong type. The feed's and the cart's readers say it in these words, each
//! under its own codes.

use std::fmt;

use super::json::Position;

/// One field of an object that is not as its reader needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFault {
    /// Given twice.
    Twice {
        /// The field.
        field: &'static str,
        /// Where its second value starts.
        at: Position,
    },
    /// Not given, and needed.
    Missing(&'static str),
    /// Its value is of the wrong type.
    WrongType {
        /// The field.
        field: &'static str,
        /// Where its value starts.
        at: Position,
    },
}

impl FieldFault {
    /// The field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Twice { field, .. } | Self::WrongType { field, .. } | Self::Missing(field) => {
                field
            }
        }
    }

    /// Where its value starts, unless it is missing.
    pub fn at(&self) -> Option<Position> {
        match self {
            Self::Twice { at, .. } | Self::WrongType { at, .. } => Some(*at),
            Self::Missing(_) => None,
        }
    }

    /// Which of a reader's three codes `[twice, missing, wrong type]` this is.
    pub fn code(&self, codes: &[&'static str; 3]) -> &'static str {
        let [twice, missing, wrong_type] = *codes;
        match self {
            Self::Twice { .. } => twice,
            Self::Missing(_) => missing,
            Self::WrongType { .. } => wrong_type,
        }
    }

    /// The field, then the line and column where its value starts (unless it is missing).
    pub fn params(&self) -> Vec<String> {
        let mut params = vec![self.field().to_owned()];
        if let Some(at) = self.at() {
            params.extend([at.line.to_string(), at.column.to_string()]);
        }
        params
    }
}

impl fmt::Display for FieldFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field();
        match self {
            Self::Twice { .. } => write!(f, "{field} is given twice")?,
            Self::Missing(_) => return write!(f, "{field} is missing"),
            Self::WrongType { .. } => write!(f, "{field} has the wrong type")?,
        }
        match self.at() {
            Some(at) => write!(f, " (line {}, column {})", at.line, at.column),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [&str; 3] = ["x_twice", "x_missing", "x_wrong"];

    #[test]
    fn each_fault_has_its_code_its_params_and_its_words() {
        let at = Position { line: 2, column: 7 };
        let twice = FieldFault::Twice { field: "id", at };
        let missing = FieldFault::Missing("id");
        let wrong = FieldFault::WrongType { field: "id", at };
        assert_eq!(
            [twice.code(&CODES), missing.code(&CODES), wrong.code(&CODES)],
            CODES
        );
        assert_eq!(twice.params(), ["id", "2", "7"]);
        assert_eq!(missing.params(), ["id"]);
        assert_eq!(twice.to_string(), "id is given twice (line 2, column 7)");
        assert_eq!(missing.to_string(), "id is missing");
        assert_eq!(
            wrong.to_string(),
            "id has the wrong type (line 2, column 7)"
        );
    }
}
