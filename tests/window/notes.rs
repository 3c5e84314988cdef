//! The account's notes in the window are saved as splices of what was typed, from the text
//! (and document heads) the editor started with: words another program wrote meanwhile
//! (here the `fieldbook` command on the same store, as a second writer) are kept, and the
//! editor shows them once the person pauses.

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch};

#[test]
fn notes_typed_in_the_window_keep_words_written_meanwhile() {
    let store = Fb::init("wang");
    let account = store.new_record("account", &["name=青岛啤酒股份"]);
    store.ok(&["note", &account, "付款条件：月结60天。"]);
    let app = AppWindow::launch(Launch::new(store.path()));
    app.wait_for("nav");
    app.execute(
        &format!("location.hash = '#/accounts/{account}'"),
        serde_json::json!([]),
    );
    let notes = app.wait_for("textarea[name=notes]");
    app.wait_until(fieldbook_tests::window::WAIT, "the notes on screen", || {
        (notes.property("value") == "付款条件：月结60天。").then_some(())
    });

    // Someone else adds a paragraph while the window still shows the old text...
    store.ok(&["note", &account, "竞争对手：一家南方民营企业。"]);
    // ...and the rep types at the end of what they see.
    notes.type_text(" 下次拜访带样品。");
    app.wait_for_text("[data-testid=notes-status]", "Saved");
    let saved = store.json(&["show", &account])["notes"]
        .as_str()
        .expect("notes")
        .to_string();
    // Both additions were made at the end of the same text: Automerge puts concurrent
    // insertions at one place in an order of its own (the same on every device). Every
    // word of each is kept, and nothing else changed.
    for part in [
        "付款条件：月结60天。",
        "竞争对手：一家南方民营企业。",
        " 下次拜访带样品。",
    ] {
        assert!(saved.contains(part), "{part:?} is missing from {saved:?}");
    }
    assert_eq!(
        saved.chars().count(),
        "付款条件：月结60天。\n\n竞争对手：一家南方民营企业。 下次拜访带样品。"
            .chars()
            .count(),
        "{saved:?}"
    );
    // The editor shows the merged text once the person has paused.
    app.wait_until(
        fieldbook_tests::window::WAIT,
        "the merged notes on screen",
        || (notes.property("value").as_str() == Some(saved.as_str())).then_some(()),
    );
}
