//! Remembering the window's size and position. The window-state plugin saves on a normal
//! close and restores at start; this also saves shortly after every move or resize, so the
//! last size survives a crash, a kill or a logout that never closes the window.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;
use tauri::{AppHandle, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt as _, StateFlags};

/// A resize by dragging sends many events; one save after they pause.
const QUIET: Duration = Duration::from_millis(300);

/// The plugin, restoring the main window's size, position and maximized state.
pub fn plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_window_state::Builder::new().build()
}

/// Saves the window state after each burst of moves and resizes, on its own thread.
pub struct Saver(Sender<()>);

impl Saver {
    pub fn start(app: AppHandle) -> std::io::Result<Saver> {
        let (tx, rx) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("window-state".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Wait until the events stop for a moment, then save once.
                    loop {
                        match rx.recv_timeout(QUIET) {
                            Ok(()) => continue,
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    // A failed save only loses the size: the next start uses the default.
                    let _ = app.save_window_state(StateFlags::all());
                }
            })?;
        Ok(Saver(tx))
    }

    /// Called for every window event.
    pub fn on_event(&self, event: &WindowEvent) {
        if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            let _ = self.0.send(());
        }
    }
}
