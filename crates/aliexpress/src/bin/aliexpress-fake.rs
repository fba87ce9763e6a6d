//! The fake AliExpress affiliate API as a program, for tests that start processes (the
//! extension's end-to-end tests): `aliexpress-fake [--port N] [--app-key K] [--app-secret S]
//! [--tracking-id T] [--lists wrapped|plain]` listens on 127.0.0.1 (a free port unless told),
//! prints `listening on http://127.0.0.1:PORT/sync` on its first line, and runs until stopped.

use std::process::ExitCode;

use shopper_aliexpress::fake::{FakeApi, FakeConfig, ListShape};

fn usage(problem: &str) -> ExitCode {
    eprintln!("aliexpress-fake: {problem}");
    eprintln!("usage: aliexpress-fake [--port N] [--app-key K] [--app-secret S] [--tracking-id T] [--lists wrapped|plain]");
    ExitCode::from(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut config = FakeConfig::default();
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            return usage(&format!("{flag} needs a value"));
        };
        match flag.as_str() {
            "--port" => match value.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(&format!("--port {value} is not a port")),
            },
            "--app-key" => config.app_key = value,
            "--app-secret" => config.app_secret = value,
            "--tracking-id" => config.tracking_id = value,
            "--lists" => {
                config.lists = match value.as_str() {
                    "wrapped" => ListShape::Wrapped,
                    "plain" => ListShape::Plain,
                    _ => return usage(&format!("--lists {value}: wrapped or plain")),
                }
            }
            _ => return usage(&format!("unknown option {flag}")),
        }
    }
    let fake = match FakeApi::start_on(config, port).await {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("aliexpress-fake: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", fake.url());
    tokio::select! {
        () = fake.wait() => ExitCode::FAILURE,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
