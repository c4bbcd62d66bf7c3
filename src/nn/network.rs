//! A fully connected network, its forward pass, its loss and backpropagation.
//!
//! Conventions (one example a row):
//! a⁰ = X;  zˡ = aˡ⁻¹·Wˡ + bˡ;  aˡ = actₗ(zˡ);  δˡ = ∂L/∂zˡ;
//! ∂L/∂Wˡ = aˡ⁻¹ᵀ·δˡ;  ∂L/∂bˡ = column sums of δˡ;  δˡ⁻¹ = (δˡ·Wˡᵀ) ⊙ act'ₗ₋₁(zˡ⁻¹).

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::named::Named;

use super::activation::{softmax_into, Activation};
use super::matrix::{affine_into, gradient_into, times_transpose_into, Mat};
use crate::random::Rng;

/// ε of the cross-entropy: outputs are kept within [ε, 1 − ε] in the loss.
pub const BCE_EPSILON: f64 = 1e-15;

/// The most hidden layers and the most neurons in one hidden layer.
pub const MAX_HIDDEN_LAYERS: usize = 6;
pub const MAX_NEURONS: usize = 16;
/// The most classes a softmax output tells apart.
pub const MAX_CLASSES: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// L = Σ(aᴸ − Y)² / (2m), the seed's squared loss.
    Mse,
    /// L = −Σ[Y·ln aᴸ + (1 − Y)·ln(1 − aᴸ)] / m, for a sigmoid output.
    Bce,
    /// L = −Σᵢ Σₖ Yᵢₖ·ln aᴸᵢₖ / m, the categorical cross-entropy, for a softmax output and one-hot Y.
    Ce,
}

impl Named for Loss {
    const WHAT: &'static str = "loss";
    const ALL: &'static [Loss] = &[Loss::Bce, Loss::Mse, Loss::Ce];

    fn id(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::Bce => "bce",
            Loss::Ce => "ce",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Loss::Mse => "squared error",
            Loss::Bce => "cross-entropy",
            Loss::Ce => "categorical cross-entropy",
        }
    }
}

crate::serde_by_id!(Loss);

impl Loss {
    /// L(aᴸ, Y) (for the binary cross-entropy with aᴸ kept within [ε, 1 − ε],
    /// for the categorical one at ε or above).
    pub fn value(self, output: &Mat, y: &Mat) -> f64 {
        let m = output.rows.max(1) as f64;
        match self {
            Loss::Mse => output.data.iter().zip(&y.data).map(|(a, t)| (a - t).powi(2)).sum::<f64>() / (2.0 * m),
            Loss::Bce => {
                // A saturated sigmoid gives exactly 0 or 1, whose logarithm is
                // −∞: keep aᴸ within [ε, 1 − ε] so a confident network has a
                // large finite loss, not an infinite one.
                let eps = BCE_EPSILON;
                -output
                    .data
                    .iter()
                    .zip(&y.data)
                    .map(|(a, t)| {
                        let a = a.clamp(eps, 1.0 - eps);
                        t * a.ln() + (1.0 - t) * (1.0 - a).ln()
                    })
                    .sum::<f64>()
                    / m
            }
            // aᴸ kept at ε or above (NaN stays NaN: a diverged run must show it).
            Loss::Ce => {
                -output.data.iter().zip(&y.data).map(|(a, t)| t * if a.is_nan() { *a } else { a.max(BCE_EPSILON) }.ln()).sum::<f64>() / m
            }
        }
    }

    /// Whether δᴸ = (aᴸ − Y)/m: a cross-entropy over the output it goes with (sigmoid or softmax).
    pub fn cancels_output_slope(self) -> bool {
        matches!(self, Loss::Bce | Loss::Ce)
    }
}

/// How weights start: uniform in [−r, r] with r = `scale`, Xavier/Glorot
/// (r = √(6/(n_in + n_out))) or He (normal with σ = √(2/n_in)); biases start at 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    Uniform { scale: f64 },
    Xavier,
    He,
}

impl Named for Init {
    const WHAT: &'static str = "initialisation";
    const ALL: &'static [Init] = &[Init::Xavier, Init::He, Init::Uniform { scale: 0.5 }];

    fn id(self) -> &'static str {
        match self {
            Init::Uniform { .. } => "uniform",
            Init::Xavier => "xavier",
            Init::He => "he",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Init::Uniform { .. } => "uniform ±0.5",
            Init::Xavier => "Xavier/Glorot",
            Init::He => "He",
        }
    }
}

crate::serde_by_id!(Init);

/// The shape of a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Architecture {
    /// n₀ (inputs), n₁ … n_L (the last is the output).
    pub sizes: Vec<usize>,
    /// act₁ … act_L, one per layer after the input.
    pub activations: Vec<Activation>,
    pub loss: Loss,
}

impl Architecture {
    /// Checks the shape against what the lab offers.
    pub fn validate(&self) -> Result<(), String> {
        let layers = self.sizes.len().saturating_sub(1);
        if layers == 0 {
            return Err(tr!("a network needs an input and an output layer"));
        }
        if self.activations.len() != layers {
            return Err(tr!("{layers} layers need {layers} activations, got {a}", layers = layers, a = self.activations.len()));
        }
        if !(1..=2).contains(&self.sizes[0]) {
            return Err(tr!("the network takes 1 or 2 inputs, not {a}", a = self.sizes[0]));
        }
        let output = self.activations[layers - 1];
        if output == Activation::Softmax {
            if !(2..=MAX_CLASSES).contains(&self.sizes[layers]) {
                return Err(tr!(
                    "a softmax output tells 2 to {max_classes} classes apart, not {a}",
                    max_classes = MAX_CLASSES,
                    a = self.sizes[layers]
                ));
            }
        } else if self.sizes[layers] != 1 {
            return Err(tr!("the network has one output neuron (a softmax output has one a class)"));
        }
        if self.activations[..layers - 1].contains(&Activation::Softmax) {
            return Err(tr!("softmax is for the output layer only"));
        }
        if layers - 1 > MAX_HIDDEN_LAYERS {
            return Err(tr!("at most {max_hidden_layers} hidden layers (got {a})", max_hidden_layers = MAX_HIDDEN_LAYERS, a = layers - 1));
        }
        if let Some(n) = self.sizes[1..layers].iter().find(|n| !(1..=MAX_NEURONS).contains(*n)) {
            return Err(tr!("a hidden layer has 1 to {max_neurons} neurons, not {n}", max_neurons = MAX_NEURONS, n = n));
        }
        if self.loss == Loss::Bce && output != Activation::Sigmoid {
            return Err(tr!("binary cross-entropy needs a sigmoid output layer"));
        }
        if (self.loss == Loss::Ce) != (output == Activation::Softmax) {
            return Err(tr!("a softmax output and the categorical cross-entropy go together"));
        }
        Ok(())
    }

    /// The checks a given set of weights needs: sizes and activations agree.
    fn validate_shape_only(&self) -> Result<(), String> {
        let layers = self.sizes.len().saturating_sub(1);
        if layers == 0 || self.activations.len() != layers || self.sizes.contains(&0) {
            return Err(tr!("the layer sizes and activations do not agree"));
        }
        Ok(())
    }

    /// L, the number of layers after the input.
    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// Where Wˡ and bˡ (l = 1 … L) sit in the flat parameter vector.
    pub fn offsets(&self, l: usize) -> LayerOffsets {
        let mut start = 0;
        for k in 1..l {
            start += (self.sizes[k - 1] + 1) * self.sizes[k];
        }
        self.offsets_from(start, l)
    }

    /// Layer l's offsets, its Wˡ starting at `w`.
    #[inline]
    fn offsets_from(&self, w: usize, l: usize) -> LayerOffsets {
        let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
        LayerOffsets { w, b: w + n_in * n_out, end: w + (n_in + 1) * n_out, n_in, n_out }
    }

    /// Layer l's offsets, its bˡ ending at `end`.
    #[inline]
    fn offsets_to(&self, end: usize, l: usize) -> LayerOffsets {
        let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
        self.offsets_from(end - (n_in + 1) * n_out, l)
    }

    pub fn parameter_count(&self) -> usize {
        self.offsets(self.layers()).end
    }

    /// √(‖∂L/∂Wˡ‖²_F + ‖∂L/∂bˡ‖²) for l = 1 … L.
    pub fn grad_norms(&self, grad: &[f64]) -> Vec<f64> {
        (1..=self.layers())
            .map(|l| {
                let o = self.offsets(l);
                grad[o.w..o.end].iter().map(|g| g * g).sum::<f64>().sqrt()
            })
            .collect()
    }

    /// L of the network with parameters `params` on the points (x, y); `fwd` holds the forward pass.
    pub fn loss_at(&self, params: &[f64], x: &Mat, y: &Mat, fwd: &mut Forward) -> f64 {
        self.forward_into(params, x, fwd);
        self.loss.value(fwd.a.last().expect("a network has an output layer"), y)
    }

    /// The forward pass of the network with parameters `params` on the rows
    /// of `x`, into `fwd` (whose storage is reused).
    pub fn forward_into(&self, params: &[f64], x: &Mat, fwd: &mut Forward) {
        let layers = self.layers();
        fwd.z.resize_with(layers, Mat::default);
        fwd.a.resize_with(layers, Mat::default);
        let mut w = 0;
        for l in 1..=layers {
            let o = self.offsets_from(w, l);
            w = o.end;
            let (below, rest) = fwd.a.split_at_mut(l - 1);
            let input = if l == 1 { x } else { &below[l - 2] };
            let (z, a) = (&mut fwd.z[l - 1], &mut rest[0]);
            affine_into(input, &params[o.w..o.b], &params[o.b..o.end], z);
            let act = self.activations[l - 1];
            a.reshape(z.rows, z.cols);
            if act == Activation::Softmax {
                for (a_row, z_row) in a.data.chunks_exact_mut(z.cols).zip(z.data.chunks_exact(z.cols)) {
                    softmax_into(z_row, a_row);
                }
            } else {
                act.apply_all(&z.data, &mut a.data);
            }
        }
    }

    /// Backpropagation through every layer, from the output down, into `bwd`
    /// (whose storage is reused): δᴸ = (aᴸ − Y)/m ⊙ act'(zᴸ) for mse, (aᴸ − Y)/m
    /// for a cross-entropy with its sigmoid or softmax output, then the conventions at the top.
    pub fn backward_into(&self, params: &[f64], x: &Mat, fwd: &Forward, y: &Mat, bwd: &mut Backward) {
        let layers = self.layers();
        bwd.grad.resize(params.len(), 0.0);
        bwd.delta.resize_with(layers, Mat::default);
        let (z, a) = (&fwd.z[layers - 1], &fwd.a[layers - 1]);
        let m = a.rows.max(1) as f64;
        let act = self.activations[layers - 1];
        let out = &mut bwd.delta[layers - 1];
        out.reshape(a.rows, a.cols);
        for ((d, av), yv) in out.data.iter_mut().zip(&a.data).zip(&y.data) {
            *d = (av - yv) / m;
        }
        if !self.loss.cancels_output_slope() {
            act.times_derivative(&z.data, &a.data, &mut out.data);
        }
        let mut end = params.len();
        for l in (1..=layers).rev() {
            let o = self.offsets_to(end, l);
            end = o.w;
            let input = if l == 1 { x } else { &fwd.a[l - 2] };
            let (below, rest) = bwd.delta.split_at_mut(l - 1);
            let d = &rest[0];
            gradient_into(input, d, &mut bwd.grad[o.w..o.end]);
            if l > 1 {
                let next = &mut below[l - 2];
                times_transpose_into(d, &params[o.w..o.b], o.n_in, next, &mut bwd.transposed);
                let act = self.activations[l - 2];
                let (z, a) = (&fwd.z[l - 2], &fwd.a[l - 2]);
                act.times_derivative(&z.data, &a.data, &mut next.data);
            }
        }
    }
}

/// Wˡ is params[w..b] (n_in × n_out, row-major), bˡ is params[b..end].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerOffsets {
    pub w: usize,
    pub b: usize,
    pub end: usize,
    pub n_in: usize,
    pub n_out: usize,
}

/// A network: its shape and every weight and bias in one flat vector
/// (W¹, b¹, W², b², …), so that an optimizer updates them all at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub arch: Architecture,
    pub params: Vec<f64>,
}

/// The values of one forward pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Forward {
    /// z¹ … zᴸ.
    pub z: Vec<Mat>,
    /// a¹ … aᴸ (a⁰ = X is not repeated).
    pub a: Vec<Mat>,
}

/// The values of one backward pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backward {
    /// δ¹ … δᴸ.
    pub delta: Vec<Mat>,
    /// ∂L/∂params, in the layout of `Network::params`.
    pub grad: Vec<f64>,
    /// Storage for Wˡᵀ, through which δˡ goes back a layer.
    transposed: Vec<f64>,
}

impl Network {
    /// A network with seeded initial weights.
    pub fn init(arch: Architecture, init: Init, seed: u64) -> Result<Network, String> {
        arch.validate()?;
        let mut rng = Rng::new(seed);
        let mut params = vec![0.0; arch.parameter_count()];
        for l in 1..=arch.layers() {
            let o = arch.offsets(l);
            for w in &mut params[o.w..o.b] {
                *w = match init {
                    Init::Uniform { scale } => scale * (2.0 * rng.uniform() - 1.0),
                    Init::Xavier => (6.0 / (o.n_in + o.n_out) as f64).sqrt() * (2.0 * rng.uniform() - 1.0),
                    Init::He => (2.0 / o.n_in as f64).sqrt() * rng.normal(),
                };
            }
        }
        Ok(Network { arch, params })
    }

    /// A network with the given weights Wˡ (as rows) and biases bˡ.
    pub fn from_weights(arch: Architecture, w: &[Vec<Vec<f64>>], b: &[Vec<f64>]) -> Result<Network, String> {
        arch.validate_shape_only()?;
        let mut params = vec![0.0; arch.parameter_count()];
        if w.len() != arch.layers() || b.len() != arch.layers() {
            return Err(tr!("{a} layers need {b} weight matrices and bias vectors", a = arch.layers(), b = arch.layers()));
        }
        for l in 1..=arch.layers() {
            let o = arch.offsets(l);
            let wl = Mat::from_rows(&w[l - 1])?;
            if (wl.rows, wl.cols) != (o.n_in, o.n_out) || b[l - 1].len() != o.n_out {
                return Err(tr!("layer {l}: W must be {a} × {b} and b must have {c} entries", l = l, a = o.n_in, b = o.n_out, c = o.n_out));
            }
            params[o.w..o.b].copy_from_slice(&wl.data);
            params[o.b..o.end].copy_from_slice(&b[l - 1]);
        }
        Ok(Network { arch, params })
    }

    pub fn weights(&self, l: usize) -> &[f64] {
        let o = self.arch.offsets(l);
        &self.params[o.w..o.b]
    }

    pub fn biases(&self, l: usize) -> &[f64] {
        let o = self.arch.offsets(l);
        &self.params[o.b..o.end]
    }

    pub fn forward(&self, x: &Mat) -> Forward {
        let mut fwd = Forward::default();
        self.arch.forward_into(&self.params, x, &mut fwd);
        fwd
    }

    /// The network's outputs aᴸ for the rows of `x`.
    pub fn predict(&self, x: &Mat) -> Mat {
        self.forward(x).a.pop().expect("a network has an output layer")
    }

    /// L(aᴸ, Y) (see [`Loss::value`]).
    pub fn loss(&self, output: &Mat, y: &Mat) -> f64 {
        self.arch.loss.value(output, y)
    }

    /// Backpropagation through every layer, from the output down.
    pub fn backward(&self, x: &Mat, fwd: &Forward, y: &Mat) -> Backward {
        let mut bwd = Backward::default();
        self.arch.backward_into(&self.params, x, fwd, y, &mut bwd);
        bwd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Given weights are checked against the shape: an activation a layer, no empty layer.
    #[test]
    fn given_weights_need_an_activation_a_layer_and_no_empty_layer() {
        let w = [vec![vec![1.0]]];
        let b = [vec![0.0]];
        let arch = |sizes: Vec<usize>, activations: Vec<Activation>| Architecture { sizes, activations, loss: Loss::Mse };
        assert!(Network::from_weights(arch(vec![1, 1], vec![Activation::Linear]), &w, &b).is_ok());
        for (sizes, activations) in [
            (vec![1, 1], vec![]),
            (vec![1, 1], vec![Activation::Linear, Activation::Tanh]),
            (vec![1], vec![]),
            (vec![1, 0], vec![Activation::Linear]),
        ] {
            let err = Network::from_weights(arch(sizes.clone(), activations), &w, &b).unwrap_err();
            assert!(err.contains("do not agree"), "{sizes:?}: {err}");
        }
    }

    /// A weight matrix and a bias vector a layer, each of its layer's size.
    #[test]
    fn given_weights_and_biases_must_fit_every_layer() {
        let arch = Architecture { sizes: vec![2, 1], activations: vec![Activation::Linear], loss: Loss::Mse };
        let w = vec![vec![vec![1.0], vec![2.0]]];
        assert!(Network::from_weights(arch.clone(), &w, &[vec![0.5]]).is_ok());
        assert!(
            Network::from_weights(arch.clone(), &w, &[]).unwrap_err().contains("weight matrices and bias vectors"),
            "a bias vector short"
        );
        assert!(Network::from_weights(arch.clone(), &[], &[vec![0.5]]).is_err(), "a weight matrix short");
        assert!(Network::from_weights(arch.clone(), &w, &[vec![0.5, 0.5]]).unwrap_err().contains("b must have 1 entries"));
        assert!(Network::from_weights(arch, &[vec![vec![1.0]]], &[vec![0.5]]).unwrap_err().contains("W must be 2 × 1"));
    }

    /// He's weights are normal with σ = √(2/n_in): their spread over a 16 × 16 layer is near it.
    #[test]
    fn he_weights_spread_as_the_square_root_of_two_over_the_inputs() {
        let arch = Architecture {
            sizes: vec![2, 16, 16, 1],
            activations: vec![Activation::Relu, Activation::Relu, Activation::Linear],
            loss: Loss::Mse,
        };
        for seed in 0..5 {
            let net = Network::init(arch.clone(), Init::He, seed).unwrap();
            let w = net.weights(2);
            let sd = (w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64).sqrt();
            assert!((sd / (2.0f64 / 16.0).sqrt() - 1.0).abs() < 0.2, "seed {seed}: {sd}");
        }
    }

    #[test]
    fn a_saturated_sigmoid_has_a_large_finite_cross_entropy() {
        let arch = Architecture { sizes: vec![1, 1], activations: vec![Activation::Sigmoid], loss: Loss::Bce };
        let net = Network::from_weights(arch, &[vec![vec![1000.0]]], &[vec![0.0]]).unwrap();
        let x = Mat { rows: 2, cols: 1, data: vec![1.0, -1.0] };
        let right = Mat { rows: 2, cols: 1, data: vec![1.0, 0.0] };
        let wrong = Mat { rows: 2, cols: 1, data: vec![0.0, 1.0] };
        let out = net.predict(&x);
        assert_eq!(out.data, vec![1.0, 0.0], "saturated");
        assert!(net.loss(&out, &right) < 1e-14);
        let l = net.loss(&out, &wrong);
        assert!(l.is_finite() && l > 30.0, "{l}");
    }
}
