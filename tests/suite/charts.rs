//! Charts: valid PNG and SVG of the requested size, text that is really there, and `safe-third chart DIR` giving
//! the same bytes as `safe-third run`.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use safe_third::output::charts::{self, ChartContext, ChartData, ChartFormat, Source};
use safe_third::output::{DifferenceTable, SummaryTable};

fn safe_third(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safe-third")).args(args).output().expect("the binary runs")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
}

/// Width and height from a PNG's header, and its pixels as 8-bit RGB(A).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("valid PNG data");
    (info.width, info.height, pixels, info.color_type.samples())
}

/// The `width` and `height` attributes of an SVG's root element.
fn svg_size(svg: &str) -> (u32, u32) {
    let start = svg.find("<svg").expect("an <svg> element");
    let tag = &svg[start..start + svg[start..].find('>').unwrap()];
    let attribute = |name: &str| -> u32 {
        let at = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    (attribute("width"), attribute("height"))
}

/// Whether an SVG holds `text` as a whole `<text>` element.
fn has_text(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

/// Dark pixels (luminance below 100) in a rectangle of an RGB image.
fn dark_pixels(pixels: &[u8], channels: usize, width: u32, area: (u32, u32, u32, u32)) -> usize {
    pixels_darker_than(100.0, pixels, channels, width, area)
}

/// Pixels of luminance below `threshold` in a rectangle of an RGB image.
fn pixels_darker_than(
    threshold: f64,
    pixels: &[u8],
    channels: usize,
    width: u32,
    (x0, y0, x1, y1): (u32, u32, u32, u32),
) -> usize {
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * width + x) as usize * channels;
            let luminance = 0.299 * pixels[i] as f64 + 0.587 * pixels[i + 1] as f64 + 0.114 * pixels[i + 2] as f64;
            n += usize::from(luminance < threshold);
        }
    }
    n
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn run_writes_every_chart_as_valid_png_and_svg_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    ok(&safe_third(&["run", "-n", "20", "--out", out.to_str().unwrap()]));
    let charts = out.join("charts");
    let stems = ["backlog-guatemala", "outcomes-guatemala", "released-united_states", "transfers-guatemala"];
    // It also models where transferees went and the deciding body's sessions.
    let mechanisms = ["after-guatemala", "sessions-guatemala"];
    // The built-in scenario has an observed record: one fit chart per observed series too.
    let fits = [
        "fit-backlog_cases-guatemala",
        "fit-cumulative_transferee_abandoned_cases-guatemala",
        "fit-cumulative_transferee_claims_filed_cases-guatemala",
        "fit-cumulative_transferee_grants_cases-guatemala",
        "fit-cumulative_transferred_people-guatemala",
    ];
    let mut expected: Vec<String> =
        stems.iter().chain(&fits).chain(&mechanisms).flat_map(|s| [format!("{s}.png"), format!("{s}.svg")]).collect();
    expected.sort();
    assert_eq!(file_names(&charts), expected);

    for stem in stems {
        let (w, h, pixels, channels) = decode_png(&std::fs::read(charts.join(format!("{stem}.png"))).unwrap());
        assert_eq!((w, h), (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT), "{stem}.png");
        // The title is drawn at the top left: its letters are dark pixels; the margin above it is white.
        let title = dark_pixels(&pixels, channels, w, (18, 14, 500, 40));
        assert!(title > 400, "{stem}.png: only {title} dark pixels where the title should be");
        assert_eq!(dark_pixels(&pixels, channels, w, (0, 0, w, 8)), 0, "{stem}.png: the top margin is white");
        // The source line at the bottom is text too (grey).
        let source = pixels_darker_than(180.0, &pixels, channels, w, (18, h - 30, 460, h - 12));
        assert!(source > 150, "{stem}.png: only {source} grey pixels where the source line should be");

        let svg = std::fs::read_to_string(charts.join(format!("{stem}.svg"))).unwrap();
        assert_eq!(svg_size(&svg), (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT), "{stem}.svg");
        assert!(svg.trim_end().ends_with("</svg>"), "{stem}.svg is complete");
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""), "{stem}.svg names its font");
        assert!(has_text(&svg, "Source: safe-third simulation, scenario guatemala-2019, 20 replications, seed 2019."));
    }
    let backlog = std::fs::read_to_string(charts.join("backlog-guatemala.svg")).unwrap();
    for text in [
        "Guatemala: asylum claims pending at month end",
        "Claims pending (cases)",
        "Month (values at month end)",
        "median (all claims pending)",
        "90% of replications (P5–P95)",
        "Nov",
        "2020",
    ] {
        assert!(has_text(&backlog, text), "the backlog chart lacks the text {text}");
    }
    // Where Guatemala's transferees went: 5% of those who do not file come back (an assumption of the scenario),
    // so the way back has its panel.
    let after = std::fs::read_to_string(charts.join("after-guatemala.svg")).unwrap();
    assert!(
        has_text(&after, "returned home") && has_text(&after, "not followed (in Guatemala or anywhere)"),
        "after-guatemala"
    );
    assert!(has_text(&after, "Back to United States: running totals"), "the way back has no panel");
    // Rollout phases are numbered on the chart and explained underneath.
    assert!(backlog.contains("21 Nov 2019, single adults, El Paso"), "rollout key");
    assert!(backlog.contains("5 = 16 Mar 2020"), "the suspension in the key");
    let outcomes = std::fs::read_to_string(charts.join("outcomes-guatemala.svg")).unwrap();
    for text in ["left without filing", "filed a claim", "abandoned", "decided", "granted"] {
        assert!(has_text(&outcomes, text), "the outcomes chart lacks the legend entry {text}");
    }
}

#[test]
fn chart_redraws_the_same_bytes_as_run_and_other_sizes_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    ok(&safe_third(&["run", "-n", "12", "--seed", "5", "--out", out.to_str().unwrap()]));
    // Only the table and the manifest are kept: the charts come from them alone.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for file in ["summary.csv", "manifest.json"] {
        std::fs::copy(out.join(file), copy.join(file)).unwrap();
    }
    ok(&safe_third(&["chart", copy.to_str().unwrap()]));
    let names = file_names(&out.join("charts"));
    assert_eq!(names, file_names(&copy.join("charts")));
    for name in &names {
        let a = std::fs::read(out.join("charts").join(name)).unwrap();
        let b = std::fs::read(copy.join("charts").join(name)).unwrap();
        assert!(a == b, "{name} differs between run and chart");
    }

    let small = dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    for file in ["summary.csv", "manifest.json"] {
        std::fs::copy(out.join(file), small.join(file)).unwrap();
    }
    ok(&safe_third(&["chart", small.to_str().unwrap(), "--format", "png", "--width", "500", "--height", "300"]));
    let names = file_names(&small.join("charts"));
    assert!(!names.is_empty() && names.iter().all(|n| n.ends_with(".png")), "{names:?}");
    let (w, h, _, _) = decode_png(&std::fs::read(small.join("charts/backlog-guatemala.png")).unwrap());
    assert_eq!((w, h), (500, 300));
    ok(&safe_third(&["chart", small.to_str().unwrap(), "--format", "svg", "--width", "1600", "--height", "900"]));
    let svg = std::fs::read_to_string(small.join("charts/transfers-guatemala.svg")).unwrap();
    assert_eq!(svg_size(&svg), (1600, 900));

    // With several policies, the comparison and difference charts are redrawn byte for byte too, the latter from
    // differences.csv.
    let policies = dir.path().join("policies");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/guatemala-2019-policies.toml");
    ok(&safe_third(&["run", scenario, "-n", "8", "--seed", "5", "--out", policies.to_str().unwrap()]));
    let copy = dir.path().join("policies-copy");
    std::fs::create_dir(&copy).unwrap();
    for file in ["summary.csv", "manifest.json", "differences.csv"] {
        std::fs::copy(policies.join(file), copy.join(file)).unwrap();
    }
    ok(&safe_third(&["chart", copy.to_str().unwrap()]));
    let names = file_names(&policies.join("charts"));
    assert_eq!(names, file_names(&copy.join("charts")));
    for stem in ["compare-backlog-guatemala", "difference-backlog-guatemala", "difference-released-united_states"] {
        assert!(names.contains(&format!("{stem}.png")) && names.contains(&format!("{stem}.svg")), "{stem}: {names:?}");
    }
    for name in &names {
        let a = std::fs::read(policies.join("charts").join(name)).unwrap();
        let b = std::fs::read(copy.join("charts").join(name)).unwrap();
        assert!(a == b, "{name} differs between run and chart");
    }

    // Running one policy into the same directory leaves no comparison chart behind.
    ok(&safe_third(&[
        "run",
        scenario,
        "-n",
        "8",
        "--seed",
        "5",
        "--policy",
        "historical",
        "--out",
        copy.to_str().unwrap(),
    ]));
    let left: Vec<String> = file_names(&copy.join("charts"))
        .into_iter()
        .filter(|n| n.starts_with("compare-") || n.starts_with("difference-"))
        .collect();
    assert!(left.is_empty(), "stale comparison charts: {left:?}");

    let refused = safe_third(&["chart", small.to_str().unwrap(), "--width", "20"]);
    assert_eq!(refused.status.code(), Some(2), "a size too small is invalid input");
    let missing = safe_third(&["chart", dir.path().join("nothing").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("summary.csv"));
}

#[test]
fn every_receiving_country_and_the_sending_country_get_charts() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("everything.toml");
    std::fs::write(&scenario, support::EVERYTHING).unwrap();
    let out = dir.path().join("run");
    ok(&safe_third(&["run", scenario.to_str().unwrap(), "-n", "4", "--out", out.to_str().unwrap()]));
    let pngs: Vec<String> =
        file_names(&out.join("charts")).into_iter().filter_map(|n| n.strip_suffix(".png").map(String::from)).collect();
    assert_eq!(
        pngs,
        [
            // South's transferees go onward (east's have no onward shares); deterrence; flights to east and a
            // holding capacity that fills at south; costs and the sending country's courts; sessions, halts and
            // capacity building in both receiving systems.
            "after-south",
            "backlog-east",
            "backlog-south",
            "costs",
            "courts-north",
            "deterrence-north",
            "operations-east",
            "operations-south",
            "outcomes-east",
            "outcomes-south",
            "released-east",
            "released-north",
            "released-south",
            "sessions-east",
            "sessions-south",
            "transfers-east",
            "transfers-north",
            "transfers-south"
        ]
    );
    // The sending country's charts mark both agreements' phases, named by country.
    let released = std::fs::read_to_string(out.join("charts/released-north.svg")).unwrap();
    assert!(released.contains("South: open to single adult") && released.contains("East: open to"), "{released}");
}

#[test]
fn several_policies_get_one_set_of_charts_each_and_missing_metrics_are_left_out() {
    let mut text = String::from("policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n");
    for policy in ["baseline", "more seats"] {
        for (m, month) in ["2020-01", "2020-02", "2020-03"].iter().enumerate() {
            let v = (m + 1) * 10;
            text.push_str(&format!("{policy},{month},a,released_cases,{v},1,{v},{v},{v},{v},{v}\n"));
            text.push_str(&format!("{policy},{month},b,backlog_cases,{v},1,{},{v},{v},{v},{}\n", v - 2, v + 2));
        }
    }
    let table = SummaryTable::from_reader(text.as_bytes()).unwrap();
    let manifest: safe_third::output::Manifest = serde_json::from_str(
        r#"{"tool":"safe-third","version":"0","scenario_name":"s","scenario_file":"s.toml","scenario_sha256":"x",
            "seed":1,"replications":3,"threads":1,"generator":"g","command":[],"started_unix_seconds":0,
            "wall_time_seconds":0.0,"events":0}"#,
    )
    .unwrap();
    let context = ChartContext::without_scenario(&manifest, "a");
    let stems: Vec<String> = charts::plan(&table, &context).into_iter().map(|c| c.stem).collect();
    assert_eq!(
        stems,
        [
            "backlog-b-baseline",
            "released-a-baseline",
            "backlog-b-more_seats",
            "released-a-more_seats",
            "compare-backlog-b"
        ]
    );
    let spec = &charts::plan(&table, &context)[2];
    assert!(spec.title.contains("policy more seats"), "{}", spec.title);
    let svg = charts::render(spec, &table, &context, ChartFormat::Svg, (800, 500)).unwrap();
    assert_eq!(svg_size(std::str::from_utf8(&svg).unwrap()), (800, 500));
    let png = charts::render(spec, &table, &context, ChartFormat::Png, (640, 480)).unwrap();
    let (w, h, pixels, channels) = decode_png(&png);
    assert_eq!((w, h), (640, 480));
    assert!(dark_pixels(&pixels, channels, w, (10, 8, 320, 36)) > 200, "the title is drawn");
    assert!(charts::render(spec, &table, &context, ChartFormat::Png, (20, 480)).is_err(), "absurd sizes are refused");
}

/// A summary of two policies over three months, and their differences (b − a), one of them negative.
fn two_policies() -> (SummaryTable, DifferenceTable) {
    let mut summary = String::from("policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n");
    let mut differences = String::from(
        "policy,reference,month,country,metric,n,mean_difference,sd_difference,ci95_low,ci95_high,\
         unpaired_ci95_half_width,variance_reduction,distinguishable\n",
    );
    for (m, month) in ["2020-01", "2020-02", "2020-03"].iter().enumerate() {
        for (policy, v) in [("a", 100.0 * (m + 1) as f64), ("b", 80.0 * (m + 1) as f64)] {
            summary.push_str(&format!(
                "{policy},{month},x,backlog_cases,{v},1,{},{v},{v},{v},{}\n",
                v - 10.0,
                v + 10.0
            ));
            summary.push_str(&format!("{policy},{month},s,cumulative_released_cases,{v},1,{v},{v},{v},{v},{v}\n"));
        }
        let d = -20.0 * (m + 1) as f64;
        differences.push_str(&format!("b,a,{month},x,backlog_cases,3,{d},1,{},{},9,4,true\n", d - 2.0, d + 2.0));
    }
    (
        SummaryTable::from_reader(summary.as_bytes()).unwrap(),
        DifferenceTable::from_reader(differences.as_bytes()).unwrap(),
    )
}

fn context_for(sending: &str) -> ChartContext {
    let manifest: safe_third::output::Manifest = serde_json::from_str(
        r#"{"tool":"safe-third","version":"0","scenario_name":"s","scenario_file":"s.toml","scenario_sha256":"x",
            "seed":1,"replications":3,"threads":1,"generator":"g","command":[],"started_unix_seconds":0,
            "wall_time_seconds":0.0,"events":0}"#,
    )
    .unwrap();
    ChartContext::without_scenario(&manifest, sending)
}

#[test]
fn policies_are_compared_overlaid_and_as_differences_below_zero() {
    let (summary, differences) = two_policies();
    let context = context_for("s");
    let data = ChartData { summary: &summary, differences: Some(&differences), record: None };
    let specs = charts::plan(data, &context);
    let stems: Vec<&str> = specs.iter().map(|c| c.stem.as_str()).collect();
    assert_eq!(
        stems,
        ["backlog-x-a", "backlog-x-b", "compare-backlog-x", "compare-released-s", "difference-backlog-x"],
        "a comparison per headline metric the table has; a difference chart per metric differences.csv has"
    );
    let compare = &specs[2];
    assert_eq!(compare.panels[0].lines.len(), 2, "one line per policy");
    let styles: Vec<_> = compare.panels[0].lines.iter().map(|l| l.style).collect();
    assert!(styles[0].color != styles[1].color && styles[0].dash != styles[1].dash, "{styles:?}");
    assert!(styles[0].marker != styles[1].marker, "policies differ by marker too, for greyscale");
    let svg =
        String::from_utf8(charts::render(compare, data, &context, ChartFormat::Svg, (1000, 600)).unwrap()).unwrap();
    for text in ["x: asylum claims pending at month end — policies compared", "a", "b", "Claims pending (cases)"] {
        assert!(has_text(&svg, text), "the comparison chart lacks {text}");
    }

    let difference = &specs[4];
    assert_eq!(difference.source, Source::Differences);
    let svg =
        String::from_utf8(charts::render(difference, data, &context, ChartFormat::Svg, (1000, 600)).unwrap()).unwrap();
    for text in ["x: asylum claims pending at month end — difference from policy a", "Difference (cases)", "0"] {
        assert!(has_text(&svg, text), "the difference chart lacks {text}");
    }
    // The value axis runs below zero, to the lowest confidence bound (−62), with negative tick labels.
    assert!(has_text(&svg, "−60") || has_text(&svg, "−50"), "no negative tick label in {svg}");
    // Without differences.csv there is no difference chart, and rendering one draws no line.
    assert!(!charts::plan(&summary, &context).iter().any(|c| c.source == Source::Differences));
    let png = charts::render(difference, data, &context, ChartFormat::Png, (500, 300)).unwrap();
    assert_eq!(decode_png(&png).0, 500);
}

#[test]
fn sweeps_are_charted_as_a_line_for_one_field_a_heatmap_for_two_and_not_beyond() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    ok(&safe_third(&[
        "sweep",
        "--grid",
        "asylum.guatemala.adjudicators=2,4,8",
        "-n",
        "6",
        "--out",
        one.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(one.join("charts/sweep-backlog_cases-guatemala.svg")).unwrap();
    for text in [
        "Guatemala: backlog_cases in 2021-01, against asylum.guatemala.adjudicators",
        "asylum.guatemala.adjudicators",
        "backlog_cases in 2021-01 (median)",
        "90% of replications (P5–P95)",
    ] {
        assert!(has_text(&svg, text), "the sweep chart lacks {text}");
    }
    let (w, h, pixels, channels) =
        decode_png(&std::fs::read(one.join("charts/sweep-backlog_cases-guatemala.png")).unwrap());
    assert_eq!((w, h), (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT));
    assert!(dark_pixels(&pixels, channels, w, (18, 14, 500, 40)) > 400, "the title is drawn");

    let two = dir.path().join("two");
    ok(&safe_third(&[
        "sweep",
        "--grid",
        "asylum.guatemala.adjudicators=2,8",
        "--grid",
        "agreement.guatemala.max_wait_days=3,7,14",
        "-n",
        "6",
        "--metric",
        "cumulative_transferred_people",
        "--out",
        two.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(two.join("charts/sweep-cumulative_transferred_people-guatemala.svg")).unwrap();
    // Both fields name an axis, every value labels a row or column, and the cells hold the medians: 946 people
    // transferred whatever the adjudicators and the wait (seats are the limit).
    for text in ["asylum.guatemala.adjudicators", "agreement.guatemala.max_wait_days", "2", "8", "3", "7", "14"] {
        assert!(has_text(&svg, text), "the heatmap lacks {text}");
    }
    assert_eq!(svg.matches(">\n946\n</text>").count(), 7, "one median per cell, and the colour scale's top tick");
    assert_eq!(svg.matches(">\n946–946\n</text>").count(), 6, "P5–P95 under each median");
    assert!(has_text(&svg, "cumulative_transferred_people (median)"), "the colour scale is titled");
    // The colour scale starts at zero, so equal cells do not look like a range, and the legend says so.
    assert!(has_text(&svg, "0"), "the colour scale's bottom tick is 0");
    assert!(
        has_text(&svg, "colour scale from 0, so shades compare as amounts: the medians run all 946"),
        "the legend states the scale and the medians' range"
    );

    let three = dir.path().join("three");
    let o = safe_third(&[
        "sweep",
        "--grid",
        "asylum.guatemala.adjudicators=2,8",
        "--grid",
        "agreement.guatemala.max_wait_days=3,7",
        "--grid",
        "asylum.guatemala.filing_window_days=3,5",
        "-n",
        "2",
        "--out",
        three.to_str().unwrap(),
    ]);
    ok(&o);
    assert!(!three.join("charts").exists(), "three fields are not charted");
    assert!(String::from_utf8_lossy(&o.stdout).contains("no chart"), "and the output says so");
}

/// A small run of the built-in scenario and observations of it: two used for fitting (one known only by a lower
/// bound) and one held out after the cutoff.
fn fitted() -> (safe_third::montecarlo::RunResult, Vec<safe_third::calibration::fit::FitPoint>, chrono::NaiveDate) {
    use safe_third::calibration::{fit, observed};
    let model = safe_third::model::Model::new(&safe_third::scenario::Scenario::builtin());
    let config = safe_third::montecarlo::RunConfig { replications: 6, seed: 4, threads: 1 };
    let result = safe_third::montecarlo::run(&model, config, &|| {}).unwrap();
    let csv = "date_or_month,country,metric,value,low,high,source\n\
               2019-12-12,guatemala,cumulative_transferred_people,40,,,a\n\
               2020-01-07,guatemala,cumulative_transferred_people,50,50,,b\n\
               2020-03-16,guatemala,cumulative_transferred_people,939,,,c\n";
    let observations = observed::parse(csv, "test.csv").unwrap();
    let cutoff = chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap();
    let points = fit::compare(&observations, &result.layout, &result.summary, Some(safe_third::scenario::Date(cutoff)));
    (result, points, cutoff)
}

#[test]
fn fit_charts_show_observed_points_fitted_and_held_out_over_the_simulated_band() {
    let (result, points, cutoff) = fitted();
    assert_eq!(points.iter().filter(|p| p.used).count(), 2, "the test needs fitted and held-out points");
    let context = context_for("united_states");
    let dir = tempfile::tempdir().unwrap();
    let written =
        charts::write_fit_charts(dir.path(), &points, &result, Some(cutoff), &context, &ChartFormat::ALL, (1000, 600))
            .unwrap();
    assert_eq!(written.len(), 1, "one chart per observed series");
    assert_eq!(written[0].spec.stem, "fit-cumulative_transferred_people-guatemala");
    let svg = std::fs::read_to_string(dir.path().join("fit-cumulative_transferred_people-guatemala.svg")).unwrap();
    for text in [
        "guatemala: transferred, running total (people), observed and simulated",
        "Transferred, running total (people)",
        "simulated median",
        "observed, used for fitting",
        "observed, held out of the fit",
        "bars: observed ranges; arrow up: more than the value, arrow down: less than it",
        "fit cutoff 31 Jan 2020",
        "Month (running totals at month end)",
    ] {
        assert!(has_text(&svg, text), "the fit chart lacks {text}");
    }
    // Titles and axes speak words with units: the metric's identifier is left to the caption.
    assert!(!svg.contains("cumulative_transferred_people"), "a raw metric name in the fit chart");
    assert!(written[0].spec.caption.contains("Metric `cumulative_transferred_people`."));
    // The held-out value (939) is drawn: the value axis reaches above it.
    assert!(has_text(&svg, "1,000") || has_text(&svg, "1,200"), "the axis does not reach the held-out 939");
    let png = std::fs::read(dir.path().join("fit-cumulative_transferred_people-guatemala.png")).unwrap();
    let (w, h, pixels, channels) = decode_png(&png);
    assert_eq!((w, h), (1000, 600));
    assert!(dark_pixels(&pixels, channels, w, (18, 14, 500, 40)) > 400, "the title is drawn");
    // Without a cutoff every point is simply "observed".
    let all_used: Vec<_> = points
        .iter()
        .cloned()
        .map(|mut p| {
            p.used = true;
            p
        })
        .collect();
    let table = charts::summary_of_run(&result);
    let spec = &charts::fit_specs(&all_used, &table, "fitted", None, &context)[0];
    let svg = String::from_utf8(charts::render(spec, &table, &context, ChartFormat::Svg, (800, 500)).unwrap()).unwrap();
    assert!(has_text(&svg, "observed") && !svg.contains("held out") && !svg.contains("fit cutoff"));
}

#[test]
fn onward_movement_deterrence_and_flights_get_charts_only_when_a_scenario_uses_them() {
    let dir = tempfile::tempdir().unwrap();
    let pngs = |mechanisms: bool| -> (Vec<String>, std::path::PathBuf) {
        let name = if mechanisms { "with" } else { "without" };
        let scenario = dir.path().join(format!("{name}.toml"));
        std::fs::write(&scenario, support::pipeline_with_mechanisms(mechanisms)).unwrap();
        let out = dir.path().join(name);
        ok(&safe_third(&["run", scenario.to_str().unwrap(), "-n", "4", "--out", out.to_str().unwrap()]));
        let charts = out.join("charts");
        let names = file_names(&charts).into_iter().filter_map(|n| n.strip_suffix(".png").map(String::from)).collect();
        (names, charts)
    };
    let (plain, _) = pngs(false);
    assert_eq!(plain, ["backlog-b", "outcomes-b", "released-a", "transfers-b"], "no mechanism, no extra chart");
    let (names, charts) = pngs(true);
    assert_eq!(
        names,
        ["after-b", "backlog-b", "deterrence-a", "operations-b", "outcomes-b", "released-a", "transfers-b"]
    );
    let svg = |stem: &str| std::fs::read_to_string(charts.join(format!("{stem}.svg"))).unwrap();
    let after = svg("after-b");
    for text in [
        "B: where transferees went after leaving the asylum process",
        "returned home",
        "moved on elsewhere",
        "set off back to A",
        "not followed (in B or anywhere)",
        "arrived again at A's border",
        "Cases per month",
        "Cases, cumulative",
        "Source: safe-third simulation, scenario pipeline, 4 replications, seed 2019.",
    ] {
        // SVG escapes apostrophes.
        assert!(has_text(&after, &text.replace('\'', "&apos;")), "the after-the-receiving-country chart lacks {text}");
    }
    let deterrence = svg("deterrence-a");
    assert!(has_text(&deterrence, "A: would-be arrivals deterred per month — an ASSUMPTION of the scenario"));
    for text in ["deterred (stayed away)", "diverted (came by another route)", "Cases per month (assumed)"] {
        assert!(has_text(&deterrence, text), "the deterrence chart lacks {text}");
    }
    let operations = svg("operations-b");
    for text in ["Flights per month", "Person-days per month", "released, holding full", "Waiting for a seat"] {
        assert!(has_text(&operations, text), "the operations chart lacks {text}");
    }
    for stem in ["after-b", "deterrence-a", "operations-b"] {
        let (w, h, pixels, channels) = decode_png(&std::fs::read(charts.join(format!("{stem}.png"))).unwrap());
        assert_eq!((w, h), (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT));
        assert!(dark_pixels(&pixels, channels, w, (18, 14, 500, 40)) > 400, "{stem}.png: the title is drawn");
    }
}

/// A summary table of sending country `a` and receiving country `b` over three months: the metrics every run has
/// for its charts, and `extra` (country, metric, monthly medians; the band ±10%).
fn table_with(extra: &[(&str, &str, [f64; 3])]) -> SummaryTable {
    let mut text = String::from("policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n");
    let base: [(&str, &str, [f64; 3]); 2] =
        [("a", "released_cases", [5.0, 6.0, 7.0]), ("b", "backlog_cases", [10.0, 20.0, 30.0])];
    for (country, metric, values) in base.iter().chain(extra) {
        for (m, month) in ["2020-01", "2020-02", "2020-03"].iter().enumerate() {
            let v = values[m];
            text.push_str(&format!(
                "baseline,{month},{country},{metric},{v},1,{},{},{v},{},{}\n",
                0.9 * v,
                0.95 * v,
                1.05 * v,
                1.1 * v
            ));
        }
    }
    SummaryTable::from_reader(text.as_bytes()).unwrap()
}

/// The sending country's courts, costs, and sessions with hired staff, as the branches that add them name their
/// metrics.
const COURTS_COSTS_SESSIONS: [(&str, &str, [f64; 3]); 12] = [
    ("a", "court_backlog_cases", [1000.0, 1010.0, 1015.0]),
    ("a", "court_backlog_without_agreement_cases", [1000.0, 1040.0, 1080.0]),
    ("a", "court_claims_averted_share", [0.0, 0.3, 0.45]),
    ("a", "court_claims_filed_cases", [80.0, 70.0, 60.0]),
    ("a", "court_claims_averted_cases", [0.0, 30.0, 50.0]),
    ("a", "cumulative_cost_usd", [100_000.0, 250_000.0, 420_000.0]),
    ("b", "cumulative_cost_usd", [50_000.0, 180_000.0, 300_000.0]),
    ("b", "awaiting_session_cases", [12.0, 0.0, 25.0]),
    ("b", "sessions_count", [1.0, 0.0, 1.0]),
    ("b", "adjudicators_count", [4.0, 4.0, 7.0]),
    ("b", "hired_adjudicators_count", [0.0, 5.0, 5.0]),
    ("b", "trainee_adjudicators_count", [0.0, 5.0, 2.0]),
];

#[test]
fn courts_costs_and_sessions_are_charted_from_their_metric_names_when_not_all_zero() {
    let context = context_for("a");
    let stems =
        |table: &SummaryTable| -> Vec<String> { charts::plan(table, &context).into_iter().map(|c| c.stem).collect() };
    let plain = ["backlog-b", "released-a"];
    assert_eq!(stems(&table_with(&[])), plain, "without the metrics, today's charts only");
    let zeros: Vec<(&str, &str, [f64; 3])> = COURTS_COSTS_SESSIONS.iter().map(|&(c, m, _)| (c, m, [0.0; 3])).collect();
    assert_eq!(stems(&table_with(&zeros)), plain, "metrics all zero: mechanisms left off, no chart");

    let table = table_with(&COURTS_COSTS_SESSIONS);
    let specs = charts::plan(&table, &context);
    assert_eq!(
        specs.iter().map(|c| c.stem.as_str()).collect::<Vec<_>>(),
        ["backlog-b", "released-a", "courts-a", "costs", "sessions-b"]
    );
    let svg = |stem: &str| {
        let spec = specs.iter().find(|c| c.stem == stem).unwrap();
        let png = charts::render(spec, &table, &context, ChartFormat::Png, (1000, 600)).unwrap();
        let (w, _, pixels, channels) = decode_png(&png);
        assert!(dark_pixels(&pixels, channels, w, (18, 14, 500, 40)) > 400, "{stem}.png: the title is drawn");
        String::from_utf8(charts::render(spec, &table, &context, ChartFormat::Svg, (1000, 600)).unwrap()).unwrap()
    };
    let courts = svg("courts-a");
    for text in [
        "a's courts: asylum claims pending with and without the agreement",
        "with the agreement",
        "without the agreement (counterfactual)",
        "Claims pending in the courts (cases)",
        "Claims averted (% of the month's claims)",
        "40%",
        "lines: medians; dark bands: middle half of replications (P25–P75); light bands: 90% (P5–P95)",
    ] {
        assert!(has_text(&courts, &text.replace('\'', "&apos;")), "the courts chart lacks {text}");
    }
    assert!(!has_text(&courts, "median (with the agreement)"), "two fan lines share one explanation of bands");
    let costs = svg("costs");
    for text in ["Cost by country, running total in US dollars", "Cost, cumulative (US dollars)", "a (sending country)"]
    {
        assert!(has_text(&costs, text), "the costs chart lacks {text}");
    }
    assert!(has_text(&costs, "b") && has_text(&costs, "400,000"), "a line per country, on an axis in dollars");
    let sessions = svg("sessions-b");
    for text in [
        "b: decisions awaiting a session, and adjudicators",
        "decided, not yet issued",
        "deciding",
        "hired (trainees included)",
        "in training",
    ] {
        assert!(has_text(&sessions, text), "the sessions chart lacks {text}");
    }

    // Each panel is drawn only for what is in use: sessions without hiring, courts without the averted share.
    let only: Vec<(&str, &str, [f64; 3])> = COURTS_COSTS_SESSIONS
        .iter()
        .map(
            |&(c, m, v)| if m.contains("adjudicators") || m.ends_with("_share") { (c, m, [0.0; 3]) } else { (c, m, v) },
        )
        .collect();
    let specs = charts::plan(&table_with(&only), &context);
    let panels = |stem: &str| specs.iter().find(|c| c.stem == stem).map_or(0, |c| c.panels.len());
    assert_eq!((panels("sessions-b"), panels("courts-a")), (1, 1));
    // The title names what is plotted: decisions waiting for a session only, not "sessions and adjudicators".
    let title = |stem: &str| specs.iter().find(|c| c.stem == stem).map(|c| c.title.clone()).unwrap();
    assert_eq!(title("sessions-b"), "b: decisions awaiting a session");
    let staff_only: Vec<(&str, &str, [f64; 3])> = COURTS_COSTS_SESSIONS
        .iter()
        .map(|&(c, m, v)| if m.contains("session") { (c, m, [0.0; 3]) } else { (c, m, v) })
        .collect();
    let specs = charts::plan(&table_with(&staff_only), &context);
    let sessions = specs.iter().find(|c| c.stem == "sessions-b").unwrap();
    assert_eq!(sessions.title, "b: adjudicators deciding, hired and in training");
}

/// A rollout mark on the `x` country's charts: `day` of February 2020 unless said.
fn mark(month: u32, day: u32, label: &str) -> safe_third::output::charts::Marker {
    safe_third::output::charts::Marker {
        date: chrono::NaiveDate::from_ymd_opt(2020, month, day).unwrap(),
        label: label.to_string(),
        suspension: false,
        only: Vec::new(),
    }
}

#[test]
fn comparison_charts_draw_every_policys_rollout_dates_and_each_policys_own_charts_its_own() {
    let (summary, differences) = two_policies();
    let mut context = context_for("s");
    let shared = mark(1, 10, "one");
    context.markers.insert("x".into(), vec![shared.clone(), mark(2, 1, "two")]);
    for (policy, second) in [("a", mark(2, 1, "two")), ("b", mark(3, 5, "two late"))] {
        context.policy_markers.insert(policy.into(), [("x".to_string(), vec![shared.clone(), second])].into());
    }
    let data = ChartData { summary: &summary, differences: Some(&differences), record: None };
    let specs = charts::plan(data, &context);
    let svg_of = |stem: &str| {
        let spec = specs.iter().find(|c| c.stem == stem).unwrap();
        String::from_utf8(charts::render(spec, data, &context, ChartFormat::Svg, (1600, 600)).unwrap()).unwrap()
    };
    // The comparison marks the shared date once and each policy's own date in its colour, saying whose it is.
    for stem in ["compare-backlog-x", "difference-backlog-x"] {
        let svg = svg_of(stem);
        assert!(svg.contains("1 = 10 Jan 2020, one;"), "{stem}: the shared date");
        assert!(svg.contains("2 = 1 Feb 2020, two (policy a only);"), "{stem}: the reference's own date");
        assert!(svg.contains("3 = 5 Mar 2020, two late (policy b only)."), "{stem}: policy b's own date");
        assert_eq!(svg.matches("10 Jan 2020").count(), 1, "{stem}: a shared date is keyed once");
        let b_colour = charts::policy_style(1).color;
        let b_stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", b_colour.0, b_colour.1, b_colour.2);
        assert!(svg.contains(&b_stroke), "{stem}: policy b's rollout line is drawn in its colour");
    }
    // A policy's own charts show its own rollout only.
    let b = svg_of("backlog-x-b");
    assert!(b.contains("2 = 5 Mar 2020, two late.") && !b.contains("1 Feb 2020"), "policy b's chart");
    assert!(!b.contains("only)"), "one policy: nothing to tell apart");
    let a = svg_of("backlog-x-a");
    assert!(a.contains("2 = 1 Feb 2020, two.") && !a.contains("5 Mar 2020"), "policy a's chart");
}

#[test]
fn a_heatmap_of_close_values_starts_its_colour_scale_at_zero_and_prints_their_range() {
    let sweep = safe_third::output::charts::SweepChart {
        metric: "backlog_cases".into(),
        country: "x".into(),
        month: "2020-12".into(),
        axes: vec![("a.p".into(), vec!["1".into(), "2".into()]), ("a.q".into(), vec!["3".into(), "4".into()])],
        points: vec![
            (vec!["1".into(), "3".into()], [1000.0, 990.0, 1010.0]),
            (vec!["1".into(), "4".into()], [1020.0, 1010.0, 1030.0]),
            (vec!["2".into(), "3".into()], [1050.0, 1040.0, 1060.0]),
            (vec!["2".into(), "4".into()], [1070.0, 1060.0, 1080.0]),
        ],
    };
    let context = context_for("s");
    let svg =
        String::from_utf8(charts::render_sweep(&sweep, &context, ChartFormat::Svg, (1000, 600)).unwrap()).unwrap();
    assert!(
        has_text(
            &svg,
            "colour scale from 0, so shades compare as amounts: the medians run from 1,000 to 1,070, 7% apart"
        ),
        "the legend states where the colours start and how far apart the cells are"
    );
    // The colour bar's ticks run from 0 to the highest median, not from the lowest to the highest.
    for tick in ["0", "1,070"] {
        assert!(has_text(&svg, tick), "the colour bar lacks the tick {tick}");
    }
    assert!(!has_text(&svg, "1,017.5") && !has_text(&svg, "1,018"), "a tick of a scale stretched over 1,000–1,070");
}
