//! Converting a lead: in one transaction, the account (a new one named after the lead's
//! company, or an existing one the rep chose), the contact (the lead's person), optionally
//! an opportunity, and the lead marked `converted` with links to each. The lead stays, with
//! its history: it hangs on the account from then on (its `account_id`), so whoever holds
//! the account holds it too.
//!
//! Likely existing accounts are offered by normalized company name
//! (`fieldbook_core::dedupe`): `青岛啤酒股份有限公司` matches `青岛啤酒`, `ACME GmbH` `Acme`.

use super::check::{self, Assignments, Mode, Target};
use super::{create_here, edit_in};
use crate::error::{ClientError, Result};
use crate::model::FieldValues;
use crate::store::Store;
use fieldbook_core::dedupe::{self, LIKELY, Subject};
use fieldbook_core::record::Record;
use fieldbook_core::schema;
use fieldbook_core::value::{self, Value};
use fieldbook_core::{CoreError, Kind};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// How many likely accounts are offered at most.
pub const MAX_MATCHES: usize = 5;

/// Which account a lead becomes part of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountChoice {
    /// An account held here (chosen by the rep, perhaps among [`Store::account_matches`]).
    Existing { id: Uuid },
    /// A new account named after the lead's company.
    New,
}

/// What to convert a lead into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conversion {
    pub account: AccountChoice,
    /// Fields of an opportunity to open on the account (`name` required; its stage is
    /// `qualified` unless given); `None`: no opportunity.
    pub opportunity: Option<FieldValues>,
}

/// What a conversion made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Converted {
    pub lead: Uuid,
    pub account: Uuid,
    /// Whether the account was made by the conversion.
    pub account_created: bool,
    pub contact: Uuid,
    pub opportunity: Option<Uuid>,
}

/// An existing account that may be the lead's company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountMatch {
    pub id: Uuid,
    pub name: String,
    /// 1.0 for the same normalized name, less for a similar one.
    pub score: f64,
}

/// The accounts whose normalized name is close to `company`, best first.
pub(crate) fn matches(company: &str, accounts: &[(Uuid, String)]) -> Vec<AccountMatch> {
    let wanted = dedupe::normalize_name(company, Subject::Company);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<AccountMatch> = accounts
        .iter()
        .filter_map(|(id, name)| {
            let n = dedupe::normalize_name(name, Subject::Company);
            let score = if n == wanted {
                1.0
            } else {
                dedupe::similarity(&n, &wanted)
            };
            (score >= LIKELY).then(|| AccountMatch {
                id: *id,
                name: name.clone(),
                score: (score * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
    out.truncate(MAX_MATCHES);
    out
}

/// A text field's value for a new record, when the lead has it.
fn copy(values: &mut Assignments, kind: Kind, field: &str, from: Option<&str>) {
    if let (Some(spec), Some(v)) = (schema::field(kind, field), from) {
        values.push((spec, Some(Value::Str(v.to_string()))));
    }
}

fn link(kind: Kind, field: &str, id: Uuid) -> (&'static schema::FieldSpec, Option<Value>) {
    let spec = schema::field(kind, field).expect("a known field");
    let target = match spec.ty {
        schema::FieldType::Ref(k) => k,
        _ => kind,
    };
    (spec, Some(Value::Ref(target, id)))
}

fn lead_of(store: &Store, id: Uuid) -> Result<Record> {
    let stored = store.load_doc(id)?;
    let kind = stored.doc.kind();
    if kind != Kind::Lead {
        return Err(ClientError::WrongKind {
            id,
            found: kind,
            expected: Kind::Lead,
        });
    }
    Ok(stored.doc.read())
}

impl Store {
    /// Existing accounts that may be this lead's company (by normalized name), best first.
    pub fn account_matches(&self, lead: Uuid) -> Result<Vec<AccountMatch>> {
        let record = lead_of(self, lead)?;
        let Some(company) = record.str("company") else {
            return Ok(Vec::new());
        };
        Ok(matches(company, &self.account_names()?))
    }

    /// Converts a lead (see the module doc), all in one transaction: on any refusal
    /// nothing is written.
    pub fn convert_lead(&mut self, lead: Uuid, how: &Conversion) -> Result<Converted> {
        let now = OffsetDateTime::now_utc();
        let opportunity = how
            .opportunity
            .as_ref()
            .map(|v| check::from_values(Target::Record(Kind::Opportunity), v, Mode::Create, now))
            .transpose()?;
        let record = lead_of(self, lead)?;
        if let Some(account) = record.reference("account_id")
            && record.str("status") == Some("converted")
        {
            return Err(ClientError::Rule(crate::error::Rule::AlreadyConverted {
                id: lead,
                account,
            }));
        }
        self.write(|tx| {
            let (account, account_created) = match &how.account {
                AccountChoice::Existing { id } => {
                    check::references(tx, &vec![link(Kind::Contact, "account_id", *id)])?;
                    (*id, false)
                }
                AccountChoice::New => {
                    let Some(company) = record.str("company") else {
                        return Err(ClientError::Rule(crate::error::Rule::LeadWithoutCompany(
                            lead,
                        )));
                    };
                    let mut values = Assignments::new();
                    copy(&mut values, Kind::Account, "name", Some(company));
                    (create_here(tx, Kind::Account, values, now)?, true)
                }
            };
            let mut contact = vec![link(Kind::Contact, "account_id", account)];
            for field in ["name", "title", "email", "phone"] {
                copy(&mut contact, Kind::Contact, field, record.str(field));
            }
            let contact = create_here(tx, Kind::Contact, contact, now)?;
            let opportunity = match opportunity.clone() {
                None => None,
                Some(mut values) => {
                    values.retain(|(s, _)| s.name != "account_id");
                    values.push(link(Kind::Opportunity, "account_id", account));
                    if !values.iter().any(|(s, _)| s.name == "stage") {
                        copy(&mut values, Kind::Opportunity, "stage", Some("qualified"));
                    }
                    Some(create_here(tx, Kind::Opportunity, values, now)?)
                }
            };
            edit_in(tx, lead, Some(Kind::Lead), now, |_, doc| {
                let mut set = vec![
                    link(Kind::Lead, "account_id", account),
                    link(Kind::Lead, "contact_id", contact),
                ];
                if let Some(o) = opportunity {
                    set.push(link(Kind::Lead, "opportunity_id", o));
                }
                let at = schema::field(Kind::Lead, "converted_at").expect("leads convert");
                set.push((at, value::parse(at, "now", now)?));
                let status = schema::field(Kind::Lead, "status").expect("leads have a status");
                set.push((status, Some(Value::Str("converted".into()))));
                for (spec, v) in &set {
                    doc.set(spec, v.clone())?;
                }
                check::touched_rules(&doc.read(), &set)
            })?;
            Ok(Converted {
                lead,
                account,
                account_created,
                contact,
                opportunity,
            })
        })
        .map_err(|e| match e {
            // An opportunity's missing name is the caller's input, said as such.
            ClientError::Core(CoreError::MissingRequired { field, .. }) if field == "name" => {
                ClientError::Core(CoreError::MissingRequired {
                    kind: "the converted opportunity".into(),
                    field,
                })
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likely_accounts_by_normalized_company_name() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let accounts = vec![
            (a, "青岛啤酒".to_string()),
            (b, "Acme GmbH".to_string()),
            (c, "Northwind Traders".to_string()),
        ];
        let m = matches("青岛啤酒股份有限公司", &accounts);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].id, m[0].score), (a, 1.0));
        let m = matches("ACME", &accounts);
        assert_eq!(m.iter().map(|x| x.id).collect::<Vec<_>>(), [b]);
        assert!(matches("Contoso", &accounts).is_empty());
        assert!(matches("", &accounts).is_empty());
    }
}
