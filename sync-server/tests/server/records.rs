//! Records for the web page over HTTP, read-only: a page of one kind and one record, only
//! what the token's user sees; another team's record is a 404 that tells nothing.

use crate::support::{account, company, contact};
use fieldbook_core::protocol::RecordsPage;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_page_reads_only_what_the_user_sees() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (acme, a) = account("alice", "Acme");
    let (wang, c) = contact("alice", acme.id(), "Wang Wei");
    let (beta, b) = account("alice", "Beta");
    assert_eq!(alice.push(vec![a, c, b]).await.0, 200);
    let zoe = s.login("zoe").await;
    let (zoes, z) = account("zoe", "Zoe's account");
    assert_eq!(zoe.push(vec![z]).await.0, 200);

    // The manager pages through her team's accounts.
    let mia = s.login("mia").await;
    let (status, body) = mia.get("/v1/records?kind=account&limit=1").await;
    assert_eq!(status, 200, "{body}");
    let first: RecordsPage = serde_json::from_value(body).unwrap();
    assert_eq!(first.records.len(), 1);
    assert_eq!(first.records[0]["owner"], "alice");
    let next = first.next.expect("a second page");
    let (_, body) = mia
        .get(&format!("/v1/records?kind=account&limit=1&after={next}"))
        .await;
    let second: RecordsPage = serde_json::from_value(body).unwrap();
    let mut names: Vec<&str> = first
        .records
        .iter()
        .chain(&second.records)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Acme", "Beta"]);
    let (status, body) = mia.get(&format!("/v1/records/{}", wang.id())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Wang Wei");
    assert_eq!(body["account_id"], acme.id().to_string());

    // Another team's record: 404, not a word of it; not in a page either.
    for asker in [&mia, &alice] {
        let (status, body) = asker.get(&format!("/v1/records/{}", zoes.id())).await;
        assert_eq!(status, 404, "{body}");
        assert!(!body.to_string().contains("Zoe's account"));
        let (_, body) = asker.get("/v1/records?kind=account").await;
        assert!(!body.to_string().contains("Zoe's account"), "{body}");
    }
    // A rep sees their own.
    let (status, body) = alice.get(&format!("/v1/records/{}", beta.id())).await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Beta")));
    // Bad input: 400.
    for bad in [
        "/v1/records?kind=spaceship",
        "/v1/records",
        "/v1/records?kind=dismissal",
        "/v1/records?kind=account&after=yesterday",
        "/v1/records/not-an-id",
    ] {
        let (status, body) = mia.get(bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}
