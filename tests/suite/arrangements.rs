//! Other kinds of arrangement: transit and return (a stop on the way home, no claim there) and waiting abroad for
//! the sending country's own hearings.

use crate::support;

use support::{pipeline, run, scenario, value};

#[test]
fn transit_and_return_sends_everyone_home_without_a_claim() {
    let text = pipeline(2, "kind = \"transit_return\"\nstay_days = 2\nseats_per_month = 300", "", "");
    // The asylum block is optional for this kind: drop it.
    let text = text[..text.find("[asylum.b]").unwrap()].to_string();
    let result = run(&scenario(&text), 2, 1, 0);
    for r in 0..2 {
        let b = |metric| value(&result, r, 1, "b", metric);
        assert_eq!(b("transferred_people"), 300.0);
        assert_eq!(b("claims_filed_cases"), 0.0);
        assert_eq!(b("backlog_cases"), 0.0);
        // Everyone transferred goes home after two days, but for those still inside their stay at month end.
        assert_eq!(
            b("returned_home_cases") + b("filing_window_cases"),
            b("transferred_cases") + value(&result, r, 0, "b", "filing_window_cases")
        );
    }
}

#[test]
fn waiting_abroad_uses_the_asylum_block_as_the_docket_heard_from_abroad() {
    let text = pipeline(
        3,
        "kind = \"wait_abroad\"\nseats_per_month = \"unlimited\"",
        "patience_days = { distribution = \"exponential\", mean = 30 }",
        "",
    );
    let result = run(&scenario(&text), 2, 1, 0);
    for r in 0..2 {
        let b = |metric| value(&result, r, 2, "b", metric);
        assert!(b("claims_filed_cases") > 0.0 && b("abandoned_cases") > 0.0, "people wait abroad and some give up");
    }
    let check = safe_third::scenario::Scenario::from_toml(&text, "t.toml").unwrap();
    assert_eq!(check.agreement["b"].kind, safe_third::scenario::AgreementKind::WaitAbroad);
}

#[test]
fn stay_days_belong_to_transit_and_return_only() {
    let text = pipeline(2, "stay_days = 2\nseats_per_month = 1", "", "");
    let err = safe_third::scenario::Scenario::from_toml(&text, "t.toml").unwrap_err().to_string();
    assert!(err.contains("agreement.b.stay_days"), "{err}");
}
