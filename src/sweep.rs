//! The learning-rate sweep both labs share: a range of α spaced evenly on a
//! log scale, each run for N steps (or epochs) from the same start, and what
//! each run reached. Each lab runs its own kind of run (see
//! `descent::sweep` and `nn::lab::sweep`).

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::descent::run::check_lr;
use crate::link::{count, number};

/// What the sweep covers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SweepRange {
    /// The smallest and largest α (α₀ under a schedule).
    pub lo: f64,
    pub hi: f64,
    /// How many α, spaced evenly on a log scale from `lo` to `hi`.
    pub count: usize,
    /// N: the steps (descent) or epochs (a network) each run takes.
    pub steps: usize,
}

impl Default for SweepRange {
    /// 200 values of α from 10⁻⁴ to 10, 100 steps each.
    fn default() -> Self {
        SweepRange { lo: 1e-4, hi: 10.0, count: 200, steps: 100 }
    }
}

/// The most α values and steps of a sweep.
pub const MAX_SWEEP_POINTS: usize = 1000;
pub const MAX_SWEEP_STEPS: usize = 10_000;

impl SweepRange {
    /// The range, when its ends are learning rates with `lo` below `hi`, and
    /// its counts are within bounds (its steps are steps of descent).
    pub fn checked(self) -> Result<SweepRange, String> {
        self.checked_for(&tr!("steps"))
    }

    /// As [`SweepRange::checked`], the runs' steps called `unit` in messages ("epochs" for a network).
    pub fn checked_for(self, unit: &str) -> Result<SweepRange, String> {
        check_lr(self.lo).map_err(|e| tr!("the sweep's smallest α: {e}", e = e))?;
        check_lr(self.hi).map_err(|e| tr!("the sweep's largest α: {e}", e = e))?;
        if self.lo >= self.hi {
            return Err(tr!(
                "the sweep's range is empty or reversed: from {a} to {b}; the first must be below the second",
                a = self.lo,
                b = self.hi
            ));
        }
        if !(2..=MAX_SWEEP_POINTS).contains(&self.count) {
            return Err(tr!(
                "the sweep takes 2 to {max_sweep_points} values of α (got {a})",
                max_sweep_points = MAX_SWEEP_POINTS,
                a = self.count
            ));
        }
        if !(1..=MAX_SWEEP_STEPS).contains(&self.steps) {
            return Err(tr!(
                "each run of the sweep takes 1 to {max_sweep_steps} {unit} (got {a})",
                max_sweep_steps = MAX_SWEEP_STEPS,
                unit = unit,
                a = self.steps
            ));
        }
        Ok(self)
    }

    /// α number `i` of the sweep: lo·(hi/lo)^(i/(count − 1)).
    pub fn lr(&self, i: usize) -> f64 {
        if i + 1 == self.count {
            return self.hi;
        }
        self.lo * (self.hi / self.lo).powf(i as f64 / (self.count - 1) as f64)
    }
}

/// One α of the sweep and how its run went.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepPoint {
    pub lr: f64,
    /// J (or the training loss) after N steps; None when θ overflowed before (see `diverged_at`).
    pub value: Option<f64>,
    /// The test loss after N epochs, for a network with test points.
    pub test_value: Option<f64>,
    /// The update (or epoch) whose θ was no longer finite, when that happened within N steps.
    pub diverged_at: Option<usize>,
    /// The first iteration at which a stopping condition held (the iteration cap aside), within N steps.
    pub reached: Option<usize>,
}

impl crate::wire::Wire for SweepPoint {
    const WHAT: &'static str = "the sweep's point";
}

/// The α of `points` nearest `lr` on the log scale, when there are any.
pub fn nearest(points: &[SweepPoint], lr: f64) -> Option<f64> {
    points.iter().map(|p| p.lr).min_by(|a, b| (a.ln() - lr.ln()).abs().total_cmp(&(b.ln() - lr.ln()).abs()))
}

/// A sweep's range as a link writes it: "lo,hi,count,steps".
pub fn link_value(r: SweepRange) -> String {
    format!("{},{},{},{}", r.lo, r.hi, r.count, r.steps)
}

/// A sweep's range as a link writes it, read back and checked.
pub fn read_link_value(raw: &str) -> Result<SweepRange, String> {
    let [lo, hi, n, steps] = crate::link::parts(raw, "lo,hi,count,steps")?;
    SweepRange { lo: number(lo)?, hi: number(hi)?, count: count(n)?, steps: count(steps)? }.checked()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_ranges_are_named() {
        for (range, says) in [
            (SweepRange { lo: 1.0, hi: 0.1, ..SweepRange::default() }, "reversed"),
            (SweepRange { lo: 0.1, hi: 0.1, ..SweepRange::default() }, "empty"),
            (SweepRange { lo: 0.0, ..SweepRange::default() }, "smallest α"),
            (SweepRange { hi: f64::NAN, ..SweepRange::default() }, "largest α"),
            (SweepRange { count: 1, ..SweepRange::default() }, "2 to 1000"),
            (SweepRange { steps: 0, ..SweepRange::default() }, "1 to 10000"),
        ] {
            assert!(range.checked().unwrap_err().contains(says), "{range:?}");
        }
        assert!(SweepRange::default().checked().is_ok());
    }

    #[test]
    fn a_range_goes_through_a_link_and_the_nearest_alpha_is_found_on_the_log_scale() {
        let r = SweepRange { lo: 0.001, hi: 2.5, count: 30, steps: 80 };
        assert_eq!(read_link_value(&link_value(r)), Ok(r));
        assert!(read_link_value("1,2,3").is_err() && read_link_value("2,1,30,80").is_err());
        let point = |lr| SweepPoint { lr, value: None, test_value: None, diverged_at: None, reached: None };
        let points = [point(0.01), point(0.1), point(1.0)];
        assert_eq!(nearest(&points, 0.3), Some(0.1), "0.3 is nearer 0.1 than 1 on a log scale");
        assert_eq!(nearest(&points, 0.4), Some(1.0));
        assert_eq!(nearest(&[], 0.4), None);
    }

    /// The ends are exactly the range's, though lo·(hi/lo) may round off (0.07·(0.3/0.07) is 0.30000000000000004).
    #[test]
    fn the_first_and_last_alpha_are_the_ends_exactly() {
        for (lo, hi) in [(0.001, 10.0), (1e-4, 3.0), (0.07, 0.3)] {
            let r = SweepRange { lo, hi, count: 9, steps: 10 };
            assert_eq!((r.lr(0), r.lr(8)), (lo, hi));
        }
    }
}
