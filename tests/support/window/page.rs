//! Waiting for what a screen shows and acting as a user does beyond one element: text that
//! contains a phrase, an attribute's value, an element gone, a choice in a `<select>`, a
//! key chord, a drag with the pointer.

use super::{AppWindow, ELEMENT_KEY, Element, WAIT};
use serde_json::{Value, json};

/// WebDriver's key codes, for [`Element::type_text`] and [`AppWindow::chord`].
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const TAB: &str = "\u{E004}";
    pub const CONTROL: &str = "\u{E009}";
    pub const SHIFT: &str = "\u{E008}";
    /// Releases every modifier held.
    pub const NULL: &str = "\u{E000}";
}

impl AppWindow {
    /// The first element matching `css` once its text contains `needle`.
    pub fn wait_for_text_containing(&self, css: &str, needle: &str) -> Element<'_> {
        let mut last = String::new();
        let found = self.wait_until_opt(|| {
            self.find_all(css).into_iter().find(|el| {
                last = el.text();
                last.contains(needle)
            })
        });
        found.unwrap_or_else(|| {
            panic!("waited {WAIT:?} for `{css}` to contain {needle:?}; the last one read {last:?}")
        })
    }

    /// Runs an async `script` (a function body; its last argument is the callback to call
    /// with the result) in the page; what it called back with.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.session_call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Waits until the first element matching `css` has `name` = `value`.
    pub fn wait_for_attribute(&self, css: &str, name: &str, value: &str) {
        let mut last = None;
        let ok = self.wait_until_opt(|| {
            let el = self.find_all(css).into_iter().next()?;
            last = el.attribute(name);
            (last.as_deref() == Some(value)).then_some(())
        });
        assert!(
            ok.is_some(),
            "waited {WAIT:?} for `{css}` to have {name}={value:?}; it has {last:?}"
        );
    }

    /// Waits until nothing matches `css`.
    pub fn wait_gone(&self, css: &str) {
        let ok = self.wait_until_opt(|| self.find_all(css).is_empty().then_some(()));
        assert!(ok.is_some(), "waited {WAIT:?} for `{css}` to go");
    }

    /// Chooses the option with `value` in the `<select>` matching `css`, as a user does:
    /// a click on the select, then on the option.
    pub fn choose(&self, css: &str, value: &str) {
        self.find(css).click();
        self.find(&format!("{css} option[value=\"{value}\"]"))
            .click();
    }

    /// Presses keys on the focused element's page (`keys::CONTROL`, "k", `keys::NULL`).
    pub fn chord(&self, keys: &str) {
        let active = self.session_call(reqwest::Method::GET, "/element/active", None);
        let el = self.element(&active, "(focused)");
        el.type_text(keys);
    }

    /// Drags `from` onto `to` with the mouse: press on the first, move in steps (a drag
    /// starts only after the pointer has moved a little), release over the second.
    pub fn drag(&self, from: &Element<'_>, to: &Element<'_>) {
        let origin = |el: &Element<'_>| json!({ ELEMENT_KEY: el.id });
        let actions = json!({"actions": [{
            "type": "pointer",
            "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": origin(from), "x": 0, "y": 0},
                {"type": "pointerDown", "button": 0},
                {"type": "pointerMove", "duration": 100, "origin": origin(from), "x": 10, "y": 10},
                {"type": "pointerMove", "duration": 100, "origin": origin(from), "x": 30, "y": 40},
                {"type": "pointerMove", "duration": 300, "origin": origin(to), "x": 0, "y": 0},
                {"type": "pointerMove", "duration": 100, "origin": origin(to), "x": 2, "y": 2},
                {"type": "pointerUp", "button": 0},
            ],
        }]});
        self.session_call(reqwest::Method::POST, "/actions", Some(actions));
        self.session_call(reqwest::Method::DELETE, "/actions", None);
    }

    /// Clicks at (`x`, `y`) px from the centre of `el` (where a chart drew what to click).
    pub fn click_at(&self, el: &Element<'_>, x: i64, y: i64) {
        let actions = json!({"actions": [{
            "type": "pointer",
            "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": { ELEMENT_KEY: el.id }, "x": x, "y": y},
                {"type": "pointerDown", "button": 0},
                {"type": "pointerUp", "button": 0},
            ],
        }]});
        self.session_call(reqwest::Method::POST, "/actions", Some(actions));
        self.session_call(reqwest::Method::DELETE, "/actions", None);
    }
}
