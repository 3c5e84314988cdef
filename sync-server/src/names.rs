//! What user names, team names, device names and passwords may look like, checked before
//! anything is stored, with messages that say what to type instead.
//!
//! Knows nothing of storage or HTTP.

use crate::error::{Result, ServerError};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;

fn check_name(what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(ServerError::BadRequest(format!(
            "`{name}` is not a valid {what} name: use 1 to 64 letters, digits, `.`, `_`, `-` or `@` (e.g. alice or east-coast)"
        )))
    }
}

pub fn user(name: &str) -> Result<()> {
    check_name("user", name)
}

pub fn team(name: &str) -> Result<()> {
    check_name("team", name)
}

pub fn password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServerError::BadRequest(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}

pub fn device(name: &str) -> Result<()> {
    if name.trim().is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(ServerError::BadRequest(
            "`device_name` must be 1 to 200 printable characters (e.g. \"alice's laptop\")".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_passwords() {
        assert!(super::user("alice.b@east").is_ok());
        assert!(super::user("").is_err());
        assert!(super::user("alice smith").is_err());
        assert!(super::team("east-coast").is_ok());
        assert!(super::password("short").is_err());
        assert!(super::password("long enough").is_ok());
        assert!(super::device("alice's laptop").is_ok());
        assert!(super::device(" ").is_err());
    }
}
