//! A calibrated scenario file: the input with the fitted values written in, comments and layout kept.

use toml_edit::{DocumentMut, Item, Value};

/// Why fitted values could not be written into a scenario's text.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the fitted value of {path} into the scenario: {message}")]
pub struct CalibratedError {
    pub path: String,
    pub message: String,
}

/// The scenario `source` with each `(path, value)` set (paths as for `--set`, list entries by index), its `name`
/// replaced by `name`, and `header` (comment lines, without `#`) above everything.
pub fn calibrated_scenario(
    source: &str,
    name: &str,
    values: &[(String, f64, bool)],
    header: &[String],
) -> Result<String, CalibratedError> {
    let mut doc: DocumentMut = source
        .parse()
        .map_err(|e: toml_edit::TomlError| CalibratedError { path: String::new(), message: e.to_string() })?;
    doc["name"] = toml_edit::value(name);
    for (path, v, integer) in values {
        let error = |message: String| CalibratedError { path: path.clone(), message };
        let item = walk(doc.as_item_mut(), path).map_err(error)?;
        let new: Value = if *integer { (v.round() as i64).into() } else { round_sig(*v).into() };
        match item {
            Item::Value(old) => {
                let decor = old.decor().clone();
                *old = new;
                *old.decor_mut() = decor;
            }
            other => *other = Item::Value(new),
        }
    }
    let comments: String =
        header.iter().map(|l| if l.is_empty() { "#\n".to_string() } else { format!("# {l}\n") }).collect();
    let body = doc.to_string();
    // An editor's `#:schema` directive must stay on the first line.
    Ok(match body.strip_prefix("#:schema ") {
        Some(rest) => {
            let (directive, rest) = rest.split_once('\n').unwrap_or((rest, ""));
            format!("#:schema {directive}\n{comments}{rest}")
        }
        None => format!("{comments}{body}"),
    })
}

/// The item at `a.b[1].c`.
fn walk<'a>(mut item: &'a mut Item, path: &str) -> Result<&'a mut Item, String> {
    for segment in path.split('.') {
        let key_end = segment.find('[').unwrap_or(segment.len());
        let (key, mut rest) = segment.split_at(key_end);
        item = item.get_mut(key).ok_or_else(|| format!("the scenario has no `{key}` on the way to it"))?;
        while let Some(open) = rest.strip_prefix('[') {
            let close = open.find(']').ok_or("an index is not closed")?;
            let i: usize = open[..close].parse().map_err(|_| "expected a whole-number index")?;
            item = index(item, i).ok_or_else(|| format!("`{key}` has no entry [{i}]"))?;
            rest = &open[close + 1..];
        }
    }
    Ok(item)
}

fn index(item: &mut Item, i: usize) -> Option<&mut Item> {
    // Inline arrays hold values, arrays of tables hold tables; toml_edit indexes both through `get_mut`.
    item.get_mut(i)
}

/// Six significant digits: enough for any fitted parameter, short enough to read.
fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 6 - 1 - v.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits);
    (v * factor).round() / factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_values_replace_the_old_ones_and_comments_survive() {
        let source = "name = \"s\"\n\
                      [a]\n\
                      seats = [\n  { from = 2020-01-01, value = 35 },   # by hand\n  { from = 2020-02-01, value = 390 },\n]\n\
                      p = 0.036   # 34 of 945\n\
                      n = 4\n";
        let out = calibrated_scenario(
            source,
            "s-calibrated",
            &[("a.seats[1].value".into(), 412.3456789, false), ("a.p".into(), 0.04, false), ("a.n".into(), 6.4, true)],
            &["Calibrated by safe-third.".into()],
        )
        .unwrap();
        assert!(out.starts_with("# Calibrated by safe-third.\nname = \"s-calibrated\"\n"), "{out}");
        let with_schema =
            calibrated_scenario(&format!("#:schema ./s.json\n{source}"), "x", &[], &["note".into()]).unwrap();
        assert!(with_schema.starts_with("#:schema ./s.json\n# note\nname = \"x\"\n"), "{with_schema}");
        assert!(out.contains("value = 412.346 }"), "{out}");
        assert!(out.contains("value = 35 },   # by hand"), "{out}");
        assert!(out.contains("p = 0.04   # 34 of 945"), "{out}");
        assert!(out.contains("n = 6\n"), "{out}");
        let err = calibrated_scenario(source, "x", &[("a.seats[5].value".into(), 1.0, false)], &[]).unwrap_err();
        assert!(err.to_string().contains("`seats` has no entry [5]"), "{err}");
    }
}
