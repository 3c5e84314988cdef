//! End-to-end tests of the desktop app's real window (`fieldbook-app` under WebDriver; see
//! `fieldbook_tests::window`). One module per area. Needs an X display: the test script
//! runs them under `xvfb-run -a`; screenshots go to `FIELDBOOK_SCREENSHOTS` (default
//! `<target>/screenshots/`), named `SCREEN.LANGUAGE.WIDTH.png`.

mod at_rest;
mod dashboard;
mod data;
mod field_kinds;
mod first_run_tls;
mod instance;
mod notes;
mod notifications;
mod print;
mod rep_day;
mod screens;
mod shell;
