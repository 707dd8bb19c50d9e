//! Deterrence, an explicit assumption: would-be arrivals of a nationality stay away with the share of that
//! nationality's recent arrivals who were transferred; some come by another route instead.

use crate::support;

use support::{pipeline, run, scenario, value};

const UNLIMITED: &str = "seats_per_month = \"unlimited\"";

#[test]
fn arrivals_fall_with_the_share_transferred_after_the_lag() {
    // Half of X's arrivals transited B and are transferred in January (share 0.5); elasticity 2 deters
    // 1 − (1 − 0.5)² = 75% of later would-be arrivals.
    let deterrence = "[arrivals]\ndeterrence = { elasticity = 2, lag_months = 1, window_months = 1 }";
    let text = pipeline(3, UNLIMITED, "", "")
        .replace("[[arrivals.stream]]", &format!("{deterrence}\n[[arrivals.stream]]"))
        .replace("transit_probability = { x = 1 }", "transit_probability = { x = 0.5 }");
    let result = run(&scenario(&text), 4, 1, 0);
    for r in 0..4 {
        let a = |m, metric| value(&result, r, m, "a", metric);
        assert_eq!(a(0, "deterred_cases"), 0.0, "nothing to react to in the first month");
        for m in [1, 2] {
            let tried = a(m, "deterred_cases") + a(m, "arrivals_cases");
            let share = a(m, "deterred_cases") / tried;
            // The share actually transferred the month before (about 0.5, but a small month varies).
            let s = a(m - 1, "transferred_people") / a(m - 1, "arrivals_people");
            let expected = 1.0 - (1.0 - s).powi(2);
            assert!((share - expected).abs() < 0.06, "month {m}: {share} of {tried} deterred, expected {expected}");
            assert!((0.35..0.65).contains(&s), "month {m}: transferred share {s}");
        }
        assert_eq!(a(1, "diverted_cases"), 0.0);
    }
    // Without it, the same seed gives the same January and no deterred.
    let plain = run(&scenario(&pipeline(3, UNLIMITED, "", "")), 4, 1, 0);
    assert_eq!(value(&plain, 0, 0, "a", "arrivals_cases"), value(&result, 0, 0, "a", "arrivals_cases"));
    assert_eq!(value(&plain, 0, 1, "a", "deterred_cases"), 0.0);
}

#[test]
fn deterrence_carries_on_when_nobody_came() {
    // Everyone transferred (share 1) deters everyone; with nobody arriving there is no new share, and the
    // deterrence holds instead of lapsing back to full arrivals.
    let deterrence = "[arrivals]\ndeterrence = { elasticity = 1 }";
    let text =
        pipeline(4, UNLIMITED, "", "").replace("[[arrivals.stream]]", &format!("{deterrence}\n[[arrivals.stream]]"));
    let result = run(&scenario(&text), 2, 1, 0);
    for r in 0..2 {
        for m in 1..4 {
            assert_eq!(value(&result, r, m, "a", "arrivals_cases"), 0.0, "month {m}");
        }
    }
}

#[test]
fn the_diverted_join_the_sending_process_by_another_route() {
    let deterrence =
        "[arrivals]\ndeterrence = { elasticity = 1, lag_months = 1, window_months = 1, diverted_share = 1 }";
    let text =
        pipeline(2, UNLIMITED, "", "").replace("[[arrivals.stream]]", &format!("{deterrence}\n[[arrivals.stream]]"));
    let result = run(&scenario(&text), 2, 1, 0);
    for r in 0..2 {
        let a = |metric| value(&result, r, 1, "a", metric);
        // A share of 1 and elasticity 1: nobody comes to the border in February; all claim by another route.
        assert_eq!(a("arrivals_cases"), 0.0);
        assert!(a("deterred_cases") > 500.0);
        assert_eq!(a("diverted_cases"), a("deterred_cases"));
        assert_eq!(a("to_sending_process_cases"), a("diverted_cases"));
    }
}

#[test]
fn a_report_of_a_run_with_deterrence_says_it_is_an_assumption() {
    let deterrence =
        "[arrivals]\ndeterrence = { elasticity = 0.5, label = \"ASSUMPTION: deterrence as in the 2019 DHS claim\" }";
    let text =
        pipeline(2, UNLIMITED, "", "").replace("[[arrivals.stream]]", &format!("{deterrence}\n[[arrivals.stream]]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_safe-third"))
        .args(["run", file.to_str().unwrap(), "-n", "4", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("**ASSUMPTION: deterrence as in the 2019 DHS claim.**"), "{report}");
    // Without it, no such label.
    std::fs::write(&file, pipeline(2, UNLIMITED, "", "")).unwrap();
    let out = dir.path().join("plain");
    std::process::Command::new(env!("CARGO_BIN_EXE_safe-third"))
        .args(["run", file.to_str().unwrap(), "-n", "4", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!std::fs::read_to_string(out.join("report.md")).unwrap().contains("deterrence"));
}
