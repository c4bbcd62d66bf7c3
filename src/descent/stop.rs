//! When a descent run stops by itself: "repeat until a stopping condition is
//! met", as the seed writes the loop. Each condition is on or off; Play stops
//! at the first that holds, and Step may still go on past it.

use crate::tr;
use serde::{Deserialize, Serialize};

use super::run::{DescentRun, Snapshot};
use crate::format::sig;
use crate::link::{count, number, LinkReader};

/// The stopping conditions of a descent run, each off when `None`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopRule {
    /// ε: stop when ‖∇J(θ⁽ᵗ⁾)‖ < ε.
    pub gradient: Option<f64>,
    /// Stop when the loss changed by less than this share of itself:
    /// |J(θ⁽ᵗ⁾) − J(θ⁽ᵗ⁻¹⁾)| < tol · |J(θ⁽ᵗ⁻¹⁾)| (relative).
    pub loss_change: Option<f64>,
    /// Stop when the step was shorter than this: ‖θ⁽ᵗ⁾ − θ⁽ᵗ⁻¹⁾‖ < tol.
    pub step: Option<f64>,
    /// Stop at this iteration.
    pub iterations: Option<usize>,
}

impl Default for StopRule {
    /// ‖∇J‖ < 10⁻⁶ or 10,000 iterations.
    fn default() -> Self {
        StopRule { gradient: Some(1e-6), loss_change: None, step: None, iterations: Some(10_000) }
    }
}

/// Which condition held, with the value that met its threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    Gradient { norm: f64, threshold: f64 },
    LossChange { change: f64, threshold: f64 },
    Step { length: f64, threshold: f64 },
    Iterations { limit: usize },
}

impl StopRule {
    /// The rule, when every threshold is a positive number (and the iteration cap at least 1).
    pub fn checked(self) -> Result<StopRule, String> {
        for (name, value) in [("‖∇J‖", self.gradient), ("the change of J", self.loss_change), ("the step length", self.step)] {
            if let Some(v) = value {
                if !(v > 0.0 && v.is_finite()) {
                    return Err(tr!(
                        "the threshold of {name} must be a number above 0 (got {v})",
                        name = name,
                        v = crate::format::typed(v)
                    ));
                }
            }
        }
        if self.iterations == Some(0) {
            return Err(tr!("the most iterations must be at least 1"));
        }
        Ok(self)
    }

    /// The rule's part of a link: each condition that differs from the default, "off" or its threshold.
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        let default = StopRule::default();
        let write = |v: Option<f64>| v.map_or_else(|| "off".to_string(), |x| x.to_string());
        let mut pairs = Vec::new();
        for (key, mine, theirs) in [
            ("until_grad", self.gradient, default.gradient),
            ("until_change", self.loss_change, default.loss_change),
            ("until_step", self.step, default.step),
            ("until_iter", self.iterations.map(|n| n as f64), default.iterations.map(|n| n as f64)),
        ] {
            if mine != theirs {
                pairs.push((key, write(mine)));
            }
        }
        pairs
    }

    /// The rule a link holds, the default standing in for what it lacks or
    /// cannot use (named in `r`'s notice).
    pub fn read_link(r: &mut LinkReader) -> StopRule {
        let threshold = |v: &str| -> Result<Option<f64>, String> {
            if v == "off" {
                return Ok(None);
            }
            number(v).and_then(|x| if x > 0.0 { Ok(Some(x)) } else { Err("not above 0".into()) })
        };
        let mut rule = StopRule::default();
        if let Some(v) = r.read("until_grad", threshold) {
            rule.gradient = v;
        }
        if let Some(v) = r.read("until_change", threshold) {
            rule.loss_change = v;
        }
        if let Some(v) = r.read("until_step", threshold) {
            rule.step = v;
        }
        if let Some(v) = r.read("until_iter", |v| {
            if v == "off" {
                Ok(None)
            } else {
                count(v).and_then(|n| if n > 0 { Ok(Some(n)) } else { Err("0".into()) })
            }
        }) {
            rule.iterations = v;
        }
        rule
    }

    /// Each active condition's value now beside its threshold, for the readout
    /// ("‖∇J‖ = 0.0032, stop below 1e-6").
    pub fn progress(&self, run: &DescentRun, digits: usize) -> Vec<String> {
        let n = |x: f64| sig(x, digits);
        let t = run.iteration();
        let now = run.current();
        let before = t.checked_sub(1).map(|k| &run.history()[k]);
        let mut lines = Vec::new();
        if let Some(threshold) = self.gradient {
            lines.push(tr!(
                "‖∇J‖ = {value}, stop below {threshold}",
                value = n(now.gradient[0].hypot(now.gradient[1])),
                threshold = n(threshold)
            ));
        }
        if let (Some(threshold), Some(b)) = (self.loss_change, before) {
            lines.push(tr!(
                "|ΔJ| / J = {value}, stop below {threshold}",
                value = n((now.value - b.value).abs() / b.value.abs()),
                threshold = n(threshold)
            ));
        }
        if let (Some(threshold), Some(b)) = (self.step, before) {
            let length = (now.theta[0] - b.theta[0]).hypot(now.theta[1] - b.theta[1]);
            lines.push(tr!("‖Δθ‖ = {value}, stop below {threshold}", value = n(length), threshold = n(threshold)));
        }
        if let Some(limit) = self.iterations {
            lines.push(tr!("t = {t}, stop at {limit}", t = t, limit = limit));
        }
        lines
    }

    /// The first condition that holds at the run's current iteration, if any.
    pub fn met(&self, run: &DescentRun) -> Option<Stop> {
        self.met_on(run.history())
    }

    /// The first iteration of `history` (θ⁽⁰⁾ … θ⁽ᵗ⁾) at which a condition held, and which, if any.
    pub fn first_met(&self, history: &[Snapshot]) -> Option<(usize, Stop)> {
        (1..=history.len()).find_map(|n| self.met_on(&history[..n]).map(|stop| (n - 1, stop)))
    }

    /// The first condition that holds at the last iteration of `history`.
    fn met_on(&self, history: &[Snapshot]) -> Option<Stop> {
        let now = history.last()?;
        let t = history.len() - 1;
        let [gx, gy] = now.gradient;
        if let Some(threshold) = self.gradient {
            let norm = gx.hypot(gy);
            if norm < threshold {
                return Some(Stop::Gradient { norm, threshold });
            }
        }
        if t > 0 {
            let before = &history[t - 1];
            if let Some(threshold) = self.loss_change {
                let change = (now.value - before.value).abs() / before.value.abs();
                if change < threshold {
                    return Some(Stop::LossChange { change, threshold });
                }
            }
            if let Some(threshold) = self.step {
                let length = (now.theta[0] - before.theta[0]).hypot(now.theta[1] - before.theta[1]);
                if length < threshold {
                    return Some(Stop::Step { length, threshold });
                }
            }
        }
        match self.iterations {
            Some(limit) if t >= limit => Some(Stop::Iterations { limit }),
            _ => None,
        }
    }
}

impl Stop {
    /// What the page says, at `digits` significant digits: "Converged at iteration 57: ‖∇J‖ = 8.7e-7 < 1e-6".
    pub fn message(&self, t: usize, digits: usize) -> String {
        let n = |x: f64| sig(x, digits);
        match *self {
            Stop::Gradient { norm, threshold } => tr!("Converged at iteration {t}: ‖∇J‖ = {a} < {b}", t = t, a = n(norm), b = n(threshold)),
            Stop::LossChange { change, threshold } => {
                tr!("Converged at iteration {t}: J changed by {a} of itself, less than {b}", t = t, a = n(change), b = n(threshold))
            }
            Stop::Step { length, threshold } => {
                tr!("Converged at iteration {t}: the step ‖θ⁽ᵗ⁾ − θ⁽ᵗ⁻¹⁾‖ = {a} < {b}", t = t, a = n(length), b = n(threshold))
            }
            Stop::Iterations { limit } => tr!("Stopped at iteration {t}: the most iterations, {limit}, are done", t = t, limit = limit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::surface::Surface;
    use crate::optim::Optimizer;

    /// Plain descent on 0.5·(x² + 10y²) from (x₀, 0): x⁽ᵗ⁾ = x₀·(1 − α)ᵗ and ‖∇J‖ = |x⁽ᵗ⁾|,
    /// so ‖∇J‖ < ε first at t = ⌈ln(ε/x₀) / ln(1 − α)⌉.
    #[test]
    fn the_gradient_condition_stops_where_the_formula_says() {
        let (x0, lr, eps) = (0.8, 0.1, 1e-6);
        let mut run = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, lr, [x0, 0.0]).unwrap();
        let rule = StopRule { gradient: Some(eps), iterations: None, ..StopRule::default() };
        let expected = ((eps / x0).ln() / (1.0 - lr).ln()).ceil() as usize;
        while rule.met(&run).is_none() && run.iteration() < 1000 {
            run.step();
        }
        assert_eq!(run.iteration(), expected);
        let Some(stop @ Stop::Gradient { norm, .. }) = rule.met(&run) else { panic!("the gradient condition") };
        assert!(norm < eps && norm >= eps * (1.0 - lr));
        assert_eq!(stop.message(expected, 2), format!("Converged at iteration {expected}: ‖∇J‖ = {} < 1e-6", sig(norm, 2)));
    }

    /// There J⁽ᵗ⁾ = 0.5·x₀²·(1 − α)²ᵗ: each step changes J by 1 − (1 − α)² of itself, 19 % at α = 0.1;
    /// and the step is α·|x⁽ᵗ⁻¹⁾|.
    #[test]
    fn the_loss_change_step_and_iteration_conditions_hold_when_they_should() {
        let mut run = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.1, [0.8, 0.0]).unwrap();
        run.step();
        let relative = StopRule { gradient: None, loss_change: Some(0.2), step: None, iterations: None };
        assert!(matches!(relative.met(&run), Some(Stop::LossChange { change, .. }) if (change - 0.19).abs() < 1e-12));
        assert_eq!(StopRule { loss_change: Some(0.18), ..relative }.met(&run), None);
        // Steps 0.1·0.8·0.9ᵗ⁻¹ fall below 0.01 first at t = 21 (0.08·0.9²⁰ = 0.0097).
        let short = StopRule { gradient: None, loss_change: None, step: Some(0.01), iterations: None };
        while short.met(&run).is_none() && run.iteration() < 1000 {
            run.step();
        }
        assert_eq!(run.iteration(), 21);
        run.step();
        assert_eq!(short.first_met(run.history()).map(|(t, _)| t), Some(21), "where it first held, after stepping past");
        run.back();
        let capped = StopRule { gradient: None, loss_change: None, step: None, iterations: Some(21) };
        assert_eq!(capped.met(&run), Some(Stop::Iterations { limit: 21 }));
        run.back();
        assert_eq!(capped.met(&run), None);
    }

    #[test]
    fn a_rule_goes_through_a_link_and_bad_values_are_named() {
        let rule = StopRule { gradient: None, loss_change: Some(1e-9), step: None, iterations: Some(500) };
        let link = crate::link::write(&rule.link_pairs());
        assert_eq!(link, "until_grad=off&until_change=0.000000001&until_iter=500");
        let mut r = LinkReader::new(&link);
        assert_eq!(StopRule::read_link(&mut r), rule);
        assert_eq!(r.notice(), "");
        assert!(StopRule::default().link_pairs().is_empty(), "the default writes nothing");
        let mut r = LinkReader::new("until_grad=-1&until_iter=0&until_step=off");
        assert_eq!(StopRule::read_link(&mut r), StopRule { step: None, ..StopRule::default() });
        assert!(r.notice().contains("until_grad, until_iter"));
    }

    #[test]
    fn the_readout_shows_each_active_condition_beside_its_threshold() {
        let mut run = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.1, [0.8, 0.0]).unwrap();
        let all = StopRule { gradient: Some(1e-6), loss_change: Some(1e-9), step: Some(1e-9), iterations: Some(50) };
        assert_eq!(all.progress(&run, 3), ["‖∇J‖ = 0.8, stop below 1e-6", "t = 0, stop at 50"], "no change nor step before the first");
        run.step();
        assert_eq!(
            all.progress(&run, 3),
            ["‖∇J‖ = 0.72, stop below 1e-6", "|ΔJ| / J = 0.19, stop below 1e-9", "‖Δθ‖ = 0.08, stop below 1e-9", "t = 1, stop at 50"]
        );
        assert!(StopRule { gradient: None, loss_change: None, step: None, iterations: None }.progress(&run, 3).is_empty());
    }

    /// "Below" is strict: a value equal to its threshold does not stop the run; a step moves both components.
    #[test]
    fn a_value_equal_to_its_threshold_is_not_below_it() {
        let mut run = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.01, [0.6, 0.08]).unwrap();
        let off = StopRule { gradient: None, loss_change: None, step: None, iterations: None };
        let norm = 0.6f64.hypot(0.8);
        assert_eq!(StopRule { gradient: Some(norm), ..off }.met(&run), None);
        assert!(StopRule { gradient: Some(norm * 1.000001), ..off }.met(&run).is_some());
        run.step();
        let (now, before) = (&run.history()[1], &run.history()[0]);
        let change = (now.value - before.value).abs() / before.value.abs();
        let length = (now.theta[0] - before.theta[0]).hypot(now.theta[1] - before.theta[1]);
        assert!((length - 0.01 * norm).abs() < 1e-15, "both components moved: {length}");
        assert_eq!(StopRule { loss_change: Some(change), ..off }.met(&run), None);
        assert_eq!(StopRule { step: Some(length), ..off }.met(&run), None);
        assert_eq!(StopRule { step: Some(length * 1.000001), ..off }.met(&run), Some(Stop::Step { length, threshold: length * 1.000001 }));
        assert_eq!(StopRule { step: Some(1.0), ..off }.progress(&run, 4), [format!("‖Δθ‖ = {}, stop below 1", sig(length, 4))]);
        let mut r = LinkReader::new("until_grad=0&until_step=1e-3");
        assert_eq!(StopRule::read_link(&mut r).step, Some(1e-3));
        assert!(r.notice().contains("until_grad"), "a threshold of 0 is not above 0");
    }

    #[test]
    fn thresholds_that_are_not_positive_numbers_are_refused() {
        for bad in [0.0, -1e-6, f64::NAN, f64::INFINITY] {
            assert!(StopRule { gradient: Some(bad), ..StopRule::default() }.checked().is_err(), "{bad}");
            assert!(StopRule { step: Some(bad), ..StopRule::default() }.checked().is_err(), "{bad}");
        }
        assert!(StopRule { iterations: Some(0), ..StopRule::default() }.checked().unwrap_err().contains("at least 1"));
        assert!(StopRule::default().checked().is_ok());
    }
}
