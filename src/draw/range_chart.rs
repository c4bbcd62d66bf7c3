//! The learning-rate range test: the training loss after each update against
//! the α of that update on a log axis, the suggested α and the α in force
//! marked across.

use crate::tr;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::sweep_chart::{alpha_chart, draw_legend, log10, AlphaAxes, Mark, SweepMapping};
use super::{drawing_error, Look};
use crate::format::sig;
use crate::nn::lab::RangeResult;

const LOSS: RGBColor = RGBColor(0, 114, 178);
const SUGGESTION: RGBColor = RGBColor(0, 158, 115);
const CURRENT: RGBColor = RGBColor(0, 0, 0);

/// Draws the range test's `result` on `root`, α now = `current`; returns where its α axis lies, for clicks.
pub fn draw_range_test<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &RangeResult,
    current: f64,
    look: Look,
) -> Result<SweepMapping, String> {
    let range = result.range;
    let (a_lo, a_hi) = (log10(range.lo), log10(range.hi));
    let losses = result.points.iter().map(|p| p.1);
    let (lo, hi) = losses.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = 0.05 * (hi - lo).max(1e-9);
    let axes = AlphaAxes {
        caption: &tr!("Range test: the loss as α grows"),
        caption_font: look.caption(),
        y: (lo - pad)..(hi + pad),
        y_desc: "L",
        y_labels: 5,
        y_label: |v| sig(*v, 3),
        alpha_axis: true,
    };
    let mut chart = alpha_chart(root, (a_lo, a_hi), &axes, look)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let curve: Vec<(f64, f64)> = result.points.iter().map(|(lr, loss)| (log10(*lr), *loss)).collect();
    chart.draw_series(LineSeries::new(curve.iter().copied(), LOSS.stroke_width(look.px(2)))).map_err(drawing_error)?;
    let mut legend = vec![(tr!("training loss"), Mark::Line(LOSS, None))];
    let across = |lr: f64| vec![(log10(lr), lo - pad), (log10(lr), hi + pad)];
    if let Some(s) = result.suggestion {
        chart
            .draw_series(DashedLineSeries::new(across(s), look.px(6), look.px(4), SUGGESTION.stroke_width(look.px(2))))
            .map_err(drawing_error)?;
        legend.push((tr!("suggested α = {alpha}", alpha = sig(s, 2)), Mark::Line(SUGGESTION, Some((6, 4)))));
    }
    if (range.lo..=range.hi).contains(&current) {
        chart.draw_series(LineSeries::new(across(current), CURRENT.stroke_width(look.px(1)))).map_err(drawing_error)?;
        legend.push((tr!("α now"), Mark::Line(CURRENT, None)));
    }
    let plot = chart.plotting_area().strip_coord_spec();
    let base = plot.get_base_pixel();
    let pixels: Vec<(i32, i32)> = curve.iter().map(|p| chart.backend_coord(p)).map(|(x, y)| (x - base.0, y - base.1)).collect();
    draw_legend(&plot, &legend, &[pixels], look)?;
    Ok(SweepMapping { x0: xs.start, x1: xs.end, lo: range.lo, hi: range.hi })
}
