//! The regression data and the line ŷ = θ₀ + θ₁·x of the current θ.

use crate::tr;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{drawing_error, Look};
use crate::descent::linreg::LinearData;
use crate::format::{sig, tick};

/// The most tick labels an axis carries.
const TICKS: usize = 8;

const POINT: RGBColor = RGBColor(31, 119, 180);
const FIT: RGBColor = RGBColor(230, 80, 30);
/// The ring around a row of the next mini-batch (the colour of the surface chart's −∇J_b arrow, darkened to show on white).
const BATCH: RGBColor = RGBColor(170, 150, 0);

/// The data as points, the rows of `batch` ringed, and the line of `theta`.
pub fn draw_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &LinearData,
    theta: [f64; 2],
    batch: Option<&[usize]>,
    look: Look,
) -> Result<(), String> {
    let fold = |vs: &[f64]| vs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let (x_lo, x_hi) = fold(&data.x);
    let (y_lo, y_hi) = fold(&data.y);
    if !(x_lo.is_finite() && y_lo.is_finite()) {
        return Err(tr!("the data set is empty"));
    }
    let (x_lo, x_hi) = (x_lo.min(0.0), x_hi + 0.1 * (x_hi - x_lo).max(0.1));
    let y_pad = 0.1 * (y_hi - y_lo).max(0.1);
    let (y_lo, y_hi) = (y_lo.min(0.0) - y_pad, y_hi + y_pad);
    let caption = tr!("Data and ŷ = {a} + {b}·x", a = sig(theta[0], 4), b = sig(theta[1], 4));
    let y_labels: Vec<String> = RangedCoordf64::from(y_lo..y_hi).key_points(TICKS).iter().map(|v| tick(*v, y_hi - y_lo, 3)).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(look.px(10))
        .margin_right(look.px(18))
        .x_label_area_size(look.x_label_area(look.font(), look.font()))
        .y_label_area_size(look.y_label_area(root, &y_labels, look.font(), look.font()))
        .caption(caption, look.caption())
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
        .map_err(drawing_error)?;
    // As many labels as leave room between them (a short chart in projector
    // mode): along x about one every four times the font's size, along y one every two lines.
    let (width, height) = chart.plotting_area().dim_in_pixel();
    chart
        .configure_mesh()
        .x_desc("x")
        .y_desc("y")
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(look.tick())
        .x_labels(look.labels_along(width, 4, TICKS))
        .y_labels(look.labels_along(height, 2, TICKS))
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_label_formatter(&|v| tick(*v, x_hi - x_lo, 3))
        .y_label_formatter(&|v| tick(*v, y_hi - y_lo, 3))
        .draw()
        .map_err(drawing_error)?;
    chart.draw_series(data.x.iter().zip(&data.y).map(|(&x, &y)| Circle::new((x, y), look.px(4), POINT.filled()))).map_err(drawing_error)?;
    // The rows of the next update's mini-batch, ringed.
    let ringed = batch.unwrap_or(&[]).iter().filter_map(|&i| Some((*data.x.get(i)?, *data.y.get(i)?)));
    chart.draw_series(ringed.map(|p| Circle::new(p, look.px(8), BATCH.stroke_width(look.px(3))))).map_err(drawing_error)?;
    // The line, sampled densely and cut to the chart so a far-off θ stays drawable.
    let samples = (0..=100).map(|k| x_lo + (x_hi - x_lo) * k as f64 / 100.0);
    let line: Vec<(f64, f64)> = samples.map(|x| (x, theta[0] + theta[1] * x)).filter(|(_, y)| (y_lo..=y_hi).contains(y)).collect();
    chart.draw_series(LineSeries::new(line, FIT.stroke_width(look.px(3)))).map_err(drawing_error)?;
    Ok(())
}
