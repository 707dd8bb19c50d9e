//! Policies declared in a scenario file and `--set` overrides: how they resolve, and how their mistakes are
//! reported.

use safe_third::scenario::{BASELINE, Scenario, ScenarioError, Setting};

fn base() -> String {
    std::fs::read_to_string("scenarios/guatemala-2019.toml").unwrap()
}

fn resolve(text: &str, settings: &[&str]) -> Result<Vec<safe_third::scenario::Policy>, ScenarioError> {
    let scenario = Scenario::from_toml(text, "p.toml")?;
    let settings: Vec<Setting> = settings.iter().map(|s| Setting::parse(s).unwrap()).collect();
    scenario.policies(text, "p.toml", &settings)
}

const POLICIES: &str = r#"
[[policy]]
name = "historical"

[[policy]]
name = "families-first"
description = "families from the first day"
agreement.guatemala.phase = [
  { from = 2019-11-21, households = ["family", "single_adult"], coverage = 0.15 },
  { from = 2020-03-16, households = [] },
]

[[policy]]
name = "more-judges"
reference = true
[policy.asylum.guatemala]
adjudicators = 8
"#;

#[test]
fn a_scenario_without_policies_has_one_baseline_policy_equal_to_itself() {
    let policies = resolve(&base(), &[]).unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].name, BASELINE);
    assert!(policies[0].reference);
    let direct = Scenario::from_toml(&base(), "p.toml").unwrap();
    assert_eq!(format!("{:?}", policies[0].scenario), format!("{direct:?}"));
}

#[test]
fn policies_override_by_dotted_path_or_nested_table_and_leave_the_rest() {
    let policies = resolve(&format!("{}{POLICIES}", base()), &[]).unwrap();
    let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["historical", "families-first", "more-judges"]);
    assert_eq!(policies.iter().map(|p| p.reference).collect::<Vec<_>>(), [false, false, true]);
    let historical = &policies[0].scenario;
    let families = &policies[1].scenario;
    let judges = &policies[2].scenario;
    assert_eq!(historical.agreement["guatemala"].phase.len(), 4);
    assert_eq!(families.agreement["guatemala"].phase.len(), 2, "a list of phases is replaced whole");
    assert_eq!(families.agreement["guatemala"].phase[0].from.to_string(), "2019-11-21");
    assert_eq!(policies[1].description, "families from the first day");
    // Only the overridden field differs.
    assert_eq!(format!("{:?}", judges.arrivals), format!("{:?}", historical.arrivals));
    assert_eq!(format!("{:?}", judges.asylum["guatemala"].adjudicators), "Constant(8.0)");
    assert_ne!(
        format!("{:?}", historical.asylum["guatemala"].adjudicators),
        format!("{:?}", judges.asylum["guatemala"].adjudicators)
    );
    assert_eq!(
        format!("{:?}", judges.asylum["guatemala"].service_time_days),
        format!("{:?}", historical.asylum["guatemala"].service_time_days),
        "a nested table merges key by key"
    );
}

#[test]
fn settings_apply_to_every_policy_last() {
    let text = format!("{}{POLICIES}", base());
    let policies = resolve(&text, &["asylum.guatemala.adjudicators=3", "agreement.guatemala.max_wait_days=2"]).unwrap();
    for p in &policies {
        assert_eq!(format!("{:?}", p.scenario.asylum["guatemala"].adjudicators), "Constant(3.0)", "{}", p.name);
        assert_eq!(p.scenario.agreement["guatemala"].max_wait_days, 2.0);
    }
}

#[test]
fn a_problem_in_a_policy_is_located_in_its_override_and_named_by_policy() {
    let text = format!(
        "{}\n[[policy]]\nname = \"bad\"\nasylum.guatemala.grant_probability = 4\n[[policy]]\nname = \"ok\"\n",
        base()
    );
    let line = text.lines().position(|l| l.contains("grant_probability = 4")).unwrap() + 1;
    let message = resolve(&text, &[]).unwrap_err().to_string();
    assert!(
        message.contains(&format!("line {line}, column 38: [policy \"bad\"] asylum.guatemala.grant_probability")),
        "{message}"
    );
    assert!(message.contains("expected a probability between 0 and 1, found 4"), "{message}");
    assert!(!message.contains("\"ok\""), "{message}");
}

#[test]
fn a_misspelt_override_names_the_path_and_suggests_the_field() {
    let text = format!("{}\n[[policy]]\nname = \"typo\"\nagreement.guatemala.seat_per_month = 4\n", base());
    let message = resolve(&text, &[]).unwrap_err().to_string();
    assert!(message.contains("[policy \"typo\"] agreement.guatemala.seat_per_month"), "{message}");
    assert!(message.contains("did you mean `seats_per_month`"), "{message}");
    let line = text.lines().position(|l| l.contains("seat_per_month")).unwrap() + 1;
    assert!(message.contains(&format!("line {line},")), "{message}");
}

#[test]
fn a_bad_setting_is_named_as_given_on_the_command_line() {
    let message = resolve(&base(), &["asylum.guatemala.filing_probability=1.5"]).unwrap_err().to_string();
    assert!(
        message.contains("--set asylum.guatemala.filing_probability=1.5: asylum.guatemala.filing_probability"),
        "{message}"
    );
    let message = resolve(&base(), &["asylum.guatmala.adjudicators=2"]).unwrap_err().to_string();
    assert!(message.contains("--set asylum.guatmala.adjudicators=2"), "{message}");
    assert!(message.contains("did you mean `guatemala`?"), "{message}");
}

#[test]
fn policy_names_must_be_plain_unique_and_one_reference_at_most() {
    let text = format!(
        "{}\n[[policy]]\nname = \"a b\"\n[[policy]]\nname = \"x\"\nreference = true\n[[policy]]\nname = \"x\"\nreference = true\n",
        base()
    );
    let message = Scenario::from_toml(&text, "p.toml").unwrap_err().to_string();
    assert!(message.contains("policy[0].name: expected a name of letters, digits"), "{message}");
    assert!(message.contains("policy[2].name: the policy name \"x\" is used twice"), "{message}");
    assert!(message.contains("policy[2].reference: only one policy can be the reference"), "{message}");
}
