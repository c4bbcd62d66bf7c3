//! The descent lab's model: a run on a surface, or a race of runs (one per
//! update rule) on it; the path a run had before the last change of settings
//! (the ghost, drawn dashed to compare); its links and the state the page
//! shows. The page's handle (`web::DescentLab`) only adapts it to JavaScript
//! and draws.

mod describe;
mod state;
#[cfg(test)]
mod tests;

use super::batches::Batches;
use super::curve::CurveSurface;
use super::race::Race;
use super::run::{check_lr, Apply, DescentRun, StepOutcome};
use super::schedule::Schedule;
use super::stop::{Stop, StopRule};
use super::surface::{Surface, ViewBox, MAX_VIEW_GROWTH};
use super::sweep::{Sweep, SweepRange};
use super::typed::TypedSurface;
use crate::named::Named;
use crate::optim::Optimizer;

/// How a change of settings takes effect: replayed from the start, or from the next step on.
fn apply_mode(replay: bool) -> Apply {
    if replay {
        Apply::Replay
    } else {
        Apply::FromNow
    }
}

/// How near, in pixels, a click snaps to a minimum or an axis.
pub const SNAP_PIXELS: f64 = 5.0;

/// The lab's runs: one, or a race.
#[derive(Clone, Debug)]
enum Runs {
    One(DescentRun),
    Race(Race),
}

/// The descent lab.
#[derive(Clone, Debug)]
pub struct DescentLab {
    runs: Runs,
    /// The trajectory before the settings were last changed by a replay (one run only).
    ghost: Option<Vec<[f64; 2]>>,
    /// Whether the next replay takes a new ghost (true once an adjustment ended).
    ghost_open: bool,
    /// When Play stops by itself (in a race, each run by itself).
    stop: StopRule,
    /// The learning-rate sweep, when it is shown (of the shown run).
    sweep: Option<Sweep>,
}

impl Default for DescentLab {
    /// The seed's linear regression with plain gradient descent.
    fn default() -> Self {
        DescentLab::fresh(Surface::from_id("linear_regression").expect("built in"), Optimizer::Sgd)
    }
}

impl DescentLab {
    /// A run on `surface` from its default start at its default α.
    fn fresh(surface: Surface, optimizer: Optimizer) -> DescentLab {
        let (lr, start) = (surface.default_lr(), surface.default_start());
        let run = DescentRun::new(surface, optimizer, lr, start).expect("built-in defaults are valid");
        DescentLab { runs: Runs::One(run), ghost: None, ghost_open: true, stop: StopRule::default(), sweep: None }
    }

    /// The run the readout shows: the only one, or the race's picked run.
    pub fn run(&self) -> &DescentRun {
        match &self.runs {
            Runs::One(run) => run,
            Runs::Race(race) => race.picked_run(),
        }
    }

    /// The race, when the lab races.
    pub fn race(&self) -> Option<&Race> {
        match &self.runs {
            Runs::One(_) => None,
            Runs::Race(race) => Some(race),
        }
    }

    /// Every run: the only one, or each of the race's.
    pub fn all_runs(&self) -> &[DescentRun] {
        match &self.runs {
            Runs::One(run) => std::slice::from_ref(run),
            Runs::Race(race) => race.runs(),
        }
    }

    /// The path before the last replayed change, if any.
    pub fn ghost(&self) -> Option<&[[f64; 2]]> {
        self.ghost.as_deref()
    }

    fn clear_ghost(&mut self) {
        self.ghost = None;
        self.ghost_open = true;
    }

    /// Keeps the trajectory as the ghost if this change starts a new adjustment
    /// (one run only, that has taken a step: a start alone is no path to compare with).
    fn take_ghost(&mut self) {
        if let (true, Runs::One(run)) = (self.ghost_open, &self.runs) {
            self.ghost = (run.iteration() > 0).then(|| run.trajectory());
            self.ghost_open = false;
        }
    }

    /// Ends a continuous adjustment (the slider was let go): the next change takes a new ghost.
    pub fn end_adjust(&mut self) {
        self.ghost_open = true;
    }

    /// Changes the run the readout shows with `change`: the only run (taking
    /// a ghost when it replays), or the race's picked run, which then runs
    /// again from its start up to the race's clock.
    fn change_shown(&mut self, replay: bool, change: impl FnOnce(&mut DescentRun, Apply) -> Result<(), String>) -> Result<(), String> {
        if replay {
            self.take_ghost();
        }
        let stop = self.stop;
        match &mut self.runs {
            Runs::One(run) => change(run, apply_mode(replay)),
            Runs::Race(race) => race.change_picked(|run| change(run, Apply::Replay), &stop),
        }
    }

    /// Changes every run with `change` (what they share: the schedule, the
    /// batches), each replayed or from the next step on; on an error nothing changes.
    fn change_every(&mut self, replay: bool, change: impl Fn(&mut DescentRun, Apply) -> Result<(), String>) -> Result<(), String> {
        if replay {
            self.take_ghost();
        }
        let stop = self.stop;
        match &mut self.runs {
            Runs::One(run) => {
                let mut changed = run.clone();
                change(&mut changed, apply_mode(replay))?;
                *run = changed;
                Ok(())
            }
            Runs::Race(race) => race.change_all(|run| change(run, Apply::Replay), &stop),
        }
    }

    /// Every run rebuilt by `rebuild` from its optimizer, α and schedule, at
    /// its start (a new surface or start); a race keeps racing from clock 0.
    fn rebuild(&mut self, rebuild: impl Fn(&DescentRun) -> Result<DescentRun, String>) -> Result<(), String> {
        let runs = self.all_runs().iter().map(&rebuild).collect::<Result<Vec<_>, _>>()?;
        self.runs = match &self.runs {
            Runs::One(_) => Runs::One(runs.into_iter().next().expect("one run")),
            Runs::Race(race) => Runs::Race(Race::of(runs, race.picked())?),
        };
        self.clear_ghost();
        Ok(())
    }

    /// Chooses a surface by id; every run restarts at its default start, at
    /// its default α (in a race, the race's default for its rule); the
    /// schedule and the stopping conditions stay, the batches are full.
    pub fn set_surface(&mut self, id: &str) -> Result<(), String> {
        self.use_surface(Surface::from_id(id)?)
    }

    /// Uses f typed as `text` over `view` (see [`TypedSurface`]), as
    /// [`DescentLab::set_surface`] uses a built-in one; text or a box that
    /// cannot be used is refused with the reason, and the function in force kept.
    pub fn set_function(&mut self, text: &str, view: ViewBox) -> Result<(), String> {
        self.use_surface(Surface::Typed(Box::new(TypedSurface::new(text, view)?)))
    }

    /// Uses f(x) typed as `text` over x in `range` (one variable), as [`DescentLab::set_function`] does.
    pub fn set_curve(&mut self, text: &str, range: (f64, f64)) -> Result<(), String> {
        self.use_surface(Surface::Curve(Box::new(CurveSurface::typed(text, range)?)))
    }

    fn use_surface(&mut self, surface: Surface) -> Result<(), String> {
        let racing = self.race().is_some();
        self.rebuild(|run| {
            let optimizer = *run.optimizer();
            let lr = if racing { super::race::default_race_lr(optimizer, &surface) } else { surface.default_lr() };
            DescentRun::new(surface.clone(), optimizer, lr, surface.default_start())?.with_schedule(*run.schedule())
        })
    }

    pub fn stop_rule(&self) -> StopRule {
        self.stop
    }

    /// Sets when Play stops by itself; a rule with a threshold that is not a
    /// positive number is refused and the rule in force is kept.
    pub fn set_stop_rule(&mut self, rule: StopRule) -> Result<(), String> {
        self.stop = rule.checked()?;
        // In a race each run stops where the new rule says: run each again up to the clock.
        if let Runs::Race(race) = &mut self.runs {
            race.change_all(|_| Ok(()), &self.stop)?;
        }
        Ok(())
    }

    /// The first iteration at which a stopping condition held for the shown
    /// run, and which, if any (marked on the loss chart).
    pub fn stopped_at(&self) -> Option<(usize, Stop)> {
        self.stop.first_met(self.run().history())
    }

    /// The stopping condition that holds for the shown run now, if any.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop.met(self.run())
    }

    /// Runs on until a stopping condition holds, the run diverges or reaches
    /// its limit (in a race: until no run can go on), taking at most `budget`
    /// steps (the page calls it frame by frame, so it stays responsive).
    /// Returns whether it should go on.
    pub fn run_on(&mut self, budget: u32) -> bool {
        for _ in 0..budget {
            let went_on = match &mut self.runs {
                Runs::One(run) => self.stop.met(run).is_none() && matches!(run.step(), StepOutcome::Stepped(_)),
                Runs::Race(race) => race.step(&self.stop),
            };
            if !went_on {
                return false;
            }
        }
        match &self.runs {
            Runs::One(run) => self.stop.met(run).is_none(),
            Runs::Race(_) => true,
        }
    }

    /// Sets the bowl's condition number λ₂/λ₁ (1 to 1000) and the angle of its
    /// long axis in degrees; every run restarts from the same start.
    pub fn set_bowl(&mut self, condition: f64, angle_deg: f64) -> Result<(), String> {
        if !(1.0..=1000.0).contains(&condition) {
            return Err(format!("the condition number must be between 1 and 1000 (got {})", crate::format::typed(condition)));
        }
        if !angle_deg.is_finite() {
            return Err("the angle must be a number of degrees".into());
        }
        self.rebuild(|run| {
            let start = run.history()[0].theta;
            DescentRun::new(Surface::Bowl { condition, angle_deg }, *run.optimizer(), run.lr(), start)?.with_schedule(*run.schedule())
        })
    }

    /// Chooses the shown run's optimizer by id, with its usual constants.
    pub fn set_optimizer(&mut self, id: &str, replay: bool) -> Result<(), String> {
        let optimizer = Optimizer::from_id(id)?;
        self.change_shown(replay, |run, apply| {
            run.set_optimizer(optimizer, apply);
            Ok(())
        })
    }

    /// Sets one constant of the shown run's optimizer (momentum, rho, beta1, beta2, eps).
    pub fn set_hyper(&mut self, name: &str, value: f64, replay: bool) -> Result<(), String> {
        self.run().optimizer().clone().set_hyper(name, value)?;
        self.change_shown(replay, |run, apply| run.set_hyper(name, value, apply))
    }

    /// Sets the shown run's α: with `replay`, the run is re-run from its start
    /// for as many steps; otherwise α holds from the next step on.
    pub fn set_learning_rate(&mut self, lr: f64, replay: bool) -> Result<(), String> {
        check_lr(lr)?;
        self.change_shown(replay, |run, apply| run.set_lr(lr, apply))
    }

    /// Chooses a learning-rate schedule by id, with its usual constants (for every run).
    pub fn set_schedule(&mut self, id: &str, replay: bool) -> Result<(), String> {
        let schedule = Schedule::from_id(id)?;
        self.change_every(replay, |run, apply| run.set_schedule(schedule, apply))
    }

    /// Sets one constant of the schedule (every, gamma, decay, steps, alpha_min, warmup).
    pub fn set_schedule_param(&mut self, name: &str, value: f64, replay: bool) -> Result<(), String> {
        let mut schedule = *self.run().schedule();
        schedule.set_param(name, value)?;
        self.change_every(replay, |run, apply| run.set_schedule(schedule, apply))
    }

    /// Sets the batch size (1 … m; m is the seed's full batch) and the seed of
    /// the shuffles, on the regression surface (for every run).
    pub fn set_batches(&mut self, size: usize, seed: u64, replay: bool) -> Result<(), String> {
        let Surface::LinearRegression(data) = self.run().surface() else {
            return Err("mini-batches need data: choose the linear-regression surface".into());
        };
        let batches = Batches::seeded(size, seed, data.len())?;
        self.change_every(replay, |run, apply| run.set_batches(batches.clone(), apply))
    }

    /// Up to `n` steps (at least one), stopping at a divergence or the limit.
    /// In a race, up to `n` presses, each run stopping on its own; the outcome
    /// is the shown run's.
    pub fn step_many(&mut self, n: u32) -> StepOutcome {
        match &mut self.runs {
            Runs::One(run) => {
                let mut outcome = run.step();
                for _ in 1..n {
                    if !matches!(outcome, StepOutcome::Stepped(_)) {
                        break;
                    }
                    outcome = run.step();
                }
                outcome
            }
            Runs::Race(race) => {
                race.step_times(n as usize, &self.stop);
                match race.picked_run().diverged_at() {
                    Some(k) => StepOutcome::Diverged(k),
                    None => StepOutcome::Stepped(race.picked_run().iteration()),
                }
            }
        }
    }

    /// One step back (in a race, one press back for every run); false at the start.
    pub fn back(&mut self) -> bool {
        match &mut self.runs {
            Runs::One(run) => run.back(),
            Runs::Race(race) => race.back(),
        }
    }

    /// Back to the start.
    pub fn reset(&mut self) {
        match &mut self.runs {
            Runs::One(run) => run.reset(),
            Runs::Race(race) => race.reset(),
        }
        self.clear_ghost();
    }

    /// A new start point: every run restarts there.
    pub fn set_start(&mut self, start: [f64; 2]) -> Result<(), String> {
        match &mut self.runs {
            Runs::One(run) => run.set_start(start)?,
            Runs::Race(race) => race.restart_from(start)?,
        }
        self.clear_ghost();
        Ok(())
    }

    /// Starts a race of every update rule from the shown run's surface,
    /// start, schedule and batches; or, with `on` false, ends it, going on
    /// with the shown run alone.
    pub fn set_racing(&mut self, on: bool) {
        self.runs = match (&self.runs, on) {
            (Runs::One(run), true) => Runs::Race(Race::every_rule(run)),
            (Runs::Race(race), false) => Runs::One(race.picked_run().clone()),
            _ => return,
        };
        self.clear_ghost();
    }

    /// The race, for a change to it; an error when the lab does not race.
    fn racing(&mut self) -> Result<&mut Race, String> {
        match &mut self.runs {
            Runs::Race(race) => Ok(race),
            Runs::One(_) => Err("start a race first".into()),
        }
    }

    /// Adds a run to the race (at most six), shown from now on.
    pub fn add_run(&mut self) -> Result<(), String> {
        let stop = self.stop;
        self.racing()?.add(&stop)
    }

    /// Removes run `index` from the race (one always remains).
    pub fn remove_run(&mut self, index: usize) -> Result<(), String> {
        self.racing()?.remove(index)
    }

    /// Shows run `index` of the race in the readout (and lets the settings change it).
    pub fn pick_run(&mut self, index: usize) -> Result<(), String> {
        self.racing()?.pick(index)
    }

    /// The sweep, when it is shown.
    pub fn sweep(&self) -> Option<&Sweep> {
        self.sweep.as_ref()
    }

    /// Shows the learning-rate sweep over `range` of the shown run (checked),
    /// or, with None, hides it.
    pub fn set_sweep(&mut self, range: Option<SweepRange>) -> Result<(), String> {
        self.sweep = range.map(|range| Sweep::new(range, self.run(), self.stop)).transpose()?;
        Ok(())
    }

    /// Computes more of the sweep, about `budget` steps; a sweep made for
    /// other settings (surface, start, rule, schedule, batches, stopping
    /// conditions) starts again. Returns whether points remain.
    pub fn advance_sweep(&mut self, budget: usize) -> bool {
        let Some(sweep) = &self.sweep else { return false };
        if !sweep.fits(self.run(), &self.stop) {
            self.sweep = Some(Sweep::new(sweep.range(), self.run(), self.stop).expect("a range that was checked"));
        }
        self.sweep.as_mut().is_some_and(|sweep| sweep.advance(budget))
    }

    /// A clicked α of the sweep: the shown run takes the sweep's α nearest
    /// it and re-runs (as the slider does). Returns that α.
    pub fn pick_sweep_lr(&mut self, lr: f64) -> Result<f64, String> {
        let nearest = self.sweep.as_ref().and_then(|s| s.nearest(lr)).ok_or("the sweep has no point yet")?;
        self.set_learning_rate(nearest, true)?;
        self.end_adjust();
        Ok(nearest)
    }

    /// A clicked point, snapped to what a lesson may name and a click can
    /// hardly hit: a minimum within [`SNAP_PIXELS`], else the line x = 0 or
    /// y = 0 within as many pixels (`per_pixel`: the data units of one pixel
    /// along x and y).
    pub fn snap(&self, p: [f64; 2], per_pixel: [f64; 2]) -> [f64; 2] {
        let near = |a: f64, b: f64, unit: f64| (a - b).abs() <= SNAP_PIXELS * unit;
        let minima = self.run().surface().minima();
        if let Some(m) = minima.into_iter().find(|m| near(p[0], m[0], per_pixel[0]) && near(p[1], m[1], per_pixel[1])) {
            return m;
        }
        [0, 1].map(|i| if near(p[i], 0.0, per_pixel[i]) { 0.0 } else { p[i] })
    }

    /// The link of the lab (the part after `#`): it reopens the same run, or
    /// the same race, at the same iteration.
    pub fn link(&self) -> String {
        let mut link = match &self.runs {
            Runs::One(run) => super::link::descent_link(run),
            Runs::Race(race) => super::link::race_link(race),
        };
        let mut pairs = self.stop.link_pairs();
        if let Some(sweep) = &self.sweep {
            let r = sweep.range();
            pairs.push(("sweep", crate::sweep::link_value(r)));
        }
        let more = crate::link::write(&pairs);
        if !more.is_empty() {
            link = format!("{link}&{more}");
        }
        link
    }

    /// Opens the run or race a link describes. Returns the notice naming what
    /// the link held that could not be used (empty when everything was).
    pub fn open_link(&mut self, query: &str) -> String {
        let mut r = crate::link::LinkReader::new(query);
        let (run, clock) = super::link::read_run(&mut r);
        self.stop = StopRule::read_link(&mut r);
        let sweep = r.read("sweep", crate::sweep::read_link_value);
        self.runs = match super::link::read_race(&mut r, &run) {
            Some(mut race) => {
                race.step_times(clock, &self.stop);
                Runs::Race(race)
            }
            None => Runs::One(run.stepped(clock)),
        };
        self.sweep = sweep.map(|range| Sweep::new(range, self.run(), self.stop).expect("checked"));
        self.clear_ghost();
        r.notice()
    }

    /// J along the ghost's path (it ran on the same surface).
    pub fn ghost_losses(&self) -> Option<Vec<f64>> {
        self.ghost.as_ref().map(|path| path.iter().map(|p| self.run().surface().value(*p)).collect())
    }

    /// The box the surface chart shows: the surface's own, grown to hold
    /// every run's whole path (so the start, the current points and the
    /// minimum stay in sight), or, when a path has run away beyond any
    /// sensible box, the largest box and `false`.
    pub fn view(&self) -> (ViewBox, bool) {
        let default = self.run().surface().default_view();
        // Read straight from the histories: this runs at every redraw.
        fn path(run: &DescentRun) -> impl Iterator<Item = [f64; 2]> + Clone + '_ {
            run.history().iter().map(|s| s.theta)
        }
        // In a race, a run that runs away leaves the others in sight.
        let mut runs: Vec<&DescentRun> = self.all_runs().iter().filter(|run| default.holding(path(run)).is_some()).collect();
        if runs.is_empty() {
            runs = self.all_runs().iter().collect();
        }
        match default.holding(runs.iter().flat_map(|run| path(run))) {
            Some(view) => (view, true),
            None => {
                let (cx, cy) = ((default.x_min + default.x_max) / 2.0, (default.y_min + default.y_max) / 2.0);
                let half = MAX_VIEW_GROWTH / 2.0;
                let (w, h) = (half * (default.x_max - default.x_min), half * (default.y_max - default.y_min));
                (ViewBox::new(cx - w, cx + w, cy - h, cy + h), false)
            }
        }
    }
}
