//! A surface in 3-D: the function over a grid as coloured cells seen from an
//! angle the user turns, with the path drawn on it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layer::ColourScale;
use super::{drawing_error, Look};
use crate::format::{sig, tick};
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

const PATH: RGBColor = RGBColor(255, 60, 60);

/// (x, height, z): plotters' 3-D coordinates, y pointing up.
type Point3 = (f64, f64, f64);

/// Draws the scene on `root`: cells far to near (painter's order), then the path and its ends.
pub fn draw_surface_3d<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &Scene3d) -> Result<(), String> {
    let (level, scale, look) = (scene.level, scene.scale, scene.look);
    let view = level.view;
    let mut chart = ChartBuilder::on(root)
        .margin(look.px(16))
        .build_cartesian_3d(view.x_min..view.x_max, 0.0..1.0, view.y_min..view.y_max)
        .map_err(drawing_error)?;
    chart.with_projection(|mut p| {
        p.yaw = scene.angle.yaw;
        p.pitch = scene.angle.pitch;
        p.scale = 0.75;
        p.into_matrix()
    });
    chart
        .configure_axes()
        .label_style(look.font())
        .tick_size(look.px(4))
        .max_light_lines(2)
        .x_labels(5)
        .y_labels(5)
        .z_labels(5)
        .x_formatter(&|v| tick(*v, view.x_max - view.x_min, 3))
        .y_formatter(&|t| sig(scale.value_at(*t), 3))
        .z_formatter(&|v| tick(*v, view.y_max - view.y_min, 3))
        .draw()
        .map_err(drawing_error)?;

    let height = |v: f64| if v.is_finite() { scale.position(v) } else { 1.0 };
    let n = level.n;
    let coord = chart.as_coord_spec();
    // (depth, corners, mean value) of each cell.
    let mut cells: Vec<(i32, Vec<Point3>, f64)> = Vec::with_capacity((n - 1) * (n - 1));
    for j in 0..n - 1 {
        for i in 0..n - 1 {
            let corners: Vec<Point3> = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                .iter()
                .map(|&(ci, cj)| {
                    let [a, b] = level.point(ci, cj);
                    (a, height(level.values[cj * n + ci]), b)
                })
                .collect();
            let centre = corners.iter().fold((0.0, 0.0, 0.0), |s, c| (s.0 + c.0 / 4.0, s.1 + c.1 / 4.0, s.2 + c.2 / 4.0));
            let mean =
                [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].iter().map(|&(ci, cj)| level.values[cj * n + ci]).sum::<f64>() / 4.0;
            cells.push((coord.projected_depth(&centre.0, &centre.1, &centre.2), corners, mean));
        }
    }
    // Larger depth is farther away: draw those first.
    cells.sort_by_key(|cell| std::cmp::Reverse(cell.0));
    // Each cell filled and outlined in its colour: the outline covers the
    // anti-aliased seam that two filled neighbours would leave between them.
    let area = chart.plotting_area();
    for (_, mut corners, mean) in cells {
        let [r, g, b] = scale.colour(mean);
        let colour = RGBColor(r, g, b);
        area.draw(&Polygon::new(corners.clone(), colour.filled())).map_err(drawing_error)?;
        corners.push(corners[0]);
        area.draw(&PathElement::new(corners, colour.stroke_width(1))).map_err(drawing_error)?;
    }

    // The path, lifted a little so it stays in sight on the cells.
    let lifted: Vec<Point3> =
        scene.path.iter().filter(|p| view.contains(**p)).map(|p| (p[0], (height(level.value(*p)) + 0.01).min(1.0), p[1])).collect();
    chart.draw_series(LineSeries::new(lifted.iter().copied(), PATH.stroke_width(look.px(3)))).map_err(drawing_error)?;
    if let Some(now) = lifted.last() {
        chart.draw_series(std::iter::once(Circle::new(*now, look.px(6), BLACK.filled()))).map_err(drawing_error)?;
    }

    let label = look.caption().into_font().color(&BLACK);
    // Each name a little beyond the end of its axis, clear of the tick labels.
    let (beyond_x, beyond_z) = (0.15 * (view.x_max - view.x_min), 0.15 * (view.y_max - view.y_min));
    let names = [
        (scene.axis_names[0].to_string(), (view.x_max + beyond_x, 0.0, view.y_min)),
        (scene.axis_names[1].to_string(), (view.x_min, 0.0, view.y_max + beyond_z)),
        (
            if scale.log_offset.is_some() { format!("{} (log)", scene.value_name) } else { scene.value_name.to_string() },
            (view.x_min, 1.1, view.y_min),
        ),
    ];
    chart.draw_series(names.into_iter().map(|(name, at)| Text::new(name, at, label.clone()))).map_err(drawing_error)?;
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
