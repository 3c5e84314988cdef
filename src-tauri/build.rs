//! Tauri's build step. With the default feature `bundled-ui` the built front-end is embedded
//! in the binary, so `ui/dist` must exist first.

fn main() {
    let dist = std::path::Path::new("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if std::env::var_os("CARGO_FEATURE_BUNDLED_UI").is_some() && !dist.is_file() {
        panic!(
            "ui/dist/index.html is missing: build the front-end first \
             (`cd ui && npm ci && npm run build`; ./scripts/test.sh does it), \
             or build with --no-default-features to load Vite's dev server"
        );
    }
    tauri_build::build()
}
