//! The backprop lab's model: its settings, the training run they build, the
//! chosen weight, the landscape's view, its links and the state the page
//! shows. The page's handle (`web::NetworkLab`) only adapts it to JavaScript
//! and draws.

mod describe;
mod pins;
mod range_test;
mod retrain;
mod settings;
mod stop;
mod sweep;
mod text;
mod view;
mod worksheet;

pub use pins::{Pin, MAX_PINS};
pub use range_test::{RangeJob, RangeResult, RangeTest};
pub use retrain::Curves;
pub use settings::{HiddenLayer, LabSettings, MAX_POINTS};
pub use stop::{best_test_epoch, TrainStop, TrainStopRule};
pub use sweep::{sweep_point, NetSweep, SweepContext, NETWORK_SWEEP};
pub use text::{phase_lines, phase_name};
pub use view::{LandscapeSettings, PlaneKind};

use crate::link::{self, LinkReader};
use crate::named::Named;
use crate::nn::data::Dataset;
use crate::nn::explain::ParamId;
use crate::nn::inside::Quantity;
use crate::nn::train::{TrainConfig, TrainOutcome, TrainingRun};
use crate::tr;

/// The lab: a training run and what it was built from.
#[derive(Clone, Debug)]
pub struct BackpropLab {
    run: TrainingRun,
    settings: LabSettings,
    /// The weight whose chain rule is written out.
    selected: ParamId,
    /// Which loss landscape is shown.
    view: LandscapeSettings,
    /// When Play stops by itself.
    stop: TrainStopRule,
    /// The curves before the last re-training change (see `retrain`), and the weights that run had reached.
    ghost: Option<(Curves, Vec<f64>)>,
    /// Whether the next re-training change takes a new ghost (true once an adjustment ended).
    ghost_open: bool,
    /// The epoch a re-training is heading for, while it is under way.
    retrain_to: Option<usize>,
    /// Whether that re-training replays the epochs of a link just opened.
    replaying_link: bool,
    /// Runs kept for comparison (see `pins`).
    pins: Vec<Pin>,
    /// What the view inside each layer shows, when it is open.
    inside: Option<Quantity>,
    /// The range of the last range test (see `range_test`).
    range: RangeTest,
    /// The learning-rate sweep, when it is shown (see `sweep`).
    sweep: Option<NetSweep>,
    /// Whether sweeps are computed by other threads (see `sweep`).
    sweep_shared: bool,
}

impl Default for BackpropLab {
    fn default() -> Self {
        let settings = LabSettings::default();
        let run = settings.build().expect("the default settings are valid");
        BackpropLab {
            run,
            settings,
            selected: FIRST_WEIGHT,
            view: LandscapeSettings::default(),
            stop: TrainStopRule::default(),
            ghost: None,
            ghost_open: true,
            retrain_to: None,
            replaying_link: false,
            pins: Vec::new(),
            inside: None,
            range: RangeTest::default(),
            sweep: None,
            sweep_shared: false,
        }
    }
}

/// The most work a link's epochs are replayed in at once, in multiply-adds of
/// the forward passes (epochs × training points × parameters): about 50 ms
/// in the page. A longer replay goes on a slice a frame, showing its progress.
const QUICK_REPLAY: usize = 20_000_000;

/// W¹₁,₁, which every network has.
const FIRST_WEIGHT: ParamId = ParamId { layer: 1, from: Some(0), to: 0 };

/// What a click on the data chart does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PointEdit {
    /// Adds a point at these data coordinates: (x₁, x₂) of class `class` for
    /// classification, (x, y) for regression (the class is then unused).
    Add { at: [f64; 2], class: f64 },
    /// Removes the point at this index of [`BackpropLab::points`].
    Remove(usize),
}

impl BackpropLab {
    pub fn run(&self) -> &TrainingRun {
        &self.run
    }

    /// The run, to step, go back or reset.
    pub fn run_mut(&mut self) -> &mut TrainingRun {
        // A step or a step back by hand ends a re-training under way.
        self.retrain_to = None;
        &mut self.run
    }

    pub fn settings(&self) -> &LabSettings {
        &self.settings
    }

    pub fn selected(&self) -> ParamId {
        self.selected
    }

    pub fn view(&self) -> &LandscapeSettings {
        &self.view
    }

    pub fn stop_rule(&self) -> TrainStopRule {
        self.stop
    }

    /// What the view inside each layer shows (None: the view is closed).
    pub fn inside(&self) -> Option<Quantity> {
        self.inside
    }

    pub fn set_inside(&mut self, inside: Option<Quantity>) {
        self.inside = inside;
    }

    /// The range the next range test takes (the last one's).
    pub fn range(&self) -> RangeTest {
        self.range
    }

    /// Sets when Play stops by itself; a bad target is refused and the rule in force kept.
    pub fn set_stop_rule(&mut self, rule: TrainStopRule) -> Result<(), String> {
        self.stop = rule.checked()?;
        Ok(())
    }

    /// The stopping condition that holds now, if any.
    pub fn stopped(&self) -> Option<TrainStop> {
        self.stop.met(self.run.history())
    }

    /// Trains on, at most `budget` epochs, until a stopping condition holds
    /// or training cannot go on; true while it should go on.
    pub fn train_on(&mut self, budget: u32) -> bool {
        self.retrain_to = None;
        for _ in 0..budget {
            if self.stopped().is_some() || self.run.step_epoch() != TrainOutcome::Stepped {
                return false;
            }
        }
        self.stopped().is_none()
    }

    /// Goes back to the epoch of the lowest test loss, its weights exactly.
    /// Returns that epoch, or None without test points.
    pub fn back_to_best(&mut self) -> Option<usize> {
        let (best, _) = best_test_epoch(self.run.history())?;
        self.retrain_to = None;
        while (self.run.current().epoch, self.run.current().batch) != (best, 0) || self.run.phase().is_some() {
            if !self.run.back() {
                break;
            }
        }
        Some(best)
    }

    /// A new run: a chosen weight or landscape weights it lacks fall back to its first ones.
    fn replace(&mut self, settings: LabSettings, run: TrainingRun) {
        if self.selected.index(run.network()).is_none() {
            self.selected = FIRST_WEIGHT;
        }
        self.view.fit_to(run.network().params.len());
        (self.settings, self.run, self.sweep) = (settings, run, None);
        self.forget_ghost();
    }

    /// Applies the form's settings. A change of data, architecture,
    /// initialisation or seed starts a new run (returns true); a change of
    /// optimizer, learning rate, batch size or L2 holds from the next update
    /// on. Another data set comes with its usual output and loss, and
    /// replaces typed points. On an error nothing changes.
    pub fn configure(&mut self, mut settings: LabSettings) -> Result<bool, String> {
        if settings.dataset != self.settings.dataset {
            (settings.output_activation, settings.loss) = LabSettings::usual_output(settings.dataset);
            settings.csv = None;
        }
        if settings.same_structure(&self.settings) {
            self.run.set_config(settings.train_config())?;
            // The sweep varies α alone: another update rule, batch size or L2 puts it out of date.
            let but_lr = |s: &LabSettings| TrainConfig { lr: 0.0, ..s.train_config() };
            if but_lr(&settings) != but_lr(&self.settings) {
                self.sweep = None;
            }
            self.settings = settings;
            return Ok(false);
        }
        let run = settings.build()?;
        self.replace(settings, run);
        Ok(true)
    }

    /// Every point, training points first, as one data set (the indices [`PointEdit::Remove`] takes).
    pub fn points(&self) -> Dataset {
        self.run.train_data().join(self.run.test_data())
    }

    /// Adds or removes a point: the points become typed points and training starts again.
    pub fn edit_points(&mut self, edit: PointEdit) -> Result<(), String> {
        let mut data = self.points();
        match edit {
            PointEdit::Add { at, class } if data.classification => data.push(&at, class),
            PointEdit::Add { at, .. } => data.push(&at[..1], at[1]),
            PointEdit::Remove(i) if i < data.len() => data.remove(i),
            PointEdit::Remove(i) => return Err(tr!("there is no point {i}", i = i)),
        }
        self.type_points(data.to_csv())
    }

    /// Removes every point: the network waits for points added by clicks.
    pub fn clear_points(&mut self) -> Result<(), String> {
        self.type_points(String::new())
    }

    fn type_points(&mut self, csv: String) -> Result<(), String> {
        let settings = LabSettings { csv: Some(csv), ..self.settings.clone() };
        let run = settings.build()?;
        self.replace(settings, run);
        Ok(())
    }

    /// Chooses the weight whose chain rule is written out.
    pub fn select(&mut self, p: ParamId) -> Result<(), String> {
        if p.index(self.run.network()).is_none() {
            return Err(tr!("the network has no weight {a}", a = p.name()));
        }
        self.selected = p;
        Ok(())
    }

    /// A weight clicked on the diagram: it is selected and becomes weight a of
    /// the landscape. Returns whether the landscape's weights changed.
    pub fn click_weight(&mut self, p: ParamId) -> Result<bool, String> {
        self.select(p)?;
        Ok(p.index(self.run.network()).is_some_and(|index| self.view.choose_weight(index)))
    }

    /// Chooses the landscape's plane and view.
    pub fn set_view(&mut self, view: LandscapeSettings) -> Result<(), String> {
        self.view = view.checked(self.run.network().params.len())?;
        Ok(())
    }

    /// The link of this run (the part after `#`): the settings, the epoch
    /// reached (or, while re-training, the one it heads for) and the
    /// landscape's view. Typed points are not part of it.
    pub fn link(&self) -> String {
        let mut pairs = vec![("lab", "network".to_string())];
        pairs.extend(self.settings.link_pairs());
        // While a re-training or a link's replay is under way, the epoch it heads for.
        pairs.push(("epochs", self.retrain_to.unwrap_or(self.run.current().epoch).to_string()));
        pairs.extend(self.view.link_pairs());
        pairs.extend(self.stop.link_pairs());
        pairs.extend(self.inside.map(|q| ("inside", q.id().to_string())));
        pairs.extend(self.range.link_pairs());
        pairs.extend(self.sweep.as_ref().map(|s| ("sweep", crate::sweep::link_value(s.range()))));
        link::write(&pairs)
    }

    /// Opens the run a link describes, trained to its epoch. Returns the
    /// notice naming what the link held that could not be used (empty when
    /// everything was).
    pub fn open_link(&mut self, query: &str) -> String {
        let mut r = LinkReader::new(query);
        r.take("lab");
        let (settings, run) = LabSettings::read_link(&mut r);
        let epochs = r.read("epochs", link::count).unwrap_or(0);
        self.view = LandscapeSettings::read_link(&mut r, run.network().params.len());
        self.stop = TrainStopRule::read_link(&mut r);
        self.inside = r.read("inside", Quantity::from_id);
        self.range = RangeTest::read_link(&mut r);
        (self.settings, self.run, self.selected) = (settings, run, FIRST_WEIGHT);
        self.forget_ghost();
        // The epochs are replayed at once when that is quick, else a slice a frame (see `advance_retrain`).
        let target = epochs.min(self.run.max_snapshots());
        (self.retrain_to, self.replaying_link) = ((target > 0).then_some(target), true);
        let per_epoch = (self.run.train_data().len() * self.run.network().params.len()).max(1);
        self.advance_retrain(QUICK_REPLAY / per_epoch);
        self.sweep = None;
        if let Some(range) = r.read("sweep", crate::sweep::read_link_value) {
            if self.set_sweep(Some(range)).is_err() {
                r.ignore("sweep");
            }
        }
        r.notice()
    }
}

#[cfg(test)]
mod tests;
