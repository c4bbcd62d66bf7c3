//! The backprop lab's handle for the page: its settings and steps here,
//! its charts in `charts`, its slow views in `views`, the work it shares
//! with workers in `shares`.

mod charts;
mod shares;
mod views;

use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::descent::surface::ViewBox;
use crate::draw::boundary_chart::Edges;
use crate::draw::network_chart::param_at;
use crate::draw::series_chart::XMapping;
use crate::draw::sweep_chart::SweepMapping;
use crate::draw::{Look, PlotMapping};
use crate::nn::explain::ParamId;
use crate::nn::gradcheck::GradientCheck;
use crate::nn::lab::{BackpropLab, LabSettings, PointEdit, RangeJob, RangeTest};
use crate::nn::train::TrainOutcome;
use crate::nn::views::SlowViews;
use crate::web::landscape::LandscapePanel;
use crate::web::{js_error, json_text};

/// The backprop lab for the page: the core's lab, and where its charts were drawn.
#[wasm_bindgen]
pub struct NetworkLab {
    lab: BackpropLab,
    /// Where the network diagram was last drawn (its size), to find the weight under a click.
    diagram_size: (u32, u32),
    /// Where the data chart was last drawn, to turn clicks into points.
    data_mapping: Option<PlotMapping>,
    digits: usize,
    /// How big the charts draw (projector mode, exports).
    look: Look,
    landscape: LandscapePanel,
    /// The boundary's raster, the line and the landscape's grid, computed a piece at a time.
    views: SlowViews,
    /// The outline of the boundary before a re-training change: the weights and box it was found for, and its edges.
    ghost_edges: Option<(Vec<f64>, ViewBox, Edges)>,
    /// The gradient check under way or done, of the weights it was started at.
    gradient_check: Option<GradientCheck>,
    /// Where the loss chart's panels (loss, and accuracy for classification) were last drawn, for hovering.
    loss_mappings: Vec<XMapping>,
    /// Where the gradient-norm chart was last drawn, for hovering.
    norms_mapping: Option<XMapping>,
    /// The learning-rate range test shown (under way or done), and where its α axis was drawn.
    range_test: Option<RangeJob>,
    /// Where the sweep's α axis was last drawn, to turn clicks into α.
    sweep_mapping: Option<SweepMapping>,
    range_mapping: Option<SweepMapping>,
}

impl Default for NetworkLab {
    fn default() -> Self {
        Self::new()
    }
}

fn outcome_name(outcome: TrainOutcome) -> String {
    match outcome {
        TrainOutcome::Stepped => "stepped",
        TrainOutcome::Diverged(_) => "diverged",
        TrainOutcome::AtLimit => "limit",
        TrainOutcome::NoData => "nodata",
    }
    .into()
}

#[wasm_bindgen]
impl NetworkLab {
    /// XOR, one hidden layer of four tanh neurons, a sigmoid output with cross-entropy.
    #[wasm_bindgen(constructor)]
    pub fn new() -> NetworkLab {
        console_error_panic_hook::set_once();
        NetworkLab {
            lab: BackpropLab::default(),
            diagram_size: (1, 1),
            data_mapping: None,
            digits: 6,
            look: Look::NORMAL,
            landscape: LandscapePanel::new(),
            views: SlowViews::default(),
            ghost_edges: None,
            gradient_check: None,
            loss_mappings: Vec::new(),
            norms_mapping: None,
            range_test: None,
            sweep_mapping: None,
            range_mapping: None,
        }
    }

    /// Applies the page's settings (JSON). A change of data, architecture,
    /// initialisation or seed starts a new run; a change of optimizer,
    /// learning rate, batch size or L2 holds from the next update on, or,
    /// with `retrain`, trains again from the initial weights to the same
    /// epoch (see `advanceRetrain`), the old curves dashed. On an error nothing changes.
    pub fn configure(&mut self, json: &str, retrain: bool) -> Result<(), JsError> {
        let settings: LabSettings = serde_json::from_str(json).map_err(|e| js_error(format!("the settings could not be read: {e}")))?;
        let before = self.lab.settings().clone();
        let rebuilt = if retrain { self.lab.retrain_with(settings) } else { self.lab.configure(settings) };
        if rebuilt.map_err(js_error)? {
            self.run_replaced();
        }
        // A range test tells of the network and training it ran with (α aside).
        let same = |s: &LabSettings| LabSettings { lr: 0.0, ..s.clone() };
        if same(&before) != same(self.lab.settings()) {
            self.range_test = None;
        }
        Ok(())
    }

    /// Re-trains up to `epochs` more epochs towards the epoch of the last
    /// change; true while epochs remain (the page calls it frame by frame).
    #[wasm_bindgen(js_name = advanceRetrain)]
    pub fn advance_retrain(&mut self, epochs: usize) -> bool {
        self.lab.advance_retrain(epochs)
    }

    /// Ends a continuous adjustment: the next change takes a new ghost.
    #[wasm_bindgen(js_name = endAdjust)]
    pub fn end_adjust(&mut self) {
        self.lab.end_adjust();
    }

    /// The current settings as JSON (the form the page sends to `configure`).
    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> String {
        serde_json::to_string(self.lab.settings()).unwrap_or_else(|_| "{}".into())
    }

    /// One epoch. Returns "stepped", "diverged", "limit" or "nodata" (no training points).
    #[wasm_bindgen(js_name = stepEpoch)]
    pub fn step_epoch(&mut self) -> String {
        outcome_name(self.lab.run_mut().step_epoch())
    }

    /// Up to `n` epochs, stopping at a divergence.
    #[wasm_bindgen(js_name = stepEpochs)]
    pub fn step_epochs(&mut self, n: u32) -> String {
        let mut outcome = TrainOutcome::Stepped;
        for _ in 0..n.max(1) {
            outcome = self.lab.run_mut().step_epoch();
            if outcome != TrainOutcome::Stepped {
                break;
            }
        }
        outcome_name(outcome)
    }

    /// `n` epochs by the training loop alone, leaving the run as it was (no
    /// snapshots, no metrics): what the benchmark times as "training only".
    /// False when training diverged on the way.
    #[wasm_bindgen(js_name = trainUnrecorded)]
    pub fn train_unrecorded(&self, n: u32) -> bool {
        self.lab.run().train_unrecorded(n as usize).is_some()
    }

    /// Sets when Play stops by itself (JSON: trainLoss, patience, accuracy,
    /// epochs, each null when off).
    #[wasm_bindgen(js_name = setStopRule)]
    pub fn set_stop_rule(&mut self, json: &str) -> Result<(), JsError> {
        let rule = serde_json::from_str(json).map_err(|e| js_error(format!("the stopping conditions could not be read: {e}")))?;
        self.lab.set_stop_rule(rule).map_err(js_error)
    }

    /// Trains on, at most `budget` epochs, until a stopping condition holds;
    /// true while it should go on ("Train to the end", a frame at a time).
    #[wasm_bindgen(js_name = trainOn)]
    pub fn train_on(&mut self, budget: u32) -> bool {
        self.lab.train_on(budget)
    }

    /// Goes back to the epoch of the lowest test loss; returns it, or −1 without test points.
    #[wasm_bindgen(js_name = backToBest)]
    pub fn back_to_best(&mut self) -> i32 {
        self.lab.back_to_best().map_or(-1, |e| e as i32)
    }

    /// Removes every point: the network waits for points added by clicks.
    #[wasm_bindgen(js_name = clearPoints)]
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        self.lab.clear_points().map_err(js_error)?;
        self.range_test = None;
        self.run_replaced();
        Ok(())
    }

    /// One phase of the next update (forward layer by layer, the loss, backward, the update).
    #[wasm_bindgen(js_name = stepPhase)]
    pub fn step_phase(&mut self) -> String {
        outcome_name(self.lab.run_mut().step_phase())
    }

    /// One phase back inside an update, else one epoch (or update) back.
    pub fn back(&mut self) -> bool {
        self.lab.run_mut().back()
    }

    pub fn reset(&mut self) {
        self.lab.reset();
    }

    /// The link of this run (the part after `#`): the settings, the epoch
    /// reached and the landscape's view. Typed points are not part of it.
    #[wasm_bindgen(js_name = linkHash)]
    pub fn link_hash(&self) -> String {
        self.lab.link()
    }

    /// Opens the run a link describes, trained to its epoch. Returns the notice
    /// naming what the link held that could not be used (empty when everything was).
    #[wasm_bindgen(js_name = openLink)]
    pub fn open_link(&mut self, query: &str) -> String {
        let notice = self.lab.open_link(query);
        self.range_test = None;
        self.run_replaced();
        notice
    }

    /// The table of the run (epoch, losses, accuracy, gradient norms) as CSV, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self) -> String {
        crate::export::training_table(self.lab.run(), &self.lab.stop_rule(), self.digits).csv()
    }

    /// The table of the run as a Markdown table, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableMarkdown)]
    pub fn table_markdown(&self) -> String {
        crate::export::training_table(self.lab.run(), &self.lab.stop_rule(), self.digits).markdown()
    }

    /// Sets how big the charts draw their text, lines and margins: 1 normally,
    /// more in projector mode or for an export at twice the size (0.5 to 4).
    #[wasm_bindgen(js_name = setScale)]
    pub fn set_scale(&mut self, scale: f64) -> Result<(), JsError> {
        self.look = Look::scaled(scale).map_err(js_error)?;
        Ok(())
    }

    /// Sets the significant digits of every number shown (2 to 10).
    #[wasm_bindgen(js_name = setDigits)]
    pub fn set_digits(&mut self, digits: u32) {
        self.digits = crate::format::shown_digits(digits);
    }

    pub fn epoch(&self) -> usize {
        self.lab.run().current().epoch
    }

    /// Chooses the weight from neuron `from` of layer `layer − 1` to neuron `to`
    /// of layer `layer` (0-based neurons), or the bias of `to` when `from` is negative.
    #[wasm_bindgen(js_name = selectParam)]
    pub fn select_param(&mut self, layer: usize, from: i32, to: usize) -> Result<(), JsError> {
        self.lab.select(ParamId { layer, from: usize::try_from(from).ok(), to }).map_err(js_error)
    }

    /// A click on the network diagram at pixel (x, y): selects the weight or bias there.
    #[wasm_bindgen(js_name = clickNetwork)]
    pub fn click_network(&mut self, x: f64, y: f64) -> bool {
        let Some(p) = param_at(&self.lab.run().network().arch.sizes, self.diagram_size, self.look, (x, y)) else { return false };
        if self.lab.click_weight(p).unwrap_or(false) {
            self.views.landscape.clear();
        }
        true
    }

    /// The weight or bias under pixel (x, y) of the network diagram, as JSON
    /// {name, value, gradient} (gradient while an update is in progress), or "null".
    #[wasm_bindgen(js_name = paramAtJson)]
    pub fn param_at_json(&self, x: f64, y: f64) -> String {
        match param_at(&self.lab.run().network().arch.sizes, self.diagram_size, self.look, (x, y)) {
            Some(p) => json_text(&self.lab.param_json(p, self.digits)),
            None => "null".into(),
        }
    }

    /// Starts the gradient check at the current weights on the training
    /// points (see `advanceGradientCheck`); it is dropped when the weights move on.
    #[wasm_bindgen(js_name = startGradientCheck)]
    pub fn start_gradient_check(&mut self) {
        let run = self.lab.run();
        let (net, data) = (run.current_network(), run.train_data());
        let analytic = net.backward(&data.x, &net.forward(&data.x), &data.y).grad;
        self.gradient_check = Some(GradientCheck::new(&net, &data.x, &data.y, &analytic));
    }

    /// Checks up to `params` more parameters (each four passes over the
    /// training points); true while some remain. False, and the check
    /// dropped, when the weights are no longer those it checks.
    #[wasm_bindgen(js_name = advanceGradientCheck)]
    pub fn advance_gradient_check(&mut self, params: u32) -> bool {
        self.drop_stale_check();
        let (Some(check), data) = (&mut self.gradient_check, self.lab.run().train_data()) else { return false };
        check.advance(&data.x, &data.y, params as usize) > 0
    }

    /// The gradient check of the current weights, as JSON {checked, total,
    /// layers}: layers (per layer, the largest relative error of
    /// backpropagation against central differences and the verdict) once
    /// every parameter is checked; null when no check is of these weights.
    #[wasm_bindgen(js_name = gradientCheckJson)]
    pub fn gradient_check_json(&mut self) -> String {
        self.drop_stale_check();
        match &self.gradient_check {
            Some(check) => {
                let (checked, total) = check.progress();
                json_text(&json!({ "checked": checked, "total": total, "layers": check.result() }))
            }
            None => "null".into(),
        }
    }

    /// A worksheet of the first steps from the start (settings as JSON: `{"steps": 3, "blanks": {"gradient": true, "step": false, "after": true}}`), as JSON.
    #[wasm_bindgen(js_name = worksheetJson)]
    pub fn worksheet_json(&self, json: &str) -> Result<String, JsError> {
        let settings: crate::worksheet::WorksheetSettings =
            serde_json::from_str(json).map_err(|e| js_error(format!("the worksheet's settings could not be read: {e}")))?;
        let sheet = self.lab.worksheet(settings, self.digits).map_err(js_error)?;
        serde_json::to_string(&sheet).map_err(|e| js_error(e.to_string()))
    }

    /// The page's view of the run as JSON: where it is, its metrics per epoch,
    /// the phase in progress and the chain rule for the chosen weight.
    #[wasm_bindgen(js_name = stateJson)]
    pub fn state_json(&self) -> String {
        json_text(&self.lab.state(self.digits))
    }

    /// A click on the data chart at pixel (x, y): `mode` "add0" … "add4" adds
    /// a point of that class there (for regression, "add0" adds the point
    /// (x, y)); "remove" removes the point nearest the click, within 12 pixels.
    /// The points become typed points and training starts again. Returns false
    /// when the click changed nothing.
    #[wasm_bindgen(js_name = editPoints)]
    pub fn edit_points(&mut self, x: f64, y: f64, mode: &str) -> Result<bool, JsError> {
        let Some(mapping) = self.data_mapping else {
            return Ok(false);
        };
        let Some(point) = mapping.point_at(x, y) else {
            return Ok(false);
        };
        let edit = match mode {
            add if add.starts_with("add") => {
                let classes = self.lab.settings().class_count().unwrap_or(1);
                match add["add".len()..].parse::<usize>() {
                    Ok(class) if class < classes => PointEdit::Add { at: point, class: class as f64 },
                    _ => {
                        return Err(js_error(format!("unknown click mode \"{add}\"; add0 … add{} add a point of that class", classes - 1)))
                    }
                }
            }
            "remove" => {
                let data = self.lab.points();
                let (x0, x1, y0, y1) = mapping.pixels;
                let v = mapping.view;
                // The pixel distance from the click to point r (its second coordinate is x₂, or y for regression).
                let distance = |r: usize| {
                    let row = data.x.row(r);
                    let second = if row.len() > 1 { row[1] } else { data.y.get(r, 0) };
                    let px = x0 as f64 + (row[0] - v.x_min) / (v.x_max - v.x_min) * (x1 - x0) as f64;
                    let py = y0 as f64 + (v.y_max - second) / (v.y_max - v.y_min) * (y1 - y0) as f64;
                    (px - x).hypot(py - y)
                };
                match (0..data.len()).map(|r| (distance(r), r)).min_by(|a, b| a.0.total_cmp(&b.0)) {
                    Some((d, r)) if d <= 12.0 => PointEdit::Remove(r),
                    _ => return Ok(false),
                }
            }
            other => return Err(js_error(format!("unknown click mode \"{other}\"; use add0, add1, … or remove"))),
        };
        self.lab.edit_points(edit).map_err(js_error)?;
        self.range_test = None;
        self.run_replaced();
        Ok(true)
    }

    /// Starts the learning-rate range test (JSON {lo, hi, updates}, each
    /// optional) from the run's initial weights (see `advanceRangeTest`); the
    /// run is unchanged. An empty text hides it.
    #[wasm_bindgen(js_name = rangeTest)]
    pub fn range_test(&mut self, json: &str) -> Result<(), JsError> {
        self.range_test = match json.trim() {
            "" => None,
            text => {
                let range: RangeTest =
                    serde_json::from_str(text).map_err(|e| js_error(format!("the range test could not be read: {e}")))?;
                Some(self.lab.start_range_test(range).map_err(js_error)?)
            }
        };
        Ok(())
    }

    /// Takes the range test up to `updates` more updates (the page calls it
    /// frame by frame); true while updates remain.
    #[wasm_bindgen(js_name = advanceRangeTest)]
    pub fn advance_range_test(&mut self, updates: usize) -> bool {
        self.range_test.as_mut().is_some_and(|job| job.advance(updates))
    }

    /// The range test's suggestion and where the loss exploded so far, as JSON, or null.
    #[wasm_bindgen(js_name = rangeTestJson)]
    pub fn range_test_json(&self) -> String {
        match self.range_test.as_ref().map(RangeJob::result) {
            Some(r) => {
                json_text(&json!({ "range": r.range, "suggestion": r.suggestion, "explodedAt": r.exploded_at, "updates": r.points.len() }))
            }
            None => "null".into(),
        }
    }

    /// Shows the learning-rate sweep (JSON {lo, hi, count, steps}, steps
    /// being epochs) from the run's initial weights, or hides it and stops
    /// computing it (""); `advanceSweep` computes it.
    #[wasm_bindgen(js_name = setSweep)]
    pub fn set_sweep(&mut self, json: &str) -> Result<(), JsError> {
        let range = match json.trim() {
            "" => None,
            text => Some(serde_json::from_str(text).map_err(|e| js_error(format!("the sweep's range could not be read: {e}")))?),
        };
        self.lab.set_sweep(range).map_err(js_error)
    }

    /// Computes more of the sweep, about `epochs` epochs (the page calls it frame by frame); true while points remain.
    #[wasm_bindgen(js_name = advanceSweep)]
    pub fn advance_sweep(&mut self, epochs: usize) -> bool {
        self.lab.advance_sweep(epochs)
    }

    /// The sweep's range and how far it is, as JSON ({range, done, count, diverged}), or null when it is hidden.
    #[wasm_bindgen(js_name = sweepJson)]
    pub fn sweep_json(&self) -> String {
        match self.lab.sweep() {
            Some(s) => json_text(&json!({
                "range": s.range(),
                "done": s.points().len(),
                "count": s.range().count,
                "diverged": s.points().iter().filter(|p| p.diverged_at.is_some()).count(),
            })),
            None => "null".into(),
        }
    }

    /// Keeps the run's curves as a pin, drawn dashed until unpinned (at most three).
    pub fn pin(&mut self) -> Result<(), JsError> {
        self.lab.pin().map_err(js_error)
    }

    /// Removes pin `index` (0 first).
    pub fn unpin(&mut self, index: usize) -> Result<(), JsError> {
        self.lab.unpin(index).map_err(js_error)
    }
}

impl NetworkLab {
    /// Forgets the pictures and the gradient check of the run before: a new run (or new data).
    fn run_replaced(&mut self) {
        self.views.clear();
        self.gradient_check = None;
    }

    /// Forgets a gradient check of other weights than the current ones.
    fn drop_stale_check(&mut self) {
        if self.gradient_check.as_ref().is_some_and(|check| check.params() != self.lab.run().current().params.as_slice()) {
            self.gradient_check = None;
        }
    }
}
