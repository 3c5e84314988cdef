//! What user and team names may look like: one rule, used where a name is typed on a device
//! (`init`, `login`, a task's assignee) and where the server stores one, so a device never
//! accepts a name the server would refuse.
//!
//! Knows nothing of storage, HTTP or the command line.

use crate::error::{CoreError, Result};

/// Longest user or team name, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

/// Whether `name` is a valid user or team name: 1 to 64 letters, digits, `.`, `_`, `-`, `@`.
pub fn is_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

fn check(what: &'static str, name: &str) -> Result<()> {
    if is_valid(name) {
        Ok(())
    } else {
        Err(CoreError::InvalidName {
            what,
            name: name.to_string(),
        })
    }
}

/// Checks a user name.
pub fn user(name: &str) -> Result<()> {
    check("user", name)
}

/// Checks a team name.
pub fn team(name: &str) -> Result<()> {
    check("team", name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert!(super::user("alice.b@east").is_ok());
        assert!(super::user("王芳").is_ok());
        assert!(super::user("").is_err());
        assert!(super::user("alice smith").is_err());
        assert!(super::user("a\u{1b}[31m").is_err());
        assert!(super::user(&"a".repeat(65)).is_err());
        assert!(super::team("east-coast").is_ok());
        let e = super::user("bad name").unwrap_err().to_string();
        assert!(e.contains("1 to 64 letters"), "{e}");
    }
}
