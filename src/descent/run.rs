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
        return Err("the learning rate is not a number; type a value such as 0.1".into());
    }
    if lr <= 0.0 {
        return Err(format!("the learning rate must be above 0 (got {lr}); a step of α ≤ 0 does not descend"));
    }
    if lr > MAX_LR {
        return Err(format!("the learning rate must be at most {MAX_LR} (got {lr})"));
    }
    Ok(lr)
}

fn check_point(p: [f64; 2]) -> Result<[f64; 2], String> {
    if p.iter().all(|v| v.is_finite()) {
        Ok(p)
    } else {
        Err(format!("the start point must be two finite numbers (got {}, {})", p[0], p[1]))
    }
}

impl DescentRun {
    pub fn new(surface: Surface, optimizer: Optimizer, lr: f64, start: [f64; 2]) -> Result<DescentRun, String> {
        let lr = check_lr(lr)?;
        let start = check_point(start)?;
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

    /// The pass over the data the next update belongs to (0 first), for mini-batches.
    pub fn epoch(&self) -> usize {
        match &self.surface {
            Surface::LinearRegression(data) => self.iteration() / self.batches.per_epoch(data.len()),
            _ => self.iteration(),
        }
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
        // (J or ∇J overflow a few steps earlier and show as ∞ until then).
        theta.iter().all(|v| v.is_finite()).then_some(next)
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
        for _ in 0..n {
            if !matches!(self.step(), StepOutcome::Stepped(_)) {
                break;
            }
        }
        self
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
            return Err("mini-batches need data: choose the linear-regression surface".into());
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
        for _ in 0..steps {
            if !matches!(self.step(), StepOutcome::Stepped(_)) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::named::Named;

    fn run(optimizer: &str) -> DescentRun {
        DescentRun::new(Surface::Quadratic, Optimizer::from_id(optimizer).unwrap(), 0.05, [-0.8, 0.7]).unwrap()
    }

    #[test]
    fn back_restores_theta_and_memory_exactly() {
        let mut r = run("adam");
        for _ in 0..5 {
            r.step();
        }
        let at5 = r.current().clone();
        r.step();
        r.step();
        assert!(r.back() && r.back());
        assert_eq!(r.current(), &at5);
        r.step();
        assert_eq!(r.iteration(), 6);
        r.reset();
        assert_eq!(r.iteration(), 0);
        assert!(!r.back());
    }

    #[test]
    fn replay_keeps_the_step_count_and_from_now_keeps_the_history() {
        let mut r = run("momentum");
        for _ in 0..10 {
            r.step();
        }
        let before = r.trajectory();
        r.set_lr(0.02, Apply::FromNow).unwrap();
        assert_eq!(r.trajectory(), before);
        r.step();
        assert_eq!(r.current().lr_used, Some(0.02));
        assert_eq!(r.history()[10].lr_used, Some(0.05));

        r.set_lr(0.01, Apply::Replay).unwrap();
        assert_eq!(r.iteration(), 11);
        assert!(r.history()[1..].iter().all(|s| s.lr_used == Some(0.01)));
        assert_ne!(r.trajectory()[..11], before[..]);
    }

    #[test]
    fn a_constant_changed_by_replay_reruns_the_steps_with_it() {
        let mut r = run("momentum");
        for _ in 0..5 {
            r.step();
        }
        let before = r.trajectory();
        r.set_hyper("momentum", 0.5, Apply::Replay).unwrap();
        assert_eq!(r.optimizer().hypers(), [("momentum", 0.5)]);
        assert_eq!(r.iteration(), 5);
        assert_ne!(r.trajectory(), before);
        assert!(r.set_hyper("momentum", 2.0, Apply::Replay).is_err());
        assert_eq!(r.optimizer().hypers(), [("momentum", 0.5)], "a refused constant changes nothing");
    }

    #[test]
    fn a_new_kind_of_optimizer_from_now_starts_with_fresh_memory() {
        let mut r = run("momentum");
        r.step();
        r.set_optimizer(Optimizer::from_id("adam").unwrap(), Apply::FromNow);
        assert_eq!(r.step(), StepOutcome::Stepped(2));
        assert_eq!(r.current().state.t, 1);
    }

    fn regression(batches: Batches) -> DescentRun {
        let surface = Surface::from_id("linear_regression").unwrap();
        DescentRun::new(surface, Optimizer::Sgd, 0.1, [0.0, 0.0]).unwrap().with_batches(batches).unwrap()
    }

    #[test]
    fn a_batch_of_all_m_rows_is_the_seeds_full_batch_run_exactly() {
        let (mut full, mut all) = (regression(Batches::Full), regression(Batches::seeded(30, 5, 30).unwrap()));
        for _ in 0..50 {
            full.step();
            all.step();
        }
        assert_eq!(all.history(), full.history());
        assert_eq!((all.epoch(), all.next_batch()), (50, None), "a pass an update; every row");
    }

    #[test]
    fn a_mini_batch_step_follows_its_batch_gradient_and_back_is_exact() {
        let mut r = regression(Batches::seeded(5, 2, 30).unwrap());
        for _ in 0..8 {
            r.step();
        }
        let Surface::LinearRegression(data) = r.surface().clone() else { unreachable!() };
        let rows = r.next_batch().expect("5 rows");
        assert_eq!((rows.len(), r.epoch()), (5, 1), "update 8 is the third of the second pass of six");
        let g = data.batch_gradient(r.current().theta, &rows);
        assert_eq!(r.next_gradient(), g);
        assert_ne!(g, r.current().gradient, "a batch's gradient is not the full one");
        let theta = r.current().theta;
        let at8 = r.current().clone();
        r.step();
        assert_eq!(r.current().theta, [theta[0] - 0.1 * g[0], theta[1] - 0.1 * g[1]]);
        assert_eq!(r.current().gradient, data.gradient(r.current().theta), "the snapshot keeps the full ∇J");
        r.back();
        assert_eq!(r.current(), &at8);
        assert_eq!(r.next_batch(), Some(rows), "the same batch again after Back");
        assert!(run("sgd").set_batches(Batches::seeded(5, 2, 30).unwrap(), Apply::Replay).is_err(), "no data, no batches");
    }

    #[test]
    fn a_schedule_sets_each_updates_alpha_and_survives_a_new_start() {
        let schedule = Schedule::Step { every: 2.0, gamma: 0.5 };
        let mut r = run("sgd").with_schedule(schedule).unwrap();
        for _ in 0..5 {
            r.step();
        }
        let alphas: Vec<Option<f64>> = r.history().iter().map(|s| s.lr_used).collect();
        assert_eq!(alphas, [None, Some(0.05), Some(0.05), Some(0.025), Some(0.025), Some(0.0125)]);
        assert_eq!(r.next_lr(), 0.0125);
        r.set_start([0.3, 0.3]).unwrap();
        assert_eq!(r.schedule(), &schedule);
        assert!(r.set_schedule(Schedule::Exponential { gamma: -1.0 }, Apply::Replay).is_err());
        assert_eq!(r.schedule(), &schedule, "a refused schedule changes nothing");
    }

    #[test]
    fn divergence_stops_the_run_and_back_resumes_it() {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 5.0, [0.5, 0.5]).unwrap();
        let mut outcome = StepOutcome::AtLimit;
        for _ in 0..1000 {
            outcome = r.step();
            if let StepOutcome::Diverged(_) = outcome {
                break;
            }
        }
        let StepOutcome::Diverged(k) = outcome else { panic!("α = 5 must diverge on the quadratic") };
        assert_eq!(r.iteration(), k - 1);
        assert_eq!(r.step(), StepOutcome::Diverged(k));
        assert_eq!(r.iteration(), k - 1);
        assert!(r.current().theta.iter().all(|v| v.is_finite()));
        assert!(r.back());
        assert_eq!(r.diverged_at(), None);
    }

    #[test]
    fn bad_learning_rates_and_starts_are_refused_with_a_reason() {
        let mut r = run("sgd");
        for bad in [0.0, -1.0, f64::NAN, 1e300, f64::INFINITY] {
            assert!(r.set_lr(bad, Apply::Replay).is_err(), "{bad}");
        }
        assert_eq!(r.lr(), 0.05);
        assert!(r.set_start([f64::NAN, 0.0]).is_err());
        assert!(DescentRun::new(Surface::Quadratic, Optimizer::Sgd, -1.0, [0.0, 0.0]).unwrap_err().contains("above 0"));
    }
}
