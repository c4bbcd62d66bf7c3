//! Several named lines against iteration or epoch: the loss of a descent
//! run, train and test loss, accuracy, the gradient norm of every layer. A
//! log scale when the values span decades.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{drawing_error, Look};
use crate::format::{distinct_digits, sig};

/// Colours for up to eight lines (Tableau 10).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// One line: its name and its points (x, value).
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// Dashed, for a line to compare with (a run before its settings changed).
    pub dashed: bool,
}

impl Series {
    pub fn solid(label: impl Into<String>, points: Vec<(f64, f64)>) -> Series {
        Series { label: label.into(), points, dashed: false }
    }
}

/// The chart's texts and, when fixed, the span of its y axis.
pub struct Axes<'a> {
    pub caption: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub y_range: Option<(f64, f64)>,
    /// The span of the x axis when fixed; else from 0 to the last point (at least 10).
    pub x_range: Option<(f64, f64)>,
    pub look: Look,
}

/// The largest magnitude drawn on a linear and on a log axis: plotters' tick
/// arithmetic overflows on astronomically wide ranges, so a run heading for
/// divergence is drawn clamped.
const LINEAR_LIMIT: f64 = 1e12;
const LOG_LIMIT: f64 = 1e300;

/// About how many labels the y axis carries.
const Y_TICKS: usize = 5;

/// Draws `series` with a legend. The y axis spans `axes.y_range` when given,
/// else the values, on a log scale when every value is positive and they span
/// over two decades.
pub fn draw_series<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, axes: &Axes, series: &[Series]) -> Result<(), String> {
    let values: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite()).collect();
    let log = axes.y_range.is_none() && wants_log_scale(&values);
    let limit = if log { LOG_LIMIT } else { LINEAR_LIMIT };
    let values: Vec<f64> = values.iter().map(|v| v.clamp(-limit, limit)).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // At least ten iterations or epochs wide, so the first steps show as steps.
    let (x_min, x_max) = axes.x_range.unwrap_or((0.0, series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(10.0f64, f64::max)));
    let look = axes.look;
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(look.px(8))
        .margin_right(look.px(16))
        .caption(axes.caption, look.caption())
        .x_label_area_size(look.px(34))
        .y_label_area_size(look.px(62));
    let clamped: Vec<Series> = series
        .iter()
        .map(|s| Series {
            label: s.label.clone(),
            points: s.points.iter().filter(|p| p.1.is_finite() && (!log || p.1 > 0.0)).map(|p| (p.0, p.1.clamp(-limit, limit))).collect(),
            dashed: s.dashed,
        })
        .collect();
    if log {
        let chart = builder.build_cartesian_2d(x_min..x_max, (lo * 0.8..hi * 1.25).log_scale()).map_err(drawing_error)?;
        plot(chart, axes.x_desc, &format!("{} (log)", axes.y_desc), 2, &clamped, look)
    } else {
        // A flat curve (one value at t = 0) still gets a band around it, 2 % of its size.
        let pad = 0.05 * (hi - lo).max(0.02 * hi.abs().max(lo.abs())).max(1e-12);
        let (y0, y1) = axes.y_range.unwrap_or((lo - pad, hi + pad));
        let chart = builder.build_cartesian_2d(x_min..x_max, y0..y1).map_err(drawing_error)?;
        let ticks: Vec<f64> = (0..=Y_TICKS).map(|k| y0 + (y1 - y0) * k as f64 / Y_TICKS as f64).collect();
        plot(chart, axes.x_desc, axes.y_desc, distinct_digits(&ticks, 3), &clamped, look)
    }
}

/// The axes, the lines (each starting with a dot, so a single point shows) and the legend.
fn plot<'a, DB, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    x_desc: &str,
    y_desc: &str,
    y_digits: usize,
    series: &[Series],
    look: Look,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_desc(x_desc)
        .y_desc(y_desc)
        .y_labels(Y_TICKS)
        // A tick at 0 can come out as 5.6e-17 of rounding: show it as 0.
        .x_label_formatter(&|v| sig(if v.abs() < 1e-12 { 0.0 } else { *v }, 4))
        .y_label_formatter(&|v| sig(*v, y_digits))
        .draw()
        .map_err(drawing_error)?;
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let style = colour.stroke_width(look.px(2));
        chart.draw_series(s.points.iter().take(1).map(|p| Circle::new(*p, look.px(3), colour.filled()))).map_err(drawing_error)?;
        let drawn = if s.dashed {
            chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), look.px(6), look.px(4), style))
        } else {
            chart.draw_series(LineSeries::new(s.points.iter().copied(), style))
        };
        drawn
            .map_err(drawing_error)?
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + look.offset(16), y)], colour.stroke_width(look.px(3))));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(look.font())
        .draw()
        .map_err(drawing_error)
}

/// Whether `values` are best shown on a log scale: all positive and spanning
/// more than two decades.
pub fn wants_log_scale(values: &[f64]) -> bool {
    let (lo, hi) = values.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    lo > 0.0 && hi / lo > 100.0
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
