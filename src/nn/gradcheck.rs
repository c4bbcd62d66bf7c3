//! The gradient check: backpropagation against central differences.

use super::matrix::Mat;
use super::network::{Forward, Network};

/// Gradients smaller than this are compared on this absolute scale: there a
/// central difference's rounding (about ε·L/h, 1e-12 for L ≈ 0.1) would
/// otherwise pass for a relative error.
pub const GRADIENT_FLOOR: f64 = 1e-5;

/// The largest relative error |analytic − numeric| / max(|analytic| + |numeric|, [`GRADIENT_FLOOR`])
/// over the weights and biases of each layer l = 1 … L.
pub fn gradient_check(net: &Network, x: &Mat, y: &Mat) -> Vec<f64> {
    let fwd = net.forward(x);
    let analytic = net.backward(x, &fwd, y).grad;
    let mut probe = Forward::default();
    let mut loss_at = |params: &[f64]| net.arch.loss_at(params, x, y, &mut probe);
    let mut params = net.params.clone();
    (1..=net.arch.layers())
        .map(|l| {
            let o = net.arch.offsets(l);
            (o.w..o.end)
                .map(|i| {
                    let original = params[i];
                    let h = 1e-5 * original.abs().max(1.0);
                    params[i] = original + h;
                    let up = loss_at(&params);
                    params[i] = original - h;
                    let down = loss_at(&params);
                    params[i] = original;
                    let numeric = (up - down) / (2.0 * h);
                    (analytic[i] - numeric).abs() / (analytic[i].abs() + numeric.abs()).max(GRADIENT_FLOOR)
                })
                .fold(0.0, f64::max)
        })
        .collect()
}
