//! The backprop lab's settings: what the page's form and a link hold, checked
//! and turned into a training run.

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::link::{self, LinkReader};
use crate::named::Named;
use crate::nn::activation::Activation;
use crate::nn::data::{DataSpec, Dataset, DatasetKind};
use crate::nn::network::{Architecture, Init, Loss, Network, MAX_CLASSES, MAX_HIDDEN_LAYERS, MAX_NEURONS};
use crate::nn::train::{TrainConfig, TrainingRun};
use crate::optim::Optimizer;

/// The most points a data set may hold.
pub const MAX_POINTS: usize = 2000;

/// One hidden layer: its width and activation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HiddenLayer {
    pub neurons: usize,
    pub activation: Activation,
}

/// Everything the lab's form says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabSettings {
    pub dataset: DatasetKind,
    /// Points generated, 1 to [`MAX_POINTS`].
    pub points: usize,
    /// Spread added to each point, 0 to 1.
    pub noise: f64,
    /// The share of the points used for training (0.1 to 1); the rest test.
    pub train_ratio: f64,
    /// Seed of the data, the initial weights and the order of the batches.
    pub seed: u64,
    /// Points typed as CSV, used instead of the generated data set when given.
    pub csv: Option<String>,
    /// K, the number of classes of the data sets of many classes (2 to [`MAX_CLASSES`]).
    #[serde(default = "three")]
    pub classes: usize,
    pub hidden: Vec<HiddenLayer>,
    pub output_activation: Activation,
    pub loss: Loss,
    pub init: Init,
    /// The update rule, with its usual constants.
    pub optimizer: Optimizer,
    /// α.
    pub lr: f64,
    /// Examples per update; 0 for the full batch.
    pub batch_size: usize,
    /// λ of the L2 penalty on the weights.
    pub l2: f64,
}

impl Default for LabSettings {
    /// XOR, one hidden layer of four tanh neurons, a sigmoid output with cross-entropy.
    fn default() -> Self {
        LabSettings {
            dataset: DatasetKind::Xor,
            points: 200,
            noise: 0.1,
            train_ratio: 0.7,
            seed: 1,
            csv: None,
            classes: 3,
            hidden: vec![HiddenLayer { neurons: 4, activation: Activation::Tanh }],
            output_activation: Activation::Sigmoid,
            loss: Loss::Bce,
            init: Init::Xavier,
            optimizer: Optimizer::Sgd,
            lr: 0.3,
            batch_size: 10,
            l2: 0.0,
        }
    }
}

fn three() -> usize {
    3
}

/// `v` when `ok(v)`, else why not.
fn within<T: Copy>(v: T, ok: bool) -> Result<T, String> {
    if ok {
        Ok(v)
    } else {
        Err("out of range".into())
    }
}

impl LabSettings {
    /// Whether `other` trains the same network on the same data (it may differ
    /// in how: optimizer, learning rate, batch size, L2), so the run can go on.
    pub fn same_structure(&self, other: &LabSettings) -> bool {
        let what = |s: &LabSettings| LabSettings { optimizer: Optimizer::Sgd, lr: 0.0, batch_size: 0, l2: 0.0, ..s.clone() };
        what(self) == what(other)
    }

    /// How the network trains.
    pub fn train_config(&self) -> TrainConfig {
        TrainConfig { optimizer: self.optimizer, lr: self.lr, batch_size: self.batch_size, l2: self.l2, seed: self.seed }
    }

    /// The output and loss that go with the data set: a softmax with the
    /// categorical cross-entropy for many classes, a sigmoid with cross-entropy
    /// for two, a linear output with squared error for numbers.
    pub fn usual_output(dataset: DatasetKind) -> (Activation, Loss) {
        if dataset.is_multiclass() {
            (Activation::Softmax, Loss::Ce)
        } else if dataset.is_classification() {
            (Activation::Sigmoid, Loss::Bce)
        } else {
            (Activation::Linear, Loss::Mse)
        }
    }

    /// K, the number of classes of the data (None for regression).
    pub fn class_count(&self) -> Option<usize> {
        if self.dataset.is_multiclass() {
            Some(self.classes)
        } else {
            self.dataset.is_classification().then_some(2)
        }
    }

    /// The data, split, and a network initialised from the seed: a new run.
    /// A softmax output has one neuron a class and learns one-hot targets.
    pub fn build(&self) -> Result<TrainingRun, String> {
        let classes = self.class_count();
        if let Some(k) = classes.filter(|k| !(2..=MAX_CLASSES).contains(k)) {
            return Err(tr!("the number of classes must be 2 to {max_classes} (got {k})", max_classes = MAX_CLASSES, k = k));
        }
        let classification = classes.is_some();
        let data = match self.csv.as_deref() {
            // Every point cleared: the network waits for points to be added.
            Some(text) if text.trim().is_empty() => Dataset::empty(classification, if classification { 2 } else { 1 }),
            Some(text) => Dataset::from_csv(text, classes)?,
            None => {
                let spec = DataSpec { points: self.points, noise: self.noise, seed: self.seed, classes: self.classes };
                Dataset::generate(self.dataset, spec)?
            }
        };
        let softmax = self.output_activation == Activation::Softmax;
        let (data, outputs) = match classes {
            Some(k) if softmax => (data.one_hot(k)?, k),
            Some(k) if k > 2 => return Err(tr!("{k} classes need a softmax output with the categorical cross-entropy", k = k)),
            None if softmax => return Err(tr!("a softmax output needs classes: choose a data set of classes")),
            _ => (data, 1),
        };
        let (train, test) = data.split(self.train_ratio, self.seed)?;
        let mut sizes = vec![data.x.cols];
        sizes.extend(self.hidden.iter().map(|h| h.neurons));
        sizes.push(outputs);
        let mut activations: Vec<Activation> = self.hidden.iter().map(|h| h.activation).collect();
        activations.push(self.output_activation);
        let arch = Architecture { sizes, activations, loss: self.loss };
        let net = Network::init(arch, self.init, self.seed)?;
        TrainingRun::new(net, train, test, self.train_config())
    }

    /// The settings' part of a link (typed points are not part of it).
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        let hidden: Vec<String> = self.hidden.iter().map(|h| format!("{}:{}", h.neurons, h.activation.id())).collect();
        vec![
            ("dataset", self.dataset.id().into()),
            ("points", self.points.to_string()),
            ("noise", self.noise.to_string()),
            ("train", self.train_ratio.to_string()),
            ("seed", self.seed.to_string()),
            ("classes", self.classes.to_string()),
            ("hidden", hidden.join(",")),
            ("out", self.output_activation.id().into()),
            ("loss", self.loss.id().into()),
            ("init", self.init.id().into()),
            ("opt", self.optimizer.id().into()),
            ("lr", self.lr.to_string()),
            ("batch", self.batch_size.to_string()),
            ("l2", self.l2.to_string()),
        ]
    }

    /// The settings a link holds, the defaults standing in for what it lacks
    /// or cannot use (named in `r`'s notice), and the run they build.
    pub fn read_link(r: &mut LinkReader) -> (LabSettings, TrainingRun) {
        let mut s = LabSettings::default();
        if let Some(d) = r.read("dataset", DatasetKind::from_id) {
            (s.output_activation, s.loss) = LabSettings::usual_output(d);
            s.dataset = d;
        }
        if let Some(v) = r.read("points", |v| link::count(v).and_then(|n| within(n, (1..=MAX_POINTS).contains(&n)))) {
            s.points = v;
        }
        if let Some(v) = r.read("noise", |v| link::number(v).and_then(|n| within(n, (0.0..=1.0).contains(&n)))) {
            s.noise = v;
        }
        if let Some(v) = r.read("train", |v| link::number(v).and_then(|n| within(n, (0.1..=1.0).contains(&n)))) {
            s.train_ratio = v;
        }
        if let Some(v) = r.read("seed", |v| link::count(v).map(|n| n as u64)) {
            s.seed = v;
        }
        if let Some(v) = r.read("classes", |v| link::count(v).and_then(|n| within(n, (2..=MAX_CLASSES).contains(&n)))) {
            s.classes = v;
        }
        let layer = |part: &str| -> Result<HiddenLayer, String> {
            let (n, act) = part.split_once(':').ok_or("not neurons:activation")?;
            let neurons = link::count(n)?;
            within(neurons, (1..=MAX_NEURONS).contains(&neurons))?;
            let activation = Activation::from_id(act)?;
            within(activation, Activation::HIDDEN.contains(&activation))?;
            Ok(HiddenLayer { neurons, activation })
        };
        if let Some(v) = r.read("hidden", |v| {
            let layers: Vec<HiddenLayer> = v.split(',').filter(|p| !p.is_empty()).map(layer).collect::<Result<_, _>>()?;
            within((), layers.len() <= MAX_HIDDEN_LAYERS)?;
            Ok(layers)
        }) {
            s.hidden = v;
        }
        if let Some(v) = r.read("out", Activation::from_id) {
            s.output_activation = v;
        }
        if let Some(v) = r.read("loss", Loss::from_id) {
            s.loss = v;
        }
        if let Some(v) = r.read("init", Init::from_id) {
            s.init = v;
        }
        if let Some(v) = r.read("opt", Optimizer::from_id) {
            s.optimizer = v;
        }
        if let Some(v) = r.read("lr", |v| link::number(v).and_then(crate::descent::run::check_lr)) {
            s.lr = v;
        }
        if let Some(v) = r.read("batch", link::count) {
            s.batch_size = v;
        }
        if let Some(v) = r.read("l2", |v| link::number(v).and_then(|n| within(n, n >= 0.0))) {
            s.l2 = v;
        }
        match s.build() {
            Ok(run) => (s, run),
            Err(_) => {
                // Values fine one by one but not together (cross-entropy without a sigmoid output, say).
                r.ignore("out");
                r.ignore("loss");
                (s.output_activation, s.loss) = LabSettings::usual_output(s.dataset);
                match s.build() {
                    Ok(run) => (s, run),
                    Err(_) => {
                        let s = LabSettings::default();
                        let run = s.build().expect("the default settings are valid");
                        (s, run)
                    }
                }
            }
        }
    }
}
