//! The backprop lab's learning-rate sweep: the training and test loss after N
//! epochs against α on a log scale, each α a run of its own from the same
//! initial weights, in the same batch order, with the same update rule,
//! batch size and L2. Its α values are trained here a few epochs at a time,
//! so that the page keeps painting, or handed out to other threads (Web
//! Workers) one α at a time, which hand back its point; it can be cancelled.

use crate::tr;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use super::BackpropLab;
use crate::nn::data::Dataset;
use crate::nn::network::Network;
use crate::nn::train::{TrainConfig, TrainOutcome, TrainingRun};
use crate::sweep::{SweepPoint, SweepRange};
use crate::wire::Wire;

/// 30 values of α from 10⁻³ to 10, 100 epochs each.
pub const NETWORK_SWEEP: SweepRange = SweepRange { lo: 1e-3, hi: 10.0, count: 30, steps: 100 };

/// Numbers each new sweep, so that points handed back for an older one are known as such.
static SWEEPS_MADE: AtomicU32 = AtomicU32::new(0);

/// A sweep being computed.
#[derive(Clone, Debug)]
pub struct NetSweep {
    /// Tells this sweep from every other one made by this program.
    pub id: u32,
    range: SweepRange,
    /// The lab's run at its start (its α aside).
    start: TrainingRun,
    /// The α (its index) trained here and its run, while it trains.
    running: Option<(usize, TrainingRun)>,
    /// The points from the first α on, in order of α.
    points: Vec<SweepPoint>,
    /// Points back from further on (another thread finished them first).
    later: BTreeMap<usize, SweepPoint>,
    /// The α values handed out (to this thread or others), from the first on.
    handed_out: usize,
    /// Whether its α values go to other threads; only one already begun is trained here.
    shared: bool,
}

/// What another thread needs to compute points of a sweep: the run at its start and the range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepContext {
    /// The sweep this is of ([`NetSweep::id`]).
    pub sweep: u32,
    pub network: Network,
    pub train: Dataset,
    pub test: Dataset,
    pub config: TrainConfig,
    pub range: SweepRange,
}

impl Wire for SweepContext {
    const WHAT: &'static str = "the sweep";
}

impl SweepContext {
    /// The run every α starts from, or why these numbers make none.
    pub fn start(&self) -> Result<TrainingRun, String> {
        TrainingRun::new(self.network.clone(), self.train.clone(), self.test.clone(), self.config)
    }
}

/// The run of α number `index` of `range`, from `start`.
fn run_at(start: &TrainingRun, range: SweepRange, index: usize) -> TrainingRun {
    let mut run = start.clone();
    let config = run.config;
    run.set_config(TrainConfig { lr: range.lr(index), ..config }).expect("an α of a checked range");
    run
}

/// Trains `run` one more epoch towards N; its point once the N epochs are done (or it diverged).
fn epoch_towards(run: &mut TrainingRun, range: SweepRange) -> Option<SweepPoint> {
    let lr = run.config.lr;
    let outcome = if run.current().epoch < range.steps { run.step_epoch() } else { TrainOutcome::AtLimit };
    match outcome {
        TrainOutcome::Stepped if run.current().epoch < range.steps => None,
        TrainOutcome::Diverged(epoch) => Some(SweepPoint { lr, value: None, test_value: None, diverged_at: Some(epoch), reached: None }),
        _ => {
            let m = &run.current().metrics;
            Some(SweepPoint { lr, value: Some(m.train_loss), test_value: m.test_loss, diverged_at: None, reached: None })
        }
    }
}

/// The point of α number `index` of `range`, trained from `start` in one go (what another thread does).
pub fn sweep_point(start: &TrainingRun, range: SweepRange, index: usize) -> SweepPoint {
    let mut run = run_at(start, range, index);
    loop {
        if let Some(point) = epoch_towards(&mut run, range) {
            return point;
        }
    }
}

impl NetSweep {
    fn new(range: SweepRange, start: TrainingRun) -> NetSweep {
        let id = SWEEPS_MADE.fetch_add(1, Ordering::Relaxed);
        NetSweep { id, range, start, running: None, points: Vec::new(), later: BTreeMap::new(), handed_out: 0, shared: false }
    }

    pub fn range(&self) -> SweepRange {
        self.range
    }

    /// The points computed so far from the first α on, in order of α.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// Trains on here, at least one epoch and about `budget` in all,
    /// finishing points as their N epochs are done. Returns whether work
    /// remains here: with the sweep shared out, only an α already begun here.
    pub fn advance(&mut self, budget: usize) -> bool {
        for _ in 0..budget.max(1) {
            if self.running.is_none() {
                if self.shared {
                    break;
                }
                let Some(index) = self.hand_out() else { break };
                self.running = Some((index, run_at(&self.start, self.range, index)));
            }
            let (index, run) = self.running.as_mut().expect("an α under way");
            if let Some(point) = epoch_towards(run, self.range) {
                let index = *index;
                self.running = None;
                self.fill(index, point);
            }
        }
        self.running.is_some() || (!self.shared && self.next_to_hand_out().is_some())
    }

    /// The next α not yet handed out, back, nor under way here.
    fn next_to_hand_out(&self) -> Option<usize> {
        let here = self.running.as_ref().map(|(index, _)| *index);
        (self.handed_out..self.range.count).find(|i| !self.later.contains_key(i) && Some(*i) != here)
    }

    fn hand_out(&mut self) -> Option<usize> {
        let index = self.next_to_hand_out()?;
        self.handed_out = index + 1;
        Some(index)
    }

    /// The next α for another thread, or None when none is left to hand out.
    pub fn share(&mut self) -> Option<usize> {
        self.hand_out()
    }

    /// What another thread needs to compute this sweep's points.
    pub fn context(&self) -> SweepContext {
        let s = &self.start;
        SweepContext {
            sweep: self.id,
            network: s.network().clone(),
            train: s.train_data().clone(),
            test: s.test_data().clone(),
            config: s.config,
            range: self.range,
        }
    }

    /// Takes the point of α number `index` (handed back); a point already in is kept.
    pub fn fill(&mut self, index: usize, point: SweepPoint) {
        if index < self.points.len() || index >= self.range.count {
            return;
        }
        self.later.entry(index).or_insert(point);
        while let Some(point) = self.later.remove(&self.points.len()) {
            self.points.push(point);
        }
    }

    /// Hands its α values to other threads, or not: then every α not yet
    /// back is trained here (a thread that took one has stopped).
    pub fn share_out(&mut self, shared: bool) {
        self.shared = shared;
        if !shared {
            self.handed_out = self.points.len();
        }
    }
}

impl BackpropLab {
    /// The sweep, when it is shown.
    pub fn sweep(&self) -> Option<&NetSweep> {
        self.sweep.as_ref()
    }

    /// Shows the learning-rate sweep over `range` (checked; its steps are
    /// epochs), none computed yet, or hides it (None). The run is unchanged.
    pub fn set_sweep(&mut self, range: Option<SweepRange>) -> Result<(), String> {
        let Some(range) = range else {
            self.sweep = None;
            return Ok(());
        };
        let range = range.checked_for(&tr!("epochs"))?;
        if self.run.train_data().is_empty() {
            return Err(tr!("there are no training points to sweep with: add some or pick a data set"));
        }
        let (run, config) = (&self.run, self.settings.train_config());
        let start = TrainingRun::new(run.network().clone(), run.train_data().clone(), run.test_data().clone(), config)?;
        if range.steps >= start.max_snapshots() {
            return Err(tr!("this network keeps at most {a} epochs of a run: sweep fewer epochs", a = start.max_snapshots() - 1));
        }
        let mut sweep = NetSweep::new(range, start);
        sweep.share_out(self.sweep_shared);
        self.sweep = Some(sweep);
        Ok(())
    }

    /// Hands the sweeps' α values to other threads (`advance_sweep` then only
    /// finishes one begun here) or not (every α not yet back is trained here).
    pub fn share_sweep_out(&mut self, shared: bool) {
        self.sweep_shared = shared;
        if let Some(sweep) = &mut self.sweep {
            sweep.share_out(shared);
        }
    }

    /// The next α of the sweep for another thread: the sweep and the α's index; None when none is left.
    pub fn share_sweep(&mut self) -> Option<(u32, usize)> {
        let sweep = self.sweep.as_mut()?;
        sweep.share().map(|index| (sweep.id, index))
    }

    /// What another thread needs to compute the sweep's points; None without a sweep.
    pub fn sweep_context(&self) -> Option<SweepContext> {
        self.sweep.as_ref().map(NetSweep::context)
    }

    /// Takes the point of α number `index` of sweep `sweep`, computed
    /// elsewhere; false when that sweep is no longer the one shown (the point is dropped).
    pub fn fill_sweep(&mut self, sweep: u32, index: usize, point: SweepPoint) -> bool {
        match &mut self.sweep {
            Some(shown) if shown.id == sweep => {
                shown.fill(index, point);
                true
            }
            _ => false,
        }
    }

    /// Computes more of the sweep, about `epochs` epochs; true while points remain.
    pub fn advance_sweep(&mut self, epochs: usize) -> bool {
        self.sweep.as_mut().is_some_and(|sweep| sweep.advance(epochs))
    }

    /// A clicked α of the sweep: the sweep's α nearest `lr` on the log scale.
    pub fn sweep_lr_near(&self, lr: f64) -> Result<f64, String> {
        self.sweep.as_ref().and_then(|s| crate::sweep::nearest(s.points(), lr)).ok_or_else(|| "the sweep has no point yet".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::lab::LabSettings;

    /// Each point of the sweep is a fresh run at its α, after N epochs, loss
    /// for loss, or diverged at the same epoch: on the default network and on
    /// the seed's regression, where a large α blows up.
    #[test]
    fn each_point_is_a_single_run_at_its_alpha() {
        let regression = LabSettings {
            dataset: crate::nn::data::DatasetKind::Linear,
            hidden: Vec::new(),
            output_activation: crate::nn::activation::Activation::Linear,
            loss: crate::nn::network::Loss::Mse,
            ..LabSettings::default()
        };
        for settings in [LabSettings::default(), regression] {
            let mut lab = BackpropLab::default();
            lab.configure(settings.clone()).unwrap();
            lab.run_mut().step_epoch();
            let range = SweepRange { lo: 0.01, hi: 30.0, count: 5, steps: 12 };
            lab.set_sweep(Some(range)).unwrap();
            assert!(lab.advance_sweep(7), "7 epochs: not one point yet");
            assert!(lab.sweep().unwrap().points().is_empty());
            while lab.advance_sweep(10) {}
            let points = lab.sweep().unwrap().points().to_vec();
            assert_eq!(points.len(), 5);
            assert_eq!(lab.run().current().epoch, 1, "the run itself is unchanged");
            for p in &points {
                let mut single = BackpropLab::default();
                single.configure(LabSettings { lr: p.lr, ..settings.clone() }).unwrap();
                let mut diverged = None;
                for _ in 0..12 {
                    if let TrainOutcome::Diverged(e) = single.run_mut().step_epoch() {
                        diverged = Some(e);
                        break;
                    }
                }
                let m = &single.run().current().metrics;
                match diverged {
                    Some(e) => assert_eq!((p.diverged_at, p.value), (Some(e), None), "α = {}", p.lr),
                    None => assert_eq!((p.value, p.test_value, p.diverged_at), (Some(m.train_loss), m.test_loss, None), "α = {}", p.lr),
                }
            }
            assert_eq!(lab.sweep_lr_near(0.05), Ok(points[1].lr));
            if settings.dataset == crate::nn::data::DatasetKind::Linear {
                assert!(points.last().unwrap().diverged_at.is_some(), "α = 30 blows the regression up");
            }
        }
    }

    /// α values handed to "other threads" (each with the context read back
    /// from its bytes) and handed back out of order give the points trained
    /// here, bit for bit; points of an older sweep are dropped; when the threads
    /// stop, what is not back is trained here.
    #[test]
    fn alphas_computed_elsewhere_are_the_points_computed_here() {
        let range = SweepRange { lo: 0.01, hi: 30.0, count: 6, steps: 8 };
        let mut here = BackpropLab::default();
        here.set_sweep(Some(range)).unwrap();
        while here.advance_sweep(10) {}
        let expected = here.sweep().unwrap().points().to_vec();

        let mut lab = BackpropLab::default();
        lab.share_sweep_out(true);
        lab.set_sweep(Some(range)).unwrap();
        assert!(!lab.advance_sweep(10), "shared out, nothing is trained here");
        let context = SweepContext::from_bytes(&lab.sweep_context().unwrap().to_bytes()).unwrap();
        assert_eq!(context, lab.sweep_context().unwrap(), "every number survives the way to another thread");
        let start = context.start().unwrap();
        let shares: Vec<(u32, usize)> = std::iter::from_fn(|| lab.share_sweep()).take(4).collect();
        assert_eq!(shares.iter().map(|s| s.1).collect::<Vec<_>>(), [0, 1, 2, 3]);
        let id = shares[0].0;
        assert!(lab.fill_sweep(id, 2, sweep_point(&start, range, 2)));
        assert!(lab.fill_sweep(id, 1, sweep_point(&start, range, 1)));
        assert!(lab.sweep().unwrap().points().is_empty(), "α 0 is not back yet");
        assert!(lab.fill_sweep(id, 0, sweep_point(&start, range, 0)));
        assert_eq!(lab.sweep().unwrap().points(), &expected[..3]);
        // A point already in, or past the last α, is not kept for later.
        assert!(lab.fill_sweep(id, 1, sweep_point(&start, range, 1)));
        assert!(lab.fill_sweep(id, range.count, expected[0]));
        assert!(lab.sweep().unwrap().later.is_empty());
        assert!(!lab.fill_sweep(id + 1000, 3, expected[3]), "another sweep's point");
        // The threads stop: α 3 (out, not back) and the rest are trained here.
        lab.share_sweep_out(false);
        while lab.advance_sweep(3) {}
        assert_eq!(lab.sweep().unwrap().points(), &expected[..]);
        let bits = |points: &[SweepPoint]| points.iter().map(|p| p.value.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(lab.sweep().unwrap().points()), bits(&expected));
        assert!(SweepContext::from_bytes(&[1, 2, 3]).unwrap_err().starts_with("the sweep could not be read"));
        // Shared out while α 0 trains here: it is finished here, the others go out.
        let mut begun = BackpropLab::default();
        begun.set_sweep(Some(range)).unwrap();
        assert!(begun.advance_sweep(3));
        begun.share_sweep_out(true);
        let id = begun.sweep().unwrap().id;
        assert_eq!(begun.share_sweep(), Some((id, 1)));
        while begun.advance_sweep(3) {}
        assert_eq!(begun.sweep().unwrap().points(), &expected[..1]);
        // Each α takes its N epochs of the budget and no more: N epochs in, its point is in.
        let mut exact = BackpropLab::default();
        exact.set_sweep(Some(range)).unwrap();
        assert!(exact.advance_sweep(range.steps));
        assert_eq!(exact.sweep().unwrap().points(), &expected[..1]);
        // Taken back while α 0 trains here: the next α to hand out is α 1, not α 0 again.
        let mut back = BackpropLab::default();
        back.set_sweep(Some(range)).unwrap();
        assert!(back.advance_sweep(3));
        back.share_sweep_out(true);
        back.share_sweep_out(false);
        let id = back.sweep().unwrap().id;
        assert_eq!(back.share_sweep(), Some((id, 1)));
    }

    /// A bad range is named and the sweep kept; no points, no sweep; a change of how it trains drops it; a link holds it.
    #[test]
    fn a_sweep_is_checked_dropped_when_training_changes_and_kept_in_links() {
        let mut lab = BackpropLab::default();
        lab.set_sweep(Some(NETWORK_SWEEP)).unwrap();
        let bad = SweepRange { lo: 1.0, hi: 0.1, ..NETWORK_SWEEP };
        assert!(lab.set_sweep(Some(bad)).unwrap_err().contains("reversed"));
        assert_eq!(lab.sweep().map(|s| s.range()), Some(NETWORK_SWEEP));
        let mut other = BackpropLab::default();
        assert_eq!(other.open_link(&lab.link()), "");
        assert_eq!(other.sweep().map(|s| s.range()), Some(NETWORK_SWEEP));
        lab.configure(LabSettings { lr: 0.1, ..lab.settings().clone() }).unwrap();
        assert!(lab.sweep().is_some(), "a new α, taken from the sweep, keeps it");
        lab.configure(LabSettings { l2: 0.01, ..lab.settings().clone() }).unwrap();
        assert!(lab.sweep().is_none(), "another way of training makes it out of date");
        lab.clear_points().unwrap();
        assert!(lab.set_sweep(Some(NETWORK_SWEEP)).unwrap_err().contains("no training points"));
    }
}
