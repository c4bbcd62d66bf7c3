//! The numbers of the current iteration and the next update written out, in
//! the optimizer's own form, for checking a step with pencil and paper.

use serde::Serialize;

use crate::format::{exact, pair, sig, subscript, superscript};
use crate::optim::{Optimizer, ParamStep};
use crate::run::DescentRun;

/// What the readout panel shows.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Readout {
    /// t.
    pub iteration: usize,
    /// θₜ, rounded for display, and exactly.
    pub theta: [String; 2],
    pub theta_exact: [f64; 2],
    /// J(θₜ).
    pub value: String,
    /// ∇J(θₜ).
    pub gradient: [String; 2],
    /// α of the next step.
    pub lr: String,
    /// The next update, one equation a line.
    pub update: Vec<String>,
    /// Why the run cannot go on, when it cannot.
    pub status: Option<String>,
}

/// The readout of `run` with every number to `digits` significant digits.
pub fn readout(run: &DescentRun, digits: usize) -> Readout {
    let now = run.current();
    let d = |x: f64| sig(x, digits);
    let status = match run.diverged_at() {
        Some(k) => Some(format!(
            "Diverged at iteration {k}: the update gave a value too large to represent. Lower the learning rate, press Back or Reset."
        )),
        None if !now.value.is_finite() => Some(format!(
            "J(θ) at iteration {} is too large to represent (beyond 1.8e308): the run is diverging. Lower the learning rate, press Back or Reset.",
            run.iteration()
        )),
        None => None,
    };
    let update = if run.diverged_at().is_some() { Vec::new() } else { update_lines(run, digits) };
    Readout {
        iteration: run.iteration(),
        theta: now.theta.map(d),
        theta_exact: now.theta,
        value: d(now.value),
        gradient: now.gradient.map(d),
        lr: d(run.lr()),
        update,
        status,
    }
}

/// The next update, θₜ₊₁ from θₜ, written from the record of what the
/// optimizer computed for it.
fn update_lines(run: &DescentRun, digits: usize) -> Vec<String> {
    let Some((next, record)) = run.preview().and_then(|next| next.update.map(|record| (next, record))) else {
        let k = run.iteration() + 1;
        return vec![format!("The next update (iteration {k}) gives a non-finite value: the run diverges there.")];
    };
    let now = run.current();
    let t = run.iteration();
    let (tn, tp) = (subscript(t), subscript(t + 1));
    let p = |v: [f64; 2]| pair(v, digits);
    let n = |x: f64| sig(x, digits);
    let of = |field: fn(&ParamStep) -> f64| record.map(|s| field(&s));
    let at = |v: &[f64]| -> [f64; 2] { [v.first().copied().unwrap_or(0.0), v.get(1).copied().unwrap_or(0.0)] };
    let fresh = !run.optimizer().fits(&now.state, 2);
    let prev_first = if fresh { [0.0; 2] } else { at(&now.state.first) };
    let prev_second = if fresh { [0.0; 2] } else { at(&now.state.second) };
    let (g, first, second, direction) = (of(|s| s.grad), of(|s| s.first), of(|s| s.second), of(|s| s.direction));
    let alpha = n(run.lr());
    let mut lines = vec![format!("g{tn} = ∇J(θ{tn}) = {}", p(g))];
    let theta_line = |rule: &str| format!("θ{tp} = θ{tn} − {rule} = {} − {alpha}·{} = {}", p(now.theta), p(direction), p(next.theta));
    // Scaled by the root of `s`: (a / (√s + ε), …) for both components.
    let scaled = |a: [f64; 2], s: [f64; 2], eps: f64| {
        let e = exact(eps);
        format!("({} / (√{} + {e}), {} / (√{} + {e}))", n(a[0]), n(s[0]), n(a[1]), n(s[1]))
    };
    match *run.optimizer() {
        Optimizer::Sgd => lines.push(theta_line(&format!("α·g{tn}"))),
        Optimizer::Momentum { momentum } => {
            lines.push(format!("v{tp} = μ·v{tn} + g{tn} = {}·{} + {} = {}", exact(momentum), p(prev_first), p(g), p(first)));
            lines.push(theta_line(&format!("α·v{tp}")));
        }
        Optimizer::Nesterov { momentum } => {
            let mu = exact(momentum);
            lines.push(format!("v{tp} = μ·v{tn} + g{tn} = {mu}·{} + {} = {}", p(prev_first), p(g), p(first)));
            lines.push(format!("g{tn} + μ·v{tp} = {} + {mu}·{} = {}", p(g), p(first), p(direction)));
            lines.push(theta_line(&format!("α·(g{tn} + μ·v{tp})")));
        }
        Optimizer::Adagrad { eps } => {
            lines.push(format!("s{tp} = s{tn} + g{tn}² = {} + {}² = {}", p(prev_second), p(g), p(second)));
            lines.push(format!("g{tn} / (√s{tp} + ε) = {} = {}", scaled(g, second, eps), p(direction)));
            lines.push(theta_line(&format!("α·g{tn} / (√s{tp} + ε)")));
        }
        Optimizer::Rmsprop { rho, eps } => {
            lines.push(format!(
                "s{tp} = ρ·s{tn} + (1 − ρ)·g{tn}² = {}·{} + {}·{}² = {}",
                exact(rho),
                p(prev_second),
                n(1.0 - rho),
                p(g),
                p(second)
            ));
            lines.push(format!("g{tn} / (√s{tp} + ε) = {} = {}", scaled(g, second, eps), p(direction)));
            lines.push(theta_line(&format!("α·g{tn} / (√s{tp} + ε)")));
        }
        Optimizer::Adam { beta1, beta2, eps } => {
            let step = next.state.t;
            let [c1, c2] = run.optimizer().bias_corrections(step);
            let (m_hat, v_hat) = (of(|s| s.m_hat), of(|s| s.v_hat));
            let sup = superscript(step as usize);
            lines.push(format!(
                "m{tp} = β₁·m{tn} + (1 − β₁)·g{tn} = {}·{} + {}·{} = {}",
                exact(beta1),
                p(prev_first),
                n(1.0 - beta1),
                p(g),
                p(first)
            ));
            lines.push(format!(
                "v{tp} = β₂·v{tn} + (1 − β₂)·g{tn}² = {}·{} + {}·{}² = {}",
                exact(beta2),
                p(prev_second),
                n(1.0 - beta2),
                p(g),
                p(second)
            ));
            lines.push(format!("m̂ = m{tp} / (1 − β₁{sup}) = {} / {} = {}", p(first), n(c1), p(m_hat)));
            lines.push(format!("v̂ = v{tp} / (1 − β₂{sup}) = {} / {} = {}", p(second), n(c2), p(v_hat)));
            lines.push(format!("m̂ / (√v̂ + ε) = {} = {}", scaled(m_hat, v_hat, eps), p(direction)));
            lines.push(theta_line("α·m̂ / (√v̂ + ε)"));
        }
    }
    lines.push(format!("J(θ{tp}) = {}", n(next.value)));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::Surface;

    fn run_at(optimizer: &str, steps: usize) -> DescentRun {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::from_id(optimizer).unwrap(), 0.1, [-0.8, 0.7]).unwrap();
        for _ in 0..steps {
            r.step();
        }
        r
    }

    #[test]
    fn sgd_update_is_written_with_the_numbers_of_the_next_step() {
        let r = run_at("sgd", 2);
        let out = readout(&r, 6);
        assert_eq!(out.iteration, 2);
        // θ₂ = (-0.8·0.9², 0.7·0²) = (-0.648, 0); g = ∇f = (x, 10y).
        assert_eq!(out.theta, ["-0.648".to_string(), "0".to_string()]);
        assert_eq!(out.update[0], "g₂ = ∇J(θ₂) = (-0.648, 0)");
        assert_eq!(out.update[1], "θ₃ = θ₂ − α·g₂ = (-0.648, 0) − 0.1·(-0.648, 0) = (-0.5832, 0)");
    }

    /// A number as the readout writes it, with the largest error its rounding
    /// to `digits` significant digits can hide, for each component.
    #[derive(Clone, Debug)]
    struct Shown {
        value: Vec<f64>,
        error: Vec<f64>,
    }

    impl Shown {
        fn scalar(value: f64, error: f64) -> Shown {
            Shown { value: vec![value], error: vec![error] }
        }

        /// Component by component (a scalar stands for both components of a pair).
        fn combine(&self, other: &Shown, f: impl Fn(f64, f64, f64, f64) -> (f64, f64)) -> Shown {
            let n = self.value.len().max(other.value.len());
            let at = |s: &Shown, i: usize| (s.value[i.min(s.value.len() - 1)], s.error[i.min(s.error.len() - 1)]);
            let (value, error) = (0..n)
                .map(|i| {
                    let ((a, ea), (b, eb)) = (at(self, i), at(other, i));
                    f(a, ea, b, eb)
                })
                .unzip();
            Shown { value, error }
        }

        fn map(&self, f: impl Fn(f64, f64) -> (f64, f64)) -> Shown {
            let (value, error) = self.value.iter().zip(&self.error).map(|(v, e)| f(*v, *e)).unzip();
            Shown { value, error }
        }
    }

    /// Evaluates the arithmetic of one side of a written equation
    /// ("(0.1, 2) − 0.1·(√4 + 1e-8)²"), carrying the rounding error of every number shown.
    struct Arithmetic<'a> {
        text: &'a [char],
        at: usize,
        digits: usize,
    }

    impl Arithmetic<'_> {
        fn eval(text: &str, digits: usize) -> Shown {
            let chars: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
            let mut a = Arithmetic { text: &chars, at: 0, digits };
            let value = a.sum();
            assert_eq!(a.at, chars.len(), "unread text in {text:?}");
            value
        }

        fn peek(&self) -> Option<char> {
            self.text.get(self.at).copied()
        }

        fn sum(&mut self) -> Shown {
            let mut value = self.product();
            while let Some(op) = self.peek().filter(|c| *c == '+' || *c == '−') {
                self.at += 1;
                let sign = if op == '+' { 1.0 } else { -1.0 };
                value = value.combine(&self.product(), |a, ea, b, eb| (a + sign * b, ea + eb));
            }
            value
        }

        fn product(&mut self) -> Shown {
            let mut value = self.power();
            while let Some(op) = self.peek().filter(|c| *c == '·' || *c == '/') {
                self.at += 1;
                let other = self.power();
                value = if op == '·' {
                    value.combine(&other, |a, ea, b, eb| (a * b, a.abs() * eb + b.abs() * ea + ea * eb))
                } else {
                    value.combine(&other, |a, ea, b, eb| {
                        let error = if b.abs() > eb { (a.abs() * eb + b.abs() * ea) / (b.abs() * (b.abs() - eb)) } else { f64::INFINITY };
                        (a / b, error)
                    })
                };
            }
            value
        }

        fn power(&mut self) -> Shown {
            let value = self.atom();
            if self.peek() == Some('²') {
                self.at += 1;
                return value.map(|a, e| (a * a, 2.0 * a.abs() * e + e * e));
            }
            value
        }

        fn atom(&mut self) -> Shown {
            match self.peek() {
                Some('√') => {
                    self.at += 1;
                    self.atom().map(|a, e| (a.sqrt(), (a + e).sqrt() - (a - e).max(0.0).sqrt()))
                }
                Some('(') => {
                    self.at += 1;
                    let first = self.sum();
                    let value = if self.peek() == Some(',') {
                        self.at += 1;
                        let second = self.sum();
                        Shown { value: vec![first.value[0], second.value[0]], error: vec![first.error[0], second.error[0]] }
                    } else {
                        first
                    };
                    assert_eq!(self.peek(), Some(')'), "a bracket is not closed");
                    self.at += 1;
                    value
                }
                _ => {
                    let start = self.at;
                    while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == '-') {
                        let exponent_sign = self.peek() == Some('-') && self.at > start && self.text[self.at - 1] != 'e';
                        if exponent_sign {
                            break;
                        }
                        self.at += 1;
                    }
                    let written: String = self.text[start..self.at].iter().collect();
                    let x: f64 = written.parse().unwrap_or_else(|_| panic!("not a number: {written:?}"));
                    // `sig` writes "0" only for 0 itself; otherwise half a unit of the last digit kept.
                    let error = if x == 0.0 { 0.0 } else { 0.5 * 10f64.powi(x.abs().log10().floor() as i32 - self.digits as i32 + 1) };
                    Shown::scalar(x, error)
                }
            }
        }
    }

    /// Checks that every chain of numbers in `line` ("… = a = b = c") holds at
    /// the digits shown; returns how many equalities it checked.
    fn equalities_hold(line: &str, digits: usize) -> usize {
        let numeric = |side: &str| side.chars().all(|c| "0123456789.e-+−·/√²(), ".contains(c));
        let sides: Vec<Shown> =
            line.split(" = ").map(str::trim).filter(|side| numeric(side)).map(|side| Arithmetic::eval(side, digits)).collect();
        for pair in sides.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert_eq!(a.value.len(), b.value.len(), "{line}");
            for i in 0..a.value.len() {
                let slack = 1e-12 * a.value[i].abs().max(b.value[i].abs());
                let off = (a.value[i] - b.value[i]).abs();
                assert!(off <= 1.01 * (a.error[i] + b.error[i]) + slack, "at {digits} digits, {line}: {} ≠ {}", a.value[i], b.value[i]);
            }
        }
        sides.len().saturating_sub(1)
    }

    #[test]
    fn every_written_equation_holds_at_the_digits_shown() {
        let surfaces = [Surface::Quadratic, Surface::Rosenbrock, Surface::from_id("linear_regression").unwrap()];
        for surface in surfaces {
            for id in crate::optim::OPTIMIZER_IDS {
                let start = surface.default_start();
                let mut r = DescentRun::new(surface.clone(), Optimizer::from_id(id).unwrap(), surface.default_lr(), start).unwrap();
                for t in 0..6 {
                    for digits in [2, 3, 6, 10] {
                        let out = readout(&r, digits);
                        let checked: usize = out.update.iter().map(|line| equalities_hold(line, digits)).sum();
                        // Every line but g and J(θ) carries an equation between numbers.
                        assert!(checked >= out.update.len() - 2, "{id} at t = {t}: {:?}", out.update);
                    }
                    r.step();
                }
            }
        }
    }

    #[test]
    fn constants_are_written_as_typed() {
        let mut r = run_at("adam", 1);
        r.set_hyper("beta2", 0.999, crate::run::Apply::Replay).unwrap();
        let out = readout(&r, 2);
        assert!(out.update.iter().any(|l| l.contains("= 0.999·(")), "{:?}", out.update);
        assert!(out.update.iter().any(|l| l.contains("+ 1e-8))")), "{:?}", out.update);
    }

    #[test]
    fn every_optimizer_ends_with_the_theta_it_will_step_to() {
        for id in crate::optim::OPTIMIZER_IDS {
            let mut r = run_at(id, 3);
            let out = readout(&r, 8);
            let theta_line = out.update.iter().find(|l| l.starts_with("θ₄")).unwrap_or_else(|| panic!("{id}: {:?}", out.update));
            r.step();
            let expected = pair(r.current().theta, 8);
            assert!(theta_line.ends_with(&format!("= {expected}")), "{id}: {theta_line} vs {expected}");
        }
    }

    #[test]
    fn diverged_run_says_so_and_shows_no_update() {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 1000.0, [1.0, 1.0]).unwrap();
        while !matches!(r.step(), crate::run::StepOutcome::Diverged(_)) {}
        let out = readout(&r, 6);
        assert!(out.status.unwrap().starts_with(&format!("Diverged at iteration {}", r.diverged_at().unwrap())));
        assert!(out.update.is_empty());
    }
}
