//! The backprop lab's loss landscape: the chosen plane, its grid refined from
//! frame to frame, drawn flat (heatmap, contours, path, −∇L) or in 3-D.

use crate::tr;
use plotters::prelude::*;
use serde_json::json;
use wasm_bindgen::JsError;
use web_sys::HtmlCanvasElement;

use super::{backend, js_error, present, put_rgba_stretched};
use crate::draw::layer::{ColourScale, SurfaceLayer};
use crate::draw::surface3d_chart::{draw_surface_3d, Angle3d, Scene3d};
use crate::draw::surface_chart::{draw_surface_at, plot_mapping_at, Scales, SurfaceScene};
use crate::draw::{drawing_error, Look};
use crate::nn::explain::ParamId;
use crate::nn::lab::LandscapeSettings;
use crate::nn::landscape::{Landscape, PlaneChoice};
use crate::nn::train::TrainingRun;
use crate::nn::views::LandscapeJob;

/// A grid level's heatmap and contours for a chart of a size (its raster may be smaller, see [`GridLevel::raster_size`](crate::nn::landscape::GridLevel::raster_size)).
struct Heatmap {
    /// The grid ([`LandscapeGrid::id`](crate::nn::landscape::LandscapeGrid::id)) and the points per side of its level:
    /// another grid over the same box (the random plane's is always the same) needs its own.
    grid: u32,
    n: usize,
    size: (u32, u32),
    layer: SurfaceLayer,
}

/// The landscape panel: the angle of the 3-D view and the heatmap drawn last.
pub struct LandscapePanel {
    pub angle: Angle3d,
    /// The heatmap drawn last.
    heatmap: Option<Heatmap>,
    /// Where a coarse level's smaller raster is drawn before it is stretched over the chart.
    scratch: Option<HtmlCanvasElement>,
}

impl LandscapePanel {
    pub fn new() -> LandscapePanel {
        LandscapePanel { angle: Angle3d::DEFAULT, heatmap: None, scratch: None }
    }

    /// What the page shows beside the chart: the parameter names for the two
    /// lists, the chosen ones, the grid of the picture shown, the shares of the path's
    /// spread along the plane of training and why there is no picture.
    pub fn status(&self, shown: Option<&LandscapeJob>, run: &TrainingRun, view: &LandscapeSettings) -> serde_json::Value {
        let arch = &run.network().arch;
        let names: Vec<String> = (0..run.network().params.len()).filter_map(|i| ParamId::of_index(arch, i)).map(|p| p.name()).collect();
        let (grid, explained, message) = match shown.and_then(LandscapeJob::made) {
            Some(Ok(l)) => (l.grid.finest_size(), l.explained, None),
            Some(Err(e)) => (None, None, Some(e.clone())),
            None => (None, None, None),
        };
        json!({ "settings": view, "names": names, "grid": grid, "finest": view.grid.points(), "explained": explained, "message": message })
    }

    /// Draws the picture `shown` (none yet: an empty chart).
    pub fn draw(
        &mut self,
        canvas: &HtmlCanvasElement,
        shown: Option<&LandscapeJob>,
        run: &TrainingRun,
        view: &LandscapeSettings,
        look: Look,
    ) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let (three_d, angle) = (view.three_d, self.angle);
        let Some(shown) = shown.and_then(LandscapeJob::made) else { return present(&root) };
        let (grid, level, path, slope, [x_name, y_name]) = match shown {
            Ok(l) => (l.grid.id, l.grid.finest(), l.path.clone(), l.slope.unwrap_or_default(), axis_names(l, run, three_d)),
            Err(message) => {
                let (w, h) = root.dim_in_pixel();
                let font = look.caption().into_font().color(&BLACK);
                let per_line = (w as f64 / (0.55 * look.scale * 15.0)).max(10.0) as usize;
                let lines = crate::draw::text::wrap(&tr!("No picture: {message}.", message = message), per_line);
                let line_height = (look.scale * 22.0) as i32;
                let top = h as i32 / 2 - line_height * lines.len() as i32 / 2;
                for (k, line) in lines.iter().enumerate() {
                    root.draw(&Text::new(line.as_str(), (look.offset(16), top + k as i32 * line_height), font.clone()))
                        .map_err(|e| js_error(drawing_error(e)))?;
                }
                return present(&root);
            }
        };
        let Some(level) = level else { return present(&root) };
        if three_d {
            let scene = Scene3d {
                level: &level,
                scale: ColourScale::fit(&level.values),
                path: &path,
                axis_names: [&x_name, &y_name],
                value_name: "L",
                angle,
                look,
            };
            draw_surface_3d(&root, &scene).map_err(js_error)?;
            return present(&root);
        }
        let mapping = plot_mapping_at(&root, level.view, Scales::Equal, look).map_err(js_error)?;
        let (x0, x1, y0, y1) = mapping.pixels;
        let size = ((x1 - x0).max(1) as u32, (y1 - y0).max(1) as u32);
        if !matches!(&self.heatmap, Some(h) if h.grid == grid && h.n == level.n && h.size == size && h.layer.view == level.view) {
            let layer = SurfaceLayer::of_sampler(
                &|xs, ys, out| level.values_on_grid(xs, ys, out),
                level.view,
                level.raster_size(size),
                level.contour_grid(),
            );
            self.heatmap = Some(Heatmap { grid, n: level.n, size, layer });
        }
        let Some(Heatmap { layer, .. }) = &self.heatmap else { unreachable!("the heatmap was just computed") };
        let scene = SurfaceScene {
            layer,
            axis_names: [&x_name, &y_name],
            trajectory: &path,
            ghost: None,
            gradient: slope,
            batch_gradient: None,
            race: &[],
            minima: &[],
            value_name: "L",
            mark_start: path.len() > 1,
            look,
        };
        let mut raster = Ok(());
        let scratch = &mut self.scratch;
        let drawn = draw_surface_at(&root, &scene, Scales::Equal, |x, y| {
            raster = put_rgba_stretched(canvas, scratch, &layer.rgba, layer.size, (x, y), size)
        });
        raster?;
        drawn.map_err(js_error)?;
        present(&root)
    }
}

/// The axis names of the plane of `landscape`; `short` ones for the 3-D view, whose names sit beside its edges.
fn axis_names(landscape: &Landscape, run: &TrainingRun, short: bool) -> [String; 2] {
    let name = |i: usize| ParamId::of_index(&run.network().arch, i).map_or_else(|| tr!("parameter {i}", i = i), |p| p.name());
    match (landscape.choice, landscape.explained) {
        (PlaneChoice::Weights { a, b }, _) => [name(a), name(b)],
        (PlaneChoice::Training, _) if short => [tr!("direction 1"), tr!("direction 2")],
        (PlaneChoice::Random { .. }, _) if short => ["a".into(), "b".into()],
        (PlaneChoice::Training, Some([e1, e2])) => [
            tr!("direction 1 ({share} of the path's spread)", share = crate::format::percent(e1)),
            tr!("direction 2 ({share})", share = crate::format::percent(e2)),
        ],
        _ => [tr!("a (random direction 1)"), tr!("b (random direction 2)")],
    }
}
