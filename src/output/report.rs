//! `report.md` and `report.html`: what was assumed, what came out, and how to reproduce it.
//!
//! Both are built from one list of blocks, so they say the same thing. The Markdown report links the PNG charts
//! in `charts/`; the HTML report inlines the SVG charts and needs no other file.

mod mechanisms;

use std::fmt::Write as _;
use std::path::Path;

use super::charts::{self, ChartContext, ChartFormat, ChartSpec, thousands, thousands_with};
use super::number::signed;
use super::{DifferenceTable, Manifest, SummaryTable, write_atomically};
use crate::montecarlo::KeyFigure;
use crate::montecarlo::comparison::KeyFigureDifference;
use crate::scenario::{ArrivalStream, Scenario, Schedule};

/// Everything a report is written from.
pub struct ReportInput<'a> {
    pub scenario: &'a Scenario,
    pub manifest: &'a Manifest,
    pub table: &'a SummaryTable,
    /// `differences.csv` read back, when several policies ran (difference charts are drawn from it).
    pub differences: Option<&'a DifferenceTable>,
    pub context: &'a ChartContext,
    /// Headline numbers with their bands (computed from every replication: peaks are per replication).
    pub key_figures: &'a [KeyFigure],
    /// The charts drawn, in order; the report links `charts/<stem>.png` and inlines their SVG.
    pub charts: &'a [ChartSpec],
    /// The run directory as the user named it, for the commands that reproduce it.
    pub dir: &'a Path,
    /// When several policies ran: every policy's key figures and differences from the reference.
    pub comparison: Option<&'a PolicyComparison>,
    /// The scenario's observed record beside the reference policy's run, when it has one.
    pub record: Option<&'a [crate::calibration::fit::FitPoint]>,
}

/// Several policies' headline numbers, for the report's comparison section.
#[derive(Debug, Clone)]
pub struct PolicyComparison {
    /// The reference policy's name.
    pub reference: String,
    /// Every policy, the reference included, in the order they ran.
    pub policies: Vec<PolicyFigures>,
}

/// One policy's key figures and, except for the reference, their paired differences from the reference.
#[derive(Debug, Clone)]
pub struct PolicyFigures {
    pub name: String,
    pub description: String,
    pub key_figures: Vec<KeyFigure>,
    /// Empty for the reference.
    pub differences: Vec<KeyFigureDifference>,
}

/// The headline figures policies are ranked on: key-figure label, and whether it is read for the receiving
/// countries (else the sending country).
const RANKED: [(&str, bool); 4] = [
    ("transferred (people)", true),
    ("peak month-end backlog (cases)", true),
    ("claims filed by transferees (cases)", true),
    ("released after waiting (cases)", false),
];

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    #[error(transparent)]
    Write(#[from] super::OutputError),
}

enum Block {
    Heading(u8, String),
    Paragraph(String),
    List(Vec<String>),
    /// Header, rows, and the right-aligned (numeric) columns.
    Table(Vec<String>, Vec<Vec<String>>, std::ops::Range<usize>),
    Chart(ChartSpec),
    Code(String),
}

/// Writes `report.md` and `report.html` into `dir`.
pub fn write_report(dir: &Path, input: &ReportInput) -> Result<(), ReportError> {
    let blocks = blocks(input);
    let markdown = markdown(&blocks);
    write_atomically(&dir.join("report.md"), |w| w.write_all(markdown.as_bytes()))?;
    let html = html(&blocks, input)?;
    write_atomically(&dir.join("report.html"), |w| w.write_all(html.as_bytes()))?;
    Ok(())
}

fn blocks(input: &ReportInput) -> Vec<Block> {
    let s = input.scenario;
    let m = input.manifest;
    let t = input.table;
    let ctx = input.context;
    let name = |c: &str| ctx.name(c).to_string();
    let mut out = vec![Block::Heading(1, format!("{}: simulation report", s.name))];
    if !s.description.trim().is_empty() {
        out.push(Block::Paragraph(s.description.trim().to_string()));
    }
    let (first, last) = (t.months.first().cloned().unwrap_or_default(), t.months.last().cloned().unwrap_or_default());
    out.push(Block::Paragraph(format!(
        "{} replications with seed {}, calendar months {first} to {last}, by safe-third {} from the scenario file `{}` \
         (SHA-256 `{}`). Every figure is given across replications: the median, and P5–P95, the range that holds 90% \
         of them. The bands show how much the outcome varies from one simulated history to another; they are not \
         confidence intervals of an average.",
        thousands(m.replications as f64),
        m.seed,
        m.version,
        m.scenario_file,
        m.scenario_sha256
    )));
    if let Some(d) = &s.arrivals.deterrence {
        out.push(Block::Paragraph(format!(
            "**{}.** Would-be arrivals of a nationality stay away with probability 1 − (1 − s)^{}, s being the share \
             of that nationality's arrivals transferred over the {} month(s) ending {} month(s) earlier; {}% of them \
             come by another route. This is an assumption of the scenario, not an estimate: the `deterred_cases` and \
             `diverted_cases` it produces follow from it.",
            d.label.trim_end_matches('.'),
            d.elasticity,
            d.window_months,
            d.lag_months,
            d.diverted_share * 100.0
        )));
    }
    for (receiving, a) in &s.agreement {
        let note = match a.kind {
            crate::scenario::AgreementKind::SafeThirdCountry => continue,
            crate::scenario::AgreementKind::WaitAbroad => format!(
                "People sent to {} wait there for the sending country's own hearings: its asylum figures below are \
                 that docket's, heard while they wait abroad.",
                name(receiving)
            ),
            crate::scenario::AgreementKind::TransitReturn => format!(
                "{} is a stop on the way home: nobody claims asylum there; transferees move on after the stay.",
                name(receiving)
            ),
        };
        out.push(Block::Paragraph(note));
    }

    // Key figures.
    // The policy described: the reference when several ran.
    let policy = input.comparison.map_or_else(|| ctx_policy(t), |c| c.reference.clone());
    out.push(Block::Heading(
        2,
        if input.comparison.is_some() {
            format!("Key figures (reference policy `{policy}`)")
        } else {
            "Key figures".to_string()
        },
    ));
    out.push(Block::Paragraph(
        "Totals over the whole horizon, and the backlog at its end and at its peak (each replication's largest \
         month-end value)."
            .to_string(),
    ));
    let rows = input
        .key_figures
        .iter()
        .map(|f| {
            let mut label = f.label.to_string();
            if f.label.starts_with("peak")
                && let Some(month) = peak_month(t, &policy, &f.country, f.metric)
            {
                label.push_str(&format!("; the median backlog is highest in {month}"));
            }
            let n = |v: f64| thousands(v.round());
            vec![name(&f.country), label, n(f.summary.p05), n(f.summary.p50), n(f.summary.p95)]
        })
        .collect();
    out.push(Block::Table(
        ["Country", "Over the whole horizon", "P5", "Median", "P95"].map(String::from).to_vec(),
        rows,
        2..5,
    ));

    // Charts.
    out.push(Block::Heading(2, "Charts".to_string()));
    out.push(Block::Paragraph(format!(
        "The PNG and SVG files are in `{}` (with several policies, each policy's own charts are there too; the \
         report shows the reference policy's). Numbered vertical lines mark the rollout phases; grey shading marks \
         a suspension of new transfers.",
        input.dir.join("charts").display()
    )));
    // With several policies, the report shows the reference policy's own charts and the comparisons; every
    // policy's own charts are in `charts/`.
    let reference = input.comparison.map(|c| c.reference.as_str());
    let own = |c: &&ChartSpec| !c.compares_policies() && !c.stem.starts_with("fit-") && c.mechanism.is_none();
    for chart in input.charts.iter().filter(own).filter(|c| reference.is_none_or(|r| c.policy == r)) {
        out.push(Block::Chart(chart.clone()));
    }
    // The mechanisms the run uses, each with its figures and charts.
    out.extend(mechanisms::sections(input, &policy));
    if let Some(comparison) = input.comparison {
        out.extend(comparison_blocks(input, comparison));
    }

    // Assumptions.
    out.push(Block::Heading(2, "Assumptions (from the scenario file)".to_string()));
    out.push(Block::Paragraph(format!(
        "Every number below is read from `{}`. Its comments give the source of each value, or say that it is an \
         assumption.",
        m.scenario_file
    )));
    out.push(Block::Heading(3, "Horizon and arrivals".to_string()));
    let mut horizon = vec![
        format!("Start {}, {} calendar months ({first} to {last}).", s.start, s.months),
        format!("Sending country: {} ({}).", name(&s.sending_country), s.sending_country),
    ];
    if let Some(total) = &s.arrivals.border_total_per_month {
        horizon.push(format!("All arrivals at the border (people per month): {}.", total.describe()));
    }
    if let Some(sizes) = &s.arrivals.family_size {
        let sizes: Vec<String> = sizes.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        horizon.push(format!("Family sizes (people: probability): {}.", sizes.join(", ")));
    }
    out.push(Block::List(horizon));
    let streams = s
        .arrivals
        .stream
        .iter()
        .map(|a| {
            vec![
                name(&a.nationality),
                a.household.name().replace('_', " "),
                stream_rate(a),
                format!("{:?}", a.count).to_lowercase().replace("negativebinomial", "negative binomial"),
            ]
        })
        .collect();
    out.push(Block::Table(
        ["Nationality", "Household", "Expected arrivals (cases)", "Monthly count"].map(String::from).to_vec(),
        streams,
        0..0,
    ));
    for (receiving, a) in &s.agreement {
        out.push(Block::Heading(3, format!("Agreement with {}", name(receiving))));
        let transit: Vec<String> = a.transit_probability.iter().map(|(k, v)| format!("{} {}", name(k), v)).collect();
        let exempt: Vec<String> = a.exempt_households.iter().map(|h| h.name().replace('_', " ")).collect();
        let wait =
            if a.max_wait_days.is_infinite() { "unlimited".to_string() } else { format!("{} days", a.max_wait_days) };
        out.push(Block::List(vec![
            format!(
                "Eligible nationalities: {}.",
                a.eligible_nationalities.iter().map(|n| name(n)).collect::<Vec<_>>().join(", ")
            ),
            format!("Probability of having transited {}: {}.", name(receiving), transit.join(", ")),
            format!("Exempt households: {}.", if exempt.is_empty() { "none".to_string() } else { exempt.join(", ") }),
            format!("Share exempted by the fear screening: {}.", a.screening_exempt_share.describe()),
            format!("Kind of arrangement: {}.", a.kind.name().replace('_', " ")),
            match &a.seats_per_month {
                Some(seats) => format!("Transfer seats (people per month): {}.", schedule(seats)),
                None => "Transfer seats: no monthly budget; the flights set the pace.".to_string(),
            },
            format!("Queue for seats: {}.", a.queue_discipline.name().replace('_', " ")),
            format!("Longest wait for a seat before release into the sending country's process: {wait}."),
        ]));
        let mut operations = Vec::new();
        if let Some(f) = &a.flights {
            let days: Vec<String> = f.weekdays.iter().map(|d| format!("{d:?}")).collect();
            operations.push(format!(
                "Flights on {}, {} seats each, {} US dollars per flight.",
                days.join(", "),
                f.seats_per_flight.describe(),
                f.cost_per_flight_usd
            ));
        }
        if a.holding_capacity_people.is_finite() {
            operations.push(format!(
                "Holding capacity on the sending side: {} people; cases that find it full are released.",
                a.holding_capacity_people
            ));
        }
        for x in &a.suspension {
            let until = halt_end(x.until);
            operations.push(format!(
                "Transfers halted from {} ({until}){}; cases waiting then are {}.",
                charts::day_label(x.from.0),
                if x.label.is_empty() { String::new() } else { format!(": {}", x.label) },
                match x.waiting {
                    crate::scenario::WaitingAtSuspension::Release => "released into the sending country's process",
                    crate::scenario::WaitingAtSuspension::Hold => "kept waiting",
                }
            ));
        }
        if !operations.is_empty() {
            out.push(Block::List(operations));
        }
        let phases = a
            .phase
            .iter()
            .map(|p| {
                let open: Vec<String> = p.households.iter().map(|h| h.name().replace('_', " ")).collect();
                vec![
                    charts::day_label(p.from.0),
                    if open.is_empty() { "nothing: new transfers suspended".to_string() } else { open.join(", ") },
                    if p.households.is_empty() { "–".to_string() } else { format!("{}", p.coverage) },
                    p.label.clone(),
                ]
            })
            .collect();
        out.push(Block::Table(["Phase from", "Open to", "Coverage", "Label"].map(String::from).to_vec(), phases, 0..0));
    }
    for (receiving, sys) in &s.asylum {
        out.push(Block::Heading(3, format!("Asylum system of {}", name(receiving))));
        let mut items = vec![
            format!(
                "Probability that a transferred case files a claim: {}, within {} days of transfer.",
                sys.filing_probability.describe(),
                sys.filing_window_days
            ),
            format!("Adjudicators: {}.", schedule(&sys.adjudicators)),
            format!("Time to decide one claim: {}.", sys.service_time_days.describe()),
            format!(
                "Patience of transferees' claims before abandonment: {}.",
                sys.patience_days.as_ref().map_or("never abandoned".to_string(), |d| d.describe())
            ),
            format!("Probability that a decision is a grant: {}.", sys.grant_probability.describe()),
            format!("Claims pending at the start: {}.", thousands(sys.initial_backlog)),
        ];
        if let Some(other) = &sys.other_claims_per_month {
            items.push(format!("Claims by other applicants per month: {}.", schedule(other)));
            items.push(format!(
                "Patience of other claims: {}.",
                sys.other_patience_days.as_ref().map_or("never abandoned".to_string(), |d| d.describe())
            ));
        }
        items.extend(decision_calendar(sys));
        if let Some(o) = &sys.onward {
            let shares = |x: &crate::scenario::OnwardShares| {
                format!("{} home, {} onward, {} back to the border", x.return_home, x.move_on, x.come_back)
            };
            items.push(format!(
                "After the asylum process (shares; the rest not followed): not filed {}; abandoned {}; denied {}.",
                shares(&o.not_filed),
                shares(&o.abandoned),
                shares(&o.denied)
            ));
            if let Some(d) = &o.come_back_days {
                items.push(format!("Time to come back to the border: {}.", d.describe()));
            }
        }
        if sys.cost_per_decision_usd > 0.0 || sys.cost_per_adjudicator_month_usd > 0.0 {
            items.push(format!(
                "Costs: {} US dollars a decision, {} an adjudicator-month.",
                thousands(sys.cost_per_decision_usd),
                thousands(sys.cost_per_adjudicator_month_usd)
            ));
        }
        out.push(Block::List(items));
    }
    if let Some(c) = &s.sending_courts {
        out.push(Block::Heading(3, format!("Courts of {}", name(&s.sending_country))));
        let mut items = vec![
            format!("Claims pending at the start: {}.", thousands(c.initial_backlog)),
            format!("Decisions per month: {}.", schedule(&c.decisions_per_month)),
            format!(
                "Share of credible-fear screenings that find a credible fear: {}.",
                c.credible_fear_pass_share.describe()
            ),
            format!("Share of cases referred to the courts that file a claim: {}.", c.claim_share.describe()),
            format!("Probability that a decision is a grant: {}.", c.grant_probability.describe()),
        ];
        if let Some(bar) = &c.transit_bar {
            items.push(format!(
                "{}: for entries from {}, in force from {}{}, {} of the decisions on those entries, granted with \
                 probability {}.",
                if bar.label.is_empty() { "Transit bar" } else { &bar.label },
                charts::day_label(bar.entries_from.0),
                charts::day_label(bar.from.0),
                bar.until.map_or(String::new(), |d| format!(" until {}", charts::day_label(d.0))),
                bar.applies_share,
                bar.grant_probability
            ));
        }
        out.push(Block::List(items));
    }
    if !s.target.is_empty() {
        out.push(Block::Heading(3, "Recorded figures beside the simulation".to_string()));
        let rows = s
            .target
            .iter()
            .map(|target| {
                let sim = t.get(&policy, &target.month, &target.country, &target.metric);
                let (median, band, inside) = match sim {
                    Some(x) if x.p50.is_finite() => (
                        thousands(x.p50.round()),
                        format!("{}–{}", thousands(x.p05.round()), thousands(x.p95.round())),
                        if (x.p05..=x.p95).contains(&target.value) { "inside" } else { "outside" }.to_string(),
                    ),
                    _ => ("–".to_string(), "–".to_string(), "–".to_string()),
                };
                vec![
                    target.month.clone(),
                    name(&target.country),
                    target.metric.clone(),
                    thousands_with(target.value, 2),
                    median,
                    band,
                    inside,
                    target.source.clone(),
                ]
            })
            .collect();
        out.push(Block::Table(
            ["Month", "Country", "Metric", "Observed", "Median", "P5–P95", "Band", "Source"].map(String::from).to_vec(),
            rows,
            3..6,
        ));
    }

    if let Some(points) = input.record {
        out.extend(record_blocks(input, points));
    }

    // Reproduction.
    out.push(Block::Heading(2, "Reproduce this run".to_string()));
    out.push(Block::Paragraph(
        "The same scenario file, seed and replications give byte-identical tables, at any thread count:".to_string(),
    ));
    out.push(Block::Code(format!(
        "safe-third run --from-manifest {}",
        shell_word(&input.dir.join("manifest.json").display().to_string())
    )));
    out.push(Block::Paragraph("The command that produced it:".to_string()));
    out.push(Block::Code(m.command.iter().map(|a| shell_word(a)).collect::<Vec<_>>().join(" ")));
    out.push(Block::Paragraph("To redraw the charts in another size or format, without re-running:".to_string()));
    out.push(Block::Code(format!(
        "safe-third chart {} --format png,svg --width 1600 --height 960",
        shell_word(&input.dir.display().to_string())
    )));
    out
}

/// The observed record beside the run: every observation with the simulated median and band, whether it falls
/// inside, whether it was used for fitting, and a fit chart per series (drawn with the other charts).
fn record_blocks(input: &ReportInput, points: &[crate::calibration::fit::FitPoint]) -> Vec<Block> {
    let mut out = vec![Block::Heading(2, "The record beside the simulation".to_string())];
    let observed_from = input.scenario.calibration.as_ref().map_or(String::new(), |c| c.observed.clone());
    out.push(Block::Paragraph(format!(
        "Every observation in `{observed_from}` beside the run: the simulated median and P5–P95 at the observed date \
         (interpolated within the month for stocks and running totals). An observation known only by a bound \
         (\">230\") is inside when the band reaches past it. A band of no width (seats fixed by assumption) is \
         outside whenever it misses by one. `safe-third validate` prints the same table; `safe-third calibrate` fits \
         the scenario to it."
    )));
    let name = |c: &str| input.context.name(c).to_string();
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            let o = &p.observation;
            let observed = match (o.low.is_finite(), o.high.is_finite()) {
                (true, false) => format!(">{}", thousands_with(o.low, 2)),
                (false, true) => format!("<{}", thousands_with(o.high, 2)),
                (true, true) => format!("{}–{}", thousands_with(o.low, 2), thousands_with(o.high, 2)),
                (false, false) => thousands_with(o.value, 2),
            };
            let (median, band) = p.simulated.map_or(("–".to_string(), "–".to_string()), |s| {
                (thousands_with(s.p50, 1), format!("{}–{}", thousands_with(s.p05, 1), thousands_with(s.p95, 1)))
            });
            let inside = match p.inside() {
                Some(true) => "inside",
                Some(false) => "outside",
                None => "–",
            };
            vec![
                o.when.to_string(),
                name(&o.country),
                o.metric.clone(),
                observed,
                median,
                band,
                inside.to_string(),
                if p.used { "fitted" } else { "held out" }.to_string(),
                o.source.clone(),
            ]
        })
        .collect();
    let inside = points.iter().filter(|p| p.inside() == Some(true)).count();
    out.push(Block::Table(
        ["Date", "Country", "Metric", "Observed", "Median", "P5–P95", "Band", "Use", "Source"]
            .map(String::from)
            .to_vec(),
        rows,
        3..6,
    ));
    out.push(Block::Paragraph(format!(
        "{inside} of {} observations fall inside the simulated P5–P95 band.",
        points.len()
    )));
    for spec in input.charts.iter().filter(|c| c.stem.starts_with("fit-")) {
        out.push(Block::Chart(spec.clone()));
    }
    out
}

/// The comparison of policies: a ranking on each headline figure, the differences from the reference that are
/// distinguishable from zero, and the charts comparing policies.
fn comparison_blocks(input: &ReportInput, comparison: &PolicyComparison) -> Vec<Block> {
    let ctx = input.context;
    let reference = &comparison.reference;
    let mut out = vec![Block::Heading(2, "Policies compared".to_string())];
    out.push(Block::Paragraph(format!(
        "{} policies ran on the same simulated futures (common random numbers): replication i of every policy sees \
         the same arrivals and the same individual draws. The key figures and charts above are those of the \
         reference policy, `{reference}`. Differences from it are estimated replication by replication; their 95% \
         confidence intervals say how precisely the run pins the average difference down.",
        comparison.policies.len()
    )));
    let described: Vec<String> = comparison
        .policies
        .iter()
        .map(|p| {
            let role = if &p.name == reference { " (reference)" } else { "" };
            let description = p.description.trim();
            if description.is_empty() {
                format!("`{}`{role}", p.name)
            } else {
                format!("`{}`{role}: {description}", p.name)
            }
        })
        .collect();
    out.push(Block::List(described));

    out.push(Block::Heading(3, "Ranking on the headline figures".to_string()));
    out.push(Block::Paragraph(
        "Policies from the lowest mean to the highest, over the whole horizon. P5–P95 is the range of 90% of \
         replications; the difference is the mean paired difference from the reference with its 95% confidence \
         interval, marked \"not distinguishable\" when the interval includes zero."
            .to_string(),
    ));
    let sending = ctx.sending.as_str();
    let countries: Vec<String> = comparison
        .policies
        .first()
        .map(|p| {
            let mut seen: Vec<String> = Vec::new();
            for f in &p.key_figures {
                if !seen.contains(&f.country) {
                    seen.push(f.country.clone());
                }
            }
            seen
        })
        .unwrap_or_default();
    for (label, receiving) in RANKED {
        for country in countries.iter().filter(|c| (c.as_str() != sending) == receiving) {
            let mut rows: Vec<(&PolicyFigures, &KeyFigure)> = comparison
                .policies
                .iter()
                .filter_map(|p| {
                    p.key_figures.iter().find(|f| &f.country == country && f.label == label).map(|f| (p, f))
                })
                .collect();
            if rows.len() < 2 {
                continue;
            }
            rows.sort_by(|a, b| a.1.summary.mean.total_cmp(&b.1.summary.mean));
            let mut table = Vec::new();
            for (i, (policy, figure)) in rows.iter().enumerate() {
                // Equal means share a rank.
                let rank = rows.iter().position(|(_, f)| f.summary.mean == figure.summary.mean).unwrap_or(i) + 1;
                let s = &figure.summary;
                let difference = if &policy.name == reference {
                    "reference".to_string()
                } else {
                    policy
                        .differences
                        .iter()
                        .find(|d| &d.country == country && d.label == label)
                        .map_or("–".to_string(), describe_difference)
                };
                table.push(vec![
                    rank.to_string(),
                    policy.name.clone(),
                    figure_number(s.mean),
                    format!("{}–{}", thousands(s.p05.round()), thousands(s.p95.round())),
                    difference,
                ]);
            }
            out.push(Block::Heading(4, format!("{}: {label}", ctx.name(country))));
            out.push(Block::Table(
                ["Rank", "Policy", "Mean", "P5–P95", &format!("Difference from {reference} (95% CI)")]
                    .map(String::from)
                    .to_vec(),
                table,
                2..5,
            ));
        }
    }

    out.push(Block::Heading(3, "Differences from the reference distinguishable from zero".to_string()));
    out.push(Block::Paragraph(format!(
        "For each policy, the key figures whose 95% confidence interval of the paired difference from `{reference}` \
         excludes zero. The others may differ too, but by less than this run can tell apart."
    )));
    for policy in comparison.policies.iter().filter(|p| &p.name != reference) {
        let (shown, same): (Vec<&KeyFigureDifference>, Vec<&KeyFigureDifference>) =
            policy.differences.iter().partition(|d| d.difference.distinguishable());
        let heading = format!("`{}` − `{reference}`", policy.name);
        if shown.is_empty() {
            out.push(Block::Paragraph(format!(
                "{heading}: no key figure differs by more than the noise of the run ({} compared).",
                same.len()
            )));
            continue;
        }
        let others = if same.is_empty() {
            String::new()
        } else {
            format!(" ({} other key figures: no difference distinguishable from zero)", same.len())
        };
        out.push(Block::Paragraph(format!("{heading}{others}:")));
        let rows = shown
            .iter()
            .map(|d| {
                vec![
                    ctx.name(&d.country).to_string(),
                    d.label.to_string(),
                    figure_number(d.reference_mean),
                    figure_number(d.policy_mean),
                    signed(d.difference.mean),
                    format!("{} to {}", signed(d.difference.ci_low), signed(d.difference.ci_high)),
                ]
            })
            .collect();
        out.push(Block::Table(
            ["Country", "Key figure", "Reference mean", "Policy mean", "Difference", "95% CI"]
                .map(String::from)
                .to_vec(),
            rows,
            2..6,
        ));
    }

    let compared: Vec<&ChartSpec> = input.charts.iter().filter(|c| c.compares_policies()).collect();
    if !compared.is_empty() {
        out.push(Block::Heading(3, "Charts comparing policies".to_string()));
        for chart in compared {
            out.push(Block::Chart(chart.clone()));
        }
    }
    out
}

/// "−17.9 (−18.2 to −17.5)", or with "not distinguishable" when the interval includes zero.
fn describe_difference(d: &KeyFigureDifference) -> String {
    let x = &d.difference;
    let text = format!("{} ({} to {})", signed(x.mean), signed(x.ci_low), signed(x.ci_high));
    if x.distinguishable() { text } else { format!("{text}, not distinguishable") }
}

/// A mean for the tables: whole numbers above 100, one decimal below.
fn figure_number(x: f64) -> String {
    if x.abs() >= 100.0 { thousands(x.round()) } else { thousands_with(x, 1) }
}

/// The policy the report describes without a comparison: the first in the table.
fn ctx_policy(t: &SummaryTable) -> String {
    t.policies.first().cloned().unwrap_or_default()
}

/// The month in which a metric's median is highest (the first such month).
fn peak_month(t: &SummaryTable, policy: &str, country: &str, metric: &str) -> Option<String> {
    let series = t.series(policy, country, metric)?;
    let mut best: Option<(usize, f64)> = None;
    for (m, s) in series.iter().enumerate() {
        if s.p50.is_finite() && best.is_none_or(|(_, v)| s.p50 > v) {
            best = Some((m, s.p50));
        }
    }
    best.map(|(m, _)| t.months[m].clone())
}

fn schedule(s: &Schedule) -> String {
    match s {
        Schedule::Constant(v) if v.is_infinite() => "unlimited".to_string(),
        other => other.describe(),
    }
}

fn stream_rate(a: &ArrivalStream) -> String {
    if let Some(s) = &a.per_month {
        format!("{} per month", schedule(s))
    } else if let Some(s) = &a.per_day {
        format!("{} per day", schedule(s))
    } else if let Some(s) = &a.share {
        format!("share {} of all arrivals", schedule(s))
    } else {
        "–".to_string()
    }
}

/// A command-line word, quoted for a POSIX shell when it needs to be.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=,:@+%".contains(c));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

fn markdown(blocks: &[Block]) -> String {
    let mut out: String = blocks.iter().map(block_markdown).collect();
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One block as Markdown, ending in a blank line.
fn block_markdown(block: &Block) -> String {
    let mut out = String::new();
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    match block {
        Block::Heading(level, text) => writeln!(out, "{} {text}\n", "#".repeat(*level as usize)),
        Block::Paragraph(text) => writeln!(out, "{text}\n"),
        Block::List(items) => {
            for item in items {
                writeln!(out, "- {item}").unwrap();
            }
            writeln!(out)
        }
        Block::Table(header, rows, numeric) => {
            writeln!(out, "| {} |", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")).unwrap();
            let rule: Vec<&str> =
                (0..header.len()).map(|i| if numeric.contains(&i) { "---:" } else { "---" }).collect();
            writeln!(out, "| {} |", rule.join(" | ")).unwrap();
            for row in rows {
                writeln!(out, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")).unwrap();
            }
            writeln!(out)
        }
        Block::Chart(spec) => {
            writeln!(out, "### {}\n", spec.title).unwrap();
            writeln!(out, "![{}](charts/{}.png)\n", spec.title, spec.stem).unwrap();
            writeln!(out, "{}\n", spec.caption)
        }
        Block::Code(text) => writeln!(out, "```sh\n{text}\n```\n"),
    }
    .unwrap();
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Markdown as HTML, by pulldown-cmark (CommonMark with tables). Raw HTML in the text (a scenario's description
/// may hold `<` or `&`) is shown as text, never passed through: the report quotes its inputs, it does not run them.
fn markdown_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// One line of Markdown as inline HTML (without the paragraph around it), for a figure's caption.
fn inline_html(markdown: &str) -> String {
    let html = markdown_html(markdown);
    let html = html.trim_end();
    html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")).unwrap_or(html).to_string()
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;\
color:#222;line-height:1.45}h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em;\
vertical-align:top}th{background:#f2f2f2}td[style*=right]{font-variant-numeric:tabular-nums}\
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}figcaption{color:#444;font-size:.92em}\
pre{background:#f5f5f5;padding:.7em;overflow-x:auto}code{font-family:'DejaVu Sans Mono',monospace}";

/// The report as one self-contained HTML page: the Markdown of each block rendered by pulldown-cmark, and each
/// chart inlined as SVG (where `report.md` links the PNG).
fn html(blocks: &[Block], input: &ReportInput) -> Result<String, charts::ChartError> {
    let mut out = String::new();
    let title = format!("{}: simulation report", input.scenario.name);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n",
        escape(&title)
    )
    .unwrap();
    for block in blocks {
        match block {
            Block::Chart(spec) => {
                let svg = charts::render(
                    spec,
                    charts::ChartData { summary: input.table, differences: input.differences, record: None },
                    input.context,
                    ChartFormat::Svg,
                    (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT),
                )?;
                let svg = String::from_utf8(svg).expect("SVG is text");
                writeln!(
                    out,
                    "<figure>\n<h3>{}</h3>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                    escape(&spec.title),
                    svg.trim(),
                    inline_html(&spec.caption)
                )
                .unwrap();
            }
            other => out.push_str(&markdown_html(&block_markdown(other))),
        }
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

/// When a halt (of transfers or of decisions) ends, in words.
fn halt_end(until: Option<crate::scenario::Date>) -> String {
    until.map_or("never resumed".to_string(), |u| format!("until {}", charts::day_label(u.0)))
}

/// The deciding body's sessions, halts of decisions and capacity building, as assumption lines.
fn decision_calendar(sys: &crate::scenario::AsylumSystem) -> Vec<String> {
    let mut items = Vec::new();
    if let Some(sessions) = &sys.sessions {
        items.push(match &sessions.gap_days {
            Some(gap) => format!("Decisions are issued only at sessions, at random gaps: {}.", gap.describe()),
            None => format!(
                "Decisions are issued only at sessions, on {}.",
                sessions.dates.iter().map(|d| charts::day_label(d.0)).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    for halt in &sys.suspension {
        let until = halt_end(halt.until);
        let label = if halt.label.is_empty() { String::new() } else { format!(": {}", halt.label) };
        items.push(format!("Decisions halted from {} ({until}){label}.", charts::day_label(halt.from.0)));
    }
    if let Some(b) = &sys.capacity_building {
        items.push(format!(
            "Capacity building: {} US dollars from {} for {} months at {} an adjudicator-month, deciding after {} days \
             of training.",
            thousands(b.budget_usd),
            charts::day_label(b.from.0),
            b.months,
            thousands(b.cost_per_adjudicator_month_usd),
            b.training_days
        ));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("outputs/guatemala-2019/manifest.json"), "outputs/guatemala-2019/manifest.json");
        assert_eq!(shell_word("my run/x.toml"), "'my run/x.toml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn html_escapes_text_and_renders_code_spans() {
        assert_eq!(inline_html("a <b> & `c<d>`"), "a &lt;b&gt; &amp; <code>c&lt;d&gt;</code>");
    }

    #[test]
    fn html_renders_emphasis_lists_and_right_aligned_tables() {
        assert_eq!(inline_html("**ASSUMPTION: x** and *y*"), "<strong>ASSUMPTION: x</strong> and <em>y</em>");
        let table = block_markdown(&Block::Table(
            vec!["metric".into(), "value".into()],
            vec![vec!["a | b".into(), "1,000".into()]],
            1..2,
        ));
        let html = markdown_html(&table);
        assert!(html.contains("<td>a | b</td>"), "{html}");
        assert!(html.contains("<td style=\"text-align: right\">1,000</td>"), "{html}");
        let list = markdown_html(&block_markdown(&Block::List(vec!["**one**".into(), "`two`".into()])));
        assert_eq!(list, "<ul>\n<li><strong>one</strong></li>\n<li><code>two</code></li>\n</ul>\n");
    }
}
