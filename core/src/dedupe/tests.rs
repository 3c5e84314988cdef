//! Hand-made pairs that must and must not be found, in Chinese and Latin scripts.

use super::*;

fn company(n: u128, name: &str) -> Candidate {
    Candidate {
        id: Uuid::from_u128(n),
        name: name.into(),
        ..Candidate::default()
    }
}

fn likely(a: &Candidate, b: &Candidate, subject: Subject) -> bool {
    score(a, b, subject).0 >= LIKELY
}

#[test]
fn names_normalize_across_width_case_punctuation_and_suffixes() {
    let c = |s| normalize_name(s, Subject::Company);
    assert_eq!(c("青岛啤酒股份有限公司"), "青岛啤酒");
    assert_eq!(c("青岛啤酒有限公司"), "青岛啤酒");
    assert_eq!(c("青岛啤酒（集团）有限公司"), "青岛啤酒");
    assert_eq!(c("Acme Industrial GmbH"), "acmeindustrial");
    assert_eq!(c("ACME Industrial, Inc."), "acmeindustrial");
    assert_eq!(c("ＡＣＭＥ　Ｉｎｄｕｓｔｒｉａｌ"), "acmeindustrial");
    assert_eq!(c("Shanghai Electric Co., Ltd."), "shanghaielectric");
    assert_eq!(c("Siemens AG"), "siemens");
    assert_eq!(c("Ltd."), "ltd", "a suffix alone is the name");
    assert!(!c("有限公司").is_empty(), "something is always left");
    assert_eq!(normalize_name("Wang  Fang", Subject::Person), "wangfang");
    assert_eq!(
        normalize_name("Li Co", Subject::Person),
        "lico",
        "people keep every word"
    );
}

#[test]
fn pairs_that_must_match() {
    let must = [
        ("青岛啤酒股份有限公司", "青岛啤酒有限公司"),
        ("青岛啤酒股份有限公司", "青岛啤酒"),
        ("Acme Industrial GmbH", "ACME Industrial"),
        ("ＡＣＭＥ　Ｉｎｄｕｓｔｒｉａｌ", "Acme Industrial Inc."),
        ("Shanghai Electric Co., Ltd.", "Shanghai Electric"),
        ("Hanseatic Logistics GmbH", "Hanseatic Logistik GmbH"),
    ];
    for (a, b) in must {
        assert!(
            likely(&company(1, a), &company(2, b), Subject::Company),
            "{a} ~ {b}: {:?}",
            score(&company(1, a), &company(2, b), Subject::Company)
        );
    }
    // Other names, but the same switchboard, written two ways.
    let mut a = company(1, "Haier Smart Home");
    a.phone = Some("+86 532 8893 8888".into());
    let mut b = company(2, "海尔智家");
    b.phone = Some("0532-88938888".into());
    let (s, reasons) = score(&a, &b, Subject::Company);
    assert!(
        s >= LIKELY && reasons == vec![Reason::SamePhone],
        "{s} {reasons:?}"
    );
    // The same company domain, from a website and an e-mail address.
    let mut a = company(1, "Nordlicht Energie");
    a.website = Some("https://www.nordlicht-energie.de/kontakt".into());
    let mut b = company(2, "NL Energy");
    b.email = Some("info@nordlicht-energie.de".into());
    assert!(likely(&a, &b, Subject::Company));
    // People: the same e-mail address.
    let mut p = company(1, "Fang Wang");
    p.email = Some("Wang.Fang@example.cn".into());
    let mut q = company(2, "王芳");
    q.email = Some("wang.fang@example.cn".into());
    assert!(likely(&p, &q, Subject::Person));
    assert!(likely(
        &company(1, "王 芳"),
        &company(2, "王芳"),
        Subject::Person
    ));
}

#[test]
fn pairs_that_must_not_match() {
    let must_not = [
        ("青岛啤酒股份有限公司", "青岛海尔股份有限公司"),
        ("Acme Industrial GmbH", "Acme Logistics GmbH"),
        ("北京电力有限公司", "上海电力有限公司"),
        ("Delta Pumps", "Delta Valves"),
    ];
    for (a, b) in must_not {
        assert!(
            !likely(&company(1, a), &company(2, b), Subject::Company),
            "{a} !~ {b}: {:?}",
            score(&company(1, a), &company(2, b), Subject::Company)
        );
    }
    // Two companies whose contacts use a public mail provider share nothing.
    let mut a = company(1, "Alpha Tools");
    a.email = Some("alpha.tools@gmail.com".into());
    let mut b = company(2, "Beta Foods");
    b.email = Some("beta.foods@gmail.com".into());
    assert!(!likely(&a, &b, Subject::Company));
    // Short numbers (extensions) are not phones to compare.
    let mut a = company(1, "Alpha Tools");
    a.phone = Some("123".into());
    let mut b = company(2, "Beta Foods");
    b.phone = Some("0123".into());
    assert!(!likely(&a, &b, Subject::Company));
    assert!(!likely(
        &company(1, "Li Wei"),
        &company(2, "Li Na"),
        Subject::Person
    ));
}

#[test]
fn find_reports_each_pair_once_best_first() {
    let mut list = vec![
        company(1, "青岛啤酒股份有限公司"),
        company(2, "青岛啤酒有限公司"),
        company(3, "青岛海尔股份有限公司"),
        company(4, "Acme Industrial GmbH"),
        company(5, "ACME INDUSTRIAL"),
        company(6, "Acme Logistics"),
    ];
    list[5].phone = Some("+49 30 1234567".into());
    list[3].phone = Some("030 1234567".into());
    let pairs = find(&list, Subject::Company);
    let found: Vec<_> = pairs
        .iter()
        .map(|p| (p.a.as_u128(), p.b.as_u128()))
        .collect();
    assert_eq!(found, vec![(1, 2), (4, 5), (4, 6)], "{pairs:?}");
    assert_eq!(pairs[0].reasons, vec![Reason::SameName]);
    assert_eq!(pairs[2].reasons, vec![Reason::SamePhone]);
}
