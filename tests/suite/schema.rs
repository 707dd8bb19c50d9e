//! The JSON Schema printed by `safe-third schema`: committed up to date, accepting every shipped scenario and
//! rejecting what parsing rejects by shape (unknown fields, wrong types, unknown variants).

use safe_third::scenario::Scenario;

/// A TOML document as the JSON an editor validates (dates become `YYYY-MM-DD` strings).
fn as_json(toml_text: &str) -> serde_json::Value {
    fn convert(v: toml::Value) -> serde_json::Value {
        match v {
            toml::Value::String(s) => s.into(),
            toml::Value::Integer(i) => i.into(),
            toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
            toml::Value::Boolean(b) => b.into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(a) => a.into_iter().map(convert).collect(),
            toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, convert(v))).collect(),
        }
    }
    convert(toml::from_str::<toml::Value>(toml_text).unwrap())
}

fn schema() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&Scenario::json_schema()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let committed = std::fs::read_to_string("scenarios/scenario.schema.json").unwrap();
    assert!(
        committed == Scenario::json_schema(),
        "scenarios/scenario.schema.json is stale: regenerate it with `cargo run -- schema > scenarios/scenario.schema.json`"
    );
}

#[test]
fn every_shipped_scenario_satisfies_the_schema() {
    let validator = schema();
    for file in [
        "scenarios/guatemala-2019.toml",
        "scenarios/guatemala-2019-policies.toml",
        "scenarios/mmc.toml",
        "scenarios/full-border-2019.toml",
        "benches/peers/pipeline.toml",
    ] {
        let instance = as_json(&std::fs::read_to_string(file).unwrap());
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

#[test]
fn the_schema_rejects_misspelt_fields_wrong_types_and_unknown_variants() {
    let validator = schema();
    let base = std::fs::read_to_string("scenarios/guatemala-2019.toml").unwrap();
    for (from, to) in [
        ("max_wait_days = 7", "max_wait_day = 7"),
        ("filing_window_days = 3 ", "filing_window_days = \"3\" "),
        ("distribution = \"gamma\"", "distribution = \"gama\""),
        ("queue_discipline = \"first_fit\"", "queue_discipline = \"random\""),
        ("seats_per_month = [", "seats_per_month = \"lots\"\nunused = ["),
    ] {
        assert!(base.contains(from), "{from}");
        let instance = as_json(&base.replacen(from, to, 1));
        assert!(!validator.is_valid(&instance), "the schema accepted {to:?}");
    }
}
