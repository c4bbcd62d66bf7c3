//! Optimizers: their hyper-parameters, their per-run memory, and one update.
//!
//! With g = ∇f(pₜ₋₁) at step t = 1, 2, … and all memory starting at 0 (the
//! definitions PyTorch documents, without weight decay):
//!
//! | optimizer | update |
//! | --- | --- |
//! | sgd | p ← p − α·g |
//! | momentum | v ← μ·v + g;  p ← p − α·v |
//! | nesterov | v ← μ·v + g;  p ← p − α·(g + μ·v) |
//! | adagrad | s ← s + g²;  p ← p − α·g / (√s + ε) |
//! | rmsprop | s ← ρ·s + (1 − ρ)·g²;  p ← p − α·g / (√s + ε) |
//! | adam | m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  p ← p − α·m̂ / (√v̂ + ε) |

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::named::Named;

/// An optimizer and its constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    /// The seed's plain gradient descent.
    Sgd,
    /// Heavy-ball momentum with coefficient μ = `momentum`.
    Momentum { momentum: f64 },
    /// Nesterov momentum with coefficient μ = `momentum`.
    Nesterov { momentum: f64 },
    /// AdaGrad with ε = `eps`.
    Adagrad { eps: f64 },
    /// RMSProp with decay ρ = `rho` and ε = `eps`.
    Rmsprop { rho: f64, eps: f64 },
    /// Adam with decays β₁ = `beta1`, β₂ = `beta2` and ε = `eps`.
    Adam { beta1: f64, beta2: f64, eps: f64 },
}

/// An optimizer's memory between steps, one entry per parameter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptimState {
    /// t: the number of updates applied so far.
    pub t: u32,
    /// The velocity v (momentum, nesterov) or the first moment m (adam); empty for the others.
    pub first: Vec<f64>,
    /// The sum of squared gradients s (adagrad), their running average s
    /// (rmsprop) or the second moment v (adam); empty for the others.
    pub second: Vec<f64>,
}

/// By id, each with its usual constants (`from_id` gives those).
impl Named for Optimizer {
    const WHAT: &'static str = "optimizer";
    const ALL: &'static [Optimizer] = &[
        Optimizer::Sgd,
        Optimizer::Momentum { momentum: 0.9 },
        Optimizer::Nesterov { momentum: 0.9 },
        Optimizer::Adagrad { eps: 1e-10 },
        Optimizer::Rmsprop { rho: 0.99, eps: 1e-8 },
        Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    ];

    fn id(self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Nesterov { .. } => "nesterov",
            Optimizer::Adagrad { .. } => "adagrad",
            Optimizer::Rmsprop { .. } => "rmsprop",
            Optimizer::Adam { .. } => "adam",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Optimizer::Sgd => "Gradient descent",
            Optimizer::Momentum { .. } => "Momentum",
            Optimizer::Nesterov { .. } => "Nesterov",
            Optimizer::Adagrad { .. } => "AdaGrad",
            Optimizer::Rmsprop { .. } => "RMSProp",
            Optimizer::Adam { .. } => "Adam",
        }
    }
}

// Serde writes an optimizer as its id; read back, it has its usual constants.
crate::serde_by_id!(Optimizer);

impl Optimizer {
    /// The constants of this optimizer, by name, in display order.
    pub fn hypers(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Optimizer::Sgd => vec![],
            Optimizer::Momentum { momentum } | Optimizer::Nesterov { momentum } => {
                vec![("momentum", momentum)]
            }
            Optimizer::Adagrad { eps } => vec![("eps", eps)],
            Optimizer::Rmsprop { rho, eps } => vec![("rho", rho), ("eps", eps)],
            Optimizer::Adam { beta1, beta2, eps } => {
                vec![("beta1", beta1), ("beta2", beta2), ("eps", eps)]
            }
        }
    }

    /// Sets the constant `name` to `value`, or says why it cannot be.
    pub fn set_hyper(&mut self, name: &str, value: f64) -> Result<(), String> {
        let slot = match (self, name) {
            (Optimizer::Momentum { momentum } | Optimizer::Nesterov { momentum }, "momentum") => momentum,
            (Optimizer::Adagrad { eps } | Optimizer::Rmsprop { eps, .. } | Optimizer::Adam { eps, .. }, "eps") => eps,
            (Optimizer::Rmsprop { rho, .. }, "rho") => rho,
            (Optimizer::Adam { beta1, .. }, "beta1") => beta1,
            (Optimizer::Adam { beta2, .. }, "beta2") => beta2,
            (opt, _) => return Err(tr!("{a} has no constant \"{name}\"", a = opt.id(), name = name)),
        };
        let valid = if name == "eps" { value > 0.0 && value < 1.0 } else { (0.0..1.0).contains(&value) };
        if !valid {
            let range = if name == "eps" { "between 0 and 1, above 0" } else { "at least 0 and below 1" };
            return Err(tr!("{name} must be {range}; got {value}", name = name, range = range, value = crate::format::typed(value)));
        }
        *slot = value;
        Ok(())
    }

    /// The lengths of the memory this optimizer keeps for `n` parameters: (first, second).
    fn memory_lengths(&self, n: usize) -> (usize, usize) {
        match self {
            Optimizer::Sgd => (0, 0),
            Optimizer::Momentum { .. } | Optimizer::Nesterov { .. } => (n, 0),
            Optimizer::Adagrad { .. } | Optimizer::Rmsprop { .. } => (0, n),
            Optimizer::Adam { .. } => (n, n),
        }
    }

    /// Fresh memory for `n` parameters.
    pub fn init_state(&self, n: usize) -> OptimState {
        let (first, second) = self.memory_lengths(n);
        OptimState { t: 0, first: vec![0.0; first], second: vec![0.0; second] }
    }

    /// Whether `state` is memory of the shape this optimizer keeps for `n` parameters.
    pub fn fits(&self, state: &OptimState, n: usize) -> bool {
        self.memory_lengths(n) == (state.first.len(), state.second.len())
    }

    /// One update with learning rate α = `lr`: moves `params` against `grad`
    /// and advances `state` (which must come from [`Optimizer::init_state`]).
    pub fn apply(&self, lr: f64, params: &mut [f64], grad: &[f64], state: &mut OptimState) {
        self.apply_recorded(lr, params, grad, state, |_, _| {});
    }

    /// [`Optimizer::apply`], handing `record` each parameter's index and the
    /// numbers its update computed: what the page writes out is what was done.
    #[inline(always)]
    pub fn apply_recorded(
        &self,
        lr: f64,
        params: &mut [f64],
        grad: &[f64],
        state: &mut OptimState,
        mut record: impl FnMut(usize, ParamStep),
    ) {
        state.t += 1;
        let mut step = |i: usize, p: &mut f64, s: ParamStep| {
            *p -= lr * s.direction;
            record(i, s);
        };
        match *self {
            Optimizer::Sgd => {
                for (i, (p, &g)) in params.iter_mut().zip(grad).enumerate() {
                    step(i, p, ParamStep { grad: g, direction: g, ..ParamStep::default() });
                }
            }
            Optimizer::Momentum { momentum: mu } => {
                for (i, ((p, &g), v)) in params.iter_mut().zip(grad).zip(&mut state.first).enumerate() {
                    *v = mu * *v + g;
                    step(i, p, ParamStep { grad: g, first: *v, direction: *v, ..ParamStep::default() });
                }
            }
            Optimizer::Nesterov { momentum: mu } => {
                for (i, ((p, &g), v)) in params.iter_mut().zip(grad).zip(&mut state.first).enumerate() {
                    *v = mu * *v + g;
                    step(i, p, ParamStep { grad: g, first: *v, direction: g + mu * *v, ..ParamStep::default() });
                }
            }
            Optimizer::Adagrad { eps } => {
                for (i, ((p, &g), s)) in params.iter_mut().zip(grad).zip(&mut state.second).enumerate() {
                    *s += g * g;
                    step(i, p, ParamStep { grad: g, second: *s, direction: g / (s.sqrt() + eps), ..ParamStep::default() });
                }
            }
            Optimizer::Rmsprop { rho, eps } => {
                for (i, ((p, &g), s)) in params.iter_mut().zip(grad).zip(&mut state.second).enumerate() {
                    *s = rho * *s + (1.0 - rho) * g * g;
                    step(i, p, ParamStep { grad: g, second: *s, direction: g / (s.sqrt() + eps), ..ParamStep::default() });
                }
            }
            Optimizer::Adam { beta1, beta2, eps } => {
                let [c1, c2] = self.bias_corrections(state.t);
                for (i, (((p, &g), m), v)) in params.iter_mut().zip(grad).zip(&mut state.first).zip(&mut state.second).enumerate() {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    let (m_hat, v_hat) = (*m / c1, *v / c2);
                    step(i, p, ParamStep { grad: g, first: *m, second: *v, m_hat, v_hat, direction: m_hat / (v_hat.sqrt() + eps) });
                }
            }
        }
    }

    /// Adam's bias corrections (1 − β₁ᵗ, 1 − β₂ᵗ) at update t; (1, 1) for the others.
    pub fn bias_corrections(&self, t: u32) -> [f64; 2] {
        match *self {
            Optimizer::Adam { beta1, beta2, .. } => [1.0 - beta1.powi(t as i32), 1.0 - beta2.powi(t as i32)],
            _ => [1.0, 1.0],
        }
    }
}

/// What one update computed for one parameter p, the numbers a student
/// checks: p ← p − α·`direction`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ParamStep {
    /// g, the gradient the update used.
    pub grad: f64,
    /// After the update: the velocity v (momentum, Nesterov) or the first moment m (Adam); 0 for the others.
    pub first: f64,
    /// After the update: s (AdaGrad, RMSProp) or the second moment v (Adam); 0 for the others.
    pub second: f64,
    /// Adam's corrected moments m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ); 0 for the others.
    pub m_hat: f64,
    pub v_hat: f64,
    /// d, the step direction: g (sgd), v (momentum), g + μ·v (Nesterov),
    /// g/(√s + ε) (AdaGrad, RMSProp), m̂/(√v̂ + ε) (Adam).
    pub direction: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyper_parameters_are_validated_and_named() {
        let mut adam = Optimizer::from_id("adam").unwrap();
        adam.set_hyper("beta1", 0.5).unwrap();
        assert_eq!(adam.hypers()[0], ("beta1", 0.5));
        assert!(adam.set_hyper("beta1", 1.0).unwrap_err().contains("below 1"));
        assert!(adam.set_hyper("eps", 0.0).unwrap_err().contains("above 0"));
        assert!(adam.set_hyper("eps", 1.0).is_err() && adam.set_hyper("beta2", 1.0).is_err());
        assert!(adam.set_hyper("beta2", 0.0).is_ok(), "0 is a valid decay");
        assert!(adam.set_hyper("eps", f64::NAN).is_err());
        assert!(adam.set_hyper("momentum", 0.5).unwrap_err().contains("no constant"));
        assert!(Optimizer::from_id("lbfgs").unwrap_err().contains("adam"));
    }

    /// The record of every parameter's update is what the update did: its g,
    /// the memory it left, and a direction d with p ← p − α·d.
    #[test]
    fn each_record_is_the_update_that_was_made() {
        for &optimizer in Optimizer::ALL {
            let (lr, grad) = (0.1, [0.3, -2.0, 0.0]);
            let mut state = optimizer.init_state(3);
            let mut params = [1.0, -1.0, 0.5];
            optimizer.apply(lr, &mut params, &[-0.5, 1.0, 0.25], &mut state);
            let before = params;
            let mut records = Vec::new();
            optimizer.apply_recorded(lr, &mut params, &grad, &mut state, |i, s| records.push((i, s)));
            assert_eq!(records.iter().map(|r| r.0).collect::<Vec<_>>(), [0, 1, 2], "{}", optimizer.id());
            for (i, s) in records {
                assert_eq!(s.grad, grad[i], "{}", optimizer.id());
                assert_eq!(params[i], before[i] - lr * s.direction, "{}", optimizer.id());
                assert_eq!(s.first, state.first.get(i).copied().unwrap_or(0.0), "{}", optimizer.id());
                assert_eq!(s.second, state.second.get(i).copied().unwrap_or(0.0), "{}", optimizer.id());
                if let Optimizer::Adam { .. } = optimizer {
                    let [c1, c2] = optimizer.bias_corrections(2);
                    assert_eq!((s.m_hat, s.v_hat), (s.first / c1, s.second / c2));
                }
            }
        }
    }

    /// With g = 0.5 and ε = 0.5 the first adaptive step is g / (√(g²) + ε) = 0.5 (AdaGrad);
    /// RMSProp's s = (1 − ρ)·g² and Adam's corrected moments give the same root, |g|.
    #[test]
    fn adaptive_steps_add_epsilon_to_the_root() {
        for id in ["adagrad", "rmsprop", "adam"] {
            let mut optimizer = Optimizer::from_id(id).unwrap();
            optimizer.set_hyper("eps", 0.5).unwrap();
            let mut p = [0.0];
            let mut s = optimizer.init_state(1);
            optimizer.apply(1.0, &mut p, &[0.5], &mut s);
            let root = if id == "rmsprop" { (0.01f64 * 0.25).sqrt() } else { 0.5 };
            assert!((p[0] + 0.5 / (root + 0.5)).abs() < 1e-12, "{id}: {}", p[0]);
        }
    }

    #[test]
    fn adam_first_step_moves_by_about_lr_in_each_coordinate() {
        // With bias correction, the first Adam step is α·g/(|g| + ε) ≈ α·sign(g).
        let adam = Optimizer::from_id("adam").unwrap();
        let mut p = [1.0, 1.0];
        let mut s = adam.init_state(2);
        adam.apply(0.1, &mut p, &[3.0, -0.002], &mut s);
        assert!((p[0] - 0.9).abs() < 1e-8 && (p[1] - 1.1).abs() < 1e-5, "{p:?}");
        assert_eq!(s.t, 1);
    }
}
