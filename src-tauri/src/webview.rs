//! How the window's webview draws. On Linux WebKitGTK composites pages on the GPU through
//! OpenGL; where that GL is a software one (no GPU: virtual machines, remote desktops,
//! Xvfb) every frame costs the CPU dearly: the accounts list scrolled at 3 frames a second
//! and the first screen took twice as long (BENCHMARKS.md). The app's pages need no GPU
//! compositing, so it is off unless `FIELDBOOK_GPU=1` asks for it.

use tauri::Manager as _;

/// Sets the main window's webview to draw without GPU compositing (see the module doc).
pub fn configure(app: &tauri::App) {
    if std::env::var_os("FIELDBOOK_GPU").is_some_and(|v| v == "1") {
        return;
    }
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window(crate::MAIN_WINDOW) {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt as _, WebViewExt as _};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
