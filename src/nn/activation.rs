//! Activation functions and their derivatives.

use super::elementary::{exp, exp_pair, tanh, tanh_pair_with, Pair, TanhConstants};
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
    /// For the output layer only, over a row of z: aₖ = exp(zₖ − max z) / Σⱼ exp(zⱼ − max z).
    /// With the categorical cross-entropy, δ = (a − y)/m, so its derivative is never taken alone.
    Softmax,
}

impl Named for Activation {
    const WHAT: &'static str = "activation";
    const ALL: &'static [Activation] = &[Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Linear, Activation::Softmax];

    fn id(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Linear => "linear",
            Activation::Softmax => "softmax",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid σ",
            Activation::Tanh => "tanh",
            Activation::Relu => "ReLU",
            Activation::Linear => "linear (none)",
            Activation::Softmax => "softmax (classes)",
        }
    }
}

crate::serde_by_id!(Activation);

impl Activation {
    /// The activations a hidden layer may have (softmax is the output's alone).
    pub const HIDDEN: &'static [Activation] = &[Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Linear];

    /// act(z) of one neuron. Softmax needs the whole row ([`softmax_into`]);
    /// here it is z itself, never used: [`Architecture::validate`](super::network::Architecture::validate)
    /// puts softmax only at the output, with the categorical cross-entropy.
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => 1.0 / (1.0 + exp(-z)),
            Activation::Tanh => tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::Linear | Activation::Softmax => z,
        }
    }

    /// a = act(z) entry by entry (not for softmax, which needs whole rows):
    /// two entries at a time through the two-lane forms of tanh and eˣ.
    pub fn apply_all(self, z: &[f64], a: &mut [f64]) {
        #[inline(always)]
        fn two_at_a_time(z: &[f64], a: &mut [f64], f: impl Fn(Pair) -> Pair) {
            let mut a_pairs = a.chunks_exact_mut(2);
            let mut z_pairs = z.chunks_exact(2);
            for (a2, z2) in (&mut a_pairs).zip(&mut z_pairs) {
                a2.copy_from_slice(&f([z2[0], z2[1]]));
            }
            if let ([a_last], [z_last]) = (a_pairs.into_remainder(), z_pairs.remainder()) {
                *a_last = f([*z_last, *z_last])[0];
            }
        }
        match self {
            Activation::Tanh => {
                let c = TanhConstants::for_a_loop();
                two_at_a_time(z, a, |z| tanh_pair_with(&c, z))
            }
            Activation::Sigmoid => two_at_a_time(z, a, |z| {
                let e = exp_pair([-z[0], -z[1]]);
                [1.0 / (1.0 + e[0]), 1.0 / (1.0 + e[1])]
            }),
            _ => a.iter_mut().zip(z).for_each(|(av, &zv)| *av = self.apply(zv)),
        }
    }

    /// v ⊙= act'(z) entry by entry, given z and a = act(z): one loop for each
    /// activation, each with [`Activation::derivative`] of a known activation (so no choice is made per entry).
    pub fn times_derivative(self, z: &[f64], a: &[f64], v: &mut [f64]) {
        #[inline(always)]
        fn each(act: Activation, z: &[f64], a: &[f64], v: &mut [f64]) {
            v.iter_mut().zip(z).zip(a).for_each(|((v, &z), &a)| *v *= act.derivative(z, a));
        }
        match self {
            Activation::Tanh => each(Activation::Tanh, z, a, v),
            Activation::Sigmoid => each(Activation::Sigmoid, z, a, v),
            Activation::Relu => each(Activation::Relu, z, a, v),
            Activation::Linear => each(Activation::Linear, z, a, v),
            Activation::Softmax => each(Activation::Softmax, z, a, v),
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
            // ∂aₖ/∂zₖ, the diagonal of softmax's Jacobian: not its whole
            // derivative, never used (its δ is (a − y)/m with the categorical cross-entropy).
            Activation::Softmax => a * (1.0 - a),
        }
    }
}

/// a = softmax(z) over one row: aₖ = exp(zₖ − max z) / Σⱼ exp(zⱼ − max z), into `a` (of z's length).
pub fn softmax_into(z: &[f64], a: &mut [f64]) {
    let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (av, &zv) in a.iter_mut().zip(z) {
        *av = exp(zv - top);
    }
    let total: f64 = a.iter().sum();
    a.iter_mut().for_each(|av| *av /= total);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_central_differences() {
        for &act in Activation::HIDDEN {
            let id = act.id();
            for z in [-2.5, -0.3, 0.4, 1.7] {
                let h = 1e-6;
                let numeric = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                assert!((act.derivative(z, act.apply(z)) - numeric).abs() < 1e-8, "{id} at {z}");
            }
        }
        assert_eq!(Activation::Relu.derivative(0.0, 0.0), 0.0);
    }

    /// A layer's activations and derivatives, computed two at a time, are each entry's own.
    #[test]
    fn a_layer_at_once_is_each_entry_alone() {
        for &act in Activation::HIDDEN {
            for len in [0, 1, 2, 5] {
                let z: Vec<f64> = (0..len).map(|i| 1.3 * i as f64 - 2.1).collect();
                let mut a = vec![f64::NAN; len];
                act.apply_all(&z, &mut a);
                let alone: Vec<f64> = z.iter().map(|&z| act.apply(z)).collect();
                assert_eq!(a, alone, "{act:?}, {len} entries");
                let mut v = vec![0.5; len];
                act.times_derivative(&z, &a, &mut v);
                let by_derivative: Vec<f64> = z.iter().zip(&a).map(|(&z, &a)| 0.5 * act.derivative(z, a)).collect();
                assert_eq!(v, by_derivative, "{act:?}, {len} entries");
            }
        }
    }

    /// Softmax makes a row of shares that sum to 1, in the order of z, unchanged by a shift of z and finite for large z.
    #[test]
    fn softmax_rows_are_shares_in_the_order_of_z() {
        let mut a = [0.0; 3];
        softmax_into(&[1.0, 2.0, 3.0], &mut a);
        let e = [1.0f64.exp(), 2.0f64.exp(), 3.0f64.exp()];
        let total: f64 = e.iter().sum();
        for k in 0..3 {
            assert!((a[k] - e[k] / total).abs() < 1e-15, "{k}: {a:?}");
        }
        let mut b = [0.0; 3];
        softmax_into(&[1001.0, 1002.0, 1003.0], &mut b);
        for k in 0..3 {
            assert!((a[k] - b[k]).abs() < 1e-15, "shifted: {b:?}");
        }
    }
}
