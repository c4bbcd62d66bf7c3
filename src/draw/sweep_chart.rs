//! The learning-rate sweep: J (or a network's training and test loss) after
//! N steps (or epochs) against α, both on log scales, the α that diverged
//! marked at the top, and, for the descent lab, below it the iterations each
//! α needed to meet the stopping conditions; the current α and, on a
//! quadratic, the bound 2/λmax marked across.

use crate::tr;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::series_chart::{legend_fits, legend_spot};
use super::{drawing_error, Look};
use crate::format::sig;
use crate::sweep::{SweepPoint, SweepRange};

const VALUE: RGBColor = RGBColor(0, 114, 178);
const TEST: RGBColor = RGBColor(230, 159, 0);
const REACHED: RGBColor = RGBColor(0, 158, 115);
const DIVERGED: RGBColor = RGBColor(213, 94, 0);
const CURRENT: RGBColor = RGBColor(0, 0, 0);
const START: RGBColor = RGBColor(120, 120, 120);
const BOUND: RGBColor = RGBColor(204, 121, 167);

/// How many times its start J may grow and still be drawn on the scale.
const GREW: f64 = 1e4;

/// What the sweep chart shows.
pub struct SweepScene<'a> {
    pub range: SweepRange,
    /// The points computed so far.
    pub points: &'a [SweepPoint],
    /// J at the start, for reference (a line across the top panel).
    pub start_value: f64,
    /// What the value and a step are called: ("J", "steps") or ("L", "epochs").
    pub words: (&'a str, &'a str),
    /// Whether the panel of the iterations to meet the stopping conditions is drawn below.
    pub stop_panel: bool,
    /// The α in force.
    pub current: f64,
    /// 2/λmax on a quadratic surface.
    pub bound: Option<f64>,
    pub look: Look,
}

/// Where the α axis lies on the canvas: the pixels from x0 to x1 span α from lo to hi (log scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepMapping {
    pub x0: i32,
    pub x1: i32,
    pub lo: f64,
    pub hi: f64,
}

impl SweepMapping {
    /// The α under canvas pixel column `x`, None outside the plot.
    pub fn lr_at(&self, x: f64) -> Option<f64> {
        let share = (x - self.x0 as f64) / (self.x1 - self.x0).max(1) as f64;
        (0.0..=1.0).contains(&share).then(|| self.lo * (self.hi / self.lo).powf(share))
    }
}

/// A mark of the legend: a line (its colour and dash), or a marker's colour.
pub(crate) enum Mark {
    Line(RGBColor, Option<(u32, u32)>),
    Cross(RGBColor),
    Triangle(RGBColor),
}

/// Both panels are drawn on plain linear axes of log₁₀ α and log₁₀ J (the
/// labels give the values), so that they share the charts' one coordinate
/// system rather than adding plotters' log axes to the page's code.
pub(crate) fn log10(v: f64) -> f64 {
    v.log10()
}

/// A tick label at log₁₀ value `v`: the value 10^v to two digits.
pub(crate) fn power_label(v: &f64) -> String {
    sig(10f64.powf(*v), 2)
}

/// The axes of a chart over log₁₀ α: its caption, the y range and axis, and
/// whether the α axis is labelled (as the powers of ten it stands for).
pub(crate) struct AlphaAxes<'a> {
    pub caption: &'a str,
    pub caption_font: (&'static str, u32),
    pub y: std::ops::Range<f64>,
    pub y_desc: &'a str,
    pub y_labels: usize,
    pub y_label: fn(&f64) -> String,
    pub alpha_axis: bool,
}

/// A chart on `area` over log₁₀ α from `alphas.0` to `alphas.1`, its mesh drawn.
pub(crate) fn alpha_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    alphas: (f64, f64),
    axes: &AlphaAxes,
    look: Look,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let x_area = if axes.alpha_axis { look.x_label_area(look.font(), look.font()) } else { look.px(4) };
    let mut chart = ChartBuilder::on(area)
        .margin(look.px(8))
        .margin_right(look.px(16))
        .caption(axes.caption, axes.caption_font)
        .x_label_area_size(x_area)
        .y_label_area_size(look.px(64))
        .build_cartesian_2d(alphas.0..alphas.1, axes.y.clone())
        .map_err(drawing_error)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(look.tick())
        .label_style(look.font())
        .axis_desc_style(look.font())
        .y_desc(axes.y_desc)
        .y_labels(axes.y_labels)
        .y_label_formatter(&axes.y_label);
    if axes.alpha_axis {
        mesh.x_desc(tr!("α (log)")).x_labels(6).x_label_formatter(&power_label);
    } else {
        mesh.disable_x_axis();
    }
    mesh.draw().map_err(drawing_error)?;
    Ok(chart)
}

/// Draws the sweep on `root`; returns where its α axis lies, for clicks.
pub fn draw_sweep<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &SweepScene) -> Result<SweepMapping, String> {
    let look = scene.look;
    let (value_name, step_name) = scene.words;
    let (top, bottom) =
        if scene.stop_panel { root.split_vertically(root.dim_in_pixel().1 * 3 / 5) } else { root.split_vertically(root.dim_in_pixel().1) };
    let range = scene.range;
    let (a_lo, a_hi) = (log10(range.lo), log10(range.hi));
    // J on a log scale while every value is above 0 (a typed f may go below:
    // then a linear one), from its least over the sweep up to GREW times its
    // start: a run that grew beyond is marked at the top, as one that overflowed is.
    let start = scene.start_value;
    let all = || scene.points.iter().flat_map(|p| [p.value, p.test_value]).flatten().filter(|v| v.is_finite());
    let log = start > 0.0 && all().all(|v| v > 0.0);
    let y = |v: f64| if log { log10(v) } else { v };
    let ceiling = if log {
        start * GREW
    } else if start.is_finite() {
        (start.abs() + 1.0) * GREW
    } else {
        f64::INFINITY
    };
    let shown = |v: f64| v.is_finite() && v <= ceiling && (!log || v > 0.0);
    let (v_lo, v_hi) =
        all().chain([start]).filter(|v| shown(*v)).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (v_lo, v_hi) = match (v_lo.is_finite(), log) {
        (false, _) => (-3.0, 0.0),
        (true, true) => (y(v_lo) - 0.3, y(v_hi) + 0.6),
        (true, false) => {
            let pad = 0.1 * (v_hi - v_lo).max(1e-9);
            (v_lo - pad, v_hi + 3.0 * pad)
        }
    };
    let caption = tr!("{value} after N = {n} {steps}, against α", value = value_name, n = range.steps, steps = step_name);
    let y_desc = if log { tr!("{value} (log)", value = value_name) } else { value_name.to_string() };
    let axes = AlphaAxes {
        caption: &caption,
        caption_font: look.caption(),
        y: v_lo..v_hi,
        y_desc: &y_desc,
        y_labels: 5,
        y_label: if log { power_label } else { |v| sig(*v, 3) },
        alpha_axis: !scene.stop_panel,
    };
    let mut chart = alpha_chart(&top, (a_lo, a_hi), &axes, look)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let mapping = SweepMapping { x0: xs.start, x1: xs.end, lo: range.lo, hi: range.hi };
    let mut legend = Vec::new();
    // The start's J: below it the run descended, above it the loss grew.
    if shown(scene.start_value) {
        let j0 = y(scene.start_value);
        chart
            .draw_series(DashedLineSeries::new(vec![(a_lo, j0), (a_hi, j0)], look.px(4), look.px(4), START.stroke_width(1)))
            .map_err(drawing_error)?;
        legend.push((tr!("{value} at the start", value = value_name), Mark::Line(START, Some((4, 4)))));
    }
    // The run of points without a divergence between them, joined; the test loss dashed.
    let pieces = |value: fn(&SweepPoint) -> Option<f64>| {
        let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for p in scene.points {
            match value(p).filter(|v| shown(*v)) {
                Some(v) => pieces.last_mut().expect("one piece at least").push((log10(p.lr), y(v))),
                None => pieces.push(Vec::new()),
            }
        }
        pieces.retain(|p| !p.is_empty());
        pieces
    };
    for piece in pieces(|p| p.value) {
        chart.draw_series(LineSeries::new(piece, VALUE.stroke_width(look.px(2)))).map_err(drawing_error)?;
    }
    let test = pieces(|p| p.test_value);
    legend.push((
        if test.is_empty() { tr!("{value} after N", value = value_name) } else { tr!("training loss after N") },
        Mark::Line(VALUE, None),
    ));
    if !test.is_empty() {
        for piece in test {
            chart
                .draw_series(DashedLineSeries::new(piece, look.px(6), look.px(4), TEST.stroke_width(look.px(2))))
                .map_err(drawing_error)?;
        }
        legend.push((tr!("test loss after N"), Mark::Line(TEST, Some((6, 4)))));
    }
    let at_top = v_hi - 0.06 * (v_hi - v_lo);
    let grew: Vec<f64> = scene.points.iter().filter(|p| p.value.is_some_and(|v| v > ceiling)).map(|p| log10(p.lr)).collect();
    if !grew.is_empty() {
        chart.draw_series(grew.iter().map(|a| TriangleMarker::new((*a, at_top), look.px(4), DIVERGED.filled()))).map_err(drawing_error)?;
        legend.push((tr!("{value} over {times}× its start", value = value_name, times = format!("{GREW:e}")), Mark::Triangle(DIVERGED)));
    }
    let diverged: Vec<f64> = scene.points.iter().filter(|p| p.diverged_at.is_some()).map(|p| log10(p.lr)).collect();
    if !diverged.is_empty() {
        chart
            .draw_series(diverged.iter().map(|a| Cross::new((*a, at_top), look.px(4), DIVERGED.stroke_width(look.px(2)))))
            .map_err(drawing_error)?;
        legend.push((tr!("diverged"), Mark::Cross(DIVERGED)));
    }
    legend.extend(mark_alphas(&mut chart, scene, (v_lo, v_hi), look)?);
    // The legend in the corner where it covers the least of the curve.
    let plot = chart.plotting_area().strip_coord_spec();
    let base = plot.get_base_pixel();
    let curve: Vec<(i32, i32)> = scene
        .points
        .iter()
        .filter_map(|p| Some((log10(p.lr), y(p.value.filter(|v| shown(*v))?))))
        .map(|p| chart.backend_coord(&p))
        .map(|(x, y)| (x - base.0, y - base.1))
        .collect();
    draw_legend(&plot, &legend, &[curve], look)?;
    if !scene.stop_panel {
        return Ok(mapping);
    }

    // Below: the iterations each α needed to meet the stopping conditions.
    let steps = range.steps as f64;
    let axes = AlphaAxes {
        caption: &tr!("Iterations to meet the stopping conditions"),
        caption_font: look.small(),
        y: 0.0..steps * 1.05,
        y_desc: "t",
        y_labels: 3,
        y_label: |v| sig(*v, 3),
        alpha_axis: true,
    };
    let mut chart = alpha_chart(&bottom, (a_lo, a_hi), &axes, look)?;
    let reached: Vec<(f64, f64)> = scene.points.iter().filter_map(|p| p.reached.map(|t| (log10(p.lr), t as f64))).collect();
    chart.draw_series(reached.iter().map(|p| Circle::new(*p, look.px(2), REACHED.filled()))).map_err(drawing_error)?;
    mark_alphas(&mut chart, scene, (0.0, steps * 1.05), look)?;
    Ok(mapping)
}

/// The current α (solid) and 2/λmax (dashed) as vertical lines across `span`
/// (log₁₀ α on x); returns their legend entries.
fn mark_alphas<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    scene: &SweepScene,
    span: (f64, f64),
    look: Look,
) -> Result<Vec<(String, Mark)>, String> {
    let inside = |lr: f64| (scene.range.lo..=scene.range.hi).contains(&lr);
    let across = |lr: f64| vec![(log10(lr), span.0), (log10(lr), span.1)];
    let mut legend = Vec::new();
    if let Some(bound) = scene.bound.filter(|b| inside(*b)) {
        chart
            .draw_series(DashedLineSeries::new(across(bound), look.px(6), look.px(4), BOUND.stroke_width(look.px(2))))
            .map_err(drawing_error)?;
        legend.push(("2/λmax".to_string(), Mark::Line(BOUND, Some((6, 4)))));
    }
    if inside(scene.current) {
        chart.draw_series(LineSeries::new(across(scene.current), CURRENT.stroke_width(look.px(1)))).map_err(drawing_error)?;
        legend.push((tr!("α now"), Mark::Line(CURRENT, None)));
    }
    Ok(legend)
}

/// The legend in the corner of the plot area `plot` (pixels from its top
/// left) that covers the fewest points of `lines`, when it fits.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    entries: &[(String, Mark)],
    lines: &[Vec<(i32, i32)>],
    look: Look,
) -> Result<(), String> {
    let font: TextStyle = look.small().into_font().color(&BLACK);
    let (pad, sample, row) = (look.offset(5), look.offset(22), look.small().1 as i32 + look.offset(4));
    let widest = entries.iter().map(|(label, _)| plot.estimate_text_size(label, &font).map_or(0, |s| s.0 as i32)).max().unwrap_or(0);
    let (w, h) = (pad + sample + pad + widest + pad, pad + row * entries.len() as i32 + pad - look.offset(4));
    let (pw, ph) = plot.dim_in_pixel();
    if !legend_fits((w, h), (pw, ph)) {
        return Ok(());
    }
    let spot = legend_spot(lines, (w, h), (pw as i32, ph as i32), look.offset(6));
    let (x0, y0) = (spot.x0, spot.y0);
    plot.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], WHITE.mix(0.85).filled())).map_err(drawing_error)?;
    plot.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], BLACK.mix(0.3))).map_err(drawing_error)?;
    for (k, (label, mark)) in entries.iter().enumerate() {
        let y = y0 + pad + row * k as i32 + row / 2 - look.offset(2);
        let (a, b) = (x0 + pad, x0 + pad + sample);
        match *mark {
            Mark::Line(colour, None) => plot.draw(&PathElement::new(vec![(a, y), (b, y)], colour.stroke_width(look.px(2)))),
            Mark::Line(colour, Some((dash, gap))) => {
                plot.draw(&DashedPathElement::new(vec![(a, y), (b, y)], look.px(dash), look.px(gap), colour.stroke_width(look.px(2))))
            }
            Mark::Cross(colour) => plot.draw(&Cross::new(((a + b) / 2, y), look.px(4), colour.stroke_width(look.px(2)))),
            Mark::Triangle(colour) => plot.draw(&TriangleMarker::new(((a + b) / 2, y), look.px(4), colour.filled())),
        }
        .map_err(drawing_error)?;
        plot.draw(&Text::new(label.clone(), (b + pad, y), font.pos(Pos::new(HPos::Left, VPos::Center)))).map_err(drawing_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_pixels_is_an_alpha_on_the_log_scale() {
        let m = SweepMapping { x0: 100, x1: 500, lo: 1e-4, hi: 1.0 };
        assert_eq!(m.lr_at(100.0), Some(1e-4));
        assert!((m.lr_at(300.0).unwrap() - 1e-2).abs() < 1e-15, "the middle of four decades");
        assert_eq!(m.lr_at(500.0), Some(1.0));
        assert_eq!(m.lr_at(99.0), None);
        assert_eq!(m.lr_at(501.0), None);
    }
}
