//! The learning-rate sweep: J after N steps, and the iterations needed to
//! meet the stopping conditions, against α on a log scale, each point a
//! descent run of its own from the same surface, start, update rule,
//! schedule and batches. It is computed a few points at a time, so that the
//! page never waits long for it.

use super::run::{Apply, DescentRun, StepOutcome};
use super::stop::StopRule;
pub use crate::sweep::{SweepPoint, SweepRange};

/// The run of one α: `like` (at its start, with its rule, schedule and batches) at α = `lr` for `steps` steps.
pub fn sweep_point(like: &DescentRun, lr: f64, steps: usize, stop: &StopRule) -> SweepPoint {
    let mut run = like.clone();
    run.reset();
    let mut point = SweepPoint { lr, value: None, test_value: None, diverged_at: None, reached: None };
    if run.set_lr(lr, Apply::Replay).is_err() {
        return point;
    }
    let until = StopRule { iterations: None, ..*stop };
    for _ in 0..steps {
        if point.reached.is_none() && until.met(&run).is_some() {
            point.reached = Some(run.iteration());
        }
        if let StepOutcome::Diverged(k) = run.step() {
            point.diverged_at = Some(k);
            return point;
        }
    }
    if point.reached.is_none() && until.met(&run).is_some() {
        point.reached = Some(run.iteration());
    }
    point.value = Some(run.current().value);
    point
}

/// A sweep being computed: its range, the run it varies, and the points so far.
#[derive(Clone, Debug)]
pub struct Sweep {
    range: SweepRange,
    like: DescentRun,
    stop: StopRule,
    points: Vec<SweepPoint>,
}

impl Sweep {
    /// A sweep of `range` over runs like `like` (its α aside), none computed yet.
    pub fn new(range: SweepRange, like: &DescentRun, stop: StopRule) -> Result<Sweep, String> {
        let mut like = like.clone();
        like.reset();
        Ok(Sweep { range: range.checked()?, like, stop, points: Vec::new() })
    }

    pub fn range(&self) -> SweepRange {
        self.range
    }

    /// The points computed so far, in order of α.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// Whether this sweep was made from `like` and `stop` (the same surface,
    /// start, rule, schedule and batches): else it is out of date.
    pub fn fits(&self, like: &DescentRun, stop: &StopRule) -> bool {
        let start = |run: &DescentRun| run.history()[0].clone();
        self.stop == *stop
            && self.like.surface() == like.surface()
            && self.like.optimizer() == like.optimizer()
            && self.like.schedule() == like.schedule()
            && self.like.batches() == like.batches()
            && start(&self.like).theta == start(like).theta
    }

    pub fn is_done(&self) -> bool {
        self.points.len() == self.range.count
    }

    /// Computes more points, at least one, until about `budget` steps are
    /// taken. Returns whether points remain.
    pub fn advance(&mut self, budget: usize) -> bool {
        let mut spent = 0;
        while !self.is_done() && (spent == 0 || spent + self.range.steps <= budget) {
            let lr = self.range.lr(self.points.len());
            self.points.push(sweep_point(&self.like, lr, self.range.steps, &self.stop));
            spent += self.range.steps;
        }
        !self.is_done()
    }

    /// The α of the sweep nearest `lr` on the log scale, when the sweep holds any.
    pub fn nearest(&self, lr: f64) -> Option<f64> {
        crate::sweep::nearest(&self.points, lr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::surface::Surface;
    use crate::named::Named;
    use crate::optim::Optimizer;
    use crate::random::Rng;

    #[test]
    fn the_sweeps_point_at_alpha_is_a_single_run_at_alpha() {
        let like = DescentRun::new(Surface::Rosenbrock, Optimizer::from_id("adam").unwrap(), 0.01, [-1.5, 2.0]).unwrap();
        let stop = StopRule::default();
        let mut sweep = Sweep::new(SweepRange { lo: 1e-3, hi: 1.0, count: 7, steps: 300 }, &like, stop).unwrap();
        while sweep.advance(1000) {}
        assert_eq!(sweep.points().len(), 7);
        for point in sweep.points() {
            let mut single = like.clone();
            single.set_lr(point.lr, Apply::Replay).unwrap();
            for _ in 0..300 {
                single.step();
            }
            assert_eq!(point.value, single.diverged_at().is_none().then(|| single.current().value), "α = {}", point.lr);
            let reached = StopRule { iterations: None, ..stop }.first_met(single.history()).map(|(t, _)| t);
            assert_eq!(point.reached, reached, "α = {}", point.lr);
        }
        assert_eq!(sweep.points()[0].lr, 1e-3);
        assert!((sweep.points()[3].lr - 10f64.powf(-1.5)).abs() < 1e-15, "evenly spaced on a log scale");
        assert_eq!(sweep.points()[6].lr, 1.0);
    }

    /// On a quadratic bowl plain descent multiplies the distance along the
    /// steepest axis by |1 − α·λmax| a step: J falls for α < 2/λmax and grows for α > 2/λmax.
    #[test]
    fn plain_descent_diverges_past_two_over_lambda_max_on_random_bowls() {
        let mut rng = Rng::new(11);
        for _ in 0..20 {
            let surface = Surface::Bowl { condition: 1.0 + 99.0 * rng.uniform(), angle_deg: 360.0 * rng.uniform() };
            let start = [2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0];
            let like = DescentRun::new(surface.clone(), Optimizer::Sgd, 0.01, start).unwrap();
            let bound = 2.0 / surface.hessian_eigenvalues().unwrap().into_iter().fold(0.0, f64::max);
            let never = StopRule { gradient: None, loss_change: None, step: None, iterations: None };
            let j0 = like.current().value;
            let below = sweep_point(&like, 0.98 * bound, 1000, &never);
            let above = sweep_point(&like, 1.02 * bound, 1000, &never);
            assert!(below.value.unwrap() < j0, "{surface:?}: α = 0.98·2/λmax must descend");
            assert!(above.value.is_none_or(|j| j > j0), "{surface:?}: α = 1.02·2/λmax must grow");
        }
    }

    /// The iteration cap is no condition met: a run that only reaches it has not "reached" anything.
    #[test]
    fn reaching_the_iteration_cap_is_not_meeting_a_condition() {
        let like = DescentRun::new(Surface::Rosenbrock, Optimizer::Sgd, 0.001, [-1.5, 2.0]).unwrap();
        let cap_only = StopRule { gradient: None, loss_change: None, step: None, iterations: Some(50) };
        let point = sweep_point(&like, 0.001, 100, &cap_only);
        assert_eq!((point.reached, point.diverged_at), (None, None));
        assert!(point.value.is_some());
    }

    #[test]
    fn a_sweep_is_computed_a_budget_at_a_time() {
        let like = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.1, [-0.8, 0.7]).unwrap();
        let mut sweep = Sweep::new(SweepRange { lo: 1e-3, hi: 1.0, count: 10, steps: 100 }, &like, StopRule::default()).unwrap();
        assert!(sweep.advance(250));
        assert_eq!(sweep.points().len(), 2, "two runs of 100 steps fit 250");
        assert!(sweep.advance(1));
        assert_eq!(sweep.points().len(), 3, "at least one a call");
        while sweep.advance(10_000) {}
        assert!(sweep.is_done());
        // J grows exactly for the α above 2/λmax = 0.2: 0.215, 0.464 and 1.
        let j0 = like.current().value;
        for p in sweep.points() {
            assert_eq!(p.value.is_none_or(|j| j > j0), p.lr > 0.2, "α = {}", p.lr);
        }
        assert_eq!(sweep.nearest(0.11), Some(sweep.points()[6].lr), "0.1 is nearer 0.11 than 0.215 on a log scale");
    }
}
