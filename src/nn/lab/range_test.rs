//! The learning-rate range test (Smith, 2017): one run from the initial
//! weights in which α grows exponentially, update by update, from `lo` to
//! `hi`; the training loss after each update against α shows where a
//! learning rate starts to help and where it blows up.

use crate::tr;
use serde::{Deserialize, Serialize};

use super::BackpropLab;
use crate::descent::run::check_lr;
use crate::nn::data::Dataset;
use crate::nn::matrix::Mat;
use crate::nn::network::Network;
use crate::nn::train::{TrainConfig, TrainOutcome, TrainingRun};

/// The range a test sweeps (missing fields take the defaults).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RangeTest {
    /// The first and the last α.
    pub lo: f64,
    pub hi: f64,
    /// How many updates it takes from `lo` to `hi` (10 to 2,000).
    pub updates: usize,
}

impl Default for RangeTest {
    /// From 10⁻⁵ to 10 in 200 updates.
    fn default() -> Self {
        RangeTest { lo: 1e-5, hi: 10.0, updates: 200 }
    }
}

/// What a range test found.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RangeResult {
    pub range: RangeTest,
    /// (α of the update, the training loss after it), until the loss exploded.
    pub points: Vec<(f64, f64)>,
    /// The suggestion: a tenth of the α at which the smoothed loss was least
    /// (the loss still falls steadily there, well before it turns noisy and up).
    pub suggestion: Option<f64>,
    /// The α at which the loss passed four times its least (or stopped being finite), when it did.
    pub exploded_at: Option<f64>,
}

impl RangeTest {
    /// Its part of a link, `range=lo,hi,updates`, when it is not the default.
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        if *self == RangeTest::default() {
            return Vec::new();
        }
        vec![("range", format!("{},{},{}", self.lo, self.hi, self.updates))]
    }

    /// The range a link holds (the default when it holds none or a bad one, named in `r`'s notice).
    pub fn read_link(r: &mut crate::link::LinkReader) -> RangeTest {
        r.read("range", |v| {
            let [lo, hi, updates] = crate::link::parts(v, "lo,hi,updates")?;
            RangeTest { lo: crate::link::number(lo)?, hi: crate::link::number(hi)?, updates: crate::link::count(updates)? }.checked()
        })
        .unwrap_or_default()
    }

    /// The test, when its ends are learning rates with `lo` below `hi` and 10 to 2,000 updates.
    pub fn checked(self) -> Result<RangeTest, String> {
        check_lr(self.lo).map_err(|e| tr!("the range test's first α: {e}", e = e))?;
        check_lr(self.hi).map_err(|e| tr!("the range test's last α: {e}", e = e))?;
        if self.lo >= self.hi {
            return Err(tr!("the range test's range is empty or reversed: from {a} to {b}", a = self.lo, b = self.hi));
        }
        if !(10..=2000).contains(&self.updates) {
            return Err(tr!("the range test takes 10 to 2000 updates (got {a})", a = self.updates));
        }
        Ok(self)
    }

    /// α of update u (0 first): lo·(hi/lo)^(u/(updates − 1)).
    pub fn lr(&self, u: usize) -> f64 {
        self.lo * (self.hi / self.lo).powf(u as f64 / (self.updates - 1) as f64)
    }
}

/// A tenth of the α at which `points`' loss, as a moving average of nine, is
/// least (the sum of nine would do as well: only where it is least counts).
fn suggestion(points: &[(f64, f64)]) -> Option<f64> {
    const SPAN: usize = 9;
    points
        .windows(SPAN)
        .map(|w| (w[SPAN / 2].0, w.iter().map(|p| p.1).sum::<f64>() / SPAN as f64))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(lr, _)| lr / 10.0)
}

/// A range test under way: a run of its own from the initial weights, an
/// update at a time, so that the page can spread it over frames.
#[derive(Clone, Debug)]
pub struct RangeJob {
    range: RangeTest,
    run: TrainingRun,
    config: TrainConfig,
    points: Vec<(f64, f64)>,
    least: f64,
    exploded_at: Option<f64>,
    done: bool,
}

impl RangeJob {
    /// Up to `updates` more updates; true while some remain.
    pub fn advance(&mut self, updates: usize) -> bool {
        for _ in 0..updates {
            let u = self.points.len();
            if self.done || u >= self.range.updates {
                self.done = true;
                return false;
            }
            self.config.lr = self.range.lr(u);
            if self.run.set_config(self.config).is_err() {
                self.done = true;
                return false;
            }
            // One update: its phases, the last applying it.
            let before = self.run.history().len();
            let mut outcome = TrainOutcome::Stepped;
            while self.run.history().len() == before && outcome == TrainOutcome::Stepped {
                outcome = self.run.step_phase();
            }
            let loss = self.run.current().metrics.train_loss;
            match outcome {
                TrainOutcome::Stepped if loss.is_finite() && loss <= 4.0 * self.least => {
                    self.least = self.least.min(loss);
                    self.points.push((self.config.lr, loss));
                }
                TrainOutcome::Stepped | TrainOutcome::Diverged(_) => {
                    self.exploded_at = Some(self.config.lr);
                    self.done = true;
                }
                // The run holds as many snapshots as it may: the test ends there.
                TrainOutcome::AtLimit | TrainOutcome::NoData => self.done = true,
            }
        }
        !self.done && self.points.len() < self.range.updates
    }

    /// What the test has found so far.
    pub fn result(&self) -> RangeResult {
        RangeResult { range: self.range, points: self.points.clone(), suggestion: suggestion(&self.points), exploded_at: self.exploded_at }
    }
}

impl BackpropLab {
    /// Starts a range test from the run's initial weights with its update
    /// rule, batch size and L2, on its training points (the run itself is
    /// unchanged); [`RangeJob::advance`] takes it on. Its range becomes the
    /// lab's (links hold it).
    pub fn start_range_test(&mut self, range: RangeTest) -> Result<RangeJob, String> {
        let range = range.checked()?;
        let train = self.run.train_data();
        if train.is_empty() {
            return Err(tr!("there are no training points to test with: add some or pick a data set"));
        }
        self.range = range;
        let network = Network { arch: self.run.network().arch.clone(), params: self.run.history()[0].params.clone() };
        // No test points: only the training loss is read.
        let empty = |m: &Mat| Mat { rows: 0, cols: m.cols, data: Vec::new() };
        let none = Dataset { x: empty(&train.x), y: empty(&train.y), classification: train.classification };
        let config = self.settings.train_config();
        let run = TrainingRun::new(network, train.clone(), none, config)?;
        Ok(RangeJob { range, run, config, points: Vec::new(), least: f64::INFINITY, exploded_at: None, done: false })
    }

    /// The whole range test at once (see [`BackpropLab::start_range_test`]).
    pub fn range_test(&mut self, range: RangeTest) -> Result<RangeResult, String> {
        let mut job = self.start_range_test(range)?;
        while job.advance(range.updates) {}
        Ok(job.result())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_grows_exponentially_from_the_first_to_the_last() {
        let r = RangeTest { lo: 1e-4, hi: 1.0, updates: 5 };
        let lrs: Vec<f64> = (0..5).map(|u| r.lr(u)).collect();
        for (got, want) in lrs.iter().zip([1e-4, 1e-3, 1e-2, 1e-1, 1.0]) {
            assert!((got / want - 1.0).abs() < 1e-12, "{lrs:?}");
        }
        for bad in
            [RangeTest { lo: 1.0, hi: 0.1, updates: 50 }, RangeTest { lo: 0.0, ..r }, RangeTest { updates: 5, ..RangeTest::default() }]
        {
            assert!(bad.checked().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_suggestion_is_a_tenth_of_the_alpha_of_the_least_loss() {
        // The loss falls to its least at α = 0.1, then rises.
        let points: Vec<(f64, f64)> =
            (0..41).map(|k| 10f64.powf(-4.0 + k as f64 * 0.1)).map(|lr| (lr, (lr.log10() + 1.0).powi(2))).collect();
        let found = suggestion(&points).unwrap();
        assert!((found.log10() + 2.0).abs() < 1e-9, "{found}");
        assert_eq!(suggestion(&points[..5]), None, "too few points to smooth");
    }

    /// On the default network the test runs from the initial weights, leaves
    /// the run alone, stops where the loss explodes and suggests an α below it.
    #[test]
    fn the_default_network_explodes_at_large_alpha_and_a_smaller_one_is_suggested() {
        let mut lab = BackpropLab::default();
        lab.run_mut().step_epoch();
        let before = lab.run().history().to_vec();
        let result = lab.range_test(RangeTest::default()).unwrap();
        assert_eq!(lab.run().history(), &before[..], "the run is untouched");
        let exploded = result.exploded_at.expect("α = 10 blows the loss up");
        let suggestion = result.suggestion.unwrap();
        assert!(suggestion < exploded && suggestion > 1e-4, "{suggestion} vs {exploded}");
        assert!(result.points.windows(2).all(|w| w[1].0 > w[0].0));
        assert_eq!(result.points[0].0, 1e-5);
        // A frame at a time gives the same.
        let mut job = lab.start_range_test(RangeTest::default()).unwrap();
        while job.advance(7) {}
        assert_eq!(job.result(), result);
        lab.clear_points().unwrap();
        assert!(lab.range_test(RangeTest::default()).unwrap_err().contains("no training points"));
    }

    /// Advance is true while updates remain: false at the last update of a
    /// range that never blows up, and once the loss has blown up.
    #[test]
    fn advance_says_when_the_test_is_over() {
        let mut lab = BackpropLab::default();
        let mut job = lab.start_range_test(RangeTest { lo: 1e-5, hi: 1e-4, updates: 10 }).unwrap();
        assert!(job.advance(9), "one update left");
        assert!(!job.advance(1), "the tenth was the last");
        assert_eq!(job.result().points.len(), 10);
        let mut wild = lab.start_range_test(RangeTest { lo: 1.0, hi: 1000.0, updates: 2000 }).unwrap();
        while wild.advance(50) {}
        let result = wild.result();
        assert!(result.exploded_at.is_some() && result.points.len() < 2000, "it stops where the loss blows up");
        assert!(!wild.advance(1));
    }

    /// The last range goes through a link; a bad range is refused with its reason and the last kept.
    #[test]
    fn the_range_goes_through_a_link_and_a_bad_one_is_named() {
        let mut lab = BackpropLab::default();
        assert!(!lab.link().contains("range="), "the default says nothing");
        let range = RangeTest { lo: 1e-4, hi: 3.0, updates: 120 };
        let job = lab.start_range_test(range).unwrap();
        assert_eq!((job.result().range, lab.range()), (range, range));
        let mut other = BackpropLab::default();
        assert_eq!(other.open_link(&lab.link()), "");
        assert_eq!(other.range(), range);
        for (bad, why) in [
            (RangeTest { lo: 1.0, hi: 0.5, ..range }, "empty or reversed"),
            (RangeTest { lo: -1.0, ..range }, "first α"),
            (RangeTest { updates: 5, ..range }, "10 to 2000 updates"),
        ] {
            assert!(lab.start_range_test(bad).unwrap_err().contains(why), "{bad:?}");
            assert_eq!(lab.range(), range, "the last range kept");
        }
        assert!(other.open_link("lab=network&range=1,0.1,50").contains("range"));
        assert_eq!(other.range(), RangeTest::default());
    }
}
