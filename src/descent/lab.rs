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
mod tests {
    use super::*;

    #[test]
    fn a_replayed_change_keeps_the_old_path_as_a_ghost_until_the_adjustment_ends() {
        let mut lab = DescentLab::default();
        lab.step_many(5);
        let before = lab.run().trajectory();
        lab.set_learning_rate(0.05, true).unwrap();
        lab.set_learning_rate(0.02, true).unwrap();
        assert_eq!(lab.ghost(), Some(&before[..]), "one ghost for the whole slide");
        assert_eq!(lab.run().iteration(), 5);
        lab.end_adjust();
        lab.set_learning_rate(0.03, true).unwrap();
        assert_ne!(lab.ghost(), Some(&before[..]), "a new adjustment, a new ghost");
        let losses = lab.ghost_losses().unwrap();
        assert_eq!(losses[0], lab.run().history()[0].value);
        lab.set_learning_rate(0.04, false).unwrap();
        lab.reset();
        assert_eq!(lab.ghost(), None);
    }

    #[test]
    fn bad_settings_are_refused_and_the_run_is_kept() {
        let mut lab = DescentLab::default();
        lab.step_many(3);
        assert!(lab.set_learning_rate(f64::NAN, true).is_err());
        assert!(lab.set_hyper("beta1", 1.5, true).is_err());
        assert!(lab.set_optimizer("lbfgs", true).unwrap_err().contains("adam"));
        assert!(lab.set_surface("banana").is_err());
        assert!(lab.set_bowl(0.5, 0.0).is_err() && lab.set_bowl(2.0, f64::INFINITY).is_err());
        assert_eq!((lab.run().iteration(), lab.run().lr(), lab.ghost()), (3, 0.1, None));
    }

    #[test]
    fn step_many_stops_where_the_run_diverges() {
        let mut lab = DescentLab::default();
        lab.set_surface("quadratic").unwrap();
        lab.set_learning_rate(5.0, false).unwrap();
        let StepOutcome::Diverged(k) = lab.step_many(10_000) else { panic!("α = 5 diverges on the quadratic") };
        assert_eq!(lab.run().iteration(), k - 1);
        assert!(lab.state(6)["readout"]["status"].as_str().unwrap().starts_with(&format!("Diverged at iteration {k}")));
    }

    /// Every descent lesson's first 50 steps, and a run from far outside: the
    /// start, the current point and the minimum stay inside the chart's box.
    #[test]
    fn the_chart_keeps_the_path_in_sight_at_every_step_of_every_lesson() {
        let lessons = include_str!("../../www/lessons.js");
        let links: Vec<&str> =
            lessons.split("link: \"").skip(1).filter_map(|rest| rest.split('"').next()).filter(|l| l.starts_with("lab=descent")).collect();
        assert!(links.len() >= 6, "{links:?}");
        let mut links: Vec<String> = links.into_iter().map(String::from).collect();
        links.push("lab=descent&surface=himmelblau&opt=sgd&lr=0.00001&start=-40,35".into());
        for link in &links {
            let mut lab = DescentLab::default();
            assert_eq!(lab.open_link(link), "", "{link}");
            for t in 0..=50 {
                let (view, held) = lab.view();
                if !held {
                    // Only a run that diverges leaves, after its first 20 steps, and the page says so.
                    assert!(t > 20 && lab.state(6)["pathOutside"].is_string(), "{link}: the path ran away by step {t}");
                    break;
                }
                let now = lab.run().current().theta;
                assert!(view.contains(now) && view.contains(lab.run().history()[0].theta), "{link}: step {t} at {now:?} outside {view:?}");
                for m in lab.run().surface().minima() {
                    assert!(view.contains(m), "{link}: the minimum {m:?} outside {view:?}");
                }
                lab.step_many(1);
            }
        }
    }

    /// The seed's regression at α = 0.1 converges (‖∇J‖ < 10⁻⁶) long before 10,000 steps;
    /// running on, frame by frame, stops exactly there, and the link keeps the rule.
    #[test]
    fn running_on_stops_where_the_first_condition_holds() {
        let mut lab = DescentLab::default();
        while lab.run_on(100) {}
        let t = lab.run().iteration();
        let Some(Stop::Gradient { norm, .. }) = lab.stopped() else { panic!("converged by the gradient") };
        assert!(norm < 1e-6 && t < 10_000);
        lab.back();
        assert!(lab.stopped().is_none(), "one step earlier it had not");
        assert!(lab.state(3)["stopped"].is_null());
        lab.run_on(1);
        assert!(lab.state(3)["stopped"].as_str().unwrap().starts_with(&format!("Converged at iteration {t}: ‖∇J‖ = ")));
        lab.set_stop_rule(StopRule { iterations: Some(50), ..StopRule::default() }).unwrap();
        assert!(lab.set_stop_rule(StopRule { gradient: Some(0.0), ..StopRule::default() }).is_err());
        let mut again = DescentLab::default();
        assert_eq!(again.open_link(&lab.link()), "");
        assert_eq!((again.stop_rule(), again.run().iteration()), (lab.stop_rule(), t));
    }

    #[test]
    fn the_stopping_rule_stays_through_a_new_surface_and_a_start_restarts_the_run() {
        let mut lab = DescentLab::default();
        let rule = StopRule { gradient: None, loss_change: Some(1e-9), step: None, iterations: Some(70) };
        lab.set_stop_rule(rule).unwrap();
        lab.set_surface("beale").unwrap();
        assert_eq!(lab.stop_rule(), rule);
        lab.step_many(4);
        lab.set_learning_rate(0.002, true).unwrap();
        lab.set_start([0.5, -0.25]).unwrap();
        assert_eq!((lab.run().iteration(), lab.run().history()[0].theta, lab.ghost()), (0, [0.5, -0.25], None));
        assert!(lab.set_start([f64::NAN, 0.0]).is_err());
    }

    #[test]
    fn a_click_near_an_axis_or_a_minimum_lands_on_it() {
        let mut lab = DescentLab::default();
        lab.set_surface("saddle").unwrap();
        let per_pixel = [0.005, 0.005];
        assert_eq!(lab.snap([-0.9, 0.03], per_pixel), [-0.9, 0.03], "6 pixels off: kept");
        assert_eq!(lab.snap([-0.9, 0.00243], per_pixel), [-0.9, 0.0], "half a pixel off y = 0: on it");
        assert_eq!(lab.snap([0.02, -0.5], per_pixel), [0.0, -0.5]);
        lab.set_surface("himmelblau").unwrap();
        assert_eq!(lab.snap([3.01, 1.98], [0.01, 0.01]), [3.0, 2.0], "a minimum wins");
        assert_eq!(lab.snap([3.01, 1.5], [0.01, 0.01]), [3.01, 1.5], "near a minimum in x only: kept");
    }

    #[test]
    fn a_run_away_path_is_said_to_have_left_the_chart() {
        let mut lab = DescentLab::default();
        lab.open_link("lab=descent&surface=quadratic&opt=sgd&lr=0.3&start=-0.8,0.7");
        let mut steps = 0;
        while lab.view().1 && steps < 100 {
            lab.step_many(1);
            steps += 1;
        }
        // y doubles each step (×(1 − 10·0.3) = ×−2): out of a box 10⁴ times the default's in about 15 steps.
        assert!((12..=18).contains(&steps), "{steps}");
        assert!(lab.state(6)["pathOutside"].as_str().unwrap().contains("left the chart"));
        // The regression's own box is not centred on 0: the largest box keeps its centre.
        lab.open_link("lab=descent&surface=linear_regression&opt=sgd&lr=2&start=0,0");
        while lab.view().1 && lab.run().iteration() < 100 {
            lab.step_many(1);
        }
        let d = lab.run().surface().default_view();
        let (cx, cy, w, h) = ((d.x_min + d.x_max) / 2.0, (d.y_min + d.y_max) / 2.0, d.x_max - d.x_min, d.y_max - d.y_min);
        let half = MAX_VIEW_GROWTH / 2.0;
        assert_eq!(lab.view(), (ViewBox::new(cx - half * w, cx + half * w, cy - half * h, cy + half * h), false));
        lab.reset();
        assert!(lab.state(6)["pathOutside"].is_null());
    }

    #[test]
    fn the_state_names_the_settings_and_the_bound_of_a_quadratic() {
        let mut lab = DescentLab::default();
        lab.set_surface("bowl").unwrap();
        lab.set_bowl(40.0, -30.0).unwrap();
        lab.set_optimizer("rmsprop", false).unwrap();
        let state = lab.state(6);
        assert_eq!((state["surface"].as_str(), state["optimizer"].as_str()), (Some("bowl"), Some("rmsprop")));
        assert_eq!(state["bowl"]["angle"], -30.0);
        assert_eq!(state["stabilityBound"].as_f64(), Some(2.0 / 40.0));
        assert_eq!(state["hypers"][0]["name"], "rho");
        assert_eq!(state["hasData"], false);
    }
}
