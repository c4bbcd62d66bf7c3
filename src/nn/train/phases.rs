//! Training one phase at a time: the update in progress, computed once from
//! the current weights and revealed phase by phase, and what it does to each
//! weight.

use super::{Scratch, TrainOutcome, TrainingRun};
use crate::nn::matrix::Mat;
use crate::nn::network::{Backward, Forward};
use crate::optim::ParamStep;

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

/// One parameter's part of the update in progress.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PendingUpdate {
    /// w before the update.
    pub before: f64,
    /// The optimizer's memory of w before the update (see [`ParamStep`]'s `first` and `second`).
    pub first_before: f64,
    pub second_before: f64,
    /// What the update computes for w.
    pub step: ParamStep,
    /// w after the update: `before` − α·`step.direction`.
    pub after: f64,
    /// The update's step count t (Adam's bias corrections use it).
    pub t: u32,
}

impl TrainingRun {
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

    /// Forward and backward on the next batch, from the weights `params`, kept for showing phase by phase.
    fn work_at(&self, params: &[f64], epoch: usize, batch: usize) -> UpdateWork {
        let mut scratch = Scratch::default();
        self.epoch_order(epoch, &mut scratch.order);
        let rows = self.batch_of(&scratch.order, batch).to_vec();
        scratch.batch_gradient(&self.network.arch, params, &self.train, &rows, self.config.l2);
        let loss = scratch.batch_loss(&self.network.arch);
        let Scratch { x, y, forward, backward, .. } = scratch;
        UpdateWork { batch: rows, x, y, forward, loss, backward }
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
            Some((work, _)) => {
                let now = self.current();
                let (mut params, mut state) = (now.params.clone(), self.state_from(&now.state));
                let (epoch, batch) = self.next_position(now.epoch, now.batch);
                if self.update(&mut params, &mut state, &work.backward.grad, work.loss) {
                    self.push(params, state, epoch, batch)
                } else {
                    self.diverge(now.epoch + 1)
                }
            }
        }
    }

    /// What the update in progress does to parameter `index`, as the
    /// optimizer computes it (while stepping by phases).
    pub fn pending_update(&self, index: usize) -> Option<PendingUpdate> {
        let (work, _) = self.work.as_ref()?;
        let now = self.current();
        let (mut params, mut state) = (now.params.clone(), self.state_from(&now.state));
        let memory = |v: &[f64]| v.get(index).copied().unwrap_or(0.0);
        let (first_before, second_before) = (memory(&state.first), memory(&state.second));
        let mut step = None;
        self.config.optimizer.apply_recorded(self.config.lr, &mut params, &work.backward.grad, &mut state, |i, s| {
            if i == index {
                step = Some(s);
            }
        });
        Some(PendingUpdate { before: *now.params.get(index)?, first_before, second_before, step: step?, after: params[index], t: state.t })
    }

    /// What the next update will change every weight and bias by (after − before), from
    /// the current weights, on the next batch, as the optimizer computes it; None without training points.
    pub fn next_update(&self) -> Option<Vec<f64>> {
        if self.train_data().is_empty() {
            return None;
        }
        let now = self.current();
        let work = self.work_at(&now.params, now.epoch, now.batch);
        let (mut params, mut state) = (now.params.clone(), self.state_from(&now.state));
        self.config.optimizer.apply(self.config.lr, &mut params, &work.backward.grad, &mut state);
        Some(params.iter().zip(&now.params).map(|(after, before)| after - before).collect())
    }
}
