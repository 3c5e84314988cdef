//! Money for Fieldbook: amounts as exact [`Decimal`]s (never floats) tagged with an
//! ISO 4217 currency code.
//!
//! This module knows the active ISO 4217 currencies and their minor units, rounds to
//! a currency's minor unit (half away from zero), formats amounts for people, and
//! computes a quote's line totals, subtotal, tax and total.
//!
//! It must not know about storage, IO or UI: no database, no files, no network, no
//! clock, no exchange rates and no widgets. It is plain arithmetic and text, so it
//! is the same on every device and every replica computes the same totals.

use rust_decimal::{Decimal, RoundingStrategy};

/// Minor-unit digits assumed when a currency code is not known.
const DEFAULT_MINOR_UNITS: u32 = 2;

/// Active ISO 4217 codes with their minor units (list one, as published 2026-01-01).
///
/// Sorted by code, without duplicates, so [`minor_units`] can binary-search it.
/// Codes whose minor unit ISO gives as "N.A." are left out, because they have no
/// money scale to round to: the bond-market units XBA, XBB, XBC and XBD, the precious
/// metals XAG, XAU, XPD and XPT, XDR, XSU, XUA, the testing code XTS and XXX.
/// Withdrawn codes (for example ANG, BGN, CUC, HRK, SLL, ZWL) are not in the list.
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAD", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// Number of minor-unit digits of an active ISO 4217 currency code (upper case,
/// 3 letters), e.g. USD 2, JPY 0, BHD 3, CNY 2, EUR 2, KRW 0, CLP 0, KWD 3, TND 3,
/// ISK 0, VND 0, UYI 0, CLF 4; `None` if not a known code.
///
/// The match is exact: `"usd"` and `" USD"` are not known codes.
#[must_use]
pub fn minor_units(code: &str) -> Option<u32> {
    CURRENCIES
        .binary_search_by(|(known, _)| (*known).cmp(code))
        .ok()
        .map(|index| CURRENCIES[index].1)
}

/// Whether `code` is a known active ISO 4217 code (exact, upper case).
#[must_use]
pub fn is_currency(code: &str) -> bool {
    minor_units(code).is_some()
}

/// Rounds to the currency's minor unit, half away from zero (unknown currency: 2
/// digits). The result has exactly that scale (e.g. 10 USD -> "10.00", 1234.5 JPY ->
/// "1235", -0.125 USD -> "-0.13"). A result that rounds to zero is plain zero,
/// never "-0.00".
///
/// The exact scale cannot be represented for amounts within a few orders of
/// magnitude of [`Decimal::MAX`] (about 7.9e28): those keep the largest scale that
/// fits. Validated money amounts are far below that.
#[must_use]
pub fn round_money(amount: Decimal, currency: &str) -> Decimal {
    let digits = minor_units(currency).unwrap_or(DEFAULT_MINOR_UNITS);
    let mut rounded = amount.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
    // `round_dp` never raises the scale (10 stays "10"); `rescale` pads it. It only
    // adds zeros here, as the value already has at most `digits` decimals.
    rounded.rescale(digits);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// The language of a display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Chinese.
    Zh,
}

/// Formats an amount for people: rounded as [`round_money`], digit groups of three,
/// the currency shown.
///
/// En: "USD 1,234,567.50", "-EUR 12.00", "JPY 1,235". Zh: symbol style for CNY
/// "¥1,234,567.50" ("-¥12.00"), others as "USD 1,234,567.50". Negative amounts get
/// a leading minus; an amount that rounds to zero has none. An empty currency code
/// shows the number alone.
#[must_use]
pub fn format_money(amount: Decimal, currency: &str, locale: Locale) -> String {
    let rounded = round_money(amount, currency);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let digits = rounded.abs().to_string();
    let (integer, fraction) = match digits.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (digits.as_str(), None),
    };
    let mut number = group_thousands(integer);
    if let Some(fraction) = fraction {
        number.push('.');
        number.push_str(fraction);
    }
    match (locale, currency) {
        (Locale::Zh, "CNY") => format!("{sign}¥{number}"),
        (_, "") => format!("{sign}{number}"),
        _ => format!("{sign}{currency} {number}"),
    }
}

/// Puts a comma between groups of three digits, counted from the right.
fn group_thousands(integer: &str) -> String {
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3);
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// One quote line's numbers (already parsed).
#[derive(Clone, Debug, PartialEq)]
pub struct LineAmounts {
    /// How many units.
    pub quantity: Decimal,
    /// Price of one unit, in the quote's currency.
    pub unit_price: Decimal,
    /// Discount in percent: 15 means 15 % off.
    pub discount_pct: Decimal,
}

/// A quote's computed amounts, each rounded to the currency's minor unit.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuoteTotals {
    /// One total per line, in the order of the lines.
    pub line_totals: Vec<Decimal>,
    /// Sum of the line totals.
    pub subtotal: Decimal,
    /// Tax on the subtotal.
    pub tax: Decimal,
    /// Subtotal plus tax.
    pub total: Decimal,
}

/// Computes a quote's amounts in `currency`:
///
/// - line total = round(quantity * unit_price * (100 - discount_pct) / 100)
/// - subtotal   = sum of line totals (already rounded, so the lines add up on paper)
/// - tax        = round(subtotal * tax_pct / 100)
/// - total      = subtotal + tax
///
/// Rounding is [`round_money`]: to the currency's minor unit, half away from zero,
/// with exactly that scale. An empty quote is all zeros at that scale.
///
/// The arithmetic is exact decimal arithmetic (percentages are turned into
/// fractions first, `pct / 100`, which is exact) as long as a product has at most 28
/// significant digits, the precision of [`Decimal`]. Nothing is validated here:
/// negative quantities, discounts over 100 and the like are computed as given.
///
/// Overflow: the result type has no room for an error, so overflow is treated as
/// impossible: callers validate quantities and prices to at most 15 integer digits,
/// and real quotes stay many orders of magnitude below [`Decimal::MAX`] (about
/// 7.9e28). The function still never panics: every step uses checked operations,
/// and a step that overflows yields [`Decimal::MAX`] (or [`Decimal::MIN`] when the
/// true result is negative), which the later steps carry along the same way. Such
/// an amount is a marker of nonsense input, not money, and its scale may be smaller
/// than the currency's.
#[must_use]
pub fn quote_totals(lines: &[LineAmounts], tax_pct: Decimal, currency: &str) -> QuoteTotals {
    let line_totals: Vec<Decimal> = lines
        .iter()
        .map(|line| round_money(line_amount(line), currency))
        .collect();
    let sum = line_totals
        .iter()
        .fold(Decimal::ZERO, |sum, &line| add_or_limit(sum, line));
    let subtotal = round_money(sum, currency);
    let tax = round_money(percent_of(subtotal, tax_pct), currency);
    let total = round_money(add_or_limit(subtotal, tax), currency);
    QuoteTotals {
        line_totals,
        subtotal,
        tax,
        total,
    }
}

/// quantity * unit_price * (100 - discount_pct) / 100, before rounding.
fn line_amount(line: &LineAmounts) -> Decimal {
    let exact = Decimal::ONE_HUNDRED
        .checked_sub(line.discount_pct)
        .and_then(|kept_pct| {
            let kept = kept_pct.checked_div(Decimal::ONE_HUNDRED)?;
            line.quantity
                .checked_mul(line.unit_price)?
                .checked_mul(kept)
        });
    // On overflow the true result's sign is the sign of the product of the factors
    // (none of them is zero, or the product would have been zero).
    exact.unwrap_or_else(|| {
        let negative = line.quantity.is_sign_negative()
            ^ line.unit_price.is_sign_negative()
            ^ (line.discount_pct > Decimal::ONE_HUNDRED);
        limit(negative)
    })
}

/// amount * pct / 100, before rounding.
fn percent_of(amount: Decimal, pct: Decimal) -> Decimal {
    pct.checked_div(Decimal::ONE_HUNDRED)
        .and_then(|fraction| amount.checked_mul(fraction))
        .unwrap_or_else(|| limit(amount.is_sign_negative() != pct.is_sign_negative()))
}

/// a + b, or the limit of their common sign (addition only overflows when the signs
/// are the same).
fn add_or_limit(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b)
        .unwrap_or_else(|| limit(a.is_sign_negative()))
}

/// The overflow fallback: [`Decimal::MAX`], or [`Decimal::MIN`] for a negative result.
fn limit(negative: bool) -> Decimal {
    if negative { Decimal::MIN } else { Decimal::MAX }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn line(quantity: &str, unit_price: &str, discount_pct: &str) -> LineAmounts {
        LineAmounts {
            quantity: d(quantity),
            unit_price: d(unit_price),
            discount_pct: d(discount_pct),
        }
    }

    // --- the currency table ---

    #[test]
    fn table_is_sorted_without_duplicates() {
        for pair in CURRENCIES.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must sort before {}",
                pair[0].0,
                pair[1].0
            );
        }
    }

    #[test]
    fn table_entries_are_well_formed() {
        assert!(CURRENCIES.len() >= 150, "only {} codes", CURRENCIES.len());
        for &(code, digits) in CURRENCIES {
            assert_eq!(code.len(), 3, "{code}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase()), "{code}");
            assert!(digits <= 4, "{code} has {digits} digits");
        }
    }

    #[test]
    fn every_code_in_the_table_is_found() {
        for &(code, digits) in CURRENCIES {
            assert_eq!(minor_units(code), Some(digits), "{code}");
        }
    }

    #[test]
    fn minor_units_of_known_codes() {
        let expected = [
            ("USD", 2),
            ("JPY", 0),
            ("BHD", 3),
            ("CNY", 2),
            ("EUR", 2),
            ("KRW", 0),
            ("CLP", 0),
            ("KWD", 3),
            ("TND", 3),
            ("ISK", 0),
            ("VND", 0),
            ("UYI", 0),
            ("CLF", 4),
            ("UYW", 4),
            ("GBP", 2),
            ("XOF", 0),
            ("AED", 2),
            ("ZWG", 2),
        ];
        for (code, digits) in expected {
            assert_eq!(minor_units(code), Some(digits), "{code}");
        }
    }

    #[test]
    fn unknown_codes_are_none() {
        for code in [
            "", "usd", "Usd", "US", "USDX", " USD", "ZZZ", "XAU", "XXX", "BGN", "ANG",
        ] {
            assert_eq!(minor_units(code), None, "{code:?}");
            assert!(!is_currency(code), "{code:?}");
        }
    }

    #[test]
    fn is_currency_of_known_codes() {
        for code in ["USD", "EUR", "CNY", "JPY", "AED", "ZWG", "XCG"] {
            assert!(is_currency(code), "{code}");
        }
    }

    // --- round_money ---

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_money(d("0.125"), "USD").to_string(), "0.13");
        assert_eq!(round_money(d("-0.125"), "USD").to_string(), "-0.13");
        assert_eq!(round_money(d("2.5"), "JPY").to_string(), "3");
        assert_eq!(round_money(d("-2.5"), "JPY").to_string(), "-3");
        assert_eq!(round_money(d("1.0005"), "BHD").to_string(), "1.001");
        assert_eq!(round_money(d("-1.0005"), "BHD").to_string(), "-1.001");
        // Not banker's rounding: an even neighbour does not win.
        assert_eq!(round_money(d("0.245"), "EUR").to_string(), "0.25");
        assert_eq!(round_money(d("0.124999"), "USD").to_string(), "0.12");
        assert_eq!(round_money(d("-0.124999"), "USD").to_string(), "-0.12");
    }

    #[test]
    fn rounds_to_the_currency_scale() {
        assert_eq!(round_money(d("10"), "USD").to_string(), "10.00");
        assert_eq!(round_money(d("1234.5"), "JPY").to_string(), "1235");
        assert_eq!(round_money(d("1234.4"), "JPY").to_string(), "1234");
        assert_eq!(round_money(d("7"), "BHD").to_string(), "7.000");
        assert_eq!(round_money(d("7.12345"), "KWD").to_string(), "7.123");
        assert_eq!(round_money(d("0.123456"), "CLF").to_string(), "0.1235");
        assert_eq!(round_money(d("99.999"), "USD").to_string(), "100.00");
    }

    #[test]
    fn unknown_currency_rounds_to_two_digits() {
        assert_eq!(round_money(d("1.005"), "ZZZ").to_string(), "1.01");
        assert_eq!(round_money(d("3"), "").to_string(), "3.00");
    }

    #[test]
    fn rounding_to_zero_is_never_negative_zero() {
        let rounded = round_money(d("-0.004"), "USD");
        assert_eq!(rounded.to_string(), "0.00");
        assert!(!rounded.is_sign_negative());
        assert_eq!(round_money(d("-0.4"), "JPY").to_string(), "0");
    }

    #[test]
    fn round_money_never_panics_at_the_limits() {
        assert_eq!(round_money(Decimal::MAX, "USD"), Decimal::MAX);
        assert_eq!(round_money(Decimal::MIN, "BHD"), Decimal::MIN);
    }

    // --- format_money ---

    #[test]
    fn formats_in_english() {
        assert_eq!(
            format_money(d("1234567.5"), "USD", Locale::En),
            "USD 1,234,567.50"
        );
        assert_eq!(format_money(d("-12"), "EUR", Locale::En), "-EUR 12.00");
        assert_eq!(format_money(d("1234.5"), "JPY", Locale::En), "JPY 1,235");
        assert_eq!(format_money(d("999"), "JPY", Locale::En), "JPY 999");
        assert_eq!(format_money(d("100000"), "KRW", Locale::En), "KRW 100,000");
        assert_eq!(format_money(d("0"), "USD", Locale::En), "USD 0.00");
        assert_eq!(
            format_money(d("-1234.5678"), "BHD", Locale::En),
            "-BHD 1,234.568"
        );
        assert_eq!(
            format_money(d("1234567.5"), "CNY", Locale::En),
            "CNY 1,234,567.50"
        );
    }

    #[test]
    fn formats_in_chinese() {
        assert_eq!(
            format_money(d("1234567.5"), "CNY", Locale::Zh),
            "¥1,234,567.50"
        );
        assert_eq!(format_money(d("-12"), "CNY", Locale::Zh), "-¥12.00");
        assert_eq!(
            format_money(d("1234567.5"), "USD", Locale::Zh),
            "USD 1,234,567.50"
        );
        assert_eq!(format_money(d("1234.5"), "JPY", Locale::Zh), "JPY 1,235");
    }

    #[test]
    fn formats_without_negative_zero() {
        assert_eq!(format_money(d("-0.001"), "USD", Locale::En), "USD 0.00");
        assert_eq!(format_money(d("-0.001"), "CNY", Locale::Zh), "¥0.00");
    }

    #[test]
    fn formats_unknown_and_missing_currency() {
        assert_eq!(
            format_money(d("1000.005"), "ZZZ", Locale::En),
            "ZZZ 1,000.01"
        );
        assert_eq!(format_money(d("-1000"), "", Locale::En), "-1,000.00");
    }

    #[test]
    fn groups_thousands() {
        let cases = [
            ("0", "0"),
            ("12", "12"),
            ("123", "123"),
            ("1234", "1,234"),
            ("123456", "123,456"),
            ("1234567", "1,234,567"),
            (
                "79228162514264337593543950335",
                "79,228,162,514,264,337,593,543,950,335",
            ),
        ];
        for (plain, grouped) in cases {
            assert_eq!(group_thousands(plain), grouped);
        }
    }

    // --- quote_totals ---

    #[test]
    fn three_line_quote_by_hand() {
        let lines = [
            // 3 * 19.99 = 59.97, 10 % off: 53.973 -> 53.97
            line("3", "19.99", "10"),
            // 2.5 * 4.01 = 10.025, no discount -> 10.03 (half away from zero)
            line("2.5", "4.01", "0"),
            // 1 * 100 = 100, 12.5 % off -> 87.50
            line("1", "100", "12.5"),
        ];
        let totals = quote_totals(&lines, d("8.25"), "USD");
        // subtotal 53.97 + 10.03 + 87.50 = 151.50; tax 151.50 * 8.25 % = 12.49875 -> 12.50
        let expected = QuoteTotals {
            line_totals: vec![d("53.97"), d("10.03"), d("87.50")],
            subtotal: d("151.50"),
            tax: d("12.50"),
            total: d("164.00"),
        };
        assert_eq!(totals, expected);
        assert_eq!(totals.total.to_string(), "164.00");
        assert_eq!(totals.line_totals[2].to_string(), "87.50");
    }

    #[test]
    fn subtotal_adds_the_rounded_lines() {
        // Each line is 0.335 -> 0.34; the sum of rounded lines is 1.02, while the
        // unrounded sum 1.005 would have rounded to 1.01.
        let lines = vec![line("1", "0.335", "0"); 3];
        let totals = quote_totals(&lines, Decimal::ZERO, "USD");
        assert_eq!(totals.subtotal.to_string(), "1.02");
        assert_eq!(totals.tax.to_string(), "0.00");
        assert_eq!(totals.total.to_string(), "1.02");
    }

    #[test]
    fn quote_in_yen_and_dinar() {
        let yen = quote_totals(&[line("3", "333.5", "0")], d("10"), "JPY");
        // 1000.5 -> 1001; tax 100.1 -> 100
        assert_eq!(yen.line_totals[0].to_string(), "1001");
        assert_eq!(yen.tax.to_string(), "100");
        assert_eq!(yen.total.to_string(), "1101");

        let dinar = quote_totals(&[line("1", "1.2345", "0")], d("5"), "BHD");
        // 1.2345 -> 1.235; tax 0.06175 -> 0.062
        assert_eq!(dinar.line_totals[0].to_string(), "1.235");
        assert_eq!(dinar.tax.to_string(), "0.062");
        assert_eq!(dinar.total.to_string(), "1.297");
    }

    #[test]
    fn negative_line_rounds_away_from_zero() {
        // A credit line: -1 * 0.125 = -0.125 -> -0.13
        let totals = quote_totals(&[line("-1", "0.125", "0")], Decimal::ZERO, "USD");
        assert_eq!(totals.line_totals[0].to_string(), "-0.13");
        assert_eq!(totals.total.to_string(), "-0.13");
    }

    #[test]
    fn empty_quote_is_zero_at_the_currency_scale() {
        let usd = quote_totals(&[], d("20"), "USD");
        assert!(usd.line_totals.is_empty());
        assert_eq!(usd.subtotal.to_string(), "0.00");
        assert_eq!(usd.tax.to_string(), "0.00");
        assert_eq!(usd.total.to_string(), "0.00");

        let yen = quote_totals(&[], d("20"), "JPY");
        assert_eq!(yen.total.to_string(), "0");
        let dinar = quote_totals(&[], d("20"), "KWD");
        assert_eq!(dinar.total.to_string(), "0.000");
    }

    #[test]
    fn full_discount_is_zero() {
        let totals = quote_totals(&[line("5", "12.34", "100")], d("10"), "EUR");
        assert_eq!(totals.line_totals[0].to_string(), "0.00");
        assert_eq!(totals.total.to_string(), "0.00");
    }

    #[test]
    fn overflow_falls_back_to_the_limit_without_panicking() {
        let huge = line("999999999999999", "999999999999999", "0");
        let totals = quote_totals(&[huge.clone(), huge], d("10"), "USD");
        assert_eq!(totals.line_totals[0], Decimal::MAX);
        assert_eq!(totals.subtotal, Decimal::MAX);
        assert_eq!(totals.total, Decimal::MAX);

        let negative = line("-999999999999999", "999999999999999", "0");
        let totals = quote_totals(&[negative], d("10"), "USD");
        assert_eq!(totals.line_totals[0], Decimal::MIN);
        assert_eq!(totals.total, Decimal::MIN);

        let totals = quote_totals(&[line("1", "1", "0")], Decimal::MAX, "USD");
        assert_eq!(totals.subtotal.to_string(), "1.00");
        assert_eq!(
            totals.tax,
            round_money(Decimal::MAX / Decimal::ONE_HUNDRED, "USD")
        );
    }

    // --- properties ---

    /// A currency from the table, or one that is not known.
    fn any_currency() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            9 => (0..CURRENCIES.len()).prop_map(|index| CURRENCIES[index].0),
            1 => Just("ZZZ"),
        ]
    }

    /// A decimal with the given mantissa range and up to `max_scale` decimals.
    fn decimal(
        mantissa: std::ops::RangeInclusive<i64>,
        max_scale: u32,
    ) -> impl Strategy<Value = Decimal> {
        (mantissa, 0..=max_scale).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
    }

    /// Lines within what callers validate, far from overflow.
    fn any_line() -> impl Strategy<Value = LineAmounts> {
        (
            decimal(-1_000_000_000..=1_000_000_000, 4),
            decimal(-1_000_000_000_000..=1_000_000_000_000, 4),
            decimal(0..=10_000, 2),
        )
            .prop_map(|(quantity, unit_price, discount_pct)| LineAmounts {
                quantity,
                unit_price,
                discount_pct,
            })
    }

    fn scale_of(currency: &str) -> u32 {
        minor_units(currency).unwrap_or(DEFAULT_MINOR_UNITS)
    }

    proptest! {
        #[test]
        fn total_is_subtotal_plus_tax(
            lines in prop::collection::vec(any_line(), 0..8),
            tax_pct in decimal(0..=30_000, 3),
            currency in any_currency(),
        ) {
            let totals = quote_totals(&lines, tax_pct, currency);
            prop_assert_eq!(totals.total, totals.subtotal + totals.tax);
        }

        #[test]
        fn subtotal_is_sum_of_line_totals(
            lines in prop::collection::vec(any_line(), 0..8),
            tax_pct in decimal(0..=30_000, 3),
            currency in any_currency(),
        ) {
            let totals = quote_totals(&lines, tax_pct, currency);
            prop_assert_eq!(totals.line_totals.len(), lines.len());
            let sum: Decimal = totals.line_totals.iter().sum();
            prop_assert_eq!(totals.subtotal, sum);
        }

        #[test]
        fn every_amount_has_the_currency_scale(
            lines in prop::collection::vec(any_line(), 0..8),
            tax_pct in decimal(0..=30_000, 3),
            currency in any_currency(),
        ) {
            let totals = quote_totals(&lines, tax_pct, currency);
            let scale = scale_of(currency);
            for amount in totals.line_totals.iter().chain([&totals.subtotal, &totals.tax, &totals.total]) {
                prop_assert_eq!(amount.scale(), scale, "{} in {}", amount, currency);
            }
        }

        #[test]
        fn line_total_is_within_half_a_minor_unit(
            line in any_line(),
            currency in any_currency(),
        ) {
            let totals = quote_totals(std::slice::from_ref(&line), Decimal::ZERO, currency);
            let exact = line.quantity * line.unit_price * (Decimal::ONE_HUNDRED - line.discount_pct)
                / Decimal::ONE_HUNDRED;
            let half_unit = Decimal::new(5, scale_of(currency) + 1);
            prop_assert!((totals.line_totals[0] - exact).abs() <= half_unit,
                "{} vs exact {}", totals.line_totals[0], exact);
        }

        #[test]
        fn round_money_is_idempotent(
            amount in decimal(i64::MIN..=i64::MAX, 10),
            currency in any_currency(),
        ) {
            let once = round_money(amount, currency);
            prop_assert_eq!(round_money(once, currency), once);
            prop_assert_eq!(round_money(once, currency).scale(), once.scale());
        }

        #[test]
        fn round_money_is_closest_with_ties_away_from_zero(
            amount in decimal(i64::MIN..=i64::MAX, 10),
            currency in any_currency(),
        ) {
            let scale = scale_of(currency);
            let rounded = round_money(amount, currency);
            prop_assert_eq!(rounded.scale(), scale);
            let error = amount - rounded;
            let half_unit = Decimal::new(5, scale + 1);
            prop_assert!(error.abs() <= half_unit, "{} -> {}", amount, rounded);
            if error.abs() == half_unit {
                // A tie went away from zero: the rounded value is further from zero.
                prop_assert!(rounded.abs() > amount.abs(), "{} -> {}", amount, rounded);
            }
        }

        #[test]
        fn format_shows_the_rounded_amount(
            amount in decimal(i64::MIN..=i64::MAX, 6),
            currency in any_currency(),
            zh in any::<bool>(),
        ) {
            let locale = if zh { Locale::Zh } else { Locale::En };
            let text = format_money(amount, currency, locale);
            let unsigned = text.strip_prefix('-').unwrap_or(&text);
            let number = unsigned
                .strip_prefix('¥')
                .or_else(|| unsigned.strip_prefix(&format!("{currency} ")))
                .unwrap();
            let integer = number.split('.').next().unwrap();
            for (index, group) in integer.split(',').enumerate() {
                let len = group.len();
                prop_assert!(len == 3 || (index == 0 && (1..=3).contains(&len)), "{}", text);
            }
            let parsed = Decimal::from_str(&number.replace(',', "")).unwrap();
            let signed = if text.starts_with('-') { -parsed } else { parsed };
            prop_assert_eq!(signed, round_money(amount, currency));
            prop_assert_eq!(parsed.scale(), scale_of(currency));
        }
    }
}
