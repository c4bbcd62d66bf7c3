//! The backprop lab's handle for the page.

use serde::{Deserialize, Serialize};
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::landscape::{LandscapePanel, LandscapeSettings};
use super::{backend, js_error, present, put_rgba};
use crate::draw::boundary_chart::{boundary_rgba, data_view, draw_boundary, draw_fit};
use crate::draw::network_chart::{draw_network, param_at, NetworkScene};
use crate::draw::series_chart::{draw_series, Axes, Series};
use crate::draw::{Look, PlotMapping};
use crate::format::{sig, superscript};
use crate::link;
use crate::nn::activation::Activation;
use crate::nn::data::{is_classification, DataSpec, Dataset};
use crate::nn::explain::{chain_rule, ParamId};
use crate::nn::gradcheck::gradient_check;
use crate::nn::landscape::line_from_start;
use crate::nn::network::{Architecture, Init, Loss, Network};
use crate::nn::train::{Phase, TrainConfig, TrainOutcome, TrainingRun};
use crate::optim::Optimizer;

/// One hidden layer as the page describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct HiddenLayer {
    neurons: usize,
    activation: String,
}

/// Everything the page's settings say, as JSON from the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LabSettings {
    dataset: String,
    points: usize,
    noise: f64,
    train_ratio: f64,
    seed: u64,
    /// Points typed as CSV, used instead of the generated data set when given.
    csv: Option<String>,
    hidden: Vec<HiddenLayer>,
    output_activation: String,
    loss: String,
    init: String,
    optimizer: String,
    lr: f64,
    batch_size: usize,
    l2: f64,
}

impl LabSettings {
    fn defaults() -> LabSettings {
        LabSettings {
            dataset: "xor".into(),
            points: 200,
            noise: 0.1,
            train_ratio: 0.7,
            seed: 1,
            csv: None,
            hidden: vec![HiddenLayer { neurons: 4, activation: "tanh".into() }],
            output_activation: "sigmoid".into(),
            loss: "bce".into(),
            init: "xavier".into(),
            optimizer: "sgd".into(),
            lr: 0.3,
            batch_size: 10,
            l2: 0.0,
        }
    }

    /// Whether `other` trains the same network on the same data (it may differ
    /// in how: optimizer, learning rate, batch size, L2), so the run can go on.
    fn same_structure(&self, other: &LabSettings) -> bool {
        let what = |s: &LabSettings| LabSettings { optimizer: String::new(), lr: 0.0, batch_size: 0, l2: 0.0, ..s.clone() };
        what(self) == what(other)
    }

    fn train_config(&self) -> Result<TrainConfig, String> {
        Ok(TrainConfig {
            optimizer: Optimizer::from_id(&self.optimizer)?,
            lr: self.lr,
            batch_size: self.batch_size,
            l2: self.l2,
            seed: self.seed,
        })
    }

    fn build(&self) -> Result<TrainingRun, String> {
        let classification = is_classification(&self.dataset);
        let data = match self.csv.as_deref() {
            // Every point cleared: the network waits for points to be added.
            Some(text) if text.trim().is_empty() => Dataset::empty(classification, if classification { 2 } else { 1 }),
            Some(text) => Dataset::from_csv(text, classification)?,
            None => Dataset::generate(&self.dataset, DataSpec { points: self.points, noise: self.noise, seed: self.seed })?,
        };
        let (train, test) = data.split(self.train_ratio, self.seed)?;
        let mut sizes = vec![data.x.cols];
        let mut activations = Vec::new();
        for layer in &self.hidden {
            sizes.push(layer.neurons);
            activations.push(Activation::from_id(&layer.activation)?);
        }
        sizes.push(1);
        activations.push(Activation::from_id(&self.output_activation)?);
        let arch = Architecture { sizes, activations, loss: Loss::from_id(&self.loss)? };
        let init = match self.init.as_str() {
            "xavier" => Init::Xavier,
            "he" => Init::He,
            "uniform" => Init::Uniform { scale: 0.5 },
            other => return Err(format!("unknown initialisation \"{other}\"; choose xavier, he or uniform")),
        };
        let net = Network::init(arch, init, self.seed)?;
        TrainingRun::new(net, train, test, self.train_config()?)
    }
}

/// The backprop lab: a training run, its settings and the chosen weight.
#[wasm_bindgen]
pub struct NetworkLab {
    run: TrainingRun,
    settings: LabSettings,
    selected: ParamId,
    /// Where the network diagram was last drawn (its size), to find the weight under a click.
    diagram_size: (u32, u32),
    /// Where the data chart was last drawn, to turn clicks into points.
    data_mapping: Option<PlotMapping>,
    digits: usize,
    /// How big the charts draw (projector mode, exports).
    look: Look,
    landscape: LandscapePanel,
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
        let settings = LabSettings::defaults();
        let run = settings.build().expect("the default settings are valid");
        NetworkLab {
            run,
            settings,
            selected: ParamId { layer: 1, from: Some(0), to: 0 },
            diagram_size: (1, 1),
            data_mapping: None,
            digits: 6,
            look: Look::NORMAL,
            landscape: LandscapePanel::new(),
        }
    }

    /// Applies the page's settings (JSON). A change of data, architecture,
    /// initialisation or seed starts a new run; a change of optimizer,
    /// learning rate, batch size or L2 holds from the next update on. On an
    /// error nothing changes.
    pub fn configure(&mut self, json: &str) -> Result<(), JsError> {
        let settings: LabSettings = serde_json::from_str(json).map_err(|e| js_error(format!("the settings could not be read: {e}")))?;
        if !settings.same_structure(&self.settings) {
            let run = settings.build().map_err(js_error)?;
            if self.selected.index(run.network()).is_none() {
                self.selected = ParamId { layer: 1, from: Some(0), to: 0 };
            }
            self.replace_run(run);
        } else {
            self.run.set_config(settings.train_config().map_err(js_error)?).map_err(js_error)?;
        }
        self.settings = settings;
        Ok(())
    }

    /// The current settings as JSON (the form the page sends to `configure`).
    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> String {
        serde_json::to_string(&self.settings).unwrap_or_else(|_| "{}".into())
    }

    /// One epoch. Returns "stepped", "diverged", "limit" or "nodata" (no training points).
    #[wasm_bindgen(js_name = stepEpoch)]
    pub fn step_epoch(&mut self) -> String {
        outcome_name(self.run.step_epoch())
    }

    /// Up to `n` epochs, stopping at a divergence.
    #[wasm_bindgen(js_name = stepEpochs)]
    pub fn step_epochs(&mut self, n: u32) -> String {
        let mut outcome = TrainOutcome::Stepped;
        for _ in 0..n.max(1) {
            outcome = self.run.step_epoch();
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
        self.run.train_unrecorded(n as usize).is_some()
    }

    /// Removes every point: the network waits for points added by clicks.
    #[wasm_bindgen(js_name = clearPoints)]
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        let settings = LabSettings { csv: Some(String::new()), ..self.settings.clone() };
        self.replace_run(settings.build().map_err(js_error)?);
        self.settings = settings;
        Ok(())
    }

    /// One phase of the next update (forward layer by layer, the loss, backward, the update).
    #[wasm_bindgen(js_name = stepPhase)]
    pub fn step_phase(&mut self) -> String {
        outcome_name(self.run.step_phase())
    }

    /// One phase back inside an update, else one epoch (or update) back.
    pub fn back(&mut self) -> bool {
        self.run.back()
    }

    pub fn reset(&mut self) {
        self.run.reset();
    }

    /// The link of this run (the part after `#`): the settings, the epoch
    /// reached and the landscape's view. Typed points are not part of it.
    #[wasm_bindgen(js_name = linkHash)]
    pub fn link_hash(&self) -> String {
        let s = &self.settings;
        let hidden: Vec<String> = s.hidden.iter().map(|h| format!("{}:{}", h.neurons, h.activation)).collect();
        let mut pairs = vec![
            ("lab", "network".into()),
            ("dataset", s.dataset.clone()),
            ("points", s.points.to_string()),
            ("noise", s.noise.to_string()),
            ("train", s.train_ratio.to_string()),
            ("seed", s.seed.to_string()),
            ("hidden", hidden.join(",")),
            ("out", s.output_activation.clone()),
            ("loss", s.loss.clone()),
            ("init", s.init.clone()),
            ("opt", s.optimizer.clone()),
            ("lr", s.lr.to_string()),
            ("batch", s.batch_size.to_string()),
            ("l2", s.l2.to_string()),
            ("epochs", self.run.current().epoch.to_string()),
        ];
        pairs.extend(self.landscape.link_pairs());
        link::write(&pairs)
    }

    /// Opens the run a link describes, trained to its epoch. Returns the notice
    /// naming what the link held that could not be used (empty when everything was).
    #[wasm_bindgen(js_name = openLink)]
    pub fn open_link(&mut self, query: &str) -> String {
        let mut r = link::LinkReader::new(query);
        r.take("lab");
        let mut s = LabSettings::defaults();
        let one_of = |ids: &'static [&'static str]| {
            move |v: &str| if ids.contains(&v) { Ok(v.to_string()) } else { Err(format!("{v} is not one of {ids:?}")) }
        };
        if let Some(d) = r.read("dataset", one_of(&crate::nn::data::DATASET_IDS)) {
            // A regression set starts with a linear output and squared error.
            if !is_classification(&d) {
                (s.output_activation, s.loss) = ("linear".into(), "mse".into());
            }
            s.dataset = d;
        }
        if let Some(v) =
            r.read("points", |v| link::count(v).and_then(|n| if (1..=2000).contains(&n) { Ok(n) } else { Err("out of range".into()) }))
        {
            s.points = v;
        }
        if let Some(v) =
            r.read("noise", |v| link::number(v).and_then(|n| if (0.0..=1.0).contains(&n) { Ok(n) } else { Err("out of range".into()) }))
        {
            s.noise = v;
        }
        if let Some(v) =
            r.read("train", |v| link::number(v).and_then(|n| if (0.1..=1.0).contains(&n) { Ok(n) } else { Err("out of range".into()) }))
        {
            s.train_ratio = v;
        }
        if let Some(v) = r.read("seed", |v| link::count(v).map(|n| n as u64)) {
            s.seed = v;
        }
        let layer = |part: &str| -> Result<HiddenLayer, String> {
            let (n, act) = part.split_once(':').ok_or("not neurons:activation")?;
            let neurons = link::count(n)?;
            Activation::from_id(act)?;
            if !(1..=crate::nn::network::MAX_NEURONS).contains(&neurons) {
                return Err("neurons out of range".into());
            }
            Ok(HiddenLayer { neurons, activation: act.to_string() })
        };
        if let Some(v) = r.read("hidden", |v| {
            let layers: Vec<HiddenLayer> = v.split(',').filter(|p| !p.is_empty()).map(layer).collect::<Result<_, _>>()?;
            if layers.len() > crate::nn::network::MAX_HIDDEN_LAYERS {
                Err("too many layers".to_string())
            } else {
                Ok(layers)
            }
        }) {
            s.hidden = v;
        }
        if let Some(v) = r.read("out", one_of(&crate::nn::activation::ACTIVATION_IDS)) {
            s.output_activation = v;
        }
        if let Some(v) = r.read("loss", one_of(&["mse", "bce"])) {
            s.loss = v;
        }
        if let Some(v) = r.read("init", one_of(&["xavier", "he", "uniform"])) {
            s.init = v;
        }
        if let Some(v) = r.read("opt", one_of(&crate::optim::OPTIMIZER_IDS)) {
            s.optimizer = v;
        }
        if let Some(v) = r.read("lr", |v| link::number(v).and_then(crate::run::check_lr)) {
            s.lr = v;
        }
        if let Some(v) = r.read("batch", link::count) {
            s.batch_size = v;
        }
        if let Some(v) = r.read("l2", |v| link::number(v).and_then(|n| if n >= 0.0 { Ok(n) } else { Err("negative".into()) })) {
            s.l2 = v;
        }
        let epochs = r.read("epochs", link::count).unwrap_or(0);
        let run = match s.build() {
            Ok(run) => run,
            Err(_) => {
                // Values fine one by one but not together (cross-entropy without a sigmoid output, say).
                r.ignore("out");
                r.ignore("loss");
                s.output_activation = if is_classification(&s.dataset) { "sigmoid".into() } else { "linear".into() };
                s.loss = if is_classification(&s.dataset) { "bce".into() } else { "mse".into() };
                match s.build() {
                    Ok(run) => run,
                    Err(_) => {
                        s = LabSettings::defaults();
                        s.build().expect("the default settings are valid")
                    }
                }
            }
        };
        self.replace_run(run);
        self.landscape.read_link(&mut r, &self.run);
        self.settings = s;
        self.selected = ParamId { layer: 1, from: Some(0), to: 0 };
        for _ in 0..epochs.min(self.run.max_snapshots()) {
            if self.run.step_epoch() != TrainOutcome::Stepped {
                break;
            }
        }
        r.notice()
    }

    /// The table of the run (epoch, losses, accuracy, gradient norms) as CSV, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self) -> String {
        crate::export::training_table(&self.run).csv(self.digits)
    }

    /// The table of the run as a Markdown table, rounded to the digits shown.
    #[wasm_bindgen(js_name = tableMarkdown)]
    pub fn table_markdown(&self) -> String {
        crate::export::training_table(&self.run).markdown(self.digits)
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
        self.run.current().epoch
    }

    /// Chooses the weight from neuron `from` of layer `layer − 1` to neuron `to`
    /// of layer `layer` (0-based neurons), or the bias of `to` when `from` is negative.
    #[wasm_bindgen(js_name = selectParam)]
    pub fn select_param(&mut self, layer: usize, from: i32, to: usize) -> Result<(), JsError> {
        let p = ParamId { layer, from: usize::try_from(from).ok(), to };
        if p.index(self.run.network()).is_none() {
            return Err(js_error(format!("the network has no weight {}", p.name())));
        }
        self.selected = p;
        Ok(())
    }

    /// A click on the network diagram at pixel (x, y): selects the weight or bias there.
    #[wasm_bindgen(js_name = clickNetwork)]
    pub fn click_network(&mut self, x: f64, y: f64) -> bool {
        match param_at(&self.run.network().arch.sizes, self.diagram_size, self.look, (x, y)) {
            Some(p) => {
                self.selected = p;
                if let Some(index) = p.index(self.run.network()) {
                    self.landscape.choose_weight(index);
                }
                true
            }
            None => false,
        }
    }

    /// The weight or bias under pixel (x, y) of the network diagram, as JSON
    /// {name, value, gradient} (gradient while an update is in progress), or "null".
    #[wasm_bindgen(js_name = paramAtJson)]
    pub fn param_at_json(&self, x: f64, y: f64) -> String {
        let net = self.run.current_network();
        let Some(p) = param_at(&net.arch.sizes, self.diagram_size, self.look, (x, y)) else { return "null".into() };
        let Some(index) = p.index(&net) else { return "null".into() };
        let n = |v: f64| sig(v, self.digits);
        let gradient = self.run.phase().map(|(work, _)| n(work.backward.grad[index]));
        json!({ "name": p.name(), "value": n(net.params[index]), "gradient": gradient }).to_string()
    }

    /// The largest relative error of backpropagation against central
    /// differences, per layer, at the current weights, on the training points (JSON list).
    #[wasm_bindgen(js_name = gradientCheckJson)]
    pub fn gradient_check_json(&self) -> String {
        let net = self.run.current_network();
        let data = self.run.train_data();
        json!(gradient_check(&net, &data.x, &data.y)).to_string()
    }

    /// The page's view of the run as JSON: where it is, its metrics per epoch,
    /// the phase in progress and the chain rule for the chosen weight.
    #[wasm_bindgen(js_name = stateJson)]
    pub fn state_json(&self) -> String {
        let now = self.run.current();
        let net = self.run.current_network();
        let n = |x: f64| sig(x, self.digits);
        let index = self.selected.index(&net).unwrap_or(0);
        let phase = self.run.phase();
        let work = phase.map(|(w, _)| w);
        let chain = match phase {
            Some((work, Phase::Backward(l))) if l <= self.selected.layer => {
                chain_rule(&net, work, self.selected, self.run.config.l2, self.digits).ok()
            }
            Some((work, Phase::Update)) => chain_rule(&net, work, self.selected, self.run.config.l2, self.digits).ok(),
            _ => None,
        };
        json!({
            "epoch": now.epoch,
            "batch": now.batch,
            "classification": self.run.train_data().classification,
            "trainPoints": self.run.train_data().len(),
            "testPoints": self.run.test_data().len(),
            "metrics": {
                "trainLoss": n(now.metrics.train_loss),
                "testLoss": now.metrics.test_loss.map(n),
                "trainAccuracy": now.metrics.train_accuracy.map(|a| format!("{:.1}%", 100.0 * a)),
                "testAccuracy": now.metrics.test_accuracy.map(|a| format!("{:.1}%", 100.0 * a)),
                "gradNorms": now.metrics.grad_norms.iter().map(|g| n(*g)).collect::<Vec<_>>(),
            },
            "phase": phase.map(|(w, p)| json!({ "name": phase_name(p), "lines": phase_lines(&net, w, p, self.run.config, self.digits) })),
            "selected": {
                "name": self.selected.name(),
                "value": n(net.params[index]),
                "valueExact": net.params[index],
                "gradient": work.map(|w| n(w.backward.grad[index])),
                "gradientExact": work.map(|w| w.backward.grad[index]),
            },
            "chainRule": chain,
            "diverged": self.run.diverged_at().map(|k| format!("Diverged in epoch {k}: a weight or the loss became too large to represent. Lower the learning rate, press Back or Reset.")),
        })
        .to_string()
    }

    /// Draws the network diagram on `canvas`.
    #[wasm_bindgen(js_name = drawNetwork)]
    pub fn draw_network(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        self.diagram_size = root.dim_in_pixel();
        let net = self.run.current_network();
        let phase = self.run.phase();
        let scene = NetworkScene {
            net: &net,
            phase: phase.map(|(_, p)| p),
            grad: phase.map(|(w, _)| w.backward.grad.as_slice()),
            selected: Some(self.selected),
            look: self.look,
        };
        draw_network(&root, &scene).map_err(js_error)?;
        present(&root)
    }

    /// Draws the decision boundary (classification) or the fitted curve (regression).
    #[wasm_bindgen(js_name = drawBoundary)]
    pub fn draw_boundary(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let net = self.run.current_network();
        let (train, test) = (self.run.train_data(), self.run.test_data());
        if train.classification {
            let view = data_view(&[train, test]);
            let mut raster = Ok(());
            let mapping = draw_boundary(&root, view, train, test, self.look, |x, y, w, h| {
                raster = put_rgba(canvas, &boundary_rgba(&net, view, w, h), (w, h), (x, y))
            })
            .map_err(js_error)?;
            raster?;
            self.data_mapping = Some(mapping);
        } else {
            self.data_mapping = Some(draw_fit(&root, &net, train, test, self.look).map_err(js_error)?);
        }
        present(&root)
    }

    /// A click on the data chart at pixel (x, y): `mode` "add0" or "add1" adds
    /// a point of that class there (for regression, any "add" adds the point
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
        let mut data = self.run.train_data().join(self.run.test_data());
        match mode {
            "add0" | "add1" if data.classification => data.push(&point, if mode == "add1" { 1.0 } else { 0.0 }),
            "add0" | "add1" => data.push(&point[..1], point[1]),
            "remove" => {
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
                let nearest = (0..data.len()).map(|r| (distance(r), r)).min_by(|a, b| a.0.total_cmp(&b.0));
                match nearest {
                    Some((d, r)) if d <= 12.0 => data.remove(r),
                    _ => return Ok(false),
                }
            }
            other => return Err(js_error(format!("unknown click mode \"{other}\"; use add0, add1 or remove"))),
        }
        let csv = data.to_csv();
        let settings = LabSettings { csv: Some(csv), ..self.settings.clone() };
        self.replace_run(settings.build().map_err(js_error)?);
        self.settings = settings;
        Ok(true)
    }

    /// Draws the train and test loss, and the accuracy for classification, against epoch.
    #[wasm_bindgen(js_name = drawLosses)]
    pub fn draw_losses(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let at = |s: &crate::nn::train::TrainSnapshot| s.epoch as f64 + s.batch as f64 / self.batches_per_epoch();
        let history = self.run.history();
        let mut series = vec![Series::solid("train", history.iter().map(|s| (at(s), s.metrics.train_loss)).collect())];
        if !self.run.test_data().is_empty() {
            series.push(Series::solid("test", history.iter().filter_map(|s| s.metrics.test_loss.map(|v| (at(s), v))).collect()));
        }
        let caption = format!("Loss ({})", self.settings.loss);
        let loss_axes = Axes { caption: &caption, x_desc: "epoch", y_desc: "L", y_range: None, x_range: None, look: self.look };
        if self.run.train_data().classification {
            let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 * 3 / 5);
            draw_series(&top, &loss_axes, &series).map_err(js_error)?;
            let mut accuracy =
                vec![Series::solid("train", history.iter().filter_map(|s| s.metrics.train_accuracy.map(|v| (at(s), v))).collect())];
            if !self.run.test_data().is_empty() {
                accuracy.push(Series::solid("test", history.iter().filter_map(|s| s.metrics.test_accuracy.map(|v| (at(s), v))).collect()));
            }
            let axes = Axes {
                caption: "Accuracy",
                x_desc: "epoch",
                y_desc: "share right",
                y_range: Some((0.0, 1.0)),
                x_range: None,
                look: self.look,
            };
            draw_series(&bottom, &axes, &accuracy).map_err(js_error)?;
        } else {
            draw_series(&root, &loss_axes, &series).map_err(js_error)?;
        }
        present(&root)
    }

    /// Draws the training loss along the line from the initial weights θ₀ (s = 0)
    /// through the weights now θₜ (s = 1), for s from −0.5 to 1.5.
    #[wasm_bindgen(js_name = drawLine)]
    pub fn draw_line(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let data = self.run.train_data();
        let line = line_from_start(&self.run.network().arch, &self.run.history()[0].params, &self.run.current().params, &data.x, &data.y);
        let axes = Axes {
            caption: "Loss on the line from the start (s = 0) to now (s = 1)",
            x_desc: "s",
            y_desc: "L",
            y_range: None,
            x_range: Some((-0.5, 1.5)),
            look: self.look,
        };
        draw_series(&root, &axes, &[Series::solid("L((1 − s)·θ₀ + s·θₜ)", line)]).map_err(js_error)?;
        present(&root)
    }

    /// Chooses the landscape's plane and view (JSON: plane "weights", "random"
    /// or "training", a and b the indices of two parameters, seed, threeD).
    #[wasm_bindgen(js_name = setLandscape)]
    pub fn set_landscape(&mut self, json: &str) -> Result<(), JsError> {
        let settings: LandscapeSettings =
            serde_json::from_str(json).map_err(|e| js_error(format!("the landscape settings could not be read: {e}")))?;
        self.landscape.configure(settings, &self.run).map_err(js_error)
    }

    /// The landscape's settings, the parameters' names, the finest grid drawn so far and why there is no picture (JSON).
    #[wasm_bindgen(js_name = landscapeJson)]
    pub fn landscape_json(&mut self) -> String {
        self.landscape.status(&self.run).to_string()
    }

    /// Computes up to `points` more points of the landscape's grid (each a
    /// pass over the training points); returns how many remain.
    #[wasm_bindgen(js_name = refineLandscape)]
    pub fn refine_landscape(&mut self, points: u32) -> u32 {
        self.landscape.refine(&self.run, points as usize) as u32
    }

    /// Points per side of the finest level of the landscape's grid computed so far (0 when there is no picture).
    #[wasm_bindgen(js_name = landscapeLevel)]
    pub fn landscape_level(&mut self) -> u32 {
        self.landscape.level(&self.run) as u32
    }

    /// Turns the 3-D view by a drag of (dx, dy) pixels.
    #[wasm_bindgen(js_name = turnLandscape)]
    pub fn turn_landscape(&mut self, dx: f64, dy: f64) {
        self.landscape.angle = self.landscape.angle.dragged(dx, dy);
    }

    /// Draws the loss over the chosen plane: the finest level of its grid computed so far.
    #[wasm_bindgen(js_name = drawLandscape)]
    pub fn draw_landscape(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.landscape.draw(canvas, &self.run, self.look)
    }

    /// Draws the gradient norm of every layer against epoch, on a log scale.
    #[wasm_bindgen(js_name = drawGradientNorms)]
    pub fn draw_gradient_norms(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let layers = self.run.network().arch.layers();
        let history = self.run.history();
        let series: Vec<Series> = (0..layers)
            .map(|l| {
                let points =
                    history.iter().map(|s| (s.epoch as f64 + s.batch as f64 / self.batches_per_epoch(), s.metrics.grad_norms[l])).collect();
                Series::solid(format!("layer {}", l + 1), points)
            })
            .collect();
        let axes = Axes {
            caption: "Gradient norm per layer ‖∂L/∂Wˡ, ∂L/∂bˡ‖",
            x_desc: "epoch",
            y_desc: "norm",
            y_range: None,
            x_range: None,
            look: self.look,
        };
        draw_series(&root, &axes, &series).map_err(js_error)?;
        present(&root)
    }
}

impl NetworkLab {
    /// A new run: the landscape of the old one goes with it.
    fn replace_run(&mut self, run: TrainingRun) {
        self.run = run;
        self.landscape.clear(&self.run);
    }

    fn batches_per_epoch(&self) -> f64 {
        let n = self.run.train_data().len().max(1);
        let size = if self.settings.batch_size == 0 { n } else { self.settings.batch_size.min(n) };
        n.div_ceil(size) as f64
    }
}

fn phase_name(p: Phase) -> String {
    match p {
        Phase::Forward(l) => format!("Forward, layer {l}"),
        Phase::Loss => "Loss".into(),
        Phase::Backward(l) => format!("Backward, layer {l}"),
        Phase::Update => "Update".into(),
    }
}

fn vector(values: impl Iterator<Item = f64>, digits: usize) -> String {
    let items: Vec<String> = values.map(|v| sig(v, digits)).collect();
    format!("({})", items.join(", "))
}

/// The numbers a phase produced, for the first example of the batch.
fn phase_lines(net: &Network, work: &crate::nn::train::UpdateWork, phase: Phase, config: TrainConfig, digits: usize) -> Vec<String> {
    let first = |m: &crate::nn::matrix::Mat| vector(m.row(0).iter().copied(), digits);
    let m = work.x.rows;
    match phase {
        Phase::Forward(l) => {
            let (sup, prev) = (superscript(l), superscript(l - 1));
            let input = if l == 1 { first(&work.x) } else { first(&work.forward.a[l - 2]) };
            vec![
                format!("Example 1 of {m}: a{prev}₁ = {input}"),
                format!("z{sup}₁ = a{prev}₁·W{sup} + b{sup} = {}", first(&work.forward.z[l - 1])),
                format!("a{sup}₁ = {}(z{sup}₁) = {}", net.arch.activations[l - 1].id(), first(&work.forward.a[l - 1])),
            ]
        }
        Phase::Loss => vec![
            format!(
                "ŷ₁ = {}, y₁ = {}",
                sig(work.forward.a.last().map_or(f64::NAN, |a| a.get(0, 0)), digits),
                sig(work.y.get(0, 0), digits)
            ),
            format!("L = {} over the m = {m} examples of the batch", sig(work.loss, digits)),
        ],
        Phase::Backward(l) => {
            let o = net.arch.offsets(l);
            let norm = work.backward.grad[o.w..o.end].iter().map(|g| g * g).sum::<f64>().sqrt();
            let sup = superscript(l);
            vec![
                format!("δ{sup}₁ = {}", first(&work.backward.delta[l - 1])),
                format!("∂L/∂W{sup} = a{}ᵀ·δ{sup}, ∂L/∂b{sup} = column sums of δ{sup}", superscript(l - 1)),
                format!("‖∂L/∂W{sup}, ∂L/∂b{sup}‖ = {}", sig(norm, digits)),
            ]
        }
        Phase::Update => vec![format!(
            "Every weight and bias moves by the {} rule with α = {}: for plain descent w ← w − α·∂L/∂w{}",
            config.optimizer.id(),
            sig(config.lr, digits),
            if config.l2 > 0.0 { format!(" (with λ = {} on the weights)", sig(config.l2, digits)) } else { String::new() }
        )],
    }
}
