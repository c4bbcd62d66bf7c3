//! A surface in 3-D: the function over a grid as coloured cells seen from an
//! angle the user turns, with the path drawn on it. The box around it, its
//! ticks and the axis names are drawn here rather than by plotters, so that
//! each name sits beside its own axis's ticks from every angle, and labels
//! that would cover one another are left out.

use crate::tr;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::ranged3d::Cartesian3d;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layer::ColourScale;
use super::text::{anchor_away, text_size, PixelBox, Placer};
use super::thin::path_to_draw;
use super::{drawing_error, Look};
use crate::descent::surface::ViewBox;
use crate::format::{distinct_digits, sig, tick};
use crate::nn::landscape::GridLevel;

/// Where the surface is seen from: turns about the vertical axis and tilts towards the viewer, in radians.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Angle3d {
    pub yaw: f64,
    pub pitch: f64,
}

impl Angle3d {
    pub const DEFAULT: Angle3d = Angle3d { yaw: 0.6, pitch: 0.45 };

    /// The angle after a drag of (dx, dy) pixels: 1/100 radian a pixel, the
    /// tilt held between looking from the side and from straight above.
    pub fn dragged(self, dx: f64, dy: f64) -> Angle3d {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        Angle3d {
            yaw: (self.yaw - finite(dx) / 100.0).rem_euclid(std::f64::consts::TAU),
            pitch: (self.pitch + finite(dy) / 100.0).clamp(0.0, std::f64::consts::FRAC_PI_2),
        }
    }
}

/// What the 3-D chart shows.
pub struct Scene3d<'a> {
    /// The function on its grid.
    pub level: &'a GridLevel,
    /// Colours and heights: a cell's height is its value's place on the scale.
    pub scale: ColourScale,
    /// The path, in the grid's coordinates; drawn on the surface.
    pub path: &'a [[f64; 2]],
    pub axis_names: [&'a str; 2],
    /// The name of the function ("J", "L").
    pub value_name: &'a str,
    pub angle: Angle3d,
    pub look: Look,
}

/// The path: white with a dark edge, as on the flat chart, on every colour of the surface.
const PATH: RGBColor = RGBColor(255, 255, 255);
const PATH_EDGE: RGBColor = RGBColor(0, 0, 0);
const PANEL: RGBColor = RGBColor(238, 238, 238);
const GRID_LINE: RGBAColor = RGBAColor(0, 0, 0, 0.15);

/// (x, height, z): plotters' 3-D coordinates, y pointing up.
type Point3 = (f64, f64, f64);
type Coord3 = Cartesian3d<RangedCoordf64, RangedCoordf64, RangedCoordf64>;
/// A 3-D chart over a grid's box, heights from 0 to 1.
type Chart3<'a, DB> = ChartContext<'a, DB, Coord3>;

/// Draws the scene on `root`: the back walls of the box, the cells far to
/// near (painter's order), the ticks and names, then the path.
pub fn draw_surface_3d<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &Scene3d) -> Result<(), String> {
    draw_surface_3d_base(root, scene)?;
    draw_surface_3d_path(root, scene)
}

/// The chart of `scene` on `root`, turned to its angle.
fn chart_3d<'a, DB: DrawingBackend>(root: &'a DrawingArea<DB, Shift>, scene: &Scene3d) -> Result<Chart3<'a, DB>, String> {
    let view = scene.level.view;
    let mut chart = ChartBuilder::on(root)
        .margin(scene.look.px(16))
        .build_cartesian_3d(view.x_min..view.x_max, 0.0..1.0, view.y_min..view.y_max)
        .map_err(drawing_error)?;
    chart.with_projection(|mut p| {
        p.yaw = scene.angle.yaw;
        p.pitch = scene.angle.pitch;
        p.scale = 0.75;
        p.into_matrix()
    });
    Ok(chart)
}

/// Everything of [`draw_surface_3d`] but the path: the walls, the surface
/// and the axes, which change only with the grid, the angle and the size
/// (the page keeps this picture and draws only the path over it as the run moves).
pub fn draw_surface_3d_base<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &Scene3d) -> Result<(), String> {
    let chart = chart_3d(root, scene)?;
    let frame = Frame::of(chart.as_coord_spec(), scene.level.view);
    let heights = height_scale(scene.scale);
    let axes = frame.axes(chart.as_coord_spec(), root, heights, scene.look);
    let area = chart.plotting_area();
    draw_walls(area, &frame, &axes)?;
    draw_cells(area, scene.level, scene.scale, heights)?;
    draw_axes(root, &axes, scene, scene.look)
}

/// The path of [`draw_surface_3d`], over its base.
pub fn draw_surface_3d_path<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &Scene3d) -> Result<(), String> {
    draw_path(chart_3d(root, scene)?.plotting_area(), scene)
}

/// How far, in heights of the box, a cell's diagonals may disagree before
/// it is drawn as two triangles rather than one flat-looking quadrilateral.
const TWIST: f64 = 0.01;

/// The cells, far to near, each filled and outlined in the colour of its
/// mean value. A cell whose corners do not lie near one plane (it spans the
/// side of a narrow valley) is split in two triangles along the diagonal
/// whose corners are lower: a valley that crosses the grid slantwise then
/// stays one groove instead of a row of teeth.
fn draw_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Coord3>,
    level: &GridLevel,
    scale: ColourScale,
    heights: ColourScale,
) -> Result<(), String> {
    let height = |v: f64| if v.is_finite() { heights.position(v) } else { 1.0 };
    let coord = area.as_coord_spec();
    let n = level.n;
    let corner = |i: usize, j: usize| -> (Point3, f64) {
        let [a, b] = level.point(i, j);
        let v = level.values[j * n + i];
        ((a, height(v), b), v)
    };
    // (depth of the foot, corners, mean value) of each piece: a cell or a triangle.
    let mut pieces: Vec<(i32, Vec<Point3>, f64)> = Vec::with_capacity((n - 1) * (n - 1));
    let mut push = |corners: &[(Point3, f64)]| {
        let k = corners.len() as f64;
        let (x, z) = corners.iter().fold((0.0, 0.0), |s, c| (s.0 + c.0 .0 / k, s.1 + c.0 .2 / k));
        let mean = corners.iter().map(|c| c.1).sum::<f64>() / k;
        pieces.push((coord.projected_depth(&x, &0.0, &z), corners.iter().map(|c| c.0).collect(), mean));
    };
    for j in 0..n - 1 {
        for i in 0..n - 1 {
            let [c00, c10, c11, c01] = [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)];
            let (along, across) = (c00.0 .1 + c11.0 .1, c10.0 .1 + c01.0 .1);
            if (along - across).abs() <= TWIST {
                push(&[c00, c10, c11, c01]);
            } else if along < across {
                push(&[c00, c10, c11]);
                push(&[c00, c11, c01]);
            } else {
                push(&[c00, c10, c01]);
                push(&[c10, c11, c01]);
            }
        }
    }
    // Larger depth is farther away: draw those first. The depth of a piece's
    // foot on the floor, not of the piece: seen from above, only what stands
    // nearer on the floor can hide it, however high.
    pieces.sort_by_key(|piece| std::cmp::Reverse(piece.0));
    // Each piece filled and outlined in its colour: the outline covers the
    // anti-aliased seam that two filled neighbours would leave between them.
    for (_, mut corners, mean) in pieces {
        let [r, g, b] = scale.colour(mean);
        let colour = RGBColor(r, g, b);
        area.draw(&Polygon::new(corners.clone(), colour.filled())).map_err(drawing_error)?;
        corners.push(corners[0]);
        area.draw(&PathElement::new(corners, colour.stroke_width(1))).map_err(drawing_error)?;
    }
    Ok(())
}

/// The scale of the cells' heights: the colours' scale, but on a log scale
/// of f − lo + 1 % of the range rather than + 0.01 %. Two decades deep instead of
/// four, so that a narrow valley, which the grid samples now on its floor
/// and now a little beside it, keeps a smooth floor instead of a sawtooth edge.
fn height_scale(scale: ColourScale) -> ColourScale {
    ColourScale { log_offset: scale.log_offset.map(|_| (scale.hi - scale.lo) * 1e-2), ..scale }
}

/// The path, lifted a little so it stays in sight on the cells, and a dot at its end.
fn draw_path<DB: DrawingBackend>(area: &DrawingArea<DB, Coord3>, scene: &Scene3d) -> Result<(), String> {
    let (level, look) = (scene.level, scene.look);
    let heights = height_scale(scene.scale);
    let height = |v: f64| if v.is_finite() { heights.position(v) } else { 1.0 };
    let lifted: Vec<Point3> =
        scene.path.iter().filter(|p| level.view.contains(**p)).map(|p| (p[0], (height(level.value(*p)) + 0.01).min(1.0), p[1])).collect();
    // A point a pixel, a few thousand at most: a long run draws as fast as a short one.
    let lifted = path_to_draw(&lifted, |p| area.map_coordinate(&p));
    area.draw(&PathElement::new(lifted.clone(), PATH_EDGE.stroke_width(look.px(5)))).map_err(drawing_error)?;
    area.draw(&PathElement::new(lifted.clone(), PATH.stroke_width(look.px(3)))).map_err(drawing_error)?;
    if let Some(now) = lifted.last() {
        area.draw(&Circle::new(*now, look.px(6), PATH_EDGE.filled())).map_err(drawing_error)?;
    }
    Ok(())
}

/// The box the surface stands in (x and z from the grid's view, heights
/// from 0 to 1) and which of its sides face the viewer.
struct Frame {
    x: [f64; 2],
    z: [f64; 2],
    /// The x and the z of the walls behind the surface.
    back: (f64, f64),
    /// The x and the z of the box's edges in front.
    front: (f64, f64),
}

impl Frame {
    fn of(coord: &Coord3, view: ViewBox) -> Frame {
        let (x, z) = ([view.x_min, view.x_max], [view.y_min, view.y_max]);
        let (x_mid, z_mid) = ((x[0] + x[1]) / 2.0, (z[0] + z[1]) / 2.0);
        let (back_x, front_x) = if coord.projected_depth(&x[0], &0.5, &z_mid) >= coord.projected_depth(&x[1], &0.5, &z_mid) {
            (x[0], x[1])
        } else {
            (x[1], x[0])
        };
        let (back_z, front_z) = if coord.projected_depth(&x_mid, &0.5, &z[0]) >= coord.projected_depth(&x_mid, &0.5, &z[1]) {
            (z[0], z[1])
        } else {
            (z[1], z[0])
        };
        Frame { x, z, back: (back_x, back_z), front: (front_x, front_z) }
    }

    /// The three labelled edges: x along the front of the floor, z along
    /// its other front edge, the value up the back corner seen leftmost.
    fn axes<DB: DrawingBackend>(&self, coord: &Coord3, root: &DrawingArea<DB, Shift>, scale: ColourScale, look: Look) -> [Axis; 3] {
        let (x_mid, z_mid) = ((self.x[0] + self.x[1]) / 2.0, (self.z[0] + self.z[1]) / 2.0);
        let base = root.get_base_pixel();
        let px = |p: Point3| {
            let (x, y) = coord.translate(&p);
            ((x - base.0) as f64, (y - base.1) as f64)
        };
        let outward = |from: Point3, to: Point3| {
            let (a, b) = (px(from), px(to));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let length = dx.hypot(dy);
            if length < 1.0 {
                (0.0, 1.0)
            } else {
                (dx / length, dy / length)
            }
        };
        // Square to the edge from a to b on the screen, away from the box's centre.
        let centre = px((x_mid, 0.5, z_mid));
        let across = |a: Point3, b: Point3| {
            let (p, q) = (px(a), px(b));
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let length = dx.hypot(dy);
            if length < 1.0 {
                return (0.0, 1.0);
            }
            let normal = (-dy / length, dx / length);
            let away = ((p.0 + q.0) / 2.0 - centre.0, (p.1 + q.1) / 2.0 - centre.1);
            if normal.0 * away.0 + normal.1 * away.1 < 0.0 {
                (-normal.0, -normal.1)
            } else {
                normal
            }
        };
        let length = |a: Point3, b: Point3| {
            let (p, q) = (px(a), px(b));
            (q.0 - p.0).hypot(q.1 - p.1)
        };
        let ticks = |lo: f64, hi: f64, pixels: f64| {
            let n = ((pixels / (45.0 * look.scale)) as usize).clamp(3, 5);
            RangedCoordf64::from(lo..hi).key_points(n)
        };
        let (back_x, back_z) = self.back;
        let (front_x, front_z) = self.front;

        let x_edge = ((self.x[0], 0.0, front_z), (self.x[1], 0.0, front_z));
        let x_ticks = ticks(self.x[0], self.x[1], length(x_edge.0, x_edge.1));
        let x_axis = Axis {
            labels: x_ticks.iter().map(|v| (px((*v, 0.0, front_z)), tick(*v, self.x[1] - self.x[0], 3))).collect(),
            ticks: x_ticks.iter().map(|v| Tick::X(*v)).collect(),
            middle: px((x_mid, 0.0, front_z)),
            outward: outward((x_mid, 0.0, back_z), (x_mid, 0.0, front_z)),
            across: across(x_edge.0, x_edge.1),
        };
        let z_edge = ((front_x, 0.0, self.z[0]), (front_x, 0.0, self.z[1]));
        let z_ticks = ticks(self.z[0], self.z[1], length(z_edge.0, z_edge.1));
        let z_axis = Axis {
            labels: z_ticks.iter().map(|v| (px((front_x, 0.0, *v)), tick(*v, self.z[1] - self.z[0], 3))).collect(),
            ticks: z_ticks.iter().map(|v| Tick::Z(*v)).collect(),
            middle: px((front_x, 0.0, z_mid)),
            outward: outward((back_x, 0.0, z_mid), (front_x, 0.0, z_mid)),
            across: across(z_edge.0, z_edge.1),
        };
        // The vertical edge of the two at the sides of the picture, the one on the left.
        let corners = [(back_x, front_z), (front_x, back_z)];
        let (cx, cz) =
            if px((corners[0].0, 0.0, corners[0].1)).0 <= px((corners[1].0, 0.0, corners[1].1)).0 { corners[0] } else { corners[1] };
        let n = ((length((cx, 0.0, cz), (cx, 1.0, cz)) / (28.0 * look.scale)) as usize).clamp(2, 6);
        let values = scale.ticks(n);
        let digits = distinct_digits(&values, 3);
        let value_axis = Axis {
            labels: values.iter().map(|v| (px((cx, scale.position(*v), cz)), sig(*v, digits))).collect(),
            ticks: values.iter().map(|v| Tick::Height(scale.position(*v))).collect(),
            middle: px((cx, 1.0, cz)),
            outward: (-1.0, 0.0),
            across: (0.0, -1.0),
        };
        [x_axis, z_axis, value_axis]
    }
}

/// A tick's value on one of the three axes.
#[derive(Clone, Copy)]
enum Tick {
    X(f64),
    Z(f64),
    Height(f64),
}

/// One labelled edge of the box, in pixels of the root area: its tick
/// labels, where its name goes and which way points away from the box there.
struct Axis {
    /// Each label's point on the edge and its text.
    labels: Vec<((f64, f64), String)>,
    ticks: Vec<Tick>,
    /// Where the name sits beside the edge (for the value axis: its top).
    middle: (f64, f64),
    /// A unit vector away from the box, along which the tick labels stand off the edge.
    outward: (f64, f64),
    /// A unit vector square to the edge on the screen, away from the box,
    /// along which the name stands off the middle of the edge.
    across: (f64, f64),
}

/// The floor and the two walls behind the surface, with a line at every tick.
fn draw_walls<DB: DrawingBackend>(area: &DrawingArea<DB, Coord3>, frame: &Frame, axes: &[Axis; 3]) -> Result<(), String> {
    let ([x0, x1], [z0, z1]) = (frame.x, frame.z);
    let (bx, bz) = frame.back;
    let walls = [
        [(x0, 0.0, z0), (x1, 0.0, z0), (x1, 0.0, z1), (x0, 0.0, z1)],
        [(bx, 0.0, z0), (bx, 0.0, z1), (bx, 1.0, z1), (bx, 1.0, z0)],
        [(x0, 0.0, bz), (x1, 0.0, bz), (x1, 1.0, bz), (x0, 1.0, bz)],
    ];
    for wall in walls {
        area.draw(&Polygon::new(wall.to_vec(), PANEL.filled())).map_err(drawing_error)?;
    }
    for t in axes.iter().flat_map(|a| a.ticks.iter()) {
        let segments: Vec<[Point3; 2]> = match *t {
            Tick::X(x) => vec![[(x, 0.0, z0), (x, 0.0, z1)], [(x, 0.0, bz), (x, 1.0, bz)]],
            Tick::Z(z) => vec![[(x0, 0.0, z), (x1, 0.0, z)], [(bx, 0.0, z), (bx, 1.0, z)]],
            Tick::Height(h) => vec![[(bx, h, z0), (bx, h, z1)], [(x0, h, bz), (x1, h, bz)]],
        };
        for s in segments {
            area.draw(&PathElement::new(s.to_vec(), GRID_LINE)).map_err(drawing_error)?;
        }
    }
    Ok(())
}

/// The tick marks, then the names (always shown), then the tick labels
/// that fit without covering a name or another label.
fn draw_axes<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, axes: &[Axis; 3], scene: &Scene3d, look: Look) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let mut placer = Placer::new(PixelBox { x0: 0, y0: 0, x1: w as i32, y1: h as i32 }, look.offset(2));
    let font: TextStyle = look.font().into_font().color(&BLACK);
    let caption: TextStyle = look.caption().into_font().color(&BLACK);
    let (tick_length, gap) = (look.tick() as f64, look.px(3) as f64);
    let at = |p: (f64, f64), o: (f64, f64), d: f64| ((p.0 + o.0 * d).round() as i32, (p.1 + o.1 * d).round() as i32);

    for axis in axes {
        for (p, _) in &axis.labels {
            root.draw(&PathElement::new(vec![at(*p, axis.outward, 0.0), at(*p, axis.outward, tick_length)], BLACK.stroke_width(1)))
                .map_err(drawing_error)?;
        }
    }

    let value_name =
        if scene.scale.log_offset.is_some() { tr!("{value} (log)", value = scene.value_name) } else { scene.value_name.to_string() };
    let names = [scene.axis_names[0].to_string(), scene.axis_names[1].to_string(), value_name];
    let mut texts: Vec<(PixelBox, String, &TextStyle)> = Vec::new();
    for (k, (axis, name)) in axes.iter().zip(names).enumerate() {
        let size = text_size(root, &name, &caption);
        let spot = if k == 2 {
            // The value's name above the top of its edge.
            PixelBox::anchored(at(axis.middle, axis.across, gap * 2.0), size, Pos::new(HPos::Center, VPos::Bottom))
        } else {
            // Square to the middle of the edge, beyond its tick labels.
            let widest = axis.labels.iter().map(|(_, t)| text_size(root, t, &font)).fold((0, 0), |m, s| (m.0.max(s.0), m.1.max(s.1)));
            let (o, n) = (axis.outward, axis.across);
            let stand_off = (tick_length + gap) * (o.0 * n.0 + o.1 * n.1).max(0.0);
            let reach = stand_off + n.0.abs() * widest.0 as f64 + n.1.abs() * widest.1 as f64 + 2.0 * gap;
            PixelBox::anchored(at(axis.middle, n, reach), size, anchor_away(n))
        };
        if let Some(spot) = placer.place_surely(&[spot]) {
            texts.push((spot, name, &caption));
        }
    }
    for axis in axes {
        let pos = anchor_away(axis.outward);
        for (p, text) in &axis.labels {
            let spot = PixelBox::anchored(at(*p, axis.outward, tick_length + gap), text_size(root, text, &font), pos);
            if let Some(spot) = placer.place([spot]) {
                texts.push((spot, text.clone(), &font));
            }
        }
    }
    for (spot, text, style) in texts {
        root.draw(&Text::new(text, (spot.x0, spot.y0), style.pos(Pos::new(HPos::Left, VPos::Top)))).map_err(drawing_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dragging_turns_and_tilts_within_bounds() {
        let a = Angle3d::DEFAULT.dragged(100.0, 0.0);
        assert!((a.yaw - (Angle3d::DEFAULT.yaw - 1.0).rem_euclid(std::f64::consts::TAU)).abs() < 1e-12);
        assert_eq!(Angle3d::DEFAULT.dragged(0.0, 1e6).pitch, std::f64::consts::FRAC_PI_2);
        assert_eq!(Angle3d::DEFAULT.dragged(0.0, -1e6).pitch, 0.0);
        assert_eq!(Angle3d::DEFAULT.dragged(f64::NAN, f64::INFINITY), Angle3d::DEFAULT);
    }
}
