//! What the conformance tests are made of: a [`World`] (a service over a fresh backend,
//! with users added as the operator), signed-in [`Device`]s that push and pull as a device
//! does, and record documents ([`Doc`]) built with `fieldbook_core::doc` as a device
//! builds them.

use super::Fresh;
use crate::access::Requester;
use crate::error::Result;
use crate::service::{Service, Session, UserChange};
use automerge::ActorId;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, NewUser, PROTOCOL_VERSION, PullItem, PullRequest, PullResponse,
    PushRequest, PushResponse, Role,
};
use fieldbook_core::schema;
use fieldbook_core::value::Value;
use uuid::Uuid;

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// A service over a fresh backend.
pub struct World {
    pub service: Service,
    // Dropped after the service: the backend's files outlive it.
    _fresh: Fresh,
}

impl World {
    /// An empty world.
    pub fn new(fresh: Fresh) -> World {
        World {
            service: Service::new(fresh.storage.clone()),
            _fresh: fresh,
        }
    }

    /// Admin `root`; manager `mia` of team `east` with reps `alice` and `bob`; rep `zoe` in
    /// no team.
    pub fn company(fresh: Fresh) -> World {
        let w = World::new(fresh);
        w.user("root", Role::Admin, None);
        w.user("mia", Role::Manager, None);
        w.service
            .add_team(&Requester::Operator, "east", "mia")
            .unwrap();
        w.user("alice", Role::Rep, Some("east"));
        w.user("bob", Role::Rep, Some("east"));
        w.user("zoe", Role::Rep, None);
        w
    }

    pub fn user(&self, name: &str, role: Role, team: Option<&str>) {
        self.service
            .add_user(
                &Requester::Operator,
                NewUser {
                    name: name.into(),
                    role,
                    team: team.map(String::from),
                    password: PASSWORD.into(),
                },
            )
            .unwrap();
    }

    /// Moves a user to another team (as the operator).
    pub fn set_team(&self, name: &str, team: Option<&str>) {
        let change = UserChange {
            team: Some(team.map(String::from)),
            ..UserChange::default()
        };
        self.service
            .update_user(&Requester::Operator, name, change)
            .unwrap();
    }

    /// Signs in a new device of `user`.
    pub fn login(&self, user: &str) -> Device {
        let login = self
            .service
            .login(&LoginRequest {
                user: user.into(),
                password: PASSWORD.into(),
                device_name: format!("{user}'s device"),
            })
            .unwrap();
        Device {
            service: self.service.clone(),
            session: self
                .service
                .authenticate(&crate::auth::token_hash(&login.token))
                .unwrap(),
            cursor: 0,
            snapshot_after: None,
        }
    }

    pub fn log_len(&self) -> u64 {
        self.service.counts().unwrap().log
    }

    pub fn quarantine_len(&self) -> u64 {
        self.service.counts().unwrap().quarantine
    }
}

/// One signed-in device, with its pull position. Each request resolves its token again,
/// as the HTTP API does (a role or a deactivation counts from the next request on).
pub struct Device {
    pub service: Service,
    /// The session as of the last [`Device::refresh`] (at first, of signing in).
    pub session: Session,
    pub cursor: u64,
    pub snapshot_after: Option<Uuid>,
}

impl Device {
    /// The device's user, as the requester of an administrative request.
    pub fn user(&self) -> Requester {
        self.session.requester()
    }

    /// The session a request made now resolves to.
    fn now(&self) -> Result<Session> {
        self.service.authenticate(&self.session.token_hash)
    }

    pub fn push(&self, changes: Vec<ChangeEnvelope>) -> PushResponse {
        let pending = changes.len() as u64;
        self.try_push(changes, pending).unwrap()
    }

    pub fn try_push(&self, changes: Vec<ChangeEnvelope>, pending: u64) -> Result<PushResponse> {
        let session = self.now()?;
        session.require_active()?;
        self.service.push(&session, request(changes, pending))
    }

    pub fn handover(&self, changes: Vec<ChangeEnvelope>, pending: u64) -> Result<PushResponse> {
        self.service
            .handover(&self.now()?, request(changes, pending))
    }

    /// The session as a new request would resolve it now.
    pub fn refresh(&mut self) -> Result<()> {
        self.session = self.now()?;
        Ok(())
    }

    pub fn try_pull_page(&mut self, limit: Option<u32>) -> Result<PullResponse> {
        let session = self.now()?;
        session.require_active()?;
        let page = self.service.pull(
            &session,
            &PullRequest {
                protocol: PROTOCOL_VERSION,
                cursor: self.cursor,
                snapshot_after: self.snapshot_after,
                limit,
                pending: 0,
                log_id: None,
            },
        )?;
        self.cursor = page.cursor;
        self.snapshot_after = page.snapshot_after;
        Ok(page)
    }

    pub fn pull_page(&mut self, limit: Option<u32>) -> PullResponse {
        self.try_pull_page(limit).unwrap()
    }

    /// Pulls until caught up; returns every item.
    pub fn pull_all(&mut self) -> Vec<PullItem> {
        let mut items = Vec::new();
        for _ in 0..1000 {
            let page = self.pull_page(None);
            items.extend(page.items);
            if !page.more {
                return items;
            }
        }
        panic!("pull never caught up");
    }
}

fn request(changes: Vec<ChangeEnvelope>, pending: u64) -> PushRequest {
    PushRequest {
        protocol: PROTOCOL_VERSION,
        changes,
        pending,
        log_id: None,
    }
}

/// A record being edited on a device.
pub struct Doc {
    pub doc: RecordDoc,
    pub user: String,
}

fn spec(kind: Kind, name: &str) -> &'static schema::FieldSpec {
    schema::field(kind, name).unwrap_or_else(|| panic!("{kind} has no {name}"))
}

pub fn text(s: &str) -> Value {
    Value::Str(s.into())
}

impl Doc {
    /// Creates a record; returns it and the envelope of its creating change.
    pub fn create(kind: Kind, user: &str, values: &[(&str, Value)]) -> (Doc, ChangeEnvelope) {
        let values: Vec<_> = values
            .iter()
            .map(|(n, v)| (spec(kind, n), v.clone()))
            .collect();
        let author = Author::now(user);
        let mut doc =
            RecordDoc::create(kind, Uuid::now_v7(), &ActorId::random(), &author, &values).unwrap();
        let bytes = doc.commit(&author).unwrap().unwrap();
        let env = ChangeEnvelope {
            doc_id: doc.id(),
            kind,
            bytes,
        };
        let user = user.into();
        (Doc { doc, user }, env)
    }

    pub fn account(user: &str, name: &str) -> (Doc, ChangeEnvelope) {
        Doc::create(Kind::Account, user, &[("name", text(name))])
    }

    /// A child of `account` (a contact or an opportunity).
    pub fn child(kind: Kind, user: &str, account: Uuid, name: &str) -> (Doc, ChangeEnvelope) {
        Doc::create(
            kind,
            user,
            &[
                ("account_id", Value::Ref(Kind::Account, account)),
                ("name", text(name)),
            ],
        )
    }

    pub fn id(&self) -> Uuid {
        self.doc.id()
    }

    /// Sets a field and commits.
    pub fn set(&mut self, field: &str, value: &str) -> ChangeEnvelope {
        self.doc
            .set(spec(self.doc.kind(), field), Some(text(value)))
            .unwrap();
        self.commit()
    }

    pub fn commit(&mut self) -> ChangeEnvelope {
        let bytes = self
            .doc
            .commit(&Author::now(&self.user))
            .unwrap()
            .expect("something to commit");
        ChangeEnvelope {
            doc_id: self.doc.id(),
            kind: self.doc.kind(),
            bytes,
        }
    }

    /// A copy on another device (same history, another actor), written by `user`.
    pub fn fork(&mut self, user: &str) -> Doc {
        Doc::load(&self.doc.save(), user)
    }

    /// A record from its saved bytes (a snapshot), written by `user`.
    pub fn load(bytes: &[u8], user: &str) -> Doc {
        Doc {
            doc: RecordDoc::load(bytes, &ActorId::random()).unwrap(),
            user: user.into(),
        }
    }
}

/// The ids of the records items make visible (snapshots and changes), in order.
pub fn shown(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Snapshot { doc_id, .. } | PullItem::Changes { doc_id, .. } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

pub fn snapshots(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Snapshot { doc_id, .. } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

pub fn drops(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Drop { doc_id } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

/// `ids`, sorted.
pub fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

/// The record a snapshot among `items` carries for `id`.
pub fn snapshot_record(
    items: &[PullItem],
    id: Uuid,
) -> Option<&serde_json::Map<String, serde_json::Value>> {
    items.iter().find_map(|i| match i {
        PullItem::Snapshot { doc_id, record, .. } if *doc_id == id => Some(record),
        _ => None,
    })
}
