//! Training a network, one update, one epoch or one phase of an update at a
//! time, with a history that steps back exactly.

use super::data::{class_of, shuffle, Dataset};
use super::matrix::Mat;
use super::network::{Architecture, Backward, Forward, Network};
use crate::optim::{OptimState, Optimizer};
use crate::random::Rng;
use crate::tr;

pub use phases::{PendingUpdate, Phase, UpdateWork};

/// The most snapshots a run keeps; stepping further says so.
pub const MAX_SNAPSHOTS: usize = 20_000;
/// The most numbers (weights and optimizer memory) the snapshots of a run may
/// hold together: 8 million doubles, 64 MB. Large networks keep fewer snapshots.
pub const MAX_SNAPSHOT_NUMBERS: usize = 8_000_000;

/// How the network is trained; read fresh at every update.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    pub optimizer: Optimizer,
    /// α, the learning rate.
    pub lr: f64,
    /// Examples per update; 0 or at least the number of training points means full batch.
    pub batch_size: usize,
    /// λ of the L2 penalty (λ/2)·Σ‖Wˡ‖², added to the loss the gradient descends (biases excluded).
    pub l2: f64,
    /// Seed of the order of the mini-batches.
    pub seed: u64,
}

/// Measurements at one point of training.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// L on all training points (without the L2 term).
    pub train_loss: f64,
    /// L on the test points, when there are any.
    pub test_loss: Option<f64>,
    /// Share of training and test points classified right (classification only).
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
    /// √(‖∂L/∂Wˡ‖²_F + ‖∂L/∂bˡ‖²) for l = 1 … L, on all training points.
    pub grad_norms: Vec<f64>,
}

/// The run at one point: after `batch` updates of epoch `epoch` (batch 0: the epoch's start).
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSnapshot {
    pub epoch: usize,
    pub batch: usize,
    pub params: Vec<f64>,
    pub state: OptimState,
    pub metrics: Metrics,
}

/// What a step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainOutcome {
    Stepped,
    /// The update gave a non-finite weight or loss at this epoch; the run stopped before it.
    Diverged(usize),
    AtLimit,
    /// There are no training points to learn from.
    NoData,
}

/// Storage reused from update to update, so that training allocates nothing
/// but the snapshots it keeps.
#[derive(Clone, Debug, Default)]
struct Scratch {
    /// The training rows in the order of the epoch.
    order: Vec<usize>,
    /// The inputs and targets of the batch.
    x: Mat,
    y: Mat,
    forward: Forward,
    backward: Backward,
}

impl Scratch {
    /// Forward and backward on the training rows `rows`, with the L2 term
    /// λ·Wˡ added to the weights' gradient.
    fn batch_gradient(&mut self, arch: &Architecture, params: &[f64], train: &Dataset, rows: &[usize], l2: f64) {
        self.x.gather_rows(&train.x, rows);
        self.y.gather_rows(&train.y, rows);
        arch.forward_into(params, &self.x, &mut self.forward);
        arch.backward_into(params, &self.x, &self.forward, &self.y, &mut self.backward);
        if l2 > 0.0 {
            for l in 1..=arch.layers() {
                let o = arch.offsets(l);
                for (g, w) in self.backward.grad[o.w..o.b].iter_mut().zip(&params[o.w..o.b]) {
                    *g += l2 * w;
                }
            }
        }
    }

    /// L of the batch of the last [`Scratch::batch_gradient`] (without L2).
    fn batch_loss(&self, arch: &Architecture) -> f64 {
        arch.loss.value(self.forward.a.last().expect("output"), &self.y)
    }
}

#[derive(Clone, Debug)]
pub struct TrainingRun {
    network: Network,
    train: Dataset,
    test: Dataset,
    pub config: TrainConfig,
    history: Vec<TrainSnapshot>,
    /// The training rows of epoch e in the order its updates take them, for
    /// the epochs listed (see [`TrainingRun::with_epoch_orders`]).
    orders: Vec<Vec<usize>>,
    /// The update in progress and the index of its current phase.
    work: Option<(UpdateWork, usize)>,
    diverged_at: Option<usize>,
    scratch: Scratch,
}

/// The share of rows whose output names the class of their target (see [`class_of`]).
fn accuracy(output: &Mat, y: &Mat) -> f64 {
    let right = (0..output.rows).filter(|&r| class_of(output.row(r)) == class_of(y.row(r))).count();
    right as f64 / output.rows.max(1) as f64
}

impl TrainingRun {
    pub fn new(network: Network, train: Dataset, test: Dataset, config: TrainConfig) -> Result<TrainingRun, String> {
        crate::descent::run::check_lr(config.lr)?;
        if train.x.cols != network.arch.sizes[0] {
            return Err(tr!("the data has {a} inputs but the network takes {b}", a = train.x.cols, b = network.arch.sizes[0]));
        }
        let outputs = network.arch.sizes[network.arch.layers()];
        if let Some(d) = [&train, &test].into_iter().find(|d| !d.is_empty() && d.y.cols != outputs) {
            return Err(tr!("the network has {outputs} outputs but the data has {a} targets a point", outputs = outputs, a = d.y.cols));
        }
        if !(config.l2 >= 0.0 && config.l2.is_finite()) {
            return Err(tr!("the L2 strength must be 0 or more (got {a})", a = crate::format::typed(config.l2)));
        }
        let state = config.optimizer.init_state(network.params.len());
        let mut run = TrainingRun {
            network,
            train,
            test,
            config,
            history: Vec::new(),
            orders: Vec::new(),
            work: None,
            diverged_at: None,
            scratch: Scratch::default(),
        };
        let params = run.network.params.clone();
        let metrics = run.measure(&params);
        run.history.push(TrainSnapshot { epoch: 0, batch: 0, params, state, metrics });
        Ok(run)
    }

    /// The same run with the rows of epoch e taken in the order `orders[e]`
    /// (each a permutation of the training rows), cut into batches of the
    /// batch size, instead of the seeded shuffle; epochs past the list shuffle.
    pub fn with_epoch_orders(mut self, orders: Vec<Vec<usize>>) -> Result<TrainingRun, String> {
        let n = self.train.len();
        for (e, order) in orders.iter().enumerate() {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            if sorted != (0..n).collect::<Vec<_>>() {
                return Err(tr!("the order of epoch {a} is not a permutation of the {n} training rows", a = e + 1, n = n));
            }
        }
        self.orders = orders;
        Ok(self)
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn train_data(&self) -> &Dataset {
        &self.train
    }

    pub fn test_data(&self) -> &Dataset {
        &self.test
    }

    pub fn history(&self) -> &[TrainSnapshot] {
        &self.history
    }

    pub fn current(&self) -> &TrainSnapshot {
        self.history.last().expect("a run always holds its start")
    }

    pub fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    /// The network with the current weights.
    pub fn current_network(&self) -> Network {
        Network { arch: self.network.arch.clone(), params: self.current().params.clone() }
    }

    /// The metrics of the weights `params`: two forward passes (training and
    /// test points) and one backward pass (training points).
    fn measure(&mut self, params: &[f64]) -> Metrics {
        let (arch, train, test, scratch) = (&self.network.arch, &self.train, &self.test, &mut self.scratch);
        arch.forward_into(params, &train.x, &mut scratch.forward);
        let output = scratch.forward.a.last().expect("output");
        let train_loss = arch.loss.value(output, &train.y);
        let classification = train.classification && !train.is_empty();
        let train_accuracy = classification.then(|| accuracy(output, &train.y));
        arch.backward_into(params, &train.x, &scratch.forward, &train.y, &mut scratch.backward);
        let grad_norms = arch.grad_norms(&scratch.backward.grad);
        let (test_loss, test_accuracy) = if test.is_empty() {
            (None, None)
        } else {
            arch.forward_into(params, &test.x, &mut scratch.forward);
            let out = scratch.forward.a.last().expect("output");
            (Some(arch.loss.value(out, &test.y)), classification.then(|| accuracy(out, &test.y)))
        };
        Metrics { train_loss, test_loss, train_accuracy, test_accuracy, grad_norms }
    }

    /// The training points of an update: the batch size asked, or all of them (0 or more than there are).
    pub fn batch_size(&self) -> usize {
        let n = self.train.len();
        if self.config.batch_size == 0 || self.config.batch_size >= n {
            n
        } else {
            self.config.batch_size
        }
    }

    /// Updates per epoch; 1 when there are no training points (nothing trains then).
    fn batches_per_epoch(&self) -> usize {
        self.train.len().div_ceil(self.batch_size().max(1)).max(1)
    }

    /// Where `snapshot` sits in epochs: its epoch plus the share of the epoch's updates done.
    pub fn epochs_at(&self, snapshot: &TrainSnapshot) -> f64 {
        snapshot.epoch as f64 + snapshot.batch as f64 / self.batches_per_epoch() as f64
    }

    /// The training rows of epoch `epoch` in the order its updates take them,
    /// into `order`: the order listed for it, else all rows in order for full
    /// batches, else a seeded shuffle (update b takes the b-th piece of the batch size).
    fn epoch_order(&self, epoch: usize, order: &mut Vec<usize>) {
        order.clear();
        if let Some(listed) = self.orders.get(epoch) {
            order.extend(listed);
            return;
        }
        order.extend(0..self.train.len());
        if self.batch_size() < self.train.len() {
            shuffle(order, &mut Rng::new(self.config.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ epoch as u64));
        }
    }

    /// The rows of update `batch` within the epoch's `order`.
    #[inline]
    fn batch_of<'a>(&self, order: &'a [usize], batch: usize) -> &'a [usize] {
        let size = self.batch_size();
        &order[batch * size..((batch + 1) * size).min(order.len())]
    }

    /// The optimizer's memory to continue from `state`: a copy when it is
    /// this optimizer's, fresh memory when the optimizer was changed.
    fn state_from(&self, state: &OptimState) -> OptimState {
        let (optimizer, n) = (self.config.optimizer, self.network.params.len());
        if optimizer.fits(state, n) {
            state.clone()
        } else {
            optimizer.init_state(n)
        }
    }

    /// One update of `params` and `state` by the gradient `grad`; false when
    /// a weight or the batch's `loss` is not finite.
    fn update(&self, params: &mut [f64], state: &mut OptimState, grad: &[f64], loss: f64) -> bool {
        self.config.optimizer.apply(self.config.lr, params, grad, state);
        loss.is_finite() && params.iter().all(|p| p.is_finite())
    }

    /// The position after update `batch` of epoch `epoch`.
    fn next_position(&self, epoch: usize, batch: usize) -> (usize, usize) {
        if batch + 1 >= self.batches_per_epoch() {
            (epoch + 1, 0)
        } else {
            (epoch, batch + 1)
        }
    }

    fn diverge(&mut self, epoch: usize) -> TrainOutcome {
        self.diverged_at = Some(epoch);
        TrainOutcome::Diverged(epoch)
    }

    fn push(&mut self, params: Vec<f64>, state: OptimState, epoch: usize, batch: usize) -> TrainOutcome {
        let metrics = self.measure(&params);
        if !metrics.train_loss.is_finite() {
            return self.diverge(epoch.max(1));
        }
        self.history.push(TrainSnapshot { epoch, batch, params, state, metrics });
        TrainOutcome::Stepped
    }

    /// How many snapshots this run may keep: [`MAX_SNAPSHOTS`], fewer when the
    /// weights and the optimizer's memory would pass [`MAX_SNAPSHOT_NUMBERS`].
    pub fn max_snapshots(&self) -> usize {
        let per_snapshot = 3 * self.network.params.len();
        (MAX_SNAPSHOT_NUMBERS / per_snapshot.max(1)).clamp(1, MAX_SNAPSHOTS)
    }

    fn guard(&self) -> Option<TrainOutcome> {
        if self.train.is_empty() {
            return Some(TrainOutcome::NoData);
        }
        if let Some(k) = self.diverged_at {
            return Some(TrainOutcome::Diverged(k));
        }
        (self.history.len() >= self.max_snapshots()).then_some(TrainOutcome::AtLimit)
    }

    /// Trains to the end of the current epoch (one update per batch) and keeps one snapshot.
    pub fn step_epoch(&mut self) -> TrainOutcome {
        if let Some(outcome) = self.guard() {
            return outcome;
        }
        self.work = None;
        let now = self.current();
        let (epoch, first_batch) = (now.epoch, now.batch);
        let mut params = now.params.clone();
        let mut state = self.state_from(&now.state);
        let mut scratch = std::mem::take(&mut self.scratch);
        let finite = self.finish_epoch(&mut params, &mut state, epoch, first_batch, &mut scratch);
        self.scratch = scratch;
        if !finite {
            return self.diverge(epoch + 1);
        }
        self.push(params, state, epoch + 1, 0)
    }

    /// The training loop alone: the updates from update `first_batch` of epoch
    /// `epoch` to the end of that epoch, on `params` and `state`. False when a
    /// weight is not finite at the end: one that stops being finite stays so
    /// through every update after it (w − α·d with w ±∞ or NaN is ±∞ or NaN),
    /// so the weights are looked at once an epoch, not after every update.
    fn finish_epoch(&self, params: &mut [f64], state: &mut OptimState, epoch: usize, first_batch: usize, scratch: &mut Scratch) -> bool {
        let mut order = std::mem::take(&mut scratch.order);
        self.epoch_order(epoch, &mut order);
        for batch in first_batch..self.batches_per_epoch() {
            let rows = self.batch_of(&order, batch);
            scratch.batch_gradient(&self.network.arch, params, &self.train, rows, self.config.l2);
            self.config.optimizer.apply(self.config.lr, params, &scratch.backward.grad, state);
        }
        scratch.order = order;
        params.iter().all(|p| p.is_finite())
    }

    /// `epochs` epochs from the current weights by the training loop alone —
    /// no snapshot kept, no metrics measured, the run left as it was — for
    /// timing the loop apart from what the page adds to it. Returns the
    /// weights reached, or None when training diverged on the way.
    pub fn train_unrecorded(&self, epochs: usize) -> Option<Vec<f64>> {
        let now = self.current();
        let mut params = now.params.clone();
        let mut state = self.state_from(&now.state);
        let mut scratch = Scratch::default();
        for k in 0..epochs {
            let (epoch, first_batch) = if k == 0 { (now.epoch, now.batch) } else { (now.epoch + k, 0) };
            if !self.finish_epoch(&mut params, &mut state, epoch, first_batch, &mut scratch) {
                return None;
            }
        }
        Some(params)
    }

    /// One phase back while inside an update, else one snapshot back. False at the start.
    pub fn back(&mut self) -> bool {
        self.diverged_at = None;
        match self.work.take() {
            Some((work, i)) if i > 0 => {
                self.work = Some((work, i - 1));
                true
            }
            Some(_) => true,
            None if self.history.len() > 1 => {
                self.history.pop();
                true
            }
            None => false,
        }
    }

    /// Back to the initial weights.
    pub fn reset(&mut self) {
        self.history.truncate(1);
        self.history[0].state = self.config.optimizer.init_state(self.network.params.len());
        self.work = None;
        self.diverged_at = None;
    }

    /// Changes α (or any setting) from the next update on; the history stays.
    pub fn set_config(&mut self, config: TrainConfig) -> Result<(), String> {
        crate::descent::run::check_lr(config.lr)?;
        if !(config.l2 >= 0.0 && config.l2.is_finite()) {
            return Err(tr!("the L2 strength must be 0 or more (got {a})", a = crate::format::typed(config.l2)));
        }
        self.config = config;
        self.work = None;
        Ok(())
    }
}

mod phases;
#[cfg(test)]
mod tests;
