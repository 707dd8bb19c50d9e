//! Values that change over time: a constant, one value per month, or dated steps.
//!
//! Every rate, capacity and probability in a scenario is a [`Schedule`], so a user can move from "400 seats a
//! month" to "0 until the agreement starts, then 400, then 0 after the suspension" without learning a new field.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

use super::date::Date;

/// A value over the scenario's horizon.
///
/// In TOML:
/// - a number, or the string `"unlimited"` where a capacity may be unbounded: `seats_per_month = 300`;
/// - a list with one number per month of the horizon: `adjudicators = [4, 4, 6, 8]`;
/// - dated steps, each holding from its date until the next: `[{ from = 2019-11-21, value = 30 }, …]`.
///   Before the first step the value is 0, so an agreement that starts mid-horizon needs no extra entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// The same value for the whole horizon.
    Constant(f64),
    /// One value per calendar month, starting with the scenario's start month.
    PerMonth(Vec<f64>),
    /// Values that change on given days.
    Steps(Vec<Step>),
}

/// One dated change of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// First day on which `value` holds.
    pub from: Date,
    /// The value from that day on.
    pub value: f64,
}

impl Schedule {
    /// Every number the schedule can take, with the path suffix that locates it in the file.
    pub fn values(&self) -> Vec<(String, f64)> {
        match self {
            Schedule::Constant(v) => vec![(String::new(), *v)],
            Schedule::PerMonth(vs) => vs.iter().enumerate().map(|(i, v)| (format!("[{i}]"), *v)).collect(),
            Schedule::Steps(steps) => {
                steps.iter().enumerate().map(|(i, s)| (format!("[{i}].value"), s.value)).collect()
            }
        }
    }

    /// The value in force on `date`, which lies in month `month` (0-based) of the horizon.
    pub fn value_on(&self, month: usize, date: Date) -> f64 {
        match self {
            Schedule::Constant(v) => *v,
            Schedule::PerMonth(values) => values.get(month).copied().unwrap_or(0.0),
            Schedule::Steps(steps) => steps.iter().take_while(|s| s.from <= date).last().map_or(0.0, |s| s.value),
        }
    }

    /// Dates on which a dated-step schedule changes.
    pub fn step_dates(&self) -> Vec<Date> {
        match self {
            Schedule::Steps(steps) => steps.iter().map(|s| s.from).collect(),
            _ => Vec::new(),
        }
    }

    /// A short human description, for `safe-third check`.
    pub fn describe(&self) -> String {
        match self {
            Schedule::Constant(v) => fmt_number(*v),
            Schedule::PerMonth(vs) => {
                let shown: Vec<String> = vs.iter().take(6).map(|v| fmt_number(*v)).collect();
                let more = if vs.len() > 6 { format!(", … ({} months)", vs.len()) } else { String::new() };
                format!("per month [{}{more}]", shown.join(", "))
            }
            Schedule::Steps(steps) => {
                steps.iter().map(|s| format!("{} from {}", fmt_number(s.value), s.from)).collect::<Vec<_>>().join("; ")
            }
        }
    }
}

fn fmt_number(v: f64) -> String {
    if v.is_infinite() { "unlimited".to_string() } else { format!("{v}") }
}

fn number(value: &toml::Value) -> Result<f64, String> {
    match value {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) if f.is_nan() => Err("expected a number, found nan".to_string()),
        toml::Value::Float(f) => Ok(*f),
        toml::Value::String(s) if s == "unlimited" => Ok(f64::INFINITY),
        other => Err(format!("expected a number, found {}", other.type_str())),
    }
}

fn step(index: usize, value: &toml::Value) -> Result<Step, String> {
    let table = value.as_table().ok_or_else(|| {
        format!("step [{index}]: expected a table {{ from = YYYY-MM-DD, value = N }}, found {}", value.type_str())
    })?;
    if let Some(key) = table.keys().find(|k| *k != "from" && *k != "value") {
        return Err(format!("step [{index}]: unknown field `{key}`, expected `from` or `value`"));
    }
    let from = table.get("from").ok_or_else(|| format!("step [{index}]: missing field `from`"))?;
    let v = table.get("value").ok_or_else(|| format!("step [{index}]: missing field `value`"))?;
    Ok(Step {
        from: Date::try_from(from).map_err(|e| format!("step [{index}].from: {e}"))?,
        value: number(v).map_err(|e| format!("step [{index}].value: {e}"))?,
    })
}

impl TryFrom<&toml::Value> for Schedule {
    type Error = String;

    fn try_from(value: &toml::Value) -> Result<Schedule, String> {
        match value {
            toml::Value::Array(items) if items.is_empty() => {
                Err("expected a number, a list of monthly values or dated steps, found an empty list".to_string())
            }
            toml::Value::Array(items) if items[0].is_table() => {
                items.iter().enumerate().map(|(i, v)| step(i, v)).collect::<Result<_, _>>().map(Schedule::Steps)
            }
            toml::Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| number(v).map_err(|e| format!("month [{i}]: {e}")))
                .collect::<Result<_, _>>()
                .map(Schedule::PerMonth),
            toml::Value::Table(_) => Err(
                "expected a number, a list of monthly values or a list of dated steps [{ from = …, value = … }], found a table"
                    .to_string(),
            ),
            other => number(other).map(Schedule::Constant),
        }
    }
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schedule, D::Error> {
        let value = toml::Value::deserialize(deserializer)?;
        Schedule::try_from(&value).map_err(D::Error::custom)
    }
}

impl schemars::JsonSchema for Schedule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Schedule".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A constant, \"unlimited\" (capacities only), one value per month of the horizon, or dated steps [{ from = YYYY-MM-DD, value = N }] (0 before the first step).",
            "oneOf": [
                { "type": "number" },
                { "const": "unlimited" },
                { "type": "array", "minItems": 1, "items": { "oneOf": [{ "type": "number" }, { "const": "unlimited" }] } },
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "from": { "type": "string", "format": "date" },
                            "value": { "oneOf": [{ "type": "number" }, { "const": "unlimited" }] }
                        },
                        "required": ["from", "value"],
                        "additionalProperties": false
                    }
                }
            ]
        })
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn num<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
            if v.is_infinite() { s.serialize_str("unlimited") } else { s.serialize_f64(v) }
        }
        match self {
            Schedule::Constant(v) => num(*v, serializer),
            Schedule::PerMonth(vs) => serializer.collect_seq(vs),
            Schedule::Steps(steps) => serializer.collect_seq(steps),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Schedule, String> {
        let v: toml::Table = toml::from_str(&format!("x = {src}")).map_err(|e| e.to_string())?;
        Schedule::try_from(&v["x"])
    }

    #[test]
    fn reads_the_three_forms() {
        assert_eq!(parse("3").unwrap(), Schedule::Constant(3.0));
        assert_eq!(parse("\"unlimited\"").unwrap(), Schedule::Constant(f64::INFINITY));
        assert_eq!(parse("[1, 2.5]").unwrap(), Schedule::PerMonth(vec![1.0, 2.5]));
        let steps = parse("[{ from = 2019-11-21, value = 30 }, { from = \"2020-03-16\", value = 0 }]").unwrap();
        assert_eq!(
            steps,
            Schedule::Steps(vec![
                Step { from: Date::from_ymd(2019, 11, 21).unwrap(), value: 30.0 },
                Step { from: Date::from_ymd(2020, 3, 16).unwrap(), value: 0.0 },
            ])
        );
    }

    #[test]
    fn rejects_malformed_schedules_with_the_reason() {
        assert!(parse("[]").unwrap_err().contains("empty list"));
        assert!(parse("\"lots\"").unwrap_err().contains("expected a number"));
        assert!(parse("[{ from = 2019-11-21, valu = 3 }]").unwrap_err().contains("unknown field `valu`"));
        assert!(parse("[1, \"x\"]").unwrap_err().contains("month [1]"));
        assert!(parse("{ a = 1 }").unwrap_err().contains("found a table"));
    }
}
