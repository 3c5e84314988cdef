//! Documents from elsewhere (a push, a bundle): loading, reading, the gate, conflicts and
//! history never panic on any bytes.
#![no_main]

use automerge::{ActorId, AutoCommit};
use fieldbook_core::Kind;
use fieldbook_core::doc::{RecordDoc, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = AutoCommit::load(data) else {
        return;
    };
    for kind in Kind::ALL {
        let _ = check::check_write(kind, None, &doc);
        let state = check::State::capture(&doc);
        let _ = check::check_write(kind, Some(&state), &doc);
    }
    if let Ok(mut rd) = RecordDoc::from_automerge(doc.with_actor(ActorId::random())) {
        let record = rd.read();
        let _ = fieldbook_core::rules::attention(&record);
        let _ = record.quote_totals();
        let _ = record.to_json("x");
        let _ = rd.conflicts();
        let _ = rd.history();
    }
});
