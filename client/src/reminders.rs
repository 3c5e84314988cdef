//! Reminders on this device, offline: renewals, predicted reorders and overdue cases for
//! the store's user, computed by `fieldbook_core::reminders` over rows read from the
//! projections (`store::kinds::ReminderRows`). What the user did with one (dismissed,
//! snoozed until a day) is a personal record (`dismissal`), so it syncs to that user's
//! other devices and to no one else. One action turns a renewal reminder into the renewal
//! opportunity, prefilled from the deal it renews and the products of its won quote.

use crate::edit;
use crate::error::{ClientError, Result, Rule};
use crate::store::Store;
use fieldbook_core::Kind;
use fieldbook_core::reminders::{self, Reason, Reminder, ReminderRules};
use fieldbook_core::schema::{self, FieldSpec};
use fieldbook_core::value::{self, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A reminder due today, with what a person reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueReminder {
    #[serde(flatten)]
    pub reminder: Reminder,
    /// The account's name.
    pub account: String,
    /// The reason in English words ("bought every ~42 days; last 2026-10-03").
    pub text: String,
}

/// What the renewal action made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Renewed {
    /// The deal renewed.
    pub renews: Uuid,
    pub opportunity: Uuid,
    /// The draft quote with the products of the renewed deal's quote, if it had one.
    pub quote: Option<Uuid>,
}

fn spec(kind: Kind, name: &str) -> &'static FieldSpec {
    schema::field(kind, name).expect("a field of the schema")
}

impl Store {
    fn due_reminders(&self, today: Date, hide_dismissed: bool) -> Result<Vec<Reminder>> {
        let user = self.settings().user.clone();
        let rows = self.reminder_rows(&user, today)?;
        let days = self.reminder_days()?;
        let rules = ReminderRules {
            renewal_days: days.renewal_days,
            renewal_days_by_account: rows.renewal_days,
            reorder_days: days.reorder_days,
        };
        let dismissals = if hide_dismissed {
            rows.dismissals
        } else {
            Default::default()
        };
        Ok(reminders::reminders(
            &rows.deals,
            &rows.cases,
            &rules,
            &dismissals,
            today,
        ))
    }

    /// The reminders due `today` for this store's user, soonest first (dismissed and
    /// snoozed ones left out).
    pub fn reminders(&self, today: Date) -> Result<Vec<DueReminder>> {
        self.due_reminders(today, true)?
            .into_iter()
            .map(|r| {
                Ok(DueReminder {
                    account: self.title_of(r.account_id)?.unwrap_or_default(),
                    text: r.describe(),
                    reminder: r,
                })
            })
            .collect()
    }

    /// The reminder due today whose key is `key` or starts with it (dismissed ones too).
    fn find_reminder(&self, key: &str, today: Date) -> Result<Reminder> {
        let key = key.trim();
        let all = self.due_reminders(today, false)?;
        if let Some(r) = all.iter().find(|r| r.key == key) {
            return Ok(r.clone());
        }
        let mut found = all
            .into_iter()
            .filter(|r| !key.is_empty() && r.key.starts_with(key));
        match (found.next(), found.next()) {
            (Some(r), None) => Ok(r),
            (Some(_), Some(_)) => Err(ClientError::AmbiguousId(key.into())),
            (None, _) => Err(ClientError::Rule(Rule::UnknownReminder(key.into()))),
        }
    }

    /// Hides a reminder due today for good (`until: None`) or until a day; returns its key.
    /// Kept as this user's `dismissal` record, which syncs to their other devices.
    pub fn dismiss_reminder(
        &mut self,
        key: &str,
        until: Option<Date>,
        today: Date,
    ) -> Result<String> {
        let key = self.find_reminder(key, today)?.key;
        let user = self.settings().user.clone();
        let until_value = until.map(|d| Value::Str(value::format_date(d)));
        let now = OffsetDateTime::now_utc();
        let existing = self.dismissal_of(&user, &key)?;
        self.write(|tx| {
            let until = (spec(Kind::Dismissal, "until"), until_value.clone());
            match existing {
                Some(id) => edit::edit_in(tx, id, Some(Kind::Dismissal), now, |_, doc| {
                    Ok(doc.set(until.0, until.1.clone())?)
                }),
                None => {
                    let mut values =
                        vec![(spec(Kind::Dismissal, "key"), Some(Value::Str(key.clone())))];
                    if until.1.is_some() {
                        values.push(until);
                    }
                    edit::create_here(tx, Kind::Dismissal, values, now).map(|_| ())
                }
            }
        })?;
        Ok(key)
    }

    /// Turns a renewal reminder into the renewal opportunity, in one transaction: on the
    /// same account, named after the deal it renews, with its amount and currency, closing
    /// on the renewal date, linked to it (`renews_id`); and a draft quote with the lines of
    /// the renewed deal's quote (its accepted one, else its latest), when it had one. The
    /// reminder ends: the deal is renewed.
    pub fn renew(&mut self, key: &str, today: Date) -> Result<Renewed> {
        let found = self.find_reminder(key, today)?;
        let Reason::Renewal {
            deal, renewal_date, ..
        } = found.reason
        else {
            return Err(ClientError::Rule(Rule::NotARenewal(found.key)));
        };
        let now = OffsetDateTime::now_utc();
        let original = self.load_doc(deal)?.doc.read();
        let quote = match self.quote_of(deal)? {
            Some(q) => Some(self.load_doc(q)?.doc.read()),
            None => None,
        };
        let name = format!("{} (renewal)", original.str("name").unwrap_or_default());
        self.write(|tx| {
            let opp = Kind::Opportunity;
            let mut values = vec![
                (
                    spec(opp, "account_id"),
                    Some(Value::Ref(Kind::Account, found.account_id)),
                ),
                (spec(opp, "name"), Some(Value::Str(name.clone()))),
                (spec(opp, "renews_id"), Some(Value::Ref(opp, deal))),
                (
                    spec(opp, "close_date"),
                    Some(Value::Str(value::format_date(renewal_date))),
                ),
            ];
            for field in ["amount", "currency"] {
                if let Some(v) = original.get(field) {
                    values.push((spec(opp, field), Some(v.clone())));
                }
            }
            let opportunity = edit::create_here(tx, opp, values, now)?;
            let Some(q) = &quote else {
                return Ok(Renewed {
                    renews: deal,
                    opportunity,
                    quote: None,
                });
            };
            let mut values = vec![(
                spec(Kind::Quote, "opportunity_id"),
                Some(Value::Ref(opp, opportunity)),
            )];
            for field in ["currency", "tax_pct"] {
                if let Some(v) = q.get(field) {
                    values.push((spec(Kind::Quote, field), Some(v.clone())));
                }
            }
            let new_quote = edit::create_here(tx, Kind::Quote, values, now)?;
            edit::edit_in(tx, new_quote, Some(Kind::Quote), now, |tx, doc| {
                for line in &q.lines {
                    let mut values: Vec<(&'static FieldSpec, Value)> = Vec::new();
                    for (name, v) in &line.values {
                        let Some(s) = schema::LINE_FIELDS.iter().find(|s| s.name == *name) else {
                            continue;
                        };
                        // A product gone from the catalogue since: the line keeps its text
                        // and price, without the link.
                        if let Value::Ref(_, product) = v {
                            let live = tx
                                .ref_state(*product)?
                                .is_some_and(|p| p.kind == Some(Kind::Product) && !p.deleted);
                            if !live {
                                continue;
                            }
                        }
                        values.push((s, v.clone()));
                    }
                    doc.add_line(&edit::new_line_id(), &values)?;
                }
                Ok(())
            })?;
            Ok(Renewed {
                renews: deal,
                opportunity,
                quote: Some(new_quote),
            })
        })
    }
}
