//! The server's protocol decoder, end to end in process: a signed-in device's push whose
//! body is any bytes (plain or gzip-encoded), or a well-formed push carrying any bytes as
//! an Automerge change. Never a panic, never a 5xx: hostile input gets a 4xx or a refusal.
#![no_main]

use axum::body::Body;
use axum::http::{Request, header};
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, LoginResponse, NewUser, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PushRequest, Role,
};
use fieldbook_core::Kind;
use fieldbook_server::access::Requester;
use fieldbook_server::{AppState, Service, SqliteStorage, router};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        Service::new(storage.clone())
            .add_user(
                &Requester::Operator,
                NewUser {
                    name: "rep".into(),
                    role: Role::Rep,
                    team: None,
                    password: "fuzzing passphrase".into(),
                },
            )
            .unwrap();
        let app = router(AppState::new(storage));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let login = serde_json::to_vec(&LoginRequest {
            user: "rep".into(),
            password: "fuzzing passphrase".into(),
            device_name: "fuzz".into(),
        })
        .unwrap();
        let resp = rt
            .block_on(
                app.clone().oneshot(
                    Request::post("/v1/login")
                        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(login))
                        .unwrap(),
                ),
            )
            .unwrap();
        assert_eq!(resp.status(), 200);
        let bytes = rt
            .block_on(axum::body::to_bytes(resp.into_body(), 1 << 20))
            .unwrap();
        let login: LoginResponse = serde_json::from_slice(&bytes).unwrap();
        Fixture {
            _dir: dir,
            rt,
            app,
            token: login.token,
        }
    })
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let mut req = Request::post("/v1/push")
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header(header::AUTHORIZATION, format!("Bearer {}", f.token))
        .header(header::CONTENT_TYPE, "application/json");
    let body = match mode % 4 {
        // Any bytes as the body.
        0 => rest.to_vec(),
        // Any bytes, gzip-encoded as a device sends them.
        1 => {
            req = req.header(header::CONTENT_ENCODING, "gzip");
            gzip(rest)
        }
        // Any bytes claimed to be gzip.
        2 => {
            req = req.header(header::CONTENT_ENCODING, "gzip");
            rest.to_vec()
        }
        // A well-formed push whose change is any bytes, for a record of any kind.
        _ => {
            let kind = Kind::ALL[usize::from(mode / 4) % Kind::ALL.len()];
            serde_json::to_vec(&PushRequest {
                protocol: PROTOCOL_VERSION,
                changes: vec![ChangeEnvelope {
                    doc_id: uuid::Uuid::from_u128(u128::from(mode) + 1),
                    kind,
                    bytes: rest.to_vec(),
                }],
                pending: 1,
                log_id: None,
            })
            .unwrap()
        }
    };
    let resp = f
        .rt
        .block_on(f.app.clone().oneshot(req.body(Body::from(body)).unwrap()))
        .unwrap();
    assert!(
        !resp.status().is_server_error(),
        "hostile input answered {}",
        resp.status()
    );
});
