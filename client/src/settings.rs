//! Preferences kept in the store's settings (this device's, not synced): the days from a
//! case's creation to its default due date per priority, and when reminders start (days
//! before a renewal date, days before a predicted reorder). Each is read with its default
//! when never set. Per account, an account's own `renewal_days` field (synced) overrides
//! the renewal lead time.

use crate::error::{ClientError, Result, Rule};
use crate::store::{Store, Tx};
use fieldbook_core::reminders::ReminderRules;
use fieldbook_core::schema::{self, CASE_PRIORITIES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const CASE_DUE_KEY: &str = "case_due_days";
const REMINDERS_KEY: &str = "reminder_days";

/// The longest lead time a setting may have, in days (ten years).
pub const MAX_DAYS: i64 = 3650;

/// Days from a case's creation to its due date, per priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CaseDueDays(pub BTreeMap<String, i64>);

impl Default for CaseDueDays {
    fn default() -> Self {
        CaseDueDays(
            CASE_PRIORITIES
                .iter()
                .map(|p| (p.to_string(), schema::case_due_days(p).unwrap_or(7)))
                .collect(),
        )
    }
}

impl CaseDueDays {
    /// The days for `priority` (an unknown one: normal's).
    pub fn days(&self, priority: &str) -> i64 {
        self.0
            .get(priority)
            .or_else(|| self.0.get("normal"))
            .copied()
            .unwrap_or(7)
    }
}

/// When reminders start, as a store keeps it (per-account lead times live on accounts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderDays {
    /// Days before a renewal date (default 60).
    pub renewal_days: i64,
    /// Days before a predicted reorder (default 14).
    pub reorder_days: i64,
}

impl Default for ReminderDays {
    fn default() -> Self {
        let r = ReminderRules::default();
        ReminderDays {
            renewal_days: r.renewal_days,
            reorder_days: r.reorder_days,
        }
    }
}

/// A setting that can be changed, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `case_due.<priority>`.
    CaseDue(&'static str),
    /// `reminders.renewal_days`.
    RenewalDays,
    /// `reminders.reorder_days`.
    ReorderDays,
}

impl Setting {
    /// Every setting's name.
    pub fn names() -> Vec<String> {
        let mut v: Vec<String> = CASE_PRIORITIES
            .iter()
            .map(|p| format!("case_due.{p}"))
            .collect();
        v.push("reminders.renewal_days".into());
        v.push("reminders.reorder_days".into());
        v
    }

    pub fn parse(name: &str) -> Result<Setting> {
        let name = name.trim();
        if let Some(p) = name.strip_prefix("case_due.")
            && let Some(p) = CASE_PRIORITIES.iter().find(|x| **x == p)
        {
            return Ok(Setting::CaseDue(p));
        }
        match name {
            "reminders.renewal_days" => Ok(Setting::RenewalDays),
            "reminders.reorder_days" => Ok(Setting::ReorderDays),
            _ => Err(ClientError::Rule(Rule::BadSetting(format!(
                "there is no setting `{name}`; the settings are: {}",
                Setting::names().join(", ")
            )))),
        }
    }
}

fn read<T: Default + for<'de> Deserialize<'de>>(text: Option<String>, what: &str) -> Result<T> {
    match text {
        None => Ok(T::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| ClientError::DamagedStore(format!("its {what} ({e})"))),
    }
}

/// The case due days, read in a write transaction.
pub(crate) fn case_due_days(tx: &Tx) -> Result<CaseDueDays> {
    read(tx.setting(CASE_DUE_KEY)?, "case due days")
}

/// Every setting with its value, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    pub case_due_days: CaseDueDays,
    pub reminders: ReminderDays,
}

impl Store {
    /// The days to a new case's due date per priority.
    pub fn case_due_days(&self) -> Result<CaseDueDays> {
        read(self.setting(CASE_DUE_KEY)?, "case due days")
    }

    /// When reminders start on this device.
    pub fn reminder_days(&self) -> Result<ReminderDays> {
        read(self.setting(REMINDERS_KEY)?, "reminder days")
    }

    /// Every changeable setting.
    pub fn preferences(&self) -> Result<Settings> {
        Ok(Settings {
            case_due_days: self.case_due_days()?,
            reminders: self.reminder_days()?,
        })
    }

    /// Sets a number of days (0 to [`MAX_DAYS`]).
    pub fn set_preference(&mut self, setting: Setting, days: i64) -> Result<Settings> {
        if !(0..=MAX_DAYS).contains(&days) {
            return Err(ClientError::Rule(Rule::BadSetting(format!(
                "{days} is not a number of days from 0 to {MAX_DAYS}"
            ))));
        }
        let mut all = self.preferences()?;
        match setting {
            Setting::CaseDue(p) => {
                all.case_due_days.0.insert(p.to_string(), days);
            }
            Setting::RenewalDays => all.reminders.renewal_days = days,
            Setting::ReorderDays => all.reminders.reorder_days = days,
        }
        let due = serde_json::to_string(&all.case_due_days).expect("serializes");
        let rem = serde_json::to_string(&all.reminders).expect("serializes");
        self.write(|tx| {
            tx.set_setting(CASE_DUE_KEY, &due)?;
            tx.set_setting(REMINDERS_KEY, &rem)
        })?;
        Ok(all)
    }
}
