//! The server's HTTP API as plain blocking calls: JSON bodies (gzip-compressed when large),
//! the protocol header, bearer tokens, and errors turned into [`ClientError`]s that say
//! what to do. Knows nothing of the store.

use crate::error::{ClientError, Result};
use fieldbook_core::protocol::{ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::ffi::OsString;
use std::io::Write;
use std::time::Duration;

/// A PEM file of certificates to trust besides the system's (a team's private authority).
pub const CA_CERT_ENV: &str = "FIELDBOOK_CA_CERT";

/// Bodies larger than this are sent gzip-compressed.
const COMPRESS_OVER: usize = 1024;

/// A connection to one server, optionally with a device token. Cheap to clone: clones share
/// the HTTP client and its open connections.
#[derive(Clone)]
pub(crate) struct Api {
    http: reqwest::blocking::Client,
    base: String,
    token: Option<String>,
    /// Changes this device holds, told to the server at every contact (managers see it).
    pending: Option<u64>,
}

/// The header that tells the server how many changes the device still holds.
pub(crate) const PENDING_HEADER: &str = "fieldbook-pending";

/// What a call answered: a body, or a status the caller handles itself.
pub(crate) enum Answer<T> {
    Ok(T),
    /// 403 on a push: some changes were refused (the body still says which).
    Refused(T),
    /// 410: this user was deactivated; only a handover is possible.
    Deactivated,
}

/// The sync engine's HTTP client, kept between its syncs so that a sync neither builds a
/// client (TLS roots, a runtime thread) nor opens a connection again. Built at first use,
/// rebuilt when the server address or `FIELDBOOK_CA_CERT` changes, dropped at sign-in and
/// sign-out. Owned by the engine (no store holds it).
#[derive(Default)]
pub(crate) struct Http(Option<Cached>);

struct Cached {
    base: String,
    ca: Option<OsString>,
    http: reqwest::blocking::Client,
}

impl Http {
    /// The client for `base`, built now if there is none for it.
    pub fn client(&mut self, base: &str) -> Result<reqwest::blocking::Client> {
        let base = base.trim_end_matches('/');
        let ca = std::env::var_os(CA_CERT_ENV).filter(|p| !p.is_empty());
        if let Some(c) = self.0.as_ref().filter(|c| c.base == base && c.ca == ca) {
            return Ok(c.http.clone());
        }
        // The old client (and its connections) goes before the new one is built.
        self.0 = None;
        let http = build_client(base, ca.as_deref())?;
        self.0 = Some(Cached {
            base: base.to_string(),
            ca,
            http: http.clone(),
        });
        Ok(http)
    }

    /// Drops the client and closes its connections.
    pub fn forget(&mut self) {
        self.0 = None;
    }
}

fn build_client(base: &str, ca: Option<&std::ffi::OsStr>) -> Result<reqwest::blocking::Client> {
    let mut builder = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .gzip(true);
    // A team server with a certificate from the company's own authority.
    if let Some(path) = ca {
        let pem = std::fs::read(path).map_err(ClientError::io(path))?;
        let certs =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| ClientError::BadCaCert {
                path: path.into(),
                why: e.to_string(),
            })?;
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| ClientError::Offline {
        url: base.into(),
        why: e.to_string(),
    })
}

impl Api {
    /// Calls to `base` through `http` (from [`Http::client`]).
    pub fn new(http: reqwest::blocking::Client, base: &str, token: Option<String>) -> Api {
        Api {
            http,
            base: base.trim_end_matches('/').to_string(),
            token,
            pending: None,
        }
    }

    /// Tells the server, with every request from now on, how many changes this device holds.
    pub fn set_pending(&mut self, pending: u64) {
        self.pending = Some(pending);
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::blocking::RequestBuilder {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(p) = self.pending {
            req = req.header(PENDING_HEADER, p.to_string());
        }
        req
    }

    pub fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Answer<R>> {
        let json = serde_json::to_vec(body).map_err(|e| ClientError::Io {
            path: "request body".into(),
            source: e.into(),
        })?;
        let mut req = self
            .request(reqwest::Method::POST, path)
            .header("content-type", "application/json");
        let body = if json.len() > COMPRESS_OVER {
            req = req.header("content-encoding", "gzip");
            let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 3), Compression::fast());
            gz.write_all(&json)
                .and_then(|_| gz.finish())
                .map_err(ClientError::io("request body"))?
        } else {
            json
        };
        self.send(req.body(body))
    }

    pub fn get<R: DeserializeOwned>(&self, path: &str) -> Result<Answer<R>> {
        self.send(self.request(reqwest::Method::GET, path))
    }

    fn send<R: DeserializeOwned>(
        &self,
        req: reqwest::blocking::RequestBuilder,
    ) -> Result<Answer<R>> {
        let resp = req.send().map_err(|e| ClientError::Offline {
            url: self.base.clone(),
            why: short(&e),
        })?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().map_err(|e| ClientError::Offline {
            url: self.base.clone(),
            why: short(&e),
        })?;
        let parse = |bytes: &[u8]| -> Result<R> {
            serde_json::from_slice(bytes).map_err(|e| ClientError::Server {
                status,
                code: "bad_response".into(),
                message: format!(
                    "the server's answer could not be read ({e}); is {} a Fieldbook server?",
                    self.base
                ),
            })
        };
        match status {
            200..=299 => {
                // 204 and friends carry no body; `null` stands for "nothing".
                let bytes = if bytes.is_empty() {
                    &b"null"[..]
                } else {
                    &bytes[..]
                };
                Ok(Answer::Ok(parse(bytes)?))
            }
            403 if serde_json::from_slice::<R>(&bytes).is_ok() => {
                Ok(Answer::Refused(parse(&bytes)?))
            }
            410 => Ok(Answer::Deactivated),
            _ => {
                let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
                let (code, message) = match body {
                    Some(b) => (b.error, b.message),
                    None => (
                        "http".into(),
                        String::from_utf8_lossy(&bytes).chars().take(200).collect(),
                    ),
                };
                if status == 401 {
                    return Err(ClientError::Unauthorized(message));
                }
                Err(ClientError::Server {
                    status,
                    code,
                    message,
                })
            }
        }
    }
}

/// A network error in one line, without the URL repeated.
fn short(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    msg
}
