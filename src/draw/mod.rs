//! The charts, generic over plotters' `DrawingBackend`: the same code draws
//! on the page's canvases and into SVG in the native tests.

pub mod boundary_chart;
pub mod curve_chart;
pub mod data_chart;
pub mod inside_chart;
pub mod layer;
pub mod network_chart;
pub mod palette;
pub mod race_paths;
pub mod range_chart;
pub mod series_chart;
pub mod surface3d_chart;
pub mod surface_chart;
pub mod sweep_chart;
pub mod text;
pub mod thin;

use crate::tr;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::descent::surface::ViewBox;

/// How big the charts draw their text, lines and margins: `scale` times the
/// sizes chosen for a laptop screen (larger in projector mode and in exports).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    pub scale: f64,
}

impl Look {
    pub const NORMAL: Look = Look { scale: 1.0 };

    /// A look `scale` times the normal one, for `scale` from 0.5 to 4.
    pub fn scaled(scale: f64) -> Result<Look, String> {
        if (0.5..=4.0).contains(&scale) {
            Ok(Look { scale })
        } else {
            Err(tr!("the chart scale must be between 0.5 and 4 (got {scale})", scale = scale))
        }
    }

    /// `n` pixels at this scale.
    pub fn px(&self, n: u32) -> u32 {
        (n as f64 * self.scale).round() as u32
    }

    /// `n` pixels at this scale, for offsets.
    pub fn offset(&self, n: i32) -> i32 {
        (n as f64 * self.scale).round() as i32
    }

    /// Tick labels and other text.
    pub fn font(&self) -> (&'static str, u32) {
        ("sans-serif", self.px(14))
    }

    /// Chart captions and axis names.
    pub fn caption(&self) -> (&'static str, u32) {
        ("sans-serif", self.px(16))
    }

    /// Small print: the titles over the network's columns.
    pub fn small(&self) -> (&'static str, u32) {
        ("sans-serif", self.px(12))
    }

    /// How many tick labels an axis of `pixels` carries: one every `fonts`
    /// times the font's size (so that they keep apart on a small chart), 2 to `most`.
    pub fn labels_along(&self, pixels: u32, fonts: u32, most: usize) -> usize {
        (pixels / (fonts * self.font().1).max(1)).clamp(2, most as u32) as usize
    }

    /// The length of the tick marks on a chart's axes.
    pub fn tick(&self) -> u32 {
        self.px(4)
    }

    /// The height of the label area under a plot: the tick marks, a row of
    /// tick labels in `font` and, under them, the axis title in `title`.
    /// (plotters sets the labels' em square twice the tick length below the
    /// axis, and the title's at the bottom of the area.)
    pub fn x_label_area(&self, font: (&str, u32), title: (&str, u32)) -> u32 {
        self.x_ticks_area(font) + title.1 + self.px(2)
    }

    /// The height of the label area under a plot without an axis title: the
    /// tick marks and a row of tick labels in `font`.
    pub fn x_ticks_area(&self, font: (&str, u32)) -> u32 {
        2 * self.tick() + font.1 + self.px(5)
    }

    /// The width of the label area left of a plot: the axis title in `title`
    /// (turned on its side, at the area's left edge), the widest of the tick
    /// `labels` in `font` (measured on `area`), and the tick marks.
    pub fn y_label_area<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        labels: &[String],
        font: (&str, u32),
        title: (&str, u32),
    ) -> u32 {
        let style: TextStyle = font.into_font().into();
        let widest = labels.iter().map(|l| text::text_size(area, l, &style).0).max().unwrap_or(0);
        title.1 + self.px(6) + widest + 2 * self.tick() + self.px(2)
    }
}

/// Turns plotters' error into the readable message the page shows.
pub fn drawing_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    format!("could not draw the chart: {e}")
}

/// Where a chart's plot area sits on the canvas and which part of the plane
/// it shows: turns a click into parameter values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotMapping {
    /// Pixel columns x0..x1 and rows y0..y1 of the plot area.
    pub pixels: (i32, i32, i32, i32),
    pub view: ViewBox,
}

impl PlotMapping {
    /// The point of the plane under pixel (px, py), if it is inside the plot area.
    pub fn point_at(&self, px: f64, py: f64) -> Option<[f64; 2]> {
        let (x0, x1, y0, y1) = self.pixels;
        let fx = (px - x0 as f64) / (x1 - x0) as f64;
        let fy = (py - y0 as f64) / (y1 - y0) as f64;
        if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
            return None;
        }
        let v = self.view;
        Some([v.x_min + fx * (v.x_max - v.x_min), v.y_max - fy * (v.y_max - v.y_min)])
    }
}

/// `view` with its shorter side grown, about its centre, to the length of
/// the longer: a square, which a chart at equal scales draws square.
pub fn squared(view: ViewBox) -> ViewBox {
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    let (cx, cy) = ((view.x_min + view.x_max) / 2.0, (view.y_min + view.y_max) / 2.0);
    if w > h {
        ViewBox::new(view.x_min, view.x_max, cy - w / 2.0, cy + w / 2.0)
    } else if h > w {
        ViewBox::new(cx - h / 2.0, cx + h / 2.0, view.y_min, view.y_max)
    } else {
        view
    }
}

/// The parts of the polyline `points` that lie inside `view`, each segment
/// cut at the border (Liang–Barsky), so that far-away points never reach the
/// backend.
pub fn clip_polyline(points: &[[f64; 2]], view: ViewBox) -> Vec<Vec<[f64; 2]>> {
    let mut pieces: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    if let [only] = points {
        if view.contains(*only) {
            pieces.push(vec![*only]);
        }
    }
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], view) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current = vec![a];
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

fn clip_segment(a: [f64; 2], b: [f64; 2], v: ViewBox) -> Option<([f64; 2], [f64; 2])> {
    if !a.iter().chain(&b).all(|c| c.is_finite()) {
        return None;
    }
    let d = [b[0] - a[0], b[1] - a[1]];
    if !d.iter().all(|c| c.is_finite()) {
        return None; // both ends astronomically far away: nothing of it is in view
    }
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-d[0], a[0] - v.x_min), (d[0], v.x_max - a[0]), (-d[1], a[1] - v.y_min), (d[1], v.y_max - a[1])] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    let at = |t: f64| [(a[0] + t * d[0]).clamp(v.x_min, v.x_max), (a[1] + t * d[1]).clamp(v.y_min, v.y_max)];
    (t0 <= t1).then(|| (at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_cuts_at_the_border_and_splits_exits() {
        let v = ViewBox::new(0.0, 1.0, 0.0, 1.0);
        let pieces = clip_polyline(&[[0.5, 0.5], [1.5, 0.5], [0.5, 0.25], [0.25, 0.25]], v);
        assert_eq!(pieces, vec![vec![[0.5, 0.5], [1.0, 0.5]], vec![[1.0, 0.375], [0.5, 0.25], [0.25, 0.25]]]);
        assert!(clip_polyline(&[[2.0, 2.0], [3.0, 3.0], [f64::INFINITY, 0.0]], v).is_empty());
    }

    #[test]
    fn looks_scale_sizes_within_their_range() {
        let big = Look::scaled(2.0).unwrap();
        assert_eq!((big.px(14), big.offset(-9), big.font().1), (28, -18, 28));
        assert!(Look::scaled(0.1).unwrap_err().contains("between 0.5 and 4"));
        assert!(Look::scaled(f64::NAN).is_err());
        assert_eq!((crate::format::shown_digits(1), crate::format::shown_digits(7), crate::format::shown_digits(99)), (2, 7, 10));
    }

    #[test]
    fn squaring_grows_the_shorter_side_about_the_centre() {
        assert_eq!(squared(ViewBox::new(0.0, 7.0, -1.0, 0.5)), ViewBox::new(0.0, 7.0, -3.75, 3.25));
        assert_eq!(squared(ViewBox::new(-1.0, 1.0, 0.0, 4.0)), ViewBox::new(-2.0, 2.0, 0.0, 4.0));
        let square = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        assert_eq!(squared(square), square);
    }

    #[test]
    fn clicks_map_to_the_plane_with_y_upwards() {
        let m = PlotMapping { pixels: (10, 110, 20, 220), view: ViewBox::new(-1.0, 1.0, 0.0, 4.0) };
        assert_eq!(m.point_at(10.0, 20.0), Some([-1.0, 4.0]));
        assert_eq!(m.point_at(60.0, 220.0), Some([0.0, 0.0]));
        assert_eq!(m.point_at(5.0, 50.0), None);
    }
}
