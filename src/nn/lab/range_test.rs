//! The learning-rate range test (Smith, 2017): one run from the initial
//! weights in which α grows exponentially, update by update, from `lo` to
//! `hi`; the training loss after each update against α shows where a
//! learning rate starts to help and where it blows up.

use serde::{Deserialize, Serialize};

use super::BackpropLab;
use crate::descent::run::check_lr;
use crate::nn::train::TrainOutcome;

/// The range a test sweeps.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
    /// The test, when its ends are learning rates with `lo` below `hi` and 10 to 2,000 updates.
    pub fn checked(self) -> Result<RangeTest, String> {
        check_lr(self.lo).map_err(|e| format!("the range test's first α: {e}"))?;
        check_lr(self.hi).map_err(|e| format!("the range test's last α: {e}"))?;
        if self.lo >= self.hi {
            return Err(format!("the range test's range is empty or reversed: from {} to {}", self.lo, self.hi));
        }
        if !(10..=2000).contains(&self.updates) {
            return Err(format!("the range test takes 10 to 2000 updates (got {})", self.updates));
        }
        Ok(self)
    }

    /// α of update u (0 first): lo·(hi/lo)^(u/(updates − 1)).
    pub fn lr(&self, u: usize) -> f64 {
        self.lo * (self.hi / self.lo).powf(u as f64 / (self.updates - 1) as f64)
    }
}

/// A tenth of the α at which `points`' loss, as a moving average of nine, is least.
fn suggestion(points: &[(f64, f64)]) -> Option<f64> {
    const SPAN: usize = 9;
    points
        .windows(SPAN)
        .map(|w| (w[SPAN / 2].0, w.iter().map(|p| p.1).sum::<f64>() / SPAN as f64))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(lr, _)| lr / 10.0)
}

impl BackpropLab {
    /// Runs the range test from the run's initial weights with its update
    /// rule, batch size and L2 (the run itself is unchanged).
    pub fn range_test(&self, range: RangeTest) -> Result<RangeResult, String> {
        let range = range.checked()?;
        let mut run = self.run.clone();
        run.reset();
        let mut config = self.settings.train_config();
        let (mut points, mut least, mut exploded_at) = (Vec::new(), f64::INFINITY, None);
        for u in 0..range.updates {
            config.lr = range.lr(u);
            run.set_config(config)?;
            // One update: its phases, the last applying it.
            let before = run.history().len();
            while run.history().len() == before {
                if run.step_phase() != TrainOutcome::Stepped {
                    break;
                }
            }
            let loss = run.current().metrics.train_loss;
            if run.history().len() == before || !loss.is_finite() || loss > 4.0 * least {
                exploded_at = Some(config.lr);
                break;
            }
            least = least.min(loss);
            points.push((config.lr, loss));
        }
        Ok(RangeResult { range, suggestion: suggestion(&points), points, exploded_at })
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
    }
}
