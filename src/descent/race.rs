//! Optimizers racing on one surface from one start: a [`Comparison`] of
//! descent runs, each with its own update rule, constants and α, sharing the
//! surface, the start, the schedule and the batches. Each run stops on its
//! own when it diverges or a stopping condition holds for it.

use crate::tr;
use serde::Serialize;

use super::run::{DescentRun, StepOutcome};
use super::stop::StopRule;
use super::surface::Surface;
use crate::compare::{Comparison, Lane};
use crate::draw::palette::LineStyle;
use crate::draw::race_paths::marker_shape;
use crate::format::sig;
use crate::named::Named;
use crate::optim::Optimizer;

impl Lane for DescentRun {
    fn position(&self) -> usize {
        self.iteration()
    }

    fn is_full(&self) -> bool {
        self.iteration() >= super::run::MAX_ITERATIONS
    }

    fn advance(&mut self) -> bool {
        matches!(self.step(), StepOutcome::Stepped(_))
    }

    fn rewind(&mut self, clock: usize) {
        self.rewind_to(clock);
    }

    fn restart(&mut self) {
        self.reset();
    }
}

/// The learning rate a race gives `optimizer` on `surface` by default: the
/// surface's own for the rules that scale the gradient (plain descent,
/// momentum, Nesterov); for the adaptive ones, whose steps are about α long
/// whatever the gradient, a fiftieth of the surface's box (a tenth for
/// AdaGrad, whose steps shrink as 1/√t), to one significant digit, and at
/// most the largest α a run takes (a typed box may be a million wide).
pub fn default_race_lr(optimizer: Optimizer, surface: &Surface) -> f64 {
    let view = surface.default_view();
    let width = (view.x_max - view.x_min).min(view.y_max - view.y_min);
    let rounded = |x: f64| sig(x, 1).parse::<f64>().unwrap_or(x).clamp(1e-12, super::run::MAX_LR);
    match optimizer {
        Optimizer::Sgd | Optimizer::Momentum { .. } | Optimizer::Nesterov { .. } => surface.default_lr(),
        Optimizer::Adagrad { .. } => rounded(width / 10.0),
        Optimizer::Rmsprop { .. } | Optimizer::Adam { .. } => rounded(width / 50.0),
    }
}

/// A race: its runs, and the one whose readout the page shows.
#[derive(Clone, Debug)]
pub struct Race {
    runs: Comparison<DescentRun>,
    picked: usize,
}

/// One row of the race's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RaceRow {
    pub optimizer: &'static str,
    /// The update rule's name, in the language now.
    pub label: String,
    pub lr: f64,
    pub iteration: usize,
    pub theta: [String; 2],
    pub value: String,
    pub grad_norm: String,
    /// "running", or where and why it stopped: a stopping condition or a divergence.
    pub status: String,
    /// The colour ("#rrggbb") and dash (dash, gap in pixels, or null) of its path and loss curve.
    pub colour: String,
    pub dash: Option<(u32, u32)>,
    /// The corners of its marker's shape around (0, 0), radius 1 (y down), as the surface chart draws it.
    pub marker: Vec<(f64, f64)>,
}

impl Race {
    /// Every update rule with its usual constants and its default race α
    /// ([`default_race_lr`]), each on a copy of `like` (its surface, start,
    /// schedule and batches), at the start.
    pub fn every_rule(like: &DescentRun) -> Race {
        let runs = Optimizer::ALL.iter().map(|&optimizer| Race::entrant(like, optimizer, default_race_lr(optimizer, like.surface())));
        Race { runs: Comparison::new(runs.collect()).expect("six rules, the most a race holds"), picked: 0 }
    }

    /// A race of `runs` (1 to 6) at their start, run `picked` shown.
    pub fn of(runs: Vec<DescentRun>, picked: usize) -> Result<Race, String> {
        let runs = Comparison::new(runs)?;
        let picked = picked.min(runs.runs().len() - 1);
        Ok(Race { runs, picked })
    }

    /// A copy of `like` at its start with `optimizer` and α = `lr`.
    pub(crate) fn entrant(like: &DescentRun, optimizer: Optimizer, lr: f64) -> DescentRun {
        let mut run = like.clone();
        run.reset();
        run.set_optimizer(optimizer, super::run::Apply::Replay);
        run.set_lr(lr, super::run::Apply::Replay).expect("a checked α");
        run
    }

    /// Up to `n` presses of Step, each run stopping on its own; fewer when no run can go on.
    pub fn step_times(&mut self, n: usize, stop: &StopRule) {
        for _ in 0..n {
            if !self.step(stop) {
                break;
            }
        }
    }

    /// What the legend and the hover text call each run: its rule, and its
    /// number too when another run races with the same rule.
    pub fn names(&self) -> Vec<String> {
        let runs = self.runs();
        runs.iter()
            .enumerate()
            .map(|(k, run)| {
                let label = run.optimizer().shown();
                let twins = runs.iter().filter(|r| r.optimizer().id() == run.optimizer().id()).count();
                if twins > 1 {
                    tr!("{label} (run {n})", label = label, n = k + 1)
                } else {
                    label
                }
            })
            .collect()
    }

    pub fn runs(&self) -> &[DescentRun] {
        self.runs.runs()
    }

    pub fn picked(&self) -> usize {
        self.picked
    }

    /// The run whose readout the page shows.
    pub fn picked_run(&self) -> &DescentRun {
        &self.runs()[self.picked]
    }

    pub fn clock(&self) -> usize {
        self.runs.clock()
    }

    /// Shows run `index`'s readout.
    pub fn pick(&mut self, index: usize) -> Result<(), String> {
        if index >= self.runs().len() {
            return Err(tr!("there is no run {a}", a = index + 1));
        }
        self.picked = index;
        Ok(())
    }

    /// One press of Step: every run that has not diverged and whose stopping
    /// condition does not hold steps. Returns whether any moved.
    pub fn step(&mut self, stop: &StopRule) -> bool {
        self.runs.step(|run| stop.met(run).is_some())
    }

    pub fn back(&mut self) -> bool {
        self.runs.back()
    }

    pub fn reset(&mut self) {
        self.runs.reset();
    }

    /// Adds a run of the first rule not racing yet, at its usual α for the
    /// surface, like the picked run otherwise. (Fewer than six runs always
    /// leave a rule out; six are the most a race holds, and a seventh is refused.)
    pub fn add(&mut self, stop: &StopRule) -> Result<(), String> {
        let like = self.picked_run().clone();
        let racing: Vec<&str> = self.runs().iter().map(|r| r.optimizer().id()).collect();
        let optimizer = Optimizer::ALL.iter().copied().find(|o| !racing.contains(&o.id())).unwrap_or(*like.optimizer());
        let lr = default_race_lr(optimizer, like.surface());
        self.runs.add(Race::entrant(&like, optimizer, lr), |run| stop.met(run).is_some())?;
        self.picked = self.runs().len() - 1;
        Ok(())
    }

    /// Removes run `index` (one always remains).
    pub fn remove(&mut self, index: usize) -> Result<(), String> {
        self.runs.remove(index)?;
        if self.picked >= index && self.picked > 0 {
            self.picked -= 1;
        }
        Ok(())
    }

    /// Changes the picked run with `change`, then runs it again up to the clock.
    pub fn change_picked(&mut self, change: impl FnOnce(&mut DescentRun) -> Result<(), String>, stop: &StopRule) -> Result<(), String> {
        self.runs.change(self.picked, change, |run| stop.met(run).is_some())
    }

    /// Changes every run with `change`, then runs each again up to the clock;
    /// on an error nothing changes.
    pub fn change_all(&mut self, change: impl Fn(&mut DescentRun) -> Result<(), String>, stop: &StopRule) -> Result<(), String> {
        self.runs.change_all(change, |run| stop.met(run).is_some())
    }

    /// Every run restarted from `start` at clock 0.
    pub fn restart_from(&mut self, start: [f64; 2]) -> Result<(), String> {
        let mut runs = self.runs().to_vec();
        runs.iter_mut().try_for_each(|run| run.set_start(start))?;
        self.runs = Comparison::new(runs)?;
        Ok(())
    }

    /// The rows of the race's table, numbers to `digits` significant digits.
    pub fn rows(&self, stop: &StopRule, digits: usize) -> Vec<RaceRow> {
        let n = |x: f64| sig(x, digits);
        self.runs()
            .iter()
            .enumerate()
            .map(|(k, run)| {
                let now = run.current();
                let status = match (run.diverged_at(), stop.first_met(run.history())) {
                    (Some(k), _) => tr!("diverged at {k}", k = k),
                    (None, Some((t, met))) => met.message(t, digits),
                    (None, None) => tr!("running"),
                };
                let style = LineStyle::of(k);
                RaceRow {
                    optimizer: run.optimizer().id(),
                    label: run.optimizer().shown(),
                    lr: run.lr(),
                    iteration: run.iteration(),
                    theta: now.theta.map(n),
                    value: n(now.value),
                    grad_norm: n(now.gradient[0].hypot(now.gradient[1])),
                    status,
                    colour: format!("#{:02x}{:02x}{:02x}", style.colour.0, style.colour.1, style.colour.2),
                    dash: style.dash,
                    marker: marker_shape(k),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quadratic() -> DescentRun {
        DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.05, [-0.8, 0.7]).unwrap()
    }

    /// A race of k runs is k single runs, step for step, and Back returns each exactly.
    #[test]
    fn a_race_of_every_rule_is_six_single_runs_step_for_step() {
        let never = StopRule { gradient: None, loss_change: None, step: None, iterations: None };
        let mut race = Race::every_rule(&quadratic());
        let mut singles: Vec<DescentRun> = race.runs().to_vec();
        let mut before = Vec::new();
        for _ in 0..40 {
            before.push(race.runs().to_vec());
            race.step(&never);
            singles.iter_mut().for_each(|run| {
                run.step();
            });
            for (raced, single) in race.runs().iter().zip(&singles) {
                assert_eq!(raced.history(), single.history());
            }
        }
        assert_eq!(
            race.runs().iter().map(|r| r.optimizer().id()).collect::<Vec<_>>(),
            ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
        );
        for expected in before.iter().rev() {
            assert!(race.back());
            for (got, want) in race.runs().iter().zip(expected) {
                assert_eq!(got.history(), want.history(), "θ, J, ∇J and the optimizer's memory, exactly");
            }
        }
        assert_eq!(race.clock(), 0);
    }

    #[test]
    fn a_run_that_diverges_stops_alone_and_its_row_says_when() {
        let stop = StopRule::default();
        let mut race = Race::of(vec![quadratic(), quadratic()], 0).unwrap();
        race.change_picked(|run| run.set_lr(5.0, super::super::run::Apply::Replay), &stop).unwrap();
        for _ in 0..400 {
            race.step(&stop);
        }
        let [wild, calm] = [&race.runs()[0], &race.runs()[1]];
        let k = wild.diverged_at().expect("α = 5 > 2/10 diverges on the quadratic");
        assert_eq!(wild.iteration(), k - 1);
        let rows = race.rows(&stop, 3);
        assert_eq!(rows[0].status, format!("diverged at {k}"));
        let (t, _) = stop.first_met(calm.history()).expect("α = 0.05 converges");
        assert_eq!(calm.iteration(), t, "the calm run stopped where its condition first held");
        assert!(rows[1].status.starts_with(&format!("Converged at iteration {t}: ‖∇J‖ = ")), "{}", rows[1].status);
        let (now, n) = (calm.current(), |x: f64| sig(x, 3));
        assert_eq!((rows[1].iteration, rows[1].lr), (calm.iteration(), 0.05));
        assert_eq!((rows[1].theta.clone(), rows[1].value.clone()), (now.theta.map(n), n(now.value)));
        assert_eq!(rows[1].grad_norm, n(now.gradient[0].hypot(now.gradient[1])));
        assert_ne!(rows[0].colour, rows[1].colour);
        assert_ne!(rows[0].dash, rows[1].dash, "told apart without colour too");
    }

    #[test]
    fn runs_are_added_picked_removed_and_restarted_together() {
        let stop = StopRule::default();
        let mut race = Race::of(vec![quadratic()], 0).unwrap();
        for _ in 0..10 {
            race.step(&stop);
        }
        race.add(&stop).unwrap();
        assert_eq!((race.picked(), race.picked_run().optimizer().id(), race.picked_run().iteration()), (1, "momentum", 10));
        assert_eq!(race.picked_run().lr(), default_race_lr(Optimizer::from_id("momentum").unwrap(), &Surface::Quadratic));
        for _ in 0..4 {
            race.add(&stop).unwrap();
        }
        assert!(race.add(&stop).unwrap_err().contains("at most 6"));
        race.remove(5).unwrap();
        assert_eq!(race.picked(), 4);
        race.pick(0).unwrap();
        assert!(race.pick(9).is_err());
        race.restart_from([0.5, -0.5]).unwrap();
        assert!(race.runs().iter().all(|r| r.iteration() == 0 && r.history()[0].theta == [0.5, -0.5]));
        assert_eq!(race.clock(), 0);
    }

    /// A run at the most iterations a run keeps takes no more presses: the clock stays, Step says no run moved.
    #[test]
    fn a_run_at_its_limit_stops_the_clock() {
        let never = StopRule { gradient: None, loss_change: None, step: None, iterations: None };
        let mut race = Race::of(vec![quadratic()], 0).unwrap();
        race.step_times(super::super::run::MAX_ITERATIONS + 5, &never);
        assert_eq!((race.clock(), race.picked_run().iteration()), (super::super::run::MAX_ITERATIONS, super::super::run::MAX_ITERATIONS));
        assert!(!race.step(&never));
        assert_eq!(race.clock(), super::super::run::MAX_ITERATIONS);
    }

    /// A race opened with a shown run past its runs shows the last; Reset takes every run and the clock to the start.
    #[test]
    fn the_picked_run_is_one_of_the_race_and_reset_restarts_all() {
        let stop = StopRule::default();
        let mut race = Race::of(vec![quadratic(), quadratic(), quadratic()], 7).unwrap();
        assert_eq!(race.picked(), 2);
        race.step_times(5, &stop);
        race.reset();
        assert_eq!(race.clock(), 0);
        assert!(race.runs().iter().all(|r| r.iteration() == 0));
        // Three runs of one rule are told apart by their numbers; a lone rule by its name alone.
        assert_eq!(race.names(), ["Gradient descent (run 1)", "Gradient descent (run 2)", "Gradient descent (run 3)"]);
        let solo = Race::of(vec![quadratic()], 0).unwrap();
        assert_eq!(solo.names(), ["Gradient descent"]);
    }

    /// Add races the rule left out at its usual α, whatever the shown run's α; removing a run keeps the same run shown.
    #[test]
    fn add_races_the_rule_left_out_and_remove_keeps_the_shown_run() {
        let stop = StopRule::default();
        let mut five = Race::every_rule(&quadratic());
        five.remove(5).unwrap();
        five.pick(1).unwrap();
        five.change_picked(|run| run.set_lr(0.0123, super::super::run::Apply::Replay), &stop).unwrap();
        five.add(&stop).unwrap();
        assert_eq!(five.picked_run().optimizer().id(), "adam", "the rule missing");
        assert_eq!(five.picked_run().lr(), default_race_lr(Optimizer::from_id("adam").unwrap(), &Surface::Quadratic));
        let mut full = Race::every_rule(&quadratic());
        full.remove(0).unwrap();
        full.pick(4).unwrap();
        full.change_picked(|run| run.set_lr(0.0321, super::super::run::Apply::Replay), &stop).unwrap();
        full.add(&stop).unwrap();
        assert_eq!(full.picked_run().optimizer().id(), "sgd", "the one rule missing");
        full.remove(0).unwrap();
        full.pick(2).unwrap();
        let shown = full.picked_run().optimizer().id();
        full.remove(1).unwrap();
        assert_eq!((full.picked(), full.picked_run().optimizer().id()), (1, shown), "a run before the shown one removed");
        full.remove(3).unwrap();
        assert_eq!((full.picked(), full.picked_run().optimizer().id()), (1, shown), "a run after it removed");
        full.pick(0).unwrap();
        full.remove(0).unwrap();
        assert_eq!(full.picked(), 0, "the first removed while shown: the next is shown");
    }

    #[test]
    fn adaptive_rules_race_at_a_step_sized_to_the_surface() {
        assert_eq!(default_race_lr(Optimizer::from_id("adam").unwrap(), &Surface::Himmelblau), 0.2, "a fiftieth of 10");
        assert_eq!(default_race_lr(Optimizer::from_id("adagrad").unwrap(), &Surface::Rosenbrock), 0.4, "a tenth of 4");
        assert_eq!(default_race_lr(Optimizer::Sgd, &Surface::Rosenbrock), 0.001);
        let wide = crate::descent::typed::TypedSurface::new("x^2 + y^2", crate::descent::surface::ViewBox::new(-1e5, 1e5, -1e5, 1e5));
        let wide = Surface::Typed(Box::new(wide.unwrap()));
        assert_eq!(default_race_lr(Optimizer::from_id("adagrad").unwrap(), &wide), 1000.0, "no more than a run takes");
        assert_eq!(Race::every_rule(&DescentRun::new(wide, Optimizer::Sgd, 0.1, [1.0, 1.0]).unwrap()).runs().len(), 6);
    }
}
