//! One variable: the curve f(x), the points visited, the tangent at xₜ
//! whose slope is f′(xₜ), and the next step −α·f′(xₜ) as an arrow along the
//! x axis.

use crate::tr;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::thin::path_to_draw;
use super::{drawing_error, Look, PlotMapping};
use crate::descent::curve::CurveSurface;
use crate::descent::surface::ViewBox;
use crate::format::{sig, tick};

const CURVE: RGBColor = RGBColor(0, 114, 178);
const TANGENT: RGBColor = RGBColor(213, 94, 0);
const VISITED: RGBColor = RGBColor(90, 90, 90);
const STEP: RGBColor = RGBColor(0, 158, 115);

/// What the chart shows.
pub struct CurveScene<'a> {
    pub curve: &'a CurveSurface,
    /// x₀ … xₜ.
    pub xs: &'a [f64],
    /// xₜ₊₁, where the next step lands, when it is finite.
    pub next: Option<f64>,
    pub look: Look,
}

/// The box drawn: the curve's own, widened to hold every x visited and the next.
pub fn curve_view(scene: &CurveScene) -> ViewBox {
    let base = scene.curve.view();
    let xs = scene.xs.iter().chain(scene.next.iter()).copied().filter(|x| x.is_finite());
    let (lo, hi) = xs.fold((base.x_min, base.x_max), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let pad = if (lo, hi) == (base.x_min, base.x_max) { 0.0 } else { 0.05 * (hi - lo) };
    let (x_min, x_max) = (lo - pad, hi + pad);
    // f's range over the widened x range, as the curve's view computes it.
    let (bottom, top) = (0..=400)
        .map(|i| scene.curve.value(x_min + (x_max - x_min) * i as f64 / 400.0))
        .filter(|v| v.is_finite())
        .fold((base.y_min, base.y_max), |(a, b), v| (a.min(v), b.max(v)));
    ViewBox::new(x_min, x_max, bottom, top)
}

/// Draws the scene on `root`; returns where its plot lies, for clicks.
pub fn draw_curve<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &CurveScene) -> Result<PlotMapping, String> {
    let look = scene.look;
    let view = curve_view(scene);
    let span_y = view.y_max - view.y_min;
    let (y_lo, y_hi) = (view.y_min - 0.16 * span_y, view.y_max + 0.05 * span_y);
    let c = scene.curve;
    let now = scene.xs.last().copied().unwrap_or(f64::NAN);
    let slope = c.slope(now);
    let caption = tr!("f(x) = {f}; tangent at xₜ: slope f′(xₜ) = {slope}", f = c.function.text(), slope = sig(slope, 4));
    let mut chart = ChartBuilder::on(root)
        .margin(look.px(10))
        .margin_right(look.px(16))
        .caption(caption, look.small())
        .x_label_area_size(look.x_label_area(look.font(), look.font()))
        .y_label_area_size(look.px(56))
        .build_cartesian_2d(view.x_min..view.x_max, y_lo..y_hi)
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .set_all_tick_mark_size(look.tick())
        .x_labels(8)
        .y_labels(6)
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_desc("x")
        .y_desc("f(x)")
        .x_label_formatter(&|v| tick(*v, view.x_max - view.x_min, 2))
        .y_label_formatter(&|v| tick(*v, y_hi - y_lo, 2))
        .draw()
        .map_err(drawing_error)?;
    // The curve, broken where f is not a finite number.
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for i in 0..=600 {
        let x = view.x_min + (view.x_max - view.x_min) * i as f64 / 600.0;
        match c.value(x) {
            y if y.is_finite() => pieces.last_mut().expect("a piece").push((x, y.clamp(y_lo, y_hi))),
            _ => pieces.push(Vec::new()),
        }
    }
    for piece in pieces.into_iter().filter(|p| p.len() > 1) {
        chart.draw_series(LineSeries::new(piece, CURVE.stroke_width(look.px(3)))).map_err(drawing_error)?;
    }
    // The points visited, the last one black.
    let visited: Vec<(f64, f64)> = scene.xs.iter().map(|x| (*x, c.value(*x))).filter(|(_, y)| y.is_finite()).collect();
    // A point a pixel, a few thousand at most: a long run draws as fast as a short one.
    let visited = path_to_draw(&visited, |p| chart.backend_coord(&p));
    chart.draw_series(LineSeries::new(visited.iter().copied(), VISITED.stroke_width(1))).map_err(drawing_error)?;
    chart.draw_series(visited.iter().map(|p| Circle::new(*p, look.px(4), VISITED.filled()))).map_err(drawing_error)?;
    let f_now = c.value(now);
    if f_now.is_finite() && slope.is_finite() {
        // The tangent at xₜ over a fifth of the box each way.
        let half = 0.2 * (view.x_max - view.x_min);
        let line = |x: f64| (x, f_now + slope * (x - now));
        chart
            .draw_series(LineSeries::new([line(now - half), line(now + half)], TANGENT.stroke_width(look.px(2))))
            .map_err(drawing_error)?;
        chart.draw_series([Circle::new((now, f_now), look.px(6), BLACK.filled())]).map_err(drawing_error)?;
    }
    // The next step along the x axis: from xₜ to xₜ₊₁ = xₜ − α·f′(xₜ).
    if let Some(next) = scene.next.filter(|x| x.is_finite() && (x - now).abs() > 0.0) {
        let y = view.y_min - 0.06 * span_y;
        chart.draw_series(LineSeries::new([(now, y), (next, y)], STEP.stroke_width(look.px(3)))).map_err(drawing_error)?;
        let head = 0.02 * (view.x_max - view.x_min) * (next - now).signum();
        let h = 0.025 * span_y;
        chart
            .draw_series([Polygon::new(vec![(next, y), (next - head, y + h), (next - head, y - h)], STEP.filled())])
            .map_err(drawing_error)?;
        chart.draw_series([Text::new("−α·f′(xₜ)", (now.min(next), y - 0.6 * h), look.small())]).map_err(drawing_error)?;
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view: ViewBox::new(view.x_min, view.x_max, y_lo, y_hi) })
}
