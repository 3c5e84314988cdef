//! `ui/src/bindings.ts` is what the Rust commands generate, byte for byte: the front-end
//! never types by hand what Rust declares. Fails when a command or a type changed and the
//! file was not regenerated; `FIELDBOOK_UPDATE_BINDINGS=1` rewrites it.

use std::path::Path;

#[test]
fn committed_bindings_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(fieldbook_app::bindings::BINDINGS_PATH);
    let generated = fieldbook_app::bindings::typescript().expect("bindings export");
    if std::env::var_os("FIELDBOOK_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale (or missing): regenerate it with \
         `FIELDBOOK_UPDATE_BINDINGS=1 cargo test --workspace --test bindings` and commit it",
        path.display()
    );
}
