//! [`ReportRepo`]: the report projection's reads, as every backend offers them. The rows
//! are written with the documents (`RecordRepo::store_push` stores each changed record's
//! [`ReportRow`](crate::reporting::ReportRow), or removes it when the record was deleted)
//! and follow their record's owner (`RecordRepo::set_owner`), in the same transaction.
//!
//! A read is one plain query over the rows: which owners it covers is the service's
//! decision, handed in as a list.

use crate::error::Result;
use fieldbook_core::report::{Book, Needs};

/// The report projection.
pub trait ReportRepo {
    /// The rows `needs` names, as report rows, of records owned by one of `owners`
    /// (`None`: every owner). Deleted records are not there. Activities come grouped as
    /// [`Activities`](fieldbook_core::report::Activities) says: `All` one row per owner,
    /// kind and day with its count; `Latest` one row per (account, deal) with the latest
    /// day, its owner and kind empty.
    fn report_book(&mut self, needs: &Needs, owners: Option<&[String]>) -> Result<Book>;
}
