//! Halts of decisions (`[[asylum.X.suspension]]`): no adjudication starts and no decision is issued while halted;
//! claims in adjudication are finished and their decisions issued when the halt ends. Claims keep arriving and
//! waiting claims keep abandoning.

use crate::support;

/// Six months of 2024, a steady flow of claims for three adjudicators who take exactly five days a claim.
fn scenario(extra: &str) -> String {
    let asylum = format!(
        "filing_probability = 1\nfiling_window_days = 0\nadjudicators = 3\n\
         service_time_days = {{ distribution = \"fixed\", value = 5 }}\n\
         patience_days = {{ distribution = \"exponential\", mean = 90 }}\ngrant_probability = 0.5\n\
         initial_backlog = 200\n{extra}"
    );
    let agreement = "seats_per_month = \"unlimited\"\nmax_wait_days = 5";
    support::OneAgreement { per_day: 1.0, agreement, asylum: &asylum, ..Default::default() }.toml()
}

const REPLICATIONS: usize = 6;

#[test]
fn nothing_starts_or_is_issued_during_a_halt_and_the_pile_is_issued_when_it_ends() {
    let s = support::scenario(&scenario(
        "[[asylum.b.suspension]]\nfrom = 2024-03-01\nuntil = 2024-05-01\nlabel = \"not convened\"",
    ));
    let result = support::run(&s, REPLICATIONS as u64, 3, 0);
    support::check_identities(&s, &result);
    for r in 0..REPLICATIONS {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        let in_adjudication_at_halt = v(1, "in_adjudication_cases");
        assert_eq!(in_adjudication_at_halt, 3.0, "replication {r}: the queue kept three adjudicators busy");
        for m in [2, 3] {
            assert_eq!(v(m, "decisions_cases"), 0.0, "replication {r}, month {m}: a decision during the halt");
            assert_eq!(v(m, "in_adjudication_cases"), 0.0, "replication {r}, month {m}: adjudication started");
            // The claims in adjudication when it began were finished, and wait to be issued.
            assert_eq!(v(m, "awaiting_session_cases"), in_adjudication_at_halt);
            assert!(v(m, "claims_filed_cases") > 10.0, "claims keep arriving");
            assert!(v(m, "abandoned_cases") > 0.0, "patience still runs");
        }
        // May: the pile is issued on the 1st, and adjudication resumes (three adjudicators, five days a claim: 18
        // decisions in 31 days).
        assert_eq!(v(4, "decisions_cases"), in_adjudication_at_halt + 18.0, "replication {r}");
        assert_eq!(v(4, "awaiting_session_cases"), 0.0);
        assert!(v(1, "decisions_cases") > 0.0 && v(4, "in_adjudication_cases") == 3.0);
    }
}

#[test]
fn a_halt_without_an_end_stops_decisions_to_the_horizon() {
    let s = support::scenario(&scenario("[[asylum.b.suspension]]\nfrom = 2024-03-01"));
    let result = support::run(&s, REPLICATIONS as u64, 3, 0);
    support::check_identities(&s, &result);
    for r in 0..REPLICATIONS {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        assert!(v(1, "decisions_cases") > 0.0);
        for m in 2..6 {
            assert_eq!(v(m, "decisions_cases"), 0.0, "replication {r}, month {m}");
            assert_eq!(v(m, "awaiting_session_cases"), 3.0);
        }
    }
}

#[test]
fn with_sessions_a_halt_cancels_the_sessions_it_covers_and_the_next_session_issues_the_pile() {
    let s = support::scenario(&scenario(
        "[asylum.b.sessions]\ndates = [2024-02-01, 2024-03-15, 2024-04-01, 2024-05-20]\n\
         [[asylum.b.suspension]]\nfrom = 2024-03-01\nuntil = 2024-05-01",
    ));
    let result = support::run(&s, REPLICATIONS as u64, 3, 0);
    support::check_identities(&s, &result);
    for r in 0..REPLICATIONS {
        let v = |m, metric| support::value(&result, r, m, "b", metric);
        let held: Vec<f64> = (0..6).map(|m| v(m, "sessions_count")).collect();
        assert_eq!(held, [0.0, 1.0, 0.0, 0.0, 1.0, 0.0], "the sessions of 15 March and 1 April are not held");
        for m in [0, 2, 3, 5] {
            assert_eq!(v(m, "decisions_cases"), 0.0, "replication {r}, month {m}");
        }
        // The end of the halt on 1 May issues nothing: the session of 20 May does.
        assert!(v(4, "decisions_cases") > v(3, "awaiting_session_cases"));
        assert!(v(4, "awaiting_session_cases") > 0.0, "decisions made after the 20 May session wait");
    }
}
