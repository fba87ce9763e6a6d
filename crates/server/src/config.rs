//! The server's configuration: defaults, then a TOML file (`--config FILE`), then `SHOPPER_*`
//! environment variables, then command-line flags, each winning over the one before. Secrets
//! (the AliExpress app secret, the admin token, the language model's API key) come from the file
//! or the environment only, never a flag, which other users of the machine could read.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use serde::Deserialize;
use shopper_core::market::Market;
use shopper_core::money::Rates;
use shopper_core::AffiliateKey;

use crate::keys::PublicKeyEntry;
use crate::limiter::Rate;
use crate::rates::RatesInput;
use crate::usage::{PER_ADDRESS, PER_ID};

/// Where the server listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
/// The data folder unless told otherwise (relative to where the server starts).
pub const DEFAULT_DATA_DIR: &str = "shopper-data";
/// The AliExpress affiliate API's endpoint.
pub const DEFAULT_API_URL: &str = "https://api-sg.aliexpress.com/sync";
/// Markets served whatever the coupons name.
pub const DEFAULT_MARKETS: &[&str] = &["US-USD"];
/// How often the server looks for a change to the coupons (an import by another process).
pub const DEFAULT_POLL_SECONDS: u64 = 5;
/// How long a Smart Search request may wait for the affiliate API, retries included.
pub const DEFAULT_SEARCH_DEADLINE_MS: u64 = 5_000;
/// The shortest and longest search deadline accepted: above the longest, the request's own
/// timeout ([`crate::http::REQUEST_TIMEOUT`]) would answer first, and the extension gives up
/// after 8 s.
pub const SEARCH_DEADLINE_MS_RANGE: std::ops::RangeInclusive<u64> = 100..=8_000;
/// How long Smart Search waits for the language model's reading before the rules' stands: a
/// shopper waits for it, and then for the affiliate API.
pub const DEFAULT_LLM_DEADLINE_MS: u64 = 1_500;
/// The shortest and longest language model deadline accepted; with the affiliate API's, it must
/// stay within [`SEARCH_DEADLINE_MS_RANGE`]'s end (the extension's wait).
pub const LLM_DEADLINE_MS_RANGE: std::ops::RangeInclusive<u64> = 100..=3_000;

/// How long a link the affiliate API made for a product is served from the cache before the API
/// is asked again: a day. An API link does not expire on its own, but a product's place in the
/// affiliate program (and its commission) can change; a day bounds how long a product keeps a
/// link made before such a change, while each product costs at most one `link.generate` call a
/// day against the app's call limit.
pub const DEFAULT_LINK_CACHE_HOURS: f64 = 24.0;
/// The longest cache age accepted: 30 days.
pub const MAX_LINK_CACHE_HOURS: f64 = 720.0;
/// How long a link request may wait for the affiliate API before the deep links answer: the
/// shopper is not kept waiting (the deep links are in place already), and the API answers
/// `link.generate` in well under a second when it is well, so 2 s leaves room for a retry.
pub const DEFAULT_LINK_DEADLINE_MS: u64 = 2_000;

/// The extension's build-time configuration, whose `affiliate_key` is the default of ours: one
/// file holds the publisher's key for both, so the deep links the server answers carry the key
/// the extension's own carry.
const EXTENSION_CONFIG: &str = include_str!("../../../extension/config.json");
/// The usage limits an operator may set, per hour (an id) or per minute (an address): a load
/// test on one machine sends from one address with one id, and needs them far above the
/// defaults ([`crate::usage::PER_ID`], [`crate::usage::PER_ADDRESS`]).
pub const EVENTS_LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=1_000_000_000;

/// The flags the common settings have.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// A TOML configuration file (also SHOPPER_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on, such as 127.0.0.1:8787 (port 0: any free port).
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Data folder: the SQLite database and the development key live there.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL (default `sqlite://<data dir>/shopper.db`).
    #[arg(long = "database", global = true)]
    pub database_url: Option<String>,
    /// The publisher key file to sign feeds with (`shopper feed keygen` writes one).
    #[arg(long = "signing-key", global = true)]
    pub signing_key_file: Option<PathBuf>,
    /// Also write each market's signed feed, and an index, into this folder.
    #[arg(long, global = true)]
    pub publish_dir: Option<PathBuf>,
    /// Markets to serve beyond those the coupons name, comma-separated (US-USD,ES-EUR).
    #[arg(long, global = true)]
    pub markets: Option<String>,
    /// An OpenAI-compatible endpoint's base URL (http://127.0.0.1:8080/v1) that reads the
    /// Smart Search requests the rules do not read fully; off when unset.
    #[arg(long, global = true)]
    pub llm_url: Option<String>,
    /// The model to ask the endpoint for.
    #[arg(long, global = true)]
    pub llm_model: Option<String>,
    /// How long to wait for the model's reading, in milliseconds (default 1500).
    #[arg(long, global = true)]
    pub llm_deadline_ms: Option<u64>,
}

/// The TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    signing_key_file: Option<PathBuf>,
    #[serde(default)]
    previous_public_keys: Vec<PublicKeyEntry>,
    admin_token: Option<String>,
    publish_dir: Option<PathBuf>,
    markets: Option<Vec<String>>,
    poll_seconds: Option<u64>,
    affiliate_key: Option<String>,
    link_cache_hours: Option<f64>,
    #[serde(default)]
    aliexpress: AliexpressFile,
    #[serde(default)]
    llm: LlmFile,
    rates: Option<RatesInput>,
    #[serde(default)]
    events: EventsFile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    per_id_per_hour: Option<u32>,
    per_address_per_minute: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AliexpressFile {
    app_key: Option<String>,
    app_secret: Option<String>,
    tracking_id: Option<String>,
    api_url: Option<String>,
    deadline_ms: Option<u64>,
    link_deadline_ms: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LlmFile {
    url: Option<String>,
    model: Option<String>,
    api_key: Option<String>,
    deadline_ms: Option<u64>,
}

/// The AliExpress affiliate API's settings.
#[derive(Clone)]
pub struct AliexpressConfig {
    /// The app key.
    pub app_key: Option<String>,
    /// The app secret (never printed).
    pub app_secret: Option<String>,
    /// The tracking id links are made for.
    pub tracking_id: Option<String>,
    /// The API's endpoint.
    pub api_url: String,
    /// How long one Smart Search request may wait for the API, retries included.
    pub deadline: Duration,
}

impl AliexpressConfig {
    /// The settings it lacks to be on (empty: on).
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("app key", &self.app_key),
            ("app secret", &self.app_secret),
            ("tracking id", &self.tracking_id),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect()
    }
}

/// Our affiliate links (`POST /v1/links`).
#[derive(Debug, Clone)]
pub struct LinksConfig {
    /// The publisher's affiliate key the deep links carry (by default the extension's,
    /// `extension/config.json`).
    pub affiliate_key: AffiliateKey,
    /// How long an API link is served from the cache.
    pub cache_for: Duration,
    /// How long a link request may wait for the affiliate API.
    pub deadline: Duration,
}

/// Why the language model is off when no URL is configured (the default).
pub const LLM_OFF_WITHOUT_URL: &str = "no llm url configured";

/// The operator's language model for Smart Search: an OpenAI-compatible endpoint (llama.cpp's
/// or vLLM's server) that reads requests the rules do not read fully. Off without a URL.
#[derive(Clone)]
pub struct LlmConfig {
    /// The endpoint's base URL (`http://127.0.0.1:8080/v1`), without a trailing `/`; the
    /// server posts to `{url}/chat/completions`.
    pub url: Option<String>,
    /// The model to ask for.
    pub model: Option<String>,
    /// The bearer token the endpoint wants, if any (never printed).
    pub api_key: Option<String>,
    /// How long one request may wait for the model's reading.
    pub deadline: Duration,
}

impl LlmConfig {
    /// Why the model is off, or `None` when it is on.
    pub fn off_reason(&self) -> Option<&'static str> {
        match (&self.url, &self.model) {
            (None, _) => Some(LLM_OFF_WITHOUT_URL),
            (Some(_), None) => Some("no llm model configured"),
            (Some(_), Some(_)) => None,
        }
    }
}

/// The rate limits of `POST /v1/events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventsConfig {
    /// Batches per anonymous id.
    pub per_id: Rate,
    /// Batches per address.
    pub per_address: Rate,
}

/// The configuration, resolved.
#[derive(Clone)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The data folder.
    pub data_dir: PathBuf,
    /// The database URL.
    pub database_url: String,
    /// The signing key's file; none: the data folder's development key.
    pub signing_key_file: Option<PathBuf>,
    /// Public keys of earlier signing keys, listed beside the current one during a rotation.
    pub previous_public_keys: Vec<PublicKeyEntry>,
    /// The token `/v1/admin/*` requires; none: those endpoints are off.
    pub admin_token: Option<String>,
    /// Where to also write the signed feeds.
    pub publish_dir: Option<PathBuf>,
    /// Markets served whatever the coupons name.
    pub markets: Vec<Market>,
    /// How often to look for changed coupons.
    pub poll_interval: Duration,
    /// The affiliate API.
    pub aliexpress: AliexpressConfig,
    /// Our affiliate links.
    pub links: LinksConfig,
    /// The optional language model.
    pub llm: LlmConfig,
    /// Exchange rates from the configuration (imported ones win over them).
    pub rates: Rates,
    /// The usage batches' rate limits.
    pub events: EventsConfig,
}

/// Why the configuration is not usable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not TOML of the expected shape.
    #[error("{path}: {reason}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A setting has a value it cannot have.
    #[error("{setting}: {reason}")]
    Invalid {
        /// The setting (as the file or variable names it).
        setting: &'static str,
        /// Why.
        reason: String,
    },
}

/// A usage limit from the environment or the file, else `default`, within
/// [`EVENTS_LIMIT_RANGE`].
fn events_limit(
    env: &dyn Fn(&str) -> Option<String>,
    (name, setting): (&str, &'static str),
    from_file: Option<u32>,
    default: Rate,
) -> Result<Rate, ConfigError> {
    let count = match var(env, name) {
        Some(text) => Some(text.parse::<u32>().map_err(|_| ConfigError::Invalid {
            setting,
            reason: format!("{text:?} is not a whole number"),
        })?),
        None => from_file,
    };
    let Some(count) = count else {
        return Ok(default);
    };
    if !EVENTS_LIMIT_RANGE.contains(&count) {
        return Err(ConfigError::Invalid {
            setting,
            reason: format!(
                "{count} is not between {} and {}",
                EVENTS_LIMIT_RANGE.start(),
                EVENTS_LIMIT_RANGE.end()
            ),
        });
    }
    Ok(Rate {
        count,
        period: default.period,
    })
}

/// An environment variable, empty meaning unset.
fn var(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
}

impl Config {
    /// The configuration from the flags, the file they (or `SHOPPER_CONFIG`) name, and `env`
    /// (the process environment, or a test's).
    pub fn resolve(
        args: &ConfigArgs,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let path = args
            .config
            .clone()
            .or_else(|| var(env, "SHOPPER_CONFIG").map(PathBuf::from));
        let file = match &path {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        Self::layered(args, file, env)
    }

    fn layered(
        args: &ConfigArgs,
        file: FileConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let pick = |flag: Option<String>, name: &str, from_file: Option<String>| {
            flag.or_else(|| var(env, name)).or(from_file)
        };
        let path = |flag: &Option<PathBuf>, name: &str, from_file: Option<PathBuf>| {
            flag.clone()
                .or_else(|| var(env, name).map(PathBuf::from))
                .or(from_file)
        };
        let listen = pick(args.listen.clone(), "SHOPPER_LISTEN", file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen.parse().map_err(|_| ConfigError::Invalid {
            setting: "listen",
            reason: format!("{listen:?} is not an address and port such as 127.0.0.1:8787"),
        })?;
        let data_dir = path(&args.data_dir, "SHOPPER_DATA_DIR", file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = pick(
            args.database_url.clone(),
            "SHOPPER_DATABASE_URL",
            file.database_url,
        )
        .unwrap_or_else(|| default_database_url(&data_dir));
        let markets = match args.markets.clone().or_else(|| var(env, "SHOPPER_MARKETS")) {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
            None => file
                .markets
                .unwrap_or_else(|| DEFAULT_MARKETS.iter().map(|m| (*m).to_owned()).collect()),
        };
        let mut markets = markets
            .iter()
            .map(|m| {
                Market::parse(m).map_err(|e| ConfigError::Invalid {
                    setting: "markets",
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        markets.sort_unstable();
        markets.dedup();
        let poll = match var(env, "SHOPPER_POLL_SECONDS") {
            Some(text) => Some(text.parse::<u64>().map_err(|_| ConfigError::Invalid {
                setting: "poll_seconds",
                reason: format!("{text:?} is not a whole number of seconds"),
            })?),
            None => file.poll_seconds,
        }
        .unwrap_or(DEFAULT_POLL_SECONDS);
        if !(1..=3600).contains(&poll) {
            return Err(ConfigError::Invalid {
                setting: "poll_seconds",
                reason: format!("{poll} is not between 1 and 3600"),
            });
        }
        let rates = match &file.rates {
            Some(rates) => rates.to_rates().map_err(|e| ConfigError::Invalid {
                setting: "rates",
                reason: e.to_string(),
            })?,
            None => Rates::none(),
        };
        let links = links_config(
            file.affiliate_key,
            file.link_cache_hours,
            file.aliexpress.link_deadline_ms,
            env,
        )?;
        let ali = file.aliexpress;
        let deadline_ms = deadline_ms(
            env,
            "SHOPPER_ALIEXPRESS_DEADLINE_MS",
            "aliexpress.deadline_ms",
            ali.deadline_ms,
            DEFAULT_SEARCH_DEADLINE_MS,
        )?;
        let events = EventsConfig {
            per_id: events_limit(
                env,
                ("SHOPPER_EVENTS_PER_ID_PER_HOUR", "events.per_id_per_hour"),
                file.events.per_id_per_hour,
                PER_ID,
            )?,
            per_address: events_limit(
                env,
                (
                    "SHOPPER_EVENTS_PER_ADDRESS_PER_MINUTE",
                    "events.per_address_per_minute",
                ),
                file.events.per_address_per_minute,
                PER_ADDRESS,
            )?,
        };
        let llm = llm(args, file.llm, env, deadline_ms)?;
        Ok(Self {
            listen,
            database_url,
            signing_key_file: path(
                &args.signing_key_file,
                "SHOPPER_SIGNING_KEY_FILE",
                file.signing_key_file,
            ),
            previous_public_keys: file.previous_public_keys,
            admin_token: pick(None, "SHOPPER_ADMIN_TOKEN", file.admin_token),
            publish_dir: path(&args.publish_dir, "SHOPPER_PUBLISH_DIR", file.publish_dir),
            markets,
            poll_interval: Duration::from_secs(poll),
            aliexpress: AliexpressConfig {
                app_key: pick(None, "SHOPPER_ALIEXPRESS_APP_KEY", ali.app_key),
                app_secret: pick(None, "SHOPPER_ALIEXPRESS_APP_SECRET", ali.app_secret),
                tracking_id: pick(None, "SHOPPER_ALIEXPRESS_TRACKING_ID", ali.tracking_id),
                api_url: pick(None, "SHOPPER_ALIEXPRESS_API_URL", ali.api_url)
                    .unwrap_or_else(|| DEFAULT_API_URL.into()),
                deadline: Duration::from_millis(deadline_ms),
            },
            links,
            llm,
            rates,
            data_dir,
            events,
        })
    }
}

/// The language model's settings, checked: an `http(s)` URL, a deadline in
/// [`LLM_DEADLINE_MS_RANGE`] that leaves, with the affiliate API's (`api_deadline_ms`), the
/// request within the extension's wait.
fn llm(
    args: &ConfigArgs,
    file: LlmFile,
    env: &dyn Fn(&str) -> Option<String>,
    api_deadline_ms: u64,
) -> Result<LlmConfig, ConfigError> {
    let url = args
        .llm_url
        .clone()
        .or_else(|| var(env, "SHOPPER_LLM_URL"))
        .or(file.url)
        .map(|url| url.trim_end_matches('/').to_owned());
    if let Some(url) = &url {
        let scheme = url.split_once("://").map(|(scheme, _)| scheme);
        if !matches!(scheme, Some("http" | "https")) || url.len() > 2048 {
            return Err(ConfigError::Invalid {
                setting: "llm.url",
                reason: format!(
                    "{url:?} is not an http or https URL such as http://127.0.0.1:8080/v1"
                ),
            });
        }
    }
    let deadline_ms = match args.llm_deadline_ms {
        Some(ms) => Some(ms),
        None => match var(env, "SHOPPER_LLM_DEADLINE_MS") {
            Some(text) => Some(text.parse::<u64>().map_err(|_| ConfigError::Invalid {
                setting: "llm.deadline_ms",
                reason: format!("{text:?} is not a whole number of milliseconds"),
            })?),
            None => file.deadline_ms,
        },
    }
    .unwrap_or(DEFAULT_LLM_DEADLINE_MS);
    let most = SEARCH_DEADLINE_MS_RANGE.end();
    if !LLM_DEADLINE_MS_RANGE.contains(&deadline_ms) {
        return Err(ConfigError::Invalid {
            setting: "llm.deadline_ms",
            reason: format!(
                "{deadline_ms} is not between {} and {}",
                LLM_DEADLINE_MS_RANGE.start(),
                LLM_DEADLINE_MS_RANGE.end()
            ),
        });
    }
    if url.is_some() && deadline_ms + api_deadline_ms > *most {
        return Err(ConfigError::Invalid {
            setting: "llm.deadline_ms",
            reason: format!(
                "{deadline_ms} with the affiliate API's {api_deadline_ms} is over {most}, the longest a search may take"
            ),
        });
    }
    Ok(LlmConfig {
        url,
        model: args
            .llm_model
            .clone()
            .or_else(|| var(env, "SHOPPER_LLM_MODEL"))
            .or(file.model),
        api_key: var(env, "SHOPPER_LLM_API_KEY").or(file.api_key),
        deadline: Duration::from_millis(deadline_ms),
    })
}

/// A whole number of milliseconds within the deadlines accepted ([`SEARCH_DEADLINE_MS_RANGE`]),
/// from the variable `name`, else the file, else `default`.
fn deadline_ms(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    setting: &'static str,
    from_file: Option<u64>,
    default: u64,
) -> Result<u64, ConfigError> {
    let ms = match var(env, name) {
        Some(text) => Some(text.parse::<u64>().map_err(|_| ConfigError::Invalid {
            setting,
            reason: format!("{text:?} is not a whole number of milliseconds"),
        })?),
        None => from_file,
    }
    .unwrap_or(default);
    if !SEARCH_DEADLINE_MS_RANGE.contains(&ms) {
        return Err(ConfigError::Invalid {
            setting,
            reason: format!(
                "{ms} is not between {} and {}",
                SEARCH_DEADLINE_MS_RANGE.start(),
                SEARCH_DEADLINE_MS_RANGE.end()
            ),
        });
    }
    Ok(ms)
}

/// The affiliate key (`SHOPPER_AFFILIATE_KEY`, the file's, else the extension's), the cache's
/// age (`SHOPPER_LINK_CACHE_HOURS`, hours, a fraction allowed) and the link deadline.
fn links_config(
    affiliate_key: Option<String>,
    link_cache_hours: Option<f64>,
    link_deadline_ms: Option<u64>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<LinksConfig, ConfigError> {
    let key = match var(env, "SHOPPER_AFFILIATE_KEY").or(affiliate_key) {
        Some(key) => key,
        None => extension_affiliate_key()?,
    };
    let affiliate_key = AffiliateKey::parse(&key).map_err(|e| ConfigError::Invalid {
        setting: "affiliate_key",
        reason: e.to_string(),
    })?;
    let hours = match var(env, "SHOPPER_LINK_CACHE_HOURS") {
        Some(text) => Some(text.parse::<f64>().map_err(|_| ConfigError::Invalid {
            setting: "link_cache_hours",
            reason: format!("{text:?} is not a number of hours"),
        })?),
        None => link_cache_hours,
    }
    .unwrap_or(DEFAULT_LINK_CACHE_HOURS);
    // At least a second: the cache's times are whole seconds.
    if !(hours > 0.0 && hours <= MAX_LINK_CACHE_HOURS) {
        return Err(ConfigError::Invalid {
            setting: "link_cache_hours",
            reason: format!("{hours} is not above 0 and at most {MAX_LINK_CACHE_HOURS}"),
        });
    }
    let cache_for = Duration::from_secs(((hours * 3600.0).round() as u64).max(1));
    let deadline = deadline_ms(
        env,
        "SHOPPER_ALIEXPRESS_LINK_DEADLINE_MS",
        "aliexpress.link_deadline_ms",
        link_deadline_ms,
        DEFAULT_LINK_DEADLINE_MS,
    )?;
    Ok(LinksConfig {
        affiliate_key,
        cache_for,
        deadline: Duration::from_millis(deadline),
    })
}

/// The extension's default affiliate key, `extension/config.json`'s `affiliate_key`.
pub fn extension_affiliate_key() -> Result<String, ConfigError> {
    #[derive(Deserialize)]
    struct ExtensionConfig {
        affiliate_key: String,
    }
    serde_json::from_str::<ExtensionConfig>(EXTENSION_CONFIG)
        .map(|config| config.affiliate_key)
        .map_err(|e| ConfigError::Invalid {
            setting: "affiliate_key",
            reason: format!("extension/config.json, built in, has no affiliate key: {e}"),
        })
}

/// `sqlite://<data dir>/shopper.db`.
pub fn default_database_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("shopper.db").display())
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Toml {
        path: path.to_owned(),
        reason: e.message().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn file(text: &str) -> FileConfig {
        toml::from_str(text).expect("toml")
    }

    #[test]
    fn defaults() {
        let config = Config::layered(&ConfigArgs::default(), FileConfig::default(), &env(&[]))
            .expect("config");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert_eq!(config.database_url, "sqlite://shopper-data/shopper.db");
        assert_eq!(config.markets, [Market::parse("US-USD").expect("market")]);
        assert_eq!(
            config.aliexpress.missing(),
            ["app key", "app secret", "tracking id"]
        );
        assert_eq!(config.aliexpress.api_url, DEFAULT_API_URL);
        assert_eq!(
            config.aliexpress.deadline,
            Duration::from_millis(DEFAULT_SEARCH_DEADLINE_MS)
        );
        assert!(config.admin_token.is_none() && config.llm.url.is_none());
        assert_eq!(config.links.cache_for, Duration::from_secs(24 * 3600));
        assert_eq!(
            config.links.deadline,
            Duration::from_millis(DEFAULT_LINK_DEADLINE_MS)
        );
        // The extension's key, read here from the file itself: the one built in is the same.
        let path = format!("{}/../../extension/config.json", env!("CARGO_MANIFEST_DIR"));
        let extension: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("the extension's config"))
                .expect("json");
        assert_eq!(
            Some(config.links.affiliate_key.as_str()),
            extension["affiliate_key"].as_str()
        );
        assert_eq!(config.llm.off_reason(), Some("no llm url configured"));
        assert_eq!(
            config.llm.deadline,
            Duration::from_millis(DEFAULT_LLM_DEADLINE_MS)
        );
        assert_eq!(
            config.events,
            EventsConfig {
                per_id: PER_ID,
                per_address: PER_ADDRESS
            }
        );
    }

    #[test]
    fn the_language_model_from_the_file_then_the_environment_then_flags() {
        let toml = file(
            r#"
            [llm]
            url = "http://127.0.0.1:8080/v1/"
            model = "from-file"
            api_key = "file-key"
            deadline_ms = 1000
            "#,
        );
        let config =
            Config::layered(&ConfigArgs::default(), toml.clone(), &env(&[])).expect("config");
        assert_eq!(config.llm.url.as_deref(), Some("http://127.0.0.1:8080/v1"));
        assert_eq!(config.llm.model.as_deref(), Some("from-file"));
        assert_eq!(config.llm.api_key.as_deref(), Some("file-key"));
        assert_eq!(config.llm.deadline, Duration::from_millis(1000));
        assert_eq!(config.llm.off_reason(), None);

        let vars = env(&[
            ("SHOPPER_LLM_URL", "https://models.internal/v1"),
            ("SHOPPER_LLM_MODEL", "from-env"),
            ("SHOPPER_LLM_API_KEY", "env-key"),
            ("SHOPPER_LLM_DEADLINE_MS", "2000"),
        ]);
        let config = Config::layered(&ConfigArgs::default(), toml.clone(), &vars).expect("env");
        assert_eq!(
            config.llm.url.as_deref(),
            Some("https://models.internal/v1")
        );
        assert_eq!(config.llm.model.as_deref(), Some("from-env"));
        assert_eq!(config.llm.api_key.as_deref(), Some("env-key"));
        assert_eq!(config.llm.deadline, Duration::from_millis(2000));

        let flags = ConfigArgs {
            llm_url: Some("http://127.0.0.1:9000/v1".into()),
            llm_model: Some("from-flag".into()),
            llm_deadline_ms: Some(500),
            ..ConfigArgs::default()
        };
        let config = Config::layered(&flags, toml, &vars).expect("flags");
        assert_eq!(config.llm.url.as_deref(), Some("http://127.0.0.1:9000/v1"));
        assert_eq!(config.llm.model.as_deref(), Some("from-flag"));
        assert_eq!(config.llm.api_key.as_deref(), Some("env-key"), "no flag");
        assert_eq!(config.llm.deadline, Duration::from_millis(500));

        let no_model = Config::layered(
            &ConfigArgs::default(),
            FileConfig::default(),
            &env(&[("SHOPPER_LLM_URL", "http://127.0.0.1:8080/v1")]),
        )
        .expect("config");
        assert_eq!(no_model.llm.off_reason(), Some("no llm model configured"));
    }

    #[test]
    fn usage_limits_from_the_file_and_the_environment() {
        let toml = file("[events]\nper_id_per_hour = 10\nper_address_per_minute = 1000");
        let config =
            Config::layered(&ConfigArgs::default(), toml.clone(), &env(&[])).expect("file");
        assert_eq!(config.events.per_id.count, 10);
        assert_eq!(config.events.per_id.period, PER_ID.period);
        assert_eq!(config.events.per_address.count, 1000);
        assert_eq!(config.events.per_address.period, PER_ADDRESS.period);
        let vars = env(&[("SHOPPER_EVENTS_PER_ADDRESS_PER_MINUTE", "1000000")]);
        let config = Config::layered(&ConfigArgs::default(), toml, &vars).expect("env");
        assert_eq!(config.events.per_address.count, 1_000_000);
        assert_eq!(config.events.per_id.count, 10, "the file's still");
    }

    #[test]
    fn the_file_then_the_environment_then_flags() {
        let toml = file(
            r#"
            listen = "127.0.0.1:1000"
            data_dir = "/srv/file"
            markets = ["ES-EUR", "BR-BRL"]
            admin_token = "from-file"
            affiliate_key = "file_key"
            link_cache_hours = 0.5
            [aliexpress]
            app_key = "k"
            app_secret = "s"
            tracking_id = "t"
            deadline_ms = 1500
            link_deadline_ms = 800
            [rates]
            base = "USD"
            per_base = { EUR = 0.92 }
            "#,
        );
        let config =
            Config::layered(&ConfigArgs::default(), toml.clone(), &env(&[])).expect("config");
        assert_eq!(config.listen.port(), 1000);
        assert_eq!(config.database_url, "sqlite:///srv/file/shopper.db");
        assert_eq!(config.markets.len(), 2);
        assert!(config.aliexpress.missing().is_empty());
        assert_eq!(config.aliexpress.deadline, Duration::from_millis(1500));
        assert_eq!(config.admin_token.as_deref(), Some("from-file"));
        assert!(config.rates.base().is_some());
        assert_eq!(config.links.affiliate_key.as_str(), "file_key");
        assert_eq!(config.links.cache_for, Duration::from_secs(1800));
        assert_eq!(config.links.deadline, Duration::from_millis(800));

        let vars = env(&[
            ("SHOPPER_LISTEN", "127.0.0.1:2000"),
            ("SHOPPER_DATA_DIR", "/srv/env"),
            ("SHOPPER_ADMIN_TOKEN", "from-env"),
            ("SHOPPER_MARKETS", "US-USD"),
            ("SHOPPER_ALIEXPRESS_APP_SECRET", ""),
            ("SHOPPER_ALIEXPRESS_DEADLINE_MS", "2500"),
            ("SHOPPER_AFFILIATE_KEY", "env_key"),
            ("SHOPPER_LINK_CACHE_HOURS", "0.0005"),
            ("SHOPPER_ALIEXPRESS_LINK_DEADLINE_MS", "300"),
        ]);
        let config = Config::layered(&ConfigArgs::default(), toml.clone(), &vars).expect("env");
        assert_eq!(config.listen.port(), 2000);
        assert_eq!(config.data_dir, PathBuf::from("/srv/env"));
        assert_eq!(config.admin_token.as_deref(), Some("from-env"));
        assert_eq!(config.markets, [Market::parse("US-USD").expect("market")]);
        assert!(
            config.aliexpress.missing().is_empty(),
            "an empty variable is unset"
        );
        assert_eq!(config.aliexpress.deadline, Duration::from_millis(2500));
        assert_eq!(config.links.affiliate_key.as_str(), "env_key");
        assert_eq!(
            config.links.cache_for,
            Duration::from_secs(2),
            "1.8 s, whole seconds"
        );
        assert_eq!(config.links.deadline, Duration::from_millis(300));

        let flags = ConfigArgs {
            listen: Some("127.0.0.1:3000".into()),
            database_url: Some("sqlite:///tmp/x.db".into()),
            ..ConfigArgs::default()
        };
        let config = Config::layered(&flags, toml, &vars).expect("flags");
        assert_eq!(config.listen.port(), 3000);
        assert_eq!(config.database_url, "sqlite:///tmp/x.db");
        assert_eq!(config.data_dir, PathBuf::from("/srv/env"));
    }

    #[test]
    fn wrong_settings_are_named() {
        let refused = |args: ConfigArgs, vars: &[(&str, &str)]| match Config::layered(
            &args,
            FileConfig::default(),
            &env(vars),
        ) {
            Err(ConfigError::Invalid { setting, .. }) => setting,
            Err(other) => unreachable!("{other}"),
            Ok(_) => unreachable!("accepted"),
        };
        let listen = ConfigArgs {
            listen: Some("localhost".into()),
            ..ConfigArgs::default()
        };
        assert_eq!(refused(listen, &[]), "listen");
        assert_eq!(
            refused(ConfigArgs::default(), &[("SHOPPER_MARKETS", "USA")]),
            "markets"
        );
        assert_eq!(
            refused(ConfigArgs::default(), &[("SHOPPER_POLL_SECONDS", "0")]),
            "poll_seconds"
        );
        for (vars, why) in [
            (&[("SHOPPER_LLM_URL", "127.0.0.1:8080")][..], "no scheme"),
            (&[("SHOPPER_LLM_URL", "file:///etc/passwd")][..], "not http"),
            (&[("SHOPPER_LLM_DEADLINE_MS", "99")][..], "too short"),
            (&[("SHOPPER_LLM_DEADLINE_MS", "3001")][..], "too long"),
            (&[("SHOPPER_LLM_DEADLINE_MS", "soon")][..], "not a number"),
            (
                &[
                    ("SHOPPER_LLM_URL", "http://127.0.0.1:8080/v1"),
                    ("SHOPPER_LLM_DEADLINE_MS", "3000"),
                    ("SHOPPER_ALIEXPRESS_DEADLINE_MS", "5001"),
                ][..],
                "over the extension's wait with the API's",
            ),
        ] {
            let setting = refused(ConfigArgs::default(), vars);
            assert!(setting.starts_with("llm."), "{why}: {setting}");
        }
        for deadline in ["99", "8001", "soon"] {
            assert_eq!(
                refused(
                    ConfigArgs::default(),
                    &[("SHOPPER_ALIEXPRESS_DEADLINE_MS", deadline)]
                ),
                "aliexpress.deadline_ms",
                "{deadline}"
            );
        }
        for hours in ["0", "-1", "721", "NaN", "inf", "a day"] {
            assert_eq!(
                refused(
                    ConfigArgs::default(),
                    &[("SHOPPER_LINK_CACHE_HOURS", hours)]
                ),
                "link_cache_hours",
                "{hours}"
            );
        }
        assert_eq!(
            refused(ConfigArgs::default(), &[("SHOPPER_AFFILIATE_KEY", "a&b")]),
            "affiliate_key"
        );
        assert_eq!(
            refused(
                ConfigArgs::default(),
                &[("SHOPPER_ALIEXPRESS_LINK_DEADLINE_MS", "50")]
            ),
            "aliexpress.link_deadline_ms"
        );
        for (name, value, setting) in [
            (
                "SHOPPER_EVENTS_PER_ID_PER_HOUR",
                "0",
                "events.per_id_per_hour",
            ),
            (
                "SHOPPER_EVENTS_PER_ADDRESS_PER_MINUTE",
                "many",
                "events.per_address_per_minute",
            ),
        ] {
            assert_eq!(
                refused(ConfigArgs::default(), &[(name, value)]),
                setting,
                "{value}"
            );
        }
        assert!(
            toml::from_str::<FileConfig>("unknown = 1").is_err(),
            "unknown settings"
        );
        assert!(
            toml::from_str::<FileConfig>("[rates]\nbase = \"USD\"\nper_base = {}\nx = 1").is_err()
        );
    }
}
