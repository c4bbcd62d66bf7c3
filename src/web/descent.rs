//! The descent lab's handle for the page.

use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{backend, js_error, present, put_rgba, vertical_mark};

use crate::descent::lab::DescentLab as Lab;
use crate::descent::run::StepOutcome;
use crate::descent::surface::{Surface, ViewBox};
use crate::draw::data_chart::draw_data;
use crate::draw::layer::{ColourScale, SurfaceLayer};
use crate::draw::palette::LineStyle;
use crate::draw::race_paths::StyledPath;
use crate::draw::series_chart::{draw_series, Axes, Series, XMapping};
use crate::draw::surface3d_chart::{draw_surface_3d, Angle3d, Scene3d};
use crate::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use crate::draw::sweep_chart::{draw_sweep, SweepMapping, SweepScene};
use crate::draw::{Look, PlotMapping};
use crate::named::Named;
use crate::nn::landscape::GridLevel;

/// The descent lab for the page: the core's lab, the cached heatmap and 3-D
/// grid, and where the surface chart was drawn.
#[wasm_bindgen]
pub struct DescentLab {
    lab: Lab,
    /// The surface's heatmap and contours, kept until the surface or the size changes.
    layer: Option<(Surface, SurfaceLayer)>,
    /// Where the surface chart was last drawn, to turn clicks into points.
    mapping: Option<PlotMapping>,
    /// Significant digits of the readout.
    digits: usize,
    /// How big the charts draw (projector mode, exports).
    look: Look,
    /// The surface sampled for the 3-D view, kept until the surface or the box changes.
    grid: Option<(Surface, ViewBox, GridLevel)>,
    /// Where the 3-D view is seen from.
    angle: Angle3d,
    /// Where the sweep's α axis was last drawn, to turn clicks into α.
    sweep_mapping: Option<SweepMapping>,
    /// Where the loss chart's iteration axis was last drawn, for hovering.
    loss_mapping: Option<XMapping>,
}

/// Points per side of the grid the 3-D view draws.
const GRID_3D: usize = 41;

impl Default for DescentLab {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl DescentLab {
    /// The seed's linear regression with plain gradient descent.
    #[wasm_bindgen(constructor)]
    pub fn new() -> DescentLab {
        console_error_panic_hook::set_once();
        DescentLab {
            lab: Lab::default(),
            layer: None,
            mapping: None,
            digits: 6,
            look: Look::NORMAL,
            grid: None,
            angle: Angle3d::DEFAULT,
            sweep_mapping: None,
            loss_mapping: None,
        }
    }

    /// Ends a continuous adjustment (the slider was let go): the next change takes a new ghost.
    #[wasm_bindgen(js_name = endAdjust)]
    pub fn end_adjust(&mut self) {
        self.lab.end_adjust();
    }

    /// Chooses a surface by id; the run restarts at its default start and α.
    #[wasm_bindgen(js_name = setSurface)]
    pub fn set_surface(&mut self, id: &str) -> Result<(), JsError> {
        self.lab.set_surface(id).map_err(js_error)
    }

    /// Sets the bowl's condition number λ₂/λ₁ (1 to 1000) and the angle of its long axis in degrees.
    #[wasm_bindgen(js_name = setBowl)]
    pub fn set_bowl(&mut self, condition: f64, angle_deg: f64) -> Result<(), JsError> {
        self.lab.set_bowl(condition, angle_deg).map_err(js_error)
    }

    /// Chooses an optimizer by id, with its usual constants.
    #[wasm_bindgen(js_name = setOptimizer)]
    pub fn set_optimizer(&mut self, id: &str, replay: bool) -> Result<(), JsError> {
        self.lab.set_optimizer(id, replay).map_err(js_error)
    }

    /// Sets one constant of the optimizer (momentum, rho, beta1, beta2, eps).
    #[wasm_bindgen(js_name = setHyper)]
    pub fn set_hyper(&mut self, name: &str, value: f64, replay: bool) -> Result<(), JsError> {
        self.lab.set_hyper(name, value, replay).map_err(js_error)
    }

    /// Sets α: with `replay`, the run is re-run from its start for as many
    /// steps; otherwise α holds from the next step on.
    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, lr: f64, replay: bool) -> Result<(), JsError> {
        self.lab.set_learning_rate(lr, replay).map_err(js_error)
    }

    /// Chooses a learning-rate schedule by id, with its usual constants.
    #[wasm_bindgen(js_name = setSchedule)]
    pub fn set_schedule(&mut self, id: &str, replay: bool) -> Result<(), JsError> {
        self.lab.set_schedule(id, replay).map_err(js_error)
    }

    /// Sets one constant of the schedule (every, gamma, decay, steps, alpha_min, warmup).
    #[wasm_bindgen(js_name = setScheduleParam)]
    pub fn set_schedule_param(&mut self, name: &str, value: f64, replay: bool) -> Result<(), JsError> {
        self.lab.set_schedule_param(name, value, replay).map_err(js_error)
    }

    /// Sets the batch size (1 … m) and the seed of the shuffles (regression only).
    #[wasm_bindgen(js_name = setBatches)]
    pub fn set_batches(&mut self, size: f64, seed: f64, replay: bool) -> Result<(), JsError> {
        let whole = |v: f64, name: &str| {
            if v.fract() == 0.0 && (0.0..=9e15).contains(&v) {
                Ok(v as u64)
            } else {
                Err(js_error(format!("the {name} must be a whole number (got {v})")))
            }
        };
        let (size, seed) = (whole(size, "batch size")?, whole(seed, "seed")?);
        self.lab.set_batches(size as usize, seed, replay).map_err(js_error)
    }

    /// Shows the learning-rate sweep (JSON {lo, hi, count, steps}) or, given
    /// an empty text, hides it.
    #[wasm_bindgen(js_name = setSweep)]
    pub fn set_sweep(&mut self, json: &str) -> Result<(), JsError> {
        let range = match json.trim() {
            "" => None,
            text => Some(serde_json::from_str(text).map_err(|e| js_error(format!("the sweep's range could not be read: {e}")))?),
        };
        self.lab.set_sweep(range).map_err(js_error)
    }

    /// Computes more of the sweep, about `budget` steps (the page calls it
    /// frame by frame); true while points remain.
    #[wasm_bindgen(js_name = advanceSweep)]
    pub fn advance_sweep(&mut self, budget: usize) -> bool {
        self.lab.advance_sweep(budget)
    }

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
            current: run.lr(),
            bound: run.surface().hessian_eigenvalues().map(|[a, b]| 2.0 / a.max(b)),
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

    /// Starts a race of every update rule from the shown run's settings, or ends it.
    #[wasm_bindgen(js_name = setRacing)]
    pub fn set_racing(&mut self, on: bool) {
        self.lab.set_racing(on);
    }

    /// Adds a run to the race (at most six); it is shown from now on.
    #[wasm_bindgen(js_name = addRun)]
    pub fn add_run(&mut self) -> Result<(), JsError> {
        self.lab.add_run().map_err(js_error)
    }

    /// Removes run `index` (0 first) from the race.
    #[wasm_bindgen(js_name = removeRun)]
    pub fn remove_run(&mut self, index: usize) -> Result<(), JsError> {
        self.lab.remove_run(index).map_err(js_error)
    }

    /// Shows run `index` (0 first) of the race in the readout; the settings then change it.
    #[wasm_bindgen(js_name = pickRun)]
    pub fn pick_run(&mut self, index: usize) -> Result<(), JsError> {
        self.lab.pick_run(index).map_err(js_error)
    }

    /// One step. Returns "stepped", "diverged" or "limit".
    pub fn step(&mut self) -> String {
        self.step_many(1)
    }

    /// Up to `n` steps, stopping at a divergence. Returns the outcome of the last.
    #[wasm_bindgen(js_name = stepMany)]
    pub fn step_many(&mut self, n: u32) -> String {
        match self.lab.step_many(n) {
            StepOutcome::Stepped(_) => "stepped",
            StepOutcome::Diverged(_) => "diverged",
            StepOutcome::AtLimit => "limit",
        }
        .into()
    }

    /// Sets when Play stops by itself (JSON: gradient, lossChange, step as
    /// thresholds and iterations as a count, each null when off).
    #[wasm_bindgen(js_name = setStopRule)]
    pub fn set_stop_rule(&mut self, json: &str) -> Result<(), JsError> {
        let rule = serde_json::from_str(json).map_err(|e| js_error(format!("the stopping conditions could not be read: {e}")))?;
        self.lab.set_stop_rule(rule).map_err(js_error)
    }

    /// Runs on, at most `budget` steps, until a stopping condition holds;
    /// true while it should go on ("Run to the end", a frame at a time).
    #[wasm_bindgen(js_name = runOn)]
    pub fn run_on(&mut self, budget: u32) -> bool {
        self.lab.run_on(budget)
    }

    /// One step back; false at iteration 0.
    pub fn back(&mut self) -> bool {
        self.lab.back()
    }

    /// Back to iteration 0.
    pub fn reset(&mut self) {
        self.lab.reset();
    }

    /// A click on the surface chart at canvas pixel (x, y): restarts the run
    /// there. Returns false when the click is outside the plot area.
    #[wasm_bindgen(js_name = clickSurface)]
    pub fn click_surface(&mut self, x: f64, y: f64) -> Result<bool, JsError> {
        let Some((mapping, point)) = self.mapping.and_then(|m| Some((m, m.point_at(x, y)?))) else {
            return Ok(false);
        };
        let (x0, x1, y0, y1) = mapping.pixels;
        let v = mapping.view;
        let per_pixel = [(v.x_max - v.x_min) / (x1 - x0).max(1) as f64, (v.y_max - v.y_min) / (y1 - y0).max(1) as f64];
        self.lab.set_start(self.lab.snap(point, per_pixel)).map_err(js_error)?;
        Ok(true)
    }

    /// Starts a new run from the point (x, y), as typed.
    #[wasm_bindgen(js_name = setStart)]
    pub fn set_start(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        self.lab.set_start([x, y]).map_err(js_error)
    }

    /// The start θ⁽⁰⁾ of the run, as [x, y].
    pub fn start(&self) -> Vec<f64> {
        self.lab.run().history()[0].theta.to_vec()
    }

    /// The link of this run (the part after `#`): it reopens the same run at the same iteration.
    #[wasm_bindgen(js_name = linkHash)]
    pub fn link_hash(&self) -> String {
        self.lab.link()
    }

    /// Opens the run a link describes. Returns the notice naming what the link
    /// held that could not be used (empty when everything was).
    #[wasm_bindgen(js_name = openLink)]
    pub fn open_link(&mut self, query: &str) -> String {
        self.lab.open_link(query)
    }

    /// The iteration table (t, θ, J, ∇J, α) as CSV, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self) -> String {
        crate::export::descent_table(self.lab.run(), &self.lab.stop_rule(), self.digits).csv()
    }

    /// The iteration table as a Markdown table, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableMarkdown)]
    pub fn table_markdown(&self) -> String {
        crate::export::descent_table(self.lab.run(), &self.lab.stop_rule(), self.digits).markdown()
    }

    /// Sets how big the charts draw their text, lines and margins: 1 normally,
    /// more in projector mode or for an export at twice the size (0.5 to 4).
    #[wasm_bindgen(js_name = setScale)]
    pub fn set_scale(&mut self, scale: f64) -> Result<(), JsError> {
        self.look = Look::scaled(scale).map_err(js_error)?;
        Ok(())
    }

    /// Sets the significant digits of the readout (2 to 10).
    #[wasm_bindgen(js_name = setDigits)]
    pub fn set_digits(&mut self, digits: u32) {
        self.digits = crate::format::shown_digits(digits);
    }

    pub fn iteration(&self) -> usize {
        self.lab.run().iteration()
    }

    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f64 {
        self.lab.run().lr()
    }

    /// The page's view of the run, as JSON: settings, the readout and the
    /// choices for the menus.
    #[wasm_bindgen(js_name = stateJson)]
    pub fn state_json(&self) -> String {
        self.lab.state(self.digits).to_string()
    }

    /// The regression data (x and y), as JSON; empty lists on other surfaces.
    #[wasm_bindgen(js_name = dataJson)]
    pub fn data_json(&self) -> String {
        match self.lab.run().surface() {
            Surface::LinearRegression(d) => json!({ "x": d.x, "y": d.y }),
            _ => json!({ "x": [], "y": [] }),
        }
        .to_string()
    }

    /// The trajectory θ₀ … θₜ as JSON pairs, at full precision.
    #[wasm_bindgen(js_name = trajectoryJson)]
    pub fn trajectory_json(&self) -> String {
        serde_json::to_string(&self.lab.run().trajectory()).unwrap_or_else(|_| "[]".into())
    }

    /// Draws the surface chart on `canvas`.
    #[wasm_bindgen(js_name = drawSurface)]
    pub fn draw_surface(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
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
        let paths: Vec<(Vec<[f64; 2]>, &str)> = race.iter().map(|run| (run.trajectory(), run.optimizer().label())).collect();
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

    /// Draws the surface in 3-D on `canvas`, with the trajectory on it.
    #[wasm_bindgen(js_name = drawSurface3d)]
    pub fn draw_surface_3d(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let surface = self.lab.run().surface().clone();
        let (view, _) = self.lab.view();
        if !matches!(&self.grid, Some((s, v, _)) if *s == surface && *v == view) {
            self.grid = Some((surface.clone(), view, GridLevel::sample(&surface.evaluator(), view, GRID_3D)));
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
        draw_surface_3d(&root, &scene).map_err(js_error)?;
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
                .map(|run| Series::solid(run.optimizer().label(), points(&run.history().iter().map(|s| s.value).collect::<Vec<_>>())))
                .collect();
            let axes = Axes {
                caption: "Loss J(θ⁽ᵗ⁾) of each run",
                x_desc: "iteration t",
                y_desc: "J",
                y_range: None,
                x_range: None,
                look: self.look,
            };
            self.loss_mapping = Some(draw_series(&root, &axes, &series).map_err(js_error)?);
            return present(&root);
        }
        let losses: Vec<f64> = self.lab.run().history().iter().map(|s| s.value).collect();
        let mut series = vec![Series::solid("J(θ⁽ᵗ⁾)", points(&losses))];
        if let Some(losses) = self.lab.ghost_losses() {
            series.push(Series { label: "before the change".into(), points: points(&losses), dashed: true });
        }
        if let Some((t, _)) = self.lab.stopped_at() {
            series.push(vertical_mark("stop condition met", t as f64, &losses));
        }
        let axes =
            Axes { caption: "Loss J(θ⁽ᵗ⁾)", x_desc: "iteration t", y_desc: "J", y_range: None, x_range: None, look: self.look };
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
        let top = values.iter().copied().fold(0.0, f64::max);
        // No legend in so small a chart: the caption names the lines.
        let series = vec![Series::solid("", rates), vertical_mark("", t as f64, &values)];
        let axes = Axes {
            caption: "αₖ (dashed: next k)",
            x_desc: "update k",
            y_desc: "α",
            y_range: Some((0.0, 1.05 * top)),
            x_range: None,
            look: self.look,
        };
        draw_series(&root, &axes, &series).map_err(js_error)?;
        present(&root)
    }

    /// What hovering the loss chart at canvas pixel column `x` shows: the
    /// iteration there and the exact J of each run, at the digits chosen;
    /// empty outside the plot or beyond the runs.
    #[wasm_bindgen(js_name = lossAt)]
    pub fn loss_at(&self, x: f64) -> String {
        let t = self.loss_mapping.and_then(|m| m.x_at(x)).map(|t| t.round().max(0.0) as usize);
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
