//! The gradient check: backpropagation against central differences, with a
//! verdict that knows how close central differences can come in double
//! precision.

use serde::Serialize;

use super::matrix::Mat;
use super::network::{Forward, Network};

/// Gradients smaller than this are compared on this absolute scale: there a
/// central difference's rounding would otherwise pass for a relative error.
pub const GRADIENT_FLOOR: f64 = 1e-5;

/// One layer's check.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerCheck {
    /// The largest |analytic − numeric| / max(|analytic| + |numeric|, [`GRADIENT_FLOOR`])
    /// over the layer's weights and biases.
    pub relative_error: f64,
    /// Whether every difference is within what central differences can
    /// measure: 3 × (their truncation error, estimated from a second step
    /// twice as long, plus the rounding of the two losses), plus backprop's
    /// own rounding.
    pub agrees: bool,
}

/// The check of every layer l = 1 … L of `net` on the examples (`x`, `y`).
pub fn gradient_check(net: &Network, x: &Mat, y: &Mat) -> Vec<LayerCheck> {
    let fwd = net.forward(x);
    check_against(net, x, y, &net.backward(x, &fwd, y).grad)
}

/// The check of the gradient `analytic` (in the layout of the parameters) against central differences.
pub fn check_against(net: &Network, x: &Mat, y: &Mat, analytic: &[f64]) -> Vec<LayerCheck> {
    let mut check = GradientCheck::new(net, x, y, analytic);
    check.advance(x, y, usize::MAX);
    check.layers
}

/// The gradient check done a parameter at a time (four passes over the
/// examples each), so that a large network's check never holds up the page.
#[derive(Clone, Debug)]
pub struct GradientCheck {
    net: Network,
    analytic: Vec<f64>,
    /// |L| at the weights checked, for the rounding of the central differences.
    loss: f64,
    /// The layers' checks so far, layer l at l − 1.
    layers: Vec<LayerCheck>,
    /// The parameters checked so far (each layer's weights and biases in the layout's order).
    done: usize,
    probe: Forward,
}

impl GradientCheck {
    /// The check of `analytic` at `net`'s weights on the examples (x, y), nothing checked yet.
    pub fn new(net: &Network, x: &Mat, y: &Mat, analytic: &[f64]) -> GradientCheck {
        let mut probe = Forward::default();
        let loss = net.arch.loss_at(&net.params, x, y, &mut probe).abs();
        let layers = vec![LayerCheck { relative_error: 0.0, agrees: true }; net.arch.layers()];
        GradientCheck { net: net.clone(), analytic: analytic.to_vec(), loss, layers, done: 0, probe }
    }

    /// The weights checked.
    pub fn params(&self) -> &[f64] {
        &self.net.params
    }

    /// Checks up to `count` more parameters on the examples (x, y) it was made with; returns how many remain.
    pub fn advance(&mut self, x: &Mat, y: &Mat, count: usize) -> usize {
        let GradientCheck { net, analytic, loss, layers, done, probe } = self;
        let mut params = std::mem::take(&mut net.params);
        let mut central = |params: &mut Vec<f64>, i: usize, h: f64| {
            let original = params[i];
            params[i] = original + h;
            let up = net.arch.loss_at(params, x, y, probe);
            params[i] = original - h;
            let down = net.arch.loss_at(params, x, y, probe);
            params[i] = original;
            (up - down) / (2.0 * h)
        };
        for _ in 0..count.min(params.len() - *done) {
            let i = *done;
            let l = (1..=layers.len()).find(|&l| i < net.arch.offsets(l).end).expect("every parameter is in a layer");
            let h = 1e-5 * params[i].abs().max(1.0);
            let (numeric, coarse) = (central(&mut params, i, h), central(&mut params, i, 2.0 * h));
            // The truncation error grows as h²: the coarse step's is 4 times this one's.
            let truncation = (coarse - numeric).abs() / 3.0;
            let rounding = 4.0 * f64::EPSILON * *loss / h;
            let tolerance = 3.0 * (truncation + rounding) + 1e-10 * analytic[i].abs();
            let difference = (analytic[i] - numeric).abs();
            let relative = difference / (analytic[i].abs() + numeric.abs()).max(GRADIENT_FLOOR);
            let check = &mut layers[l - 1];
            check.relative_error = check.relative_error.max(relative);
            check.agrees &= difference <= tolerance;
            *done += 1;
        }
        net.params = params;
        self.remaining()
    }

    /// How many parameters remain to check.
    pub fn remaining(&self) -> usize {
        self.net.params.len() - self.done
    }

    /// Parameters checked, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.net.params.len())
    }

    /// Each layer's check, once every parameter is checked.
    pub fn result(&self) -> Option<&[LayerCheck]> {
        (self.remaining() == 0).then_some(&self.layers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::{DataSpec, Dataset, DatasetKind};
    use crate::nn::network::{Architecture, Init, Loss};

    /// The lab's default network (XOR, 4 tanh, sigmoid, cross-entropy) and
    /// deeper ones of every activation, over many seeds: no false alarm; and
    /// a derivative off by 0.1 % or by a swapped sign in one weight is flagged.
    #[test]
    fn the_verdict_has_no_false_alarm_and_flags_a_wrong_derivative() {
        let mut checked = 0;
        for seed in 0..20 {
            for act in [Activation::Tanh, Activation::Sigmoid, Activation::Relu, Activation::Linear] {
                let arch = Architecture {
                    sizes: vec![2, 4, 3, 1],
                    activations: vec![act, Activation::Tanh, Activation::Sigmoid],
                    loss: Loss::Bce,
                };
                let net = Network::init(arch, Init::Xavier, seed).unwrap();
                let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 40, noise: 0.1, seed, classes: 3 }).unwrap();
                let fwd = net.forward(&data.x);
                // A central difference across a ReLU kink measures neither slope: such points are left out.
                if act == Activation::Relu && fwd.z[0].data.iter().any(|z| z.abs() < 1e-3) {
                    continue;
                }
                let grad = net.backward(&data.x, &fwd, &data.y).grad;
                let checks = check_against(&net, &data.x, &data.y, &grad);
                assert_eq!(checks.len(), 3, "one check a layer");
                assert!(checks.iter().all(|c| c.agrees), "{act:?}, seed {seed}: {checks:?}");
                // Every derivative 1.001 times too large: |a − n| / (|a| + |n|) = 0.001 / 2.001 where the gradient is not tiny.
                let scaled: Vec<f64> = grad.iter().map(|g| g * 1.001).collect();
                let worst = check_against(&net, &data.x, &data.y, &scaled).iter().map(|c| c.relative_error).fold(0.0, f64::max);
                assert!((worst - 0.001 / 2.001).abs() < 5e-5, "{act:?}, seed {seed}: {worst}");
                // An error of a millionth of the gradient is still more than central differences miss.
                let slightly: Vec<f64> = grad.iter().map(|g| g * (1.0 + 1e-6)).collect();
                assert!(check_against(&net, &data.x, &data.y, &slightly).iter().any(|c| !c.agrees), "{act:?}, seed {seed}: 1e-6 passed");
                for wrong in [grad.iter().map(|g| g * 1.001).collect::<Vec<_>>(), {
                    let mut g = grad.clone();
                    g[3] = -g[3];
                    g
                }] {
                    assert!(!check_against(&net, &data.x, &data.y, &wrong)[0].agrees, "{act:?}, seed {seed}: a wrong gradient passed");
                }
                checked += 1;
            }
        }
        assert!(checked > 60, "{checked} networks checked");
        // The lab's own network, as a class first meets it and after a few epochs.
        let mut lab = crate::nn::lab::BackpropLab::default();
        for _ in 0..3 {
            let run = lab.run();
            let data = run.train_data();
            let checks = gradient_check(&run.current_network(), &data.x, &data.y);
            assert_eq!(checks.len(), run.network().arch.layers());
            assert!(checks.iter().all(|c| c.agrees), "epoch {}: {checks:?}", run.current().epoch);
            lab.run_mut().step_epoch();
        }
    }

    /// Checked a few parameters at a time, the check is the one done at once; it has no result until every parameter is checked.
    #[test]
    fn a_check_in_pieces_is_the_check_at_once() {
        let arch = Architecture {
            sizes: vec![2, 3, 2, 1],
            activations: vec![Activation::Tanh, Activation::Sigmoid, Activation::Sigmoid],
            loss: Loss::Bce,
        };
        let net = Network::init(arch, Init::Xavier, 4).unwrap();
        let data = Dataset::generate(DatasetKind::Moons, DataSpec { points: 30, noise: 0.1, seed: 1, classes: 3 }).unwrap();
        let mut analytic = net.backward(&data.x, &net.forward(&data.x), &data.y).grad;
        analytic[11] *= 1.01; // a wrong derivative in layer 2 (its weights start at 9)
        let at_once = check_against(&net, &data.x, &data.y, &analytic);
        let mut check = GradientCheck::new(&net, &data.x, &data.y, &analytic);
        let total = net.params.len();
        assert_eq!((check.progress(), check.result()), ((0, total), None));
        assert_eq!(check.advance(&data.x, &data.y, 10), total - 10);
        assert!(check.result().is_none());
        while check.advance(&data.x, &data.y, 3) > 0 {}
        assert_eq!(check.progress(), (total, total));
        assert_eq!(check.result(), Some(at_once.as_slice()));
        assert_eq!(at_once.iter().map(|c| c.agrees).collect::<Vec<_>>(), [true, false, true], "the wrong derivative is in layer 2");
        assert_eq!(check.params(), net.params.as_slice());
    }
}
