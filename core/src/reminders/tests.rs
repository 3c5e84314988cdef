//! Predictions on hand-worked dates (today is 2026-11-30).

use super::*;
use crate::value::parse_date;

fn day(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn deal(n: u128, account: u128, stage: &str, close: &str, created: &str) -> DealRow {
    DealRow {
        id: id(n),
        account_id: id(account),
        name: format!("deal {n}"),
        stage: stage.into(),
        amount: Some(Decimal::ONE_HUNDRED),
        currency: "EUR".into(),
        close_date: Some(day(close)),
        created: day(created),
        renewal_date: None,
        renews: None,
    }
}

fn won(n: u128, account: u128, close: &str) -> DealRow {
    deal(n, account, "won", close, "2026-01-01")
}

fn book() -> Vec<DealRow> {
    let mut d = vec![
        // Account 1: every 42, 42, 40 days -> median 42; a lost deal in between is ignored.
        won(10, 1, "2026-06-01"),
        won(11, 1, "2026-07-13"),
        won(12, 1, "2026-08-24"),
        deal(13, 1, "lost", "2026-09-15", "2026-09-01"),
        won(14, 1, "2026-10-03"),
        // Account 2: two wins only: no prediction.
        won(20, 2, "2026-08-01"),
        won(21, 2, "2026-10-01"),
        // Account 3: irregular 59, 184, 30 days -> median 59 -> due 2026-12-08.
        won(30, 3, "2026-01-10"),
        won(31, 3, "2026-03-10"),
        won(32, 3, "2026-09-10"),
        won(33, 3, "2026-10-10"),
        // Account 4: 61, 62, 61 -> due 2026-12-31: 31 days away, not yet.
        won(40, 4, "2026-05-01"),
        won(41, 4, "2026-07-01"),
        won(42, 4, "2026-09-01"),
        won(43, 4, "2026-11-01"),
        // Account 5: 31, 30, 31, 30 -> (30 + 31) / 2 = 30 -> due 2026-07-31, but a deal
        // was opened after the last win.
        won(50, 5, "2026-03-01"),
        won(51, 5, "2026-04-01"),
        won(52, 5, "2026-05-01"),
        won(53, 5, "2026-06-01"),
        won(54, 5, "2026-07-01"),
        deal(55, 5, "proposal", "2026-12-20", "2026-08-15"),
    ];
    // Renewals: deal 20 ends 2027-01-15 (46 days: inside 60); deal 21 ends 2027-03-01
    // (91 days); deal 40 ends 2027-01-20 but was renewed by deal 60.
    d[5].renewal_date = Some(day("2027-01-15"));
    d[6].renewal_date = Some(day("2027-03-01"));
    d[11].renewal_date = Some(day("2027-01-20"));
    let mut renewal = deal(60, 4, "proposal", "2027-01-20", "2026-11-20");
    renewal.renews = Some(id(40));
    d.push(renewal);
    d
}

fn keys(r: &[Reminder]) -> Vec<(String, String, i64)> {
    r.iter()
        .map(|r| (r.key.clone(), crate::value::format_date(r.due), r.days_left))
        .collect()
}

#[test]
fn renewals_and_reorders_on_hand_worked_dates() {
    let today = day("2026-11-30");
    let r = reminders(
        &book(),
        &[],
        &ReminderRules::default(),
        &Dismissals::default(),
        today,
    );
    let a1 = id(1);
    let a3 = id(3);
    assert_eq!(
        keys(&r),
        vec![
            (format!("reorder:{a1}:2026-10-03"), "2026-11-14".into(), -16),
            (format!("reorder:{a3}:2026-10-10"), "2026-12-08".into(), 8),
            (format!("renewal:{}", id(20)), "2027-01-15".into(), 46),
        ]
    );
    assert_eq!(r[0].describe(), "bought every ~42 days; last 2026-10-03");
    assert_eq!(
        r[0].reason,
        Reason::Reorder {
            every_days: 42,
            last_won: day("2026-10-03"),
            wins: 4
        }
    );
    assert_eq!(r[1].describe(), "bought every ~59 days; last 2026-10-10");
    assert_eq!(r[2].describe(), "renewal of \"deal 20\" due 2027-01-15");
}

#[test]
fn per_account_lead_time_and_a_new_open_deal() {
    let today = day("2026-11-30");
    let mut rules = ReminderRules::default();
    rules.renewal_days_by_account.insert(id(2), 100);
    let r = reminders(&book(), &[], &rules, &Dismissals::default(), today);
    assert!(
        r.iter().any(|r| r.key == format!("renewal:{}", id(21))),
        "91 days <= 100"
    );
    // Without the deal opened after its last win, account 5 is overdue for a reorder.
    let without: Vec<_> = book().into_iter().filter(|d| d.id != id(55)).collect();
    let r = reminders(
        &without,
        &[],
        &ReminderRules::default(),
        &Dismissals::default(),
        today,
    );
    let a5 = r.iter().find(|r| r.account_id == id(5)).expect("account 5");
    assert_eq!(crate::value::format_date(a5.due), "2026-07-31");
    assert!(matches!(a5.reason, Reason::Reorder { every_days: 30, .. }));
}

#[test]
fn dismissed_and_snoozed_reminders() {
    let today = day("2026-11-30");
    let (a1, a3) = (id(1), id(3));
    let d = Dismissals {
        dismissed: vec![format!("reorder:{a1}:2026-10-03")],
        snoozed: [(format!("reorder:{a3}:2026-10-10"), "2026-12-05".to_string())].into(),
    };
    let r = reminders(&book(), &[], &ReminderRules::default(), &d, today);
    assert_eq!(r.len(), 1, "only the renewal is left: {:?}", keys(&r));
    let later = reminders(
        &book(),
        &[],
        &ReminderRules::default(),
        &d,
        day("2026-12-05"),
    );
    assert!(
        later.iter().any(|r| r.account_id == a3),
        "the snooze is over"
    );
    assert!(
        !later.iter().any(|r| r.account_id == a1),
        "dismissed for good"
    );
    // A new win makes a new reorder reminder, which the old dismissal does not hide.
    let mut more = book();
    more.push(won(15, 1, "2026-11-10"));
    let r = reminders(&more, &[], &ReminderRules::default(), &d, day("2026-12-20"));
    assert!(
        r.iter()
            .any(|r| r.key == format!("reorder:{a1}:2026-11-10"))
    );
}

#[test]
fn overdue_open_cases_and_nothing_else() {
    let today = day("2026-11-30");
    let case = |n: u128, status: &str, due: Option<&str>| crate::report::Case {
        id: id(n),
        account_id: id(7),
        subject: format!("case {n}"),
        owner: "alice".into(),
        assignee: Some("bob".into()),
        priority: "high".into(),
        status: status.into(),
        due: due.map(day),
        created: day("2026-11-01"),
        resolved: None,
    };
    let cases = [
        case(70, "in_progress", Some("2026-11-27")),
        case(71, "new", Some("2026-11-30")), // due today: not overdue yet
        case(72, "resolved", Some("2026-11-01")),
        case(73, "waiting_on_customer", None),
        case(74, "new", Some("2026-11-02")),
    ];
    let r = reminders(
        &[],
        &cases,
        &ReminderRules::default(),
        &Dismissals::default(),
        today,
    );
    assert_eq!(
        keys(&r),
        vec![
            (
                format!("case:{}:2026-11-02", id(74)),
                "2026-11-02".into(),
                -28
            ),
            (
                format!("case:{}:2026-11-27", id(70)),
                "2026-11-27".into(),
                -3
            ),
        ]
    );
    assert_eq!(
        r[1].describe(),
        "case \"case 70\" (high) was due 2026-11-27"
    );
    // Snoozed until tomorrow: hidden today, back tomorrow; a new due day is a new reminder.
    let d = Dismissals {
        dismissed: vec![],
        snoozed: [(r[1].key.clone(), "2026-12-01".to_string())].into(),
    };
    let rules = ReminderRules::default();
    assert_eq!(reminders(&[], &cases, &rules, &d, today).len(), 1);
    // Tomorrow: the snooze is over, and case 71 (due today) is overdue too.
    assert_eq!(
        reminders(&[], &cases, &rules, &d, day("2026-12-01")).len(),
        3
    );
}

#[test]
fn a_lost_deal_has_no_renewal_and_a_renewal_deal_ends_the_reminder() {
    let today = day("2026-11-30");
    let mut lost = deal(80, 8, "lost", "2026-06-01", "2026-05-01");
    lost.renewal_date = Some(day("2026-12-15"));
    let mut won = deal(81, 8, "won", "2026-06-01", "2026-05-01");
    won.renewal_date = Some(day("2026-12-15"));
    let rules = ReminderRules::default();
    let none = Dismissals::default();
    let r = reminders(&[lost.clone(), won.clone()], &[], &rules, &none, today);
    assert_eq!(
        keys(&r),
        vec![(format!("renewal:{}", id(81)), "2026-12-15".into(), 15)]
    );
    let mut renewal = deal(82, 8, "lead", "2026-12-15", "2026-11-29");
    renewal.renews = Some(id(81));
    assert!(reminders(&[lost, won, renewal], &[], &rules, &none, today).is_empty());
}
