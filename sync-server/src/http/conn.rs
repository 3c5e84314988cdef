//! Serving connections: the accept loop over any listener (plain TCP, or TLS after its
//! handshake), HTTP/1.1 with a deadline for each request's head (hyper's
//! `header_read_timeout`, which axum's `serve` leaves unset), at most
//! [`Limits::connections_per_address`] open connections per client address, the client's
//! [`Peer`] on every request, and a graceful stop that finishes the requests in flight.
//!
//! Knows nothing of routes or storage: it serves whatever router it is given.

use super::limits::{Holds, Limits, Peer};
use axum::Router;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` completes, then waits for the
/// connections' requests in flight (idle connections close at once).
pub async fn serve_connections<L>(
    mut listener: L,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) where
    L: Listener<Addr = SocketAddr>,
{
    let limits = Arc::new(limits);
    let open: Arc<Holds<IpAddr>> = Arc::new(Holds::default());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, addr) = tokio::select! {
            c = listener.accept() => c,
            () = &mut shutdown => break,
        };
        let Some(slot) = open.take(addr.ip(), limits.connections_per_address) else {
            tracing::warn!(addr = %addr.ip(), max = limits.connections_per_address, "connection refused: too many open from this address");
            drop(io);
            continue;
        };
        let peer = Peer {
            addr,
            limits: limits.clone(),
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(peer.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout);
        let conn = graceful.watch(http.serve_connection(TokioIo::new(io), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%addr, error = %e, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
