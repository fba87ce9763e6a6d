//! The command line: `serve` (the default), `coupons import FILE`, `coupons harvest`, `rates
//! import FILE` and `keygen`. What an operator reads goes to stdout, one line each; logs go to
//! stderr.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use shopper_core::coupon::Coupon;
use shopper_core::market::Market;

use crate::config::{Config, ConfigArgs};
use crate::feeds::KeyEntry;
use crate::harvest::{HarvestRequest, DEFAULT_HARVEST_PAGES, DEFAULT_PROMOTION};
use crate::import::{check_file, Checked};
use crate::language_model::LanguageModel;
use crate::links::Links;
use crate::publisher::Publisher;
use crate::rates::RatesInput;
use crate::search::Search;
use crate::state::Shared;
use crate::usage::EventLimits;
use crate::{clock, harvest, http, keys, serve, storage, usage};

/// Smart Shopper's companion server: the coupons and the signed feed of each market.
#[derive(Parser)]
#[command(name = "shopper-server", version)]
pub struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the feeds (the default).
    Serve,
    /// Coupons in storage.
    Coupons {
        #[command(subcommand)]
        command: CouponsCommand,
    },
    /// The day's exchange rates the feeds carry.
    Rates {
        #[command(subcommand)]
        command: RatesCommand,
    },
    /// Prints a new publisher key file, as `shopper feed keygen` does (keep it secret).
    Keygen {
        /// The id envelopes will name the key by.
        #[arg(long, default_value = "publisher-1")]
        key_id: String,
    },
}

#[derive(Subcommand)]
enum CouponsCommand {
    /// Imports a v1 feed, a JSON array of v1 coupons or a CSV file (see the README): every
    /// coupon is checked, then all are upserted by id in one transaction. One line per
    /// refused coupon; nothing is imported if any is refused, unless --skip-invalid.
    Import {
        /// The file (`.csv` is read as CSV, anything else as JSON).
        file: PathBuf,
        /// Import the valid coupons even if some are refused.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Harvests the promo codes the AliExpress affiliate API attaches to products
    /// (product.query, hotproduct.query and featuredpromo.products.get, page by page) for each
    /// market, made coupons by the core; the new and changed ones are upserted by id in one
    /// transaction, or nothing if a call fails. One line per refused promo code, then a summary.
    Harvest {
        /// A market to harvest for, such as US-USD (repeat for more; default: the configured
        /// markets).
        // Its own id: `markets` is the global `--markets` flag's.
        #[arg(long, value_name = "MARKET")]
        market: Vec<String>,
        /// Pages of 50 products asked of each method for each market (1 to 20).
        #[arg(long, default_value_t = DEFAULT_HARVEST_PAGES)]
        pages: u32,
        /// The featured promotion whose products are asked.
        #[arg(long, default_value = DEFAULT_PROMOTION)]
        promotion: String,
        /// Harvest and print, but store nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum RatesCommand {
    /// Replaces the rates with a file's `{"base": "USD", "per_base": {"EUR": 0.92}}`.
    Import {
        /// The JSON file.
        file: PathBuf,
    },
}

/// Runs the command line; the exit code says whether it went well.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve_command(&cli.config).await,
        Command::Coupons {
            command: CouponsCommand::Import { file, skip_invalid },
        } => import_coupons(&cli.config, &file, skip_invalid).await,
        Command::Coupons {
            command:
                CouponsCommand::Harvest {
                    market: markets,
                    pages,
                    promotion,
                    dry_run,
                },
        } => {
            let asked = HarvestAsked {
                markets,
                pages,
                promotion,
                dry_run,
            };
            harvest_coupons(&cli.config, asked).await
        }
        Command::Rates {
            command: RatesCommand::Import { file },
        } => import_rates(&cli.config, &file).await,
        Command::Keygen { key_id } => keygen(&key_id),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shopper-server: {error}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error>;

fn config(args: &ConfigArgs) -> Result<Config, Failure> {
    Ok(Config::resolve(args, &|name| std::env::var(name).ok())?)
}

async fn open_storage(config: &Config) -> Result<Arc<dyn storage::Storage>, Failure> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("{}: {e}", config.data_dir.display()))?;
    Ok(storage::open(&config.database_url).await?)
}

async fn import_coupons(args: &ConfigArgs, file: &Path, skip_invalid: bool) -> Result<(), Failure> {
    let config = config(args)?;
    let Checked { coupons, refused } = check_file(file)?;
    for r in &refused {
        println!("{}", r.line());
    }
    if !refused.is_empty() && !skip_invalid {
        return Err(format!(
            "{} coupon(s) refused, nothing imported (fix them, or --skip-invalid to import the {} others)",
            refused.len(),
            coupons.len()
        )
        .into());
    }
    let storage = open_storage(&config).await?;
    let catalog = storage.upsert_coupons(&coupons, clock::now()).await?;
    println!(
        "{}",
        serde_json::json!({"imported": coupons.len(), "refused": refused.len(), "revision": catalog.revision})
    );
    Ok(())
}

/// What `coupons harvest` was asked.
struct HarvestAsked {
    markets: Vec<String>,
    pages: u32,
    promotion: String,
    dry_run: bool,
}

async fn harvest_coupons(args: &ConfigArgs, asked: HarvestAsked) -> Result<(), Failure> {
    let config = config(args)?;
    let mut markets = match asked.markets.as_slice() {
        [] => config.markets.clone(),
        given => given
            .iter()
            .map(|m| Market::parse(m).map_err(|e| format!("--market: {e}")))
            .collect::<Result<Vec<_>, _>>()?,
    };
    markets.sort_unstable();
    markets.dedup();
    let client = harvest::client(&config.aliexpress)?;
    // Opened first: a database that cannot be reached fails before any call is made.
    let storage = if asked.dry_run {
        None
    } else {
        Some(open_storage(&config).await?)
    };
    let now = clock::now();
    let request = HarvestRequest {
        markets,
        pages: asked.pages,
        promotion: asked.promotion,
    };
    let harvest = harvest::harvest(&client, &request, now).await?;
    for code in harvest.refused() {
        println!("{}", harvest::refused(code).line());
    }
    let summary = format!(
        "harvested {} coupons from {} products, {} refused",
        harvest.coupons().len(),
        harvest.products(),
        harvest.refused().len()
    );
    let Some(storage) = storage else {
        println!("{summary}; dry run: nothing stored");
        return Ok(());
    };
    // Only what is new or changed is written: a rerun that finds the same codes leaves the
    // catalog, and every feed and its ETag, as they were.
    let stored: HashMap<String, Coupon> = storage
        .coupons_expiring_after(now)
        .await?
        .into_iter()
        .map(|c| (c.id().to_owned(), c))
        .collect();
    let changed: Vec<Coupon> = harvest
        .into_coupons()
        .into_iter()
        .filter(|c| stored.get(c.id()) != Some(c))
        .collect();
    if changed.is_empty() {
        println!("{summary}; none new or changed");
        return Ok(());
    }
    let catalog = storage.upsert_coupons(&changed, now).await?;
    println!(
        "{summary}; {} new or changed stored (revision {})",
        changed.len(),
        catalog.revision
    );
    Ok(())
}

async fn import_rates(args: &ConfigArgs, file: &Path) -> Result<(), Failure> {
    let config = config(args)?;
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let input: RatesInput = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: not rates: {e}", file.display()))?;
    let rates = input.to_rates()?;
    let storage = open_storage(&config).await?;
    let catalog = storage.replace_rates(&rates, clock::now()).await?;
    println!(
        "{}",
        serde_json::json!({"rates": rates.listed().count(), "revision": catalog.revision})
    );
    Ok(())
}

fn keygen(key_id: &str) -> Result<(), Failure> {
    let secret = keys::new_key(Some(key_id))?;
    print!("{}", keys::key_file_text(&secret));
    Ok(())
}

/// One line to stdout, which an operator (and the tests) read.
fn say(line: &str) {
    println!("shopper-server: {line}");
}

async fn serve_command(args: &ConfigArgs) -> Result<(), Failure> {
    let config = config(args)?;
    let storage = open_storage(&config).await?;
    let key = keys::signing_key(config.signing_key_file.as_deref(), &config.data_dir)?;
    let previous = keys::previous_keys(&config.previous_public_keys)?;
    if key.created {
        say(&format!(
            "made a development signing key {} in {} (configure signing_key_file for production)",
            key.secret.key_id,
            key.path.display()
        ));
    }
    say(&format!(
        "signing feeds with key {} ({}), public key {}",
        key.secret.key_id,
        key.path.display(),
        key.secret.public().to_base64()
    ));
    let mut listed = vec![KeyEntry {
        key_id: key.secret.key_id.clone(),
        public_key: key.secret.public().to_base64(),
        current: true,
    }];
    listed.extend(previous.iter().map(|k| KeyEntry {
        key_id: k.key_id.clone(),
        public_key: k.to_base64(),
        current: false,
    }));
    let api = crate::affiliate_api::client(&config.aliexpress);
    let state = Arc::new(
        Shared::new(storage, listed, config.admin_token.clone())
            .with_search(
                Search::with_client(api.clone(), config.aliexpress.deadline)
                    .with_model(LanguageModel::from_config(&config.llm)),
            )
            .with_links(Links::new(api, &config.links))
            .with_event_limits(EventLimits::new(
                config.events.per_id,
                config.events.per_address,
            )),
    );
    let publisher = Publisher {
        state: Arc::clone(&state),
        secret: Arc::new(key.secret),
        configured: config.markets.clone(),
        configured_rates: config.rates.clone(),
        publish_dir: config.publish_dir.clone(),
        poll: config.poll_interval,
    };
    publisher.refresh().await?;
    let markets: Vec<String> = state
        .published()
        .feeds
        .values()
        .map(|f| format!("{} ({} coupons)", f.market, f.coupons))
        .collect();
    say(&format!("markets: {}", markets.join(", ")));
    if let Ok(model) = state.search.model() {
        say(&format!(
            "language model for Smart Search: {} at {} ({} ms), for requests the rules do not read fully",
            model.model(),
            model.endpoint(),
            model.deadline().as_millis()
        ));
    }
    for line in off_lines(&config, &state.search, state.links.as_ref()) {
        say(&line);
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr()?;
    say(&format!("listening on http://{address}"));
    let refresher = tokio::spawn(publisher.run());
    // Usage retention: a sweep now, then hourly.
    let sweeper = tokio::spawn(usage::run_sweeps(Arc::clone(&state.storage)));
    serve::serve(listener, http::app(state), serve::stop_signal()).await;
    refresher.abort();
    sweeper.abort();
    say("stopped");
    Ok(())
}

/// One line per feature that is off, and why.
fn off_lines(config: &Config, search: &Search, links: Option<&Links>) -> Vec<String> {
    let mut lines = Vec::new();
    let missing = config.aliexpress.missing();
    if !missing.is_empty() {
        lines.push(format!(
            "off: AliExpress affiliate API (no {} configured: SHOPPER_ALIEXPRESS_APP_KEY, _APP_SECRET, _TRACKING_ID); feeds are served",
            missing.join(", ")
        ));
    }
    if let Some(reason) = search.off_reason() {
        lines.push(format!(
            "off: Smart Search products ({reason}): POST /v1/search answers 503 search_unavailable"
        ));
    }
    if let Some(reason) = links.and_then(Links::off_reason) {
        lines.push(format!(
            "off: affiliate API links ({reason}): POST /v1/links answers deep links"
        ));
    }
    if let Err(reason) = search.model() {
        lines.push(format!(
            "off: language model for Smart Search ({reason}: SHOPPER_LLM_URL, SHOPPER_LLM_MODEL): the rules alone read requests"
        ));
    }
    if config.admin_token.is_none() {
        lines.push("off: admin endpoints (no admin token configured: SHOPPER_ADMIN_TOKEN)".into());
    }
    if config.publish_dir.is_none() {
        lines.push("off: publish dir (no --publish-dir): feeds are served over HTTP only".into());
    }
    lines
}
