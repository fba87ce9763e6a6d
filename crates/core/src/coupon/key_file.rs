//! The publisher's key file, `{"key_id", "public_key", "secret_key"}` (base64 of 32 bytes each):
//! the one format `shopper feed keygen` and `shopper-server keygen` write and `shopper feed
//! sign|verify` and the server's signing read, so either tool reads the other's.

use std::fmt;

use super::signed::{KeyError, PublisherSecret};
use crate::codec::field::FieldFault;
use crate::codec::json::{JsonError, Next, Reader, Writer};

/// The file's fields, in the order they are written.
const FIELDS: [&str; 3] = ["key_id", "public_key", "secret_key"];

/// The largest key file read: three short strings (a secret never needs more).
pub const MAX_KEY_FILE_BYTES: usize = 4096;

/// Why a file is not a key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    /// Larger than [`MAX_KEY_FILE_BYTES`].
    TooLarge,
    /// Not UTF-8 JSON.
    Json(JsonError),
    /// Not a JSON object.
    NotAnObject,
    /// A field other than the three.
    UnknownField(String),
    /// A field given twice, missing, or not a string.
    Field(FieldFault),
    /// The key id or secret is not a key.
    Key(KeyError),
    /// The public key is not the secret's (the file was edited or put together by hand).
    PublicKeyMismatch,
}

impl fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(f, "larger than {MAX_KEY_FILE_BYTES} bytes"),
            Self::Json(error) => write!(f, "{error}"),
            Self::NotAnObject => f.write_str("not a JSON object"),
            Self::UnknownField(field) => write!(f, "unknown field {field:?}"),
            Self::Field(fault) => write!(f, "{fault}"),
            Self::Key(error) => write!(f, "{error}"),
            Self::PublicKeyMismatch => f.write_str("public_key is not the secret's"),
        }
    }
}

impl std::error::Error for KeyFileError {}

impl From<JsonError> for KeyFileError {
    fn from(error: JsonError) -> Self {
        Self::Json(error)
    }
}

/// The key file's text for `secret`, one line.
pub fn key_file_text(secret: &PublisherSecret) -> String {
    let mut w = Writer::new();
    w.begin_object();
    for (field, value) in FIELDS.iter().zip([
        secret.key_id.clone(),
        secret.public().to_base64(),
        secret.to_base64(),
    ]) {
        w.key(field);
        w.string(&value);
    }
    w.end_object();
    w.finish() + "\n"
}

/// Reads a key file: its three fields, each once, nothing else, the public key the secret's.
pub fn read_key_file(bytes: &[u8]) -> Result<PublisherSecret, KeyFileError> {
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| KeyFileError::NotAnObject)?;
    let mut reader = Reader::new(text);
    if reader.peek()? != Next::Object {
        reader.skip()?;
        reader.end()?;
        return Err(KeyFileError::NotAnObject);
    }
    let mut values: [Option<String>; 3] = [None, None, None];
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let Some(index) = FIELDS.iter().position(|field| *field == key) else {
            return Err(KeyFileError::UnknownField(key.chars().take(40).collect()));
        };
        let field = FIELDS.get(index).copied().unwrap_or_default();
        let at = reader.position_in_text();
        if reader.peek()? != Next::String {
            return Err(KeyFileError::Field(FieldFault::WrongType { field, at }));
        }
        let value = reader.string()?.into_owned();
        match values.get_mut(index) {
            Some(slot @ None) => *slot = Some(value),
            _ => return Err(KeyFileError::Field(FieldFault::Twice { field, at })),
        }
    }
    reader.end()?;
    let [key_id, public_key, secret_key] = values;
    let missing = |field| KeyFileError::Field(FieldFault::Missing(field));
    let key_id = key_id.ok_or(missing("key_id"))?;
    let public_key = public_key.ok_or(missing("public_key"))?;
    let secret_key = secret_key.ok_or(missing("secret_key"))?;
    let secret = PublisherSecret::from_base64(&key_id, &secret_key).map_err(KeyFileError::Key)?;
    if secret.public().to_base64() != public_key.trim() {
        return Err(KeyFileError::PublicKeyMismatch);
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(id: &str, byte: u8) -> PublisherSecret {
        PublisherSecret::from_bytes(id, &[byte; 32]).expect("a key")
    }

    #[test]
    fn what_is_written_reads_back() {
        let key = secret("publisher-1", 7);
        let text = key_file_text(&key);
        let read = read_key_file(text.as_bytes()).expect("reads");
        assert_eq!(read.key_id, "publisher-1");
        assert_eq!(read.public(), key.public());
        assert_eq!(read.to_base64(), key.to_base64());
        // serde_json reads the same three strings (the format other tools may write).
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["key_id"], "publisher-1");
        assert_eq!(value["public_key"], key.public().to_base64());
        assert_eq!(value["secret_key"], key.to_base64());
    }

    #[test]
    fn a_pretty_printed_file_reads_too() {
        let key = secret("k", 3);
        let text = format!(
            "{{\n  \"secret_key\": \"{}\",\n  \"public_key\": \"{}\",\n  \"key_id\": \"k\"\n}}\n",
            key.to_base64(),
            key.public().to_base64()
        );
        assert_eq!(
            read_key_file(text.as_bytes()).map(|s| s.public()),
            Ok(key.public())
        );
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        let (a, b) = (secret("a", 1), secret("b", 2));
        let lying = format!(
            r#"{{"key_id":"a","public_key":"{}","secret_key":"{}"}}"#,
            b.public().to_base64(),
            a.to_base64()
        );
        assert_eq!(
            read_key_file(lying.as_bytes()).map(|s| s.key_id),
            Err(KeyFileError::PublicKeyMismatch)
        );
        assert!(matches!(
            read_key_file(b"{}"),
            Err(KeyFileError::Field(FieldFault::Missing("key_id")))
        ));
        assert!(matches!(
            read_key_file(b"[]"),
            Err(KeyFileError::NotAnObject)
        ));
        assert!(matches!(read_key_file(b"{"), Err(KeyFileError::Json(_))));
        assert!(matches!(
            read_key_file(br#"{"key_id":"a","extra":1}"#),
            Err(KeyFileError::UnknownField(field)) if field == "extra"
        ));
        assert!(matches!(
            read_key_file(br#"{"key_id":1}"#),
            Err(KeyFileError::Field(FieldFault::WrongType {
                field: "key_id",
                ..
            }))
        ));
        assert!(matches!(
            read_key_file(br#"{"key_id":"a","key_id":"b"}"#),
            Err(KeyFileError::Field(FieldFault::Twice {
                field: "key_id",
                ..
            }))
        ));
        let bad_secret = format!(
            r#"{{"key_id":"a","public_key":"{}","secret_key":"not base64"}}"#,
            a.public().to_base64()
        );
        assert!(matches!(
            read_key_file(bad_secret.as_bytes()),
            Err(KeyFileError::Key(_))
        ));
        assert_eq!(
            read_key_file(&vec![b' '; MAX_KEY_FILE_BYTES + 1]).map(|s| s.key_id),
            Err(KeyFileError::TooLarge)
        );
    }
}
