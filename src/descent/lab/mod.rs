//! The descent lab's model: a run on a surface, the path it had before the
//! last change of settings (the ghost, drawn dashed to compare), its links and
//! the state the page shows. The page's handle (`web::DescentLab`) only adapts
//! it to JavaScript and draws.

use serde_json::{json, Value};

use super::batches::Batches;
use super::readout::readout;
use super::run::{check_lr, Apply, DescentRun, StepOutcome};
use super::schedule::Schedule;
use super::stop::{Stop, StopRule};
use super::surface::{Surface, ViewBox, MAX_VIEW_GROWTH};
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

/// The descent lab.
#[derive(Clone, Debug)]
pub struct DescentLab {
    run: DescentRun,
    /// The trajectory before the settings were last changed by a replay.
    ghost: Option<Vec<[f64; 2]>>,
    /// Whether the next replay takes a new ghost (true once an adjustment ended).
    ghost_open: bool,
    /// When Play stops by itself.
    stop: StopRule,
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
        DescentLab { run, ghost: None, ghost_open: true, stop: StopRule::default() }
    }

    pub fn run(&self) -> &DescentRun {
        &self.run
    }

    /// The path before the last replayed change, if any.
    pub fn ghost(&self) -> Option<&[[f64; 2]]> {
        self.ghost.as_deref()
    }

    fn clear_ghost(&mut self) {
        self.ghost = None;
        self.ghost_open = true;
    }

    /// Keeps the trajectory as the ghost if this change starts a new adjustment.
    fn take_ghost(&mut self) {
        if self.ghost_open {
            self.ghost = Some(self.run.trajectory());
            self.ghost_open = false;
        }
    }

    /// Ends a continuous adjustment (the slider was let go): the next change takes a new ghost.
    pub fn end_adjust(&mut self) {
        self.ghost_open = true;
    }

    /// Chooses a surface by id; the run restarts at its default start and α
    /// (the schedule and the stopping conditions stay, the batches are full).
    pub fn set_surface(&mut self, id: &str) -> Result<(), String> {
        let mut fresh = DescentLab::fresh(Surface::from_id(id)?, *self.run.optimizer());
        fresh.run.set_schedule(*self.run.schedule(), Apply::Replay)?;
        *self = DescentLab { stop: self.stop, ..fresh };
        Ok(())
    }

    pub fn stop_rule(&self) -> StopRule {
        self.stop
    }

    /// Sets when Play stops by itself; a rule with a threshold that is not a
    /// positive number is refused and the rule in force is kept.
    pub fn set_stop_rule(&mut self, rule: StopRule) -> Result<(), String> {
        self.stop = rule.checked()?;
        Ok(())
    }

    /// The first iteration at which a stopping condition held, and which, if any (marked on the loss chart).
    pub fn stopped_at(&self) -> Option<(usize, Stop)> {
        self.stop.first_met(self.run.history())
    }

    /// The stopping condition that holds at the current iteration, if any.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop.met(&self.run)
    }

    /// Runs on until a stopping condition holds, the run diverges or reaches
    /// its limit, taking at most `budget` steps (the page calls it frame by
    /// frame, so it stays responsive). Returns whether it should go on.
    pub fn run_on(&mut self, budget: u32) -> bool {
        for _ in 0..budget {
            if self.stopped().is_some() || !matches!(self.run.step(), StepOutcome::Stepped(_)) {
                return false;
            }
        }
        self.stopped().is_none()
    }

    /// Sets the bowl's condition number λ₂/λ₁ (1 to 1000) and the angle of its
    /// long axis in degrees; the run restarts from the same start.
    pub fn set_bowl(&mut self, condition: f64, angle_deg: f64) -> Result<(), String> {
        if !(1.0..=1000.0).contains(&condition) {
            return Err(format!("the condition number must be between 1 and 1000 (got {condition})"));
        }
        if !angle_deg.is_finite() {
            return Err("the angle must be a number of degrees".into());
        }
        let start = self.run.history()[0].theta;
        let run = DescentRun::new(Surface::Bowl { condition, angle_deg }, *self.run.optimizer(), self.run.lr(), start)?;
        self.run = run.with_schedule(*self.run.schedule())?;
        self.clear_ghost();
        Ok(())
    }

    /// Chooses an optimizer by id, with its usual constants.
    pub fn set_optimizer(&mut self, id: &str, replay: bool) -> Result<(), String> {
        let optimizer = Optimizer::from_id(id)?;
        if replay {
            self.take_ghost();
        }
        self.run.set_optimizer(optimizer, apply_mode(replay));
        Ok(())
    }

    /// Sets one constant of the optimizer (momentum, rho, beta1, beta2, eps).
    pub fn set_hyper(&mut self, name: &str, value: f64, replay: bool) -> Result<(), String> {
        self.run.optimizer().clone().set_hyper(name, value)?;
        if replay {
            self.take_ghost();
        }
        self.run.set_hyper(name, value, apply_mode(replay))
    }

    /// Sets α: with `replay`, the run is re-run from its start for as many
    /// steps; otherwise α holds from the next step on.
    pub fn set_learning_rate(&mut self, lr: f64, replay: bool) -> Result<(), String> {
        check_lr(lr)?;
        if replay {
            self.take_ghost();
        }
        self.run.set_lr(lr, apply_mode(replay))
    }

    /// Chooses a learning-rate schedule by id, with its usual constants.
    pub fn set_schedule(&mut self, id: &str, replay: bool) -> Result<(), String> {
        let schedule = Schedule::from_id(id)?;
        if replay {
            self.take_ghost();
        }
        self.run.set_schedule(schedule, apply_mode(replay))
    }

    /// Sets one constant of the schedule (every, gamma, decay, steps, alpha_min, warmup).
    pub fn set_schedule_param(&mut self, name: &str, value: f64, replay: bool) -> Result<(), String> {
        let mut schedule = *self.run.schedule();
        schedule.set_param(name, value)?;
        if replay {
            self.take_ghost();
        }
        self.run.set_schedule(schedule, apply_mode(replay))
    }

    /// Sets the batch size (1 … m; m is the seed's full batch) and the seed of
    /// the shuffles, on the regression surface.
    pub fn set_batches(&mut self, size: usize, seed: u64, replay: bool) -> Result<(), String> {
        let Surface::LinearRegression(data) = self.run.surface() else {
            return Err("mini-batches need data: choose the linear-regression surface".into());
        };
        let batches = Batches::seeded(size, seed, data.len())?;
        if replay {
            self.take_ghost();
        }
        self.run.set_batches(batches, apply_mode(replay))
    }

    /// Up to `n` steps (at least one), stopping at a divergence or the limit.
    pub fn step_many(&mut self, n: u32) -> StepOutcome {
        let mut outcome = self.run.step();
        for _ in 1..n {
            if !matches!(outcome, StepOutcome::Stepped(_)) {
                break;
            }
            outcome = self.run.step();
        }
        outcome
    }

    /// One step back; false at iteration 0.
    pub fn back(&mut self) -> bool {
        self.run.back()
    }

    /// Back to iteration 0.
    pub fn reset(&mut self) {
        self.run.reset();
        self.clear_ghost();
    }

    /// A new start point: the run restarts there.
    pub fn set_start(&mut self, start: [f64; 2]) -> Result<(), String> {
        self.run.set_start(start)?;
        self.clear_ghost();
        Ok(())
    }

    /// A clicked point, snapped to what a lesson may name and a click can
    /// hardly hit: a minimum within [`SNAP_PIXELS`], else the line x = 0 or
    /// y = 0 within as many pixels (`per_pixel`: the data units of one pixel
    /// along x and y).
    pub fn snap(&self, p: [f64; 2], per_pixel: [f64; 2]) -> [f64; 2] {
        let near = |a: f64, b: f64, unit: f64| (a - b).abs() <= SNAP_PIXELS * unit;
        if let Some(m) = self.run.surface().minima().into_iter().find(|m| near(p[0], m[0], per_pixel[0]) && near(p[1], m[1], per_pixel[1]))
        {
            return m;
        }
        [0, 1].map(|i| if near(p[i], 0.0, per_pixel[i]) { 0.0 } else { p[i] })
    }

    /// The link of this run (the part after `#`): it reopens the same run at the same iteration.
    pub fn link(&self) -> String {
        let mut link = super::link::descent_link(&self.run);
        let stop = crate::link::write(&self.stop.link_pairs());
        if !stop.is_empty() {
            link = format!("{link}&{stop}");
        }
        link
    }

    /// Opens the run a link describes. Returns the notice naming what the link
    /// held that could not be used (empty when everything was).
    pub fn open_link(&mut self, query: &str) -> String {
        let mut r = crate::link::LinkReader::new(query);
        self.run = super::link::read_run(&mut r);
        self.stop = StopRule::read_link(&mut r);
        self.clear_ghost();
        r.notice()
    }

    /// J along the ghost's path (it ran on the same surface).
    pub fn ghost_losses(&self) -> Option<Vec<f64>> {
        self.ghost.as_ref().map(|path| path.iter().map(|p| self.run.surface().value(*p)).collect())
    }

    /// The box the surface chart shows: the surface's own, grown to hold the
    /// whole path (so the start, the current point and the minimum stay in
    /// sight), or, when the path has run away beyond any sensible box, the
    /// largest box and `false`.
    pub fn view(&self) -> (ViewBox, bool) {
        let default = self.run.surface().default_view();
        // Read straight from the history: this runs at every redraw.
        match default.holding(self.run.history().iter().map(|s| s.theta)) {
            Some(view) => (view, true),
            None => {
                let (cx, cy) = ((default.x_min + default.x_max) / 2.0, (default.y_min + default.y_max) / 2.0);
                let half = MAX_VIEW_GROWTH / 2.0;
                let (w, h) = (half * (default.x_max - default.x_min), half * (default.y_max - default.y_min));
                (ViewBox::new(cx - w, cx + w, cy - h, cy + h), false)
            }
        }
    }

    /// The page's view of the run: settings, the readout (numbers to `digits`).
    pub fn state(&self, digits: usize) -> Value {
        let surface = self.run.surface();
        let optimizer = self.run.optimizer();
        let bowl = match surface {
            Surface::Bowl { condition, angle_deg } => json!({ "condition": condition, "angle": angle_deg }),
            _ => Value::Null,
        };
        json!({
            "surface": surface.id(),
            "formula": surface.formula(),
            "axisNames": surface.axis_names(),
            "bowl": bowl,
            "stabilityBound": surface.hessian_eigenvalues().map(|[a, b]| 2.0 / a.max(b)),
            "optimizer": optimizer.id(),
            "hypers": optimizer.hypers().into_iter().map(|(name, value)| json!({ "name": name, "value": value })).collect::<Vec<_>>(),
            "lr": self.run.lr(),
            "schedule": self.run.schedule(),
            "scheduleFormula": self.run.schedule().formula(),
            "scheduleParams": self.run.schedule().params().into_iter().map(|(name, value)| json!({ "name": name, "value": value })).collect::<Vec<_>>(),
            "batch": match (surface, self.run.batches()) {
                (Surface::LinearRegression(data), batches) => json!({
                    "size": batches.size(data.len()),
                    "seed": match batches { Batches::Seeded { seed, .. } => *seed, _ => 1 },
                    "m": data.len(),
                    "rows": self.run.next_batch(),
                }),
                _ => Value::Null,
            },
            "start": self.run.history()[0].theta,
            "hasData": matches!(surface, Surface::LinearRegression(_)),
            "readout": readout(&self.run, digits),
            "stopRule": self.stop,
            "stopProgress": self.stop.progress(&self.run, digits),
            "stopped": self.stopped().map(|s| s.message(self.run.iteration(), digits)),
            "pathOutside": (!self.view().1).then(|| {
                let largest = MAX_VIEW_GROWTH as usize;
                format!("The path has left the chart, {largest} times the surface's own box: the run is running away. Lower α, press Back or Reset.")
            }),
        })
    }
}

#[cfg(test)]
mod tests;
