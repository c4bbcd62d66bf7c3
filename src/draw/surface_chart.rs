//! The loss surface: heatmap, contour lines, colour legend, the trajectory,
//! the step direction at the current point, the start and the minima.

use crate::tr;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layer::SurfaceLayer;
use super::race_paths::{draw_race_paths, StyledPath};
use super::text::{anchor_away, draw_with_halo, text_size, PixelBox, Placer};
use super::thin::path_to_draw;
use super::{clip_polyline, drawing_error, Look, PlotMapping};
use crate::descent::surface::ViewBox;
use crate::format::{distinct_digits, sig, tick};

/// Width in pixels of the colour legend on the right.
pub const LEGEND_WIDTH: u32 = 96;
/// Length in pixels of the step-direction arrow.
const ARROW_LENGTH: f64 = 56.0;
/// About how many tick labels each axis carries.
const TICKS: usize = 7;
/// Above this many iterations the trajectory is drawn without a dot per iteration.
const MAX_DOTS: usize = 400;

const PATH: RGBColor = RGBColor(255, 255, 255);
const GHOST: RGBColor = RGBColor(255, 150, 200);
const STEP_ARROW: RGBColor = RGBColor(255, 85, 40);
const BATCH_ARROW: RGBColor = RGBColor(240, 228, 66);
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
    /// ∇J_b(θₜ), the gradient of the next update's mini-batch, when it has one.
    pub batch_gradient: Option<[f64; 2]>,
    pub minima: &'a [[f64; 2]],
    /// The paths of a race, each in its own style (empty for one run, whose
    /// `trajectory` is then drawn in white; in a race, `trajectory` is the
    /// shown run's, marked and given the arrow).
    pub race: &'a [StyledPath<'a>],
    /// The name of the function drawn ("J", "L"), for the legend and the arrow.
    pub value_name: &'a str,
    /// Whether the trajectory's first point is marked as the start.
    pub mark_start: bool,
    pub look: Look,
}

/// How a unit of one axis compares on the screen with a unit of the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scales {
    /// Each axis spans the whole plot area: a unit of x and a unit of y
    /// differ in length when the view's width and height differ.
    Free,
    /// One unit is as long on both axes: the plot area shrinks, centred, to
    /// the proportions of the view (for two coordinates of one space, such
    /// as distances in parameter space).
    Equal,
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart's part of `root` and the colour bar's, right of it.
fn chart_area<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, look: Look) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (w, _) = root.dim_in_pixel();
    root.split_horizontally(w.saturating_sub(look.px(LEGEND_WIDTH)))
}

/// The labels of the y axis over `view`.
fn y_tick_labels(view: ViewBox) -> Vec<String> {
    RangedCoordf64::from(view.y_min..view.y_max).key_points(TICKS).iter().map(|v| tick(*v, view.y_max - view.y_min, 3)).collect()
}

fn build<'a, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>, view: ViewBox, look: Look) -> Result<Chart<'a, DB>, String> {
    ChartBuilder::on(area)
        .margin(look.px(12))
        .x_label_area_size(look.x_label_area(look.font(), look.caption()))
        .y_label_area_size(look.y_label_area(area, &y_tick_labels(view), look.font(), look.caption()))
        .build_cartesian_2d(view.x_min..view.x_max, view.y_min..view.y_max)
        .map_err(drawing_error)
}

/// The part of `area` the chart takes: all of it at free scales; at equal
/// scales the part, centred, whose plot area has the proportions of `view`.
fn framed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: ViewBox,
    scales: Scales,
    look: Look,
) -> Result<DrawingArea<DB, Shift>, String> {
    let whole = area.margin(0, 0, 0, 0);
    if scales == Scales::Free {
        return Ok(whole);
    }
    let (xs, ys) = build(area, view, look)?.plotting_area().get_pixel_range();
    let (w, h) = ((xs.end - xs.start) as f64, (ys.end - ys.start) as f64);
    let aspect = (view.x_max - view.x_min) / (view.y_max - view.y_min);
    if !(aspect.is_finite() && aspect > 0.0 && w > 0.0 && h > 0.0) {
        return Ok(whole);
    }
    let (fit_w, fit_h) = if w / h > aspect { (h * aspect, h) } else { (w, w / aspect) };
    let (dx, dy) = (((w - fit_w) / 2.0).round() as i32, ((h - fit_h) / 2.0).round() as i32);
    Ok(area.margin(dy, dy, dx, dx))
}

/// The most labels along θ₀, up to [`TICKS`], whose texts stand apart on a
/// plot `width` pixels wide: each pair of neighbours at least half a digit
/// apart (a digit of the look's font is about 0.6 of its size).
fn x_label_count(view: ViewBox, width: f64, look: Look) -> usize {
    let (axis, span) = (RangedCoordf64::from(view.x_min..view.x_max), view.x_max - view.x_min);
    let digit = 0.6 * look.font().1 as f64;
    let half = |v: f64| 0.5 * digit * tick(v, span, 3).chars().count() as f64;
    let apart = |n: usize| axis.key_points(n).windows(2).all(|w| (w[1] - w[0]) / span * width >= half(w[0]) + half(w[1]) + 0.5 * digit);
    (2..=TICKS).rev().find(|&n| apart(n)).unwrap_or(2)
}

/// Where the plot area of the surface chart sits on `root`, and what it shows.
pub fn plot_mapping<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, view: ViewBox, look: Look) -> Result<PlotMapping, String> {
    plot_mapping_at(root, view, Scales::Free, look)
}

/// Where the plot area of the surface chart drawn at `scales` sits on `root`, and what it shows.
pub fn plot_mapping_at<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: ViewBox,
    scales: Scales,
    look: Look,
) -> Result<PlotMapping, String> {
    let (left, _) = chart_area(root, look);
    let area = framed(&left, view, scales, look)?;
    let chart = build(&area, view, look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view })
}

/// Draws the chart on `root` at free scales. The heatmap is not drawn by
/// plotters: the caller's `paint_raster(x, y)` puts `scene.layer.rgba` with
/// its top-left corner at pixel (x, y), in one go, before the lines are drawn over it.
pub fn draw_surface<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    paint_raster: impl FnOnce(i32, i32),
) -> Result<PlotMapping, String> {
    draw_surface_at(root, scene, Scales::Free, paint_raster)
}

/// Draws the chart on `root` at `scales`, as [`draw_surface`] does.
pub fn draw_surface_at<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    scales: Scales,
    paint_raster: impl FnOnce(i32, i32),
) -> Result<PlotMapping, String> {
    let layer = scene.layer;
    let view = layer.view;
    let look = scene.look;
    let (left, legend) = chart_area(root, look);
    let area = framed(&left, view, scales, look)?;
    let mut chart = build(&area, view, look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let mapping = PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view };
    paint_raster(xs.start, ys.start);

    let x_labels = x_label_count(view, (xs.end - xs.start).max(0) as f64, look);
    chart
        .configure_mesh()
        .disable_mesh()
        .set_all_tick_mark_size(look.tick())
        .x_desc(scene.axis_names[0])
        .y_desc(scene.axis_names[1])
        .x_labels(x_labels)
        .y_labels(TICKS)
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

    let minima: Vec<[f64; 2]> = scene.minima.iter().copied().filter(|m| view.contains(*m)).collect();
    chart
        .draw_series(minima.iter().map(|m| Cross::new((m[0], m[1]), look.px(7), WHITE.stroke_width(look.px(3)))))
        .map_err(drawing_error)?;

    let alone = scene.race.is_empty();
    for piece in clip_polyline(scene.trajectory, view).into_iter().filter(|_| alone) {
        // A point a pixel, a few thousand at most: a long run draws as fast as a short one.
        let piece = path_to_draw(&piece, |p| chart.backend_coord(&(p[0], p[1])));
        chart
            .draw_series(LineSeries::new(piece.into_iter().map(|p| (p[0], p[1])), PATH.stroke_width(look.px(2))))
            .map_err(drawing_error)?;
    }
    if alone && scene.trajectory.len() <= MAX_DOTS {
        let inside = scene.trajectory.iter().filter(|p| view.contains(**p));
        chart.draw_series(inside.map(|p| Circle::new((p[0], p[1]), look.px(3), PATH.filled()))).map_err(drawing_error)?;
    }

    let start = scene.trajectory.first().copied().filter(|p| scene.mark_start && view.contains(*p));
    if let Some(start) = start {
        chart
            .draw_series(std::iter::once(Circle::new((start[0], start[1]), look.px(7), START.stroke_width(look.px(3)))))
            .map_err(drawing_error)?;
    }

    // From here on, pixels of the plot area, its left top at (0, 0).
    let plot = chart.plotting_area().strip_coord_spec();
    let base = plot.get_base_pixel();
    let pixel = |p: [f64; 2]| {
        let (x, y) = chart.backend_coord(&(p[0], p[1]));
        (x - base.0, y - base.1)
    };
    draw_race_paths(&plot, scene.race, view, pixel, look)?;
    let now = scene.trajectory.last().copied().filter(|p| view.contains(*p));
    let (arrow, batch_arrow) = match now {
        Some(now) => {
            plot.draw(&Circle::new(pixel(now), look.px(6), BLACK.stroke_width(look.px(2)))).map_err(drawing_error)?;
            let batch = match scene.batch_gradient {
                Some(g) => draw_step_arrow(&plot, pixel(now), g, &mapping, BATCH_ARROW, look)?,
                None => None,
            };
            (draw_step_arrow(&plot, pixel(now), scene.gradient, &mapping, STEP_ARROW, look)?, batch)
        }
        None => (None, None),
    };
    let marks =
        Marks { minima: minima.iter().map(|m| pixel(*m)).collect(), start: start.map(pixel), now: now.map(pixel), arrow, batch_arrow };
    draw_labels(&plot, &marks, scene.value_name, look)?;

    draw_legend(&legend, layer, scene.value_name, look)?;
    Ok(mapping)
}

/// The marks the chart's labels name, in pixels of the plot area.
struct Marks {
    minima: Vec<(i32, i32)>,
    start: Option<(i32, i32)>,
    now: Option<(i32, i32)>,
    arrow: Option<Arrow>,
    /// The arrow of the mini-batch's −∇J_b, when there is one.
    batch_arrow: Option<Arrow>,
}

/// The step arrow as drawn: its tip in pixels and its direction (a unit vector).
struct Arrow {
    tip: (i32, i32),
    direction: (f64, f64),
}

/// "min" beside each minimum, "start" beside the start and "−∇J" beyond the
/// arrow's tip, each on a dark halo, inside the plot area and clear of the
/// marks and of one another: each takes the first free spot of eight around its mark.
fn draw_labels<DB: DrawingBackend>(plot: &DrawingArea<DB, Shift>, marks: &Marks, value_name: &str, look: Look) -> Result<(), String> {
    let (w, h) = plot.dim_in_pixel();
    let halo = look.offset(2);
    let mut placer = Placer::new(PixelBox { x0: 0, y0: 0, x1: w as i32, y1: h as i32 }, look.offset(2));
    for m in &marks.minima {
        placer.reserve(PixelBox::around(*m, look.offset(8)));
    }
    for p in marks.start.iter().chain(&marks.now) {
        placer.reserve(PixelBox::around(*p, look.offset(9)));
    }
    for arrow in marks.arrow.iter().chain(&marks.batch_arrow) {
        placer.reserve(PixelBox::around(arrow.tip, look.offset(7)));
    }
    let font = look.font().into_font();
    let mut label = |text: &str, colour: RGBColor, at: (i32, i32), distance: i32, first: (f64, f64)| -> Result<(), String> {
        let style = font.clone().color(&colour);
        let size = text_size(plot, text, &style);
        let size = (size.0 + 2 * halo as u32, size.1 + 2 * halo as u32);
        let spots = spots_around(at, size, distance, first);
        match placer.place_surely(&spots) {
            Some(spot) => draw_with_halo(plot, text, &style, spot),
            None => Ok(()),
        }
    };
    for m in &marks.minima {
        label(&tr!("min"), WHITE, *m, look.offset(10), (0.7, -0.7))?;
    }
    if let Some(start) = marks.start {
        label(&tr!("start"), START, start, look.offset(11), (0.9, 0.45))?;
    }
    if let Some(arrow) = &marks.arrow {
        label(&format!("−∇{value_name}"), STEP_ARROW, arrow.tip, look.offset(6), arrow.direction)?;
    }
    if let Some(arrow) = &marks.batch_arrow {
        label(&format!("−∇{value_name}_b"), BATCH_ARROW, arrow.tip, look.offset(6), arrow.direction)?;
    }
    Ok(())
}

/// Boxes of `size` at `distance` pixels from `at` in eight directions, each
/// on the far side of its direction, the direction nearest `first` first.
fn spots_around(at: (i32, i32), size: (u32, u32), distance: i32, first: (f64, f64)) -> Vec<PixelBox> {
    let d = std::f64::consts::FRAC_1_SQRT_2;
    let mut directions = [(1.0, 0.0), (d, -d), (0.0, -1.0), (-d, -d), (-1.0, 0.0), (-d, d), (0.0, 1.0), (d, d)];
    directions.sort_by(|a, b| (b.0 * first.0 + b.1 * first.1).total_cmp(&(a.0 * first.0 + a.1 * first.1)));
    directions
        .iter()
        .map(|&(dx, dy)| {
            let anchor = ((at.0 as f64 + dx * distance as f64).round() as i32, (at.1 as f64 + dy * distance as f64).round() as i32);
            PixelBox::anchored(anchor, size, anchor_away((dx, dy)))
        })
        .collect()
}

/// The arrow of −∇ at pixel `at` in `colour`, of fixed length: it shows the direction
/// of the step; the readout gives its size. Returns its tip and direction
/// (a unit vector in pixels), None when there is no direction to show.
fn draw_step_arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    gradient: [f64; 2],
    mapping: &PlotMapping,
    colour: RGBColor,
    look: Look,
) -> Result<Option<Arrow>, String> {
    let k = look.scale;
    let length = ARROW_LENGTH * k;
    let Some(tip) = step_arrow_tip((at.0 as f64, at.1 as f64), gradient, mapping, length) else {
        return Ok(None);
    };
    let (ux, uy) = ((tip.0 - at.0 as f64) / length, (tip.1 - at.1 as f64) / length);
    let pt = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    let base = (tip.0 - ux * 14.0 * k, tip.1 - uy * 14.0 * k);
    let head = vec![pt(tip.0, tip.1), pt(base.0 - uy * 7.0 * k, base.1 + ux * 7.0 * k), pt(base.0 + uy * 7.0 * k, base.1 - ux * 7.0 * k)];
    area.draw(&PathElement::new(vec![at, pt(base.0, base.1)], colour.stroke_width(look.px(4)))).map_err(drawing_error)?;
    area.draw(&Polygon::new(head, colour.filled())).map_err(drawing_error)?;
    Ok(Some(Arrow { tip: pt(tip.0, tip.1), direction: (ux, uy) }))
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

/// The colour bar, labelled with round values of the surface (powers of ten on a log scale).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layer: &SurfaceLayer,
    value_name: &str,
    look: Look,
) -> Result<(), String> {
    let scale = layer.scale;
    let caption = if scale.log_offset.is_some() { tr!("{value} (log)", value = value_name) } else { value_name.to_string() };
    let values = scale.ticks(6);
    let digits = distinct_digits(&values, 3);
    let labels: Vec<String> = values.iter().map(|v| sig(*v, digits)).collect();
    let style: TextStyle = look.font().into();
    let widest = labels.iter().map(|l| text_size(area, l, &style).0).max().unwrap_or(0);
    let mut chart = ChartBuilder::on(area)
        .margin_top(look.px(12))
        .margin_bottom(look.px(56))
        .margin_right(look.px(6))
        .margin_left(widest + 2 * look.tick() + look.px(4))
        .caption(caption, look.caption())
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(drawing_error)?;
    // Each label left of a tick mark at its value's place on the bar.
    let base = area.get_base_pixel();
    let label_style = style.pos(Pos::new(HPos::Right, VPos::Center));
    for (v, label) in values.iter().zip(labels) {
        let (x, y) = chart.backend_coord(&(0.0, scale.position(*v)));
        let (x, y) = (x - base.0, y - base.1);
        let tick_length = look.tick() as i32;
        area.draw(&PathElement::new(vec![(x - tick_length, y), (x, y)], BLACK.stroke_width(1))).map_err(drawing_error)?;
        area.draw(&Text::new(label, (x - 2 * tick_length, y), label_style.clone())).map_err(drawing_error)?;
    }
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
