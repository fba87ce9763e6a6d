//! The publisher's signing key: read from the configured key file, or on first start a
//! development key made in the data folder. The file's format is the core's
//! ([`shopper_core::coupon::read_key_file`]), the one `shopper feed keygen` writes, so either
//! tool reads the other's.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shopper_core::coupon::{PublisherKey, PublisherSecret};

pub use shopper_core::coupon::key_file_text;

/// The development key's file in the data folder.
pub const DEV_KEY_FILE: &str = "publisher-key.json";

/// A public key the configuration lists (a previous key still trusted by extensions in use).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyEntry {
    /// Its id.
    pub key_id: String,
    /// Its 32 bytes in base64.
    pub public_key: String,
}

/// Why the signing key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a key file.
    #[error("{path}: not a key file ({reason})")]
    NotAKeyFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The operating system gave no randomness for a new key.
    #[error("no randomness from the operating system: {0}")]
    NoRandomness(String),
    /// A listed previous public key is not one.
    #[error("previous public key {key_id:?}: {reason}")]
    BadPublicKey {
        /// Its id.
        key_id: String,
        /// Why.
        reason: String,
    },
}

/// The key the server signs with, and where it came from.
pub struct SigningKey {
    /// The secret.
    pub secret: PublisherSecret,
    /// Its file.
    pub path: PathBuf,
    /// Whether it was made just now, as a development key.
    pub created: bool,
}

/// Reads the key file at `path`.
pub fn read_key_file(path: &Path) -> Result<PublisherSecret, KeyError> {
    let bytes = std::fs::read(path).map_err(|source| KeyError::Io {
        path: path.to_owned(),
        source,
    })?;
    shopper_core::coupon::read_key_file(&bytes).map_err(|error| KeyError::NotAKeyFile {
        path: path.to_owned(),
        reason: error.to_string(),
    })
}

/// A new key with a random secret, named `key_id` (or, for a development key, after its
/// public half, so two development servers never share an id).
pub fn new_key(key_id: Option<&str>) -> Result<PublisherSecret, KeyError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::NoRandomness(e.to_string()))?;
    let secret = PublisherSecret::from_bytes("pending", &bytes)
        .map_err(|e| KeyError::NoRandomness(e.to_string()))?;
    let key_id = match key_id {
        Some(id) => id.to_owned(),
        None => {
            let digest = Sha256::digest(secret.public().to_base64().as_bytes());
            let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("dev-{hex}")
        }
    };
    PublisherSecret::from_bytes(&key_id, &bytes).map_err(|e| KeyError::NoRandomness(e.to_string()))
}

/// Writes a new key file at `path`, readable by its owner only, never over an existing one.
pub fn write_new_key_file(path: &Path, secret: &PublisherSecret) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(key_file_text(secret).as_bytes())
        .map_err(io)?;
    file.sync_all().map_err(io)
}

/// The configured key file's key, or the data folder's development key (made when missing).
pub fn signing_key(configured: Option<&Path>, data_dir: &Path) -> Result<SigningKey, KeyError> {
    if let Some(path) = configured {
        return Ok(SigningKey {
            secret: read_key_file(path)?,
            path: path.to_owned(),
            created: false,
        });
    }
    let path = data_dir.join(DEV_KEY_FILE);
    if path.exists() {
        return Ok(SigningKey {
            secret: read_key_file(&path)?,
            path,
            created: false,
        });
    }
    let secret = new_key(None)?;
    write_new_key_file(&path, &secret)?;
    Ok(SigningKey {
        secret,
        path,
        created: true,
    })
}

/// The previous public keys the configuration lists, checked.
pub fn previous_keys(entries: &[PublicKeyEntry]) -> Result<Vec<PublisherKey>, KeyError> {
    entries
        .iter()
        .map(|e| {
            PublisherKey::from_base64(&e.key_id, &e.public_key).map_err(|error| {
                KeyError::BadPublicKey {
                    key_id: e.key_id.clone(),
                    reason: error.to_string(),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_development_key_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let first = signing_key(None, dir.path()).expect("made");
        assert!(first.created);
        assert!(first.secret.key_id.starts_with("dev-"));
        let again = signing_key(None, dir.path()).expect("read");
        assert!(!again.created);
        assert_eq!(again.secret.public(), first.secret.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&first.path)
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the secret is its owner's only");
        }
    }

    #[test]
    fn a_key_file_that_lies_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("key.json");
        let (a, b) = (
            new_key(Some("a")).expect("a"),
            new_key(Some("b")).expect("b"),
        );
        let lying = format!(
            r#"{{"key_id":"a","public_key":"{}","secret_key":"{}"}}"#,
            b.public().to_base64(),
            a.to_base64()
        );
        std::fs::write(&path, lying).expect("write");
        assert!(matches!(
            read_key_file(&path),
            Err(KeyError::NotAKeyFile { .. })
        ));
        std::fs::write(&path, "{}").expect("write");
        assert!(matches!(
            read_key_file(&path),
            Err(KeyError::NotAKeyFile { .. })
        ));
        assert!(matches!(
            previous_keys(&[PublicKeyEntry {
                key_id: "old".into(),
                public_key: "not base64".into()
            }]),
            Err(KeyError::BadPublicKey { .. })
        ));
    }
}
