//! Charts for reports: PNG and SVG drawn from the summary table, with a font embedded in the binary.
//!
//! Every chart is drawn from a [`SummaryTable`] (the content of `summary.csv`) and a [`ChartContext`] (names,
//! rollout dates and the source line, from the manifest and the scenario). `safe-third run` draws them from the
//! table it has just written, and `safe-third chart DIR` from `DIR/summary.csv`, so both give the same bytes.
//!
//! Text is drawn with DejaVu Sans (from the `dejavu` crate, embedded in the binary) with `ab_glyph`: no system
//! font and no font library is looked up. SVG files carry their text as `<text>` elements
//! naming `DejaVu Sans, sans-serif`; the layout was measured with DejaVu Sans.

mod calibration;
mod context;
mod draw;
mod mechanisms;
mod plan;
mod spec;
mod text;
mod xy;

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use calibration::{
    LossSurface, fit_specs, render_loss_surface, summary_of_run, write_fit_charts, write_loss_surface,
};
pub use context::{ChartContext, MONTHS, Marker, day_label, thousands, thousands_with};
pub use plan::plan;
pub use spec::{
    Bands, ChartSpec, Line, LineStyle, Mechanism, ObservedMark, Panel, PointMarker, Position, Source, ValueAxis,
    policy_style,
};
pub use xy::SweepChart;

use super::{DifferenceTable, OutputError, Stats, SummaryTable, write_atomically};

/// The tables charts are drawn from: `summary.csv`, `differences.csv` when several policies ran, and the
/// scenario's observed record when it has one (a fit chart per observed series).
#[derive(Debug, Clone, Copy)]
pub struct ChartData<'a> {
    pub summary: &'a SummaryTable,
    pub differences: Option<&'a DifferenceTable>,
    pub record: Option<ObservedRecord<'a>>,
}

/// Observations to draw over the run of one policy (usually the reference).
#[derive(Debug, Clone, Copy)]
pub struct ObservedRecord<'a> {
    pub points: &'a [crate::calibration::fit::FitPoint],
    pub policy: &'a str,
    /// Observations after this day are drawn as held out.
    pub cutoff: Option<chrono::NaiveDate>,
}

impl<'a> From<&'a SummaryTable> for ChartData<'a> {
    fn from(summary: &'a SummaryTable) -> ChartData<'a> {
        ChartData { summary, differences: None, record: None }
    }
}

impl<'a> ChartData<'a> {
    /// A line's values month by month, from the table the chart is drawn from. For differences, `p50` (and `mean`)
    /// is the mean difference and `p05`–`p95` its 95% confidence interval.
    pub fn series(&self, source: Source, policy: &str, country: &str, metric: &str) -> Option<&'a [Stats]> {
        match source {
            Source::Summary => self.summary.series(policy, country, metric),
            Source::Differences => self.differences?.stats(policy, country, metric),
        }
    }

    /// The calendar months of a table.
    pub fn months(&self, source: Source) -> &'a [String] {
        match (source, self.differences) {
            (Source::Differences, Some(d)) => &d.months,
            _ => &self.summary.months,
        }
    }
}

/// The font family name under which the embedded font is registered; SVG viewers read it as a CSS font list.
pub(crate) const FONT: &str = "DejaVu Sans, sans-serif";

/// Default chart size in pixels.
pub const DEFAULT_WIDTH: u32 = 1000;
pub const DEFAULT_HEIGHT: u32 = 600;
/// Smallest and largest sizes accepted, in pixels.
pub const MIN_SIZE: u32 = 300;
pub const MAX_SIZE: u32 = 8000;

/// An image format charts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    pub const ALL: [ChartFormat; 2] = [ChartFormat::Png, ChartFormat::Svg];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// Why a chart could not be drawn (a bug or an absurd size, never bad data: missing values are left out).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart {stem}: {message}")]
pub struct ChartError {
    pub stem: String,
    pub message: String,
}

/// Registers the embedded font with plotters, once per process.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for (style, bytes) in [(FontStyle::Normal, dejavu::sans::regular()), (FontStyle::Bold, dejavu::sans::bold())] {
            if plotters::style::register_font(FONT, style, bytes).is_err() {
                panic!("the embedded DejaVu Sans font is a valid TrueType font");
            }
        }
    });
}

/// Draws one chart as PNG or SVG bytes, `width` × `height` pixels.
pub fn render<'a>(
    spec: &ChartSpec,
    data: impl Into<ChartData<'a>>,
    context: &ChartContext,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    let data = data.into();
    render_drawing(&spec.stem, &TimeChart { spec, data, context }, format, size)
}

/// Something drawn on a whole chart page, on any backend.
trait Drawing {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> draw::Drawn<DB>;
}

/// A chart over the calendar, from a spec.
struct TimeChart<'a> {
    spec: &'a ChartSpec,
    data: ChartData<'a>,
    context: &'a ChartContext,
}

impl Drawing for TimeChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> draw::Drawn<DB> {
        draw::draw(root, self.spec, &self.data, self.context)
    }
}

/// Draws a page as PNG or SVG bytes, `width` × `height` pixels.
fn render_drawing(
    stem: &str,
    drawing: &impl Drawing,
    format: ChartFormat,
    (width, height): (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    register_font();
    let error = |message: String| ChartError { stem: stem.to_string(), message };
    if !(MIN_SIZE..=MAX_SIZE).contains(&width) || !(MIN_SIZE..=MAX_SIZE).contains(&height) {
        return Err(error(format!("{width}×{height} pixels is outside {MIN_SIZE}–{MAX_SIZE} on each side")));
    }
    match format {
        ChartFormat::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
                drawing.draw(&root).map_err(|e| error(format!("{e:?}")))?;
                root.present().map_err(|e| error(format!("{e:?}")))?;
            }
            Ok(text.into_bytes())
        }
        ChartFormat::Png => {
            let mut pixels = vec![0u8; width as usize * height as usize * 3];
            {
                let backend = text::GlyphText(BitMapBackend::with_buffer(&mut pixels, (width, height)));
                let root = backend.into_drawing_area();
                drawing.draw(&root).map_err(|e| error(format!("{e:?}")))?;
                root.present().map_err(|e| error(format!("{e:?}")))?;
            }
            encode_png(&pixels, width, height).map_err(|e| error(e.to_string()))
        }
    }
}

/// Encodes 8-bit RGB pixels as PNG.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// A chart written to disk.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenChart {
    pub spec: ChartSpec,
    /// The files written, one per format, in the order of the formats asked for.
    pub files: Vec<PathBuf>,
}

/// Why charts could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartsError {
    #[error(transparent)]
    Draw(#[from] ChartError),
    #[error(transparent)]
    Write(#[from] OutputError),
}

/// Draws every chart of the tables into `dir` (usually `RUN/charts/`), each file written atomically.
pub fn write_charts<'a>(
    dir: &Path,
    data: impl Into<ChartData<'a>>,
    context: &ChartContext,
    formats: &[ChartFormat],
    size: (u32, u32),
) -> Result<Vec<WrittenChart>, ChartsError> {
    let data = data.into();
    let mut written = Vec::new();
    for spec in plan(data, context) {
        let mut files = Vec::new();
        for &format in formats {
            let bytes = render(&spec, data, context, format, size)?;
            let path = dir.join(format!("{}.{}", spec.stem, format.extension()));
            write_atomically(&path, |w| w.write_all(&bytes))?;
            files.push(path);
        }
        written.push(WrittenChart { spec, files });
    }
    remove_stale_comparisons(dir, &written)?;
    Ok(written)
}

/// Removes comparison, difference and fit charts left in `dir` by an earlier run of more policies (or other ones,
/// or another record), which would otherwise be taken for this run's. Only `compare-*`, `difference-*` and `fit-*`
/// PNG and SVG files whose stem this run did not draw are removed.
fn remove_stale_comparisons(dir: &Path, written: &[WrittenChart]) -> Result<(), OutputError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        let (Some(stem), Some(extension)) =
            (path.file_stem().and_then(|s| s.to_str()), path.extension().and_then(|s| s.to_str()))
        else {
            continue;
        };
        let ours = stem.starts_with("compare-") || stem.starts_with("difference-") || stem.starts_with("fit-");
        if ours && ["png", "svg"].contains(&extension) && !written.iter().any(|w| w.spec.stem == stem) {
            std::fs::remove_file(&path).map_err(|source| OutputError { path: path.clone(), source })?;
        }
    }
    Ok(())
}

/// A chart that is not drawn from a [`ChartSpec`] (sweeps, calibration), as written to disk.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFigure {
    /// File name without extension.
    pub stem: String,
    pub title: String,
    /// One sentence for a report: what the chart shows and how to read it.
    pub caption: String,
    /// The files written, one per format, in the order of the formats asked for.
    pub files: Vec<PathBuf>,
}

/// Writes a page in every format into `dir`, each file atomically.
fn write_drawing(
    dir: &Path,
    stem: &str,
    drawing: &impl Drawing,
    formats: &[ChartFormat],
    size: (u32, u32),
) -> Result<Vec<PathBuf>, ChartsError> {
    let mut files = Vec::new();
    for &format in formats {
        let bytes = render_drawing(stem, drawing, format, size)?;
        let path = dir.join(format!("{stem}.{}", format.extension()));
        write_atomically(&path, |w| w.write_all(&bytes))?;
        files.push(path);
    }
    Ok(files)
}

struct SweepDrawing<'a> {
    sweep: &'a SweepChart,
    context: &'a ChartContext,
}

impl Drawing for SweepDrawing<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> draw::Drawn<DB> {
        xy::draw_sweep(root, self.sweep, self.context)
    }
}

/// Renders a sweep chart as PNG or SVG bytes: for one swept field, the metric's median against its values with the
/// P5–P95 band; for two, a heatmap of medians (first field across, second up), values in the cells and a colour
/// scale. Sweeps of three fields or more are not charted: an error says so.
pub fn render_sweep(
    sweep: &SweepChart,
    context: &ChartContext,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    let stem = sweep.stem();
    if !(1..=2).contains(&sweep.axes.len()) {
        return Err(ChartError {
            stem,
            message: format!("a sweep of {} fields cannot be charted: one or two fields only", sweep.axes.len()),
        });
    }
    render_drawing(&stem, &SweepDrawing { sweep, context }, format, size)
}

/// Writes the sweep chart (see [`render_sweep`]) into `dir` as `sweep-<metric>-<country>.<format>`; `None` for a
/// sweep of three fields or more, which is not charted.
pub fn write_sweep_chart(
    dir: &Path,
    sweep: &SweepChart,
    context: &ChartContext,
    formats: &[ChartFormat],
    size: (u32, u32),
) -> Result<Option<WrittenFigure>, ChartsError> {
    if !(1..=2).contains(&sweep.axes.len()) {
        return Ok(None);
    }
    let stem = sweep.stem();
    let files = write_drawing(dir, &stem, &SweepDrawing { sweep, context }, formats, size)?;
    let caption = if sweep.axes.len() == 1 {
        "The metric at the last month for each value of the swept field, every value on the same simulated futures. \
         Line: median of the replications; band and bars: 90% of replications (P5–P95)."
    } else {
        "The metric at the last month for each combination of the two swept fields, every combination on the same \
         simulated futures. Cells: median of the replications (colour and number) and P5–P95 beneath it."
    };
    Ok(Some(WrittenFigure { stem, title: sweep.title(context), caption: caption.to_string(), files }))
}
