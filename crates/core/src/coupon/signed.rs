//! The signed envelope a feed travels in: `{"key_id", "payload": base64 of the exact feed bytes,
//! "signature": base64}`, signed with Ed25519 by the publisher. Only a feed whose signature
//! verifies under a key built into the extension is ever read.

use std::fmt;

use ed25519_compact::{KeyPair, PublicKey, Seed, Signature, VerifyingState};
use serde::{Deserialize, Serialize};

use crate::codec::base64;

use crate::codec::json::{Next, Reader};
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
pub struct EnvelopeError(pub String);

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signed feed refused: {}", self.0)
    }
}

impl std::error::Error for EnvelopeError {}

#[derive(Serialize, Deserialize)]
struct Envelope {
    key_id: String,
    payload: String,
    signature: String,
}

impl PublisherKey {
    /// A key from its id and its 32 bytes in base64.
    pub fn from_base64(key_id: &str, public_key: &str) -> Result<Self, EnvelopeError> {
        let bytes: [u8; 32] = base64::decode(public_key.trim())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| EnvelopeError("a public key is 32 bytes in base64".into()))?;
        // The canonical encoding of a point of large order: a key that is not can never verify
        // a signature, and a small-order one could verify forged ones.
        let key = PublicKey::new(bytes);
        key.validate()
            .map_err(|_| EnvelopeError("not an Ed25519 public key".into()))?;
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

/// Reads `{"key_id", "payload", "signature"}` (or, as serde read the struct, the three in a list),
/// each a string, given once.
fn read_envelope(bytes: &[u8]) -> Result<Envelope, String> {
    // Invalid UTF-8 could only be inside a string, which the envelope's three must not hold.
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_owned())?;
    let mut reader = Reader::new(text);
    let mut fields: [Option<String>; 3] = [None, None, None];
    let names = ["key_id", "payload", "signature"];
    match reader.peek().map_err(|e| e.to_string())? {
        Next::Object => {
            let mut open = reader.begin_object().map_err(|e| e.to_string())?;
            while let Some(key) = reader.next_key(&mut open).map_err(|e| e.to_string())? {
                let slot = names
                    .iter()
                    .position(|name| *name == key)
                    .and_then(|at| fields.get_mut(at));
                match slot {
                    Some(Some(_)) => return Err(format!("duplicate field `{key}`")),
                    Some(slot) => {
                        *slot = Some(reader.string().map_err(|e| e.to_string())?.into_owned());
                    }
                    None => reader.skip().map_err(|e| e.to_string())?,
                }
            }
        }
        Next::Array => {
            let mut open = reader.begin_array().map_err(|e| e.to_string())?;
            let mut slots = fields.iter_mut();
            while reader.next_element(&mut open).map_err(|e| e.to_string())? {
                let Some(slot) = slots.next() else {
                    return Err(reader.error("trailing characters").to_string());
                };
                *slot = Some(reader.string().map_err(|e| e.to_string())?.into_owned());
            }
        }
        _ => {
            return Err(reader
                .error("invalid type, expected an envelope object")
                .to_string())
        }
    }
    reader.end().map_err(|e| e.to_string())?;
    let [key_id, payload, signature] = fields;
    let missing = |field: &str| format!("missing field `{field}`");
    Ok(Envelope {
        key_id: key_id.ok_or_else(|| missing("key_id"))?,
        payload: payload.ok_or_else(|| missing("payload"))?,
        signature: signature.ok_or_else(|| missing("signature"))?,
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
            return Err(EnvelopeError(format!(
                "{} bytes is over the {MAX_ENVELOPE_BYTES}-byte limit",
                envelope.len()
            )));
        }
        let envelope =
            read_envelope(envelope).map_err(|e| EnvelopeError(format!("not an envelope: {e}")))?;
        let key = keys
            .iter()
            .find(|k| k.key_id == envelope.key_id)
            .ok_or_else(|| {
                EnvelopeError(format!(
                    "unknown key_id {}",
                    quoted(&envelope.key_id.chars().take(64).collect::<String>())
                ))
            })?;
        let signature: [u8; 64] = base64::decode(&envelope.signature)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| EnvelopeError("the signature is not 64 bytes in base64".into()))?;
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
        let not_base64 = || EnvelopeError("the payload is not base64".into());
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
        let bytes = base64::decode(part).ok_or_else(not_base64)?;
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
            .ok_or_else(|| EnvelopeError("the signature does not match the feed".into()))?;
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
    pub fn from_bytes(key_id: &str, secret: &[u8; 32]) -> Result<Self, EnvelopeError> {
        let key = KeyPair::try_from_seed(Seed::new(*secret))
            .map_err(|_| EnvelopeError("a secret key of 32 zero bytes is no key".into()))?;
        Ok(Self {
            key_id: key_id.to_owned(),
            key,
        })
    }

    /// A signing key from its 32 bytes in base64.
    pub fn from_base64(key_id: &str, secret: &str) -> Result<Self, EnvelopeError> {
        let bytes: [u8; 32] = base64::decode(secret.trim())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| EnvelopeError("a secret key is 32 bytes in base64".into()))?;
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
        let envelope = Envelope {
            key_id: self.key_id.clone(),
            payload: base64::encode(feed),
            // No noise: deterministic Ed25519 (RFC 8032), the same signature for the same bytes.
            signature: base64::encode(&*self.key.sk.sign(feed, None)),
        };
        // Serialising three strings cannot fail.
        serde_json::to_string(&envelope).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::STANDARD as BASE64;
    use ::base64::Engine as _;

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
        let sealed: Envelope = serde_json::from_str(&secret.seal(&[0x72])).expect("json");
        assert_eq!(BASE64.decode(&sealed.signature).expect("b64"), signature);
        assert!(PublisherSecret::from_bytes("zero", &[0; 32]).is_err());
        assert!(PublisherKey::from_base64("small order", &BASE64.encode([0u8; 32])).is_err());
    }

    #[test]
    fn reads_envelopes_as_serde_did() {
        for text in [
            r#"{"key_id": "a", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b", "signature": "c", "x": [1, {"y": null}]}"#,
            r#"["a", "b", "c"]"#,
            r#"["a", "b"]"#,
            r#"["a", "b", "c", "d"]"#,
            r#"{"key_id": "a", "key_id": "a", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b"}"#,
            r#"{"key_id": 1, "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "\u00e9\ud83d\ude00", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "\ud83d", "payload": "b", "signature": "c"}"#,
            r#"{"key_id": "a", "payload": "b", "signature": "c"} x"#,
            "null",
            "",
        ] {
            let theirs = serde_json::from_str::<Envelope>(text).ok();
            let ours = read_envelope(text.as_bytes()).ok();
            assert_eq!(
                ours.map(|e| (e.key_id, e.payload, e.signature)),
                theirs.map(|e| (e.key_id, e.payload, e.signature)),
                "{text}"
            );
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
        let mut envelope: Envelope = serde_json::from_str(sealed).expect("json");
        envelope.payload = payload.to_owned();
        serde_json::to_vec(&envelope).expect("json")
    }

    #[test]
    fn padding_only_ends_the_payload_in_steps_too() {
        let sealed = secret().seal(b"feed");
        let inside = with_payload(&sealed, "AA==AAAA");
        let whole = open_envelope(&inside, &[secret().public()]).expect_err("padding inside");
        assert!(whole.0.contains("not base64"), "{whole}");
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
        let mut envelope: Envelope = serde_json::from_str(&sealed).expect("json");
        let mut payload = BASE64.decode(&envelope.payload).expect("b64");
        payload[20] ^= 1;
        envelope.payload = BASE64.encode(&payload);
        let tampered = serde_json::to_vec(&envelope).expect("json");
        let error = open_envelope(&tampered, &[secret().public()]).expect_err("tampered");
        assert!(error.0.contains("does not match"), "{error}");

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
        assert!(open_envelope(sealed.as_bytes(), &[renamed])
            .expect_err("key id")
            .0
            .contains("unknown key_id"));
        assert!(open_envelope(b"{}", &[secret().public()]).is_err());
        assert!(open_envelope(b"not json", &[secret().public()]).is_err());
    }
}
