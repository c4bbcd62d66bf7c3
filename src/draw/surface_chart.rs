//! The loss surface: heatmap, contour lines, colour legend, the trajectory,
//! the step direction at the current point, the start and the minima.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layer::SurfaceLayer;
use super::{clip_polyline, drawing_error, Look, PlotMapping};
use crate::descent::surface::ViewBox;
use crate::format::{distinct_digits, sig, tick};

/// Width in pixels of the colour legend on the right.
pub const LEGEND_WIDTH: u32 = 96;
/// Length in pixels of the step-direction arrow.
const ARROW_LENGTH: f64 = 56.0;
/// Above this many iterations the trajectory is drawn without a dot per iteration.
const MAX_DOTS: usize = 400;

const PATH: RGBColor = RGBColor(255, 255, 255);
const GHOST: RGBColor = RGBColor(255, 150, 200);
const STEP_ARROW: RGBColor = RGBColor(255, 85, 40);
const START: RGBColor = RGBColor(80, 220, 255);
const CONTOUR: RGBAColor = RGBAColor(255, 255, 255, 0.45);

/// What the surface chart shows besides the surface itself.
pub struct SurfaceScene<'a> {
    pub layer: &'a SurfaceLayer,
    /// Names of the two parameters, for the axes.
    pub axis_names: [&'a str; 2],
    /// θ₀ … θₜ.
    pub trajectory: &'a [[f64; 2]],
    /// The trajectory before the last change of α, dashed, to compare.
    pub ghost: Option<&'a [[f64; 2]]>,
    /// ∇J(θₜ).
    pub gradient: [f64; 2],
    pub minima: &'a [[f64; 2]],
    /// The name of the function drawn ("J", "L"), for the legend and the arrow.
    pub value_name: &'a str,
    /// Whether the trajectory's first point is marked as the start.
    pub mark_start: bool,
    pub look: Look,
}

fn chart_area<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, look: Look) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (w, _) = root.dim_in_pixel();
    root.split_horizontally(w.saturating_sub(look.px(LEGEND_WIDTH)))
}

fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    view: ViewBox,
    look: Look,
) -> Result<ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>, String> {
    ChartBuilder::on(area)
        .margin(look.px(12))
        .x_label_area_size(look.px(44))
        .y_label_area_size(look.px(62))
        .build_cartesian_2d(view.x_min..view.x_max, view.y_min..view.y_max)
        .map_err(drawing_error)
}

/// Where the plot area of the surface chart sits on `root`, and what it shows.
pub fn plot_mapping<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, view: ViewBox, look: Look) -> Result<PlotMapping, String> {
    let (left, _) = chart_area(root, look);
    let chart = build(&left, view, look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view })
}

/// Draws the chart on `root`. The heatmap is not drawn by plotters: the
/// caller's `paint_raster(x, y)` puts `scene.layer.rgba` with its top-left
/// corner at pixel (x, y), in one go, before the lines are drawn over it.
pub fn draw_surface<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    paint_raster: impl FnOnce(i32, i32),
) -> Result<PlotMapping, String> {
    let layer = scene.layer;
    let view = layer.view;
    let look = scene.look;
    let (left, legend) = chart_area(root, look);
    let mut chart = build(&left, view, look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let mapping = PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view };
    paint_raster(xs.start, ys.start);

    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(scene.axis_names[0])
        .y_desc(scene.axis_names[1])
        .x_labels(7)
        .y_labels(7)
        .label_style(look.font())
        .axis_desc_style(look.caption())
        .x_label_formatter(&|v| tick(*v, view.x_max - view.x_min, 3))
        .y_label_formatter(&|v| tick(*v, view.y_max - view.y_min, 3))
        .draw()
        .map_err(drawing_error)?;

    for level in &layer.contours {
        for line in &level.lines {
            for piece in clip_polyline(line, view) {
                chart.draw_series(LineSeries::new(piece.into_iter().map(|p| (p[0], p[1])), CONTOUR)).map_err(drawing_error)?;
            }
        }
    }

    if let Some(ghost) = scene.ghost {
        for piece in clip_polyline(ghost, view) {
            chart
                .draw_series(DashedLineSeries::new(
                    piece.into_iter().map(|p| (p[0], p[1])),
                    look.px(6),
                    look.px(4),
                    GHOST.stroke_width(look.px(2)),
                ))
                .map_err(drawing_error)?;
        }
    }

    for m in scene.minima.iter().filter(|m| view.contains(**m)) {
        chart.draw_series(std::iter::once(Cross::new((m[0], m[1]), look.px(7), WHITE.stroke_width(look.px(3))))).map_err(drawing_error)?;
        let label_at = chart.backend_coord(&(m[0], m[1]));
        left.draw(&Text::new("min", (label_at.0 + look.offset(9), label_at.1 - look.offset(20)), look.font().into_font().color(&WHITE)))
            .map_err(drawing_error)?;
    }

    for piece in clip_polyline(scene.trajectory, view) {
        chart
            .draw_series(LineSeries::new(piece.into_iter().map(|p| (p[0], p[1])), PATH.stroke_width(look.px(2))))
            .map_err(drawing_error)?;
    }
    if scene.trajectory.len() <= MAX_DOTS {
        let inside = scene.trajectory.iter().filter(|p| view.contains(**p));
        chart.draw_series(inside.map(|p| Circle::new((p[0], p[1]), look.px(3), PATH.filled()))).map_err(drawing_error)?;
    }

    if let Some(start) = scene.trajectory.first().filter(|p| scene.mark_start && view.contains(**p)) {
        chart
            .draw_series(std::iter::once(Circle::new((start[0], start[1]), look.px(7), START.stroke_width(look.px(3)))))
            .map_err(drawing_error)?;
        let at = chart.backend_coord(&(start[0], start[1]));
        left.draw(&Text::new("start", (at.0 + look.offset(10), at.1 + look.offset(6)), look.font().into_font().color(&START)))
            .map_err(drawing_error)?;
    }

    if let Some(now) = scene.trajectory.last().filter(|p| view.contains(**p)) {
        chart
            .draw_series(std::iter::once(Circle::new((now[0], now[1]), look.px(6), BLACK.stroke_width(look.px(2)))))
            .map_err(drawing_error)?;
        draw_step_arrow(&left, chart.backend_coord(&(now[0], now[1])), scene.gradient, &mapping, scene.value_name, look)?;
    }

    draw_legend(&legend, layer, scene.value_name, look)?;
    Ok(mapping)
}

/// The arrow of −∇`value_name` at pixel `at`, of fixed length: it shows the direction
/// of the step; the readout gives its size.
fn draw_step_arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    gradient: [f64; 2],
    mapping: &PlotMapping,
    value_name: &str,
    look: Look,
) -> Result<(), String> {
    let k = look.scale;
    let length = ARROW_LENGTH * k;
    let Some(tip) = step_arrow_tip((at.0 as f64, at.1 as f64), gradient, mapping, length) else {
        return Ok(());
    };
    let (ux, uy) = ((tip.0 - at.0 as f64) / length, (tip.1 - at.1 as f64) / length);
    let pt = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    let base = (tip.0 - ux * 14.0 * k, tip.1 - uy * 14.0 * k);
    let head = vec![pt(tip.0, tip.1), pt(base.0 - uy * 7.0 * k, base.1 + ux * 7.0 * k), pt(base.0 + uy * 7.0 * k, base.1 - ux * 7.0 * k)];
    area.draw(&PathElement::new(vec![at, pt(base.0, base.1)], STEP_ARROW.stroke_width(look.px(4)))).map_err(drawing_error)?;
    area.draw(&Polygon::new(head, STEP_ARROW.filled())).map_err(drawing_error)?;
    let label = pt(tip.0 + (ux * 8.0 - if ux < 0.0 { 34.0 } else { 0.0 }) * k, tip.1 + (uy * 8.0 - 8.0) * k);
    area.draw(&Text::new(format!("−∇{value_name}"), label, look.caption().into_font().color(&STEP_ARROW))).map_err(drawing_error)?;
    Ok(())
}

/// The tip, in pixels, of the arrow `length` pixels long from pixel `tail`
/// along the step −∇ (`gradient` in the plane's coordinates) on the chart of
/// `mapping`, whose axes may be scaled differently; None when the gradient is
/// zero or not finite.
fn step_arrow_tip(tail: (f64, f64), gradient: [f64; 2], mapping: &PlotMapping, length: f64) -> Option<(f64, f64)> {
    let (x0, x1, y0, y1) = mapping.pixels;
    let v = mapping.view;
    // −∇J in pixels: x grows to the right, y grows downwards.
    let dx = -gradient[0] * (x1 - x0) as f64 / (v.x_max - v.x_min);
    let dy = gradient[1] * (y1 - y0) as f64 / (v.y_max - v.y_min);
    let norm = dx.hypot(dy);
    (norm > 0.0 && norm.is_finite()).then(|| (tail.0 + dx / norm * length, tail.1 + dy / norm * length))
}

/// The colour bar, labelled with surface values.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layer: &SurfaceLayer,
    value_name: &str,
    look: Look,
) -> Result<(), String> {
    let scale = layer.scale;
    let caption = if scale.log_offset.is_some() { format!("{value_name} (log)") } else { value_name.to_string() };
    // The bar's six labels sit at 0, 0.2, … 1 of the scale.
    let labels: Vec<f64> = (0..=5).map(|k| scale.value_at(k as f64 / 5.0)).collect();
    let digits = distinct_digits(&labels, 3);
    let mut chart = ChartBuilder::on(area)
        .margin_top(look.px(12))
        .margin_bottom(look.px(56))
        .margin_right(look.px(6))
        .y_label_area_size(look.px(58))
        .caption(caption, look.caption())
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .label_style(look.font())
        .y_label_formatter(&|t| sig(scale.value_at(*t), digits))
        .draw()
        .map_err(drawing_error)?;
    const SLICES: usize = 64;
    chart
        .draw_series((0..SLICES).map(|k| {
            let (t0, t1) = (k as f64 / SLICES as f64, (k + 1) as f64 / SLICES as f64);
            let [r, g, b] = scale.colour(scale.value_at((t0 + t1) / 2.0));
            Rectangle::new([(0.0, t0), (1.0, t1)], RGBColor(r, g, b).filled())
        }))
        .map_err(drawing_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::surface::Surface;

    /// The arrow of −∇ points downhill, parallel to −∇ in the plane's coordinates, on axes scaled unequally.
    #[test]
    fn the_step_arrow_points_down_the_surface_along_minus_the_gradient() {
        // 500 × 300 pixels over x in [−4, 4] and y in [−0.5, 0.5]: 62.5 pixels a unit of x, 300 of y.
        let mapping = PlotMapping { pixels: (62, 562, 12, 312), view: ViewBox::new(-4.0, 4.0, -0.5, 0.5) };
        let (x0, x1, y0, y1) = mapping.pixels;
        let v = mapping.view;
        let to_pixel = |p: [f64; 2]| {
            (
                (p[0] - v.x_min) / (v.x_max - v.x_min) * (x1 - x0) as f64 + x0 as f64,
                (v.y_max - p[1]) / (v.y_max - v.y_min) * (y1 - y0) as f64 + y0 as f64,
            )
        };
        let to_plane = |(px, py): (f64, f64)| {
            [
                v.x_min + (px - x0 as f64) / (x1 - x0) as f64 * (v.x_max - v.x_min),
                v.y_max - (py - y0 as f64) / (y1 - y0) as f64 * (v.y_max - v.y_min),
            ]
        };
        let surfaces = [Surface::Quadratic, Surface::Rosenbrock, Surface::Saddle, Surface::Bowl { condition: 10.0, angle_deg: 30.0 }];
        for s in &surfaces {
            for p in [[1.5, 0.2], [-2.0, -0.3], [0.7, -0.1], [-3.1, 0.4]] {
                let g = s.gradient(p);
                let tail = to_pixel(p);
                let drawn = step_arrow_tip(tail, g, &mapping, ARROW_LENGTH).unwrap();
                assert!(((drawn.0 - tail.0).hypot(drawn.1 - tail.1) - ARROW_LENGTH).abs() < 1e-9, "the arrow has its length");
                // The tip of a short arrow, back in the plane's coordinates.
                let tip = to_plane(step_arrow_tip(tail, g, &mapping, 0.01).unwrap());
                let d = [tip[0] - p[0], tip[1] - p[1]];
                let cross = d[0] * -g[1] - d[1] * -g[0];
                let dot = d[0] * -g[0] + d[1] * -g[1];
                let (nd, ng) = (d[0].hypot(d[1]), g[0].hypot(g[1]));
                assert!(cross.abs() <= 1e-6 * nd * ng, "{} at {p:?}: {d:?} is not parallel to −∇ = {:?}", s.id(), [-g[0], -g[1]]);
                assert!(dot > 0.0, "{} at {p:?}: {d:?} points up the gradient {g:?}", s.id());
                assert!(s.value(tip) < s.value(p), "{} at {p:?}: the tip {tip:?} is not below the tail", s.id());
            }
        }
        assert_eq!(step_arrow_tip((100.0, 100.0), [0.0, 0.0], &mapping, ARROW_LENGTH), None);
        assert_eq!(step_arrow_tip((100.0, 100.0), [f64::NAN, 1.0], &mapping, ARROW_LENGTH), None);
    }
}
