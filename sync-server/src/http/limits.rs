//! The limits that keep one client from holding the server: how long a request's head may
//! take and how fast its body must come ([`Limits`], applied by `conn` and the body
//! extractor), how many requests one token may have running at once
//! ([`per_token`], counted by [`Holds`]), and how many connections one address may hold
//! open. The client's
//! address travels with each request ([`Peer`]) for the sign-in limits and the log.
//!
//! Knows nothing of storage or of what a request does.

use crate::error::ServerError;
pub use crate::guard::Holds;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// How long and how slowly a client may take, and how much it may hold at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A request's head (request line and headers) must arrive within this, counted from
    /// when the server starts reading it; an idle kept-alive connection is closed after it
    /// too.
    pub header_timeout: Duration,
    /// A body may take this long before [`Limits::body_min_rate`] applies.
    pub body_grace: Duration,
    /// Bytes per second a body must arrive at on average after the grace (counted after
    /// decompression); a slower one is answered `408` and its connection closed.
    pub body_min_rate: u64,
    /// Requests one token may have running at once; more are answered `429`.
    pub requests_per_token: usize,
    /// Connections one client address may hold open at once; more are closed at once.
    pub connections_per_address: usize,
    /// Reverse proxies whose `x-forwarded-for` names the client (for the sign-in limits
    /// and the log); from anyone else the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(20),
            body_grace: Duration::from_secs(10),
            body_min_rate: 16 * 1024,
            requests_per_token: 8,
            connections_per_address: 1024,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Limits {
    /// How long a body of which `received` bytes arrived may have taken so far.
    pub fn body_allowance(&self, received: usize) -> Duration {
        let rate = self.body_min_rate.max(1) as f64;
        self.body_grace + Duration::from_secs_f64(received as f64 / rate)
    }
}

/// The connection a request came on: the client's address and the limits it is held to.
/// Set by `conn` on every request.
#[derive(Clone, Debug)]
pub struct Peer {
    pub addr: SocketAddr,
    pub limits: Arc<Limits>,
}

impl Peer {
    /// The client's address: the connection's, or, from a trusted proxy, the last address
    /// in `x-forwarded-for` that is not a trusted proxy itself (what a client writes into
    /// the header before it reaches the proxy is ignored).
    pub fn client(&self, headers: &HeaderMap) -> IpAddr {
        let direct = self.addr.ip();
        let trusted = &self.limits.trusted_proxies;
        if !trusted.contains(&direct) {
            return direct;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(direct)
    }
}

/// Middleware: a token may have [`Limits::requests_per_token`] requests running at once;
/// one more is answered `429` with `Retry-After`. Requests without a token pass (they are
/// refused further in).
pub async fn per_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(crate::auth::token_hash);
    let Some(token) = token else {
        return next.run(req).await;
    };
    let max = state.limits().requests_per_token;
    let Some(_held) = state.token_holds().take(token, max) else {
        let addr = req
            .extensions()
            .get::<Peer>()
            .map(|p| p.addr.ip().to_string());
        tracing::warn!(
            addr = addr.as_deref().unwrap_or("-"),
            max,
            "request refused: too many at once for one token"
        );
        return ServerError::Throttled {
            message: format!(
                "this device already has {max} requests running: wait for their answers, then send more"
            ),
            retry_after: 1,
        }
        .into_response();
    };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let peer = |from: &str, trusted: Vec<IpAddr>| Peer {
            addr: SocketAddr::new(from.parse().unwrap(), 5000),
            limits: Arc::new(Limits {
                trusted_proxies: trusted,
                ..Limits::default()
            }),
        };
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            peer("10.0.0.1", vec![proxy]).client(&headers),
            ip("203.0.113.7")
        );
        // Anyone else's header is ignored.
        assert_eq!(
            peer("198.51.100.2", vec![proxy]).client(&headers),
            ip("198.51.100.2")
        );
        assert_eq!(peer("10.0.0.1", vec![]).client(&headers), proxy);
        // Without the header, the proxy itself.
        assert_eq!(
            peer("10.0.0.1", vec![proxy]).client(&HeaderMap::new()),
            proxy
        );
    }

    #[test]
    fn a_body_may_take_the_grace_and_then_its_size_at_the_minimum_rate() {
        let l = Limits {
            body_grace: Duration::from_secs(10),
            body_min_rate: 1000,
            ..Limits::default()
        };
        assert_eq!(l.body_allowance(0), Duration::from_secs(10));
        assert_eq!(l.body_allowance(5000), Duration::from_secs(15));
    }
}
