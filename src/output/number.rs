//! How numbers are printed.
//!
//! - In CSV files: [`format_number`], the shortest text that reads back as the value rounded to 6 decimals, with
//!   an ASCII `-`, so that any CSV reader parses it.
//! - For readers (the console, the report, charts): [`thousands`] and [`thousands_with`] group thousands and
//!   print a negative number with the minus sign `−` (U+2212), and [`signed`] prints a difference with its sign
//!   and a precision that suits its size. The console and the report use the same functions, so a difference
//!   reads the same in both: `+12`, `−3.4`, `+0.05`, `0`.

/// Rounds to 6 decimal places and prints the shortest text that reads back as that value; empty for undefined
/// (NaN) values. Deterministic, so identical results give identical bytes.
pub fn format_number(value: f64) -> String {
    if value.is_nan() {
        return String::new();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    let rounded = (value * 1e6).round() / 1e6;
    // Large magnitudes do not survive the multiplication exactly; print them as they are.
    let shown = if rounded.is_finite() && value.abs() < 1e12 { rounded } else { value };
    if shown == 0.0 { "0".to_string() } else { format!("{shown}") }
}

/// A number with thousands separators and at most `decimals` decimals, trailing zeros dropped: 1234.5 → "1,234.5".
pub fn thousands_with(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && (grouped.chars().any(|c| c != '0' && c != ',') || !fraction.is_empty());
    format!("{}{}{}{}", if negative { "−" } else { "" }, grouped, if fraction.is_empty() { "" } else { "." }, fraction)
}

/// A whole number with thousands separators: 16572 → "16,572".
pub fn thousands(value: f64) -> String {
    thousands_with(value, 0)
}

/// A difference with its sign and a precision that suits its size: whole numbers from 100, one decimal from 1,
/// two below; trailing zeros dropped, thousands grouped, `−` for minus: "+1,234", "+12", "−3.4", "+0.05", "0".
pub fn signed(x: f64) -> String {
    let decimals = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else {
        2
    };
    let text = thousands_with(x, decimals);
    if x > 0.0 && text != "0" { format!("+{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_short_stable_numbers() {
        assert_eq!(format_number(939.0), "939");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(2.0 / 3.0), "0.666667");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(f64::NAN), "");
        assert_eq!(format_number(1.5e15), "1500000000000000");
        assert_eq!(format_number(-3.4), "-3.4", "CSV files keep the ASCII minus");
    }

    #[test]
    fn differences_carry_their_sign_and_a_precision_for_their_size() {
        assert_eq!(signed(1234.4), "+1,234");
        assert_eq!(signed(12.0), "+12");
        assert_eq!(signed(-3.44), "−3.4");
        assert_eq!(signed(-15.02), "−15");
        assert_eq!(signed(0.051), "+0.05");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(-0.001), "0");
        assert_eq!(signed(f64::NAN), "–");
    }
}
