//! The floor under the server benchmark (`scripts/bench server`): the simplest server that could
//! answer its feed requests, so its figures say what the real server's own work costs. It is
//! axum's own `serve` on the runtime `shopper-server` starts (multi-threaded, one worker per
//! core), no middleware, no state: `GET /not-modified` answers a fixed 304 with an ETag, and
//! `GET /body` answers the bytes of the file it was given (the benchmark hands it the feed's
//! Brotli bytes), as `Content-Encoding: br`, from one `Bytes` shared without copies.
//!
//! `bench_floor FILE` listens on 127.0.0.1 (a free port) and prints
//! `listening on http://127.0.0.1:PORT` on its first line; it runs until stopped.

use std::process::ExitCode;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;

fn main() -> ExitCode {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: bench_floor FILE");
        return ExitCode::from(2);
    };
    let body = match std::fs::read(&file) {
        Ok(bytes) => Bytes::from(bytes),
        Err(error) => {
            eprintln!("bench_floor: cannot read {file}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(serve(body)),
        Err(error) => {
            eprintln!("bench_floor: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(body: Bytes) -> ExitCode {
    let app = Router::new()
        .route(
            "/not-modified",
            get(|| async {
                (
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, HeaderValue::from_static("\"floor\""))],
                )
            }),
        )
        .route(
            "/body",
            get(move || async move {
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        ),
                        (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
                    ],
                    body.clone(),
                )
                    .into_response()
            }),
        );
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("bench_floor: cannot listen: {error}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(address) => println!("listening on http://{address}"),
        Err(error) => {
            eprintln!("bench_floor: {error}");
            return ExitCode::FAILURE;
        }
    }
    // As shopper-server's connections: answers are not held back waiting for more to send.
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench_floor: {error}");
            ExitCode::FAILURE
        }
    }
}
