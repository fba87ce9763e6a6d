//! `shopper`: the publisher's command line over shopper-core. Each command reads one input per
//! line on stdin and writes one JSON object per line on stdout.

mod coupons;
mod feed;
mod link;
mod search;

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Smart Shopper's command line: batch checks and feed tooling over the same rules the extension runs.
#[derive(Parser)]
#[command(name = "shopper", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// AliExpress links: classify or rewrite one URL per input line.
    #[command(subcommand)]
    Link(link::LinkCommand),
    /// The signed coupon feed: make a key, sign, verify, lint.
    #[command(subcommand)]
    Feed(feed::FeedCommand),
    /// Coupons for a cart: each one that applies, or the best stack.
    #[command(subcommand)]
    Coupons(coupons::CouponsCommand),
    /// Smart Search: a shopper's request in their own words, read into an AliExpress search.
    #[command(subcommand)]
    Search(search::SearchCommand),
    /// What the extension's shell must know of the rules, as JSON (scripts/package.mjs writes
    /// it into the build: the content script cannot load WASM).
    Contract,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Link(command) => command.run(),
        Command::Feed(command) => command.run(),
        Command::Coupons(command) => command.run(),
        Command::Search(command) => command.run(),
        Command::Contract => {
            println!("{}", shopper_core::contract::shell_contract());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shopper: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a whole file, naming it in the error.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Prints one JSON object as one line.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Runs `each` over every stdin line and writes its JSON answer as one stdout line.
pub(crate) fn json_lines<T: serde::Serialize>(
    mut each: impl FnMut(&str) -> T,
) -> Result<(), Box<dyn std::error::Error>> {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        serde_json::to_writer(&mut out, &each(&line))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Runs `each` over every stdin line and writes the JSON text it returns as one stdout line.
pub(crate) fn text_lines(
    mut each: impl FnMut(&str) -> String,
) -> Result<(), Box<dyn std::error::Error>> {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        out.write_all(each(&line?).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
