//! Likely duplicates: the same company or person entered twice, under other spellings.
//!
//! Records are compared by what identifies them once normalized:
//! - **names**: full-width forms folded to half-width (`ＡＣＭＥ` → `acme`), case, spaces and
//!   punctuation dropped; for companies, legal suffixes too (有限公司, 股份有限公司, Co., Ltd.,
//!   GmbH, Inc., ...), so `青岛啤酒股份有限公司` and `青岛啤酒` are one name. Names that are not
//!   equal may still be close (Dice coefficient of character pairs);
//! - **phones**: digits only, leading zeros dropped, one a suffix of the other (so a country
//!   code or a trunk zero does not hide a match), at least 7 digits;
//! - **e-mail** addresses (case-insensitive) and **website domains** (`https://www.x.com/a` is
//!   `x.com`); addresses at public mail providers are not a company signal.
//!
//! Each pair gets a score from 0 to 1 and the reasons behind it; pairs below
//! [`LIKELY`] are not reported. Candidates are only compared within blocks that share a
//! key (a name's first characters, a phone's last digits, an address, a domain), so a
//! book of 100,000 records is not compared pair by pair. Knows nothing of storage.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// The score from which a pair is a likely duplicate.
pub const LIKELY: f64 = 0.5;
/// Blocks larger than this are not compared pair by pair (a name prefix shared by
/// thousands of records says nothing).
const MAX_BLOCK: usize = 200;

/// What is compared of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// Companies (accounts, leads' companies) or people (contacts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Company,
    Person,
}

/// Why two records look alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    SameName,
    SimilarName { similarity: f64 },
    SamePhone,
    SameEmail,
    SameDomain { domain: String },
}

/// A likely duplicate pair, `a` < `b`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub a: Uuid,
    pub b: Uuid,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Full-width ASCII and the ideographic space folded to their half-width forms.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

const CJK_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "集团",
    "公司",
];

const LATIN_SUFFIXES: &[&[&str]] = &[
    &["company", "limited"],
    &["co", "ltd"],
    &["pty", "ltd"],
    &["co", "kg"],
    &["s", "a"],
    &["b", "v"],
    &["n", "v"],
    &["incorporated"],
    &["corporation"],
    &["limited"],
    &["company"],
    &["ltd"],
    &["inc"],
    &["corp"],
    &["gmbh"],
    &["ag"],
    &["kg"],
    &["llc"],
    &["plc"],
    &["sa"],
    &["sarl"],
    &["sas"],
    &["bv"],
    &["nv"],
    &["spa"],
    &["srl"],
    &["oy"],
    &["ab"],
    &["kk"],
    &["co"],
];

/// Words of a name: half-width, lower case, split at anything that is not a letter or a
/// digit (CJK characters are letters).
fn words(name: &str) -> Vec<String> {
    name.chars()
        .map(half_width)
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A name as compared: see the module doc. Company suffixes are dropped only while
/// something is left.
pub fn normalize_name(name: &str, subject: Subject) -> String {
    let mut w = words(name);
    if subject == Subject::Company {
        'latin: loop {
            for suffix in LATIN_SUFFIXES {
                if w.len() > suffix.len() && w[w.len() - suffix.len()..] == **suffix {
                    w.truncate(w.len() - suffix.len());
                    continue 'latin;
                }
            }
            break;
        }
    }
    let mut joined = w.concat();
    if subject == Subject::Company {
        'cjk: loop {
            for suffix in CJK_SUFFIXES {
                if let Some(rest) = joined.strip_suffix(suffix)
                    && !rest.is_empty()
                {
                    joined = rest.to_string();
                    continue 'cjk;
                }
            }
            break;
        }
    }
    joined
}

/// A phone's digits, leading zeros dropped; `None` with fewer than 7.
pub fn normalize_phone(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .map(half_width)
        .filter(char::is_ascii_digit)
        .collect();
    let digits = digits.trim_start_matches('0');
    (digits.len() >= 7).then(|| digits.to_string())
}

fn same_phone(a: &str, b: &str) -> bool {
    a.ends_with(b) || b.ends_with(a)
}

/// Public mail providers: an address there says nothing about the company.
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "gmx.de",
    "web.de",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "foxmail.com",
    "aliyun.com",
];

/// The domain of a web address or an e-mail address, without `www.`; `None` for a public
/// mail provider.
pub fn domain(address: &str) -> Option<String> {
    let lower = address.trim().to_ascii_lowercase();
    let host = match lower.split_once('@') {
        Some((_, d)) => d.to_string(),
        None => {
            let rest = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .unwrap_or(&lower);
            rest.split(['/', '?', '#', ':'])
                .next()
                .unwrap_or_default()
                .to_string()
        }
    };
    let host = host
        .strip_prefix("www.")
        .unwrap_or(&host)
        .trim_end_matches('.');
    (host.contains('.') && !PUBLIC_MAIL.contains(&host)).then(|| host.to_string())
}

/// The character pairs of a normalized name, sorted (what [`similarity`] compares).
fn char_pairs(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    let mut p: Vec<_> = c.windows(2).map(|w| (w[0], w[1])).collect();
    p.sort_unstable();
    p
}

/// Sørensen–Dice coefficient of the character pairs of two normalized names.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    pair_similarity(&char_pairs(a), &char_pairs(b))
}

/// [`similarity`] of names whose sorted character pairs are known (each record's are
/// worked out once, not once per comparison).
fn pair_similarity(pa: &[(char, char)], pb: &[(char, char)]) -> f64 {
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < pa.len() && j < pb.len() {
        match pa[i].cmp(&pb[j]) {
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * shared as f64 / (pa.len() + pb.len()) as f64
}

struct Norm {
    name: String,
    /// The name's sorted character pairs.
    pairs: Vec<(char, char)>,
    phone: Option<String>,
    email: Option<String>,
    domain: Option<String>,
}

fn norm(c: &Candidate, subject: Subject) -> Norm {
    let email = c
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.contains('@'));
    let domain = match subject {
        Subject::Company => c
            .website
            .as_deref()
            .and_then(domain)
            .or_else(|| email.as_deref().and_then(domain)),
        Subject::Person => None,
    };
    let name = normalize_name(&c.name, subject);
    Norm {
        pairs: char_pairs(&name),
        name,
        phone: c.phone.as_deref().and_then(normalize_phone),
        email,
        domain,
    }
}

/// Scores one pair: the reasons found and a score capped at 1.
pub fn score(a: &Candidate, b: &Candidate, subject: Subject) -> (f64, Vec<Reason>) {
    score_norm(&norm(a, subject), &norm(b, subject))
}

fn score_norm(a: &Norm, b: &Norm) -> (f64, Vec<Reason>) {
    let mut reasons = Vec::new();
    let mut score: f64 = 0.0;
    if !a.name.is_empty() && a.name == b.name {
        reasons.push(Reason::SameName);
        score += 0.8;
    } else {
        let s = pair_similarity(&a.pairs, &b.pairs);
        if s >= 0.8 {
            reasons.push(Reason::SimilarName {
                similarity: (s * 100.0).round() / 100.0,
            });
            score += 0.6 * s;
        }
    }
    if let (Some(x), Some(y)) = (&a.phone, &b.phone)
        && same_phone(x, y)
    {
        reasons.push(Reason::SamePhone);
        score += 0.5;
    }
    if a.email.is_some() && a.email == b.email {
        reasons.push(Reason::SameEmail);
        score += 0.6;
    }
    if let (Some(x), Some(y)) = (&a.domain, &b.domain)
        && x == y
    {
        reasons.push(Reason::SameDomain { domain: x.clone() });
        score += 0.5;
    }
    (score.min(1.0), reasons)
}

/// The blocking keys of a record: candidates are compared only within a shared block.
fn keys(n: &Norm) -> Vec<String> {
    let mut k = Vec::new();
    if !n.name.is_empty() {
        k.push(format!("n:{}", n.name));
        // Similar names mostly share their start.
        let prefix: String = n.name.chars().take(3).collect();
        k.push(format!("p:{prefix}"));
    }
    if let Some(p) = &n.phone {
        k.push(format!("t:{}", &p[p.len() - 7..]));
    }
    if let Some(e) = &n.email {
        k.push(format!("e:{e}"));
    }
    if let Some(d) = &n.domain {
        k.push(format!("d:{d}"));
    }
    k
}

/// Likely duplicate pairs among `candidates`, best first.
pub fn find(candidates: &[Candidate], subject: Subject) -> Vec<Pair> {
    let norms: Vec<Norm> = candidates.iter().map(|c| norm(c, subject)).collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in norms.iter().enumerate() {
        for k in keys(n) {
            blocks.entry(k).or_default().push(i);
        }
    }
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut out: BTreeMap<(Uuid, Uuid), Pair> = BTreeMap::new();
    for members in blocks.values() {
        if members.len() < 2 || members.len() > MAX_BLOCK {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if !seen.insert((i.min(j), i.max(j))) {
                    continue;
                }
                let (s, reasons) = score_norm(&norms[i], &norms[j]);
                if s < LIKELY {
                    continue;
                }
                let (a, b) = (candidates[i].id, candidates[j].id);
                let (a, b) = (a.min(b), a.max(b));
                out.insert(
                    (a, b),
                    Pair {
                        a,
                        b,
                        score: (s * 100.0).round() / 100.0,
                        reasons,
                    },
                );
            }
        }
    }
    let mut pairs: Vec<Pair> = out.into_values().collect();
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    pairs
}

#[cfg(test)]
mod tests;
