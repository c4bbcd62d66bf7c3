//! What the network has learnt: for classification, its output over the
//! plane as colours (the decision boundary at 0.5, or between the regions
//! where each class's output is largest) with the train and test points; for
//! regression, its curve over the data.

use crate::tr;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{drawing_error, Look, PlotMapping};
use crate::descent::surface::ViewBox;
use crate::format::tick;
use crate::nn::data::{class_of, Dataset};
use crate::nn::matrix::Mat;
use crate::nn::network::Network;

const CLASS_ONE: RGBColor = RGBColor(31, 119, 180);
const CLASS_ZERO: RGBColor = RGBColor(230, 120, 30);
/// The colour of each class 0 … 4: orange, blue, bluish green, reddish purple, dark yellow.
pub const CLASS_COLOURS: [RGBColor; 5] = [CLASS_ZERO, CLASS_ONE, RGBColor(0, 158, 115), RGBColor(204, 121, 167), RGBColor(181, 150, 0)];
/// What each class's colour is called, for the page's words.
pub const CLASS_COLOUR_NAMES: [&str; 5] = ["orange", "blue", "green", "purple", "yellow"];

/// A box around every point, padded by a tenth.
pub fn data_view(sets: &[&Dataset]) -> ViewBox {
    let mut v = ViewBox::new(f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for d in sets {
        for r in 0..d.len() {
            let row = d.x.row(r);
            let y = if row.len() > 1 { row[1] } else { d.y.get(r, 0) };
            v = ViewBox::new(v.x_min.min(row[0]), v.x_max.max(row[0]), v.y_min.min(y), v.y_max.max(y));
        }
    }
    if !v.x_min.is_finite() {
        return ViewBox::new(-1.0, 1.0, -1.0, 1.0);
    }
    let px = 0.1 * (v.x_max - v.x_min).max(0.2);
    let py = 0.1 * (v.y_max - v.y_min).max(0.2);
    ViewBox::new(v.x_min - px, v.x_max + px, v.y_min - py, v.y_max + py)
}

/// `c` faded towards white: t = 1 is 70 % of c, t = 0 is white.
fn tint(c: RGBColor, t: f64) -> [u8; 3] {
    let mix = |v: u8| (255.0 + (v as f64 - 255.0) * 0.7 * t).round() as u8;
    [mix(c.0), mix(c.1), mix(c.2)]
}

/// The colour of a network output p: orange at 0, white at ½, blue at 1.
pub fn output_colour(p: f64) -> [u8; 3] {
    let p = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.5 };
    if p >= 0.5 {
        tint(CLASS_ONE, (p - 0.5) * 2.0)
    } else {
        tint(CLASS_ZERO, (0.5 - p) * 2.0)
    }
}

/// The colour of a row of outputs: one output as [`output_colour`]; a
/// softmax's K outputs in the colour of the largest, white where it is 1/K
/// (no class ahead) and full where it is 1.
pub fn outputs_colour(row: &[f64]) -> [u8; 3] {
    if let [p] = row {
        return output_colour(*p);
    }
    let k = row.len() as f64;
    let best = class_of(row);
    let p = row[best];
    if !p.is_finite() {
        return [255, 255, 255];
    }
    tint(CLASS_COLOURS[best % CLASS_COLOURS.len()], ((p - 1.0 / k) / (1.0 - 1.0 / k)).clamp(0.0, 1.0))
}

/// Line segments, each from one point to another (data coordinates).
pub type Edges = Vec<[(f64, f64); 2]>;

/// The edges between the cells of a `cells` × `cells` grid over `view` where
/// `net` puts neighbouring cells in different classes: its decision boundary,
/// as segments in data coordinates.
pub fn class_edges(net: &Network, view: ViewBox, cells: usize) -> Edges {
    let (dx, dy) = ((view.x_max - view.x_min) / cells as f64, (view.y_max - view.y_min) / cells as f64);
    let centre = |i: usize, j: usize| (view.x_min + (i as f64 + 0.5) * dx, view.y_min + (j as f64 + 0.5) * dy);
    let grid: Vec<f64> = (0..cells).flat_map(|j| (0..cells).flat_map(move |i| [centre(i, j).0, centre(i, j).1])).collect();
    let out = net.predict(&Mat { rows: cells * cells, cols: 2, data: grid });
    let class = |i: usize, j: usize| class_of(out.row(j * cells + i));
    let mut edges = Vec::new();
    for j in 0..cells {
        for i in 0..cells {
            let (x, y) = centre(i, j);
            if i + 1 < cells && class(i, j) != class(i + 1, j) {
                edges.push([(x + dx / 2.0, y - dy / 2.0), (x + dx / 2.0, y + dy / 2.0)]);
            }
            if j + 1 < cells && class(i, j) != class(i, j + 1) {
                edges.push([(x - dx / 2.0, y + dy / 2.0), (x + dx / 2.0, y + dy / 2.0)]);
            }
        }
    }
    edges
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// About how many tick labels each axis carries.
const TICKS: usize = 8;

/// The label of a tick at `v` on an axis from `lo` to `hi`.
fn tick_label(v: f64, lo: f64, hi: f64) -> String {
    tick(v, hi - lo, 2)
}

fn build<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    view: ViewBox,
    caption: &str,
    look: Look,
) -> Result<Chart<'a, DB>, String> {
    let y_labels: Vec<String> =
        RangedCoordf64::from(view.y_min..view.y_max).key_points(TICKS).iter().map(|v| tick_label(*v, view.y_min, view.y_max)).collect();
    ChartBuilder::on(root)
        .margin(look.px(10))
        .margin_right(look.px(16))
        .caption(caption, look.caption())
        .x_label_area_size(look.x_label_area(look.font(), look.font()))
        .y_label_area_size(look.y_label_area(root, &y_labels, look.font(), look.font()))
        .build_cartesian_2d(view.x_min..view.x_max, view.y_min..view.y_max)
        .map_err(drawing_error)
}

/// The axes over `view`, named `names`, with ticks, labels and no grid.
fn draw_axes<DB: DrawingBackend>(chart: &mut Chart<DB>, view: ViewBox, names: [&str; 2], look: Look) -> Result<(), String> {
    chart
        .configure_mesh()
        .disable_mesh()
        .set_all_tick_mark_size(look.tick())
        .x_labels(TICKS)
        .y_labels(TICKS)
        .label_style(look.font())
        .axis_desc_style(look.font())
        .x_desc(names[0])
        .y_desc(names[1])
        .x_label_formatter(&|v| tick_label(*v, view.x_min, view.x_max))
        .y_label_formatter(&|v| tick_label(*v, view.y_min, view.y_max))
        .draw()
        .map_err(drawing_error)
}

/// Classification: `paint_raster(x, y, width, height)` puts a raster of
/// the network's outputs ([`crate::nn::views::BoundaryJob`]) the size of the plot area at pixel (x, y), before the
/// points are drawn over it; `before`, the boundary of the run before a
/// change (see [`class_edges`]), is outlined over it.
pub fn draw_boundary<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: ViewBox,
    (train, test): (&Dataset, &Dataset),
    before: &[[(f64, f64); 2]],
    look: Look,
    paint_raster: impl FnOnce(i32, i32, u32, u32),
) -> Result<PlotMapping, String> {
    let caption = if before.is_empty() {
        tr!("Decision boundary (● train, ○ test)")
    } else {
        tr!("Decision boundary (● train, ○ test, ▬ before)")
    };
    let mut chart = build(root, view, &caption, look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let mapping = PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view };
    paint_raster(xs.start, ys.start, (xs.end - xs.start).max(1) as u32, (ys.end - ys.start).max(1) as u32);
    draw_axes(&mut chart, view, ["x₁", "x₂"], look)?;
    let outline = BLACK.mix(0.55).stroke_width(look.px(2));
    chart.draw_series(before.iter().map(|edge| PathElement::new(edge.to_vec(), outline))).map_err(drawing_error)?;
    let colour = |class: f64| CLASS_COLOURS[(class as usize).min(CLASS_COLOURS.len() - 1)];
    let points = |d: &Dataset| (0..d.len()).map(|r| (d.x.get(r, 0), d.x.get(r, 1), d.label(r))).collect::<Vec<_>>();
    chart
        .draw_series(points(train).into_iter().map(|(x, y, t)| Circle::new((x, y), look.px(4), colour(t).filled())))
        .map_err(drawing_error)?;
    chart
        .draw_series(points(test).into_iter().map(|(x, y, t)| Circle::new((x, y), look.px(4), colour(t).stroke_width(look.px(2)))))
        .map_err(drawing_error)?;
    Ok(mapping)
}

/// Regression: the points and the network's curve ŷ(x).
pub fn draw_fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: &Network,
    train: &Dataset,
    test: &Dataset,
    look: Look,
) -> Result<PlotMapping, String> {
    let view = data_view(&[train, test]);
    let mut chart = build(root, view, &tr!("Fit ŷ(x) (● train, ○ test)"), look)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let mapping = PlotMapping { pixels: (xs.start, xs.end, ys.start, ys.end), view };
    draw_axes(&mut chart, view, ["x", "y"], look)?;
    let points = |d: &Dataset| (0..d.len()).map(|r| (d.x.get(r, 0), d.y.get(r, 0))).collect::<Vec<_>>();
    chart.draw_series(points(train).into_iter().map(|p| Circle::new(p, look.px(4), CLASS_ONE.filled()))).map_err(drawing_error)?;
    chart
        .draw_series(points(test).into_iter().map(|p| Circle::new(p, look.px(4), CLASS_ONE.stroke_width(look.px(2)))))
        .map_err(drawing_error)?;
    let xs: Vec<f64> = (0..=200).map(|k| view.x_min + (view.x_max - view.x_min) * k as f64 / 200.0).collect();
    let out = net.predict(&Mat { rows: xs.len(), cols: 1, data: xs.clone() });
    let curve = xs.into_iter().zip(out.data).filter(|(_, y)| y.is_finite()).map(|(x, y)| (x, y.clamp(view.y_min, view.y_max)));
    chart.draw_series(LineSeries::new(curve, CLASS_ZERO.stroke_width(look.px(3)))).map_err(drawing_error)?;
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_orange_through_white_to_blue() {
        assert_eq!(output_colour(0.5), [255, 255, 255]);
        let one = output_colour(1.0);
        let zero = output_colour(0.0);
        assert!(one[2] > one[0] && zero[0] > zero[2]);
        assert_eq!(output_colour(f64::NAN), [255, 255, 255]);
    }

    /// A boundary at x₁ = 0 is a column of edges at the cell border nearest 0; a softmax's edges run between its regions.
    #[test]
    fn the_edges_lie_where_neighbouring_cells_change_class() {
        use crate::nn::activation::Activation;
        use crate::nn::network::{Architecture, Loss};
        let arch = Architecture { sizes: vec![2, 1], activations: vec![Activation::Sigmoid], loss: Loss::Bce };
        let net = Network::from_weights(arch, &[vec![vec![5.0], vec![0.0]]], &[vec![0.0]]).unwrap();
        let view = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let edges = class_edges(&net, view, 10);
        assert_eq!(edges.len(), 10, "one edge a row");
        assert!(edges.iter().all(|[a, b]| a.0.abs() < 1e-12 && a.0 == b.0 && (b.1 - a.1 - 0.2).abs() < 1e-12), "{edges:?}");
        let arch = Architecture { sizes: vec![2, 3], activations: vec![Activation::Softmax], loss: Loss::Ce };
        // Class 0 left, 1 right below the x axis, 2 right above it.
        let net = Network::from_weights(arch, &[vec![vec![-5.0, 5.0, 5.0], vec![0.0, -5.0, 5.0]]], &[vec![0.0, 0.0, 0.0]]).unwrap();
        let edges = class_edges(&net, view, 20);
        assert!(edges.iter().any(|[a, b]| a.1 == b.1 && a.0 > 0.0), "a horizontal edge between 1 and 2");
        assert!(edges.iter().any(|[a, b]| a.0 == b.0), "a vertical edge from class 0");
    }

    /// A softmax's region takes its class's colour, white where no class is ahead, full where one is sure.
    #[test]
    fn each_class_region_has_its_own_colour() {
        assert_eq!(outputs_colour(&[1.0 / 3.0; 3]), [255, 255, 255]);
        let sure = |k: usize| {
            let mut row = [0.0; 3];
            row[k] = 1.0;
            outputs_colour(&row)
        };
        assert_eq!(sure(2), tint(CLASS_COLOURS[2], 1.0));
        assert_ne!(sure(0), sure(1));
        assert_eq!(outputs_colour(&[0.8, 0.2]), tint(CLASS_ZERO, 0.6000000000000001));
        assert_eq!(outputs_colour(&[0.3]), output_colour(0.3));
    }
}
