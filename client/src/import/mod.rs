//! Bringing records in from spreadsheets: [`table`] reads CSV and XLSX files into rows of
//! text; the columns are mapped to fields by [`fieldbook_core::import`].

pub mod table;
