//! The numbers of the current iteration and the next update written out, in
//! the optimizer's own form, for checking a step with pencil and paper.

use serde::Serialize;

use crate::format::{pair, sig, subscript, superscript};
use crate::optim::Optimizer;
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
    let status = run.diverged_at().map(|k| {
        format!("Diverged at iteration {k}: the update gave a value too large to represent. Lower the learning rate, press Back or Reset.")
    });
    let update = if status.is_some() { Vec::new() } else { update_lines(run, digits) };
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

/// The next update, θₜ₊₁ from θₜ, with the actual numbers.
fn update_lines(run: &DescentRun, digits: usize) -> Vec<String> {
    let Some(next) = run.preview() else {
        let k = run.iteration() + 1;
        return vec![format!("The next update (iteration {k}) gives a non-finite value: the run diverges there.")];
    };
    let now = run.current();
    let t = run.iteration();
    let (tn, tp) = (subscript(t), subscript(t + 1));
    let p = |v: [f64; 2]| pair(v, digits);
    let n = |x: f64| sig(x, digits);
    let at = |v: &[f64]| -> [f64; 2] { [v.first().copied().unwrap_or(0.0), v.get(1).copied().unwrap_or(0.0)] };
    let fresh = !run.optimizer().fits(&now.state, 2);
    let prev_first = if fresh { [0.0; 2] } else { at(&now.state.first) };
    let prev_second = if fresh { [0.0; 2] } else { at(&now.state.second) };
    let (first, second) = (at(&next.state.first), at(&next.state.second));
    let g = now.gradient;
    let alpha = n(run.lr());
    let mut lines = vec![format!("g{tn} = ∇J(θ{tn}) = {}", p(g))];
    let theta_line = |rule: &str, step: String| format!("θ{tp} = θ{tn} − {rule} = {} − {alpha}·{step} = {}", p(now.theta), p(next.theta));
    match *run.optimizer() {
        Optimizer::Sgd => lines.push(theta_line(&format!("α·g{tn}"), p(g))),
        Optimizer::Momentum { momentum } => {
            lines.push(format!("v{tp} = μ·v{tn} + g{tn} = {}·{} + {} = {}", n(momentum), p(prev_first), p(g), p(first)));
            lines.push(theta_line(&format!("α·v{tp}"), p(first)));
        }
        Optimizer::Nesterov { momentum } => {
            lines.push(format!("v{tp} = μ·v{tn} + g{tn} = {}·{} + {} = {}", n(momentum), p(prev_first), p(g), p(first)));
            let look = [g[0] + momentum * first[0], g[1] + momentum * first[1]];
            lines.push(format!("g{tn} + μ·v{tp} = {} + {}·{} = {}", p(g), n(momentum), p(first), p(look)));
            lines.push(theta_line(&format!("α·(g{tn} + μ·v{tp})"), p(look)));
        }
        Optimizer::Adagrad { eps } => {
            lines.push(format!("s{tp} = s{tn} + g{tn}² = {} + {}² = {}", p(prev_second), p(g), p(second)));
            let (written, direction) = scaled(g, second, eps, &n);
            lines.push(format!("g{tn} / (√s{tp} + ε) = {written} = {}", p(direction)));
            lines.push(theta_line(&format!("α·g{tn} / (√s{tp} + ε)"), p(direction)));
        }
        Optimizer::Rmsprop { rho, eps } => {
            lines.push(format!(
                "s{tp} = ρ·s{tn} + (1 − ρ)·g{tn}² = {}·{} + {}·{}² = {}",
                n(rho),
                p(prev_second),
                n(1.0 - rho),
                p(g),
                p(second)
            ));
            let (written, direction) = scaled(g, second, eps, &n);
            lines.push(format!("g{tn} / (√s{tp} + ε) = {written} = {}", p(direction)));
            lines.push(theta_line(&format!("α·g{tn} / (√s{tp} + ε)"), p(direction)));
        }
        Optimizer::Adam { beta1, beta2, eps } => {
            let step = next.state.t as usize;
            let c1 = 1.0 - beta1.powi(step as i32);
            let c2 = 1.0 - beta2.powi(step as i32);
            let m_hat = first.map(|m| m / c1);
            let v_hat = second.map(|v| v / c2);
            let sup = superscript(step);
            lines.push(format!(
                "m{tp} = β₁·m{tn} + (1 − β₁)·g{tn} = {}·{} + {}·{} = {}",
                n(beta1),
                p(prev_first),
                n(1.0 - beta1),
                p(g),
                p(first)
            ));
            lines.push(format!(
                "v{tp} = β₂·v{tn} + (1 − β₂)·g{tn}² = {}·{} + {}·{}² = {}",
                n(beta2),
                p(prev_second),
                n(1.0 - beta2),
                p(g),
                p(second)
            ));
            lines.push(format!("m̂ = m{tp} / (1 − β₁{sup}) = {} / {} = {}", p(first), n(c1), p(m_hat)));
            lines.push(format!("v̂ = v{tp} / (1 − β₂{sup}) = {} / {} = {}", p(second), n(c2), p(v_hat)));
            let (written, direction) = scaled(m_hat, v_hat, eps, &n);
            lines.push(format!("m̂ / (√v̂ + ε) = {written} = {}", p(direction)));
            lines.push(theta_line("α·m̂ / (√v̂ + ε)", p(direction)));
        }
    }
    lines.push(format!("J(θ{tp}) = {}", n(next.value)));
    lines
}

/// The step direction of the adaptive optimizers, a/(√s + ε) per coordinate,
/// written out and evaluated.
fn scaled(a: [f64; 2], s: [f64; 2], eps: f64, n: &dyn Fn(f64) -> String) -> (String, [f64; 2]) {
    let direction = [a[0] / (s[0].sqrt() + eps), a[1] / (s[1].sqrt() + eps)];
    let written = format!("({} / (√{} + {}), {} / (√{} + {}))", n(a[0]), n(s[0]), n(eps), n(a[1]), n(s[1]), n(eps));
    (written, direction)
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
