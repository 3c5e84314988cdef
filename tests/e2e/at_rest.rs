//! A lost laptop reveals nothing: stores are encrypted by default, their files hold no
//! customer's name, note or amount, the passphrase is asked for (or read from
//! FIELDBOOK_PASSPHRASE), a wrong one changes nothing, and `encrypt` / `passphrase` lose
//! nothing even when killed.

use fieldbook_tests::{Fb, TEST_PASSPHRASE};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const NAME: &str = "Quillfeather Hydraulik";
const CN: &str = "青岛秘密客户有限公司";
const NOTE: &str = "the buyer hates Tuesdays";
const AMOUNT: &str = "987654.32";

fn fill(fb: &Fb) -> String {
    let acc = fb.new_record("account", &[&format!("name={NAME}"), "city=Qingdao"]);
    fb.new_record("account", &[&format!("name={CN}")]);
    fb.ok(&["note", &acc, NOTE]);
    fb.new_record(
        "opportunity",
        &[
            &format!("account_id={acc}"),
            "name=Pumps",
            &format!("amount={AMOUNT}"),
        ],
    );
    acc
}

fn raw(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("fieldbook.db")
        {
            all.extend(std::fs::read(&p).unwrap());
        }
    }
    all
}

fn found(dir: &Path) -> Vec<&'static str> {
    let raw = raw(dir);
    [NAME, CN, NOTE, "Quillfeather", AMOUNT]
        .into_iter()
        .filter(|s| raw.windows(s.len()).any(|w| w == s.as_bytes()))
        .collect()
}

#[test]
fn a_new_store_is_encrypted_and_its_files_reveal_nothing() {
    let fb = Fb::init("alice");
    fill(&fb);
    assert_eq!(found(fb.path()), Vec::<&str>::new());
    assert!(fb.path().join("fieldbook.key").exists());
    // The control: the same records in a plain store are found by the same search.
    let plain = Fb::init_plain("alice");
    fill(&plain);
    assert_eq!(found(plain.path()).len(), 5);
    // Whoever has the passphrase reads it all.
    let names = fb.names("account");
    assert!(names.contains(&NAME.to_string()) && names.contains(&CN.to_string()));
}

#[test]
fn without_the_passphrase_the_store_does_not_open_and_nothing_changes() {
    let fb = Fb::init("alice");
    fill(&fb);
    let before = raw(fb.path());
    let out = fb
        .cmd()
        .env("FIELDBOOK_PASSPHRASE", "not the passphrase")
        .args(["list", "account"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("passphrase does not open"), "{err}");
    assert!(
        !err.contains("SQLCipher") && !err.contains("sqlite"),
        "{err}"
    );
    // No passphrase and no terminal: told how to give it.
    let out = fb
        .cmd()
        .env_remove("FIELDBOOK_PASSPHRASE")
        .stdin(Stdio::null())
        .args(["list", "account"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(err.contains("FIELDBOOK_PASSPHRASE"), "{err}");
    assert_eq!(raw(fb.path()), before, "a refused open changed the store");
    // A new store without a passphrase: refused, with the way to make a plain one.
    let empty = Fb::empty();
    let out = empty
        .cmd()
        .env_remove("FIELDBOOK_PASSPHRASE")
        .stdin(Stdio::null())
        .args(["init", "--user", "bob"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        err.contains("--no-encryption") && err.contains("FIELDBOOK_PASSPHRASE"),
        "{err}"
    );
    assert!(!empty.path().join("fieldbook.db").exists());
    // Too short.
    let out = empty
        .cmd()
        .env("FIELDBOOK_PASSPHRASE", "short")
        .args(["init", "--user", "bob"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8 characters"));
}

#[test]
fn encrypt_then_change_the_passphrase_keeps_every_record() {
    let fb = Fb::init_plain("alice");
    let acc = fill(&fb);
    let before = fb.json(&["show", &acc]);
    assert_eq!(found(fb.path()).len(), 5);

    let out = fb.ok(&["encrypt"]);
    assert!(out.contains("is encrypted"), "{out}");
    assert_eq!(found(fb.path()), Vec::<&str>::new());
    assert_eq!(fb.json(&["show", &acc]), before);
    // The search index came along.
    assert!(fb.ok(&["search", "Quillfeather"]).contains(NAME));
    assert!(fb.ok(&["search", "秘密"]).contains(CN));
    let (code, err) = fb.fails(&["encrypt"]);
    assert_eq!(code, 1);
    assert!(err.contains("fieldbook passphrase"), "{err}");

    let out = fb
        .cmd()
        .env("FIELDBOOK_NEW_PASSPHRASE", "a brand new passphrase")
        .arg("passphrase")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The old passphrase no longer opens it; the new one does, with everything in it.
    let (code, _) = fb.fails(&["list", "account"]);
    assert_eq!(code, 2);
    let out = fb
        .cmd()
        .env("FIELDBOOK_PASSPHRASE", "a brand new passphrase")
        .args(["--json", "show", &acc])
        .output()
        .unwrap();
    assert!(out.status.success());
    let after: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(after, before);
    assert_eq!(found(fb.path()), Vec::<&str>::new());
}

#[test]
fn a_kill_during_encrypt_leaves_the_store_whole_under_one_key_or_the_other() {
    let fb = Fb::init_plain("alice");
    fb.ok(&["demo", "--records", "1500", "--seed", "7"]);
    let expected = fb.export_records();
    let mut outcomes = [0usize; 2];
    for i in 0..12u64 {
        let mut child = fb
            .cmd()
            .arg("encrypt")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(15 + i * 23));
        let _ = child.kill();
        let status = child.wait().unwrap();
        // Whatever the moment: the store opens, plain or with the passphrase, and holds
        // every record.
        assert_eq!(fb.export_records(), expected, "after a kill at round {i}");
        let encrypted = fb.path().join("fieldbook.key").exists();
        outcomes[usize::from(encrypted)] += 1;
        assert!(!fb.path().join("fieldbook.key.new").exists());
        if encrypted {
            // Finished (or finished by the open): back to plain for the next round.
            assert!(found(fb.path()).is_empty());
            decrypt(fb.path());
        }
        let _ = status;
    }
    eprintln!(
        "kills: {} left it plain, {} encrypted",
        outcomes[0], outcomes[1]
    );
}

/// Makes the store plain again, through the library (the CLI has no `decrypt`).
fn decrypt(dir: &Path) {
    fieldbook_client::at_rest::unlock(dir, TEST_PASSPHRASE).unwrap();
    fieldbook_client::at_rest::protect(dir, &fieldbook_client::Protection::None).unwrap();
}

/// `fieldbook keyring remember`: the store then opens without its passphrase on this
/// computer, until `keyring forget`. Where no keyring answers (CI's main run), remembering
/// is refused with the reason and the passphrase stays needed. `scripts/test.sh` runs this
/// again inside a D-Bus session with gnome-keyring and FIELDBOOK_TEST_KEYRING=1.
#[test]
fn keyring_remembers_the_key_until_forgotten() {
    let fb = Fb::init("alice");
    fill(&fb);
    let without_passphrase = |args: &[&str]| {
        fb.cmd()
            .env_remove("FIELDBOOK_PASSPHRASE")
            .stdin(Stdio::null())
            .args(args)
            .output()
            .unwrap()
    };
    let status = fb.json(&["keyring", "status"]);
    if status["keyring"] != true {
        assert_ne!(
            std::env::var("FIELDBOOK_TEST_KEYRING").as_deref(),
            Ok("1"),
            "FIELDBOOK_TEST_KEYRING=1 but no OS keyring answers"
        );
        let (code, err) = fb.fails(&["keyring", "remember"]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("no OS keyring") && err.contains("passphrase"),
            "{err}"
        );
        assert!(!without_passphrase(&["list", "account"]).status.success());
        return;
    }
    assert_eq!(status["remembered"], false);
    assert!(!without_passphrase(&["list", "account"]).status.success());
    assert!(
        fb.ok(&["keyring", "remember"])
            .contains("without its passphrase")
    );
    let out = without_passphrase(&["list", "account"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(NAME));
    // A wrong passphrase in the environment does not matter while the key is remembered.
    let out = fb
        .cmd()
        .env("FIELDBOOK_PASSPHRASE", "not the passphrase")
        .args(["search", "秘密"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(CN));
    // The key file on disk is unchanged: what the keyring holds is not written anywhere.
    assert_eq!(found(fb.path()), Vec::<&str>::new());
    assert!(fb.ok(&["keyring", "forget"]).contains("asked for again"));
    assert_eq!(fb.json(&["keyring", "status"])["remembered"], false);
    assert!(!without_passphrase(&["list", "account"]).status.success());
}
