//! Training a network, one update, one epoch or one phase of an update at a
//! time, with a history that steps back exactly.

use super::data::{shuffle, Dataset};
use super::matrix::Mat;
use super::network::{Backward, Forward, Network};
use crate::optim::{OptimState, Optimizer};
use crate::random::Rng;

/// The most snapshots a run keeps; stepping further says so.
pub const MAX_SNAPSHOTS: usize = 20_000;
/// The most numbers (weights and optimizer memory) the snapshots of a run may
/// hold together: 8 million doubles, 64 MB. Large networks keep fewer snapshots.
pub const MAX_SNAPSHOT_NUMBERS: usize = 8_000_000;

/// How the network is trained; read fresh at every update.
#[derive(Clone, Copy, Debug, PartialEq)]
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

/// One phase of an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// zˡ and aˡ of layer l.
    Forward(usize),
    /// L on the batch.
    Loss,
    /// δˡ, ∂L/∂Wˡ and ∂L/∂bˡ of layer l.
    Backward(usize),
    /// Every weight and bias moves.
    Update,
}

/// The numbers of the update in progress, computed once from the current
/// weights and revealed phase by phase.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateWork {
    /// The training rows of this batch.
    pub batch: Vec<usize>,
    pub x: Mat,
    pub y: Mat,
    pub forward: Forward,
    pub loss: f64,
    pub backward: Backward,
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

#[derive(Clone, Debug)]
pub struct TrainingRun {
    network: Network,
    train: Dataset,
    test: Dataset,
    pub config: TrainConfig,
    history: Vec<TrainSnapshot>,
    /// The update in progress and the index of its current phase.
    work: Option<(UpdateWork, usize)>,
    diverged_at: Option<usize>,
}

fn accuracy(output: &Mat, y: &Mat) -> f64 {
    let right = output.data.iter().zip(&y.data).filter(|(a, t)| (**a >= 0.5) == (**t >= 0.5)).count();
    right as f64 / output.rows.max(1) as f64
}

impl TrainingRun {
    pub fn new(network: Network, train: Dataset, test: Dataset, config: TrainConfig) -> Result<TrainingRun, String> {
        crate::run::check_lr(config.lr)?;
        if train.x.cols != network.arch.sizes[0] {
            return Err(format!("the data has {} inputs but the network takes {}", train.x.cols, network.arch.sizes[0]));
        }
        if !(config.l2 >= 0.0 && config.l2.is_finite()) {
            return Err(format!("the L2 strength must be 0 or more (got {})", config.l2));
        }
        let state = config.optimizer.init_state(network.params.len());
        let mut run = TrainingRun { network, train, test, config, history: Vec::new(), work: None, diverged_at: None };
        let metrics = run.measure(&run.network.params);
        let params = run.network.params.clone();
        run.history.push(TrainSnapshot { epoch: 0, batch: 0, params, state, metrics });
        Ok(run)
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

    /// The update in progress and the phase reached, while stepping by phases.
    pub fn phase(&self) -> Option<(&UpdateWork, Phase)> {
        self.work.as_ref().map(|(work, i)| (work, self.phases()[*i]))
    }

    /// The phases of one update, in order.
    pub fn phases(&self) -> Vec<Phase> {
        let layers = self.network.arch.layers();
        let mut phases: Vec<Phase> = (1..=layers).map(Phase::Forward).collect();
        phases.push(Phase::Loss);
        phases.extend((1..=layers).rev().map(Phase::Backward));
        phases.push(Phase::Update);
        phases
    }

    /// The network with the current weights.
    pub fn current_network(&self) -> Network {
        Network { arch: self.network.arch.clone(), params: self.current().params.clone() }
    }

    fn measure(&self, params: &[f64]) -> Metrics {
        let net = Network { arch: self.network.arch.clone(), params: params.to_vec() };
        let fwd = net.forward(&self.train.x);
        let output = fwd.a.last().expect("output");
        let train_loss = net.loss(output, &self.train.y);
        let backward = net.backward(&self.train.x, &fwd, &self.train.y);
        let classification = self.train.classification && !self.train.is_empty();
        let (test_loss, test_accuracy) = if self.test.is_empty() {
            (None, None)
        } else {
            let out = net.predict(&self.test.x);
            (Some(net.loss(&out, &self.test.y)), classification.then(|| accuracy(&out, &self.test.y)))
        };
        Metrics {
            train_loss,
            test_loss,
            train_accuracy: classification.then(|| accuracy(output, &self.train.y)),
            test_accuracy,
            grad_norms: net.grad_norms(&backward.grad),
        }
    }

    fn batch_size(&self) -> usize {
        let n = self.train.len();
        if self.config.batch_size == 0 || self.config.batch_size >= n {
            n
        } else {
            self.config.batch_size
        }
    }

    fn batches_per_epoch(&self) -> usize {
        self.train.len().div_ceil(self.batch_size())
    }

    /// The training rows of update `batch` of epoch `epoch`: all rows in order
    /// for full batches, else a seeded shuffle of the epoch, cut in pieces.
    fn batch_rows(&self, epoch: usize, batch: usize) -> Vec<usize> {
        let n = self.train.len();
        let size = self.batch_size();
        let mut order: Vec<usize> = (0..n).collect();
        if size < n {
            shuffle(&mut order, &mut Rng::new(self.config.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ epoch as u64));
        }
        order[batch * size..((batch + 1) * size).min(n)].to_vec()
    }

    /// Forward and backward on the next batch, from the weights `params`.
    fn work_at(&self, params: &[f64], epoch: usize, batch: usize) -> UpdateWork {
        let net = Network { arch: self.network.arch.clone(), params: params.to_vec() };
        let rows = self.batch_rows(epoch, batch);
        let x = self.train.x.select_rows(&rows);
        let y = self.train.y.select_rows(&rows);
        let forward = net.forward(&x);
        let loss = net.loss(forward.a.last().expect("output"), &y);
        let mut backward = net.backward(&x, &forward, &y);
        if self.config.l2 > 0.0 {
            for l in 1..=net.arch.layers() {
                let o = net.arch.offsets(l);
                for (g, w) in backward.grad[o.w..o.b].iter_mut().zip(&params[o.w..o.b]) {
                    *g += self.config.l2 * w;
                }
            }
        }
        UpdateWork { batch: rows, x, y, forward, loss, backward }
    }

    /// Applies the update of `work` to the snapshot `from`; None when a value is not finite.
    fn apply(&self, from: &TrainSnapshot, work: &UpdateWork) -> Option<(Vec<f64>, OptimState, usize, usize)> {
        let optimizer = self.config.optimizer;
        let mut state =
            if optimizer.fits(&from.state, from.params.len()) { from.state.clone() } else { optimizer.init_state(from.params.len()) };
        let mut params = from.params.clone();
        optimizer.apply(self.config.lr, &mut params, &work.backward.grad, &mut state);
        if !params.iter().all(|p| p.is_finite()) || !work.loss.is_finite() {
            return None;
        }
        let (epoch, batch) = if from.batch + 1 >= self.batches_per_epoch() { (from.epoch + 1, 0) } else { (from.epoch, from.batch + 1) };
        Some((params, state, epoch, batch))
    }

    fn push(&mut self, params: Vec<f64>, state: OptimState, epoch: usize, batch: usize) -> TrainOutcome {
        let metrics = self.measure(&params);
        if !metrics.train_loss.is_finite() {
            self.diverged_at = Some(epoch.max(1));
            return TrainOutcome::Diverged(epoch.max(1));
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
        let mut at = self.current().clone();
        loop {
            let work = self.work_at(&at.params, at.epoch, at.batch);
            let Some((params, state, epoch, batch)) = self.apply(&at, &work) else {
                self.diverged_at = Some(at.epoch + 1);
                return TrainOutcome::Diverged(at.epoch + 1);
            };
            at = TrainSnapshot { epoch, batch, params, state, metrics: at.metrics };
            if batch == 0 {
                break;
            }
        }
        self.push(at.params, at.state, at.epoch, at.batch)
    }

    /// One phase of the next update; the last phase applies it.
    pub fn step_phase(&mut self) -> TrainOutcome {
        if let Some(outcome) = self.guard() {
            return outcome;
        }
        let last = self.phases().len() - 1;
        match self.work.take() {
            None => {
                let now = self.current();
                self.work = Some((self.work_at(&now.params, now.epoch, now.batch), 0));
                TrainOutcome::Stepped
            }
            Some((work, i)) if i < last => {
                self.work = Some((work, i + 1));
                TrainOutcome::Stepped
            }
            Some((work, _)) => match self.apply(self.current(), &work) {
                Some((params, state, epoch, batch)) => self.push(params, state, epoch, batch),
                None => {
                    let k = self.current().epoch + 1;
                    self.diverged_at = Some(k);
                    TrainOutcome::Diverged(k)
                }
            },
        }
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
        crate::run::check_lr(config.lr)?;
        if !(config.l2 >= 0.0 && config.l2.is_finite()) {
            return Err(format!("the L2 strength must be 0 or more (got {})", config.l2));
        }
        self.config = config;
        self.work = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::DataSpec;
    use crate::nn::network::{Architecture, Init, Loss};

    fn run(batch_size: usize, optimizer: &str) -> TrainingRun {
        let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
        let net = Network::init(arch, Init::Xavier, 1).unwrap();
        let data = Dataset::generate("xor", DataSpec { points: 60, noise: 0.1, seed: 2 }).unwrap();
        let (train, test) = data.split(0.75, 2).unwrap();
        let config = TrainConfig { optimizer: Optimizer::from_id(optimizer).unwrap(), lr: 0.3, batch_size, l2: 0.0, seed: 9 };
        TrainingRun::new(net, train, test, config).unwrap()
    }

    #[test]
    fn epochs_step_back_exactly_and_replay_the_same() {
        let mut r = run(10, "adam");
        for _ in 0..3 {
            assert_eq!(r.step_epoch(), TrainOutcome::Stepped);
        }
        let at3 = r.current().clone();
        assert_eq!((at3.epoch, at3.batch), (3, 0));
        r.step_epoch();
        assert!(r.back());
        assert_eq!(r.current(), &at3);
        r.step_epoch();
        let at4 = r.current().clone();
        r.reset();
        for _ in 0..4 {
            r.step_epoch();
        }
        assert_eq!(r.current(), &at4, "seeded batches make a replay exact");
        assert!(r.current().metrics.train_loss < r.history()[0].metrics.train_loss);
    }

    #[test]
    fn phases_walk_forward_loss_backward_update_and_equal_one_update() {
        let mut r = run(0, "sgd");
        let mut seen = Vec::new();
        loop {
            r.step_phase();
            match r.phase() {
                Some((_, phase)) => seen.push(phase),
                None => break,
            }
        }
        use Phase::*;
        assert_eq!(seen, vec![Forward(1), Forward(2), Loss, Backward(2), Backward(1), Update]);
        let by_phases = r.current().clone();
        r.back();
        r.step_epoch();
        assert_eq!(r.current(), &by_phases, "full batch: one update is one epoch");
        r.step_phase();
        r.step_phase();
        assert!(r.back() && r.back());
        assert!(r.phase().is_none());
        assert_eq!(r.current(), &by_phases);
    }

    #[test]
    fn without_points_a_run_shows_its_network_but_does_not_step() {
        let small = run(0, "sgd");
        let empty = Dataset::empty(true, 2);
        let mut r = TrainingRun::new(small.network().clone(), empty.clone(), empty, small.config).unwrap();
        assert_eq!(r.step_epoch(), TrainOutcome::NoData);
        assert_eq!(r.step_phase(), TrainOutcome::NoData);
        assert_eq!(r.current().metrics.train_loss, 0.0);
        assert_eq!(r.current().metrics.train_accuracy, None);
        assert!(!r.back());
    }

    #[test]
    fn large_networks_keep_fewer_snapshots() {
        assert_eq!(run(0, "sgd").max_snapshots(), MAX_SNAPSHOTS);
        let arch = Architecture { sizes: vec![2, 16, 16, 16, 16, 16, 16, 1], activations: vec![Activation::Tanh; 7], loss: Loss::Mse };
        let net = Network::init(arch, Init::Xavier, 1).unwrap();
        let small = run(0, "sgd");
        let big = TrainingRun::new(net, small.train_data().clone(), small.test_data().clone(), small.config).unwrap();
        let kept = big.max_snapshots();
        assert!((1000..MAX_SNAPSHOTS).contains(&kept), "{kept}");
        assert!(kept * 3 * big.network().params.len() <= MAX_SNAPSHOT_NUMBERS);
    }

    #[test]
    fn divergence_stops_training() {
        let small = run(0, "sgd");
        let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Relu, Activation::Linear], loss: Loss::Mse };
        let net = Network::init(arch, Init::He, 1).unwrap();
        let config = TrainConfig { lr: 1000.0, ..small.config };
        let mut r = TrainingRun::new(net, small.train_data().clone(), small.test_data().clone(), config).unwrap();
        let mut outcome = TrainOutcome::Stepped;
        for _ in 0..200 {
            outcome = r.step_epoch();
            if outcome != TrainOutcome::Stepped {
                break;
            }
        }
        assert!(matches!(outcome, TrainOutcome::Diverged(_)), "{outcome:?}");
        let epochs = r.current().epoch;
        assert!(matches!(r.step_epoch(), TrainOutcome::Diverged(_)));
        assert_eq!(r.current().epoch, epochs);
        assert!(r.set_config(TrainConfig { lr: -1.0, ..r.config }).is_err());
        assert!(r.back(), "back clears the divergence and goes one epoch back");
        assert_eq!(r.step_epoch(), TrainOutcome::Stepped);
        assert_eq!(r.step_epoch(), TrainOutcome::Diverged(epochs + 1), "the same update diverges again");
    }
}
