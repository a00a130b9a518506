//! Money: exact amounts in a tree's currency, kept as whole minor units (never floats),
//! read as people type them (`2.000.000` đồng) and written back in the reader's digits by the pages.

use crate::FieldError;

/// How many digits a currency has after the point: none for the Vietnamese đồng and
/// the Iranian rial, two for the rupee and most others.
pub fn minor_digits(currency: &str) -> u32 {
    if WHOLE.contains(&currency) {
        0
    } else {
        2
    }
}

/// The currencies without minor units that Muster's users keep.
pub const WHOLE: [&str; 5] = ["VND", "IRR", "IRT", "JPY", "KRW"];

/// An amount as typed (`1,250.50`; `1.250,50` is not taken, but `2.000.000` is in a
/// currency without decimals; spaces and thin spaces
/// between thousands are), in whole minor units of `currency`: refused when negative,
/// with more decimals than the currency has, or not a number.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, FieldError> {
    let digits = minor_digits(currency);
    let t: String = crate::names::digits_to_ascii(text.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{202f}' | '\u{00a0}' | '\u{066c}'))
        .map(|c| if c == '\u{066b}' { '.' } else { c })
        .collect();
    // Where a currency has no decimals, dots can only group thousands (`2.000.000`
    // as Vietnamese write it).
    let grouped = |t: &str| {
        let mut parts = t.split('.');
        let first = parts.next().unwrap_or("");
        t.contains('.') && (1..=3).contains(&first.len()) && parts.all(|p| p.len() == 3)
    };
    let t = if digits == 0 && grouped(&t) {
        t.replace('.', "")
    } else {
        t
    };
    if t.starts_with('-') {
        return Err(FieldError::new("negative_amount"));
    }
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    let all = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all(whole) || !all(frac) || whole.len() > 15 {
        return Err(FieldError::new("invalid_amount"));
    }
    if frac.len() > digits as usize {
        return Err(FieldError::new("too_many_decimals"));
    }
    let scale = 10i64.pow(digits);
    let whole: i64 = whole
        .parse()
        .map_err(|_| FieldError::new("invalid_amount"))?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = digits as usize)
            .parse()
            .map_err(|_| FieldError::new("invalid_amount"))?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(|| FieldError::new("invalid_amount"))
}

/// An amount in minor units written with its decimals (`1250.50`), digits in ASCII.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        m / scale as u64,
        m % scale as u64,
        width = digits as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_in_minor_units() {
        assert_eq!(parse_amount("1,250.50", "INR").unwrap(), 125_050);
        assert_eq!(parse_amount("1250.5", "INR").unwrap(), 125_050);
        assert_eq!(parse_amount("۵۰۰ ۰۰۰", "IRR").unwrap(), 500_000);
        assert_eq!(parse_amount("2.000.000", "VND").unwrap(), 2_000_000);
        assert_eq!(
            parse_amount("2.000.000", "INR").unwrap_err().code,
            "invalid_amount"
        );
        assert_eq!(parse_amount("2 000 000", "VND").unwrap(), 2_000_000);
        assert_eq!(
            parse_amount("0.1", "VND").unwrap_err().code,
            "too_many_decimals"
        );
        assert_eq!(
            parse_amount("10.001", "INR").unwrap_err().code,
            "too_many_decimals"
        );
        assert_eq!(
            parse_amount("-5", "INR").unwrap_err().code,
            "negative_amount"
        );
        assert_eq!(
            parse_amount("abc", "INR").unwrap_err().code,
            "invalid_amount"
        );
        assert_eq!(parse_amount("", "INR").unwrap_err().code, "invalid_amount");
        // 0.1 + 0.2 is 0.3 here, as money should be.
        let sum = parse_amount("0.1", "INR").unwrap() + parse_amount("0.2", "INR").unwrap();
        assert_eq!(format_amount(sum, "INR"), "0.30");
        assert_eq!(format_amount(125_050, "INR"), "1250.50");
        assert_eq!(format_amount(500_000, "IRR"), "500000");
    }
}
