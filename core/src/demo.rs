//! A generator of realistic books of business, for `fieldbook demo --records N` and benchmarks.
//!
//! The book is a lazy iterator: a catalogue of products first, then one account at a time
//! followed by its contacts, opportunities, quotes, activities and tasks. Every reference
//! points to a record yielded earlier, so records can be created in iteration order.
//! About half the accounts are Chinese (names, people, texts and money in CNY), the other
//! half European or American (English texts, EUR or USD).
//!
//! Everything is derived from the seed and `today`: the same arguments give the same book,
//! ids included (UUIDv7 whose random bits come from the seeded generator).

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
}

impl DemoRecord {
    fn new(kind: Kind, id: Uuid) -> DemoRecord {
        DemoRecord {
            kind,
            id,
            fields: Vec::with_capacity(10),
            notes: Vec::new(),
            lines: Vec::new(),
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
enum Lang {
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

// ---- formatting ----

fn date_string(d: Date) -> String {
    let mut s = String::with_capacity(10);
    let _ = write!(s, "{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day());
    s
}

/// A non-negative amount in cents as a decimal with two places: 1250000 -> "12500.00".
fn cents(c: i64) -> String {
    let mut s = String::with_capacity(12);
    let _ = write!(s, "{}.{:02}", c / 100, c % 100);
    s
}

/// 1/10,000 degrees as a decimal: 360671 -> "36.0671", -876298 -> "-87.6298".
fn coordinate(v: i32) -> String {
    let a = v.unsigned_abs();
    let mut s = String::with_capacity(10);
    if v < 0 {
        s.push('-');
    }
    let _ = write!(s, "{}.{:04}", a / 10_000, a % 10_000);
    s
}

fn round_to(v: i64, step: i64) -> i64 {
    ((v + step / 2) / step).max(1) * step
}

/// Lowercase ASCII for e-mail addresses and domains: "Lefèvre" -> "lefevre", "O'Brien" -> "obrien".
fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let rep = match ch {
            'a'..='z' | '0'..='9' => {
                out.push(ch);
                continue;
            }
            'A'..='Z' => {
                out.push(ch.to_ascii_lowercase());
                continue;
            }
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            'á' | 'à' | 'â' | 'ą' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'É' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' | 'ń' => "n",
            'ç' => "c",
            'ł' => "l",
            _ => "",
        };
        out.push_str(rep);
    }
    out
}

/// Values for the `{x}` placeholders of the text templates.
#[derive(Default)]
struct Vars<'a> {
    /// A contact's name.
    c: &'a str,
    /// An opportunity's name.
    o: &'a str,
    /// A product noun ("centrifugal pumps").
    p: &'a str,
    city: &'a str,
    /// A competitor.
    k: &'a str,
    /// A month, twice.
    m: &'a str,
    m2: &'a str,
    /// A year.
    y: i32,
    /// A head count.
    e: u32,
    /// A small number (line 3).
    n: u32,
    /// A quarter.
    q: u32,
    /// A letter (building B).
    x: char,
}

fn fill(template: &str, v: &Vars<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 24);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        match &after[..close] {
            "c" => out.push_str(v.c),
            "o" => out.push_str(v.o),
            "p" => out.push_str(v.p),
            "m" => out.push_str(v.m),
            "m2" => out.push_str(v.m2),
            "k" => out.push_str(v.k),
            "city" => out.push_str(v.city),
            "y" => {
                let _ = write!(out, "{}", v.y);
            }
            "e" => {
                let _ = write!(out, "{}", v.e);
            }
            "n" => {
                let _ = write!(out, "{}", v.n);
            }
            "q" => {
                let _ = write!(out, "{}", v.q);
            }
            "x" => out.push(v.x),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

// ---- the world ----

struct City {
    name: &'static str,
    /// Telephone area code, without the trunk zero unless the country dials it (Italy).
    area: &'static str,
    /// Latitude and longitude in 1/10,000 degree.
    lat: i32,
    lon: i32,
    /// Standard time offset from UTC, in hours.
    tz: i8,
    /// Districts (Chinese cities only).
    districts: &'static [&'static str],
    /// Short romanisation for domains (Chinese cities only).
    abbr: &'static str,
}

#[derive(Debug)]
struct Region {
    country: &'static str,
    lang: Lang,
    weight: u32,
    cc: &'static str,
    /// Digit groups of a landline number after the area code.
    groups: &'static [usize],
    /// Mobile prefixes, and the digit groups after them.
    mobile: &'static [&'static str],
    mobile_groups: &'static [usize],
    currency: &'static str,
    /// Value-added or sales tax rates a quote may carry.
    tax: &'static [&'static str],
    tld: &'static str,
    suffixes: &'static [&'static str],
    streets: &'static [&'static str],
    number_first: bool,
    first: &'static [&'static str],
    last: &'static [&'static str],
    cities: &'static [City],
}

impl std::fmt::Debug for City {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

const fn city(name: &'static str, area: &'static str, lat: i32, lon: i32, tz: i8) -> City {
    City {
        name,
        area,
        lat,
        lon,
        tz,
        districts: &[],
        abbr: "",
    }
}

const fn cn(
    name: &'static str,
    abbr: &'static str,
    area: &'static str,
    lat: i32,
    lon: i32,
    districts: &'static [&'static str],
) -> City {
    City {
        name,
        area,
        lat,
        lon,
        tz: 8,
        districts,
        abbr,
    }
}

static CHINA: Region = Region {
    country: "中国",
    lang: Lang::Zh,
    weight: 0,
    cc: "86",
    groups: &[4, 4],
    mobile: &[
        "138", "139", "135", "136", "137", "150", "151", "158", "186", "188", "189", "133", "177",
    ],
    mobile_groups: &[4, 4],
    currency: "CNY",
    tax: &["13", "13", "13", "13", "0"],
    tld: "cn",
    suffixes: &[],
    streets: &[
        "人民路",
        "解放路",
        "中山路",
        "建设路",
        "长江路",
        "滨海大道",
        "科技园路",
        "工业大道",
        "创业路",
        "振兴路",
        "环城北路",
        "开发区大道",
    ],
    number_first: false,
    first: &[],
    last: &[],
    cities: &[
        cn(
            "北京",
            "bj",
            "10",
            399042,
            1164074,
            &["朝阳区", "海淀区", "大兴区", "顺义区"],
        ),
        cn(
            "上海",
            "sh",
            "21",
            312304,
            1214737,
            &["浦东新区", "闵行区", "嘉定区", "松江区"],
        ),
        cn(
            "青岛",
            "qd",
            "532",
            360671,
            1203826,
            &["崂山区", "黄岛区", "城阳区", "即墨区"],
        ),
        cn(
            "深圳",
            "sz",
            "755",
            225431,
            1140579,
            &["南山区", "宝安区", "龙岗区", "光明区"],
        ),
        cn(
            "广州",
            "gz",
            "20",
            231291,
            1132644,
            &["天河区", "番禺区", "黄埔区", "白云区"],
        ),
        cn(
            "杭州",
            "hz",
            "571",
            302741,
            1201551,
            &["滨江区", "余杭区", "萧山区"],
        ),
        cn(
            "成都",
            "cd",
            "28",
            305728,
            1040668,
            &["高新区", "武侯区", "双流区", "新都区"],
        ),
        cn(
            "武汉",
            "wh",
            "27",
            305928,
            1143055,
            &["东西湖区", "江夏区", "汉阳区", "洪山区"],
        ),
        cn(
            "南京",
            "nj",
            "25",
            320603,
            1187969,
            &["江宁区", "栖霞区", "浦口区"],
        ),
        cn(
            "苏州",
            "suz",
            "512",
            312989,
            1205853,
            &["工业园区", "吴中区", "相城区", "高新区"],
        ),
        cn(
            "天津",
            "tj",
            "22",
            393434,
            1173616,
            &["滨海新区", "西青区", "东丽区"],
        ),
        cn(
            "宁波",
            "nb",
            "574",
            298683,
            1215440,
            &["北仑区", "鄞州区", "镇海区"],
        ),
        cn(
            "厦门",
            "xm",
            "592",
            244798,
            1180894,
            &["海沧区", "集美区", "湖里区"],
        ),
        cn(
            "大连",
            "dl",
            "411",
            389140,
            1216147,
            &["甘井子区", "金州区", "沙河口区"],
        ),
        cn(
            "西安",
            "xa",
            "29",
            343416,
            1089398,
            &["雁塔区", "未央区", "长安区"],
        ),
        cn(
            "佛山",
            "fs",
            "757",
            230215,
            1131214,
            &["顺德区", "南海区", "禅城区"],
        ),
        cn(
            "东莞",
            "dg",
            "769",
            230207,
            1137518,
            &["松山湖", "长安镇", "虎门镇"],
        ),
        cn(
            "无锡",
            "wx",
            "510",
            314912,
            1203119,
            &["新吴区", "滨湖区", "惠山区"],
        ),
        cn(
            "烟台",
            "yt",
            "535",
            374636,
            1213914,
            &["芝罘区", "莱山区", "福山区"],
        ),
        cn(
            "郑州",
            "zz",
            "371",
            347466,
            1136253,
            &["金水区", "管城回族区", "中原区"],
        ),
    ],
};

const DE_FIRST: &[&str] = &[
    "Lukas", "Anna", "Thomas", "Julia", "Stefan", "Katrin", "Jan", "Sabine", "Markus", "Laura",
    "Andreas", "Claudia", "Tobias", "Miriam", "Jürgen", "Felix", "Petra", "Matthias",
];
const DE_LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Wolf",
    "Schäfer",
    "Zimmermann",
    "Krüger",
    "Braun",
    "Hartmann",
    "Lange",
];
const FR_FIRST: &[&str] = &[
    "Pierre",
    "Camille",
    "Julien",
    "Claire",
    "Nicolas",
    "Sophie",
    "Antoine",
    "Marie",
    "Thomas",
    "Élodie",
    "François",
    "Céline",
    "Mathieu",
    "Hélène",
    "Guillaume",
    "Isabelle",
];
const FR_LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Lefèvre",
    "Girard",
    "Fontaine",
    "Rousseau",
    "Blanc",
    "Garnier",
    "Chevalier",
    "Mercier",
    "Lambert",
    "Bonnet",
];
const IT_FIRST: &[&str] = &[
    "Marco",
    "Giulia",
    "Luca",
    "Francesca",
    "Alessandro",
    "Chiara",
    "Matteo",
    "Sara",
    "Davide",
    "Elena",
    "Paolo",
    "Federica",
    "Andrea",
    "Valentina",
];
const IT_LAST: &[&str] = &[
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "Fontana",
];
const NL_FIRST: &[&str] = &[
    "Jan", "Sanne", "Pieter", "Lotte", "Daan", "Femke", "Bram", "Anouk", "Joost", "Eva", "Thijs",
    "Maaike", "Wouter", "Inge",
];
const NL_LAST: &[&str] = &[
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Jong",
    "Mulder",
    "Bos",
    "Peeters",
    "Janssens",
    "Maes",
    "Vermeulen",
];
const US_FIRST: &[&str] = &[
    "James", "Sarah", "Michael", "Emily", "David", "Laura", "Robert", "Jennifer", "Kevin",
    "Rachel", "Brian", "Megan", "Patrick", "Jessica", "Daniel", "Amanda",
];
const US_LAST: &[&str] = &[
    "Smith", "Johnson", "Miller", "Davis", "Wilson", "Taylor", "Anderson", "Brown", "Thompson",
    "Garcia", "Martinez", "Clark", "Lewis", "Walker", "Young",
];
const IE_FIRST: &[&str] = &[
    "Patrick", "Siobhan", "Ciarán", "Aoife", "Sean", "Niamh", "Conor", "Orla", "Declan", "Emma",
    "Brian", "Sinéad",
];
const IE_LAST: &[&str] = &[
    "Murphy",
    "Kelly",
    "Walsh",
    "O'Brien",
    "Byrne",
    "Ryan",
    "O'Connor",
    "Doyle",
    "McCarthy",
    "Kennedy",
    "Lynch",
    "Gallagher",
];
const ES_FIRST: &[&str] = &[
    "Javier",
    "Lucía",
    "Carlos",
    "María",
    "Alejandro",
    "Carmen",
    "Pablo",
    "Laura",
    "Sergio",
    "Marta",
    "Jordi",
    "Núria",
];
const ES_LAST: &[&str] = &[
    "García",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Ruiz",
    "Díaz",
    "Moreno",
    "Puig",
    "Ferrer",
];

static WEST: [Region; 9] = [
    Region {
        country: "Germany",
        lang: Lang::En,
        weight: 25,
        cc: "49",
        groups: &[4, 4],
        mobile: &["151", "152", "160", "170", "171", "176"],
        mobile_groups: &[4, 4],
        currency: "EUR",
        tax: &["19"],
        tld: "de",
        suffixes: &["GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG"],
        streets: &[
            "Industriestraße",
            "Hafenstraße",
            "Gewerbering",
            "Robert-Bosch-Straße",
            "Carl-Zeiss-Straße",
            "Mühlenweg",
            "Siemensstraße",
            "Am Westpark",
        ],
        number_first: false,
        first: DE_FIRST,
        last: DE_LAST,
        cities: &[
            city("Berlin", "30", 525200, 134050, 1),
            city("Hamburg", "40", 535511, 99937, 1),
            city("Munich", "89", 481351, 115820, 1),
            city("Stuttgart", "711", 487758, 91829, 1),
            city("Düsseldorf", "211", 512277, 67735, 1),
            city("Cologne", "221", 509375, 69603, 1),
            city("Bremen", "421", 530793, 88017, 1),
            city("Leipzig", "341", 513397, 123731, 1),
        ],
    },
    Region {
        country: "France",
        lang: Lang::En,
        weight: 15,
        cc: "33",
        groups: &[2, 2, 2, 2],
        mobile: &["6", "7"],
        mobile_groups: &[2, 2, 2, 2],
        currency: "EUR",
        tax: &["20"],
        tld: "fr",
        suffixes: &["SAS", "SAS", "SA", "SARL"],
        streets: &[
            "rue de la République",
            "avenue Jean Jaurès",
            "rue de l'Industrie",
            "boulevard Pasteur",
            "rue Ampère",
            "allée des Pins",
            "avenue de l'Europe",
        ],
        number_first: true,
        first: FR_FIRST,
        last: FR_LAST,
        cities: &[
            city("Lyon", "4", 457640, 48357, 1),
            city("Paris", "1", 488566, 23522, 1),
            city("Toulouse", "5", 436047, 14442, 1),
            city("Lille", "3", 506292, 30573, 1),
            city("Nantes", "2", 472184, -15536, 1),
            city("Grenoble", "4", 451885, 57245, 1),
        ],
    },
    Region {
        country: "Italy",
        lang: Lang::En,
        weight: 12,
        cc: "39",
        groups: &[3, 4],
        mobile: &["333", "335", "340", "347", "320"],
        mobile_groups: &[3, 4],
        currency: "EUR",
        tax: &["22"],
        tld: "it",
        suffixes: &["S.p.A.", "S.r.l.", "S.r.l."],
        streets: &[
            "Via Roma",
            "Via Garibaldi",
            "Via dell'Industria",
            "Viale Europa",
            "Via Torino",
            "Corso Italia",
        ],
        number_first: false,
        first: IT_FIRST,
        last: IT_LAST,
        cities: &[
            city("Milan", "02", 454642, 91900, 1),
            city("Turin", "011", 450703, 76869, 1),
            city("Bologna", "051", 444949, 113426, 1),
            city("Verona", "045", 454384, 109916, 1),
            city("Brescia", "030", 455416, 102118, 1),
        ],
    },
    Region {
        country: "Netherlands",
        lang: Lang::En,
        weight: 10,
        cc: "31",
        groups: &[3, 4],
        mobile: &["6"],
        mobile_groups: &[4, 4],
        currency: "EUR",
        tax: &["21"],
        tld: "nl",
        suffixes: &["B.V.", "B.V.", "N.V."],
        streets: &[
            "Havenweg",
            "Industrieweg",
            "Kanaalweg",
            "Energieweg",
            "Stationsplein",
            "Marconistraat",
        ],
        number_first: false,
        first: NL_FIRST,
        last: NL_LAST,
        cities: &[
            city("Rotterdam", "10", 519244, 44777, 1),
            city("Eindhoven", "40", 514416, 54697, 1),
            city("Utrecht", "30", 520907, 51214, 1),
            city("Amsterdam", "20", 523676, 49041, 1),
        ],
    },
    Region {
        country: "United States",
        lang: Lang::En,
        weight: 20,
        cc: "1",
        groups: &[3, 4],
        mobile: &[],
        mobile_groups: &[3, 4],
        currency: "USD",
        tax: &["0", "0", "7"],
        tld: "com",
        suffixes: &["Inc.", "Inc.", "LLC", "Corp."],
        streets: &[
            "W Fulton St",
            "Industrial Pkwy",
            "Commerce Dr",
            "Main St",
            "Lakeshore Dr",
            "Enterprise Blvd",
        ],
        number_first: true,
        first: US_FIRST,
        last: US_LAST,
        cities: &[
            city("Chicago", "312", 418781, -876298, -6),
            city("Houston", "713", 297604, -953698, -6),
            city("Detroit", "313", 423314, -830458, -5),
            city("Atlanta", "404", 337490, -843880, -5),
            city("Cleveland", "216", 414993, -816944, -5),
            city("Milwaukee", "414", 430389, -879065, -6),
        ],
    },
    Region {
        country: "Spain",
        lang: Lang::En,
        weight: 6,
        cc: "34",
        groups: &[3, 2, 2],
        mobile: &["612", "622", "634", "655", "680"],
        mobile_groups: &[3, 3],
        currency: "EUR",
        tax: &["21"],
        tld: "es",
        suffixes: &["S.L.", "S.L.", "S.A."],
        streets: &[
            "Calle Mayor",
            "Avinguda Diagonal",
            "Calle de la Industria",
            "Carrer de Pallars",
            "Avenida de Europa",
        ],
        number_first: false,
        first: ES_FIRST,
        last: ES_LAST,
        cities: &[
            city("Barcelona", "93", 413874, 21686, 1),
            city("Valencia", "96", 394699, -3763, 1),
            city("Bilbao", "94", 432630, -29350, 1),
        ],
    },
    Region {
        country: "Austria",
        lang: Lang::En,
        weight: 5,
        cc: "43",
        groups: &[3, 4],
        mobile: &["664", "676", "699"],
        mobile_groups: &[3, 4],
        currency: "EUR",
        tax: &["20"],
        tld: "at",
        suffixes: &["GmbH", "GmbH", "AG"],
        streets: &[
            "Industriezeile",
            "Gewerbepark",
            "Hauptstraße",
            "Wiener Straße",
        ],
        number_first: false,
        first: DE_FIRST,
        last: DE_LAST,
        cities: &[
            city("Vienna", "1", 482082, 163738, 1),
            city("Linz", "732", 483069, 142858, 1),
            city("Graz", "316", 470707, 154395, 1),
        ],
    },
    Region {
        country: "Belgium",
        lang: Lang::En,
        weight: 4,
        cc: "32",
        groups: &[3, 2, 2],
        mobile: &["470", "475", "478", "486"],
        mobile_groups: &[2, 2, 2],
        currency: "EUR",
        tax: &["21"],
        tld: "be",
        suffixes: &["NV", "BV", "SA"],
        streets: &[
            "Industrielaan",
            "Havenlaan",
            "Kerkstraat",
            "Rue de l'Industrie",
        ],
        number_first: false,
        first: NL_FIRST,
        last: NL_LAST,
        cities: &[
            city("Antwerp", "3", 512194, 44025, 1),
            city("Ghent", "9", 510543, 37174, 1),
            city("Brussels", "2", 508503, 43517, 1),
        ],
    },
    Region {
        country: "Ireland",
        lang: Lang::En,
        weight: 3,
        cc: "353",
        groups: &[3, 4],
        mobile: &["85", "86", "87"],
        mobile_groups: &[3, 4],
        currency: "EUR",
        tax: &["23"],
        tld: "ie",
        suffixes: &["Ltd", "Ltd", "Limited"],
        streets: &[
            "Ballymount Road",
            "Harbour Road",
            "Main Street",
            "Dock Road",
        ],
        number_first: true,
        first: IE_FIRST,
        last: IE_LAST,
        cities: &[
            city("Dublin", "1", 533498, -62603, 0),
            city("Cork", "21", 518985, -84756, 0),
        ],
    },
];

struct Industry {
    en: &'static str,
    zh: &'static str,
    en_words: &'static [&'static str],
    zh_words: &'static [&'static str],
}

const fn ind(
    en: &'static str,
    zh: &'static str,
    en_words: &'static [&'static str],
    zh_words: &'static [&'static str],
) -> Industry {
    Industry {
        en,
        zh,
        en_words,
        zh_words,
    }
}

static INDUSTRIES: &[&Industry] = &[
    &ind(
        "Food & Beverage",
        "食品饮料",
        &["Foods", "Food Group", "Beverages"],
        &["食品", "饮品"],
    ),
    &ind(
        "Brewing",
        "啤酒酿造",
        &["Brewing", "Brewery"],
        &["啤酒", "酿酒"],
    ),
    &ind("Dairy", "乳制品", &["Dairy", "Dairies"], &["乳业", "乳品"]),
    &ind(
        "Chemicals",
        "化工",
        &["Chemicals", "Chemical"],
        &["化工", "化学"],
    ),
    &ind(
        "Pharmaceuticals",
        "制药",
        &["Pharma", "Life Sciences"],
        &["制药", "生物医药"],
    ),
    &ind(
        "Logistics",
        "物流",
        &["Logistics", "Traders", "Freight"],
        &["物流", "供应链"],
    ),
    &ind(
        "Cold chain",
        "冷链物流",
        &["Cold Storage", "Cold Chain"],
        &["冷链", "冷冻食品"],
    ),
    &ind(
        "Automotive",
        "汽车零部件",
        &["Automotive", "Auto Parts"],
        &["汽车部件", "汽配"],
    ),
    &ind(
        "Electronics",
        "电子制造",
        &["Electronics", "Components"],
        &["电子", "精密电子"],
    ),
    &ind(
        "Machinery",
        "机械制造",
        &["Industrial", "Engineering", "Machinery"],
        &["机械", "重工", "精密机械"],
    ),
    &ind(
        "Packaging",
        "包装",
        &["Packaging", "Packaging Solutions"],
        &["包装", "包装材料"],
    ),
    &ind(
        "Water treatment",
        "水处理",
        &["Water Systems", "Water Technologies"],
        &["水务", "环保科技"],
    ),
    &ind(
        "Building materials",
        "建材",
        &["Building Products", "Materials"],
        &["建材", "新材料"],
    ),
    &ind(
        "Textiles",
        "纺织",
        &["Textiles", "Fabrics"],
        &["纺织", "印染"],
    ),
    &ind(
        "Plastics",
        "塑料制品",
        &["Plastics", "Polymers"],
        &["塑业", "塑胶"],
    ),
    &ind(
        "Metalworking",
        "金属加工",
        &["Metals", "Metalworks", "Steel"],
        &["金属制品", "钢构"],
    ),
];

const CN_BRANDS: &[(&str, &str)] = &[
    ("海川", "haichuan"),
    ("华盛", "huasheng"),
    ("金达", "jinda"),
    ("恒通", "hengtong"),
    ("瑞丰", "ruifeng"),
    ("宏远", "hongyuan"),
    ("新星", "xinxing"),
    ("东方", "dongfang"),
    ("天成", "tiancheng"),
    ("永泰", "yongtai"),
    ("中联", "zhonglian"),
    ("安信", "anxin"),
    ("鑫源", "xinyuan"),
    ("博远", "boyuan"),
    ("德润", "derun"),
    ("康达", "kangda"),
    ("嘉禾", "jiahe"),
    ("盛世", "shengshi"),
    ("万通", "wantong"),
    ("福瑞", "furui"),
    ("蓝海", "lanhai"),
    ("银河", "yinhe"),
    ("启航", "qihang"),
    ("通力", "tongli"),
    ("明辉", "minghui"),
    ("远航", "yuanhang"),
    ("金盛", "jinsheng"),
    ("精工", "jinggong"),
    ("雪山", "xueshan"),
    ("绿源", "lvyuan"),
    ("华美", "huamei"),
    ("兴业", "xingye"),
    ("宏达", "hongda"),
    ("振华", "zhenhua"),
    ("泰和", "taihe"),
    ("汇通", "huitong"),
    ("长青", "changqing"),
    ("新和", "xinhe"),
    ("凯瑞", "kairui"),
    ("三元", "sanyuan"),
];

const EN_BRANDS: &[&str] = &[
    "Acme",
    "Northwind",
    "Atlas",
    "Meridian",
    "Vanguard",
    "Keystone",
    "Harbor",
    "Silverline",
    "Bluewater",
    "Ironbridge",
    "Summit",
    "Pioneer",
    "Evergreen",
    "Westfield",
    "Lakeside",
    "Crescent",
    "Polaris",
    "Nordic",
    "Orion",
    "Granite",
    "Alpine",
    "Baltic",
    "Continental",
    "Delta",
    "Falcon",
    "Horizon",
    "Liberty",
    "Phoenix",
    "Sterling",
    "Titan",
    "Apex",
    "Beacon",
    "Cobalt",
    "Emerald",
    "Helix",
    "Kestrel",
    "Lumen",
    "Mistral",
    "Pinnacle",
    "Riverside",
    "Sequoia",
    "Tristar",
    "Zenith",
    "Rhine Valley",
    "Hansa",
];

const CN_SURNAMES: &[(&str, &str)] = &[
    ("张", "zhang"),
    ("王", "wang"),
    ("李", "li"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("高", "gao"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
];

const CN_GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("洋", "yang"),
    ("敏", "min"),
    ("静", "jing"),
    ("磊", "lei"),
    ("强", "qiang"),
    ("军", "jun"),
    ("丽", "li"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("建华", "jianhua"),
    ("志强", "zhiqiang"),
    ("晓东", "xiaodong"),
    ("海燕", "haiyan"),
    ("丹", "dan"),
    ("鹏", "peng"),
    ("婷", "ting"),
    ("宇航", "yuhang"),
    ("子涵", "zihan"),
    ("浩然", "haoran"),
    ("欣怡", "xinyi"),
    ("建国", "jianguo"),
    ("红梅", "hongmei"),
    ("文博", "wenbo"),
    ("俊杰", "junjie"),
];

const TITLES_EN: &[&str] = &[
    "Purchasing Manager",
    "Head of Procurement",
    "CTO",
    "Plant Manager",
    "Maintenance Manager",
    "Operations Director",
    "Managing Director",
    "CEO",
    "Project Engineer",
    "CFO",
    "Buyer",
    "Production Manager",
    "Quality Manager",
    "Technical Director",
    "Facility Manager",
];

const TITLES_ZH: &[&str] = &[
    "采购经理",
    "采购总监",
    "总经理",
    "副总经理",
    "技术总监",
    "厂长",
    "设备部经理",
    "生产经理",
    "项目工程师",
    "财务总监",
    "采购专员",
    "质量经理",
    "首席技术官",
    "设备主管",
    "工程部经理",
];

const ROLES: &[&str] = &["decision maker", "champion", "influencer", "user"];

const TAGS: &[&str] = &[
    "key account",
    "renewal",
    "new logo",
    "strategic",
    "distributor",
    "OEM",
    "end user",
    "tender",
    "export",
    "at risk",
    "reference customer",
    "price sensitive",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ZH: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];

const COMPETITORS_EN: &[&str] = &[
    "Vortex Fluid",
    "Kessler Technik",
    "Nordpump",
    "Hydra Systems",
    "a local integrator",
];
const COMPETITORS_ZH: &[&str] = &["一家德国品牌", "本地厂家", "宏达机电", "一家南方民营企业"];

const NOTES_EN: &[&str] = &[
    "Family-owned since {y}, about {e} employees at the {city} site. Purchasing decisions go through {c}.",
    "Main competitor on site is {k}; they won the last tender on price. Our strongest argument is service response time.",
    "Plant shutdown every {m}: plan installation work around it. Next year's budget is fixed in {m2}.",
    "Payment terms 60 days net. They insist on framework pricing for spare parts and want one invoice per site.",
    "Goods receiving 7:00–14:00 only, gate 3. Visitors need safety shoes and must register a day ahead.",
    "Installed base: {p} on lines 1–{n}, most of them older than ten years. Good candidate for a retrofit programme.",
];
const NOTES_ZH: &[&str] = &[
    "{y}年成立，{city}工厂约{e}人。采购决策由{c}负责。",
    "现场主要竞争对手是{k}，上次招标因价格落选。我们的优势是售后响应速度。",
    "每年{m}停产检修，安装工作需围绕检修期安排。明年预算在{m2}确定。",
    "付款条件：月结60天。备件要求按框架协议价格，每个厂区单独开票。",
    "收货时间仅限7:00–14:00，走3号门。访客需提前一天登记并穿安全鞋。",
    "现有设备：1–{n}号线使用{p}，大多已超过十年，适合做改造升级。",
];

const OPP_NAMES_EN: &[&str] = &[
    "Line {n} retrofit",
    "{y} framework agreement",
    "Cold store expansion",
    "Spare parts contract {y}",
    "Pump replacement – building {x}",
    "New filling line",
    "Service contract renewal {y}",
    "Wastewater treatment upgrade",
    "Energy efficiency programme",
    "Boiler house modernisation",
    "CIP system upgrade",
    "Cooling water loop – phase {n}",
    "Remote monitoring pilot",
    "Hall {x} compressed air",
    "New plant: {p}",
];
const OPP_NAMES_ZH: &[&str] = &[
    "冷库扩建项目",
    "{n}号线改造",
    "{y}年框架协议",
    "{y}年备件年度合同",
    "{x}栋厂房水泵更换",
    "新灌装线项目",
    "{y}年维保合同续签",
    "污水处理升级",
    "节能改造项目",
    "锅炉房改造",
    "CIP清洗系统升级",
    "冷却水系统（{n}期）",
    "远程监控试点",
    "二期工厂{p}采购",
];

const NEXT_EN: &[&str] = &[
    "Send revised quote",
    "Site visit with application engineer",
    "Call {c} about budget",
    "Technical clarification meeting",
    "Wait for purchase order",
    "Prepare ROI calculation",
    "Arrange reference visit",
    "Present offer to management",
    "Clarify delivery date",
];
const NEXT_ZH: &[&str] = &[
    "发送修改后的报价",
    "安排应用工程师现场勘察",
    "与{c}确认预算",
    "技术澄清会议",
    "等待采购订单",
    "准备投资回报测算",
    "安排参观样板客户",
    "向管理层汇报方案",
    "确认交货期",
];
const WON_NEXT_EN: &[&str] = &[
    "Hand over to service team",
    "Schedule installation",
    "Send order confirmation",
];
const WON_NEXT_ZH: &[&str] = &["交接给售后团队", "安排安装", "发送订单确认"];

const LOSS_EN: &[&str] = &[
    "Price: competitor about 10% cheaper",
    "Lost to incumbent supplier",
    "Project postponed to next year",
    "Budget cut",
    "Delivery time too long",
    "No decision, project cancelled",
    "Went with a local supplier",
];
const LOSS_ZH: &[&str] = &[
    "价格偏高，竞争对手便宜约10%",
    "客户选择了原供应商",
    "项目推迟到明年",
    "预算削减",
    "交期太长",
    "项目取消",
    "选择了本地供应商",
];

/// Activity subjects, by index into schema::ACTIVITY_KINDS (visit, call, meeting, email, note).
const SUBJECTS_EN: [&[&str]; 5] = [
    &[
        "Site visit",
        "Site visit – {o}",
        "Plant walk-through with {c}",
        "Commissioning check",
        "Line survey",
    ],
    &[
        "Call with {c}",
        "Follow-up call on quote",
        "Budget check with {c}",
        "Call: delivery date",
    ],
    &[
        "Quarterly business review",
        "Technical meeting – {o}",
        "Negotiation meeting",
        "Kick-off meeting",
    ],
    &[
        "Sent datasheets",
        "Sent revised quote",
        "Sent reference list",
        "Answered technical questions",
    ],
    &[
        "Internal note",
        "Credit check OK",
        "Competitor spotted on site",
        "Org change at customer",
    ],
];
const SUBJECTS_ZH: [&[&str]; 5] = [
    &[
        "现场拜访",
        "现场勘察 – {o}",
        "与{c}参观车间",
        "调试回访",
        "生产线调研",
    ],
    &[
        "与{c}电话沟通",
        "报价跟进电话",
        "与{c}确认预算",
        "电话确认交货期",
    ],
    &["季度业务回顾", "技术交流会 – {o}", "商务谈判", "项目启动会"],
    &[
        "发送产品资料",
        "发送修改后的报价",
        "发送客户案例",
        "回复技术问题",
    ],
    &[
        "内部备注",
        "信用审核通过",
        "现场发现竞争对手",
        "客户组织架构调整",
    ],
];

/// Activity bodies, by index into schema::ACTIVITY_KINDS.
const BODIES_EN: [&[&str]; 5] = [
    &[
        "Met {c} and the maintenance lead. The current {p} run at their limit; they want a proposal before the summer shutdown.",
        "Walked the line with {c}. Two units leaking at the seals, photos taken. Will offer {p} as replacement.",
        "Measured the pump room for {o}. Space is tight; we need a compact layout drawing.",
        "Commissioning check with {c}: running fine, operators trained. Asked for a reference letter.",
    ],
    &[
        "{c} confirmed the budget is approved for Q{q}. Procurement needs a second supplier quote.",
        "No answer, left a voicemail. Try again Thursday.",
        "Discussed delivery times: they need installation within 8 weeks. Checked with logistics, feasible.",
        "{c} asked about lead times for {p}; promised an answer by Friday.",
    ],
    &[
        "Quarterly review: volumes up, two new lines planned next year. Good chance for {o}.",
        "Price is the main objection; competitor is about 8% cheaper. Stressed lifetime cost and service response.",
        "Technical meeting with {c} and two engineers. Agreed on the specification for {o}.",
        "Negotiated payment terms: 30% down payment, the rest on commissioning.",
    ],
    &[
        "Sent datasheets and the reference list for {p}. {c} will forward them to the technical team.",
        "Sent the revised quote with 5% discount on {p}, valid 30 days.",
        "Answered questions from {c} on materials and certificates.",
        "Sent the installation checklist ahead of the site visit.",
    ],
    &[
        "Credit check OK, limit unchanged.",
        "Competitor was on site last week, offering {p} at a lower price.",
        "{c} is leaving the company at the end of Q{q}; find out who takes over.",
        "Prefers calls in the morning; the plant manager is unreachable on Mondays.",
    ],
];
const BODIES_ZH: [&[&str]; 5] = [
    &[
        "与{c}和设备部负责人见面。现有{p}已满负荷运行，希望在夏季停产检修前收到方案。",
        "与{c}一起查看生产线，两台设备密封漏水，已拍照。建议更换为{p}。",
        "为{o}测量泵房尺寸，空间紧张，需要出紧凑型布置图。",
        "与{c}调试回访：运行正常，操作人员已培训。请客户提供推荐信。",
    ],
    &[
        "{c}确认第{q}季度预算已批，采购需要两家供应商报价。",
        "电话未接通，已留言，周四再联系。",
        "讨论交货期：客户要求8周内完成安装，已与物流确认可行。",
        "{c}询问{p}的交货周期，承诺周五前答复。",
    ],
    &[
        "季度回顾：产量增长，明年计划新增两条生产线，{o}机会较大。",
        "主要异议是价格，竞争对手便宜约8%。强调了全生命周期成本和售后响应。",
        "与{c}及两位工程师开技术交流会，确定了{o}的技术规格。",
        "商务谈判：预付30%，调试验收后付清余款。",
    ],
    &[
        "已发送{p}的技术资料和客户案例，{c}会转给技术部。",
        "已发送修改后的报价，{p}优惠5%，有效期30天。",
        "回复了{c}关于材质和认证的问题。",
        "现场拜访前已发送安装准备清单。",
    ],
    &[
        "信用审核通过，额度不变。",
        "竞争对手上周到现场，{p}报价更低。",
        "{c}将于第{q}季度末离职，需要尽快对接接任者。",
        "客户习惯上午沟通，厂长周一不方便联系。",
    ],
];

const TASKS_EN: &[&str] = &[
    "Send revised quote",
    "Follow up on proposal",
    "Book site visit",
    "Call {c} about budget",
    "Prepare ROI calculation",
    "Check delivery date with logistics",
    "Renew service contract",
    "Send reference list",
    "Update price list",
    "Invite {c} to the trade fair",
];
const TASKS_ZH: &[&str] = &[
    "回访客户",
    "发送修改后的报价",
    "预约现场拜访",
    "跟进报价反馈",
    "与{c}确认预算",
    "确认交货期",
    "准备技术方案",
    "续签维保合同",
    "寄送样品",
    "邀请{c}参加展会",
];

/// Description-only quote lines: English, Chinese, EUR price range.
const SERVICE_LINES: &[(&str, &str, i64, i64)] = &[
    (
        "Installation and commissioning (per day)",
        "安装调试（按天）",
        800,
        1200,
    ),
    ("Freight and packaging", "运输及包装", 150, 900),
    ("Operator training (per day)", "操作培训（按天）", 600, 1000),
    ("Engineering hours", "工程设计服务", 1200, 4000),
    ("Extended warranty, 24 months", "延长质保24个月", 400, 2500),
    ("Site survey", "现场勘察", 300, 800),
];

struct ProductTpl {
    cat: &'static str,
    en: &'static str,
    zh: &'static str,
    models: &'static [&'static str],
    min_eur: i64,
    max_eur: i64,
    noun_en: &'static str,
    noun_zh: &'static str,
    qty: &'static [u32],
}

const fn prod(
    cat: &'static str,
    en: &'static str,
    zh: &'static str,
    models: &'static [&'static str],
    range: (i64, i64),
    nouns: (&'static str, &'static str),
    qty: &'static [u32],
) -> ProductTpl {
    ProductTpl {
        cat,
        en,
        zh,
        models,
        min_eur: range.0,
        max_eur: range.1,
        noun_en: nouns.0,
        noun_zh: nouns.1,
        qty,
    }
}

static PRODUCTS: &[&ProductTpl] = &[
    &prod(
        "PMP",
        "Centrifugal pump CP-{m}",
        "离心泵 CP-{m}",
        &["50", "65", "80", "100", "125", "150"],
        (1800, 9000),
        ("centrifugal pumps", "离心泵"),
        &[1, 1, 2, 2, 3, 4, 6],
    ),
    &prod(
        "PMP",
        "Dosing pump DP-{m}",
        "计量泵 DP-{m}",
        &["10", "25", "60", "120"],
        (600, 3000),
        ("dosing pumps", "计量泵"),
        &[1, 2, 2, 4],
    ),
    &prod(
        "VLV",
        "Butterfly valve DN{m}",
        "蝶阀 DN{m}",
        &["50", "80", "100", "150", "200", "300"],
        (150, 1200),
        ("butterfly valves", "蝶阀"),
        &[2, 4, 6, 8, 10, 12, 20],
    ),
    &prod(
        "VLV",
        "Control valve CV-{m}",
        "调节阀 CV-{m}",
        &["25", "40", "65", "100"],
        (900, 4500),
        ("control valves", "调节阀"),
        &[1, 2, 3, 4],
    ),
    &prod(
        "HEX",
        "Plate heat exchanger PHE-{m}",
        "板式换热器 PHE-{m}",
        &["20", "40", "60", "90"],
        (3000, 25000),
        ("plate heat exchangers", "板式换热器"),
        &[1, 1, 2],
    ),
    &prod(
        "CMP",
        "Screw compressor SC-{m}",
        "螺杆压缩机 SC-{m}",
        &["15", "22", "37", "55", "75"],
        (8000, 45000),
        ("screw compressors", "螺杆压缩机"),
        &[1, 1, 2],
    ),
    &prod(
        "SEN",
        "Electromagnetic flow meter DN{m}",
        "电磁流量计 DN{m}",
        &["25", "50", "80", "100"],
        (400, 2500),
        ("flow meters", "流量计"),
        &[1, 2, 3, 4, 6],
    ),
    &prod(
        "SEN",
        "Pressure transmitter PT-{m}",
        "压力变送器 PT-{m}",
        &["10", "16", "40", "100"],
        (150, 900),
        ("pressure transmitters", "压力变送器"),
        &[2, 4, 5, 8, 10],
    ),
    &prod(
        "CTL",
        "PLC control cabinet CC-{m}",
        "PLC控制柜 CC-{m}",
        &["S", "M", "L"],
        (5000, 20000),
        ("control cabinets", "控制柜"),
        &[1],
    ),
    &prod(
        "MTR",
        "IE4 motor {m} kW",
        "IE4高效电机 {m}kW",
        &["4", "7.5", "11", "15", "22", "37"],
        (500, 6000),
        ("IE4 motors", "高效电机"),
        &[1, 2, 3, 4, 6],
    ),
    &prod(
        "FLT",
        "Cartridge filter housing F-{m}",
        "滤芯过滤器 F-{m}",
        &["5", "10", "20", "40"],
        (200, 1500),
        ("filter housings", "过滤器"),
        &[1, 2, 4, 6],
    ),
    &prod(
        "SPR",
        "Mechanical seal kit MS-{m}",
        "机械密封套件 MS-{m}",
        &["28", "35", "45", "55"],
        (80, 600),
        ("mechanical seals", "机械密封"),
        &[4, 6, 10, 12, 20],
    ),
    &prod(
        "SVC",
        "Annual service contract – {m}",
        "年度维保服务 – {m}",
        &["Basic", "Plus", "Premium"],
        (1500, 12000),
        ("service contracts", "维保服务"),
        &[1],
    ),
    &prod(
        "SVC",
        "Remote monitoring licence, 1 year",
        "远程监控许可（1年）",
        &[],
        (800, 3000),
        ("remote monitoring", "远程监控"),
        &[1, 2, 5, 10],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FieldType, LINE_FIELDS, fields};
    use std::collections::{HashMap, HashSet};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 05 - 14);

    fn book(n: usize, seed: u64) -> Vec<DemoRecord> {
        generate(n, seed, TODAY).collect()
    }

    fn is_decimal(v: &str) -> bool {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let unsigned = v.strip_prefix('-').unwrap_or(v);
        match unsigned.split_once('.') {
            Some((int, frac)) => digits(int) && digits(frac),
            None => digits(unsigned),
        }
    }

    /// Checks one value against its type; `seen` maps the ids yielded so far to their kinds.
    fn check(ty: FieldType, v: &str, seen: &HashMap<Uuid, Kind>) -> Result<(), String> {
        let ok = match ty {
            FieldType::Text => !v.trim().is_empty() && !v.contains('\n'),
            FieldType::LongText | FieldType::User => !v.trim().is_empty(),
            FieldType::Notes | FieldType::Lines => false,
            FieldType::Email => {
                v.split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                    && v.is_ascii()
                    && !v.contains(' ')
            }
            FieldType::Decimal => is_decimal(v),
            FieldType::Percent => {
                is_decimal(v) && (0.0..=100.0).contains(&v.parse::<f64>().unwrap())
            }
            FieldType::Currency => v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()),
            FieldType::Date => {
                time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
                    .is_ok()
            }
            FieldType::DateTime => {
                v.ends_with('Z')
                    && time::OffsetDateTime::parse(
                        v,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .is_ok()
            }
            FieldType::Int { min, max } => v.parse::<i64>().is_ok_and(|i| (min..=max).contains(&i)),
            FieldType::Coordinate { min, max } => {
                is_decimal(v)
                    && v.parse::<f64>()
                        .is_ok_and(|f| (min as f64..=max as f64).contains(&f))
            }
            FieldType::Bool => v == "true" || v == "false",
            FieldType::Enum(values) => values.contains(&v),
            FieldType::Ref(kind) => {
                let id = Uuid::parse_str(v).map_err(|e| format!("{v}: {e}"))?;
                if id.hyphenated().to_string() != v {
                    return Err(format!("{v} is not a lowercase hyphenated uuid"));
                }
                match seen.get(&id) {
                    Some(k) if *k == kind => true,
                    Some(k) => return Err(format!("{v} is a {k}, not a {kind}")),
                    None => return Err(format!("{v} does not refer to an earlier record")),
                }
            }
            FieldType::Tags => v.split(',').all(|t| !t.trim().is_empty()),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("`{v}` is not a valid {ty:?}"))
        }
    }

    fn check_book(records: &[DemoRecord]) {
        let mut seen: HashMap<Uuid, Kind> = HashMap::new();
        for r in records {
            let specs = fields(r.kind);
            let mut names = HashSet::new();
            for (name, value) in &r.fields {
                assert!(!["notes", "lines", "number"].contains(name), "{r:?}");
                assert!(names.insert(*name), "duplicate field {name} in {r:?}");
                let spec = specs
                    .iter()
                    .find(|s| s.name == *name)
                    .unwrap_or_else(|| panic!("{name} on {r:?}"));
                check(spec.ty, value, &seen).unwrap_or_else(|e| panic!("{}.{name}: {e}", r.kind));
                assert!(
                    !value.contains(['{', '}']),
                    "unfilled template in {name}: {value}"
                );
            }
            for spec in specs {
                if spec.required && !["notes", "lines", "number"].contains(&spec.name) {
                    assert!(
                        r.get(spec.name).is_some(),
                        "{} lacks {}: {r:?}",
                        r.kind,
                        spec.name
                    );
                }
            }
            if r.kind == Kind::Account {
                assert!(r.notes.len() <= 3);
                assert!(
                    r.notes
                        .iter()
                        .all(|p| !p.trim().is_empty() && !p.contains('{'))
                );
            } else {
                assert!(r.notes.is_empty());
            }
            if r.kind == Kind::Quote {
                assert!((1..=5).contains(&r.lines.len()), "{r:?}");
                for line in &r.lines {
                    let mut names = HashSet::new();
                    for (name, value) in line {
                        assert_ne!(*name, "line_id");
                        assert!(names.insert(*name));
                        let spec = LINE_FIELDS.iter().find(|s| s.name == *name).unwrap();
                        check(spec.ty, value, &seen).unwrap_or_else(|e| panic!("line {name}: {e}"));
                    }
                    assert!(
                        names.contains("product_id")
                            || (names.contains("description") && names.contains("unit_price"))
                    );
                    assert!(names.contains("quantity"));
                }
            } else {
                assert!(r.lines.is_empty());
            }
            assert!(seen.insert(r.id, r.kind).is_none(), "duplicate id {}", r.id);
            assert_eq!(r.id.get_version_num(), 7);
        }
    }

    #[test]
    fn yields_exactly_n_records() {
        for n in [0, 1, 2, 5, 10, 11, 1000] {
            let book = generate(n, 7, TODAY);
            assert_eq!(book.len(), n);
            assert_eq!(book.count(), n, "n = {n}");
        }
    }

    #[test]
    fn is_deterministic_for_a_seed() {
        let a = book(1000, 42);
        let b = book(1000, 42);
        let c = book(1000, 43);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(a[0].id, c[0].id);
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }

    #[test]
    fn every_record_is_valid_and_refers_only_backwards() {
        for (n, seed) in [(1, 1), (10, 2), (10, 3), (57, 4), (1000, 5), (20_000, 6)] {
            check_book(&book(n, seed));
        }
    }

    #[test]
    fn small_books_start_with_products_then_an_account() {
        for seed in 0..20 {
            let b = book(10, seed);
            let first_other = b.iter().position(|r| r.kind != Kind::Product).unwrap();
            assert!(b[first_other..].iter().all(|r| r.kind != Kind::Product));
            assert_eq!(b[first_other].kind, Kind::Account);
        }
        assert_eq!(book(1, 9)[0].kind, Kind::Account);
    }

    #[test]
    fn kinds_follow_the_expected_mix() {
        let b = book(100_000, 11);
        let count = |k: Kind| b.iter().filter(|r| r.kind == k).count() as f64;
        let accounts = count(Kind::Account);
        assert!((8_500.0..=11_500.0).contains(&accounts), "{accounts}");
        let per = |k: Kind| count(k) / accounts;
        assert!((1.8..=2.2).contains(&per(Kind::Contact)));
        assert!((1.3..=1.7).contains(&per(Kind::Opportunity)));
        assert!(
            (0.4..=0.65).contains(&per(Kind::Quote)),
            "{}",
            per(Kind::Quote)
        );
        assert!((3.2..=3.8).contains(&per(Kind::Activity)));
        assert!((1.3..=1.7).contains(&per(Kind::Task)));
        let products = count(Kind::Product);
        assert!((20.0..=60.0).contains(&products));
        let stages: Vec<&str> = b.iter().filter_map(|r| r.get("stage")).collect();
        let share =
            |s: &str| stages.iter().filter(|x| **x == s).count() as f64 / stages.len() as f64;
        assert!((share("lead") - 0.30).abs() < 0.02);
        assert!((share("lost") - 0.06).abs() < 0.01);
    }

    #[test]
    fn skus_are_unique() {
        for seed in 0..30 {
            let skus: Vec<String> = generate(2000, seed, TODAY)
                .filter(|r| r.kind == Kind::Product)
                .map(|r| r.get("sku").unwrap().to_string())
                .collect();
            let unique: HashSet<_> = skus.iter().collect();
            assert_eq!(unique.len(), skus.len());
            assert!(
                skus.iter().all(|s| s.starts_with("FB-") && s.len() == 11),
                "{skus:?}"
            );
        }
    }

    #[test]
    fn lost_opportunities_have_a_loss_reason_and_dates_fit_the_stage() {
        let b = book(20_000, 12);
        let mut lost = 0;
        for r in b.iter().filter(|r| r.kind == Kind::Opportunity) {
            let stage = r.get("stage").unwrap();
            let close = Date::parse(
                r.get("close_date").unwrap(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .unwrap();
            if stage == "lost" {
                lost += 1;
                assert!(r.get("loss_reason").is_some_and(|s| !s.is_empty()));
            } else {
                assert!(r.get("loss_reason").is_none());
            }
            if stage == "won" || stage == "lost" {
                assert!(close < TODAY);
            } else {
                assert!(close > TODAY && close <= TODAY + Duration::days(275));
            }
        }
        assert!(lost > 0);
    }

    #[test]
    fn activities_are_in_the_past_and_tasks_around_today() {
        let b = book(20_000, 13);
        let now = TODAY.midnight().assume_utc();
        let mut done_past = (0, 0);
        for r in &b {
            if let Some(at) = r.get("at") {
                let at =
                    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                        .unwrap();
                assert!(at < now + Duration::hours(8) && at > now - Duration::days(735));
            }
            if r.kind == Kind::Task {
                let due = Date::parse(
                    r.get("due").unwrap(),
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .unwrap();
                assert!(due >= TODAY - Duration::days(30) && due <= TODAY + Duration::days(60));
                if due < TODAY {
                    done_past.0 += 1;
                    done_past.1 += usize::from(r.get("done") == Some("true"));
                } else {
                    assert!(r.get("done").is_none());
                }
            }
        }
        let share = done_past.1 as f64 / done_past.0 as f64;
        assert!((0.3..0.5).contains(&share), "{share}");
    }

    #[test]
    fn quote_lines_use_products_of_the_quote_currency() {
        let b = book(20_000, 14);
        let currency: HashMap<String, &str> = b
            .iter()
            .filter(|r| r.kind == Kind::Product)
            .map(|r| (r.id.to_string(), r.get("currency").unwrap()))
            .collect();
        let mut product_lines = 0;
        for q in b.iter().filter(|r| r.kind == Kind::Quote) {
            for line in &q.lines {
                if let Some((_, p)) = line.iter().find(|(f, _)| *f == "product_id") {
                    product_lines += 1;
                    assert_eq!(Some(currency[p]), q.get("currency"));
                }
            }
        }
        assert!(product_lines > 100);
    }

    #[test]
    fn a_book_has_chinese_and_western_accounts() {
        let b = book(1000, 15);
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let contacts: Vec<&str> = b
            .iter()
            .filter(|r| r.kind == Kind::Contact)
            .map(|r| r.get("name").unwrap())
            .collect();
        assert!(contacts.iter().any(|n| cjk(n)));
        assert!(contacts.iter().any(|n| !cjk(n)));
        let accounts: Vec<&DemoRecord> = b.iter().filter(|r| r.kind == Kind::Account).collect();
        assert!(
            accounts
                .iter()
                .any(|a| a.get("country") == Some("中国")
                    && a.get("name").unwrap().ends_with("公司"))
        );
        assert!(accounts.iter().any(|a| a.get("country") != Some("中国")));
        for a in accounts {
            let chinese = a.get("country") == Some("中国");
            assert_eq!(cjk(a.get("name").unwrap()), chinese, "{a:?}");
        }
        let currencies: HashSet<&str> = b.iter().filter_map(|r| r.get("currency")).collect();
        assert!(
            currencies.contains("CNY")
                && (currencies.contains("EUR") || currencies.contains("USD"))
        );
    }

    #[test]
    fn every_activity_text_list_has_one_without_a_deal() {
        for lists in [SUBJECTS_EN, SUBJECTS_ZH, BODIES_EN, BODIES_ZH] {
            for list in lists {
                assert!(list.iter().any(|t| !t.contains("{o}")), "{list:?}");
            }
        }
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(cents(1_250_000), "12500.00");
        assert_eq!(cents(124_990), "1249.90");
        assert_eq!(coordinate(360_671), "36.0671");
        assert_eq!(coordinate(-876_298), "-87.6298");
        assert_eq!(coordinate(-3763), "-0.3763");
        assert_eq!(date_string(date!(2026 - 01 - 02)), "2026-01-02");
        assert_eq!(ascii_fold("Lefèvre"), "lefevre");
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        assert_eq!(ascii_fold("van den Berg"), "vandenberg");
        assert_eq!(ascii_fold("Müller"), "mueller");
    }

    /// `cargo test --release -- --ignored --nocapture speed`
    #[test]
    #[ignore]
    fn speed_100k() {
        let start = std::time::Instant::now();
        let mut bytes = 0usize;
        for r in generate(100_000, 1, TODAY) {
            bytes += r.fields.iter().map(|(_, v)| v.len()).sum::<usize>();
        }
        let elapsed = start.elapsed();
        println!("100,000 records in {elapsed:?} ({bytes} bytes of values)");
        assert!(elapsed < std::time::Duration::from_secs(1));
    }
}
