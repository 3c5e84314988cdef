//! The `fieldbook-app` binary: the desktop app. Everything is in the library (`fieldbook_app`).

// No console window next to the app on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

fn main() -> anyhow::Result<()> {
    fieldbook_app::run()
}
