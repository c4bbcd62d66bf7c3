//! The descent lab's charts on the page's canvases: the surface (flat and
//! 3-D), the loss, the schedule, the data and the sweep, and what a click
//! or the pointer on them means.

use crate::tr;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::DescentLab;
use crate::descent::surface::Surface;
use crate::draw::curve_chart::{draw_curve, CurveScene};
use crate::draw::data_chart::draw_data;
use crate::draw::layer::{ColourScale, SurfaceLayer};
use crate::draw::palette::LineStyle;
use crate::draw::race_paths::StyledPath;
use crate::draw::series_chart::{draw_series, Axes, Series};
use crate::draw::surface3d_chart::{draw_surface_3d_base, draw_surface_3d_path, Scene3d};
use crate::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use crate::draw::sweep_chart::{draw_sweep, SweepScene};
use crate::nn::landscape::GridLevel;
use crate::web::{backend, js_error, present, put_rgba, restore, snapshot, vertical_mark};

/// Points per side of the grid the 3-D view draws.
const GRID_3D: usize = 41;

#[wasm_bindgen]
impl DescentLab {
    /// Draws the sweep on `canvas`.
    #[wasm_bindgen(js_name = drawSweep)]
    pub fn draw_sweep(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let Some(sweep) = self.lab.sweep() else { return Err(js_error("the sweep is not shown")) };
        let root = backend(canvas)?;
        let run = self.lab.run();
        let scene = SweepScene {
            range: sweep.range(),
            points: sweep.points(),
            start_value: run.history()[0].value,
            words: ("J", &tr!("steps")),
            stop_panel: true,
            current: run.lr(),
            bound: run.stability_bound(),
            look: self.look,
        };
        self.sweep_mapping = Some(draw_sweep(&root, &scene).map_err(js_error)?);
        present(&root)
    }

    /// A click on the sweep at canvas pixel column `x`: α becomes the sweep's
    /// nearest and the run re-runs. Returns that α, or null outside the plot.
    #[wasm_bindgen(js_name = clickSweep)]
    pub fn click_sweep(&mut self, x: f64) -> Result<Option<f64>, JsError> {
        let Some(lr) = self.sweep_mapping.and_then(|m| m.lr_at(x)) else { return Ok(None) };
        self.lab.pick_sweep_lr(lr).map(Some).map_err(js_error)
    }

    /// Draws the surface chart on `canvas`.
    #[wasm_bindgen(js_name = drawSurface)]
    pub fn draw_surface(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        if let Some(curve) = self.lab.run().surface().curve() {
            // One variable: the curve, its tangent and the step along x.
            let run = self.lab.run();
            let xs: Vec<f64> = run.history().iter().map(|s| s.theta[0]).collect();
            let scene = CurveScene { curve, xs: &xs, next: run.preview().map(|s| s.theta[0]), look: self.look };
            self.mapping = Some(draw_curve(&root, &scene).map_err(js_error)?);
            return present(&root);
        }
        let surface = self.lab.run().surface().clone();
        let (view, _) = self.lab.view();
        let mapping = plot_mapping(&root, view, self.look).map_err(js_error)?;
        let (x0, x1, y0, y1) = mapping.pixels;
        let size = ((x1 - x0).max(1) as u32, (y1 - y0).max(1) as u32);
        let fresh = !matches!(&self.layer, Some((s, l)) if *s == surface && l.view == view && l.size == size);
        if fresh {
            self.layer = Some((surface.clone(), SurfaceLayer::compute(&surface, view, size.0, size.1)));
        }
        let Some((_, layer)) = &self.layer else { unreachable!("the layer was just computed") };
        let trajectory = self.lab.run().trajectory();
        let minima = surface.minima();
        let race = self.lab.race().map(|race| race.runs()).unwrap_or_default();
        let names = self.lab.race().map(|race| race.names()).unwrap_or_default();
        let paths: Vec<(Vec<[f64; 2]>, &str)> = race.iter().zip(&names).map(|(run, name)| (run.trajectory(), name.as_str())).collect();
        let styled: Vec<StyledPath> =
            paths.iter().enumerate().map(|(k, (points, name))| StyledPath { points, style: LineStyle::of(k), name }).collect();
        let scene = SurfaceScene {
            layer,
            axis_names: surface.axis_names(),
            trajectory: &trajectory,
            ghost: self.lab.ghost(),
            gradient: self.lab.run().current().gradient,
            batch_gradient: self.lab.run().next_batch().map(|_| self.lab.run().next_gradient()),
            race: &styled,
            minima: &minima,
            value_name: "J",
            mark_start: true,
            look: self.look,
        };
        let mut raster = Ok(());
        let drawn = draw_surface(&root, &scene, |x, y| raster = put_rgba(canvas, &layer.rgba, layer.size, (x, y)));
        raster?;
        self.mapping = Some(drawn.map_err(js_error)?);
        present(&root)
    }

    /// The share of the last flat surface chart's pixels where f is not a
    /// finite number (drawn grey); 0 before any.
    #[wasm_bindgen(js_name = undefinedShare)]
    pub fn undefined_share(&self) -> f64 {
        let on_curve = self.lab.run().surface().curve().is_some();
        match &self.layer {
            Some((_, layer)) if !on_curve => layer.undefined as f64 / (layer.size.0 as f64 * layer.size.1 as f64).max(1.0),
            _ => 0.0,
        }
    }

    /// Draws the surface in 3-D on `canvas`, with the trajectory on it.
    #[wasm_bindgen(js_name = drawSurface3d)]
    pub fn draw_surface_3d(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let surface = self.lab.run().surface().clone();
        let (view, _) = self.lab.view();
        if !matches!(&self.grid, Some((s, v, _)) if *s == surface && *v == view) {
            self.grid = Some((surface.clone(), view, GridLevel::sample(&surface.evaluator(), view, GRID_3D)));
            self.base_3d = None;
        }
        let Some((_, _, level)) = &self.grid else { unreachable!("the grid was just sampled") };
        let scene = Scene3d {
            level,
            scale: ColourScale::fit(&level.values),
            path: &self.lab.run().trajectory(),
            axis_names: surface.axis_names(),
            value_name: "J",
            angle: self.angle,
            look: self.look,
        };
        // The surface and its box change only with the grid, the angle and the
        // size: kept as a picture, so that each step draws only the path over it.
        let base = (self.angle, root.dim_in_pixel(), self.look.scale);
        match &self.base_3d {
            Some((made_for, picture)) if *made_for == base => restore(canvas, picture)?,
            _ => {
                draw_surface_3d_base(&root, &scene).map_err(js_error)?;
                self.base_3d = Some((base, snapshot(canvas)?));
            }
        }
        draw_surface_3d_path(&root, &scene).map_err(js_error)?;
        present(&root)
    }

    /// Turns the 3-D view by a drag of (dx, dy) pixels.
    #[wasm_bindgen(js_name = turnSurface)]
    pub fn turn_surface(&mut self, dx: f64, dy: f64) {
        self.angle = self.angle.dragged(dx, dy);
    }

    /// Draws the loss against iteration on `canvas`.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let points = |values: &[f64]| values.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect();
        if let Some(race) = self.lab.race() {
            // One curve a run, in the order (and so the colour and dash) of the race's rows.
            let series: Vec<Series> = race
                .runs()
                .iter()
                .zip(race.names())
                .map(|(run, name)| Series::solid(name, points(&run.history().iter().map(|s| s.value).collect::<Vec<_>>())))
                .collect();
            let axes = Axes {
                caption: &tr!("Loss J(θ⁽ᵗ⁾) of each run"),
                x_desc: &tr!("iteration t"),
                y_desc: "J",
                y_range: None,
                x_range: None,
                look: self.look,
            };
            self.loss_mapping = Some(draw_series(&root, &axes, &series).map_err(js_error)?);
            return present(&root);
        }
        let losses: Vec<f64> = self.lab.run().history().iter().map(|s| s.value).collect();
        // One variable's loss is f(x⁽ᵗ⁾).
        let (caption, name) = if self.lab.run().surface().curve().is_some() {
            ("f(x⁽ᵗ⁾)".to_string(), "f(x⁽ᵗ⁾)")
        } else {
            (tr!("Loss J(θ⁽ᵗ⁾)"), "J(θ⁽ᵗ⁾)")
        };
        let mut series = vec![Series::solid(name, points(&losses))];
        if let Some(losses) = self.lab.ghost_losses() {
            series.push(Series { label: tr!("before the change"), points: points(&losses), dashed: true });
        }
        if let Some((t, _)) = self.lab.stopped_at() {
            series.push(vertical_mark(&tr!("stop condition met"), t as f64, &losses));
        }
        let y_desc = if name == "f(x⁽ᵗ⁾)" { "f" } else { "J" };
        let axes = Axes { caption: &caption, x_desc: &tr!("iteration t"), y_desc, y_range: None, x_range: None, look: self.look };
        self.loss_mapping = Some(draw_series(&root, &axes, &series).map_err(js_error)?);
        present(&root)
    }

    /// Draws the schedule's αₖ against k on `canvas`, the next update's k marked.
    #[wasm_bindgen(js_name = drawSchedule)]
    pub fn draw_schedule(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let run = self.lab.run();
        let t = run.iteration();
        let last = run.schedule().span().max(t + 1);
        // At most about 1,000 points: every k, or every few.
        let every = last.div_ceil(1000).max(1);
        let rates: Vec<(f64, f64)> = (0..=last).step_by(every).map(|k| (k as f64, run.schedule().lr(run.lr(), k))).collect();
        let values: Vec<f64> = rates.iter().map(|p| p.1).collect();
        let top = values.iter().copied().filter(|v| v.is_finite()).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
        // No legend in so small a chart: the caption names the lines.
        let series = vec![Series::solid("", rates), vertical_mark("", t as f64, &values)];
        let axes = Axes {
            caption: &tr!("αₖ (dashed: next k)"),
            x_desc: &tr!("update k"),
            y_desc: "α",
            y_range: Some((0.0, 1.05 * top)),
            x_range: None,
            look: self.look,
        };
        draw_series(&root, &axes, &series).map_err(js_error)?;
        present(&root)
    }

    /// What hovering the loss chart at canvas pixel (x, y) shows: the
    /// iteration there and the exact J of each run, at the digits chosen;
    /// empty outside the plot or beyond the runs.
    #[wasm_bindgen(js_name = lossAt)]
    pub fn loss_at(&self, x: f64, y: f64) -> String {
        let t = self.loss_mapping.filter(|m| m.covers_row(y)).and_then(|m| m.x_at(x)).map(|t| t.round().max(0.0) as usize);
        t.and_then(|t| self.lab.loss_text(t, self.digits)).unwrap_or_default()
    }

    /// Draws the regression data and the current line on `canvas` (linear regression only).
    #[wasm_bindgen(js_name = drawData)]
    pub fn draw_data(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let Surface::LinearRegression(data) = self.lab.run().surface() else {
            return Err(js_error("the data chart belongs to the linear-regression surface"));
        };
        let root = backend(canvas)?;
        let batch = self.lab.run().next_batch();
        draw_data(&root, data, self.lab.run().current().theta, batch.as_deref(), self.look).map_err(js_error)?;
        present(&root)
    }
}
