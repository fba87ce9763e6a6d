//! The signed envelope a feed travels in: `{"key_id", "payload": base64 of the exact feed bytes,
//! "signature": base64}`, signed with Ed25519 by the publisher. Only a feed whose signature
//! verifies under a key built into the extension is ever read.

use std::fmt;

use ed25519_compact::{KeyPair, PublicKey, Seed, Signature, VerifyingState};

use super::checks::clip;
use crate::codec::base64;
use crate::codec::json::{JsonError, Next, Reader, Writer};
use crate::problem::Problem;
use crate::text::quoted;

/// The largest envelope read, in bytes: far above 100,000 coupons, far below what would hurt.
pub const MAX_ENVELOPE_BYTES: usize = 64 * 1024 * 1024;

/// A publisher's public key and the id envelopes name it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublisherKey {
    /// The id in the envelope's `key_id`.
    pub key_id: String,
    key: PublicKey,
}

/// Why an envelope was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Larger than [`MAX_ENVELOPE_BYTES`] (its size in bytes).
    TooLarge(usize),
    /// Not UTF-8.
    NotUtf8,
    /// Not JSON (RFC 8259).
    NotJson(JsonError),
    /// JSON, but not an object.
    NotAnObject,
    /// `key_id`, `payload` or `signature` given twice.
    DuplicateField(&'static str),
    /// `key_id`, `payload` or `signature` missing.
    MissingField(&'static str),
    /// `key_id`, `payload` or `signature` not a string.
    NotText(&'static str),
    /// Its `key_id` names no key this build trusts (what it was, cut short).
    UnknownKey(String),
    /// The signature is not 64 bytes in base64.
    BadSignature,
    /// The payload is not base64.
    PayloadNotBase64,
    /// The signature does not match the feed: altered, or signed with another key.
    SignatureMismatch,
}

impl EnvelopeError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "envelope_too_large",
        "envelope_not_utf8",
        "envelope_not_json",
        "envelope_not_an_object",
        "envelope_duplicate_field",
        "envelope_missing_field",
        "envelope_field_not_text",
        "envelope_unknown_key",
        "envelope_bad_signature",
        "envelope_payload_not_base64",
        "envelope_signature_mismatch",
    ];
}

impl Problem for EnvelopeError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge(_) => "envelope_too_large",
            Self::NotUtf8 => "envelope_not_utf8",
            Self::NotJson(_) => "envelope_not_json",
            Self::NotAnObject => "envelope_not_an_object",
            Self::DuplicateField(_) => "envelope_duplicate_field",
            Self::MissingField(_) => "envelope_missing_field",
            Self::NotText(_) => "envelope_field_not_text",
            Self::UnknownKey(_) => "envelope_unknown_key",
            Self::BadSignature => "envelope_bad_signature",
            Self::PayloadNotBase64 => "envelope_payload_not_base64",
            Self::SignatureMismatch => "envelope_signature_mismatch",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::TooLarge(bytes) => vec![bytes.to_string(), MAX_ENVELOPE_BYTES.to_string()],
            Self::NotJson(e) => vec![e.line.to_string(), e.column.to_string()],
            Self::DuplicateField(field) | Self::MissingField(field) | Self::NotText(field) => {
                vec![(*field).to_owned()]
            }
            Self::UnknownKey(key_id) => vec![key_id.clone()],
            Self::NotUtf8
            | Self::NotAnObject
            | Self::BadSignature
            | Self::PayloadNotBase64
            | Self::SignatureMismatch => Vec::new(),
        }
    }
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("signed feed refused: ")?;
        match self {
            Self::TooLarge(bytes) => write!(
                f,
                "{bytes} bytes is over the {MAX_ENVELOPE_BYTES}-byte limit"
            ),
            Self::NotUtf8 => f.write_str("it is not UTF-8"),
            Self::NotJson(e) => write!(f, "it is not JSON: {e}"),
            Self::NotAnObject => f.write_str("it is not a JSON object"),
            Self::DuplicateField(field) => write!(f, "{field} is given twice"),
            Self::MissingField(field) => write!(f, "{field} is missing"),
            Self::NotText(field) => write!(f, "{field} must be a string"),
            Self::UnknownKey(key_id) => write!(f, "unknown key_id {}", quoted(key_id)),
            Self::BadSignature => f.write_str("the signature is not 64 bytes in base64"),
            Self::PayloadNotBase64 => f.write_str("the payload is not base64"),
            Self::SignatureMismatch => f.write_str("the signature does not match the feed"),
        }
    }
}

impl std::error::Error for EnvelopeError {}

impl From<JsonError> for EnvelopeError {
    fn from(error: JsonError) -> Self {
        Self::NotJson(error)
    }
}

/// Why a publisher key (public or secret) is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// A public key is not 32 bytes in base64.
    PublicNotBase64,
    /// 32 bytes that are not an Ed25519 public key a signature can verify under.
    NotAPublicKey,
    /// A secret key is not 32 bytes in base64.
    SecretNotBase64,
    /// A secret key of 32 zero bytes (a seed never filled in).
    ZeroSecret,
}

impl KeyError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "publisher_key_not_base64",
        "publisher_key_invalid",
        "publisher_secret_not_base64",
        "publisher_secret_zero",
    ];
}

impl Problem for KeyError {
    fn code(&self) -> &'static str {
        match self {
            Self::PublicNotBase64 => "publisher_key_not_base64",
            Self::NotAPublicKey => "publisher_key_invalid",
            Self::SecretNotBase64 => "publisher_secret_not_base64",
            Self::ZeroSecret => "publisher_secret_zero",
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PublicNotBase64 => "a public key is 32 bytes in base64",
            Self::NotAPublicKey => "not an Ed25519 public key",
            Self::SecretNotBase64 => "a secret key is 32 bytes in base64",
            Self::ZeroSecret => "a secret key of 32 zero bytes is no key",
        })
    }
}

impl std::error::Error for KeyError {}

/// The envelope's three fields.
struct Envelope {
    key_id: String,
    payload: String,
    signature: String,
}

impl PublisherKey {
    /// A key from its id and its 32 bytes in base64.
    pub fn from_base64(key_id: &str, public_key: &str) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = base64::decode(public_key.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(KeyError::PublicNotBase64)?;
        // The canonical encoding of a point of large order: a key that is not can never verify
        // a signature, and a small-order one could verify forged ones.
        let key = PublicKey::new(bytes);
        key.validate().map_err(|_| KeyError::NotAPublicKey)?;
        Ok(Self {
            key_id: key_id.to_owned(),
            key,
        })
    }

    /// The key's 32 bytes in base64.
    pub fn to_base64(&self) -> String {
        base64::encode(&*self.key)
    }
}

/// Reads `{"key_id", "payload", "signature"}`, each a string, given once; other fields are
/// skipped (a later format may add some).
fn read_envelope(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
    // Invalid UTF-8 could only be inside a string, which the envelope's three must not hold.
    let text = std::str::from_utf8(bytes).map_err(|_| EnvelopeError::NotUtf8)?;
    let mut reader = Reader::new(text);
    let mut fields: [Option<String>; 3] = [None, None, None];
    const NAMES: [&str; 3] = ["key_id", "payload", "signature"];
    if reader.peek()? != Next::Object {
        reader.skip()?;
        reader.end()?;
        return Err(EnvelopeError::NotAnObject);
    }
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let Some(at) = NAMES.iter().position(|name| *name == key) else {
            reader.skip()?;
            continue;
        };
        let name = NAMES.get(at).copied().unwrap_or("");
        match fields.get_mut(at) {
            Some(Some(_)) => return Err(EnvelopeError::DuplicateField(name)),
            Some(slot) => {
                if reader.peek()? != Next::String {
                    reader.skip()?;
                    return Err(EnvelopeError::NotText(name));
                }
                *slot = Some(reader.string()?.into_owned());
            }
            None => reader.skip()?,
        }
    }
    reader.end()?;
    let [key_id, payload, signature] = fields;
    Ok(Envelope {
        key_id: key_id.ok_or(EnvelopeError::MissingField("key_id"))?,
        payload: payload.ok_or(EnvelopeError::MissingField("payload"))?,
        signature: signature.ok_or(EnvelopeError::MissingField("signature"))?,
    })
}

/// Checks an envelope against the built-in keys and returns the exact feed bytes it carries.
pub fn open_envelope(envelope: &[u8], keys: &[PublisherKey]) -> Result<Vec<u8>, EnvelopeError> {
    let mut opening = EnvelopeOpening::new(envelope, keys)?;
    loop {
        if let Some(payload) = opening.step(usize::MAX)? {
            return Ok(payload);
        }
    }
}

/// An envelope being opened a part at a time: its payload decoded and run through the
/// signature check a slice at a time, so that the service worker can answer pages in between
/// (a 100,000-coupon feed takes it several hundred milliseconds). The checks and their order
/// are those of [`open_envelope`], which is this run in one step.
pub struct EnvelopeOpening {
    payload_text: String,
    /// Base64 characters decoded so far (a multiple of four until the end).
    decoded_chars: usize,
    payload: Vec<u8>,
    /// `None` when the signature cannot be valid for any payload: refused once the payload has
    /// been checked, as the one-step check does.
    verifying: Option<VerifyingState>,
}

impl EnvelopeOpening {
    /// Reads the envelope and finds its key; the payload is decoded and checked by [`step`].
    ///
    /// [`step`]: EnvelopeOpening::step
    pub fn new(envelope: &[u8], keys: &[PublisherKey]) -> Result<Self, EnvelopeError> {
        if envelope.len() > MAX_ENVELOPE_BYTES {
            return Err(EnvelopeError::TooLarge(envelope.len()));
        }
        let envelope = read_envelope(envelope)?;
        let key = keys
            .iter()
            .find(|k| k.key_id == envelope.key_id)
            .ok_or_else(|| EnvelopeError::UnknownKey(clip(&envelope.key_id, 64)))?;
        let signature: [u8; 64] = base64::decode(&envelope.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(EnvelopeError::BadSignature)?;
        let verifying = key.key.verify_incremental(&Signature::new(signature)).ok();
        Ok(Self {
            payload: Vec::with_capacity(envelope.payload.len() / 4 * 3),
            payload_text: envelope.payload,
            decoded_chars: 0,
            verifying,
        })
    }

    /// Decodes and checks about `chars` more characters of the payload (whole groups of four);
    /// the feed bytes once all of them are, and the signature holds.
    pub fn step(&mut self, chars: usize) -> Result<Option<Vec<u8>>, EnvelopeError> {
        let not_base64 = || EnvelopeError::PayloadNotBase64;
        let rest = self
            .payload_text
            .get(self.decoded_chars..)
            .unwrap_or_default();
        let take = chars.max(4) / 4 * 4;
        let last = rest.len() <= take;
        let part = if last {
            rest
        } else {
            rest.get(..take).ok_or_else(not_base64)?
        };
        // Padding may only end the whole payload: a part before the last decodes on its own
        // only without it.
        if !last && part.ends_with('=') {
            return Err(not_base64());
        }
        let bytes = base64::decode(part).map_err(|_| not_base64())?;
        if let Some(verifying) = self.verifying.as_mut() {
            verifying.absorb(&bytes);
        }
        self.payload.extend_from_slice(&bytes);
        self.decoded_chars += part.len();
        if !last {
            return Ok(None);
        }
        self.verifying
            .as_ref()
            .and_then(|verifying| verifying.verify().ok())
            .ok_or(EnvelopeError::SignatureMismatch)?;
        Ok(Some(std::mem::take(&mut self.payload)))
    }
}

/// The publisher's signing key (kept secret, on the server or the publisher's machine).
pub struct PublisherSecret {
    /// The id envelopes will name.
    pub key_id: String,
    key: KeyPair,
}

impl PublisherSecret {
    /// A signing key from 32 secret bytes (from the OS's random source for a new key). Refused
    /// only when all 32 are zero: no random source gives that, and the signing library takes it
    /// for a seed that was never filled in.
    pub fn from_bytes(key_id: &str, secret: &[u8; 32]) -> Result<Self, KeyError> {
        let key = KeyPair::try_from_seed(Seed::new(*secret)).map_err(|_| KeyError::ZeroSecret)?;
        Ok(Self {
            key_id: key_id.to_owned(),
            key,
        })
    }

    /// A signing key from its 32 bytes in base64.
    pub fn from_base64(key_id: &str, secret: &str) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = base64::decode(secret.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(KeyError::SecretNotBase64)?;
        Self::from_bytes(key_id, &bytes)
    }

    /// The secret's 32 bytes in base64.
    pub fn to_base64(&self) -> String {
        base64::encode(&*self.key.sk.seed())
    }

    /// The public half, to build into the extension.
    pub fn public(&self) -> PublisherKey {
        PublisherKey {
            key_id: self.key_id.clone(),
            key: self.key.pk,
        }
    }

    /// Signs the exact feed bytes and wraps them in an envelope (JSON).
    pub fn seal(&self, feed: &[u8]) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("key_id");
        w.string(&self.key_id);
        w.key("payload");
        w.string(&base64::encode(feed));
        w.key("signature");
        // No noise: deterministic Ed25519 (RFC 8032), the same signature for the same bytes.
        w.string(&base64::encode(&*self.key.sk.sign(feed, None)));
        w.end_object();
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::STANDARD as BASE64;
    use ::base64::Engine as _;

    /// The envelope as serde reads it: the reference for what ours accepts.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Reference {
        key_id: String,
        payload: String,
        signature: String,
    }

    fn secret() -> PublisherSecret {
        PublisherSecret::from_bytes("dev-1", &[7u8; 32]).expect("secret")
    }

    #[test]
    fn round_trip() {
        let feed = br#"{"version":1,"generated_at":"2026-11-23T00:00:00Z","coupons":[]}"#;
        let sealed = secret().seal(feed);
        assert_eq!(
            open_envelope(sealed.as_bytes(), &[secret().public()]),
            Ok(feed.to_vec())
        );
        let key = PublisherKey::from_base64("dev-1", &secret().public().to_base64()).expect("key");
        assert_eq!(key, secret().public());
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
            .collect()
    }

    #[test]
    fn rfc_8032_test_vector() {
        // RFC 8032, section 7.1, TEST 2: any conforming Ed25519 signs and verifies the same.
        let seed: [u8; 32] =
            hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
                .try_into()
                .expect("32 bytes");
        let secret = PublisherSecret::from_bytes("rfc", &seed).expect("secret");
        let public = hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        assert_eq!(
            BASE64.decode(secret.public().to_base64()).expect("b64"),
            public
        );
        let signature = hex(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da\
             085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        );
        let sealed: Reference = serde_json::from_str(&secret.seal(&[0x72])).expect("json");
        assert_eq!(BASE64.decode(&sealed.signature).expect("b64"), signature);
        assert!(PublisherSecret::from_bytes("zero", &[0; 32]).is_err());
        assert!(PublisherKey::from_base64("small order", &BASE64.encode([0u8; 32])).is_err());
    }

    #[test]
    fn reads_envelopes_as_serde_reads_their_object() {
        for text in [
            r#"{"key_id": "a", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b", "signature": "c", "x": [1, {"y": null}]}"#,
            r#"{"key_id": "a", "key_id": "a", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b"}"#,
            r#"{"key_id": 1, "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "\u00e9\ud83d\ude00", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "\ud83d", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b", "signature": "c"} x"#,
            "null",
            "",
        ] {
            let theirs = serde_json::from_str::<Reference>(text).ok();
            let ours = read_envelope(text.as_bytes()).ok();
            assert_eq!(
                ours.map(|e| (e.key_id, e.payload, e.signature)),
                theirs.map(|e| (e.key_id, e.payload, e.signature)),
                "{text}"
            );
        }
    }

    #[test]
    fn an_envelope_is_an_object_and_says_why_not() {
        // serde read a struct from a list too; an envelope is an object (the one difference).
        for (text, error) in [
            (r#"["a", "b", "c"]"#, EnvelopeError::NotAnObject),
            (
                r#"{"key_id": "a", "key_id": "a", "payload": "b", "signature": "c"}"#,
                EnvelopeError::DuplicateField("key_id"),
            ),
            (
                r#"{"key_id": "a", "payload": "b"}"#,
                EnvelopeError::MissingField("signature"),
            ),
            (
                r#"{"key_id": 1, "payload": "b", "signature": "c"}"#,
                EnvelopeError::NotText("key_id"),
            ),
        ] {
            let refused = read_envelope(text.as_bytes()).err();
            assert_eq!(refused, Some(error), "{text}");
        }
        let not_json = read_envelope(b"{\n  \"key_id\": x}").err();
        assert!(
            matches!(not_json, Some(EnvelopeError::NotJson(e)) if (e.line, e.column) == (2, 13)),
            "{not_json:?}"
        );
        assert_eq!(
            read_envelope(&[b'"', 0xff, b'"']).err(),
            Some(EnvelopeError::NotUtf8)
        );
        for error in [EnvelopeError::NotAnObject, EnvelopeError::SignatureMismatch] {
            assert!(EnvelopeError::CODES.contains(&error.code()));
        }
    }

    /// Opens `envelope` `chars` base64 characters a step.
    fn open_in_steps(envelope: &[u8], chars: usize) -> Result<Vec<u8>, EnvelopeError> {
        let mut opening = EnvelopeOpening::new(envelope, &[secret().public()])?;
        loop {
            if let Some(payload) = opening.step(chars)? {
                return Ok(payload);
            }
        }
    }

    fn with_payload(sealed: &str, payload: &str) -> Vec<u8> {
        let mut envelope: Reference = serde_json::from_str(sealed).expect("json");
        envelope.payload = payload.to_owned();
        serde_json::to_vec(&envelope).expect("json")
    }

    #[test]
    fn padding_only_ends_the_payload_in_steps_too() {
        let sealed = secret().seal(b"feed");
        let inside = with_payload(&sealed, "AA==AAAA");
        let whole = open_envelope(&inside, &[secret().public()]).expect_err("padding inside");
        assert_eq!(whole, EnvelopeError::PayloadNotBase64);
        assert_eq!(open_in_steps(&inside, 4), Err(whole));
    }

    proptest::proptest! {
        /// Any feed, opened any number of characters at a time: the same bytes; with one bit
        /// of its payload flipped: refused.
        #[test]
        fn opens_in_steps_as_in_one(
            feed in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            chars in 1usize..40,
            flip in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let sealed = secret().seal(&feed);
            proptest::prop_assert_eq!(open_in_steps(sealed.as_bytes(), chars), Ok(feed.clone()));
            if !feed.is_empty() {
                let mut tampered = feed.clone();
                tampered[flip.index(feed.len())] ^= 1;
                let envelope = with_payload(&sealed, &BASE64.encode(&tampered));
                let refused = open_in_steps(&envelope, chars);
                proptest::prop_assert_eq!(refused, open_envelope(&envelope, &[secret().public()]));
                proptest::prop_assert!(open_in_steps(&envelope, chars).is_err());
            }
        }
    }

    #[test]
    fn refuses_tampering_and_strangers() {
        let feed = br#"{"version":1,"generated_at":"2026-11-23T00:00:00Z","coupons":[]}"#;
        let sealed = secret().seal(feed);
        let mut envelope: Reference = serde_json::from_str(&sealed).expect("json");
        let mut payload = BASE64.decode(&envelope.payload).expect("b64");
        payload[20] ^= 1;
        envelope.payload = BASE64.encode(&payload);
        let tampered = serde_json::to_vec(&envelope).expect("json");
        let error = open_envelope(&tampered, &[secret().public()]).expect_err("tampered");
        assert_eq!(error, EnvelopeError::SignatureMismatch);

        let other = PublisherSecret::from_bytes("dev-1", &[8u8; 32])
            .expect("secret")
            .public();
        assert!(
            open_envelope(sealed.as_bytes(), &[other]).is_err(),
            "someone else's key"
        );
        let renamed = PublisherSecret::from_bytes("dev-2", &[7u8; 32])
            .expect("secret")
            .public();
        assert_eq!(
            open_envelope(sealed.as_bytes(), &[renamed]),
            Err(EnvelopeError::UnknownKey("dev-1".into()))
        );
        assert!(open_envelope(b"{}", &[secret().public()]).is_err());
        assert!(open_envelope(b"not json", &[secret().public()]).is_err());
    }
}
