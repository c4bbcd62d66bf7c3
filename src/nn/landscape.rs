//! Views of the loss landscape of the network being trained.

use super::matrix::Mat;
use super::network::Network;

/// L((1 − s)·θ₀ + s·θₜ) on the points (x, y) for s = −0.5, −0.45, … 1.5: the
/// loss along the straight line through the start θ₀ and the weights now θₜ
/// (Goodfellow et al., 2015). s = 0 and s = 1 are on the grid exactly.
pub fn line_from_start(net: &Network, theta0: &[f64], theta_t: &[f64], x: &Mat, y: &Mat) -> Vec<(f64, f64)> {
    let mut probe = Network { arch: net.arch.clone(), params: theta0.to_vec() };
    (0..=40)
        .map(|k| {
            let s = k as f64 / 20.0 - 0.5;
            for ((p, a), b) in probe.params.iter_mut().zip(theta0).zip(theta_t) {
                *p = (1.0 - s) * a + s * b;
            }
            (s, probe.loss(&probe.predict(x), y))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::{DataSpec, Dataset};
    use crate::nn::network::{Architecture, Init, Loss};

    #[test]
    fn the_line_passes_through_the_start_and_now() {
        let arch = Architecture { sizes: vec![2, 5, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
        let start = Network::init(arch.clone(), Init::Xavier, 1).unwrap();
        let now = Network::init(arch, Init::He, 2).unwrap();
        let data = Dataset::generate("moons", DataSpec { points: 50, noise: 0.1, seed: 3 }).unwrap();
        let line = line_from_start(&start, &start.params, &now.params, &data.x, &data.y);
        assert_eq!(line.len(), 41);
        assert_eq!((line[0].0, line[10].0, line[30].0, line[40].0), (-0.5, 0.0, 1.0, 1.5));
        assert_eq!(line[10].1, start.loss(&start.predict(&data.x), &data.y));
        assert_eq!(line[30].1, now.loss(&now.predict(&data.x), &data.y));
    }
}
