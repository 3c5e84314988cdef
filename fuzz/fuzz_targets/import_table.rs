//! Spreadsheet files: CSV in any encoding and workbooks never panic the reader, and the
//! column mapping never panics on what it reads.
#![no_main]

use fieldbook_client::import::table;
use fieldbook_core::{Kind, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tables = [
        table::read_csv(data, None, None).ok(),
        table::read_workbook(data.to_vec(), None).ok(),
    ];
    for t in tables.into_iter().flatten() {
        let rows: Vec<Vec<String>> = t.rows.into_iter().map(|r| r.cells).collect();
        for kind in [Kind::Account, Kind::Contact, Kind::Opportunity, Kind::Product] {
            let h = import::header_row(&rows, kind);
            if let Some(headers) = rows.get(h) {
                let _ = import::map_columns(kind, headers, &[]);
            }
        }
    }
});
