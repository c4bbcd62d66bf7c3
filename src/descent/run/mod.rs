//! A descent run on a surface and its history, snapshot by snapshot.
//!
//! Each snapshot holds everything the next step needs (θ, the optimizer's
//! memory), so stepping back is exact and stepping again after a step back
//! takes the settings in force at that moment. Settings (α, its schedule, the
//! optimizer and its constants, the batches) are read fresh at every step.

use crate::descent::batches::Batches;
use crate::descent::schedule::Schedule;
use crate::descent::surface::Surface;
use crate::optim::{OptimState, Optimizer, ParamStep};
use crate::tr;

/// The largest learning rate accepted: anything above it diverges at once on
/// every built-in surface.
pub const MAX_LR: f64 = 1000.0;

/// The longest run kept; stepping further says so.
pub const MAX_ITERATIONS: usize = 100_000;

/// The run at iteration t.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// θₜ, the parameters.
    pub theta: [f64; 2],
    /// f(θₜ).
    pub value: f64,
    /// ∇f(θₜ).
    pub gradient: [f64; 2],
    /// The optimizer's memory after update t (fresh at t = 0).
    pub state: OptimState,
    /// The αₖ of the update that led to θₜ (none at t = 0).
    pub lr_used: Option<f64>,
    /// What that update computed for θ's two components (none at t = 0).
    pub update: Option<[ParamStep; 2]>,
}

/// What a press of Step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Moved to this iteration.
    Stepped(usize),
    /// The update of this iteration gave a non-finite value; the run stopped before it.
    Diverged(usize),
    /// The run holds [`MAX_ITERATIONS`] iterations already.
    AtLimit,
}

/// How a change of α or of the optimizer takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Apply {
    /// Re-run the same number of steps from the same start with the new settings.
    Replay,
    /// Keep the history; the new settings hold for the steps that follow.
    FromNow,
}

/// A gradient-descent run with its full history.
#[derive(Clone, Debug)]
pub struct DescentRun {
    surface: Surface,
    optimizer: Optimizer,
    /// α₀, the learning rate the schedule starts from.
    lr: f64,
    /// αₖ of update k from α₀.
    schedule: Schedule,
    /// The rows of the regression data each update uses.
    batches: Batches,
    /// history[t] is the run at iteration t; history[0] is the start.
    history: Vec<Snapshot>,
    /// The iteration whose update gave a non-finite value, once that happened.
    diverged_at: Option<usize>,
}

/// Checks a learning rate typed or slid by the user.
pub fn check_lr(lr: f64) -> Result<f64, String> {
    if lr.is_nan() {
        return Err(tr!("the learning rate is not a number; type a value such as 0.1"));
    }
    if lr <= 0.0 {
        return Err(tr!("the learning rate must be above 0 (got {lr}); a step of α ≤ 0 does not descend", lr = crate::format::typed(lr)));
    }
    if lr > MAX_LR {
        return Err(tr!("the learning rate must be at most {max_lr} (got {lr})", max_lr = MAX_LR, lr = crate::format::typed(lr)));
    }
    Ok(lr)
}

fn check_point(p: [f64; 2]) -> Result<[f64; 2], String> {
    if p.iter().all(|v| v.is_finite()) {
        Ok(p)
    } else {
        Err(tr!(
            "the start point must be two finite numbers (got {a}, {b})",
            a = crate::format::typed(p[0]),
            b = crate::format::typed(p[1])
        ))
    }
}

impl DescentRun {
    pub fn new(surface: Surface, optimizer: Optimizer, lr: f64, start: [f64; 2]) -> Result<DescentRun, String> {
        let lr = check_lr(lr)?;
        let mut start = check_point(start)?;
        // A curve has one variable: its second coordinate stays 0.
        if surface.curve().is_some() {
            start[1] = 0.0;
        }
        let first = Snapshot {
            theta: start,
            value: surface.value(start),
            gradient: surface.gradient(start),
            state: optimizer.init_state(2),
            lr_used: None,
            update: None,
        };
        Ok(DescentRun {
            surface,
            optimizer,
            lr,
            schedule: Schedule::Constant,
            batches: Batches::Full,
            history: vec![first],
            diverged_at: None,
        })
    }

    /// This run (at its start) with learning rates from `schedule`.
    pub fn with_schedule(mut self, schedule: Schedule) -> Result<DescentRun, String> {
        self.set_schedule(schedule, Apply::Replay)?;
        Ok(self)
    }

    /// This run (at its start) with updates over `batches` of the regression data.
    pub fn with_batches(mut self, batches: Batches) -> Result<DescentRun, String> {
        self.set_batches(batches, Apply::Replay)?;
        Ok(self)
    }

    pub fn surface(&self) -> &Surface {
        &self.surface
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// α₀, the learning rate the slider sets.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn batches(&self) -> &Batches {
        &self.batches
    }

    /// αₖ of the next update, k = t.
    pub fn next_lr(&self) -> f64 {
        self.schedule.lr(self.lr, self.iteration())
    }

    /// The rows of the regression data the next update uses, or None for every row.
    pub fn next_batch(&self) -> Option<Vec<usize>> {
        match &self.surface {
            Surface::LinearRegression(data) => self.batches.rows(self.iteration(), data.len()),
            _ => None,
        }
    }

    /// The gradient the next update follows at θₜ: the batch's ∇J_b, or the full ∇J.
    pub fn next_gradient(&self) -> [f64; 2] {
        match (&self.surface, self.next_batch()) {
            (Surface::LinearRegression(data), Some(rows)) => data.batch_gradient(self.current().theta, &rows),
            _ => self.current().gradient,
        }
    }

    /// The pass over the data the next update belongs to (0 first), on the regression.
    pub fn epoch(&self) -> Option<usize> {
        match &self.surface {
            Surface::LinearRegression(data) => Some(self.iteration() / self.batches.per_epoch(data.len())),
            _ => None,
        }
    }

    /// 2/λmax, the α above which this run diverges, when that bound holds:
    /// plain descent at a constant α with every row, on a quadratic surface.
    pub fn stability_bound(&self) -> Option<f64> {
        let plain = self.optimizer == Optimizer::Sgd && self.schedule == Schedule::Constant && self.batches == Batches::Full;
        self.surface.hessian_eigenvalues().filter(|_| plain).map(|[a, b]| 2.0 / a.max(b))
    }

    /// t, the current iteration.
    pub fn iteration(&self) -> usize {
        self.history.len() - 1
    }

    pub fn current(&self) -> &Snapshot {
        self.history.last().expect("a run always holds its start")
    }

    pub fn history(&self) -> &[Snapshot] {
        &self.history
    }

    /// θ₀, θ₁, … θₜ.
    pub fn trajectory(&self) -> Vec<[f64; 2]> {
        self.history.iter().map(|s| s.theta).collect()
    }

    pub fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    /// The snapshot the next step would reach, or `None` when θ would not be
    /// finite. Pure: the run is unchanged.
    pub fn preview(&self) -> Option<Snapshot> {
        let now = self.current();
        let mut state = if self.optimizer.fits(&now.state, 2) { now.state.clone() } else { self.optimizer.init_state(2) };
        let mut theta = now.theta;
        let mut update = [ParamStep::default(); 2];
        let lr = self.next_lr();
        self.optimizer.apply_recorded(lr, &mut theta, &self.next_gradient(), &mut state, |i, s| update[i] = s);
        let next = Snapshot {
            theta,
            value: self.surface.value(theta),
            gradient: self.surface.gradient(theta),
            state,
            lr_used: Some(lr),
            update: Some(update),
        };
        // As the seed defines divergence: θ itself is no longer a finite number
        // (J or ∇J overflow a few steps earlier and show as ∞ until then). A
        // typed f also stops where it or its gradient is not defined (NaN).
        let defined = !self.surface.is_typed() || !(next.value.is_nan() || next.gradient.iter().any(|g| g.is_nan()));
        (theta.iter().all(|v| v.is_finite()) && defined).then_some(next)
    }

    /// One update θₜ₊₁ from θₜ. After a divergence it does nothing.
    pub fn step(&mut self) -> StepOutcome {
        if let Some(k) = self.diverged_at {
            return StepOutcome::Diverged(k);
        }
        if self.iteration() >= MAX_ITERATIONS {
            return StepOutcome::AtLimit;
        }
        match self.preview() {
            Some(next) => {
                self.history.push(next);
                StepOutcome::Stepped(self.iteration())
            }
            None => {
                let k = self.iteration() + 1;
                self.diverged_at = Some(k);
                StepOutcome::Diverged(k)
            }
        }
    }

    /// Goes back one iteration, restoring θ and the optimizer's memory exactly.
    /// Returns false at iteration 0.
    pub fn back(&mut self) -> bool {
        self.diverged_at = None;
        if self.history.len() > 1 {
            self.history.pop();
            true
        } else {
            false
        }
    }

    /// This run after up to `n` more steps (fewer when it diverges or is full).
    pub fn stepped(mut self, n: usize) -> DescentRun {
        self.step_times(n);
        self
    }

    /// Up to `n` steps, fewer when the run diverges or is full.
    fn step_times(&mut self, n: usize) {
        for _ in 0..n {
            if !matches!(self.step(), StepOutcome::Stepped(_)) {
                break;
            }
        }
    }

    /// Back to iteration `t` (nothing changes when the run is there or
    /// before); a divergence met after update `t` is forgotten.
    pub fn rewind_to(&mut self, t: usize) {
        self.history.truncate(t + 1);
        if self.diverged_at.is_some_and(|k| k > t) {
            self.diverged_at = None;
        }
    }

    /// Back to iteration 0 from the same start.
    pub fn reset(&mut self) {
        self.history.truncate(1);
        self.history[0].state = self.optimizer.init_state(2);
        self.diverged_at = None;
    }

    /// A new start point; the run restarts from it.
    pub fn set_start(&mut self, start: [f64; 2]) -> Result<(), String> {
        let start = check_point(start)?;
        let fresh = DescentRun::new(self.surface.clone(), self.optimizer, self.lr, start)?;
        *self = DescentRun { schedule: self.schedule, batches: self.batches.clone(), ..fresh };
        Ok(())
    }

    /// Changes the learning-rate schedule (its constants checked), either
    /// replaying the run or from the next step on.
    pub fn set_schedule(&mut self, schedule: Schedule, apply: Apply) -> Result<(), String> {
        self.schedule = schedule.checked()?;
        self.apply(apply);
        Ok(())
    }

    /// Changes which rows each update uses (regression only), either replaying
    /// the run or from the next step on.
    pub fn set_batches(&mut self, batches: Batches, apply: Apply) -> Result<(), String> {
        if batches != Batches::Full && !matches!(self.surface, Surface::LinearRegression(_)) {
            return Err(tr!("mini-batches need data: choose the linear-regression surface"));
        }
        self.batches = batches;
        self.apply(apply);
        Ok(())
    }

    /// Changes α, either replaying the run or from the next step on.
    pub fn set_lr(&mut self, lr: f64, apply: Apply) -> Result<(), String> {
        self.lr = check_lr(lr)?;
        self.apply(apply);
        Ok(())
    }

    /// Changes the optimizer, either replaying the run or from the next step on
    /// (a different kind of optimizer then starts with fresh memory).
    pub fn set_optimizer(&mut self, optimizer: Optimizer, apply: Apply) {
        self.optimizer = optimizer;
        self.apply(apply);
    }

    /// Changes one constant of the optimizer (see [`Optimizer::set_hyper`]).
    pub fn set_hyper(&mut self, name: &str, value: f64, apply: Apply) -> Result<(), String> {
        let mut optimizer = self.optimizer;
        optimizer.set_hyper(name, value)?;
        self.set_optimizer(optimizer, apply);
        Ok(())
    }

    fn apply(&mut self, apply: Apply) {
        if apply == Apply::Replay {
            self.replay();
        }
    }

    /// Runs again from the start with the current settings, for as many steps
    /// as the run had (fewer if it now diverges).
    fn replay(&mut self) {
        let steps = self.iteration();
        self.reset();
        self.step_times(steps);
    }
}

#[cfg(test)]
mod tests;
