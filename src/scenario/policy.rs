//! Policies: named variants of one scenario, compared on the same random futures.
//!
//! A policy is the scenario with some fields overridden. In the file:
//!
//! ```toml
//! [[policy]]
//! name = "families-first"
//! agreement.guatemala.seats_per_month = 400        # a dotted path …
//! [policy.asylum.guatemala]                        # … or a nested table
//! adjudicators = 8
//! ```
//!
//! Overrides merge into the scenario table by table: a table merges key by key, anything else (a number, a
//! schedule, a list of phases) replaces what was there. `--set PATH=VALUE` on the command line is applied last, to
//! every policy, so the command line has the final word. Each resulting scenario is parsed and validated like a
//! file of its own; its problems are located in the file (in the policy's override when it set the field, else in
//! the base) and named by policy.

use serde::Deserialize as _;

use super::error::{self, Problem, ScenarioError};
use super::format::Scenario;
use super::overrides::{PolicySpec, Setting};
use super::validate;

/// The name of the only policy of a scenario that declares none.
pub const BASELINE: &str = "baseline";

/// A policy resolved into a scenario of its own.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub description: String,
    /// Whether the others are compared with this one.
    pub reference: bool,
    pub scenario: Scenario,
}

impl Scenario {
    /// The policies of this scenario, each resolved and validated, in file order; with none declared, one
    /// [`BASELINE`] policy. `settings` are applied to every policy, last. `source` and `origin` are the file this
    /// scenario was parsed from, to locate problems.
    pub fn policies(&self, source: &str, origin: &str, settings: &[Setting]) -> Result<Vec<Policy>, ScenarioError> {
        let specs: Vec<PolicySpec> = if self.policy.is_empty() {
            vec![PolicySpec { name: BASELINE.to_string(), ..PolicySpec::default() }]
        } else {
            self.policy.clone()
        };
        let reference = specs.iter().position(|p| p.reference).unwrap_or(0);
        let declared = !self.policy.is_empty();
        let mut base: toml::Table = toml::from_str(source).map_err(|e| ScenarioError::Syntax {
            origin: origin.to_string(),
            line: 1,
            column: 1,
            path: None,
            message: e.message().to_string(),
        })?;
        base.remove("policy");

        let mut policies = Vec::with_capacity(specs.len());
        let mut problems = Vec::new();
        for (i, spec) in specs.into_iter().enumerate() {
            let overrides = normalise(spec.overrides.clone());
            let label = if declared { format!("[policy \"{}\"] ", spec.name) } else { String::new() };
            let mut table = base.clone();
            merge(&mut table, overrides.clone());
            let mut unusable = Vec::new();
            for setting in settings {
                if let Err(message) = set(&mut table, &setting.path, setting.value.clone()) {
                    unusable.push(Problem::new(format!("--set {}", setting.text), message));
                }
            }
            if !unusable.is_empty() {
                problems.extend(unusable);
                continue;
            }
            // Where a problem at `path` was written: the command line, this policy's override, or the base.
            let origin_of = |path: &str| -> (String, Option<(usize, usize)>) {
                if let Some(s) = settings.iter().find(|s| covers(&s.path, path)) {
                    return (format!("--set {}: ", s.text), None);
                }
                if declared && leaves(&overrides).iter().any(|leaf| covers(leaf, path)) {
                    return (label.clone(), error::locate(source, &format!("policy[{i}].{path}")));
                }
                (label.clone(), error::locate(source, path))
            };
            match Scenario::deserialize(toml::Value::Table(table.clone())) {
                Err(e) => {
                    let Suspect { path, hint, new_entry } = suspect(&base, &overrides, settings).unwrap_or_default();
                    let (prefix, position) = if path.is_empty() {
                        (label.clone(), error::locate(source, &format!("policy[{i}]")))
                    } else {
                        origin_of(&path)
                    };
                    // A path into an entry of a map the scenario lacks (`agreement.c` with no agreement `c`) makes
                    // a new, incomplete entry: say that, not which of its fields is missing.
                    let message =
                        if new_entry { hint } else { format!("{}{hint}", error::readable(e.message().trim())) };
                    problems.push(Problem { path: format!("{prefix}{path}"), message, position });
                }
                Ok(scenario) => {
                    let found = validate::validate(&scenario);
                    if found.is_empty() {
                        policies.push(Policy {
                            name: spec.name,
                            description: spec.description,
                            reference: i == reference,
                            scenario,
                        });
                    }
                    for mut problem in found {
                        let (prefix, position) = origin_of(&problem.path);
                        problem.path = format!("{prefix}{}", problem.path);
                        problem.position = position;
                        problems.push(problem);
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(policies)
        } else {
            Err(ScenarioError::Invalid { origin: origin.to_string(), problems })
        }
    }
}

/// Splits quoted keys written with dots (`"agreement.guatemala.seats_per_month" = 400`) into nested tables, so
/// that both spellings of a path mean the same.
fn normalise(table: toml::Table) -> toml::Table {
    let mut out = toml::Table::new();
    for (key, value) in table {
        let value = match value {
            toml::Value::Table(t) => toml::Value::Table(normalise(t)),
            other => other,
        };
        let path: Vec<String> = key.split('.').map(str::to_string).collect();
        let mut nested = toml::Table::new();
        // Keys written in the file are plain names, never indices.
        let mut at = &mut nested;
        for part in &path[..path.len() - 1] {
            let entry = at.entry(part.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            at = entry.as_table_mut().expect("a fresh table");
        }
        at.insert(path[path.len() - 1].clone(), value);
        merge(&mut out, nested);
    }
    out
}

/// Merges `overrides` into `target`: tables key by key, anything else replaced.
fn merge(target: &mut toml::Table, overrides: toml::Table) {
    for (key, value) in overrides {
        match (target.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(more)) => merge(existing, more),
            (_, value) => {
                target.insert(key, value);
            }
        }
    }
}

/// Sets the value at `path`, creating tables on the way (and replacing a non-table that stands in the way).
/// A segment may index into an existing array, `seats_per_month[1]`; an index that does not exist is an error.
fn set(table: &mut toml::Table, path: &[String], value: toml::Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else { return Ok(()) };
    let mut at = table;
    for segment in parents {
        let (key, indices) = split_indices(segment)?;
        let mut entry = at.entry(key.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        for &i in &indices {
            entry = index(entry, key, i)?;
        }
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        at = entry.as_table_mut().expect("just made a table");
    }
    let (key, indices) = split_indices(last)?;
    match indices.split_last() {
        None => {
            at.insert(key.to_string(), value);
        }
        Some((&final_index, leading)) => {
            let mut entry = at.get_mut(key).ok_or_else(|| format!("there is no `{key}` to index into"))?;
            for &i in leading {
                entry = index(entry, key, i)?;
            }
            *index(entry, key, final_index)? = value;
        }
    }
    Ok(())
}

/// `seats_per_month[1][0]` → (`seats_per_month`, [1, 0]).
fn split_indices(segment: &str) -> Result<(&str, Vec<usize>), String> {
    let key_end = segment.find('[').unwrap_or(segment.len());
    let (key, mut rest) = segment.split_at(key_end);
    let mut indices = Vec::new();
    while let Some(open) = rest.strip_prefix('[') {
        let close = open.find(']').ok_or_else(|| format!("`{segment}`: an index is not closed with `]`"))?;
        let i = open[..close].trim().parse().map_err(|_| format!("`{segment}`: expected a whole-number index"))?;
        indices.push(i);
        rest = &open[close + 1..];
    }
    if !rest.is_empty() || key.is_empty() {
        return Err(format!("`{segment}`: expected a field name, optionally followed by indices like [1]"));
    }
    Ok((key, indices))
}

fn index<'v>(value: &'v mut toml::Value, key: &str, i: usize) -> Result<&'v mut toml::Value, String> {
    match value {
        toml::Value::Array(items) => {
            let n = items.len();
            items.get_mut(i).ok_or_else(|| format!("`{key}` has {n} entries; index {i} does not exist"))
        }
        _ => Err(format!("`{key}` is not a list, so it cannot be indexed with [{i}]")),
    }
}

/// Paths of the values an override table sets (tables are descended into; anything else is a leaf).
fn leaves(table: &toml::Table) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::Table(t) if !t.is_empty() => {
                for mut rest in leaves(t) {
                    rest.insert(0, key.clone());
                    out.push(rest);
                }
            }
            _ => out.push(vec![key.clone()]),
        }
    }
    out
}

/// Whether a problem at `problem_path` (`a.b[2].c`) lies within the value set at `leaf` or holds it.
fn covers(leaf: &[String], problem_path: &str) -> bool {
    let leaf = leaf.join(".");
    let within = |outer: &str, inner: &str| {
        inner == outer || inner.starts_with(&format!("{outer}.")) || inner.starts_with(&format!("{outer}["))
    };
    within(&leaf, problem_path) || within(problem_path, &leaf)
}

/// The scenario's tables keyed by country (or any name), not by field: a key they lack is an entry that does not
/// exist, not a misspelt field.
const MAPS: [&str; 3] = ["agreement", "asylum", "countries"];

/// The override or setting most likely at fault when a policy does not parse.
#[derive(Debug, Default, PartialEq)]
struct Suspect {
    /// Its path, joined with dots.
    path: String,
    /// What to add to the parser's message: the closest key the base has, or (for `new_entry`) the whole message.
    hint: String,
    /// The path names an entry of a map the scenario lacks: `hint` says which entries exist.
    new_entry: bool,
}

/// The override or setting most likely at fault when a policy does not parse: the first whose path leaves the
/// base scenario's tables (a misspelling, usually, or an entry of a map that does not exist), with the closest key
/// the base has there; else the first.
fn suspect(base: &toml::Table, overrides: &toml::Table, settings: &[Setting]) -> Option<Suspect> {
    let mut candidates: Vec<Vec<String>> = settings.iter().map(|s| s.path.clone()).collect();
    candidates.extend(leaves(overrides));
    // An entry a policy's override adds in full exists for that policy.
    let mut with_overrides = base.clone();
    merge(&mut with_overrides, overrides.clone());
    let entry_exists = |map: &str, key: &str| {
        with_overrides.get(map).and_then(toml::Value::as_table).is_some_and(|t| t.contains_key(key))
    };
    for path in &candidates {
        let mut at = base;
        for (depth, segment) in path.iter().enumerate() {
            let (key, indices) = split_indices(segment).unwrap_or((segment.as_str(), Vec::new()));
            match at.get(key) {
                Some(_) if !indices.is_empty() => break,
                Some(toml::Value::Table(t)) => at = t,
                Some(_) => break,
                None => {
                    let closest = error::closest(key, at.keys().map(String::as_str));
                    let map =
                        (depth == 1).then(|| path[0].as_str()).filter(|m| MAPS.contains(m) && !entry_exists(m, key));
                    if let Some(map) = map {
                        let names: Vec<&str> = at.keys().map(String::as_str).collect();
                        let has = if names.is_empty() {
                            format!("it has no {map} entries")
                        } else {
                            format!(
                                "it has {map} {}",
                                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                            )
                        };
                        let mean = closest.map_or(String::new(), |best| format!("; did you mean `{best}`?"));
                        let hint = format!("the scenario has no {map} `{key}` ({has}){mean}");
                        return Some(Suspect { path: path.join("."), hint, new_entry: true });
                    }
                    let hint = closest.map_or(String::new(), |best| {
                        format!(" (the scenario has no `{key}` here; did you mean `{best}`?)")
                    });
                    return Some(Suspect { path: path.join("."), hint, new_entry: false });
                }
            }
        }
    }
    candidates.first().map(|p| Suspect { path: p.join("."), hint: String::new(), new_entry: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn dotted_keys_quoted_keys_and_nested_tables_mean_the_same() {
        let a = normalise(table("agreement.gt.seats = 4\n"));
        let b = normalise(table("\"agreement.gt.seats\" = 4\n"));
        let c = normalise(table("[agreement.gt]\nseats = 4\n"));
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn tables_merge_key_by_key_and_other_values_replace() {
        let mut base = table("[a]\nx = 1\ny = [1, 2]\n[a.t]\np = 1\nq = 2\n");
        merge(&mut base, table("[a]\ny = [3]\n[a.t]\nq = 9\n"));
        assert_eq!(base, table("[a]\nx = 1\ny = [3]\n[a.t]\np = 1\nq = 9\n"));
    }

    #[test]
    fn settings_parse_toml_values_or_fall_back_to_strings() {
        let s = Setting::parse("agreement.gt.seats_per_month=400").unwrap();
        assert_eq!(s.path, ["agreement", "gt", "seats_per_month"]);
        assert_eq!(s.value, toml::Value::Integer(400));
        assert_eq!(Setting::parse("a.b = fifo").unwrap().value, toml::Value::String("fifo".into()));
        assert_eq!(Setting::parse("a=[1, 2]").unwrap().value, toml::Value::Array(vec![1.into(), 2.into()]));
        assert!(Setting::parse("no-equals").unwrap_err().contains("expected PATH=VALUE"));
        assert!(Setting::parse("a..b=1").unwrap_err().contains("empty part"));
    }

    #[test]
    fn settings_index_into_lists() {
        let mut t = table("s = [{ from = 1, value = 35 }, { from = 2, value = 390 }]\n[a]\nm = [[1, 2], [3]]\n");
        set(&mut t, &["s[1]".to_string(), "value".to_string()], 400.into()).unwrap();
        set(&mut t, &["a".to_string(), "m[0][1]".to_string()], 9.into()).unwrap();
        assert_eq!(t, table("s = [{ from = 1, value = 35 }, { from = 2, value = 400 }]\n[a]\nm = [[1, 9], [3]]\n"));
        let e = set(&mut t, &["s[2]".to_string(), "value".to_string()], 1.into()).unwrap_err();
        assert!(e.contains("`s` has 2 entries; index 2 does not exist"), "{e}");
        assert!(set(&mut t, &["a[0]".to_string()], 1.into()).unwrap_err().contains("not a list"));
        assert!(split_indices("x[1").is_err());
        assert!(split_indices("x[a]").is_err());
    }

    #[test]
    fn a_problem_is_covered_by_the_override_that_set_it_or_holds_it() {
        let leaf = vec!["agreement".to_string(), "gt".to_string(), "phase".to_string()];
        assert!(covers(&leaf, "agreement.gt.phase[1].from"));
        assert!(covers(&leaf, "agreement.gt"));
        assert!(!covers(&leaf, "agreement.gt.phases"));
        assert!(!covers(&leaf, "asylum.gt"));
    }
}
