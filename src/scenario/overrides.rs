//! Overrides as written: a `[[policy]]` entry of the scenario file, and a `--set PATH=VALUE` from the command
//! line. Kept apart from `policy`, which resolves them into scenarios, so that the file format and the
//! validation can name them without depending on the resolution (which depends on both).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One `[[policy]]` entry as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
pub struct PolicySpec {
    /// Identifier in outputs (`policy` column, chart and file names): letters, digits, `-` and `_`.
    pub name: String,
    /// One sentence for reports: what the policy changes and why.
    #[serde(default)]
    pub description: String,
    /// The policy others are compared with. Without one marked, the first policy is the reference.
    #[serde(default)]
    pub reference: bool,
    /// Every other key overrides the scenario field at the same path.
    #[serde(flatten)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub overrides: toml::Table,
}

/// A `--set PATH=VALUE` from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The text as given, for messages and the manifest.
    pub text: String,
    /// The field path, split at dots.
    pub path: Vec<String>,
    pub value: toml::Value,
}

impl Setting {
    /// Parses `PATH=VALUE`. The value is read as TOML (`400`, `0.5`, `"fifo"`, `[1, 2]`, `2020-01-01`,
    /// `{ distribution = "fixed", value = 3 }`); anything that is not TOML is taken as a string, so
    /// `queue_discipline=fifo` works without quotes.
    pub fn parse(text: &str) -> Result<Setting, String> {
        let (path, value) = text.split_once('=').ok_or_else(|| {
            format!("--set {text}: expected PATH=VALUE, e.g. agreement.guatemala.seats_per_month=400")
        })?;
        let path: Vec<String> = path.trim().split('.').map(|s| s.trim().to_string()).collect();
        if path.iter().any(String::is_empty) {
            return Err(format!(
                "--set {text}: the path has an empty part; expected e.g. asylum.guatemala.adjudicators"
            ));
        }
        let value = value.trim();
        let parsed = toml::from_str::<toml::Table>(&format!("v = {value}")).ok().and_then(|mut t| t.remove("v"));
        let value = parsed.unwrap_or_else(|| toml::Value::String(value.to_string()));
        Ok(Setting { text: text.to_string(), path, value })
    }
}
