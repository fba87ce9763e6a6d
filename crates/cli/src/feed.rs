//! `shopper feed keygen|sign|verify|lint`: the publisher's tooling for the signed coupon feed.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use shopper_core::coupon::{
    key_file_text, open_envelope, parse_feed, read_key_file, PublisherKey, PublisherSecret,
};

use crate::{print_json, read_file};

#[derive(Subcommand)]
pub(crate) enum FeedCommand {
    /// Prints a new key pair as {"key_id", "public_key", "secret_key"} (keep the secret secret).
    Keygen {
        /// The id envelopes will name the key by.
        #[arg(long, default_value = "publisher-1")]
        key_id: String,
    },
    /// Signs a v1 feed file and prints its envelope. The feed is linted first; invalid coupons
    /// are refused unless --allow-invalid.
    Sign {
        /// The key file keygen wrote.
        #[arg(long)]
        key: PathBuf,
        /// Sign even if some coupons are invalid (readers drop those).
        #[arg(long)]
        allow_invalid: bool,
        /// The feed (plain v1 JSON).
        feed: PathBuf,
    },
    /// Verifies an envelope and prints the feed it carries; fails if the signature is wrong.
    Verify(VerifyArgs),
    /// Checks a plain v1 feed: one {"index", "id", "reason"} line per invalid coupon, then a summary.
    Lint {
        /// The feed (plain v1 JSON).
        feed: PathBuf,
    },
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// The key file keygen wrote (only its public half is used), or use --public-key.
    #[arg(long, conflicts_with = "public_key")]
    key: Option<PathBuf>,
    /// The public key in base64.
    #[arg(long, requires = "key_id")]
    public_key: Option<String>,
    /// The key id that goes with --public-key.
    #[arg(long)]
    key_id: Option<String>,
    /// The envelope.
    envelope: PathBuf,
}

#[derive(Serialize)]
struct Problem<'a> {
    index: usize,
    id: Option<&'a str>,
    /// The fault's stable code (see `shopper_core::problem`).
    code: &'static str,
    /// The reason in English.
    reason: String,
}

#[derive(Serialize)]
struct Summary {
    valid: usize,
    invalid: usize,
}

/// The key in the key file at `path` (the core's one format, as the server writes it too).
fn key_in(path: &std::path::Path) -> Result<PublisherSecret, Box<dyn std::error::Error>> {
    Ok(read_key_file(&read_file(path)?)
        .map_err(|e| format!("{}: not a key file: {e}", path.display()))?)
}

impl FeedCommand {
    pub(crate) fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Self::Keygen { key_id } => {
                let mut secret = [0u8; 32];
                getrandom::fill(&mut secret)
                    .map_err(|e| format!("no randomness from the OS: {e}"))?;
                let key = PublisherSecret::from_bytes(&key_id, &secret)?;
                print!("{}", key_file_text(&key));
                Ok(())
            }
            Self::Sign {
                key,
                allow_invalid,
                feed,
            } => {
                let secret = key_in(&key)?;
                let bytes = read_file(&feed)?;
                let parsed =
                    parse_feed(std::str::from_utf8(&bytes).map_err(|_| "the feed is not UTF-8")?)?;
                if !parsed.problems.is_empty() && !allow_invalid {
                    let lines: Vec<String> = parsed
                        .problems
                        .iter()
                        .take(5)
                        .map(ToString::to_string)
                        .collect();
                    return Err(format!(
                        "{} invalid coupon(s), not signed (run `shopper feed lint`):\n  {}",
                        parsed.problems.len(),
                        lines.join("\n  ")
                    )
                    .into());
                }
                println!("{}", secret.seal(&bytes));
                Ok(())
            }
            Self::Verify(args) => {
                let key = match (args.key, args.public_key, args.key_id) {
                    (Some(path), _, _) => key_in(&path)?.public(),
                    (None, Some(public_key), Some(key_id)) => {
                        PublisherKey::from_base64(&key_id, &public_key)?
                    }
                    _ => return Err("give --key FILE, or --public-key and --key-id".into()),
                };
                let feed = open_envelope(&read_file(&args.envelope)?, &[key])?;
                use std::io::Write;
                std::io::stdout().write_all(&feed)?;
                Ok(())
            }
            Self::Lint { feed } => {
                let bytes = read_file(&feed)?;
                let parsed =
                    parse_feed(std::str::from_utf8(&bytes).map_err(|_| "the feed is not UTF-8")?)?;
                for p in &parsed.problems {
                    print_json(&Problem {
                        index: p.index,
                        id: p.id.as_deref(),
                        code: shopper_core::Problem::code(&p.reason),
                        reason: p.reason.to_string(),
                    })?;
                }
                print_json(&Summary {
                    valid: parsed.coupons.len(),
                    invalid: parsed.problems.len(),
                })?;
                if parsed.problems.is_empty() {
                    Ok(())
                } else {
                    Err(format!("{} invalid coupon(s)", parsed.problems.len()).into())
                }
            }
        }
    }
}
