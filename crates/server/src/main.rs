//! `shopper-server`: see the crate's documentation and the README.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = shopper_server::cli::Cli::parse();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(shopper_server::cli::run(cli)),
        Err(error) => {
            eprintln!("shopper-server: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}
