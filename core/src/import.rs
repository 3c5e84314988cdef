//! Which column of a spreadsheet is which field: headers as people write them, in English
//! and Chinese (`Company name`, `公司名称`, `E-Mail`, `电话`, `城市` ...), guessed per kind and
//! overridable (`--map column=field`), and which row holds the headers.
//!
//! Pure: reading files (encodings, delimiters, XLSX) is the device's; checking each value
//! is [`crate::value`]'s; finding a row's account by name is the store's.

use crate::error::{CoreError, Result};
use crate::kind::Kind;
use crate::schema::{self, Edit, FieldSpec};

/// Headers people use for a field, normalized (see [`normalize_header`]). The first list
/// whose field the kind has wins, so `company` is an account's name but a contact's
/// account.
const SYNONYMS: &[(&[Kind], &str, &[&str])] = &[
    (
        &[Kind::Contact, Kind::Opportunity],
        "account_id",
        &[
            "account",
            "accountname",
            "accountid",
            "company",
            "companyname",
            "customer",
            "customername",
            "organization",
            "organisation",
            "firma",
            "公司",
            "公司名称",
            "客户",
            "客户名称",
            "所属公司",
            "所属客户",
            "企业名称",
            "单位名称",
        ],
    ),
    (
        &[Kind::Account],
        "name",
        &[
            "name",
            "company",
            "companyname",
            "account",
            "accountname",
            "customer",
            "customername",
            "organization",
            "organisation",
            "firma",
            "公司",
            "公司名称",
            "客户",
            "客户名称",
            "名称",
            "企业名称",
            "单位名称",
        ],
    ),
    (
        &[Kind::Contact],
        "name",
        &[
            "name",
            "contact",
            "contactname",
            "fullname",
            "person",
            "姓名",
            "联系人",
            "名字",
        ],
    ),
    (
        &[Kind::Opportunity],
        "name",
        &[
            "name",
            "opportunity",
            "opportunityname",
            "deal",
            "dealname",
            "project",
            "商机",
            "商机名称",
            "机会名称",
            "项目",
            "项目名称",
            "名称",
        ],
    ),
    (
        &[Kind::Product],
        "name",
        &[
            "name",
            "product",
            "productname",
            "description",
            "产品名称",
            "品名",
            "名称",
        ],
    ),
    (
        &[Kind::Account, Kind::Contact],
        "phone",
        &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "phonenumber",
            "电话",
            "手机",
            "联系电话",
            "电话号码",
            "手机号",
            "手机号码",
            "座机",
        ],
    ),
    (
        &[Kind::Account, Kind::Contact],
        "email",
        &[
            "email",
            "mail",
            "emailaddress",
            "邮箱",
            "电子邮件",
            "邮件",
            "电子邮箱",
        ],
    ),
    (
        &[Kind::Account],
        "website",
        &[
            "website", "web", "url", "homepage", "site", "网站", "网址", "主页", "官网",
        ],
    ),
    (
        &[Kind::Account],
        "address",
        &[
            "address",
            "street",
            "streetaddress",
            "地址",
            "详细地址",
            "街道",
            "通讯地址",
        ],
    ),
    (
        &[Kind::Account],
        "city",
        &["city", "town", "城市", "市", "所在城市"],
    ),
    (
        &[Kind::Account],
        "country",
        &["country", "国家", "国家地区"],
    ),
    (
        &[Kind::Account],
        "industry",
        &["industry", "sector", "行业", "所属行业"],
    ),
    (&[Kind::Account], "tags", &["tags", "tag", "labels", "标签"]),
    (
        &[Kind::Account],
        "notes",
        &["notes", "note", "comments", "remarks", "备注", "说明"],
    ),
    (
        &[Kind::Contact],
        "title",
        &["title", "jobtitle", "position", "职位", "职务", "头衔"],
    ),
    (&[Kind::Contact], "role", &["role", "角色"]),
    (
        &[Kind::Opportunity],
        "stage",
        &["stage", "status", "salesstage", "阶段", "销售阶段"],
    ),
    (
        &[Kind::Opportunity],
        "amount",
        &[
            "amount",
            "value",
            "dealvalue",
            "金额",
            "预计金额",
            "合同金额",
            "商机金额",
        ],
    ),
    (
        &[Kind::Opportunity, Kind::Product],
        "currency",
        &["currency", "币种", "货币"],
    ),
    (
        &[Kind::Opportunity],
        "close_date",
        &[
            "closedate",
            "expectedclose",
            "expectedclosedate",
            "close",
            "预计成交日期",
            "成交日期",
            "结束日期",
        ],
    ),
    (
        &[Kind::Opportunity],
        "probability",
        &["probability", "概率", "赢率", "成交概率"],
    ),
    (&[Kind::Opportunity], "next_step", &["nextstep", "下一步"]),
    (
        &[Kind::Opportunity],
        "loss_reason",
        &["lossreason", "丢单原因", "输单原因"],
    ),
    (
        &[Kind::Product],
        "sku",
        &[
            "sku",
            "code",
            "productcode",
            "itemno",
            "itemnumber",
            "编码",
            "产品编码",
            "货号",
            "物料编码",
        ],
    ),
    (
        &[Kind::Product],
        "unit_price",
        &["price", "unitprice", "listprice", "单价", "价格"],
    ),
];

/// A header as compared: full-width folded, lower case, without spaces, punctuation or
/// underscores (`E-Mail Address` → `emailaddress`, `公司名称：` → `公司名称`).
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The field a header most likely means for records of `kind`.
pub fn guess(kind: Kind, header: &str) -> Option<&'static FieldSpec> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    if let Some(spec) = schema::field(kind, &h).filter(|s| importable(s)) {
        return Some(spec);
    }
    SYNONYMS
        .iter()
        .filter(|(kinds, ..)| kinds.contains(&kind))
        .find(|(_, _, words)| words.contains(&h.as_str()))
        .and_then(|(_, field, _)| schema::field(kind, field))
        .or_else(|| {
            // `account_name` → `accountname`, `close_date` → `closedate`.
            schema::fields(kind)
                .iter()
                .find(|s| importable(s) && normalize_header(s.name) == h)
        })
}

/// Whether a field can come from a spreadsheet (not assigned numbers or quote lines).
fn importable(spec: &FieldSpec) -> bool {
    matches!(spec.edit, Edit::Free | Edit::CreateOnly)
}

/// The fields of `kind` a column may fill, in the schema's order.
pub fn importable_fields(kind: Kind) -> Vec<&'static str> {
    schema::fields(kind)
        .iter()
        .filter(|s| importable(s))
        .map(|s| s.name)
        .collect()
}

/// The row (among the first ten) that holds the headers: the first where at least half of
/// the filled cells, and at least one, are headers known for `kind`; else the first row
/// with anything in it.
pub fn header_row(rows: &[Vec<String>], kind: Kind) -> usize {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    for (i, row) in rows.iter().take(10).enumerate() {
        let known = row.iter().filter(|c| guess(kind, c).is_some()).count();
        if known > 0 && known * 2 >= filled(row) {
            return i;
        }
    }
    rows.iter().position(|r| filled(r) > 0).unwrap_or(0)
}

/// A column's field, chosen by the user: `COLUMN=FIELD`, where COLUMN is a header or a
/// 1-based column number, and an empty FIELD (or `-`) skips the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    pub column: String,
    pub field: String,
}

impl Override {
    pub fn parse(arg: &str) -> Result<Override> {
        let (column, field) = arg
            .split_once('=')
            .filter(|(c, _)| !c.trim().is_empty())
            .ok_or_else(|| CoreError::NotAnAssignment(arg.to_string()))?;
        Ok(Override {
            column: column.trim().to_string(),
            field: field.trim().to_string(),
        })
    }
}

/// Each column's field (`None`: not imported), from the headers and the user's overrides.
/// Refuses an override naming no column or an unknown field, and two columns for one field.
pub fn map_columns(
    kind: Kind,
    headers: &[String],
    overrides: &[Override],
) -> Result<Vec<Option<&'static FieldSpec>>> {
    let mut map: Vec<Option<&'static FieldSpec>> = headers.iter().map(|h| guess(kind, h)).collect();
    for o in overrides {
        let index = match o.column.parse::<usize>() {
            Ok(n) if (1..=headers.len()).contains(&n) => n - 1,
            _ => headers
                .iter()
                .position(|h| h.trim() == o.column || normalize_header(h) == normalize_header(&o.column))
                .ok_or_else(|| CoreError::InvalidValue {
                    field: "--map".into(),
                    value: o.column.clone(),
                    expected: format!(
                        "a column of the file (a header or a number from 1 to {}); its headers are: {}",
                        headers.len(),
                        headers.join(", ")
                    ),
                })?,
        };
        map[index] = if o.field.is_empty() || o.field == "-" {
            None
        } else {
            let spec = schema::field(kind, &o.field)
                .filter(|s| importable(s))
                .ok_or_else(|| CoreError::UnknownField {
                    kind: kind.a().into(),
                    field: o.field.clone(),
                    known: schema::fields(kind)
                        .iter()
                        .filter(|s| importable(s))
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            Some(spec)
        };
    }
    for (i, spec) in map.iter().enumerate() {
        if let Some(spec) = spec
            && let Some(j) = map[i + 1..]
                .iter()
                .position(|s| s.is_some_and(|s| s.name == spec.name))
        {
            return Err(CoreError::InvalidValue {
                field: "--map".into(),
                value: format!("{} and {}", headers[i], headers[i + 1 + j]),
                expected: format!(
                    "one column for `{}`: skip the other with --map \"{}=\"",
                    spec.name,
                    headers[i + 1 + j]
                ),
            });
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kind: Kind, headers: &[&str]) -> Vec<Option<&'static str>> {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        map_columns(kind, &h, &[])
            .unwrap()
            .into_iter()
            .map(|s| s.map(|s| s.name))
            .collect()
    }

    #[test]
    fn english_and_chinese_headers() {
        assert_eq!(
            names(
                Kind::Account,
                &[
                    "公司名称",
                    "电话",
                    "城市",
                    "网址",
                    "E-Mail",
                    "备注",
                    "Umsatz"
                ]
            ),
            vec![
                Some("name"),
                Some("phone"),
                Some("city"),
                Some("website"),
                Some("email"),
                Some("notes"),
                None
            ]
        );
        assert_eq!(
            names(
                Kind::Contact,
                &["Company", "Full Name", "Job Title", "Mobile"]
            ),
            vec![
                Some("account_id"),
                Some("name"),
                Some("title"),
                Some("phone")
            ]
        );
        assert_eq!(
            names(
                Kind::Opportunity,
                &[
                    "客户名称",
                    "商机名称",
                    "阶段",
                    "金额",
                    "币种",
                    "预计成交日期"
                ]
            ),
            vec![
                Some("account_id"),
                Some("name"),
                Some("stage"),
                Some("amount"),
                Some("currency"),
                Some("close_date")
            ]
        );
        assert_eq!(
            names(
                Kind::Product,
                &["SKU", "Product Name", "Unit Price", "Currency"]
            ),
            vec![
                Some("sku"),
                Some("name"),
                Some("unit_price"),
                Some("currency")
            ]
        );
        assert_eq!(
            names(Kind::Account, &["ＣＩＴＹ", "close_date"]),
            vec![Some("city"), None]
        );
    }

    #[test]
    fn overrides_and_their_errors() {
        let h: Vec<String> = ["Firma", "Ort", "Telefon"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = [
            Override::parse("Ort=city").unwrap(),
            Override::parse("3=phone").unwrap(),
        ];
        let m = map_columns(Kind::Account, &h, &o).unwrap();
        assert_eq!(
            m.iter().map(|s| s.map(|s| s.name)).collect::<Vec<_>>(),
            vec![Some("name"), Some("city"), Some("phone")]
        );
        let skip = [Override::parse("Firma=").unwrap()];
        assert!(map_columns(Kind::Account, &h, &skip).unwrap()[0].is_none());
        let e =
            map_columns(Kind::Account, &h, &[Override::parse("Nope=city").unwrap()]).unwrap_err();
        assert!(e.to_string().contains("Firma, Ort, Telefon"), "{e}");
        let e =
            map_columns(Kind::Account, &h, &[Override::parse("Ort=colour").unwrap()]).unwrap_err();
        assert!(matches!(e, CoreError::UnknownField { .. }), "{e}");
        let e =
            map_columns(Kind::Account, &h, &[Override::parse("Ort=name").unwrap()]).unwrap_err();
        assert!(e.to_string().contains("one column for `name`"), "{e}");
        assert!(Override::parse("nothing").is_err());
    }

    #[test]
    fn the_header_row_is_found_below_a_title() {
        let rows: Vec<Vec<String>> = [
            vec!["客户清单 2026", "", ""],
            vec!["", "", ""],
            vec!["公司名称", "电话", "城市"],
            vec!["青岛啤酒股份有限公司", "0532-85955555", "青岛"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        assert_eq!(header_row(&rows, Kind::Account), 2);
        let bare: Vec<Vec<String>> = vec![vec!["x".into(), "y".into()]];
        assert_eq!(header_row(&bare, Kind::Account), 0);
    }
}
