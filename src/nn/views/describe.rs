//! What the slow views show now, in words (their charts' text alternatives):
//! the loss along the line from the initial weights and the loss landscape,
//! from the pictures shown, at the readout's digits.

use crate::tr;
use serde_json::{json, Value};

use super::SlowViews;
use crate::format::sig;

/// The lowest and highest finite numbers of `values`, when there is one.
fn range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |r, v| Some(r.map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v)))))
}

impl SlowViews {
    /// The line's and the landscape's text alternatives ("computing…" until each has a picture).
    pub fn describe(&self, digits: usize) -> Value {
        let n = |x: f64| sig(x, digits);
        let line = self.line.shown().filter(|job| !job.line.is_empty()).map_or_else(
            || tr!("The loss along the line from the initial weights: computing."),
            |job| {
                let at = |s: f64| job.line.iter().find(|(t, _)| (t - s).abs() < 1e-9).map(|(_, l)| n(*l));
                let lowest = job.line.iter().filter(|(_, l)| l.is_finite()).min_by(|a, b| a.1.total_cmp(&b.1));
                let mut text = tr!(
                    "The loss along the straight line through the initial weights (s = 0) and the weights now (s = 1), for s from {from} to {to}",
                    from = n(job.line[0].0),
                    to = n(job.line[job.line.len() - 1].0)
                );
                if let (Some(start), Some(now)) = (at(0.0), at(1.0)) {
                    text += &tr!(": L = {start} at the start and {now} now", start = start, now = now);
                }
                if let Some((s, l)) = lowest {
                    text += &tr!("; lowest, {loss}, at s = {s}", loss = n(*l), s = n(*s));
                }
                tr!("{text}.", text = text)
            },
        );
        let landscape = self
            .landscape
            .shown()
            .and_then(|job| job.made())
            .and_then(|made| made.as_ref().ok())
            .and_then(|landscape| landscape.grid.finest());
        let landscape = landscape.map_or_else(
            || tr!("The loss landscape: computing."),
            |level| match range(level.values.iter().copied()) {
                Some((lo, hi)) => {
                    tr!("The loss over the plane on a {n} × {n} grid, from {lo} to {hi}.", n = level.n, lo = n(lo), hi = n(hi))
                }
                None => tr!("The loss over the plane on a {n} × {n} grid: no finite value.", n = level.n),
            },
        );
        json!({ "line": line, "landscape": landscape })
    }
}
