//! report.md and report.html: key figures with their bands, the charts, the scenario's assumptions and the
//! commands that reproduce the run.

use crate::support;

use std::process::Command;

use safe_third::output::charts::{self, ChartContext};
use safe_third::output::{Manifest, ReportInput, SummaryTable};

#[test]
fn run_writes_a_report_with_key_figures_charts_assumptions_and_the_reproducing_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = Command::new(env!("CARGO_BIN_EXE_safe-third"))
        .args(["run", "-n", "16", "--seed", "3", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();

    // Key figures: a table with P5, median and P95, the peak backlog with its month.
    assert!(md.contains("## Key figures"), "{md}");
    assert!(md.contains("| Country | Over the whole horizon | P5 | Median | P95 |"), "{md}");
    for figure in [
        "| Guatemala | transferred (people) | 946 | 946 | 946 |",
        "| Guatemala | claims filed by transferees (cases) |",
        "| Guatemala | transferee claims decided (cases) |",
        "| Guatemala | transferee claims granted (cases) |",
        "| Guatemala | transferee claims abandoned (cases) |",
        "| United States | released after waiting (cases) |",
        "| Guatemala | peak month-end backlog (cases); the median backlog is highest in 2021-01 |",
    ] {
        assert!(md.contains(figure), "report.md lacks {figure}");
    }
    // Charts, linked as PNG files that exist.
    for stem in ["backlog-guatemala", "transfers-guatemala", "outcomes-guatemala", "released-united_states"] {
        let link = format!("(charts/{stem}.png)");
        assert!(md.contains(&link), "report.md lacks {link}");
        assert!(out.join(format!("charts/{stem}.png")).exists());
    }
    // Assumptions read from the scenario: rollout dates, capacities, probabilities.
    for assumption in [
        "| 21 Nov 2019 | single adult | 0.15 | single adults, El Paso |",
        "Transfers halted from 16 Mar 2020 (never resumed): suspended (COVID-19)",
        "Transfer seats (people per month): 13.5328 from 2019-11-21; 91.3378 from 2019-12-12; 376.624 from 2020-01-07.",
        "Decisions are issued only at sessions, at random gaps: gamma, mean 120 days, shape 3.",
        "Decisions halted from 16 Mar 2020 (until 27 Apr 2020): AMN not convened (COVID-19).",
        "After the asylum process (shares; the rest not followed): not filed 0.6 home, 0 onward, 0.05 back to the border;",
        "Adjudicators: 4.",
        "Probability that a transferred case files a claim: 0.0213, within 3 days of transfer.",
        "Time to decide one claim: gamma, mean 61 days, shape 2.",
    ] {
        assert!(md.contains(assumption), "report.md lacks the assumption {assumption}");
    }
    // The recorded figures beside the simulation.
    assert!(md.contains("| 2020-03 | Guatemala | cumulative_transferred_people | 939 | 946 | 946–946 | outside |"));
    // How to reproduce it: from the manifest, and the original command.
    let manifest = out.join("manifest.json").display().to_string();
    assert!(md.contains(&format!("safe-third run --from-manifest {manifest}")), "{md}");
    assert!(md.contains(&format!("run -n 16 --seed 3 --out {}", out.display())), "{md}");

    // The HTML report says the same, with the charts inlined as SVG and nothing fetched from elsewhere.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(
        html.matches("<svg").count(),
        11,
        "one inline SVG per chart: 4, 2 for where transferees went and the AMN's sessions, 5 beside the record"
    );
    assert!(md.contains("## The record beside the simulation"), "{md}");
    assert!(md.contains("| 2020-03 | Guatemala | backlog_cases | 713 |"), "{md}");
    assert!(md.contains("![Guatemala: transferred, running total (people), observed and simulated](charts/fit-cumulative_transferred_people-guatemala.png)"), "{md}");
    assert!(
        html.contains("<td>Guatemala</td><td>transferred (people)</td><td style=\"text-align: right\">946</td>"),
        "{html}"
    );
    assert!(html.contains(&format!("safe-third run --from-manifest {manifest}")));
    for external in ["<script", "<link", "<img", "src=\"http", "href=\"http", "url("] {
        assert!(!html.contains(external), "report.html is not self-contained: it has {external}");
    }
    // The inline charts are the chart files themselves.
    let svg = std::fs::read_to_string(out.join("charts/backlog-guatemala.svg")).unwrap();
    assert!(html.contains(svg.trim()), "the inlined backlog chart differs from charts/backlog-guatemala.svg");
}

#[test]
fn several_policies_get_a_ranking_their_distinguishable_differences_and_comparison_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("policies");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/guatemala-2019-policies.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_safe-third"))
        .args(["run", scenario, "-n", "16", "--seed", "3", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Key figures (reference policy `historical`)"), "{md}");
    assert!(md.contains("## Policies compared"), "{md}");
    assert!(md.contains("- `double-adjudicators`: 8 Guatemalan asylum adjudicators instead of 4"), "{md}");
    // A ranking per headline figure, lowest mean first, with the reference marked and the paired differences.
    for heading in [
        "#### Guatemala: transferred (people)",
        "#### Guatemala: peak month-end backlog (cases)",
        "#### Guatemala: claims filed by transferees (cases)",
        "#### United States: released after waiting (cases)",
    ] {
        assert!(md.contains(heading), "report.md lacks the ranking {heading}");
    }
    assert!(md.contains("| Rank | Policy | Mean | P5–P95 | Difference from historical (95% CI) |"), "{md}");
    assert!(md.contains("| 1 | no-agreement | 0 | 0–0 | −946 (−946 to −946) |"), "{md}");
    assert!(md.contains("| historical | 946 | 946–946 | reference |"), "{md}");
    // Doubling adjudicators changes no transfer: that difference is zero, not distinguishable.
    assert!(md.contains("| double-adjudicators | 946 | 946–946 | 0 (0 to 0), not distinguishable |"), "{md}");
    // Per policy, the distinguishable differences with their intervals, and the count of the others.
    let double = md.split("`double-adjudicators` − `historical`").nth(1).expect("a section per policy");
    let double = double.split("`no-agreement` − `historical`").next().unwrap();
    assert!(double.contains("| Guatemala | peak month-end backlog (cases) | "), "{double}");
    assert!(!double.contains("transferred (people)"), "no transfer differs: {double}");
    assert!(double.contains("other key figures: no difference distinguishable from zero"), "{double}");
    // The comparison and difference charts, in their own section, linked and present.
    let section = md.split("### Charts comparing policies").nth(1).expect("a section for comparison charts");
    for stem in ["compare-backlog-guatemala", "difference-backlog-guatemala", "difference-released-united_states"] {
        assert!(section.contains(&format!("(charts/{stem}.png)")), "the comparison section lacks {stem}");
        assert!(out.join(format!("charts/{stem}.png")).exists());
    }
    // The HTML report inlines the difference chart as drawn from differences.csv.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h4>Guatemala: transferred (people)</h4>"));
    let svg = std::fs::read_to_string(out.join("charts/difference-backlog-guatemala.svg")).unwrap();
    assert!(html.contains(svg.trim()), "the inlined difference chart differs from its file");
}

/// The part of a Markdown report from `heading` to the next second-level heading.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md.find(&format!("\n## {heading}\n")).unwrap_or_else(|| panic!("report.md lacks ## {heading}"));
    let rest = &md[start + 1..];
    rest[3..].find("\n## ").map_or(rest, |end| &rest[..end + 3])
}

#[test]
fn mechanisms_in_use_get_a_section_with_their_totals_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let run = |mechanisms: bool| -> String {
        let name = if mechanisms { "with" } else { "without" };
        let scenario = dir.path().join(format!("{name}.toml"));
        std::fs::write(&scenario, support::pipeline_with_mechanisms(mechanisms)).unwrap();
        let out = dir.path().join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_safe-third"))
            .args(["run", scenario.to_str().unwrap(), "-n", "4", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out.join("report.md")).unwrap()
    };
    let plain = run(false);
    for heading in ["After the receiving country", "Deterrence (assumption)", "Transfer operations", "Costs"] {
        assert!(!plain.contains(&format!("## {heading}")), "a section for a mechanism left off: {heading}");
    }
    let md = run(true);
    let after = section(&md, "After the receiving country");
    for row in [
        "| Country | Over the whole horizon | P5 | Median | P95 | Mean |",
        "| A | arrived again at the border (cases, running total) |",
        "| B | returned home (cases, running total) |",
        "| B | moved on elsewhere (cases) | – | – | – |",
        "| B | set off back to the sending country (cases, running total) |",
        "Totals without a band (–) are means across replications",
        "![B: where transferees went after leaving the asylum process](charts/after-b.png)",
    ] {
        assert!(after.contains(row), "the section on what came after lacks {row}: {after}");
    }
    let deterrence = section(&md, "Deterrence (assumption)");
    assert!(deterrence.contains("**ASSUMPTION: deterrence (arrivals fall with the recent share transferred).**"));
    assert!(deterrence.contains("| A | deterred: stayed away (cases, running total) |"), "{deterrence}");
    assert!(deterrence.contains("| A | diverted: came by another route (cases) |"), "{deterrence}");
    assert!(deterrence.contains("(charts/deterrence-a.png)"), "{deterrence}");
    let operations = section(&md, "Transfer operations");
    for row in ["| B | flights |", "| B | person-days waiting for a seat |", "| B | released because holding was full"]
    {
        assert!(operations.contains(row), "the section on transfer operations lacks {row}: {operations}");
    }
    assert!(operations.contains("(charts/operations-b.png)"));
    // The mechanisms' charts are in their sections, not among the charts every run has.
    let general = section(&md, "Charts");
    assert!(general.contains("(charts/backlog-b.png)") && !general.contains("(charts/after-b.png)"), "{general}");
}

/// A summary table of `a` (sending) and `b` over three months: a backlog, and `extra` (country, metric, monthly
/// medians; mean = median, P5 and P95 ±10%).
fn summary(extra: &[(&str, &str, [f64; 3])]) -> SummaryTable {
    let mut text = String::from("policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n");
    for (country, metric, values) in [("b", "backlog_cases", [10.0, 20.0, 30.0])].iter().chain(extra) {
        for (m, month) in ["2024-01", "2024-02", "2024-03"].iter().enumerate() {
            let v = values[m];
            text.push_str(&format!("p,{month},{country},{metric},{v},1,{},{v},{v},{v},{}\n", 0.9 * v, 1.1 * v));
        }
    }
    SummaryTable::from_reader(text.as_bytes()).unwrap()
}

/// Writes the report of a summary table (and the charts it plans) for the pipeline scenario; returns report.md.
fn report_of(table: &SummaryTable) -> String {
    let scenario = support::scenario(&support::pipeline(3, "seats_per_month = 300", "", ""));
    let manifest: Manifest = serde_json::from_str(
        r#"{"tool":"safe-third","version":"0","scenario_name":"pipeline","scenario_file":"p.toml",
            "scenario_sha256":"x","seed":1,"replications":3,"threads":1,"generator":"g","command":["run"],
            "started_unix_seconds":0,"wall_time_seconds":0.0,"events":0}"#,
    )
    .unwrap();
    let context = ChartContext::new(&manifest, &scenario);
    let specs = charts::plan(table, &context);
    let dir = tempfile::tempdir().unwrap();
    let input = ReportInput {
        scenario: &scenario,
        manifest: &manifest,
        table,
        differences: None,
        context: &context,
        key_figures: &[],
        charts: &specs,
        dir: dir.path(),
        comparison: None,
        record: None,
    };
    safe_third::output::write_report(dir.path(), &input).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), specs.len(), "every chart inline in report.html");
    std::fs::read_to_string(dir.path().join("report.md")).unwrap()
}

#[test]
fn courts_costs_and_sessions_get_sections_from_their_metric_names() {
    let metrics: [(&str, &str, [f64; 3]); 10] = [
        ("a", "court_backlog_cases", [1000.0, 1010.0, 1020.0]),
        ("a", "court_backlog_without_agreement_cases", [1000.0, 1040.0, 1080.0]),
        ("a", "court_claims_filed_cases", [80.0, 70.0, 60.0]),
        ("a", "court_claims_averted_cases", [0.0, 30.0, 50.0]),
        ("a", "court_claims_averted_share", [0.0, 0.3, 0.45]),
        ("a", "cumulative_cost_usd", [100_000.0, 250_000.0, 420_000.0]),
        ("b", "cumulative_cost_usd", [50_000.0, 180_000.0, 300_000.0]),
        ("b", "staff_cost_usd", [50_000.0, 50_000.0, 50_000.0]),
        ("b", "sessions_count", [1.0, 0.0, 1.0]),
        ("b", "awaiting_session_cases", [12.0, 0.0, 20.0]),
    ];
    let md = report_of(&summary(&metrics));
    let courts = section(&md, "Sending country's courts");
    for row in [
        "| A | claims pending in the courts at the end (cases) | 918 | 1,020 | 1,122 | 1,020 |",
        "| A | claims pending at the end without the agreement (cases) | 972 | 1,080 | 1,188 | 1,080 |",
        "| A | claims filed in the courts (cases) | – | – | – | 210 |",
        "| A | claims averted by the agreement (cases) | – | – | – | 80 |",
        // 80 averted of 290 that would have been filed.
        "| A | share of claims averted by the agreement (ratio of mean totals) | – | – | – | 27.6% |",
        "(charts/courts-a.png)",
    ] {
        assert!(courts.contains(row), "the courts section lacks {row}: {courts}");
    }
    let costs = section(&md, "Costs");
    for row in [
        "| A | cost, running total (US dollars) | 378,000 | 420,000 | 462,000 | 420,000 |",
        "| B | cost, running total (US dollars) | 270,000 | 300,000 | 330,000 | 300,000 |",
        "| B | adjudicators' pay (US dollars) | – | – | – | 150,000 |",
        "do not add them",
        "(charts/costs.png)",
    ] {
        assert!(costs.contains(row), "the costs section lacks {row}: {costs}");
    }
    let sessions = section(&md, "Decision sessions and staff");
    for row in [
        "| B | decision sessions held | – | – | – | 2 |",
        "| B | decided, awaiting a session at the end (cases) | 18 | 20 | 22 | 20 |",
        "(charts/sessions-b.png)",
    ] {
        assert!(sessions.contains(row), "the sessions section lacks {row}: {sessions}");
    }
    assert!(!sessions.contains("| B | adjudicators hired"), "no hiring in the table, no row for it");

    // Absent or all zero: no section.
    let zeros: Vec<(&str, &str, [f64; 3])> = metrics.iter().map(|&(c, m, _)| (c, m, [0.0; 3])).collect();
    for md in [report_of(&summary(&[])), report_of(&summary(&zeros))] {
        for heading in ["Sending country's courts", "Costs", "Decision sessions and staff"] {
            assert!(!md.contains(&format!("## {heading}")), "a section for a mechanism not in use: {heading}");
        }
    }
}

/// Every shipped scenario's report.html, rendered from Markdown by pulldown-cmark, shows no Markdown syntax: no
/// `**` of bold text and no backtick of a code span survive (the hand-written renderer knew only backticks, and
/// printed `**ASSUMPTION: …**` as written).
#[test]
fn no_markdown_syntax_survives_in_any_shipped_scenarios_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut scenarios: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 10, "{scenarios:?}");
    let mut bold = 0;
    for scenario in &scenarios {
        let name = scenario.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(&name);
        let o = Command::new(env!("CARGO_BIN_EXE_safe-third"))
            .args(["run", scenario.to_str().unwrap(), "-n", "2", "--seed", "5", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(!html.contains("**"), "{name}: report.html shows `**`");
        assert!(!html.contains('`'), "{name}: report.html shows a backtick");
        // What the Markdown marks up is rendered: as many code spans and bold runs as report.md has.
        let spans = md.split("```").step_by(2).map(|t| t.matches('`').count() / 2).sum::<usize>();
        assert_eq!(html.matches("<code>").count(), spans, "{name}: code spans");
        assert_eq!(html.matches("<strong>").count(), md.matches("**").count() / 2, "{name}: bold text");
        bold += html.matches("<strong>").count();
    }
    assert!(bold > 0, "some shipped scenario marks an assumption in bold");
}
