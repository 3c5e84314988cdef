//! The matrix itself: every role × relation × operation, each cell on its own records;
//! reads checked over the whole world before the writes, after them (fresh devices), and
//! on the actors' devices pulling on from where they were (nothing they could never read
//! reaches them).

use super::world::*;
use super::*;
use crate::support::*;
use fieldbook_core::protocol::ChangeEnvelope;
use serde_json::json;
use std::collections::BTreeMap;

const ROLES: [Role; 6] = [
    Role::Rep,
    Role::Manager,
    Role::Admin,
    Role::Deactivated,
    Role::Revoked,
    Role::NoToken,
];

/// What a cell's request was, for the world's model.
enum Sent {
    Created(ChangeEnvelope),
    /// Accounts given to this user.
    Reassigned(String),
    Deleted,
    Other,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_relation_and_operation_answers_as_the_table_says() {
    let mut w = world().await;
    let mut cells = 0;

    // Read: a fresh pull of each actor, checked over every record of the world.
    let mut cursors = BTreeMap::new();
    let mut readable_before = BTreeMap::new();
    for role in ROLES {
        cells += w.check_reads(role, &w.actors[&role]).await;
        if let Ok((_, cursor)) = pull_from(&w.actors[&role], 0).await {
            cursors.insert(role, cursor);
            readable_before.insert(role, w.readable(role));
        }
    }

    // Writes and administrative reads, one cell at a time, each on its own records.
    let keys: Vec<_> = w
        .fixtures
        .keys()
        .copied()
        .filter(|(_, _, op)| *op != Op::Read)
        .collect();
    for (role, rel, op) in keys {
        let cell = format!("{role:?} {rel:?} {op:?}");
        let want = expected(role, op, rel);
        let me = user_of(role);
        let before = w.s.log_len();
        let fixture = w.fixtures.get_mut(&(role, rel, op)).unwrap();
        let actor = &w.actors[&role];
        let (target, on) = (fixture.target.id(), fixture.account);
        let (sent, (status, body)) = match op {
            Op::Create => {
                let change = match rel {
                    Rel::Own => account(me, "New").1,
                    Rel::Product => {
                        let sku = format!("new-{role:?}");
                        Doc::create(Kind::Product, me, &[("sku", text(&sku))]).1
                    }
                    Rel::Assigned => case_on(me, fixture.account.unwrap(), me).1,
                    _ => contact(me, fixture.account.unwrap(), "New contact").1,
                };
                (Sent::Created(change.clone()), push(actor, change).await)
            }
            Op::Edit | Op::Delete => {
                let mut mine = fixture.target.fork(me);
                let (sent, change) = if op == Op::Edit {
                    let field = edit_field(mine.doc.kind());
                    (Sent::Other, mine.set(field, text("changed")))
                } else {
                    mine.doc.set_deleted(true).unwrap();
                    (Sent::Deleted, mine.commit())
                };
                (sent, push(actor, change).await)
            }
            Op::Reassign => {
                let account = fixture.account.unwrap_or(fixture.target.id());
                let from = owner_for(role, rel).map(|o| if o == "dave" { "alice" } else { o });
                // Someone the requester could give to, where there is one.
                let to = match rel {
                    Rel::Own if me == "alice" => "bob",
                    Rel::Own | Rel::SameTeam | Rel::Product => "alice",
                    _ => "wendy",
                };
                let body = json!({"from": from, "to": to, "accounts": [account]});
                let post = reqwest::Method::POST;
                (
                    Sent::Reassigned(to.to_string()),
                    send(actor, post, "/v1/admin/reassign", Some(&body)).await,
                )
            }
            Op::Admin => {
                let path = match owner_for(role, rel) {
                    Some(o) => format!("/v1/admin/devices?user={o}"),
                    None => "/v1/admin/devices".into(),
                };
                let get = reqwest::Method::GET;
                (Sent::Other, send(actor, get, &path, None).await)
            }
            Op::Report => {
                let path = match owner_for(role, rel) {
                    Some(o) => format!("/v1/reports/pipeline?owner={o}"),
                    None => "/v1/reports/pipeline".into(),
                };
                let get = reqwest::Method::GET;
                (Sent::Other, send(actor, get, &path, None).await)
            }
            Op::Read => unreachable!(),
        };
        match want {
            Exp::Y => {
                assert!(
                    (200..300).contains(&status),
                    "{cell}: expected success, got {status} {body}"
                );
                if matches!(op, Op::Create | Op::Edit | Op::Delete) {
                    assert_eq!(body["accepted"], 1, "{cell}: {body}");
                    assert!(w.s.log_len() > before, "{cell}: nothing logged");
                }
                if op == Op::Reassign {
                    assert!(body["records"].as_u64().unwrap() >= 1, "{cell}: {body}");
                }
                w.learn(me, target, on, sent);
            }
            Exp::N(code) => {
                denied(&cell, code, status, &body);
                assert_eq!(
                    w.s.log_len(),
                    before,
                    "{cell}: a denied request changed the log"
                );
            }
            Exp::H => unreachable!("{cell}: H is for reads"),
        }
        cells += 1;
    }
    assert_eq!(cells, ROLES.len() * RELS.len() * OPS.len());

    // After the writes: the actors' devices pulling on receive nothing they could read
    // neither before nor now, and fresh devices see exactly what the table says.
    for (role, cursor) in cursors {
        let (seen, _) = pull_from(&w.actors[&role], cursor).await.unwrap();
        let now = w.readable(role);
        let never: Vec<_> = seen
            .iter()
            .filter(|id| !readable_before[&role].contains(id) && !now.contains(id))
            .collect();
        assert!(never.is_empty(), "{role:?} received {never:?}");
        let fresh = w.s.login(user_of(role)).await;
        w.check_reads(role, &fresh).await;
    }
}

impl World {
    /// Follows what an allowed cell did: records created, a case deleted (its share ends),
    /// an account moved with everything on it.
    fn learn(&mut self, me: &str, target: uuid::Uuid, account: Option<uuid::Uuid>, sent: Sent) {
        match sent {
            Sent::Created(change) => {
                let owner = match change.kind {
                    Kind::Product => None,
                    Kind::Account => Some(me.to_string()),
                    _ => self.known[&account.unwrap()].owner.clone(),
                };
                let on = if change.kind == Kind::Account {
                    Some(change.doc_id)
                } else {
                    account
                };
                let assignee = (change.kind == Kind::Case).then(|| me.to_string());
                if let (Some(a), Some(who)) = (on, &assignee) {
                    self.assigned_accounts.insert((who.clone(), a));
                }
                self.known.insert(
                    change.doc_id,
                    Known {
                        kind: change.kind,
                        owner,
                        account: on,
                        assignee,
                    },
                );
            }
            Sent::Reassigned(to) => {
                let moved = account.unwrap_or(target);
                for k in self.known.values_mut() {
                    if k.account == Some(moved) && k.kind != Kind::Product {
                        k.owner = Some(to.clone());
                    }
                }
            }
            Sent::Deleted => {
                // A deleted case is no longer shared with its assignee.
                let k = self.known.get_mut(&target).unwrap();
                if k.kind == Kind::Case
                    && let (Some(who), Some(a)) = (k.assignee.take(), k.account)
                {
                    self.assigned_accounts.remove(&(who, a));
                }
            }
            Sent::Other => {}
        }
    }
}
