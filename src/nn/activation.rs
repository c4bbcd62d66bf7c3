//! Activation functions and their derivatives.

use super::elementary::{exp, tanh};
use crate::named::Named;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// σ(z) = 1 / (1 + e⁻ᶻ); σ'(z) = σ(z)(1 − σ(z)).
    Sigmoid,
    /// tanh z; tanh'(z) = 1 − tanh² z.
    Tanh,
    /// max(0, z); relu'(z) = 1 for z > 0, 0 for z ≤ 0.
    Relu,
    /// z; linear'(z) = 1.
    Linear,
}

impl Named for Activation {
    const WHAT: &'static str = "activation";
    const ALL: &'static [Activation] = &[Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Linear];

    fn id(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Linear => "linear",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid σ",
            Activation::Tanh => "tanh",
            Activation::Relu => "ReLU",
            Activation::Linear => "linear (none)",
        }
    }
}

crate::serde_by_id!(Activation);

impl Activation {
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => 1.0 / (1.0 + exp(-z)),
            Activation::Tanh => tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::Linear => z,
        }
    }

    /// act'(z), given z and a = act(z).
    pub fn derivative(self, z: f64, a: f64) -> f64 {
        match self {
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Linear => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_central_differences() {
        for &act in Activation::ALL {
            let id = act.id();
            for z in [-2.5, -0.3, 0.4, 1.7] {
                let h = 1e-6;
                let numeric = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                assert!((act.derivative(z, act.apply(z)) - numeric).abs() < 1e-8, "{id} at {z}");
            }
        }
        assert_eq!(Activation::Relu.derivative(0.0, 0.0), 0.0);
    }
}
