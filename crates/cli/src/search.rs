//! `shopper search parse`: Smart Search's answer for each stdin line, as the popup gets it (the
//! same `shopper_core::search::search` call and the same JSON writer).

use clap::{Args, Subcommand};
use shopper_core::money::{Currency, Rates};
use shopper_core::search::{search, Filter, Site};

#[derive(Subcommand)]
pub(crate) enum SearchCommand {
    /// Prints {"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
    /// "ship_from", "sort", "site_currency", "url_price", "filters", "url"} per line.
    Parse(ParseArgs),
}

#[derive(Args)]
pub(crate) struct ParseArgs {
    /// The shopper's AliExpress host (es.aliexpress.com): the URL goes there when it is one,
    /// else to www.aliexpress.com.
    #[arg(long)]
    host: Option<String>,
    /// The currency the shopper's AliExpress shows prices in (ISO 4217, `USD`), when known: a
    /// price in another currency is then left out of the URL (no exchange rates here), and a
    /// `$` is that currency when it may be.
    #[arg(long)]
    currency: Option<String>,
    /// Filters the shopper took off, comma-separated: price, rating, free_shipping, ship_from,
    /// sort.
    #[arg(long, value_delimiter = ',')]
    without: Vec<String>,
}

impl SearchCommand {
    pub(crate) fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Self::Parse(args) => {
                let currency =
                    match args.currency.as_deref() {
                        Some(code) => Some(Currency::parse(code).ok_or_else(|| {
                            format!("--currency {code}: not a known ISO 4217 code")
                        })?),
                        None => None,
                    };
                let mut without = Vec::new();
                for name in &args.without {
                    without.push(Filter::parse(name).ok_or_else(|| {
                        format!(
                            "--without {name}: not price, rating, free_shipping, ship_from or sort"
                        )
                    })?);
                }
                let site = Site {
                    host: args.host.as_deref(),
                    currency,
                };
                let rates = Rates::none();
                crate::text_lines(|line| search(line, site, &rates, &without).to_json())
            }
        }
    }
}
