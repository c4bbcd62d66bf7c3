//! The backprop lab's learning-rate sweep: the training and test loss after N
//! epochs against α on a log scale, each α a run of its own from the same
//! initial weights, in the same batch order, with the same update rule,
//! batch size and L2. It is computed a few epochs at a time, so that the page
//! keeps painting, and can be cancelled.

use super::BackpropLab;
use crate::nn::train::{TrainConfig, TrainOutcome, TrainingRun};
use crate::sweep::{SweepPoint, SweepRange};

/// 30 values of α from 10⁻³ to 10, 100 epochs each.
pub const NETWORK_SWEEP: SweepRange = SweepRange { lo: 1e-3, hi: 10.0, count: 30, steps: 100 };

/// A sweep being computed.
#[derive(Clone, Debug)]
pub struct NetSweep {
    range: SweepRange,
    /// The lab's run at its start (its α aside).
    start: TrainingRun,
    /// The run of the next α, while it trains.
    running: Option<TrainingRun>,
    points: Vec<SweepPoint>,
}

impl NetSweep {
    pub fn range(&self) -> SweepRange {
        self.range
    }

    /// The points computed so far, in order of α.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    pub fn is_done(&self) -> bool {
        self.points.len() == self.range.count
    }

    /// Trains on, at least one epoch and about `budget` in all, finishing
    /// points as their N epochs are done. Returns whether points remain.
    pub fn advance(&mut self, budget: usize) -> bool {
        for _ in 0..budget.max(1) {
            if self.is_done() {
                break;
            }
            let lr = self.range.lr(self.points.len());
            let run = self.running.get_or_insert_with(|| {
                let mut run = self.start.clone();
                let config = run.config;
                run.set_config(TrainConfig { lr, ..config }).expect("an α of a checked range");
                run
            });
            let outcome = if run.current().epoch < self.range.steps { run.step_epoch() } else { TrainOutcome::AtLimit };
            let point = match outcome {
                TrainOutcome::Stepped if run.current().epoch < self.range.steps => continue,
                TrainOutcome::Diverged(epoch) => SweepPoint { lr, value: None, test_value: None, diverged_at: Some(epoch), reached: None },
                _ => {
                    let m = &run.current().metrics;
                    SweepPoint { lr, value: Some(m.train_loss), test_value: m.test_loss, diverged_at: None, reached: None }
                }
            };
            self.points.push(point);
            self.running = None;
        }
        !self.is_done()
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
        let range = range.checked_for("epochs")?;
        if self.run.train_data().is_empty() {
            return Err("there are no training points to sweep with: add some or pick a data set".into());
        }
        let (run, config) = (&self.run, self.settings.train_config());
        let start = TrainingRun::new(run.network().clone(), run.train_data().clone(), run.test_data().clone(), config)?;
        if range.steps >= start.max_snapshots() {
            return Err(format!("this network keeps at most {} epochs of a run: sweep fewer epochs", start.max_snapshots() - 1));
        }
        self.sweep = Some(NetSweep { range, start, running: None, points: Vec::new() });
        Ok(())
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
