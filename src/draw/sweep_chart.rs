//! The learning-rate sweep: J after N steps against α (both on log scales),
//! the α that diverged marked at the top, and below it the iterations each α
//! needed to meet the stopping conditions; the current α and, on a
//! quadratic, the bound 2/λmax marked across both.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{drawing_error, Look};
use crate::descent::sweep::{SweepPoint, SweepRange};
use crate::format::sig;

const VALUE: RGBColor = RGBColor(0, 114, 178);
const REACHED: RGBColor = RGBColor(0, 158, 115);
const DIVERGED: RGBColor = RGBColor(213, 94, 0);
const CURRENT: RGBColor = RGBColor(0, 0, 0);
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

/// Draws the sweep on `root`; returns where its α axis lies, for clicks.
pub fn draw_sweep<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &SweepScene) -> Result<SweepMapping, String> {
    let look = scene.look;
    let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 * 3 / 5);
    let range = scene.range;
    // J from its least over the sweep up to GREW times its start: a run that
    // grew beyond is marked at the top, as one that overflowed is.
    let ceiling = if scene.start_value > 0.0 { scene.start_value * GREW } else { f64::INFINITY };
    let values: Vec<f64> = scene.points.iter().filter_map(|p| p.value).filter(|v| v.is_finite() && *v > 0.0 && *v <= ceiling).collect();
    let (v_lo, v_hi) = values
        .iter()
        .chain([&scene.start_value].into_iter().filter(|v| **v > 0.0))
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let (v_lo, v_hi) = if v_lo.is_finite() && v_hi > 0.0 { (v_lo * 0.5, v_hi.min(ceiling) * 4.0) } else { (1e-3, 1.0) };
    let caption = format!("J after N = {} steps, against α", range.steps);
    let mut chart = ChartBuilder::on(&top)
        .margin(look.px(8))
        .margin_right(look.px(16))
        .caption(caption, look.caption())
        .x_label_area_size(look.px(4))
        .y_label_area_size(look.px(64))
        .build_cartesian_2d((range.lo..range.hi).log_scale(), (v_lo..v_hi).log_scale())
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(look.tick())
        .label_style(look.font())
        .axis_desc_style(look.font())
        .y_desc("J (log)")
        .disable_x_axis()
        .y_labels(5)
        .y_label_formatter(&|v| sig(*v, 2))
        .draw()
        .map_err(drawing_error)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let mapping = SweepMapping { x0: xs.start, x1: xs.end, lo: range.lo, hi: range.hi };
    // The start's J: below it the run descended, above it the loss grew.
    let across = |y: f64| vec![(range.lo, y), (range.hi, y)];
    chart
        .draw_series(DashedLineSeries::new(across(scene.start_value), look.px(4), look.px(4), BLACK.mix(0.4).stroke_width(1)))
        .map_err(drawing_error)?
        .label("J at the start")
        .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 18, y)], 4, 4, BLACK.mix(0.4).stroke_width(1)));
    // The run of points without a divergence between them, joined.
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for p in scene.points {
        match p.value.filter(|v| *v > 0.0 && *v <= ceiling) {
            Some(v) => pieces.last_mut().expect("one piece at least").push((p.lr, v)),
            None => pieces.push(Vec::new()),
        }
    }
    let mut first = true;
    for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
        let series = chart.draw_series(LineSeries::new(piece, VALUE.stroke_width(look.px(2)))).map_err(drawing_error)?;
        if std::mem::take(&mut first) {
            series.label("J after N steps").legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], VALUE.stroke_width(2)));
        }
    }
    let at_top = v_hi / 1.6;
    let grew: Vec<f64> = scene.points.iter().filter(|p| p.value.is_some_and(|v| v > ceiling)).map(|p| p.lr).collect();
    if !grew.is_empty() {
        chart
            .draw_series(grew.iter().map(|lr| TriangleMarker::new((*lr, at_top), look.px(4), DIVERGED.filled())))
            .map_err(drawing_error)?
            .label(format!("J grew over {GREW:e}·J(start)"))
            .legend(move |(x, y)| TriangleMarker::new((x + 9, y), 4, DIVERGED.filled()));
    }
    let diverged: Vec<f64> = scene.points.iter().filter(|p| p.diverged_at.is_some()).map(|p| p.lr).collect();
    if !diverged.is_empty() {
        chart
            .draw_series(diverged.iter().map(|lr| Cross::new((*lr, at_top), look.px(4), DIVERGED.stroke_width(look.px(2)))))
            .map_err(drawing_error)?
            .label("diverged (θ overflowed)")
            .legend(move |(x, y)| Cross::new((x + 9, y), 4, DIVERGED.stroke_width(2)));
    }
    mark_alphas(&mut chart, scene, v_lo, v_hi, look)?;
    // The legend in the lower corner on the side with fewer points of the curve.
    let middle = (range.lo * range.hi).sqrt();
    let left = scene.points.iter().filter(|p| p.value.is_some_and(|v| v <= ceiling) && p.lr < middle).count();
    let right = scene.points.iter().filter(|p| p.value.is_some_and(|v| v <= ceiling) && p.lr >= middle).count();
    let corner = if left > right { SeriesLabelPosition::LowerRight } else { SeriesLabelPosition::LowerLeft };
    chart
        .configure_series_labels()
        .position(corner)
        .label_font(look.small())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(drawing_error)?;

    // Below: the iterations each α needed to meet the stopping conditions.
    let steps = range.steps as f64;
    let mut chart = ChartBuilder::on(&bottom)
        .margin(look.px(8))
        .margin_right(look.px(16))
        .caption("Iterations to meet the stopping conditions", look.small())
        .x_label_area_size(look.x_label_area(look.font(), look.font()))
        .y_label_area_size(look.px(64))
        .build_cartesian_2d((range.lo..range.hi).log_scale(), 0.0..steps * 1.05)
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(look.tick())
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_desc("α (log)")
        .y_desc("t")
        .y_labels(3)
        .x_label_formatter(&|v| sig(*v, 2))
        .y_label_formatter(&|v| sig(*v, 3))
        .draw()
        .map_err(drawing_error)?;
    let reached: Vec<(f64, f64)> = scene.points.iter().filter_map(|p| p.reached.map(|t| (p.lr, t as f64))).collect();
    chart.draw_series(reached.iter().map(|p| Circle::new(*p, look.px(2), REACHED.filled()))).map_err(drawing_error)?;
    mark_alphas(&mut chart, scene, 0.0, steps * 1.05, look)?;
    Ok(mapping)
}

/// The current α (solid) and 2/λmax (dashed) as vertical lines from `lo` to `hi`.
fn mark_alphas<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<LogCoord<f64>, Y>>,
    scene: &SweepScene,
    lo: f64,
    hi: f64,
    look: Look,
) -> Result<(), String> {
    let inside = |lr: f64| (scene.range.lo..=scene.range.hi).contains(&lr);
    if let Some(bound) = scene.bound.filter(|b| inside(*b)) {
        chart
            .draw_series(DashedLineSeries::new(vec![(bound, lo), (bound, hi)], look.px(6), look.px(4), BOUND.stroke_width(look.px(2))))
            .map_err(drawing_error)?
            .label("2/λmax")
            .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 18, y)], 6, 4, BOUND.stroke_width(2)));
    }
    if inside(scene.current) {
        chart
            .draw_series(LineSeries::new(vec![(scene.current, lo), (scene.current, hi)], CURRENT.stroke_width(look.px(1))))
            .map_err(drawing_error)?
            .label("α now")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], CURRENT.stroke_width(1)));
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
