//! `fieldbook duplicates` (likely duplicate accounts and contacts, best first) and
//! `fieldbook merge KEEP_ID OTHER_ID` (one record folded into the other, its children
//! moved, both histories kept).

use crate::import::{BadInput, reasons};
use crate::render::count;
use crate::run::print_json;
use fieldbook_client::duplicates::{FieldChoice, MergeReport, Side};
use fieldbook_client::{ClientError, Kind, Store};
use serde_json::{Value as Json, json};

/// Pairs printed for people unless `--limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 50;

pub fn duplicates(
    store: &Store,
    kind: Option<&str>,
    limit: Option<usize>,
    json: bool,
) -> anyhow::Result<()> {
    let kinds = match kind {
        Some(k) => vec![Kind::parse(k).map_err(ClientError::from)?],
        None => vec![Kind::Account, Kind::Contact],
    };
    let mut all = Vec::new();
    for k in kinds {
        all.push((k, store.duplicates(k)?));
    }
    if json {
        let pairs: Vec<Json> = all
            .iter()
            .flat_map(|(k, pairs)| {
                pairs
                    .iter()
                    .take(limit.unwrap_or(usize::MAX))
                    .map(move |p| {
                        let mut v = serde_json::to_value(p).unwrap_or(Json::Null);
                        v["kind"] = json!(k);
                        v
                    })
            })
            .collect();
        print_json(&Json::Array(pairs));
        return Ok(());
    }
    let shown = limit.unwrap_or(DEFAULT_LIMIT);
    let mut any = false;
    for (k, pairs) in &all {
        out!(
            "{}: {}",
            k.plural(),
            count(
                pairs.len() as u64,
                "likely duplicate pair",
                "likely duplicate pairs"
            )
        );
        for p in pairs.iter().take(shown) {
            any = true;
            out!("  {:.2}  {}", p.score, reasons(&p.reasons));
            out!("        {}  {}", p.a, p.a_name);
            out!("        {}  {}", p.b, p.b_name);
        }
        if pairs.len() > shown {
            out!(
                "  ... and {} more (--limit N shows more)",
                pairs.len() - shown
            );
        }
    }
    if any {
        out!(
            "Merge a pair with `fieldbook merge KEEP_ID OTHER_ID` (the first of each pair is the older)."
        );
    }
    Ok(())
}

/// `--field name=other` (or `=keep`) choices.
fn choices(fields: &[String]) -> anyhow::Result<Vec<FieldChoice>> {
    fields
        .iter()
        .map(|f| {
            let (field, side) = f.split_once('=').ok_or_else(|| {
                BadInput(format!("`{f}` is not FIELD=other or FIELD=keep"))
            })?;
            let side = match side.trim().to_ascii_lowercase().as_str() {
                "other" => Side::Other,
                "keep" | "kept" => Side::Keep,
                _ => {
                    return Err(BadInput(format!(
                        "`{f}`: say whose value the kept record ends with: {field}=other or {field}=keep"
                    )));
                }
            };
            Ok(FieldChoice {
                field: field.trim().to_string(),
                side,
            })
        })
        .collect::<Result<_, BadInput>>()
        .map_err(anyhow::Error::new)
}

pub fn merge(
    store: &mut Store,
    keep: &str,
    other: &str,
    fields: &[String],
    json: bool,
) -> anyhow::Result<()> {
    let choices = choices(fields)?;
    let keep = store.resolve_id(keep)?;
    let other = store.resolve_id(other)?;
    let report = store.merge(keep, other, &choices)?;
    if json {
        print_json(&serde_json::to_value(&report)?);
    } else {
        print_merge(&report);
    }
    Ok(())
}

fn print_merge(r: &MergeReport) {
    out!("Merged {} into {}.", r.merged, r.kept);
    if r.fields.is_empty() {
        out!("  The kept record's fields are unchanged.");
    } else {
        out!("  Taken from the other: {}.", r.fields.join(", "));
    }
    let mut moved: Vec<(Kind, u64)> = Vec::new();
    for m in &r.moved {
        match moved.iter_mut().find(|(k, _)| *k == m.kind) {
            Some((_, n)) => *n += 1,
            None => moved.push((m.kind, 1)),
        }
    }
    if !moved.is_empty() {
        let parts: Vec<String> = moved
            .iter()
            .map(|(k, n)| count(*n, k.as_str(), k.plural()))
            .collect();
        out!(
            "  Moved {} (created again under the kept record; each old one links to its copy).",
            parts.join(", ")
        );
    }
    if !r.relinked.is_empty() {
        out!(
            "  Pointed {} at the kept record.",
            count(r.relinked.len() as u64, "reference", "references")
        );
    }
    out!(
        "  {} is marked merged_into {} and deleted; `fieldbook history {}` keeps its history.",
        r.merged,
        r.kept,
        r.merged
    );
}
