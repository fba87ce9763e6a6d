//! `shopper search parse`: Smart Search's reading of each stdin line, as the popup gets it.

use clap::{Args, Subcommand};
use shopper_core::search::parse_query;

#[derive(Subcommand)]
pub(crate) enum SearchCommand {
    /// Prints {"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
    /// "ship_from", "sort", "url"} per line.
    Parse(ParseArgs),
}

#[derive(Args)]
pub(crate) struct ParseArgs {
    /// The shopper's AliExpress host (es.aliexpress.com): the URL goes there when it is one,
    /// else to www.aliexpress.com.
    #[arg(long)]
    host: Option<String>,
}

impl SearchCommand {
    pub(crate) fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Self::Parse(args) => {
                crate::text_lines(|line| parse_query(line).to_json(args.host.as_deref()))
            }
        }
    }
}
