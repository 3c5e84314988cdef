//! The manager's web page: the built front-end (`ui/dist`, made by `npm run build` in `ui/`)
//! served at `/` from a directory given at start (`serve --ui-dir DIR`, by default the
//! repository's `ui/dist` when it exists), with the headers a browser needs to keep the
//! page to itself: a strict Content-Security-Policy (scripts, styles, images, fonts and
//! requests from this origin only; no framing, no plugins, no inline script), no MIME
//! sniffing, no referrer, no framing, and HSTS when the server speaks TLS. API answers are
//! never cached (`no-store`).
//!
//! The page signs in with `POST /v1/login` and keeps the token in memory only (never in a
//! cookie or in storage): a request from another site cannot carry it, a reload signs out.
//! Knows nothing of the rules or of storage.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy every answer carries. `style-src` allows no inline `<style>`: Vite puts the
/// styles in files; scripts (charts included) set styles through the DOM, which CSP allows.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
     object-src 'none'";

/// One year, subdomains included: only sent over TLS.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The repository's `ui/dist`, if it was built (the default of `--ui-dir`).
pub fn default_ui_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
    dir.join("index.html").is_file().then_some(dir)
}

/// Serves the front-end in `dir` for every path no API route took: files as they are, and
/// `index.html` for any other path (the page routes itself).
pub fn front_end<S: Clone + Send + Sync + 'static>(router: Router<S>, dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    router.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
}

/// The security headers on every answer (`tls`: add HSTS).
pub fn security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    tls: bool,
) -> Router<S> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(set(
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ))
        .layer(set(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ));
    if tls {
        router.layer(set(header::STRICT_TRANSPORT_SECURITY, HSTS))
    } else {
        router
    }
}

/// `no-store` on API answers: records and reports are not left in caches.
pub fn no_store<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}
