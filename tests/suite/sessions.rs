//! Decision sessions: adjudicators finish claims at any time, but decisions are issued only when the deciding body
//! meets. Sessions move no adjudication: the same claims are decided, only issued later.

use crate::support;

/// Six months of 2024; claims file at once on transfer; a steady queue for three adjudicators, with patience.
fn scenario(sessions: &str) -> String {
    let asylum = format!(
        "filing_probability = 1\nfiling_window_days = 0\nadjudicators = 3\n\
         service_time_days = {{ distribution = \"gamma\", mean = 2, shape = 3 }}\n\
         patience_days = {{ distribution = \"exponential\", mean = 40 }}\ngrant_probability = 0.3\n\
         initial_backlog = 30\n{sessions}"
    );
    let agreement = "seats_per_month = \"unlimited\"\nmax_wait_days = 5";
    support::OneAgreement { per_day: 2.0, agreement, asylum: &asylum, ..Default::default() }.toml()
}

const REPLICATIONS: u64 = 8;

#[test]
fn decisions_are_issued_only_at_sessions_and_each_session_issues_the_whole_pile() {
    // Sessions at the start of March and of May: the pile of January–February, then of March–April.
    let with = support::scenario(&scenario("[asylum.b.sessions]\ndates = [2024-03-01, 2024-05-01]"));
    let without = support::scenario(&scenario(""));
    let (a, b) = (support::run(&with, REPLICATIONS, 4, 0), support::run(&without, REPLICATIONS, 4, 0));
    support::check_identities(&with, &a);
    for r in 0..REPLICATIONS as usize {
        let s = |m, metric| support::value(&a, r, m, "b", metric);
        let once = |m, metric| support::value(&b, r, m, "b", metric);
        let made = |m| once(m, "cumulative_decisions_cases");
        // Adjudication was going on every month, the same with and without sessions.
        for m in 0..6 {
            assert!(once(m, "decisions_cases") > 20.0, "replication {r}, month {m}: adjudicators were busy");
            for metric in ["abandoned_cases", "in_adjudication_cases", "claims_filed_cases"] {
                assert_eq!(s(m, metric), once(m, metric), "replication {r}, month {m}: {metric}");
            }
            assert_eq!(s(m, "backlog_cases"), once(m, "backlog_cases") + s(m, "awaiting_session_cases"));
            assert_eq!(s(m, "awaiting_session_cases"), made(m) - s(m, "cumulative_decisions_cases"));
        }
        let sessions: Vec<f64> = (0..6).map(|m| s(m, "sessions_count")).collect();
        assert_eq!(sessions, [0.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        let issued: Vec<f64> = (0..6).map(|m| s(m, "decisions_cases")).collect();
        // March's session issues every decision made in January and February; May's those of March and April.
        assert_eq!(issued, [0.0, 0.0, made(1), 0.0, made(3) - made(1), 0.0], "replication {r}");
        // The same people get the same outcomes, only later.
        assert_eq!(s(4, "cumulative_grants_cases"), once(3, "cumulative_grants_cases"));
        assert!(s(4, "wait_days_mean") > once(4, "wait_days_mean"), "waits run to the session");
    }
}

#[test]
fn random_gaps_have_the_stated_mean_and_do_not_depend_on_capacity() {
    let years = 10;
    let sessions = "[asylum.b.sessions]\ngap_days = { distribution = \"gamma\", mean = 20, shape = 4 }";
    let text = scenario(sessions).replace("months = 6", &format!("months = {}", 12 * years));
    let result = support::run(&support::scenario(&text), 20, 9, 0);
    let busier = support::run(&support::scenario(&text.replace("adjudicators = 3", "adjudicators = 9")), 20, 9, 0);
    let months = 12 * years as usize;
    let mut held = 0.0;
    for r in 0..20 {
        for m in 0..months {
            let count = support::value(&result, r, m, "b", "sessions_count");
            assert_eq!(count, support::value(&busier, r, m, "b", "sessions_count"), "capacity moved a session");
            held += count;
        }
    }
    // 3,653 days per replication at a mean gap of 20 days: about 182.6 sessions each, 3,653 in all (±1.7%).
    let days = 3653.0 * 20.0;
    let mean_gap = days / held;
    assert!((mean_gap / 20.0 - 1.0).abs() < 0.05, "mean gap {mean_gap} days over {held} sessions");
}

#[test]
fn the_first_random_session_is_on_first_and_fixed_gaps_follow_it() {
    // First session 10 March, then every 30 days: 9 April, 9 May, 8 June.
    let sessions = "[asylum.b.sessions]\ngap_days = { distribution = \"fixed\", value = 30 }\nfirst = 2024-03-10";
    let result = support::run(&support::scenario(&scenario(sessions)), 2, 1, 0);
    for r in 0..2 {
        let counts: Vec<f64> = (0..6).map(|m| support::value(&result, r, m, "b", "sessions_count")).collect();
        assert_eq!(counts, [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(support::value(&result, r, 1, "b", "cumulative_decisions_cases"), 0.0);
        assert!(support::value(&result, r, 2, "b", "decisions_cases") > 0.0);
    }
}
