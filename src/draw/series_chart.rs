//! Several named lines against iteration or epoch: the loss of a descent
//! run, train and test loss, accuracy, the gradient norm of every layer. A
//! log scale when the values span decades.

use crate::tr;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::LineStyle;
use super::text::{text_size, PixelBox};
use super::thin::column_envelope;
use super::{drawing_error, Look};
use crate::format::{distinct_digits, sig};

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

/// How line `k` of `series` is drawn: the k-th style, dashed when the series
/// is a line to compare with and its style is solid.
pub fn line_style(series: &[Series], k: usize) -> LineStyle {
    let style = LineStyle::of(k);
    match style.dash {
        None if series[k].dashed => LineStyle { dash: Some((6, 4)), ..style },
        _ => style,
    }
}

/// Where a chart's plot area lies on the canvas: pixel columns x0 to x1 span
/// x from `min` to `max`; it covers pixel rows y0 to y1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct XMapping {
    pub x0: i32,
    pub x1: i32,
    pub y0: i32,
    pub y1: i32,
    pub min: f64,
    pub max: f64,
}

impl XMapping {
    /// Whether canvas pixel row `py` is within the plot's height.
    pub fn covers_row(&self, py: f64) -> bool {
        (self.y0 as f64..=self.y1 as f64).contains(&py)
    }

    /// The x under canvas pixel column `px`, None outside the plot.
    pub fn x_at(&self, px: f64) -> Option<f64> {
        let share = (px - self.x0 as f64) / (self.x1 - self.x0).max(1) as f64;
        (0.0..=1.0).contains(&share).then_some(self.min + share * (self.max - self.min))
    }
}

/// Draws `series` with a legend. The y axis spans `axes.y_range` when given,
/// else the values, on a log scale when every value is positive and they span
/// over two decades. Returns where the x axis lies, for hovering.
pub fn draw_series<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, axes: &Axes, series: &[Series]) -> Result<XMapping, String> {
    let values: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite()).collect();
    let log = axes.y_range.is_none() && wants_log_scale(&values);
    let limit = if log { LOG_LIMIT } else { LINEAR_LIMIT };
    let values: Vec<f64> = values.iter().map(|v| v.clamp(-limit, limit)).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // At least ten iterations or epochs wide, so the first steps show as steps.
    let (x_min, x_max) = axes.x_range.unwrap_or((0.0, series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(10.0f64, f64::max)));
    let clamped: Vec<Series> = series
        .iter()
        .map(|s| Series {
            label: s.label.clone(),
            points: s.points.iter().filter(|p| p.1.is_finite() && (!log || p.1 > 0.0)).map(|p| (p.0, p.1.clamp(-limit, limit))).collect(),
            dashed: s.dashed,
        })
        .collect();
    if log {
        let y: LogCoord<f64> = (lo * 0.8..hi * 1.25).log_scale().into();
        let chart = build(root, axes, x_min..x_max, y, 2)?;
        let mapping = x_mapping(&chart, x_min, x_max);
        plot(chart, axes, &tr!("{value} (log)", value = axes.y_desc), 2, &clamped)?;
        Ok(mapping)
    } else {
        // A flat curve (one value at t = 0) still gets a band around it, 2 % of its size.
        let pad = 0.05 * (hi - lo).max(0.02 * hi.abs().max(lo.abs())).max(1e-12);
        let (y0, y1) = axes.y_range.unwrap_or((lo - pad, hi + pad));
        let ticks: Vec<f64> = (0..=Y_TICKS).map(|k| y0 + (y1 - y0) * k as f64 / Y_TICKS as f64).collect();
        let digits = distinct_digits(&ticks, 3);
        let chart = build(root, axes, x_min..x_max, RangedCoordf64::from(y0..y1), digits)?;
        let mapping = x_mapping(&chart, x_min, x_max);
        plot(chart, axes, axes.y_desc, digits, &clamped)?;
        Ok(mapping)
    }
}

fn x_mapping<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
    min: f64,
    max: f64,
) -> XMapping {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    XMapping { x0: xs.start, x1: xs.end, y0: ys.start, y1: ys.end, min, max }
}

/// The chart on `root` over `x` and `y`, its label areas wide enough for
/// the tick labels (with `y_digits` significant digits on the y axis) and the axis titles.
fn build<'a, DB, Y>(
    root: &'a DrawingArea<DB, Shift>,
    axes: &Axes,
    x: std::ops::Range<f64>,
    y: Y,
    y_digits: usize,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>, String>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64>,
{
    let look = axes.look;
    let labels: Vec<String> = y.key_points(Y_TICKS).iter().map(|v| sig(*v, y_digits)).collect();
    ChartBuilder::on(root)
        .margin(look.px(8))
        .margin_right(look.px(16))
        .caption(axes.caption, look.caption())
        // No axis title (a panel above another that names the same axis): no room for it.
        .x_label_area_size(if axes.x_desc.is_empty() {
            look.x_ticks_area(look.font())
        } else {
            look.x_label_area(look.font(), look.font())
        })
        .y_label_area_size(look.y_label_area(root, &labels, look.font(), look.font()))
        .build_cartesian_2d(RangedCoordf64::from(x), y)
        .map_err(drawing_error)
}

/// The axes, the lines (each starting with a dot, so a single point shows) and the legend.
fn plot<'a, DB, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    axes: &Axes,
    y_desc: &str,
    y_digits: usize,
    series: &[Series],
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let look = axes.look;
    // Room for a tick label about every six characters' width, and on a short
    // panel one about every two lines' height.
    let (width, height) = chart.plotting_area().dim_in_pixel();
    let (x_ticks, y_ticks) = (look.labels_along(width, 6, 10), look.labels_along(height, 2, Y_TICKS));
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(look.tick())
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_desc(axes.x_desc)
        .y_desc(y_desc)
        .y_labels(y_ticks)
        // A tick at 0 can come out as 5.6e-17 of rounding: show it as 0.
        .x_label_formatter(&|v| sig(if v.abs() < 1e-12 { 0.0 } else { *v }, 4))
        .y_label_formatter(&|v| sig(*v, y_digits))
        .draw()
        .map_err(drawing_error)?;
    // Each line thinned to what its pixel columns show (a long run has many points a column).
    let thinned: Vec<Vec<(f64, f64)>> = series.iter().map(|s| column_envelope(&s.points, |p| chart.backend_coord(&p).0)).collect();
    for (k, points) in thinned.iter().enumerate() {
        let style = line_style(series, k);
        let stroke = style.colour.stroke_width(look.px(2));
        chart.draw_series(points.iter().take(1).map(|p| Circle::new(*p, look.px(3), style.colour.filled()))).map_err(drawing_error)?;
        match style.dash {
            Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(points.iter().copied(), look.px(dash), look.px(gap), stroke)),
            None => chart.draw_series(LineSeries::new(points.iter().copied(), stroke)),
        }
        .map_err(drawing_error)?;
    }
    // The lines in pixels of the plot area, for the legend to keep clear of.
    let plot = chart.plotting_area().strip_coord_spec();
    let base = plot.get_base_pixel();
    let lines: Vec<Vec<(i32, i32)>> = thinned
        .iter()
        .map(|points| points.iter().map(|p| chart.backend_coord(p)).map(|(x, y)| (x - base.0, y - base.1)).collect())
        .collect();
    draw_legend(&plot, series, &lines, look)
}

/// The legend: a sample of each named line and its name, in a box in the
/// corner of the plot area where it covers the fewest points of the lines,
/// and never the newest point of a line when a corner is free of it. Lines
/// with an empty name are left out; with none named, there is no legend.
fn draw_legend<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    series: &[Series],
    lines: &[Vec<(i32, i32)>],
    look: Look,
) -> Result<(), String> {
    let named: Vec<(usize, &Series)> = series.iter().enumerate().filter(|(_, s)| !s.label.is_empty()).collect();
    if named.is_empty() {
        return Ok(());
    }
    let font: TextStyle = look.font().into_font().color(&BLACK);
    let (pad, sample) = (look.offset(6), look.offset(34));
    let row = look.font().1 as i32 + look.offset(4);
    let widest = named.iter().map(|(_, s)| text_size(plot, &s.label, &font).0 as i32).max().unwrap_or(0);
    let width = pad + sample + pad + widest + pad;
    let height = pad + row * named.len() as i32 + pad - look.offset(4);
    let (w, h) = plot.dim_in_pixel();
    if !legend_fits((width, height), (w, h)) {
        return Ok(());
    }
    let spot = legend_spot(lines, (width, height), (w as i32, h as i32), look.offset(6));
    plot.draw(&Rectangle::new([(spot.x0, spot.y0), (spot.x1, spot.y1)], WHITE.mix(0.85).filled())).map_err(drawing_error)?;
    plot.draw(&Rectangle::new([(spot.x0, spot.y0), (spot.x1, spot.y1)], BLACK.mix(0.3))).map_err(drawing_error)?;
    for (row_index, &(k, s)) in named.iter().enumerate() {
        let y = spot.y0 + pad + row * row_index as i32 + row / 2 - look.offset(2);
        let (x0, x1) = (spot.x0 + pad, spot.x0 + pad + sample);
        let style = line_style(series, k);
        let stroke = style.colour.stroke_width(look.px(3));
        match style.dash {
            Some((dash, gap)) => plot.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], look.px(dash), look.px(gap), stroke)),
            None => plot.draw(&PathElement::new(vec![(x0, y), (x1, y)], stroke)),
        }
        .map_err(drawing_error)?;
        let text = Text::new(s.label.clone(), (x1 + pad, y), font.pos(Pos::new(HPos::Left, VPos::Center)));
        plot.draw(&text).map_err(drawing_error)?;
    }
    Ok(())
}

/// Whether a legend of `size` pixels leaves most of a plot area of `area`
/// pixels in sight: at most half its width or a third of its height, and a
/// quarter of its area. A larger legend would hide what it names; the page names the
/// lines beside the chart, and an export at twice the size has room for it.
pub fn legend_fits(size: (i32, i32), area: (u32, u32)) -> bool {
    let (w, h) = (area.0 as f64, area.1 as f64);
    let (lw, lh) = (size.0 as f64, size.1 as f64);
    (lw <= w / 2.0 || lh <= h / 3.0) && lw * lh <= w * h / 4.0
}

/// Where a legend of `size` goes in a plot area of `area` pixels, `inset`
/// from its edges: the first of the upper right, upper left, lower right and
/// lower left corners that covers the least of `lines` (each segment sampled
/// every few pixels), where the newest quarter of a line's points weighs a
/// hundred times the rest, so that the legend leaves the latest epochs in sight.
pub fn legend_spot(lines: &[Vec<(i32, i32)>], size: (i32, i32), area: (i32, i32), inset: i32) -> PixelBox {
    let (left, right) = (inset, area.0 - inset - size.0);
    let (top, bottom) = (inset, area.1 - inset - size.1);
    let corners = [(right, top), (left, top), (right, bottom), (left, bottom)].map(|(x, y)| PixelBox {
        x0: x,
        y0: y,
        x1: x + size.0,
        y1: y + size.1,
    });
    let covered = |b: &PixelBox| -> usize {
        // A point within `inset` of the box counts as covered: the box's edge would touch it.
        let near = b.grown(inset);
        let inside = |p: (f64, f64)| (near.x0 as f64..=near.x1 as f64).contains(&p.0) && (near.y0 as f64..=near.y1 as f64).contains(&p.1);
        let mut total = 0;
        for line in lines {
            let newest = line.len() - line.len().div_ceil(4);
            for (k, pair) in line.windows(2).enumerate() {
                let (a, c) = ((pair[0].0 as f64, pair[0].1 as f64), (pair[1].0 as f64, pair[1].1 as f64));
                let steps = ((c.0 - a.0).hypot(c.1 - a.1) / 3.0).ceil().max(1.0) as usize;
                let weight = if k + 1 >= newest { 100 } else { 1 };
                total += weight * (0..=steps).filter(|s| inside(lerp(a, c, *s as f64 / steps as f64))).count();
            }
            if let [only] = line.as_slice() {
                total += 100 * usize::from(inside((only.0 as f64, only.1 as f64)));
            }
        }
        total
    };
    corners.into_iter().min_by_key(covered).expect("four corners")
}

fn lerp(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// Whether `values` are best shown on a log scale: all positive and spanning
/// more than two decades.
pub fn wants_log_scale(values: &[f64]) -> bool {
    let (lo, hi) = values.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    lo > 0.0 && hi / lo > 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legend_that_would_hide_the_chart_is_left_out() {
        assert!(legend_fits((120, 40), (400, 260)), "two short lines on a full chart");
        assert!(!legend_fits((200, 120), (400, 200)), "six lines on a small chart: over a quarter of it");
        assert!(legend_fits((140, 90), (400, 150)), "four short lines on a loss chart");
        assert!(!legend_fits((300, 40), (400, 100)), "wider than half and taller than a third");
    }

    #[test]
    fn log_scale_only_for_positive_values_over_decades() {
        assert!(wants_log_scale(&[100.0, 3.0, 0.5]));
        assert!(!wants_log_scale(&[10.0, 3.0, 0.5]));
        assert!(!wants_log_scale(&[100.0, -3.0, 0.5]));
        assert!(!wants_log_scale(&[]));
    }
}
