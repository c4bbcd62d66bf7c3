//! Loss against iteration, on a log scale when it spans decades.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{drawing_error, CAPTION, FONT};
use crate::format::sig;

const LINE: RGBColor = RGBColor(31, 119, 180);
const GHOST: RGBColor = RGBColor(220, 90, 150);
/// The largest magnitude drawn on a linear and on a log axis.
const LINEAR_LIMIT: f64 = 1e12;
const LOG_LIMIT: f64 = 1e100;

/// Whether `values` are best shown on a log scale: all positive and spanning
/// more than two decades.
pub fn wants_log_scale(values: &[f64]) -> bool {
    let (lo, hi) = min_max(values);
    lo > 0.0 && hi / lo > 100.0
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// Draws J(θₜ) for t = 0 … n − 1, and the previous run's curve dashed when given.
pub fn draw_loss<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, values: &[f64], ghost: Option<&[f64]>) -> Result<(), String> {
    // Plotters' tick arithmetic overflows on astronomically wide ranges: a run
    // heading for divergence is drawn clamped, on a log scale when it can be.
    let log = wants_log_scale(values);
    let limit = if log { LOG_LIMIT } else { LINEAR_LIMIT };
    let clamp = |vs: &[f64]| -> Vec<f64> { vs.iter().map(|v| v.clamp(-limit, limit)).collect() };
    let (values, ghost) = (clamp(values), ghost.map(clamp));
    let (values, ghost) = (values.as_slice(), ghost.as_deref());
    let all: Vec<f64> = values.iter().chain(ghost.unwrap_or(&[])).copied().filter(|v| v.is_finite()).collect();
    let (mut lo, mut hi) = min_max(&all);
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 * hi.abs().max(1.0) {
        (lo, hi) = (lo - 0.5 * lo.abs().max(1e-3), hi + 0.5 * hi.abs().max(1e-3));
    }
    let last = values.len().max(ghost.map_or(0, <[f64]>::len)).max(10) as f64;
    let x_range = 0.0..last;
    let builder = |area| {
        let mut b = ChartBuilder::on(area);
        b.margin(10).margin_right(18).x_label_area_size(40).y_label_area_size(70).caption("Loss J(θₜ)", CAPTION);
        b
    };
    let series = |vs: &[f64]| -> Vec<(f64, f64)> { vs.iter().enumerate().filter(|(_, v)| v.is_finite()).map(|(t, v)| (t as f64, *v)).collect() };
    if log && all.iter().all(|v| *v > 0.0) {
        let mut chart = builder(root).build_cartesian_2d(x_range, (lo..hi * 1.5).log_scale()).map_err(drawing_error)?;
        chart
            .configure_mesh()
            .x_desc("iteration t")
            .y_desc("J (log scale)")
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&|v| sig(*v, 4))
            .label_style(FONT)
            .axis_desc_style(FONT)
            .y_label_formatter(&|v| sig(*v, 2))
            .draw()
            .map_err(drawing_error)?;
        if let Some(g) = ghost {
            chart.draw_series(DashedLineSeries::new(series(g), 6, 4, GHOST.stroke_width(2))).map_err(drawing_error)?;
        }
        chart.draw_series(LineSeries::new(series(values), LINE.stroke_width(3))).map_err(drawing_error)?;
    } else {
        let pad = 0.05 * (hi - lo);
        let mut chart = builder(root).build_cartesian_2d(x_range, lo - pad..hi + pad).map_err(drawing_error)?;
        chart
            .configure_mesh()
            .x_desc("iteration t")
            .y_desc("J")
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&|v| sig(*v, 4))
            .label_style(FONT)
            .axis_desc_style(FONT)
            .y_label_formatter(&|v| sig(*v, 3))
            .draw()
            .map_err(drawing_error)?;
        if let Some(g) = ghost {
            chart.draw_series(DashedLineSeries::new(series(g), 6, 4, GHOST.stroke_width(2))).map_err(drawing_error)?;
        }
        chart.draw_series(LineSeries::new(series(values), LINE.stroke_width(3))).map_err(drawing_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wants_log_scale;

    #[test]
    fn log_scale_only_for_positive_values_over_decades() {
        assert!(wants_log_scale(&[100.0, 3.0, 0.5]));
        assert!(!wants_log_scale(&[10.0, 3.0, 0.5]));
        assert!(!wants_log_scale(&[100.0, -3.0, 0.5]));
        assert!(!wants_log_scale(&[]));
    }
}
