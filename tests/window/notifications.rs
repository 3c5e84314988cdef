//! Desktop notifications, as the session bus carries them to the desktop's notification
//! service (`org.freedesktop.Notifications.Notify`, recorded by `dbus-monitor` on a bus of
//! the test's own): a task falling due and each reminder are told once, in the user's
//! words; started again, the app tells only what is new.

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch, SessionBus, WAIT};
use time::{Duration, OffsetDateTime};

fn day(offset: i64) -> String {
    let d = OffsetDateTime::now_utc().date() + Duration::days(offset);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The notifications sent so far, each as the text `dbus-monitor` printed for it.
fn told(text: &str) -> Vec<String> {
    text.split("method call")
        .filter(|call| call.contains("member=Notify"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_task_falling_due_and_each_reminder_are_told_once() {
    let bus = SessionBus::start();
    let monitor =
        bus.monitor("type='method_call',interface='org.freedesktop.Notifications',member='Notify'");
    let fb = Fb::empty();
    fb.ok(&["init", "--user", "wang", "--currency", "CNY"]);
    let rep = Fb {
        dir: fb.dir,
        user: "wang".into(),
    };
    let haier = rep.new_record("account", &["name=海尔集团"]);
    rep.new_record(
        "task",
        &[
            "title=回访客户",
            &format!("due={}", day(0)),
            &format!("account_id={haier}"),
        ],
    );
    rep.new_record(
        "opportunity",
        &[
            &format!("account_id={haier}"),
            "name=冷库维保 2026",
            "amount=36000",
            "stage=won",
            &format!("close_date={}", day(-335)),
            &format!("renewal_date={}", day(30)),
        ],
    );
    let home = tempfile::tempdir().expect("temp dir");
    let launch = || {
        Launch::new(rep.path())
            .home(home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
    };

    {
        let app = AppWindow::launch(launch());
        app.wait_for("[data-testid=reminders] .reminder");
        let calls = app.wait_until(
            WAIT,
            "a notification for the task and one for the reminder",
            || {
                let calls = told(&monitor.text());
                (calls.len() >= 2).then_some(calls)
            },
        );
        let task = calls
            .iter()
            .find(|c| c.contains("\"Task due\""))
            .expect("the task's");
        assert!(task.contains("回访客户 is due"), "{task}");
        let reminder = calls
            .iter()
            .find(|c| c.contains("\"Reminder\""))
            .expect("the reminder's");
        assert!(
            reminder.contains("海尔集团: Renewal of “冷库维保 2026” due"),
            "{reminder}"
        );
        // Reminders are read again every minute and every record change: still told once.
        app.execute("location.hash = '#/leads'", serde_json::json!([]));
        app.execute("location.hash = '#/today'", serde_json::json!([]));
        app.wait_for("[data-testid=reminders] .reminder");
        std::thread::sleep(std::time::Duration::from_secs(2));
        assert_eq!(told(&monitor.text()).len(), 2, "{}", monitor.text());
    }

    // Meanwhile a case fell overdue. Started again, the app tells that alone.
    rep.new_record(
        "case",
        &[
            &format!("account_id={haier}"),
            "subject=发票缺失",
            &format!("due={}", day(-2)),
        ],
    );
    let app = AppWindow::launch(launch());
    app.wait_for("[data-testid=reminders] .reminder[data-type=overdue_case]");
    let calls = app.wait_until(WAIT, "the overdue case told", || {
        let calls = told(&monitor.text());
        (calls.len() >= 3).then_some(calls)
    });
    std::thread::sleep(std::time::Duration::from_secs(2));
    let calls_now = told(&monitor.text());
    assert_eq!(calls_now.len(), 3, "{}", monitor.text());
    assert!(calls[2].contains("发票缺失"), "{}", calls[2]);
}
