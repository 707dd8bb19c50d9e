//! report.md and report.html: key figures with their bands, the charts, the scenario's assumptions and the
//! commands that reproduce the run.

use std::process::Command;

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
        "| 16 Mar 2020 | nothing: new transfers suspended |",
        "Transfer seats (people per month): 13.5328 from 2019-11-21; 91.3378 from 2019-12-12; 376.624 from 2020-01-07; 0 from 2020-03-16.",
        "Adjudicators: 4.",
        "Probability that a transferred case files a claim: 0.0298368, within 3 days of transfer.",
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
    assert_eq!(html.matches("<svg").count(), 9, "one inline SVG per chart: 4, and 5 beside the observed record");
    assert!(md.contains("## The record beside the simulation"), "{md}");
    assert!(md.contains("| 2020-03 | Guatemala | backlog_cases | 713 |"), "{md}");
    assert!(md.contains("![Guatemala: cumulative_transferred_people, observed and simulated](charts/fit-cumulative_transferred_people-guatemala.png)"), "{md}");
    assert!(html.contains("<td>Guatemala</td><td>transferred (people)</td><td class=\"n\">946</td>"), "{html}");
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
