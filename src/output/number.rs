//! How numbers are printed in CSV files.

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
    }
}
