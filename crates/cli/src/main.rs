//! `shopper`: the publisher's command line over shopper-core. Each command reads one input per
//! line on stdin and writes one JSON object per line on stdout.

mod link;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Link(command) => command.run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shopper: {error}");
            ExitCode::FAILURE
        }
    }
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
