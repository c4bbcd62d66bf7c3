//! Several named lines against epoch: train and test loss, accuracy, the
//! gradient norm of every layer. A log scale when the values span decades.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::loss_chart::wants_log_scale;
use super::{drawing_error, CAPTION, FONT};
use crate::format::sig;

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

/// One line: its name and its points (epoch, value).
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// Draws `series` with a legend; the y axis spans `y_range` when given, else
/// the values, on a log scale when every value is positive and they span over two decades.
pub fn draw_series<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    caption: &str,
    y_desc: &str,
    series: &[Series],
    y_range: Option<(f64, f64)>,
) -> Result<(), String> {
    let values: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite()).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0f64, f64::max);
    let mut builder = ChartBuilder::on(root);
    builder.margin(8).margin_right(16).caption(caption, CAPTION).x_label_area_size(34).y_label_area_size(62);
    let clean = |s: &Series| s.points.iter().copied().filter(|p| p.1.is_finite()).collect::<Vec<_>>();
    if y_range.is_none() && wants_log_scale(&values) {
        let mut chart = builder.build_cartesian_2d(0.0..x_max, (lo * 0.8..hi * 1.25).log_scale()).map_err(drawing_error)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .label_style(FONT)
            .x_desc("epoch")
            .y_desc(format!("{y_desc} (log)"))
            .y_labels(5)
            .x_label_formatter(&|v| sig(*v, 4))
            .y_label_formatter(&|v| sig(*v, 2))
            .draw()
            .map_err(drawing_error)?;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            chart.draw_series(clean(s).into_iter().filter(|p| p.1 > 0.0).take(1).map(|p| Circle::new(p, 3, colour.filled()))).map_err(drawing_error)?;
            chart
                .draw_series(LineSeries::new(clean(s).into_iter().filter(|p| p.1 > 0.0), colour.stroke_width(2)))
                .map_err(drawing_error)?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(3)));
        }
        legend(&mut chart)
    } else {
        let pad = 0.05 * (hi - lo).max(1e-9);
        let (y0, y1) = y_range.unwrap_or((lo - pad, hi + pad));
        let mut chart = builder.build_cartesian_2d(0.0..x_max, y0..y1).map_err(drawing_error)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .label_style(FONT)
            .x_desc("epoch")
            .y_desc(y_desc)
            .y_labels(5)
            .x_label_formatter(&|v| sig(*v, 4))
            .y_label_formatter(&|v| sig(*v, 3))
            .draw()
            .map_err(drawing_error)?;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            chart.draw_series(clean(s).into_iter().take(1).map(|p| Circle::new(p, 3, colour.filled()))).map_err(drawing_error)?;
            chart
                .draw_series(LineSeries::new(clean(s), colour.stroke_width(2)))
                .map_err(drawing_error)?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(3)));
        }
        legend(&mut chart)
    }
}

fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(chart: &mut ChartContext<'a, DB, CT>) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(FONT)
        .draw()
        .map_err(drawing_error)
}
