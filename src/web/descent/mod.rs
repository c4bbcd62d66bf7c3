//! The descent lab's handle for the page: its settings and steps here, its
//! charts in `charts`.

mod charts;

use serde_json::json;
use wasm_bindgen::prelude::*;

use super::{js_error, json_text};

use crate::descent::lab::DescentLab as Lab;
use crate::descent::run::StepOutcome;
use crate::descent::surface::{Surface, ViewBox};
use crate::draw::layer::SurfaceLayer;
use crate::draw::series_chart::XMapping;
use crate::draw::surface3d_chart::Angle3d;
use crate::draw::sweep_chart::SweepMapping;
use crate::draw::{Look, PlotMapping};
use crate::nn::landscape::GridLevel;

/// What the 3-D view's picture without its path depends on besides the grid: the angle, the canvas size and the scale of the look.
type BaseOf3d = (Angle3d, (u32, u32), f64);

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
    /// The 3-D view without its path (see `drawSurface3d`), and what it was drawn for.
    base_3d: Option<(BaseOf3d, web_sys::ImageData)>,
    /// Where the sweep's α axis was last drawn, to turn clicks into α.
    sweep_mapping: Option<SweepMapping>,
    /// Where the loss chart's iteration axis was last drawn, for hovering.
    loss_mapping: Option<XMapping>,
}

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
            base_3d: None,
            sweep_mapping: None,
            loss_mapping: None,
        }
    }

    /// Ends a continuous adjustment (the slider was let go): the next change takes a new ghost.
    #[wasm_bindgen(js_name = endAdjust)]
    pub fn end_adjust(&mut self) {
        self.lab.end_adjust();
    }

    /// Chooses a surface by id; every run restarts at its default start, at
    /// its default α (in a race, the race's default for its rule).
    #[wasm_bindgen(js_name = setSurface)]
    pub fn set_surface(&mut self, id: &str) -> Result<(), JsError> {
        self.lab.set_surface(id).map_err(js_error)
    }

    /// Uses f(x, y) typed as `text` over the box JSON [x_min, x_max, y_min,
    /// y_max]; every run restarts. A mistake in either is refused with its
    /// reason (the column and what was expected) and the function in force kept.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, text: &str, view: &str) -> Result<(), JsError> {
        let box_ = serde_json::from_str::<[Option<f64>; 4]>(view).ok().and_then(|b| Some([b[0]?, b[1]?, b[2]?, b[3]?]));
        let Some([x_min, x_max, y_min, y_max]) = box_ else {
            return Err(js_error("the box needs four numbers: x from, x to, y from, y to"));
        };
        self.lab.set_function(text, ViewBox::new(x_min, x_max, y_min, y_max)).map_err(js_error)
    }

    /// Uses f(x) typed as `text` over x from `lo` to `hi` (one variable);
    /// a mistake is refused with its reason and the function in force kept.
    #[wasm_bindgen(js_name = setCurve)]
    pub fn set_curve(&mut self, text: &str, lo: f64, hi: f64) -> Result<(), JsError> {
        self.lab.set_curve(text, (lo, hi)).map_err(js_error)
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
                Err(js_error(format!("the {name} must be a whole number (got {})", crate::format::typed(v))))
            }
        };
        let (size, seed) = (whole(size, "batch size")?, whole(seed, "seed")?);
        // On wasm32 a usize has 32 bits: a size beyond it is no batch of these points.
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        self.lab.set_batches(size, seed, replay).map_err(js_error)
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
        // (On a curve the run keeps x alone.)
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

    /// A worksheet of the first steps from the start (settings as JSON: `{"steps": 3, "blanks": {"gradient": true, "step": false, "after": true}}`), as JSON.
    #[wasm_bindgen(js_name = worksheetJson)]
    pub fn worksheet_json(&self, json: &str) -> Result<String, JsError> {
        let settings: crate::worksheet::WorksheetSettings =
            serde_json::from_str(json).map_err(|e| js_error(format!("the worksheet's settings could not be read: {e}")))?;
        let sheet = crate::descent::worksheet::worksheet(self.lab.run(), settings, self.digits).map_err(js_error)?;
        serde_json::to_string(&sheet).map_err(|e| js_error(e.to_string()))
    }

    /// The page's view of the run, as JSON: settings, the readout and the
    /// choices for the menus.
    #[wasm_bindgen(js_name = stateJson)]
    pub fn state_json(&self) -> String {
        json_text(&self.lab.state(self.digits))
    }

    /// The regression data (x and y), as JSON; empty lists on other surfaces.
    #[wasm_bindgen(js_name = dataJson)]
    pub fn data_json(&self) -> String {
        json_text(&match self.lab.run().surface() {
            Surface::LinearRegression(d) => json!({ "x": d.x, "y": d.y }),
            _ => json!({ "x": [], "y": [] }),
        })
    }

    /// The trajectory θ₀ … θₜ as JSON pairs, at full precision.
    #[wasm_bindgen(js_name = trajectoryJson)]
    pub fn trajectory_json(&self) -> String {
        serde_json::to_string(&self.lab.run().trajectory()).unwrap_or_else(|_| "[]".into())
    }
}
