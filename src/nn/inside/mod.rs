//! What is inside each layer as training goes on: the distribution of its
//! weights, gradients or activations at epochs of the run (a heat strip of
//! histograms, as TensorBoard's distributions), and its health now: saturated
//! units, dead ReLUs and the size of the next update against the weights.
//! Everything is computed from the run's snapshots, so Back and links give
//! the same pictures.

use super::activation::Activation;
use super::network::{Architecture, Backward, Forward};
use super::train::{TrainSnapshot, TrainingRun};
use super::views::Job;
use crate::named::Named;
use crate::tr;

/// What the distributions show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// The entries of Wˡ.
    Weights,
    /// The entries of ∂L/∂Wˡ over all training points (without the L2 term), on a log scale of |g|.
    Gradients,
    /// aˡ of every training point and neuron.
    Activations,
}

impl Named for Quantity {
    const WHAT: &'static str = "quantity";
    const ALL: &'static [Quantity] = &[Quantity::Weights, Quantity::Gradients, Quantity::Activations];

    fn id(self) -> &'static str {
        match self {
            Quantity::Weights => "weights",
            Quantity::Gradients => "gradients",
            Quantity::Activations => "activations",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Quantity::Weights => "weights Wˡ",
            Quantity::Gradients => "gradients ∂L/∂Wˡ (log |g|)",
            Quantity::Activations => "activations aˡ",
        }
    }
}

crate::serde_by_id!(Quantity);

/// Bins of each histogram.
pub const BINS: usize = 24;
/// The most epochs a strip shows; longer runs show evenly spaced ones.
pub const MAX_COLUMNS: usize = 40;
/// |a| this near a limit of sigmoid (0, 1) or tanh (−1, 1) counts as saturated.
pub const SATURATION_MARGIN: f64 = 0.01;
/// The usual rule of thumb for ‖ΔWˡ‖/‖Wˡ‖ of one update.
pub const UPDATE_RATIO_RULE: f64 = 1e-3;

/// One layer's histograms, one a column of the strip, over the same bins
/// (for gradients, the same bins in every layer).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStrip {
    /// The bins run from `lo` to `hi` in [`BINS`] equal steps, of the value or,
    /// when `log`, of log₁₀|value|.
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    /// `columns[c][b]`: how many values of column c fall in bin b.
    pub columns: Vec<Vec<usize>>,
    /// How many values of each column are exactly 0 (on a log scale they have no bin).
    pub zeros: Vec<usize>,
    /// How many values each column holds (the counts and zeros add up to it, less any non-finite).
    pub values: usize,
}

/// The strip of every layer, for the epochs `epochs` (the last is now).
#[derive(Clone, Debug, PartialEq)]
pub struct Strip {
    pub quantity: Quantity,
    /// Where each column stands, in epochs (an update into an epoch counts as a share of it).
    pub epochs: Vec<f64>,
    pub layers: Vec<LayerStrip>,
}

/// The values of `quantity` of every layer l = 1 … L at the weights `params`.
fn layer_values(run: &TrainingRun, params: &[f64], quantity: Quantity, fwd: &mut Forward, bwd: &mut Backward) -> Vec<Vec<f64>> {
    let arch: &Architecture = &run.network().arch;
    let train = run.train_data();
    match quantity {
        Quantity::Weights => (1..=arch.layers())
            .map(|l| {
                let o = arch.offsets(l);
                params[o.w..o.b].to_vec()
            })
            .collect(),
        Quantity::Activations => {
            arch.forward_into(params, &train.x, fwd);
            fwd.a.iter().map(|a| a.data.clone()).collect()
        }
        Quantity::Gradients => {
            if train.is_empty() {
                return vec![Vec::new(); arch.layers()];
            }
            arch.forward_into(params, &train.x, fwd);
            arch.backward_into(params, &train.x, fwd, &train.y, bwd);
            (1..=arch.layers())
                .map(|l| {
                    let o = arch.offsets(l);
                    bwd.grad[o.w..o.b].to_vec()
                })
                .collect()
        }
    }
}

/// Up to `most` snapshots of whole epochs, evenly spaced from the start, and the current one last.
fn columns_of(history: &[TrainSnapshot], most: usize) -> Vec<&TrainSnapshot> {
    let (now, whole) = history.split_last().expect("a run always holds its start");
    let whole: Vec<&TrainSnapshot> = whole.iter().filter(|s| s.batch == 0).collect();
    let stride = whole.len().div_ceil(most.saturating_sub(1).max(1)).max(1);
    whole.into_iter().step_by(stride).chain([now]).collect()
}

/// Where a value goes: its bin coordinate (the value or log₁₀|value|), None for 0 on a log scale or non-finite.
fn coordinate(v: f64, log: bool) -> Option<f64> {
    let c = if log { v.abs().log10() } else { v };
    c.is_finite().then_some(c)
}

/// The distributions of `quantity` in every layer at up to [`MAX_COLUMNS`] epochs of `run`.
pub fn strip(run: &TrainingRun, quantity: Quantity) -> Strip {
    let mut job = InsideJob::new(run, quantity);
    while job.values.len() < job.columns.len() {
        job.column(run);
    }
    job.binned(run.network().arch.layers())
}

/// The view inside each layer computed a column at a time (a pass over the
/// training points each, for activations and gradients), then the health of
/// every layer now: what the page shows, never holding up a frame.
#[derive(Clone, Debug)]
pub struct InsideJob {
    quantity: Quantity,
    /// The columns' snapshots: where each stands in epochs, and its weights.
    columns: Vec<(f64, Vec<f64>)>,
    /// The values of every layer of each column computed so far.
    values: Vec<Vec<Vec<f64>>>,
    /// The strip and every layer's health, once all is computed.
    picture: Option<(Strip, Vec<LayerHealth>)>,
    fwd: Forward,
    bwd: Backward,
}

impl InsideJob {
    /// The view of `quantity` in `run` now, nothing computed yet.
    pub fn new(run: &TrainingRun, quantity: Quantity) -> InsideJob {
        let columns = columns_of(run.history(), MAX_COLUMNS).into_iter().map(|s| (run.epochs_at(s), s.params.clone())).collect();
        InsideJob { quantity, columns, values: Vec::new(), picture: None, fwd: Forward::default(), bwd: Backward::default() }
    }

    /// The strip and every layer's health, once computed.
    pub fn picture(&self) -> Option<&(Strip, Vec<LayerHealth>)> {
        self.picture.as_ref()
    }

    /// Computes the next column's values.
    fn column(&mut self, run: &TrainingRun) {
        let params = &self.columns[self.values.len()].1;
        let values = layer_values(run, params, self.quantity, &mut self.fwd, &mut self.bwd);
        self.values.push(values);
    }

    /// The columns' values binned: each layer over its own range, gradients over one range for all layers.
    fn binned(&self, count: usize) -> Strip {
        let (values, log) = (&self.values, self.quantity == Quantity::Gradients);
        // Each layer's own range; gradients share one across the layers, so that
        // the rows show how many decades apart they are.
        let range_of = |layers: std::ops::Range<usize>| {
            let all = values.iter().flat_map(|column| column[layers.clone()].iter().flatten()).filter_map(|v| coordinate(*v, log));
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| (lo.min(c), hi.max(c)));
            if !lo.is_finite() {
                (-1.0, 1.0)
            } else if hi - lo < 1e-12 {
                (lo - 0.5, hi + 0.5)
            } else {
                (lo, hi)
            }
        };
        let shared = log.then(|| range_of(0..count));
        let layers = (0..count)
            .map(|l| {
                let (lo, hi) = shared.unwrap_or_else(|| range_of(l..l + 1));
                let mut zeros = Vec::with_capacity(values.len());
                let columns = values
                    .iter()
                    .map(|column| {
                        let mut counts = vec![0; BINS];
                        for c in column[l].iter().filter_map(|v| coordinate(*v, log)) {
                            counts[(((c - lo) / (hi - lo) * BINS as f64) as usize).min(BINS - 1)] += 1;
                        }
                        zeros.push(if log { column[l].iter().filter(|v| **v == 0.0).count() } else { 0 });
                        counts
                    })
                    .collect();
                LayerStrip { lo, hi, log, columns, zeros, values: values.first().map_or(0, |c| c[l].len()) }
            })
            .collect();
        Strip { quantity: self.quantity, epochs: self.columns.iter().map(|(epochs, _)| *epochs).collect(), layers }
    }
}

impl Job for InsideJob {
    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        for _ in 0..count.min(self.remaining()) {
            if self.values.len() < self.columns.len() {
                self.column(run);
            } else {
                let strip = self.binned(run.network().arch.layers());
                self.picture = Some((strip, health(run)));
                self.values = Vec::new();
            }
        }
        self.remaining()
    }

    fn remaining(&self) -> usize {
        if self.picture.is_some() {
            0
        } else {
            self.columns.len() - self.values.len() + 1
        }
    }

    fn progress(&self) -> usize {
        usize::from(self.picture.is_some())
    }
}

/// How a layer is doing at the current weights.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerHealth {
    pub activation: Activation,
    /// The share of aˡ values (every training point, every neuron) within
    /// [`SATURATION_MARGIN`] of a limit of a sigmoid or tanh layer, where its slope is nearly 0.
    pub saturated: Option<f64>,
    /// ReLU neurons whose a is 0 for every training point, and the layer's neurons: they learn nothing.
    pub dead: Option<(usize, usize)>,
    /// ‖ΔWˡ‖/‖Wˡ‖ of the next update (Frobenius norms).
    pub update_ratio: Option<f64>,
}

impl LayerHealth {
    /// In words: the activation, the saturated share or the dead ReLUs, and
    /// the update ratio against the rule of thumb.
    pub fn text(&self) -> String {
        let mut parts = vec![self.activation.id().to_string()];
        parts.extend(self.saturated.map(|s| tr!("saturated {share}", share = crate::format::percent(s))));
        parts.extend(self.dead.map(|(dead, of)| tr!("dead {dead} of {of}", dead = dead, of = of)));
        if let Some(r) = self.update_ratio {
            let verdict = if !r.is_finite() {
                tr!("no weights to compare with")
            } else if r < UPDATE_RATIO_RULE / 10.0 {
                tr!("far below 10⁻³: barely moves")
            } else if r > UPDATE_RATIO_RULE * 10.0 {
                tr!("far above 10⁻³: large steps")
            } else {
                tr!("near the usual 10⁻³")
            };
            parts.push(format!("‖ΔW‖/‖W‖ = {} ({verdict})", crate::format::sig(r, 2)));
        }
        parts.join(" · ")
    }
}

/// The health of every layer l = 1 … L now.
pub fn health(run: &TrainingRun) -> Vec<LayerHealth> {
    let arch = &run.network().arch;
    let params = &run.current().params;
    let train = run.train_data();
    let mut fwd = Forward::default();
    arch.forward_into(params, &train.x, &mut fwd);
    let delta = run.next_update();
    (1..=arch.layers())
        .map(|l| {
            let activation = arch.activations[l - 1];
            let a = &fwd.a[l - 1];
            let near = |v: f64| match activation {
                Activation::Sigmoid => v <= SATURATION_MARGIN || v >= 1.0 - SATURATION_MARGIN,
                _ => v.abs() >= 1.0 - SATURATION_MARGIN,
            };
            let saturated = (matches!(activation, Activation::Sigmoid | Activation::Tanh) && !train.is_empty())
                .then(|| a.data.iter().filter(|v| near(**v)).count() as f64 / a.data.len() as f64);
            let dead = (activation == Activation::Relu && !train.is_empty())
                .then(|| ((0..a.cols).filter(|&j| (0..a.rows).all(|r| a.get(r, j) == 0.0)).count(), a.cols));
            let o = arch.offsets(l);
            let norm = |w: &[f64]| w.iter().map(|v| v * v).sum::<f64>().sqrt();
            let update_ratio = delta.as_ref().map(|d| norm(&d[o.w..o.b]) / norm(&params[o.w..o.b]));
            LayerHealth { activation, saturated, dead, update_ratio }
        })
        .collect()
}

#[cfg(test)]
mod tests;
