//! After the receiving country: transferees who do not file, abandon or are denied go home, move on, are not followed, or
//! come back to the sending country's border, where they arrive again after the delay.

use crate::support;

use support::{pipeline, run, scenario, value};

const UNLIMITED: &str = "seats_per_month = \"unlimited\"";

fn total(result: &safe_third::montecarlo::RunResult, months: usize, country: &str, metric: &str) -> f64 {
    (0..result.replications.len())
        .flat_map(|r| (0..months).map(move |m| (r, m)))
        .map(|(r, m)| value(result, r, m, country, metric))
        .sum()
}

#[test]
fn those_who_come_back_arrive_again_after_the_delay() {
    // Nobody files; everyone comes back 40 days after the 3-day window closes, so nobody is back in January.
    let onward =
        "[asylum.b.onward]\nnot_filed = { come_back = 1 }\ncome_back_days = { distribution = \"fixed\", value = 40 }";
    let text = pipeline(3, UNLIMITED, onward, "").replace("filing_probability = 0.5", "filing_probability = 0");
    let result = run(&scenario(&text), 3, 1, 0);
    for r in 0..3 {
        let a = |m, metric| value(&result, r, m, "a", metric);
        let b = |m, metric| value(&result, r, m, "b", metric);
        assert_eq!(a(0, "re_arrivals_cases"), 0.0);
        assert_eq!(a(0, "returning_cases"), b(0, "came_back_cases"), "all January's leavers are on the way");
        // Arrivals of 1–17 January leave when their 3-day window closes and are back 40 days later, by the end of
        // February (2024 is a leap year): about 17 × 20 = 340; later leavers are still on the way.
        assert!(a(1, "re_arrivals_cases") > 250.0, "{}", a(1, "re_arrivals_cases"));
        assert!(a(1, "re_arrivals_cases") < b(0, "came_back_cases"));
        // Re-arrivals are arrivals like any other: transferred again under unlimited seats.
        assert_eq!(a(2, "transferred_cases"), a(2, "arrivals_cases"));
    }
}

#[test]
fn leavers_split_by_the_onward_shares() {
    let onward = "[asylum.b.onward]\nnot_filed = { return_home = 0.6, move_on = 0.3 }";
    let result = run(&scenario(&pipeline(3, UNLIMITED, onward, "")), 4, 2, 0);
    let not_filed = total(&result, 3, "b", "not_filed_cases");
    assert!(not_filed > 3000.0, "about 3,640: 91 days × 20 a day × 0.5 × 4 replications");
    for (metric, share) in [("returned_home_cases", 0.6), ("moved_on_cases", 0.3), ("not_followed_cases", 0.1)] {
        // Filing is 0.5 and nobody abandons; denied claims count too (no shares given for them: not followed).
        let denied =
            total(&result, 3, "b", "transferee_decisions_cases") - total(&result, 3, "b", "transferee_grants_cases");
        let expected = share * not_filed + if metric == "not_followed_cases" { denied } else { 0.0 };
        let got = total(&result, 3, "b", metric);
        assert!((got - expected).abs() < 0.03 * not_filed, "{metric}: {got} vs {expected}");
    }
}

#[test]
fn denied_transferees_follow_the_denied_shares() {
    let onward = "[asylum.b.onward]\ndenied = { return_home = 1 }";
    let text = pipeline(3, UNLIMITED, onward, "")
        .replace("filing_probability = 0.5", "filing_probability = 1")
        .replace("grant_probability = 0.2", "grant_probability = 0");
    let result = run(&scenario(&text), 2, 3, 0);
    let decided = total(&result, 3, "b", "transferee_decisions_cases");
    assert!(decided > 50.0, "two adjudicators decide about 0.4 claims a day");
    assert_eq!(total(&result, 3, "b", "returned_home_cases"), decided, "every denied transferee went home");
    assert_eq!(total(&result, 3, "b", "not_followed_cases"), 0.0);
}

#[test]
fn shares_over_one_and_come_back_without_a_delay_are_refused() {
    let onward = "[asylum.b.onward]\nabandoned = { return_home = 0.7, come_back = 0.5 }";
    let err = safe_third::scenario::Scenario::from_toml(&pipeline(3, UNLIMITED, onward, ""), "t.toml").unwrap_err();
    let err = err.to_string();
    assert!(
        err.contains(
            "asylum.b.onward.abandoned: expected shares summing to at most 1 (the rest are not followed), found 1.2"
        ),
        "{err}"
    );
    assert!(err.contains("asylum.b.onward.come_back_days"), "{err}");
}

/// Transferees who do not file and do not come back leave without an event of their own: the month's close
/// settles those whose window closed within it. Arrivals of January only, transferred at once, 10-day windows,
/// nobody files: those who arrived in its first 21 days leave in January, the others (still in their window when
/// January closes) in February. The split must follow, not the month of transfer, and nobody may be lost.
#[test]
fn those_who_do_not_file_leave_in_the_month_their_window_closes() {
    let text = pipeline(2, UNLIMITED, "", "")
        .replace("filing_probability = 0.5", "filing_probability = 0")
        .replace("filing_window_days = 3", "filing_window_days = 10");
    let text = text.replace(
        &per_day_line(&text),
        "per_day = [{ from = 2024-01-01, value = 20 }, { from = 2024-02-01, value = 0 }]",
    );
    let result = run(&scenario(&text), 5, 2, 0);
    for r in 0..5 {
        let b = |m, metric| value(&result, r, m, "b", metric);
        let january = b(0, "transferred_cases");
        assert!(january > 400.0, "about 620 arrive in January");
        assert_eq!(b(1, "transferred_cases"), 0.0);
        assert_eq!(b(0, "not_filed_cases") + b(1, "not_filed_cases"), january, "replication {r}");
        assert_eq!(b(1, "not_filed_cases"), b(0, "filing_window_cases"), "February's leavers were in their window");
        assert_eq!(b(1, "filing_window_cases"), 0.0);
        let share = b(0, "not_filed_cases") / january;
        assert!((0.55..0.8).contains(&share), "replication {r}: {share} left in January, expected about 21/31");
        assert_eq!(
            b(0, "not_followed_cases") + b(1, "not_followed_cases"),
            january,
            "no onward shares: nobody followed"
        );
    }
}

/// The `per_day = …` line of a scenario text.
fn per_day_line(text: &str) -> String {
    text.lines().find(|l| l.starts_with("per_day")).expect("a per_day line").to_string()
}

/// A filing window that closes at the very instant a month begins counts in the new month (the month's close
/// settles only the windows closed before it), and one closing at the end of the run is never settled. Transfers
/// run at midday and windows last half a day, so every window closes at midnight: those of the last transfer run
/// of January close as February begins, and are still open in January's books.
#[test]
fn a_window_closing_as_a_month_begins_counts_in_the_new_month() {
    let text = pipeline(2, "seats_per_month = 100000", "", "")
        .replace("filing_probability = 0.5", "filing_probability = 0")
        .replace("filing_window_days = 3", "filing_window_days = 0.5");
    let result = run(&scenario(&text), 4, 3, 0);
    for r in 0..4 {
        let b = |m, metric| value(&result, r, m, "b", metric);
        for m in 0..2 {
            // About 20 arrive a day; the last run of the month transfers those of its last day.
            let open = b(m, "filing_window_cases");
            assert!(open > 5.0 && open < 60.0, "replication {r}, month {m}: {open} windows open at its end");
        }
        assert_eq!(
            b(1, "not_filed_cases"),
            b(0, "filing_window_cases") + b(1, "transferred_cases") - b(1, "filing_window_cases")
        );
    }
}
