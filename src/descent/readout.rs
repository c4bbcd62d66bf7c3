//! The numbers of the current iteration and the next update written out, in
//! the optimizer's own form, for checking a step with pencil and paper.

use crate::tr;
use serde::Serialize;

use crate::descent::batches::Batches;
use crate::descent::run::DescentRun;
use crate::descent::schedule::Schedule;
use crate::format::{pair, sig, superscript};
use crate::update_text::{self, Symbols, UpdateNumbers};

/// What the readout panel shows.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Readout {
    /// t.
    pub iteration: usize,
    /// θₜ (or xₜ alone for a curve of one variable), rounded for display.
    pub theta: Vec<String>,
    /// J(θₜ).
    pub value: String,
    /// ∇J(θₜ) (or f′(xₜ) alone).
    pub gradient: Vec<String>,
    /// αₖ of the next step (k = t; α itself unless a schedule changes it).
    pub lr: String,
    /// The pass over the data the next step belongs to, with mini-batches.
    pub epoch: Option<usize>,
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
        Some(k) if run.surface().is_typed() => Some(tr!("Stopped at iteration {k}: the step lands where f or its gradient is not defined or not a finite number (the log or square root of a negative, a division by 0, an overflow). Lower the learning rate, press Back or Reset, or start elsewhere.", k = k)),
        Some(k) => Some(tr!("Diverged at iteration {k}: the update gave a value too large to represent. Lower the learning rate, press Back or Reset.", k = k)),
        None if !now.value.is_finite() => Some(tr!("J(θ) at iteration {a} is too large to represent (beyond 1.8e308): the run is diverging. Lower the learning rate, press Back or Reset.", a = run.iteration())),
        None => None,
    };
    let update = if run.diverged_at().is_some() { Vec::new() } else { update_lines(run, digits) };
    // A curve's second coordinate stays 0: it is not shown.
    let shown = if run.surface().curve().is_some() { 1 } else { 2 };
    Readout {
        iteration: run.iteration(),
        theta: now.theta[..shown].iter().map(|v| d(*v)).collect(),
        value: d(now.value),
        gradient: now.gradient[..shown].iter().map(|v| d(*v)).collect(),
        lr: d(run.next_lr()),
        epoch: run.epoch().filter(|_| *run.batches() != Batches::Full),
        update,
        status,
    }
}

/// "⁽ᵗ⁾": the mark of iterate t.
fn iterate(t: usize) -> String {
    format!("⁽{}⁾", superscript(t))
}

/// The next update, θ⁽ᵗ⁺¹⁾ from θ⁽ᵗ⁾, written from the record of what the
/// optimizer computed for it.
fn update_lines(run: &DescentRun, digits: usize) -> Vec<String> {
    let Some((next, steps)) = run.preview().and_then(|next| next.update.map(|steps| (next, steps))) else {
        let k = run.iteration() + 1;
        return vec![tr!("The next update (iteration {k}) gives a non-finite value: the run diverges there.", k = k)];
    };
    let now = run.current();
    let t = run.iteration();
    // The iterate's number is a bracketed superscript, θ⁽³⁾, apart from θ's components θ₀ and θ₁.
    let (tn, tp) = (iterate(t), iterate(t + 1));
    let fresh = !run.optimizer().fits(&now.state, 2);
    // Memory an optimizer does not keep is 0, as is a fresh optimizer's.
    let memory = |v: &[f64]| if fresh || v.is_empty() { [0.0; 2] } else { [v[0], v[1]] };
    let numbers = UpdateNumbers {
        before: now.theta,
        after: next.theta,
        first_before: memory(&now.state.first),
        second_before: memory(&now.state.second),
        steps,
        lr: next.lr_used.unwrap_or(run.lr()),
        t: next.state.t,
    };
    let g = pair(steps.map(|s| s.grad), digits);
    let mut lines = vec![match run.next_batch() {
        Some(rows) => {
            let listed: Vec<String> = rows.iter().map(|i| (i + 1).to_string()).collect();
            tr!("g{tn} = ∇J_b(θ{tn}) over the batch of rows {a} = {g}", tn = tn, a = listed.join(", "), g = g)
        }
        None => format!("g{tn} = ∇J(θ{tn}) = {g}"),
    }];
    if *run.schedule() != Schedule::Constant {
        lines.push(tr!(
            "αₖ at k = {t}: {formula} with α₀ = {alpha0} → {alpha}",
            t = t,
            formula = run.schedule().formula(),
            alpha0 = sig(run.lr(), digits),
            alpha = sig(numbers.lr, digits)
        ));
    }
    let lr = if *run.schedule() == Schedule::Constant { "α" } else { "αₖ" };
    if run.surface().curve().is_some() {
        // One variable: x and f′(x), the slope of the tangent.
        let one = |v: [f64; 2]| [v[0]];
        let numbers = UpdateNumbers {
            before: one(numbers.before),
            after: one(numbers.after),
            first_before: one(numbers.first_before),
            second_before: one(numbers.second_before),
            steps: [numbers.steps[0]],
            lr: numbers.lr,
            t: numbers.t,
        };
        lines[0] = format!("g{tn} = f′(x{tn}) = {}", sig(steps[0].grad, digits));
        lines.extend(update_text::update_lines(*run.optimizer(), &Symbols { param: "x", now: &tn, next: &tp, lr }, &numbers, digits));
        lines.push(format!("f(x{tp}) = {}", sig(next.value, digits)));
        return lines;
    }
    lines.extend(update_text::update_lines(*run.optimizer(), &Symbols { param: "θ", now: &tn, next: &tp, lr }, &numbers, digits));
    lines.push(format!("J(θ{tp}) = {}", sig(next.value, digits)));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::surface::Surface;
    use crate::named::Named;
    use crate::optim::Optimizer;

    fn run_at(optimizer: &str, steps: usize) -> DescentRun {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::from_id(optimizer).unwrap(), 0.1, [-0.8, 0.7]).unwrap();
        for _ in 0..steps {
            r.step();
        }
        r
    }

    /// On a curve the readout is one variable's: xₜ, f′(xₜ) and x⁽ᵗ⁺¹⁾ = x⁽ᵗ⁾ − α·f′(x⁽ᵗ⁾) in numbers.
    #[test]
    fn a_curve_s_update_is_written_in_x_and_its_slope() {
        let mut r = DescentRun::new(Surface::from_id("curve_square").unwrap(), Optimizer::Sgd, 0.1, [1.8, 0.0]).unwrap();
        r.step();
        let out = readout(&r, 6);
        // x₁ = 1.8 − 0.1·3.6 = 1.44; f′(1.44) = 2.88.
        assert_eq!((out.theta, out.gradient, out.value), (vec!["1.44".to_string()], vec!["2.88".to_string()], "2.0736".to_string()));
        assert_eq!(out.update[0], "g⁽¹⁾ = f′(x⁽¹⁾) = 2.88");
        assert_eq!(out.update[1], "x⁽²⁾ = x⁽¹⁾ − α·g⁽¹⁾ = 1.44 − 0.1·2.88 = 1.152");
        assert_eq!(out.update[2], "f(x⁽²⁾) = 1.3271");
    }

    #[test]
    fn sgd_update_is_written_with_the_numbers_of_the_next_step() {
        let r = run_at("sgd", 2);
        let out = readout(&r, 6);
        assert_eq!(out.iteration, 2);
        // θ₂ = (-0.8·0.9², 0.7·0²) = (-0.648, 0); g = ∇f = (x, 10y).
        assert_eq!(out.theta, ["-0.648".to_string(), "0".to_string()]);
        assert_eq!(out.update[0], "g⁽²⁾ = ∇J(θ⁽²⁾) = (-0.648, 0)");
        assert_eq!(out.update[1], "θ⁽³⁾ = θ⁽²⁾ − α·g⁽²⁾ = (-0.648, 0) − 0.1·(-0.648, 0) = (-0.5832, 0)");
    }

    #[test]
    fn a_scheduled_mini_batch_update_names_its_rows_and_its_rate() {
        use crate::descent::batches::Batches;
        let surface = Surface::from_id("linear_regression").unwrap();
        let run = DescentRun::new(surface, Optimizer::Sgd, 0.1, [0.0, 0.0]).unwrap();
        let mut r =
            run.with_schedule(Schedule::Exponential { gamma: 0.5 }).unwrap().with_batches(Batches::seeded(3, 8, 30).unwrap()).unwrap();
        for _ in 0..11 {
            r.step();
        }
        let out = readout(&r, 6);
        assert_eq!((out.lr.as_str(), out.epoch), ("4.88281e-5", Some(1)), "α₁₁ = 0.1·0.5¹¹; update 11 is in the second pass of ten");
        let rows: Vec<String> = r.next_batch().unwrap().iter().map(|i| (i + 1).to_string()).collect();
        let g = r.next_gradient().map(|v| sig(v, 6));
        assert_eq!(out.update[0], format!("g⁽¹¹⁾ = ∇J_b(θ⁽¹¹⁾) over the batch of rows {} = ({}, {})", rows.join(", "), g[0], g[1]));
        assert_eq!(out.update[1], "αₖ at k = 11: αₖ = α₀·0.5ᵏ with α₀ = 0.1 → 4.88281e-5");
        assert!(out.update[2].starts_with("θ⁽¹²⁾ = θ⁽¹¹⁾ − αₖ·g⁽¹¹⁾ = "), "{}", out.update[2]);
        assert!(out.update[2].contains(" − 4.8828125e-5·("), "the update uses αₖ, written exactly: {}", out.update[2]);
        assert_eq!(crate::arithmetic_check::equalities_hold(&out.update[2], 6), 1, "{}", out.update[2]);
    }

    #[test]
    fn every_written_equation_holds_at_the_digits_shown() {
        let surfaces = [Surface::Quadratic, Surface::Rosenbrock, Surface::from_id("linear_regression").unwrap()];
        for surface in surfaces {
            for &optimizer in Optimizer::ALL {
                let (start, id) = (surface.default_start(), optimizer.id());
                let mut r = DescentRun::new(surface.clone(), optimizer, surface.default_lr(), start).unwrap();
                for t in 0..6 {
                    for digits in [2, 3, 6, 10] {
                        let out = readout(&r, digits);
                        let checked: usize = out.update.iter().map(|line| crate::arithmetic_check::equalities_hold(line, digits)).sum();
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
        r.set_hyper("beta2", 0.999, crate::descent::run::Apply::Replay).unwrap();
        let out = readout(&r, 2);
        assert!(out.update.iter().any(|l| l.contains("= 0.999·(")), "{:?}", out.update);
        assert!(out.update.iter().any(|l| l.contains("+ 1e-8))")), "{:?}", out.update);
    }

    #[test]
    fn every_optimizer_ends_with_the_theta_it_will_step_to() {
        for id in Optimizer::ALL.iter().map(|o| o.id()) {
            let mut r = run_at(id, 3);
            let out = readout(&r, 8);
            let theta_line = out.update.iter().find(|l| l.starts_with("θ⁽⁴⁾")).unwrap_or_else(|| panic!("{id}: {:?}", out.update));
            r.step();
            let expected = pair(r.current().theta, 8);
            assert!(theta_line.ends_with(&format!("= {expected}")), "{id}: {theta_line} vs {expected}");
        }
    }

    /// On the quadratic at α = 5, y grows 49-fold a step: J overflows some steps before θ does.
    /// The readout says J is too large while θ is finite, and names the update that will diverge.
    #[test]
    fn a_run_heading_for_divergence_says_so_before_it_diverges() {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 5.0, [0.0, 1.0]).unwrap();
        assert_eq!(readout(&r, 6).status, None);
        while r.current().value.is_finite() && r.iteration() < 1000 {
            r.step();
        }
        let t = r.iteration();
        assert!(readout(&r, 6).status.unwrap().starts_with(&format!("J(θ) at iteration {t} is too large to represent")));
        while r.preview().is_some() && r.iteration() < 1000 {
            r.step();
        }
        let k = r.iteration() + 1;
        assert_eq!(readout(&r, 6).update, [format!("The next update (iteration {k}) gives a non-finite value: the run diverges there.")]);
        assert_eq!(r.step(), crate::descent::run::StepOutcome::Diverged(k));
    }

    #[test]
    fn diverged_run_says_so_and_shows_no_update() {
        let mut r = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 1000.0, [1.0, 1.0]).unwrap();
        // Bounded, so a broken step fails the test instead of hanging it.
        for _ in 0..10_000 {
            if matches!(r.step(), crate::descent::run::StepOutcome::Diverged(_)) {
                break;
            }
        }
        let out = readout(&r, 6);
        assert!(out.status.unwrap().starts_with(&format!("Diverged at iteration {}", r.diverged_at().unwrap())));
        assert!(out.update.is_empty());
    }
}
