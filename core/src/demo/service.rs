//! The demo's leads and service cases, and renewal dates on won deals: for each account,
//! perhaps the lead it was converted from (its first contact, met at a fair or on a visit),
//! perhaps a lead not yet converted (another of its people), and 0–2 cases, most resolved.
//!
//! Drawn from a generator seeded by the account's id, not from the book's own, so adding
//! them left every other record of a seed as it was.

use super::{AccountCtx, DemoBook, DemoRecord, Lang, date_string, spread};
use crate::kind::Kind;
use crate::schema;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Duration};
use uuid::Uuid;

const CASES_EN: &[&str] = &[
    "Pump leaks at the seal",
    "Controller shows error E17",
    "Delivery arrived damaged",
    "Invoice does not match the quote",
    "Spare parts needed for the line",
    "Noise from the gearbox",
    "Training requested for new staff",
    "Warranty claim for the motor",
];
const CASES_ZH: &[&str] = &[
    "密封处漏水",
    "控制器显示故障代码E17",
    "到货时包装破损",
    "发票金额与报价不符",
    "生产线需要备件",
    "齿轮箱异响",
    "新员工需要操作培训",
    "电机保修索赔",
];
const RESOLUTIONS_EN: &[&str] = &[
    "Replaced the seal on site",
    "Firmware updated; error gone",
    "Replacement shipped",
    "Credit note issued",
    "Parts delivered from stock",
];
const RESOLUTIONS_ZH: &[&str] = &[
    "现场更换了密封件",
    "固件已升级，故障排除",
    "已寄出替换件",
    "已开具红字发票",
    "备件已从库存发出",
];
const DISQUALIFIED_EN: &[&str] = &[
    "No budget this year",
    "Buys through a distributor",
    "Student",
];
const DISQUALIFIED_ZH: &[&str] = &["今年没有预算", "通过经销商采购", "只是了解一下"];

/// A share of won deals that carry a renewal date (a contract or warranty ending a year
/// after the purchase), in tenths.
const RENEWING_TENTHS: i64 = 3;

/// A won deal's renewal date, if it is one of the renewing ones (decided by its id).
pub(super) fn renewal_date(id: Uuid, close: Date) -> Option<Date> {
    (spread(id, 0, 9) < RENEWING_TENTHS).then(|| close + Duration::days(365))
}

impl DemoBook {
    /// A record id of this account's moment, with random bits from `rng`.
    fn aux_id(ctx_id: Uuid, rng: &mut StdRng) -> Uuid {
        let (secs, nanos) = ctx_id
            .get_timestamp()
            .map(|t| t.to_unix())
            .unwrap_or((0, 0));
        let ms = secs * 1000 + u64::from(nanos / 1_000_000);
        let mut bytes = [0u8; 10];
        rng.fill(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
    }

    /// The leads and cases of the account being generated (after its other records).
    pub(super) fn service(&mut self, ctx: &AccountCtx, account_name: &str) {
        let mut rng = StdRng::seed_from_u64(ctx.id.as_u128() as u64 ^ 0x5eed_ca5e);
        let zh = ctx.lang == Lang::Zh;
        let pick =
            |rng: &mut StdRng, items: &[&'static str]| items[rng.random_range(0..items.len())];
        // The lead the account came from: its first contact, converted (dates: date_batch).
        if let Some(&(contact, person)) = ctx.contacts.first()
            && rng.random_bool(0.3)
        {
            let p = &ctx.people[person];
            let mut r = DemoRecord::new(Kind::Lead, Self::aux_id(ctx.id, &mut rng));
            r.set("name", p.name.as_str());
            r.set("company", account_name);
            r.set("title", p.title);
            r.set("email", p.email.as_str());
            r.set("source", pick(&mut rng, schema::LEAD_SOURCES));
            r.set("status", "converted");
            r.set("account_id", ctx.id.to_string());
            r.set("contact_id", contact.to_string());
            if let Some((opp, _)) = ctx.opps.first() {
                r.set("opportunity_id", opp.to_string());
            }
            self.queue.push_back(r);
        }
        // Another of its people, met since: a lead still being worked on.
        if ctx.people.len() > 1 && rng.random_bool(0.25) {
            let p = &ctx.people[ctx.people.len() - 1];
            let mut r = DemoRecord::new(Kind::Lead, Self::aux_id(ctx.id, &mut rng));
            r.set("name", p.name.as_str());
            r.set("company", account_name);
            r.set("email", p.email.as_str());
            r.set("source", pick(&mut rng, schema::LEAD_SOURCES));
            let status = pick(&mut rng, &["new", "contacted", "qualified", "disqualified"]);
            r.set("status", status);
            if status == "disqualified" {
                r.set(
                    "disqualify_reason",
                    pick(&mut rng, if zh { DISQUALIFIED_ZH } else { DISQUALIFIED_EN }),
                );
            }
            r.created = self.today - Duration::days(rng.random_range(0..=60));
            self.queue.push_back(r);
        }
        let n_cases = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2][rng.random_range(0..10)];
        for _ in 0..n_cases {
            let mut r = DemoRecord::new(Kind::Case, Self::aux_id(ctx.id, &mut rng));
            let created = self.today - Duration::days(rng.random_range(0..=120));
            r.set("account_id", ctx.id.to_string());
            if let Some(&(contact, _)) = ctx.contacts.first() {
                r.set("contact_id", contact.to_string());
            }
            r.set(
                "subject",
                pick(&mut rng, if zh { CASES_ZH } else { CASES_EN }),
            );
            let priority = [
                "low", "normal", "normal", "normal", "high", "high", "urgent",
            ][rng.random_range(0..7)];
            r.set("priority", priority);
            let due = created + Duration::days(schema::case_due_days(priority).unwrap_or(7));
            r.set("due", date_string(due));
            // Older cases are almost all done; some open ones are overdue.
            let age = (self.today - created).whole_days();
            let done = age > 10 && rng.random_bool(0.95);
            if done {
                let took = rng.random_range(0..=(age.min(30)));
                r.set(
                    "status",
                    if rng.random_bool(0.7) {
                        "resolved"
                    } else {
                        "closed"
                    },
                );
                r.set(
                    "resolution",
                    pick(&mut rng, if zh { RESOLUTIONS_ZH } else { RESOLUTIONS_EN }),
                );
                r.set(
                    "resolved_at",
                    format!("{}T15:00:00Z", date_string(created + Duration::days(took))),
                );
            } else {
                r.set(
                    "status",
                    pick(&mut rng, &["new", "in_progress", "waiting_on_customer"]),
                );
            }
            r.created = created;
            self.queue.push_back(r);
        }
    }
}
