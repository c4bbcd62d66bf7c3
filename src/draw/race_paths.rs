//! The paths of a race on the surface chart: each run's path in its own
//! colour and dash, a marker of its own shape where it stands now, and a
//! legend that names them, so that they are told apart in colour, in grey
//! and in print.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::LineStyle;
use super::series_chart::{legend_fits, legend_spot};
use super::thin::path_to_draw;
use super::{clip_polyline, drawing_error, Look};
use crate::descent::surface::ViewBox;

/// One run's path and how it is drawn.
pub struct StyledPath<'a> {
    /// θ₀ … θₜ of the run.
    pub points: &'a [[f64; 2]],
    pub style: LineStyle,
    /// What the legend calls it.
    pub name: &'a str,
}

/// The corners of marker `k`'s shape around (0, 0), radius 1: a square,
/// triangles up and down, a diamond, a pentagon and a hexagon.
pub fn marker_shape(k: usize) -> Vec<(f64, f64)> {
    let polygon = |n: usize, turn: f64| -> Vec<(f64, f64)> {
        (0..n).map(|i| (turn + std::f64::consts::TAU * i as f64 / n as f64).sin_cos()).map(|(s, c)| (s, -c)).collect()
    };
    match k % 6 {
        0 => polygon(16, 0.0),
        1 => vec![(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)],
        2 => polygon(3, 0.0),
        3 => polygon(3, std::f64::consts::PI),
        4 => polygon(4, 0.0),
        _ => polygon(5, 0.0),
    }
}

/// Draws marker `k` of `style`'s colour, ringed in white, centred on `at`.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    k: usize,
    colour: RGBColor,
    look: Look,
) -> Result<(), String> {
    let r = look.px(7) as f64;
    let corners: Vec<(i32, i32)> =
        marker_shape(k).into_iter().map(|(x, y)| (at.0 + (x * r).round() as i32, at.1 + (y * r).round() as i32)).collect();
    area.draw(&Polygon::new(corners.clone(), colour.filled())).map_err(drawing_error)?;
    let mut outline = corners;
    outline.push(outline[0]);
    area.draw(&PathElement::new(outline, WHITE.stroke_width(look.px(2)))).map_err(drawing_error)
}

/// Draws each path of `paths` on the plot area `plot` (pixels from its top
/// left; `pixel` maps a point of `view` there), a legend in the corner that
/// covers the least of them when it leaves most of the plot in sight.
pub fn draw_race_paths<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    paths: &[StyledPath],
    view: ViewBox,
    pixel: impl Fn([f64; 2]) -> (i32, i32),
    look: Look,
) -> Result<(), String> {
    let mut drawn: Vec<Vec<(i32, i32)>> = Vec::new();
    for path in paths {
        let stroke = path.style.colour.stroke_width(look.px(3));
        let mut line = Vec::new();
        for piece in clip_polyline(path.points, view) {
            let pixels: Vec<(i32, i32)> = piece.into_iter().map(&pixel).collect();
            // A point a pixel, a few thousand at most: a long run draws as fast as a short one.
            let points = path_to_draw(&pixels, |p| p);
            // A white edge under the line keeps it in sight on dark and light parts of the heatmap.
            plot.draw(&PathElement::new(points.clone(), WHITE.mix(0.8).stroke_width(look.px(5)))).map_err(drawing_error)?;
            match path.style.dash {
                Some((dash, gap)) => plot.draw(&DashedPathElement::new(points.clone(), look.px(dash), look.px(gap), stroke)),
                None => plot.draw(&PathElement::new(points.clone(), stroke)),
            }
            .map_err(drawing_error)?;
            line.extend(points);
        }
        drawn.push(line);
    }
    for (k, path) in paths.iter().enumerate() {
        if let Some(now) = path.points.last().filter(|p| view.contains(**p)) {
            draw_marker(plot, pixel(*now), k, path.style.colour, look)?;
        }
    }
    draw_legend(plot, paths, &drawn, look)
}

/// The legend: each path's dash and marker, and its name.
fn draw_legend<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    paths: &[StyledPath],
    lines: &[Vec<(i32, i32)>],
    look: Look,
) -> Result<(), String> {
    if paths.is_empty() {
        return Ok(());
    }
    let font: TextStyle = look.small().into_font().color(&BLACK);
    let (pad, sample) = (look.offset(5), look.offset(36));
    let row = look.small().1 as i32 + look.offset(6);
    let widest = paths.iter().map(|p| plot.estimate_text_size(p.name, &font).map_or(0, |s| s.0 as i32)).max().unwrap_or(0);
    let size = (pad + sample + pad + widest + pad, pad + row * paths.len() as i32 + pad - look.offset(6));
    let (w, h) = plot.dim_in_pixel();
    if !legend_fits(size, (w, h)) {
        return Ok(());
    }
    let spot = legend_spot(lines, size, (w as i32, h as i32), look.offset(6));
    plot.draw(&Rectangle::new([(spot.x0, spot.y0), (spot.x1, spot.y1)], WHITE.mix(0.9).filled())).map_err(drawing_error)?;
    for (k, path) in paths.iter().enumerate() {
        let y = spot.y0 + pad + row * k as i32 + row / 2 - look.offset(3);
        let (x0, x1) = (spot.x0 + pad, spot.x0 + pad + sample);
        let stroke = path.style.colour.stroke_width(look.px(3));
        match path.style.dash {
            Some((dash, gap)) => plot.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], look.px(dash), look.px(gap), stroke)),
            None => plot.draw(&PathElement::new(vec![(x0, y), (x1, y)], stroke)),
        }
        .map_err(drawing_error)?;
        draw_marker(plot, ((x0 + x1) / 2, y), k, path.style.colour, look)?;
        plot.draw(&Text::new(path.name.to_string(), (x1 + pad, y), font.pos(Pos::new(HPos::Left, VPos::Center)))).map_err(drawing_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_markers_of_six_shapes() {
        let shapes: Vec<Vec<(f64, f64)>> = (0..6).map(marker_shape).collect();
        for (i, a) in shapes.iter().enumerate() {
            assert!(a.iter().all(|(x, y)| x.hypot(*y) <= 1.2), "marker {i} fits its radius");
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(marker_shape(6), shapes[0], "then they repeat");
    }
}
