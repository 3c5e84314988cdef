//! Formatting generated values the way people type them: dates, cents, coordinates,
//! ASCII e-mail names, and filling the `{x}` placeholders of text templates.
//! Knows nothing of records or of the rest of the generator.

use std::fmt::Write as _;
use time::Date;

pub(super) fn date_string(d: Date) -> String {
    let mut s = String::with_capacity(10);
    let _ = write!(s, "{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day());
    s
}

/// A non-negative amount in cents as a decimal with two places: 1250000 -> "12500.00".
pub(super) fn cents(c: i64) -> String {
    let mut s = String::with_capacity(12);
    let _ = write!(s, "{}.{:02}", c / 100, c % 100);
    s
}

/// 1/10,000 degrees as a decimal: 360671 -> "36.0671", -876298 -> "-87.6298".
pub(super) fn coordinate(v: i32) -> String {
    let a = v.unsigned_abs();
    let mut s = String::with_capacity(10);
    if v < 0 {
        s.push('-');
    }
    let _ = write!(s, "{}.{:04}", a / 10_000, a % 10_000);
    s
}

pub(super) fn round_to(v: i64, step: i64) -> i64 {
    ((v + step / 2) / step).max(1) * step
}

/// Lowercase ASCII for e-mail addresses and domains: "Lefèvre" -> "lefevre", "O'Brien" -> "obrien".
pub(super) fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let rep = match ch {
            'a'..='z' | '0'..='9' => {
                out.push(ch);
                continue;
            }
            'A'..='Z' => {
                out.push(ch.to_ascii_lowercase());
                continue;
            }
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            'á' | 'à' | 'â' | 'ą' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'É' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' | 'ń' => "n",
            'ç' => "c",
            'ł' => "l",
            _ => "",
        };
        out.push_str(rep);
    }
    out
}

/// Values for the `{x}` placeholders of the text templates.
#[derive(Default)]
pub(super) struct Vars<'a> {
    /// A contact's name.
    pub(super) c: &'a str,
    /// An opportunity's name.
    pub(super) o: &'a str,
    /// A product noun ("centrifugal pumps").
    pub(super) p: &'a str,
    pub(super) city: &'a str,
    /// A competitor.
    pub(super) k: &'a str,
    /// A month, twice.
    pub(super) m: &'a str,
    pub(super) m2: &'a str,
    /// A year.
    pub(super) y: i32,
    /// A head count.
    pub(super) e: u32,
    /// A small number (line 3).
    pub(super) n: u32,
    /// A quarter.
    pub(super) q: u32,
    /// A letter (building B).
    pub(super) x: char,
}

pub(super) fn fill(template: &str, v: &Vars<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 24);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        match &after[..close] {
            "c" => out.push_str(v.c),
            "o" => out.push_str(v.o),
            "p" => out.push_str(v.p),
            "m" => out.push_str(v.m),
            "m2" => out.push_str(v.m2),
            "k" => out.push_str(v.k),
            "city" => out.push_str(v.city),
            "y" => {
                let _ = write!(out, "{}", v.y);
            }
            "e" => {
                let _ = write!(out, "{}", v.e);
            }
            "n" => {
                let _ = write!(out, "{}", v.n);
            }
            "q" => {
                let _ = write!(out, "{}", v.q);
            }
            "x" => out.push(v.x),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}
