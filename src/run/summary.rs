//! What a run prints: key figures with their bands, the record beside the simulation, and each policy's
//! differences from the reference. The command line prints it as it is; other front ends may too.

use std::path::Path;

use crate::montecarlo;
use crate::output::format_number;

use super::RunOutcome;

/// What a run prints: key figures with their bands, the record beside the simulation, and each policy's
/// differences from the reference.
pub fn summary_text(outcome: &RunOutcome, out: Option<&Path>) -> String {
    let (runs, reference, wall) = (&outcome.policies, outcome.reference, outcome.wall_seconds);
    use std::fmt::Write as _;
    let mut text = String::new();
    let w = &mut text;
    let base = &runs[reference];
    let result = &base.result;
    let layout = &result.layout;
    let events: u64 = runs.iter().map(|r| r.result.events).sum();
    let policies = if runs.len() > 1 { format!("{} policies × ", runs.len()) } else { String::new() };
    writeln!(
        w,
        "{}: {policies}{} replications, {} to {}, {:.1} s ({:.1} million events/s)",
        outcome.name,
        result.count,
        layout.months[0],
        layout.months[layout.months.len() - 1],
        wall,
        events as f64 / wall.max(1e-9) / 1e6
    )
    .unwrap();
    if let Some(p) = &outcome.precision {
        let worst = p.worst.as_ref().map_or(String::new(), |(m, country, label, r)| {
            format!("; least precise: {} {country} {label}, ±{:.1}%", runs[*m].policy.name, 100.0 * r)
        });
        writeln!(
            w,
            "Precision goal ±{:.1}% of the mean (95% CI) {} after {} replications{worst}",
            100.0 * p.goal.relative_half_width,
            if p.met { "met" } else { "NOT met: stopped at --max-replications" },
            p.replications
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    if runs.len() > 1 {
        writeln!(w, "Reference policy \"{}\":", base.policy.name).unwrap();
    }
    writeln!(w, "{:<14} {:<44} {:>10} {:>10} {:>10}", "country", "over the whole horizon", "P5", "median", "P95")
        .unwrap();
    for figure in &base.key_figures {
        let s = figure.summary;
        writeln!(
            w,
            "{:<14} {:<44} {:>10} {:>10} {:>10}",
            figure.country,
            figure.label,
            format_number(s.p05.round()),
            format_number(s.p50.round()),
            format_number(s.p95.round())
        )
        .unwrap();
    }
    let checks = montecarlo::check_targets(&base.policy.scenario.target, result);
    if !checks.is_empty() {
        writeln!(w).unwrap();
        writeln!(w, "Recorded figures against the simulation (month-end values):").unwrap();
        for check in checks {
            let t = &check.target;
            // Targets were checked against the metric names when the scenario was loaded.
            let (Some(s), Some(inside)) = (check.simulated, check.within_band()) else { continue };
            writeln!(
                w,
                "  {} {} {}: observed {}, simulated median {} (P5–P95 {}–{}) {}",
                t.month,
                t.country,
                t.metric,
                format_number(t.value),
                format_number(s.p50.round()),
                format_number(s.p05.round()),
                format_number(s.p95.round()),
                if inside { "inside the band" } else { "OUTSIDE the band" }
            )
            .unwrap();
        }
    }
    for (_, run) in runs.iter().enumerate().filter(|&(i, _)| i != reference) {
        writeln!(w).unwrap();
        let description = if run.policy.description.is_empty() {
            String::new()
        } else {
            format!(" ({})", run.policy.description.trim())
        };
        writeln!(w, "{} − {}{description}:", run.policy.name, base.policy.name).unwrap();
        let (shown, same): (Vec<_>, Vec<_>) =
            run.key_figure_differences.iter().partition(|d| d.difference.distinguishable());
        for d in &shown {
            let x = &d.difference;
            writeln!(
                w,
                "  {:<14} {:<44} {:>10} → {:>10}   difference {} (95% CI {} to {})",
                d.country,
                d.label,
                format_number(d.reference_mean.round()),
                format_number(d.policy_mean.round()),
                signed(x.mean),
                signed(x.ci_low),
                signed(x.ci_high)
            )
            .unwrap();
        }
        if shown.is_empty() {
            writeln!(w, "  no key figure differs by more than the noise of the run").unwrap();
        } else if !same.is_empty() {
            writeln!(w, "  ({} other key figures: no difference distinguishable from zero)", same.len()).unwrap();
        }
    }
    if let Some(out) = out {
        writeln!(w).unwrap();
        let mut files = vec!["summary.csv"];
        if runs.len() > 1 {
            files.push("differences.csv");
        }
        writeln!(w, "Wrote {} in {}", files.join(", "), out.display()).unwrap();
    }
    text
}

/// A difference with its sign and a sensible precision: `+12`, `-3.4`, `+0.05`.
pub fn signed(x: f64) -> String {
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else {
        2
    };
    format!("{x:+.digits$}")
}
