//! A generator of realistic books of business, for `fieldbook demo --records N` and benchmarks.
//!
//! The book is a lazy iterator: a catalogue of products first, then one account at a time
//! followed by its contacts, opportunities, quotes, activities and tasks, and perhaps the
//! leads and service cases of its people (`service`). Every reference
//! points to a record yielded earlier, so records can be created in iteration order.
//! About half the accounts are Chinese (names, people, texts and money in CNY), the other
//! half European or American (English texts, EUR or USD).
//!
//! Everything is derived from the seed and `today`: the same arguments give the same book,
//! ids included (UUIDv7 whose random bits come from the seeded generator).

mod format;
mod service;
mod world;

use format::*;
use world::*;

use crate::kind::Kind;
use crate::schema;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::fmt::Write as _;
use time::{Date, Duration, Weekday};
use uuid::Uuid;

/// One generated record, its field values written exactly as a user would type them on the
/// command line (`field=value`): decimals as "12500.00", dates "YYYY-MM-DD", times RFC 3339 UTC
/// ("2026-10-02T09:30:00Z"), tags comma-separated ("key account,renewal"), bools "true"/"false",
/// references as the referenced record's id (uuid hyphenated lowercase).
#[derive(Clone, Debug)]
pub struct DemoRecord {
    pub kind: Kind,
    pub id: uuid::Uuid,
    /// Field values, by field name from crate::schema::fields(kind). Never `notes`, `lines`, or `number`.
    pub fields: Vec<(&'static str, String)>,
    /// For an account: paragraphs of notes (0–3), else empty.
    pub notes: Vec<String>,
    /// For a quote: its lines, each as (field, value) pairs from crate::schema::LINE_FIELDS minus `line_id` (1–5 lines), else empty.
    pub lines: Vec<Vec<(&'static str, String)>>,
    /// When the record was created, as its history should say: before its activities, deals
    /// and wins (an account), before its close (a deal), at its moment (an activity); never
    /// after `today`. Derived from the id, so a seed still gives the same book.
    pub created: Date,
}

impl DemoRecord {
    fn new(kind: Kind, id: Uuid) -> DemoRecord {
        DemoRecord {
            kind,
            id,
            fields: Vec::with_capacity(10),
            notes: Vec::new(),
            lines: Vec::new(),
            created: Date::MIN,
        }
    }

    fn set(&mut self, field: &'static str, value: impl Into<String>) {
        self.fields.push((field, value.into()));
    }

    /// The value of a field, if the record has it.
    fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }
}

/// A day count from `lo` to `hi` (inclusive) derived from an id's random bits.
fn spread(id: Uuid, lo: i64, hi: i64) -> i64 {
    lo + (id.as_u128() % (hi - lo + 1) as u128) as i64
}

fn parse_day(s: &str) -> Option<Date> {
    crate::value::parse_date(s)
}

/// Generates `n` records (exactly n) deterministically from `seed`: products first (a catalogue
/// of ~20–60 products, fewer if n is small), then for each account its contacts, opportunities,
/// quotes, activities and tasks, so every reference points to a record generated EARLIER in the
/// iteration. Dates are spread around `today` (activities in the past 2 years, close dates in the
/// next 9 months / past for won+lost, tasks due from -30 to +60 days). Lazy: an iterator, not a Vec,
/// so 1,000,000 records need little memory. Ids are UUIDv7 built from a timestamp + the seeded RNG
/// (uuid::Builder::from_unix_timestamp_millis + random bytes from the RNG) so the same seed gives the same ids.
pub fn generate(n: usize, seed: u64, today: Date) -> DemoBook {
    let mut rng = StdRng::seed_from_u64(seed);
    // A catalogue of 20–60 products, but no more than a tenth of the book (none below 10 records,
    // so that a tiny book still has an account).
    let catalogue = rng.random_range(20..=60usize).min(n / 10);
    // Id timestamps run from two years ago up to today, in generation order.
    let span_ms = ID_SPAN_DAYS * 86_400_000;
    let start_ms = (today.midnight().assume_utc().unix_timestamp() * 1000 - span_ms).max(0);
    let step_ms = (span_ms / n.max(1) as i64).max(1);
    // SKU numbers rise by 1–40 from a seeded start, so they stay unique and four digits long,
    // and two demo books with different seeds rarely share one.
    let sku_next = rng.random_range(0..=7000);
    DemoBook {
        rng,
        today,
        remaining: n,
        products_left: catalogue,
        products: Vec::with_capacity(catalogue),
        sku_next,
        queue: VecDeque::with_capacity(32),
        id_ms: start_ms,
        id_step_ms: step_ms,
        parents_zh: Vec::new(),
        parents_en: Vec::new(),
        activity_kind_field: schema::fields(Kind::Activity)
            .iter()
            .find(|f| f.ty == schema::FieldType::Enum(schema::ACTIVITY_KINDS))
            .map_or("kind", |f| f.name),
    }
}

/// A book of business being generated; see [`generate`].
#[derive(Debug)]
pub struct DemoBook {
    rng: StdRng,
    today: Date,
    /// Records still to yield.
    remaining: usize,
    /// Products still to yield before the first account.
    products_left: usize,
    products: Vec<CatalogueItem>,
    sku_next: u32,
    /// The generated records of the current account, not yet yielded.
    queue: VecDeque<DemoRecord>,
    /// The timestamp of the next id, in Unix milliseconds.
    id_ms: i64,
    id_step_ms: i64,
    /// The first accounts of each language, which later ones may name as their parent.
    parents_zh: Vec<Uuid>,
    parents_en: Vec<Uuid>,
    /// The name of the activity field holding one of schema::ACTIVITY_KINDS (`kind`).
    activity_kind_field: &'static str,
}

impl Iterator for DemoBook {
    type Item = DemoRecord;

    fn next(&mut self) -> Option<DemoRecord> {
        if self.remaining == 0 {
            return None;
        }
        let record = if self.products_left > 0 {
            self.products_left -= 1;
            self.product()
        } else {
            if self.queue.is_empty() {
                self.account_batch();
            }
            self.queue.pop_front()?
        };
        self.remaining -= 1;
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for DemoBook {}
impl std::iter::FusedIterator for DemoBook {}

const ID_SPAN_DAYS: i64 = 730;
const MAX_PARENTS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lang {
    Zh,
    En,
}

#[derive(Clone, Copy, Debug)]
struct CatalogueItem {
    id: Uuid,
    currency: &'static str,
    /// Typical quantities on a quote.
    qty: &'static [u32],
}

/// A person at an account, chosen before the account is yielded so its notes can name them.
struct Person {
    name: String,
    email: String,
    title: &'static str,
}

struct OppInfo {
    id: Uuid,
    stage: usize,
    close: Date,
    template: &'static str,
}

/// What the records of one account share.
struct AccountCtx {
    id: Uuid,
    lang: Lang,
    region: &'static Region,
    city: &'static City,
    currency: &'static str,
    domain: String,
    contacts: Vec<(Uuid, usize)>,
    people: Vec<Person>,
    opps: Vec<(Uuid, String)>,
    /// Opportunity name templates used so far, to vary names within the account.
    opp_templates: Vec<&'static str>,
    competitor: &'static str,
}

impl AccountCtx {
    fn t<'a>(&self, en: &'a [&'static str], zh: &'a [&'static str]) -> &'a [&'static str] {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

// Stage indexes into schema::STAGES.
const PROPOSAL: usize = 2;
const NEGOTIATION: usize = 3;
const WON: usize = 4;
const LOST: usize = 5;
// Status indexes into schema::QUOTE_STATUSES.
const DRAFT: usize = 0;
const SENT: usize = 1;
const ACCEPTED: usize = 2;
const REJECTED: usize = 3;
const EXPIRED: usize = 4;

impl DemoBook {
    // ---- small random helpers ----

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// A text template, one that does not name a deal (`{o}`) if `no_deal`.
    fn pick_text(&mut self, templates: &[&'static str], no_deal: bool) -> &'static str {
        loop {
            let t = self.pick(templates);
            if !no_deal || !t.contains("{o}") {
                return t;
            }
        }
    }

    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.rng.random_range(0..total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    fn days(&mut self, from: i64, to: i64) -> Date {
        let d = self.rng.random_range(from..=to);
        self.today.saturating_add(Duration::days(d))
    }

    fn new_id(&mut self) -> Uuid {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        let ms = self.id_ms as u64;
        self.id_ms += self.id_step_ms;
        uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
    }

    /// Digits in groups separated by spaces, the first not a zero.
    fn digit_groups(&mut self, out: &mut String, groups: &[usize]) {
        for (i, &g) in groups.iter().enumerate() {
            out.push(' ');
            for j in 0..g {
                let d = if i == 0 && j == 0 {
                    self.rng.random_range(2..10u8)
                } else {
                    self.rng.random_range(0..10u8)
                };
                out.push(char::from(b'0' + d));
            }
        }
    }

    fn landline(&mut self, region: &Region, city: &City) -> String {
        let mut s = String::with_capacity(24);
        s.push('+');
        s.push_str(region.cc);
        s.push(' ');
        s.push_str(city.area);
        self.digit_groups(&mut s, region.groups);
        s
    }

    fn mobile(&mut self, region: &Region, city: &City) -> String {
        if region.mobile.is_empty() {
            return self.landline(region, city);
        }
        let prefix = self.pick(region.mobile);
        let mut s = String::with_capacity(24);
        s.push('+');
        s.push_str(region.cc);
        s.push(' ');
        s.push_str(prefix);
        self.digit_groups(&mut s, region.mobile_groups);
        s
    }

    /// A date-time in the past `max_days` days during local working hours, RFC 3339 UTC.
    fn past_moment(&mut self, city: &City, max_days: i64, working_day: bool) -> String {
        let recent = self.chance(0.5);
        let ago = self
            .rng
            .random_range(1..=if recent { 120.min(max_days) } else { max_days });
        let mut date = self.today.saturating_add(Duration::days(-ago));
        if working_day {
            date = match date.weekday() {
                Weekday::Saturday => date.saturating_add(Duration::days(-1)),
                Weekday::Sunday => date.saturating_add(Duration::days(-2)),
                _ => date,
            };
        }
        let local_minutes = if working_day {
            self.rng.random_range(32..72i64) * 15 // 08:00–17:45
        } else {
            self.rng.random_range(28..88i64) * 15 // 07:00–21:45
        };
        let mut utc = date
            .midnight()
            .saturating_add(Duration::minutes(local_minutes - i64::from(city.tz) * 60));
        if utc >= self.today.midnight() {
            utc = utc.saturating_add(Duration::days(-1)); // late evening west of UTC
        }
        let mut s = String::with_capacity(20);
        let _ = write!(
            s,
            "{:04}-{:02}-{:02}T{:02}:{:02}:00Z",
            utc.year(),
            utc.month() as u8,
            utc.day(),
            utc.hour(),
            utc.minute()
        );
        s
    }

    /// A coordinate near `center` (in 1/10,000 degree), within about 6 km.
    fn near(&mut self, center: i32) -> String {
        coordinate(center + self.rng.random_range(-600..=600))
    }

    // ---- products ----

    fn product(&mut self) -> DemoRecord {
        let id = self.new_id();
        let tpl = self.pick(PRODUCTS);
        self.sku_next += self.rng.random_range(1..=40);
        let currency = ["EUR", "USD", "CNY"][self.weighted(&[40, 25, 35])];
        let model = if tpl.models.is_empty() {
            ""
        } else {
            self.pick(tpl.models)
        };
        let name_tpl = if currency == "CNY" { tpl.zh } else { tpl.en };
        let vars = Vars {
            m: model,
            ..Vars::default()
        };
        let eur = self.rng.random_range(tpl.min_eur..=tpl.max_eur);
        let mut price = match currency {
            "CNY" => round_to(eur * 78 / 10, 10),
            "USD" => round_to(eur * 108 / 100, 5),
            _ => round_to(eur, if eur < 1000 { 5 } else { 10 }),
        } * 100;
        if self.chance(0.2) {
            price -= 10; // 1249.90
        }
        let mut r = DemoRecord::new(Kind::Product, id);
        r.set("sku", format!("FB-{}-{:04}", tpl.cat, self.sku_next));
        r.set("name", fill(name_tpl, &vars));
        r.set("unit_price", cents(price));
        r.set("currency", currency);
        self.products.push(CatalogueItem {
            id,
            currency,
            qty: tpl.qty,
        });
        // The catalogue predates the book.
        r.created = self.today - Duration::days(ID_SPAN_DAYS + spread(id, 0, 60));
        r
    }

    // ---- one account and everything under it ----

    fn account_batch(&mut self) {
        let zh = self.chance(0.5);
        let region: &'static Region = if zh { &CHINA } else { self.western_region() };
        let lang = region.lang;
        let city: &'static City = &region.cities[self.rng.random_range(0..region.cities.len())];
        let industry = self.pick(INDUSTRIES);

        let n_contacts = self.weighted(&[5, 25, 40, 20, 10]);
        let n_opps = self.weighted(&[15, 35, 35, 10, 5]);
        let n_activities = self.rng.random_range(0..=7usize);
        let n_tasks = self.weighted(&[20, 30, 35, 10, 5]);

        let id = self.new_id();
        let (name, domain) = match lang {
            Lang::Zh => self.chinese_company(city, industry),
            Lang::En => self.western_company(region, city, industry),
        };
        let mut ctx = AccountCtx {
            id,
            lang,
            region,
            city,
            currency: region.currency,
            domain,
            contacts: Vec::with_capacity(n_contacts),
            people: Vec::with_capacity(n_contacts),
            opps: Vec::with_capacity(n_opps),
            opp_templates: Vec::with_capacity(n_opps),
            competitor: "",
        };
        ctx.competitor = self.pick(ctx.t(COMPETITORS_EN, COMPETITORS_ZH));
        for _ in 0..n_contacts {
            let p = self.person(&ctx);
            ctx.people.push(p);
        }

        let account_name = name.clone();
        let account = self.account(&ctx, name, industry);
        self.queue.push_back(account);
        for i in 0..n_contacts {
            let c = self.contact(&ctx, i);
            ctx.contacts.push((c.id, i));
            self.queue.push_back(c);
        }
        let mut opps = Vec::with_capacity(n_opps);
        for _ in 0..n_opps {
            let (o, info) = self.opportunity(&ctx);
            ctx.opps
                .push((o.id, o.get("name").unwrap_or_default().to_string()));
            ctx.opp_templates.push(info.template);
            opps.push(info);
            self.queue.push_back(o);
        }
        for info in &opps {
            self.quotes(&ctx, info);
        }
        for _ in 0..n_activities {
            let a = self.activity(&ctx);
            self.queue.push_back(a);
        }
        let mut task_titles = Vec::with_capacity(n_tasks);
        for _ in 0..n_tasks {
            let t = self.task(&ctx, &mut task_titles);
            self.queue.push_back(t);
        }
        self.service(&ctx, &account_name);
        self.date_batch();
    }

    /// Gives the current account's records their creation days (see [`DemoRecord::created`]).
    fn date_batch(&mut self) {
        let today = self.today;
        let day = |r: &DemoRecord, f: &str| r.get(f).and_then(|v| v.get(..10)).and_then(parse_day);
        // The earliest day anything happened with the account.
        let first = self
            .queue
            .iter()
            .filter_map(|r| match r.kind {
                Kind::Activity => day(r, "at"),
                Kind::Opportunity if matches!(r.get("stage"), Some("won" | "lost")) => {
                    day(r, "close_date")
                }
                // Logged when it says (a lead converted into the account comes before it).
                Kind::Case => Some(r.created),
                Kind::Lead if r.get("status") != Some("converted") => Some(r.created),
                _ => None,
            })
            .min()
            .unwrap_or(today);
        let account_created = (first - Duration::days(spread(self.queue[0].id, 10, 200)))
            .max(today - Duration::days(3 * 365));
        let mut opp_created = std::collections::HashMap::new();
        for r in self.queue.iter_mut() {
            // A lead is captured before the account it is converted into.
            if r.kind == Kind::Lead && r.get("status") == Some("converted") {
                r.created = account_created - Duration::days(spread(r.id, 1, 30));
                r.set(
                    "converted_at",
                    format!("{}T09:00:00Z", date_string(account_created)),
                );
                continue;
            }
            r.created = match r.kind {
                Kind::Account => account_created,
                Kind::Contact => account_created + Duration::days(spread(r.id, 0, 30)),
                Kind::Opportunity => {
                    let end = match r.get("stage") {
                        Some("won" | "lost") => day(r, "close_date").unwrap_or(today),
                        _ => today,
                    };
                    let c = end - Duration::days(spread(r.id, 7, 120));
                    opp_created.insert(r.id.to_string(), c);
                    c
                }
                Kind::Quote => r
                    .get("opportunity_id")
                    .and_then(|o| opp_created.get(o))
                    .map_or(today, |c| *c + Duration::days(spread(r.id, 0, 14))),
                Kind::Activity => day(r, "at").unwrap_or(today),
                Kind::Task => today - Duration::days(spread(r.id, 0, 30)),
                Kind::Lead | Kind::Case => r.created,
                Kind::Product | Kind::Dismissal => today,
            }
            .clamp(account_created, today);
        }
    }

    fn western_region(&mut self) -> &'static Region {
        let total: u32 = WEST.iter().map(|r| r.weight).sum();
        let mut x = self.rng.random_range(0..total);
        for region in &WEST {
            if x < region.weight {
                return region;
            }
            x -= region.weight;
        }
        &WEST[0]
    }

    fn chinese_company(&mut self, city: &City, industry: &Industry) -> (String, String) {
        let (brand, brand_py) = self.pick(CN_BRANDS);
        let word = self.pick(industry.zh_words);
        let suffix =
            ["有限公司", "股份有限公司", "集团有限公司", "集团"][self.weighted(&[50, 25, 15, 10])];
        let mut name = String::with_capacity(48);
        name.push_str(city.name);
        name.push_str(brand);
        name.push_str(word);
        name.push_str(suffix);
        let tld = ["com.cn", "com", "cn"][self.weighted(&[50, 35, 15])];
        let domain = format!("{}{}.{}", city.abbr, brand_py, tld);
        (name, domain)
    }

    fn western_company(
        &mut self,
        region: &Region,
        city: &City,
        industry: &Industry,
    ) -> (String, String) {
        let first = match self.weighted(&[65, 25, 10]) {
            0 => self.pick(EN_BRANDS),
            1 => self.pick(region.last),
            _ => city.name,
        };
        let word = self.pick(industry.en_words);
        let suffix = self.pick(region.suffixes);
        let name = format!("{first} {word} {suffix}");
        let mut domain = ascii_fold(first);
        if self.chance(0.6) {
            if self.chance(0.4) {
                domain.push('-');
            }
            domain.push_str(&ascii_fold(word));
        }
        domain.push('.');
        domain.push_str(region.tld);
        (name, domain)
    }

    fn person(&mut self, ctx: &AccountCtx) -> Person {
        let title = self.pick(ctx.t(TITLES_EN, TITLES_ZH));
        match ctx.lang {
            Lang::Zh => {
                let (sur, sur_py) = self.pick(CN_SURNAMES);
                let (given, given_py) = self.pick(CN_GIVEN);
                let local = match self.weighted(&[50, 30, 20]) {
                    0 => format!("{sur_py}.{given_py}"),
                    1 => format!("{sur_py}{given_py}"),
                    _ => format!("{given_py}.{sur_py}"),
                };
                Person {
                    name: format!("{sur}{given}"),
                    email: format!("{local}@{}", ctx.domain),
                    title,
                }
            }
            Lang::En => {
                let first = self.pick(ctx.region.first);
                let last = self.pick(ctx.region.last);
                let email = format!("{}.{}@{}", ascii_fold(first), ascii_fold(last), ctx.domain);
                Person {
                    name: format!("{first} {last}"),
                    email,
                    title,
                }
            }
        }
    }

    fn account(&mut self, ctx: &AccountCtx, name: String, industry: &Industry) -> DemoRecord {
        let region = ctx.region;
        let city = ctx.city;
        let mut r = DemoRecord::new(Kind::Account, ctx.id);
        r.set("name", name);
        if self.chance(0.9) {
            r.set(
                "industry",
                if ctx.lang == Lang::Zh {
                    industry.zh
                } else {
                    industry.en
                },
            );
        }
        if self.chance(0.9) {
            let phone = self.landline(region, city);
            r.set("phone", phone);
        }
        if self.chance(0.65) {
            let mailbox = self.pick(ctx.t(
                &["info", "sales", "office", "contact"],
                &["info", "sales", "service"],
            ));
            r.set("email", format!("{mailbox}@{}", ctx.domain));
        }
        if self.chance(0.6) {
            r.set("website", format!("www.{}", ctx.domain));
        }
        if self.chance(0.8) {
            let address = self.address(region, city);
            r.set("address", address);
        }
        r.set("city", city.name);
        r.set("country", region.country);
        if self.chance(0.45) {
            let count = self.weighted(&[55, 35, 10]) + 1;
            let mut tags: Vec<&str> = Vec::with_capacity(count);
            while tags.len() < count {
                let t = self.pick(TAGS);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            r.set("tags", tags.join(","));
        }
        let parents = match ctx.lang {
            Lang::Zh => &mut self.parents_zh,
            Lang::En => &mut self.parents_en,
        };
        if parents.len() < MAX_PARENTS {
            parents.push(ctx.id);
        } else if self.rng.random_bool(0.05) {
            let parents = if ctx.lang == Lang::Zh {
                &self.parents_zh
            } else {
                &self.parents_en
            };
            let parent = parents[self.rng.random_range(0..parents.len())];
            r.set("parent_id", parent.to_string());
        }
        let paragraphs = self.weighted(&[40, 30, 20, 10]);
        if paragraphs > 0 {
            let contact = ctx.people.first().map(|p| p.name.as_str());
            let vars = Vars {
                c: contact.unwrap_or(if ctx.lang == Lang::Zh {
                    "采购部"
                } else {
                    "the purchasing team"
                }),
                city: city.name,
                k: ctx.competitor,
                m: self.pick(ctx.t(&MONTHS_EN, &MONTHS_ZH)),
                m2: self.pick(ctx.t(&MONTHS_EN, &MONTHS_ZH)),
                p: self.product_noun(ctx.lang),
                y: self.rng.random_range(1952..=2016),
                e: self.rng.random_range(4..=250) * 10,
                n: self.rng.random_range(2..=6),
                ..Vars::default()
            };
            let templates = ctx.t(NOTES_EN, NOTES_ZH);
            let first = self.rng.random_range(0..templates.len());
            for i in 0..paragraphs {
                r.notes
                    .push(fill(templates[(first + i * 2) % templates.len()], &vars));
            }
        }
        r
    }

    fn address(&mut self, region: &Region, city: &City) -> String {
        let street = self.pick(region.streets);
        if region.lang == Lang::Zh {
            let district = self.pick(city.districts);
            let number = self.rng.random_range(1..=999);
            return format!("{district}{street}{number}号");
        }
        if region.number_first {
            let number = if region.country == "United States" {
                self.rng.random_range(100..=9999)
            } else {
                self.rng.random_range(1..=120)
            };
            format!("{number} {street}")
        } else {
            let number = self.rng.random_range(1..=180);
            format!("{street} {number}")
        }
    }

    fn contact(&mut self, ctx: &AccountCtx, index: usize) -> DemoRecord {
        let id = self.new_id();
        let person = &ctx.people[index];
        let mut r = DemoRecord::new(Kind::Contact, id);
        r.set("account_id", ctx.id.to_string());
        r.set("name", person.name.as_str());
        if self.chance(0.9) {
            r.set("title", person.title);
        }
        if self.chance(0.85) {
            r.set("email", person.email.as_str());
        }
        if self.chance(0.7) {
            let phone = if self.chance(0.65) {
                self.mobile(ctx.region, ctx.city)
            } else {
                self.landline(ctx.region, ctx.city)
            };
            r.set("phone", phone);
        }
        if self.chance(0.85) {
            let role = if index == 0 && self.chance(0.5) {
                ROLES[0]
            } else {
                ROLES[self.weighted(&[15, 25, 35, 25])]
            };
            r.set("role", role);
        }
        r
    }

    fn contact_name<'a>(&mut self, ctx: &'a AccountCtx) -> &'a str {
        if ctx.people.is_empty() {
            return if ctx.lang == Lang::Zh {
                "客户"
            } else {
                "the customer"
            };
        }
        let i = self.rng.random_range(0..ctx.people.len());
        &ctx.people[i].name
    }

    fn product_noun(&mut self, lang: Lang) -> &'static str {
        let tpl = self.pick(PRODUCTS);
        if lang == Lang::Zh {
            tpl.noun_zh
        } else {
            tpl.noun_en
        }
    }

    fn opportunity(&mut self, ctx: &AccountCtx) -> (DemoRecord, OppInfo) {
        let id = self.new_id();
        let stage = self.weighted(&[30, 25, 18, 12, 9, 6]);
        let stage_name = schema::STAGES[stage];
        let closed = stage >= WON;
        let close = if closed {
            self.days(-365, -1)
        } else {
            self.days(7, 270)
        };
        let contact = self.contact_name(ctx);
        let vars = Vars {
            c: contact,
            p: self.product_noun(ctx.lang),
            y: self.today.year() + self.rng.random_range(0..=1),
            n: self.rng.random_range(1..=6),
            x: char::from(b'A' + self.rng.random_range(0..6u8)),
            ..Vars::default()
        };
        let mut r = DemoRecord::new(Kind::Opportunity, id);
        r.set("account_id", ctx.id.to_string());
        let names = ctx.t(OPP_NAMES_EN, OPP_NAMES_ZH);
        let mut template = self.pick(names);
        while ctx.opp_templates.contains(&template) {
            template = self.pick(names);
        }
        r.set("name", fill(template, &vars));
        r.set("stage", stage_name);
        if self.chance(0.95) {
            let amount = self.amount();
            r.set("amount", cents(amount));
        }
        // Always given, or a Chinese deal would get the device's default currency.
        r.set("currency", ctx.currency);
        r.set("close_date", date_string(close));
        if stage == WON
            && let Some(renewal) = service::renewal_date(id, close)
        {
            r.set("renewal_date", date_string(renewal));
        }
        if !closed && self.chance(0.1) {
            let base = schema::stage_probability(stage_name).unwrap_or(10);
            let p = (base + self.pick(&[-10, -5, 5, 10])).clamp(5, 95);
            r.set("probability", p.to_string());
        }
        if stage == LOST {
            r.set("loss_reason", self.pick(ctx.t(LOSS_EN, LOSS_ZH)));
        } else if stage == WON {
            if self.chance(0.4) {
                r.set("next_step", self.pick(ctx.t(WON_NEXT_EN, WON_NEXT_ZH)));
            }
        } else if self.chance(0.7) {
            r.set("next_step", fill(self.pick(ctx.t(NEXT_EN, NEXT_ZH)), &vars));
        }
        (
            r,
            OppInfo {
                id,
                stage,
                close,
                template,
            },
        )
    }

    /// An amount between 2,000 and 500,000, log-uniform, mostly rounded, in cents.
    fn amount(&mut self) -> i64 {
        let u: f64 = self.rng.random();
        let a = 2000.0 * 250f64.powf(u);
        let c = if self.chance(0.15) {
            (a * 100.0) as i64
        } else {
            let step = if a < 10_000.0 {
                50.0
            } else if a < 100_000.0 {
                500.0
            } else {
                1000.0
            };
            ((a / step).round() * step) as i64 * 100
        };
        c.clamp(200_000, 50_000_000)
    }

    fn quotes(&mut self, ctx: &AccountCtx, opp: &OppInfo) {
        if opp.stage < PROPOSAL || !self.chance(0.7) {
            return;
        }
        let revised = opp.stage == NEGOTIATION && self.chance(0.3);
        if revised {
            let q = self.quote(ctx, opp, Some(REJECTED));
            self.queue.push_back(q);
        }
        let q = self.quote(ctx, opp, None);
        self.queue.push_back(q);
    }

    fn quote(&mut self, ctx: &AccountCtx, opp: &OppInfo, status: Option<usize>) -> DemoRecord {
        let id = self.new_id();
        let status = status.unwrap_or_else(|| match opp.stage {
            PROPOSAL => [DRAFT, SENT][self.weighted(&[45, 55])],
            NEGOTIATION => [DRAFT, SENT][self.weighted(&[15, 85])],
            WON => ACCEPTED,
            _ => [REJECTED, EXPIRED][self.weighted(&[70, 30])],
        });
        let valid_until = match status {
            DRAFT => self.days(20, 60),
            SENT => self.days(5, 45),
            EXPIRED => opp
                .close
                .saturating_add(Duration::days(-self.rng.random_range(1..=30))),
            _ if opp.stage >= WON => opp
                .close
                .saturating_add(Duration::days(self.rng.random_range(5..=30))),
            _ => self.days(-40, -5), // a superseded quote
        };
        let mut r = DemoRecord::new(Kind::Quote, id);
        r.set("opportunity_id", opp.id.to_string());
        r.set("currency", ctx.currency);
        r.set("valid_until", date_string(valid_until));
        r.set("status", schema::QUOTE_STATUSES[status]);
        r.set("tax_pct", self.pick(ctx.region.tax));
        let n_lines = self.weighted(&[30, 30, 20, 12, 8]) + 1;
        // Products in the quote's currency, each used at most once per quote.
        let mut matching: Vec<CatalogueItem> = self
            .products
            .iter()
            .filter(|p| p.currency == ctx.currency)
            .copied()
            .collect();
        // Service lines, each used at most once per quote (there are more than 5).
        let mut services = SERVICE_LINES.to_vec();
        r.lines.reserve(n_lines);
        for _ in 0..n_lines {
            let mut line = Vec::with_capacity(4);
            if !matching.is_empty() && self.chance(0.8) {
                let product = matching.swap_remove(self.rng.random_range(0..matching.len()));
                line.push(("product_id", product.id.to_string()));
                line.push(("quantity", self.pick(product.qty).to_string()));
            } else {
                let (en, zh, min, max) =
                    services.swap_remove(self.rng.random_range(0..services.len()));
                line.push((
                    "description",
                    (if ctx.lang == Lang::Zh { zh } else { en }).to_string(),
                ));
                let days = if en.contains("per day") {
                    self.rng.random_range(1..=5)
                } else {
                    1
                };
                line.push(("quantity", days.to_string()));
                let eur = self.rng.random_range(min..=max);
                let price = match ctx.currency {
                    "CNY" => round_to(eur * 78 / 10, 10),
                    "USD" => round_to(eur * 108 / 100, 5),
                    _ => round_to(eur, 5),
                };
                line.push(("unit_price", cents(price * 100)));
            }
            match self.weighted(&[50, 10, 25, 15]) {
                1 => line.push(("discount_pct", "0".to_string())),
                2 => line.push(("discount_pct", "5".to_string())),
                3 => line.push(("discount_pct", "10".to_string())),
                _ => {}
            }
            r.lines.push(line);
        }
        r
    }

    fn activity(&mut self, ctx: &AccountCtx) -> DemoRecord {
        let id = self.new_id();
        let kind = self.weighted(&[25, 30, 15, 20, 10]);
        let kind_name = schema::ACTIVITY_KINDS[kind];
        let mut r = DemoRecord::new(Kind::Activity, id);
        r.set("account_id", ctx.id.to_string());
        r.set(self.activity_kind_field, kind_name);
        let (subjects, bodies) = match ctx.lang {
            Lang::En => (SUBJECTS_EN[kind], BODIES_EN[kind]),
            Lang::Zh => (SUBJECTS_ZH[kind], BODIES_ZH[kind]),
        };
        // Without deals, no text speaks of one.
        let no_deal = ctx.opps.is_empty();
        let subject = self.pick_text(subjects, no_deal);
        let body = if self.chance(0.8) {
            Some(self.pick_text(bodies, no_deal))
        } else {
            None
        };
        // A contact or deal the text names is linked when the account has one.
        let mentions = |key: &str| subject.contains(key) || body.is_some_and(|b| b.contains(key));
        let contact = if !ctx.contacts.is_empty() && (mentions("{c}") || self.chance(0.5)) {
            Some(self.pick(&ctx.contacts))
        } else {
            None
        };
        let opp = if !ctx.opps.is_empty() && (mentions("{o}") || self.chance(0.35)) {
            Some(&ctx.opps[self.rng.random_range(0..ctx.opps.len())])
        } else {
            None
        };
        // A name in the text is always the linked contact.
        let c = match contact {
            Some((_, i)) => ctx.people[i].name.as_str(),
            None if ctx.lang == Lang::Zh => "采购负责人",
            None => "the buyer",
        };
        let vars = Vars {
            c,
            o: opp
                .map(|(_, name)| name.as_str())
                .unwrap_or(if ctx.lang == Lang::Zh {
                    "新项目"
                } else {
                    "the new project"
                }),
            p: self.product_noun(ctx.lang),
            q: self.rng.random_range(1..=4),
            ..Vars::default()
        };
        r.set("subject", fill(subject, &vars));
        if let Some(body) = body {
            r.set("body", fill(body, &vars));
        }
        let working = kind != 3 && kind != 4; // emails and notes happen at any hour
        let at = self.past_moment(ctx.city, 730, working);
        r.set("at", at);
        if let Some((cid, _)) = contact {
            r.set("contact_id", cid.to_string());
        }
        if let Some((oid, _)) = opp {
            r.set("opportunity_id", oid.to_string());
        }
        let located = match kind_name {
            "visit" => self.chance(0.8),
            "meeting" => self.chance(0.4),
            _ => false,
        };
        if located {
            let lat = self.near(ctx.city.lat);
            let lon = self.near(ctx.city.lon);
            r.set("lat", lat);
            r.set("lon", lon);
        }
        r
    }

    /// A task; `used` holds the title templates of the account's tasks so far.
    fn task(&mut self, ctx: &AccountCtx, used: &mut Vec<&'static str>) -> DemoRecord {
        let id = self.new_id();
        let due_in = self.rng.random_range(-30..=60);
        let c = self.contact_name(ctx);
        let vars = Vars {
            c,
            ..Vars::default()
        };
        let mut r = DemoRecord::new(Kind::Task, id);
        let titles = ctx.t(TASKS_EN, TASKS_ZH);
        let mut title = self.pick(titles);
        while used.contains(&title) {
            title = self.pick(titles);
        }
        used.push(title);
        r.set("title", fill(title, &vars));
        r.set(
            "due",
            date_string(self.today.saturating_add(Duration::days(due_in))),
        );
        r.set("account_id", ctx.id.to_string());
        if !ctx.opps.is_empty() && self.chance(0.35) {
            let (oid, _) = &ctx.opps[self.rng.random_range(0..ctx.opps.len())];
            r.set("opportunity_id", oid.to_string());
        }
        if due_in < 0 && self.chance(0.4) {
            r.set("done", "true");
        }
        r
    }
}

#[cfg(test)]
mod tests;
