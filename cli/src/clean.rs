//! Text on its way to a terminal. Values come from other devices, bundles and servers, and a
//! name holding an escape sequence could recolour, clear or rewrite the screen: every
//! control character (line breaks aside) and every bidirectional override is shown as a
//! visible escape (`\u{1b}`) instead of being sent raw. JSON output needs none of this
//! (JSON escapes control characters itself).

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `s` with every unsafe character written as its `\u{..}` escape.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_overrides_are_shown_not_sent() {
        assert_eq!(super::terminal("Acme GmbH"), "Acme GmbH");
        assert_eq!(super::terminal("a\nb"), "a\nb");
        assert_eq!(super::terminal("\u{1b}[2Jx"), "\\u{1b}[2Jx");
        assert_eq!(super::terminal("a\rb\u{7}"), "a\\u{d}b\\u{7}");
        assert_eq!(super::terminal("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(super::terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(super::terminal("青岛\ttab"), "青岛\\u{9}tab");
    }
}
