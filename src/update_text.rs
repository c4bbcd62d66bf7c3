//! One update written out in the optimizer's own form, with its numbers, for
//! checking with pencil and paper. The descent lab's readout (θ, two
//! components) and the backprop lab's update phase (one weight) share it;
//! every number comes from the optimizer's record of the update it made.

use crate::format::{constant, factor, sig, superscript};
use crate::optim::{Optimizer, ParamStep};

/// What the quantities are called: the parameter ("θ", "W²₁,₁"), the
/// marks of the iterate before and after the update ("₃" and "₄", or "" and
/// "′"), and the learning rate ("α", or "αₖ" under a schedule).
pub struct Symbols<'a> {
    pub param: &'a str,
    pub now: &'a str,
    pub next: &'a str,
    pub lr: &'a str,
}

/// The numbers of one update of N components.
pub struct UpdateNumbers<const N: usize> {
    /// The parameter before and after.
    pub before: [f64; N],
    pub after: [f64; N],
    /// The optimizer's memory before the update (see [`ParamStep`]).
    pub first_before: [f64; N],
    pub second_before: [f64; N],
    /// What the update computed, component by component.
    pub steps: [ParamStep; N],
    /// α and the update's step count t.
    pub lr: f64,
    pub t: u32,
}

/// `v` written as the page writes numbers: "(a, b)" for a pair; one number
/// alone, bracketed when negative and `operand` (a factor in a product).
fn written<const N: usize>(v: [f64; N], digits: usize, operand: bool) -> String {
    match v.as_slice() {
        [one] if operand => factor(*one, digits),
        [one] => sig(*one, digits),
        _ => format!("({})", v.map(|x| sig(x, digits)).join(", ")),
    }
}

/// The lines of the update, from the optimizer's first memory to the new parameter.
pub fn update_lines<const N: usize>(optimizer: Optimizer, symbols: &Symbols, u: &UpdateNumbers<N>, digits: usize) -> Vec<String> {
    let Symbols { param, now, next, lr } = *symbols;
    let of = |field: fn(&ParamStep) -> f64| u.steps.map(|s| field(&s));
    let (g, first, second, direction) = (of(|s| s.grad), of(|s| s.first), of(|s| s.second), of(|s| s.direction));
    let w = |v: [f64; N]| written(v, digits, true);
    let result = |v: [f64; N]| written(v, digits, false);
    let n = |x: f64| sig(x, digits);
    let g_name = format!("g{now}");
    let param_line = |rule: &str| {
        format!(
            "{param}{next} = {param}{now} − {rule} = {} − {}·{} = {}",
            w(u.before),
            constant(u.lr, digits),
            w(direction),
            result(u.after)
        )
    };
    // a / (√s + ε), component by component.
    let scaled = |a: [f64; N], s: [f64; N], eps: f64| {
        let e = constant(eps, digits);
        let items: Vec<String> = (0..N).map(|i| format!("{} / (√{} + {e})", written([a[i]], digits, true), n(s[i]))).collect();
        if N == 1 {
            items[0].clone()
        } else {
            format!("({})", items.join(", "))
        }
    };
    let mut lines = Vec::new();
    match optimizer {
        Optimizer::Sgd => lines.push(param_line(&format!("{lr}·{g_name}"))),
        Optimizer::Momentum { momentum } => {
            let mu = constant(momentum, digits);
            lines.push(format!("v{next} = μ·v{now} + {g_name} = {mu}·{} + {} = {}", w(u.first_before), w(g), result(first)));
            lines.push(param_line(&format!("{lr}·v{next}")));
        }
        Optimizer::Nesterov { momentum } => {
            let mu = constant(momentum, digits);
            lines.push(format!("v{next} = μ·v{now} + {g_name} = {mu}·{} + {} = {}", w(u.first_before), w(g), result(first)));
            lines.push(format!("{g_name} + μ·v{next} = {} + {mu}·{} = {}", w(g), w(first), result(direction)));
            lines.push(param_line(&format!("{lr}·({g_name} + μ·v{next})")));
        }
        Optimizer::Adagrad { eps } => {
            lines.push(format!("s{next} = s{now} + {g_name}² = {} + {}² = {}", w(u.second_before), w(g), result(second)));
            lines.push(format!("{g_name} / (√s{next} + ε) = {} = {}", scaled(g, second, eps), result(direction)));
            lines.push(param_line(&format!("{lr}·{g_name} / (√s{next} + ε)")));
        }
        Optimizer::Rmsprop { rho, eps } => {
            lines.push(format!(
                "s{next} = ρ·s{now} + (1 − ρ)·{g_name}² = {}·{} + {}·{}² = {}",
                constant(rho, digits),
                w(u.second_before),
                n(1.0 - rho),
                w(g),
                result(second)
            ));
            lines.push(format!("{g_name} / (√s{next} + ε) = {} = {}", scaled(g, second, eps), result(direction)));
            lines.push(param_line(&format!("{lr}·{g_name} / (√s{next} + ε)")));
        }
        Optimizer::Adam { beta1, beta2, eps } => {
            let [c1, c2] = optimizer.bias_corrections(u.t);
            let (m_hat, v_hat) = (of(|s| s.m_hat), of(|s| s.v_hat));
            let t = superscript(u.t as usize);
            lines.push(format!(
                "m{next} = β₁·m{now} + (1 − β₁)·{g_name} = {}·{} + {}·{} = {}",
                constant(beta1, digits),
                w(u.first_before),
                n(1.0 - beta1),
                w(g),
                result(first)
            ));
            lines.push(format!(
                "v{next} = β₂·v{now} + (1 − β₂)·{g_name}² = {}·{} + {}·{}² = {}",
                constant(beta2, digits),
                w(u.second_before),
                n(1.0 - beta2),
                w(g),
                result(second)
            ));
            lines.push(format!("m̂ = m{next} / (1 − β₁{t}) = {} / {} = {}", w(first), n(c1), result(m_hat)));
            lines.push(format!("v̂ = v{next} / (1 − β₂{t}) = {} / {} = {}", w(second), n(c2), result(v_hat)));
            lines.push(format!("m̂ / (√v̂ + ε) = {} = {}", scaled(m_hat, v_hat, eps), result(direction)));
            lines.push(param_line(&format!("{lr}·m̂ / (√v̂ + ε)")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One weight's momentum update: negative numbers in products are bracketed, as a textbook writes them.
    #[test]
    fn a_single_weights_update_brackets_its_negative_factors() {
        let step = ParamStep { grad: -0.5, first: -0.59, direction: -0.59, ..ParamStep::default() };
        let numbers =
            UpdateNumbers { before: [0.2], after: [0.259], first_before: [-0.1], second_before: [0.0], steps: [step], lr: 0.1, t: 2 };
        let lines = update_lines(Optimizer::Momentum { momentum: 0.9 }, &Symbols { param: "w", now: "", next: "′", lr: "α" }, &numbers, 4);
        assert_eq!(lines[0], "v′ = μ·v + g = 0.9·(-0.1) + (-0.5) = -0.59");
        assert_eq!(lines[1], "w′ = w − α·v′ = 0.2 − 0.1·(-0.59) = 0.259");
    }
}
