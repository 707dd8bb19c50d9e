//! Calendar dates in scenario files.
//!
//! TOML has a native local-date type (`2019-11-21`, unquoted); people also write dates as strings, so both are
//! accepted. Times of day and offsets are rejected: the model's clock starts at midnight of the start date and
//! every dated event in a scenario happens at the start of its day.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

/// A calendar day, as written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Builds a date from its parts; `None` if the day does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|e| format!("expected a date as YYYY-MM-DD, found \"{text}\" ({e})"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl TryFrom<&toml::Value> for Date {
    type Error = String;

    fn try_from(value: &toml::Value) -> Result<Date, String> {
        match value {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Date::from_ymd(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| format!("{dt} is not a calendar day")),
                _ => Err(format!("expected a date without time of day (YYYY-MM-DD), found {dt}")),
            },
            toml::Value::String(s) => Date::parse(s),
            other => Err(format!("expected a date (YYYY-MM-DD), found {}", other.type_str())),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let value = toml::Value::deserialize(deserializer)?;
        Date::try_from(&value).map_err(D::Error::custom)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar day, YYYY-MM-DD (a TOML local date, or a string).",
            "type": "string",
            "format": "date"
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
