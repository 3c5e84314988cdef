//! # fieldbook-app
//!
//! The desktop app's Rust side: a thin Tauri 2 shell that serves the `ui/` front-end and
//! answers its commands by calling `fieldbook-client`. It holds no SQL and no business rules;
//! anything a command needs beyond passing values through belongs in `client` (or `core`).
//!
//! Layout:
//! - [`commands`]: the commands the front-end may call, by area, and the types they carry.
//!   Every one is listed in [`bindings`], which generates `ui/src/bindings.ts` (checked by
//!   a test).
//! - [`events`]: what Rust tells the front-end unasked (records changed, sync state).
//! - [`service`]: the sync engine on its own thread and connection: its schedule, its
//!   state in the user's terms, cancelled at exit.
//! - [`state`]: where the store lives (the OS app-data directory, or `FIELDBOOK_DATA_DIR`),
//!   the UI's open store and the sync service beside it.
//! - [`error`]: the one error shape the front-end receives (a kind to branch on, a message
//!   to show).
//! - [`bindings`]: the tauri-specta builder: command registry and TypeScript export.
//! - [`window_state`]: the window's size and position, saved as they change.
//! - [`webview`]: how the webview draws (no GPU compositing unless asked for).
//! - [`instance`]: a relaunch right after a quit waits for the closing instance.
//!
//! Plugins: window state (size and position remembered), single instance (one window per
//! store: a second launch focuses the first), notification, dialog (the files an import
//! reads and its report is saved to, chosen in the OS's own dialogs).

pub mod bindings;
pub mod commands;
pub mod error;
pub mod events;
pub mod instance;
pub mod service;
pub mod state;
pub mod webview;
pub mod window_state;

use anyhow::Context as _;
use tauri::Manager as _;

/// The label of the app's one window (tauri.conf.json).
pub const MAIN_WINDOW: &str = "main";

/// Builds and runs the app until its last window closes.
pub fn run() -> anyhow::Result<()> {
    let data_dir = state::data_dir_from_env();
    let specta = bindings::builder();
    let mut app = tauri::Builder::default();
    // One instance per store. Must be the first plugin: a second launch exits before the
    // others start. (Without a D-Bus session bus the plugin lets every launch through.)
    if let Some(dir) = &data_dir {
        let id = state::instance_id(dir);
        instance::wait_for_closing(&id);
        app = app.plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(id)
                .callback(|app, _args, _cwd| focus_main(app))
                .build(),
        );
    } else {
        instance::wait_for_closing(instance::IDENTIFIER);
        app = app.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main(app)
        }));
    }
    app.plugin(window_state::plugin())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(specta.invoke_handler())
        .on_window_event(|window, event| {
            if let Some(saver) = window.try_state::<window_state::Saver>() {
                saver.on_event(event);
            }
        })
        .setup(move |app| {
            webview::configure(app);
            specta.mount_events(app);
            app.manage(window_state::Saver::start(app.handle().clone())?);
            let dir = match data_dir {
                Some(dir) => dir,
                None => app
                    .path()
                    .app_data_dir()
                    .context("the OS gave no app-data directory: set FIELDBOOK_DATA_DIR")?,
            };
            app.manage(state::AppState::new(dir, app.handle().clone()));
            app.manage(commands::import::ImportState::default());
            Ok(())
        })
        .build(tauri::generate_context!())
        .context("the app failed to start")?
        .run(|app, event| {
            // A running sync is cancelled (what it finished is kept) before the app exits.
            if let tauri::RunEvent::Exit = event
                && let Some(state) = app.try_state::<state::AppState>()
            {
                state.shutdown();
            }
        });
    Ok(())
}

fn focus_main(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
