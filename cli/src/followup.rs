//! `fieldbook convert` (a lead into an account, a contact and perhaps an opportunity),
//! `fieldbook reminders` (renewals, reorders and overdue cases due today; dismiss, snooze,
//! renew) and `fieldbook settings` (case due days, when reminders start).

use crate::parse;
use crate::render;
use crate::run::print_json;
use clap::{Args, Subcommand};
use fieldbook_client::edit::{AccountChoice, Conversion};
use fieldbook_client::settings::{Setting, Settings};
use fieldbook_client::{ClientError, Kind, Rule, Store};
use fieldbook_core::CoreError;
use fieldbook_core::value::{format_date, parse_date};
use serde_json::json;
use time::{Date, Duration, OffsetDateTime};

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The lead's id (or the start of it).
    lead: String,
    /// Attach the lead to this existing account instead of making one.
    #[arg(long, value_name = "ACCOUNT_ID", conflicts_with = "new_account")]
    account: Option<String>,
    /// Make a new account named after the lead's company even when a likely one exists.
    #[arg(long)]
    new_account: bool,
    /// Also open an opportunity: `--opportunity name="Pumps 2027" amount=12000`.
    #[arg(long, value_name = "FIELD=VALUE", num_args = 1..)]
    opportunity: Option<Vec<String>>,
}

#[derive(Args, Debug)]
pub struct RemindersArgs {
    #[command(subcommand)]
    action: Option<ReminderAction>,
    /// The day to list reminders for (default today, UTC), YYYY-MM-DD.
    #[arg(long, value_name = "DATE", global = true)]
    today: Option<String>,
}

#[derive(Subcommand, Debug)]
enum ReminderAction {
    /// Hide a reminder for good (on every device of yours).
    Dismiss { key: String },
    /// Hide a reminder until a day: `--until 2026-12-01` or `--days 7`.
    Snooze {
        key: String,
        #[arg(long, value_name = "DATE", conflicts_with = "days")]
        until: Option<String>,
        #[arg(long, value_name = "N")]
        days: Option<i64>,
    },
    /// Turn a renewal reminder into the renewal opportunity (prefilled, linked).
    Renew { key: String },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Every setting and its value.
    Show,
    /// Set a number of days: `fieldbook settings set case_due.urgent 2`.
    Set { name: String, days: String },
}

fn bad(field: &str, value: &str, expected: &str) -> ClientError {
    ClientError::Core(CoreError::InvalidValue {
        field: field.into(),
        value: value.into(),
        expected: expected.into(),
    })
}

fn day(flag: &str, text: &str) -> Result<Date, ClientError> {
    parse_date(text.trim()).ok_or_else(|| bad(flag, text, "a date written YYYY-MM-DD"))
}

fn today(args: &RemindersArgs) -> Result<Date, ClientError> {
    match &args.today {
        Some(t) => day("--today", t),
        None => Ok(OffsetDateTime::now_utc().date()),
    }
}

/// Under an account shown to people: its overdue cases, and the leads it came from (their
/// history is `fieldbook history LEAD`).
pub fn account_extras(
    store: &Store,
    r: &fieldbook_client::RecordView,
    today: Date,
) -> anyhow::Result<()> {
    if r.kind != Kind::Account {
        return Ok(());
    }
    for c in store.overdue_cases_of(r.id, today)? {
        out!(
            "  overdue case {} ({}, due {}): {}",
            c.subject,
            c.priority,
            format_date(c.due.unwrap_or(today)),
            c.id
        );
    }
    for l in store.leads_of_account(r.id)? {
        out!(
            "  from lead {} ({}): `fieldbook history {}`",
            l.title,
            l.id,
            l.id
        );
    }
    Ok(())
}

/// Runs `fieldbook convert`.
pub fn convert(store: &mut Store, a: &ConvertArgs, json: bool) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let lead = store.resolve_id(&a.lead)?;
    let account = match &a.account {
        Some(id) => AccountChoice::Existing {
            id: store.resolve_id(id)?,
        },
        None if a.new_account => AccountChoice::New,
        None => {
            let matches = store.account_matches(lead)?;
            if !matches.is_empty() {
                let company = store
                    .record(lead)?
                    .fields
                    .get("company")
                    .map(|v| match v {
                        fieldbook_client::FieldValue::Text(t) => t.clone(),
                        other => other.to_json().to_string(),
                    })
                    .unwrap_or_default();
                return Err(ClientError::Rule(Rule::AccountMayExist {
                    company,
                    matches: matches
                        .iter()
                        .map(|m| format!("{} ({})", m.name, m.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .into());
            }
            AccountChoice::New
        }
    };
    let opportunity = a
        .opportunity
        .as_ref()
        .map(|f| parse::record_values(Kind::Opportunity, f, now))
        .transpose()?;
    let done = store.convert_lead(
        lead,
        &Conversion {
            account,
            opportunity,
        },
    )?;
    if json {
        print_json(&serde_json::to_value(&done)?);
    } else {
        let made = if done.account_created {
            "new account"
        } else {
            "account"
        };
        out!("Converted lead {}:", done.lead);
        out!("  {made} {}", done.account);
        out!("  contact {}", done.contact);
        if let Some(o) = done.opportunity {
            out!("  opportunity {o}");
        }
    }
    Ok(())
}

/// Runs `fieldbook reminders`.
pub fn reminders(store: &mut Store, a: &RemindersArgs, json: bool) -> anyhow::Result<bool> {
    let today = today(a)?;
    match &a.action {
        None => {
            let due = store.reminders(today)?;
            if json {
                print_json(&serde_json::to_value(&due)?);
            } else if due.is_empty() {
                out!("No reminders for {}.", format_date(today));
            } else {
                show_reminders(&due);
            }
            Ok(false)
        }
        Some(ReminderAction::Dismiss { key }) => {
            let key = store.dismiss_reminder(key, None, today)?;
            if json {
                print_json(&json!({"key": key, "dismissed": true}));
            } else {
                out!("dismissed {key}");
            }
            Ok(true)
        }
        Some(ReminderAction::Snooze { key, until, days }) => {
            let until = match (until, days) {
                (Some(u), _) => day("--until", u)?,
                (None, Some(d)) if *d > 0 => today + Duration::days(*d),
                (None, Some(d)) => {
                    return Err(bad("--days", &d.to_string(), "a number of days above 0").into());
                }
                (None, None) => today + Duration::days(1),
            };
            if until <= today {
                return Err(bad("--until", &format_date(until), "a day after today").into());
            }
            let key = store.dismiss_reminder(key, Some(until), today)?;
            if json {
                print_json(&json!({"key": key, "until": format_date(until)}));
            } else {
                out!("snoozed {key} until {}", format_date(until));
            }
            Ok(true)
        }
        Some(ReminderAction::Renew { key }) => {
            let r = store.renew(key, today)?;
            if json {
                print_json(&serde_json::to_value(&r)?);
            } else {
                out!("{}", r.opportunity);
                if let Some(q) = r.quote {
                    out!("(with quote {q}, the products of the renewed deal's quote)");
                }
            }
            Ok(true)
        }
    }
}

fn show_settings(s: &Settings, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(&serde_json::to_value(s)?);
        return Ok(());
    }
    let days = |n: i64| render::count(n.max(0) as u64, "day", "days");
    for p in fieldbook_core::schema::CASE_PRIORITIES {
        out!("case_due.{p} = {}", days(s.case_due_days.days(p)));
    }
    out!(
        "reminders.renewal_days = {}",
        days(s.reminders.renewal_days)
    );
    out!(
        "reminders.reorder_days = {}",
        days(s.reminders.reorder_days)
    );
    Ok(())
}

/// Runs `fieldbook settings`; returns whether it wrote.
pub fn settings(store: &mut Store, cmd: &Option<SettingsCmd>, json: bool) -> anyhow::Result<bool> {
    match cmd {
        None | Some(SettingsCmd::Show) => {
            show_settings(&store.preferences()?, json)?;
            Ok(false)
        }
        Some(SettingsCmd::Set { name, days }) => {
            let setting = Setting::parse(name)?;
            let n: i64 = days
                .trim()
                .parse()
                .map_err(|_| bad(name, days, "a whole number of days"))?;
            show_settings(&store.set_preference(setting, n)?, json)?;
            Ok(true)
        }
    }
}

/// Reminders for people: when, which account, why, and the key to act on.
fn show_reminders(due: &[fieldbook_client::reminders::DueReminder]) {
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|r| {
            let d = r.reminder.days_left;
            let when = match d {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                d if d > 0 => format!("in {d} days"),
                -1 => "1 day ago".to_string(),
                d => format!("{} days ago", -d),
            };
            vec![
                format_date(r.reminder.due),
                when,
                render::fit(&r.account, 30),
                r.text.clone(),
                r.reminder.key.clone(),
            ]
        })
        .collect();
    render::table(&["due", "", "account", "why", "key"], &rows);
    out!(
        "(`fieldbook reminders dismiss KEY`, `snooze KEY --days N`, `renew KEY` for a renewal; a key's start is enough)"
    );
}
