//! This device's name as the operating system knows it (the host name), for the name a
//! device registers under at sign-in. Not `$HOSTNAME`: a shell variable that a desktop
//! program does not inherit.

/// The host name, or "a device" when the system gives none.
pub fn host_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if name.is_empty() {
        "a device".to_string()
    } else {
        name
    }
}
