//! The connection loop: HTTP/1.1 connections with a deadline for a request's headers (a slow
//! or silent client is dropped), a cap on open connections, and a graceful stop that lets the
//! requests under way finish. Each request carries its connection's [`PeerAddress`], for the
//! rate limits only.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client has to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections open at once; beyond, new ones are closed at once.
pub const MAX_CONNECTIONS: usize = 4096;
/// How long requests under way may take to finish once a stop is asked.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The TCP peer of a request's connection, in the request's extensions: what a per-connection
/// rate limit counts by, held in memory for the request's time only. It has no `Display`, and
/// its `Debug` says nothing of the address, so no log line can print it by mistake.
#[derive(Clone, Copy)]
pub struct PeerAddress(IpAddr);

impl PeerAddress {
    /// The peer's address, for a rate limiter's key (never to be logged or stored).
    pub fn ip(self) -> IpAddr {
        self.0
    }
}

impl std::fmt::Debug for PeerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PeerAddress(..)")
    }
}

/// Serves `app` on `listener` until `stop` completes, then drains.
pub async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        // The client's address is never kept or logged: it goes with the connection's requests
        // to the rate limits, and is dropped with the connection.
        let (stream, peer) = match accepted {
            Ok((stream, peer)) => (stream, PeerAddress(peer.ip())),
            Err(error) => {
                // Out of file descriptors, say: wait a little rather than spin.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone().map_request(
            move |mut request: Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(peer);
                request
            },
        ));
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away mid-request is no error of ours.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            tracing::warn!("requests still under way after the drain time; stopping anyway");
        }
    }
}

/// Ctrl-C or SIGTERM.
pub async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
