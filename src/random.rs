//! A seeded random source, so that data sets and start points are the same on
//! every machine and after every reset.

/// A seeded generator (PCG, from the `oorandom` crate).
pub struct Rng(oorandom::Rand64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(oorandom::Rand64::new(u128::from(seed)))
    }

    /// A number uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0.rand_float()
    }

    /// A standard normal number (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // in (0, 1], so ln(u1) is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut rng = Rng::new(1);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "{mean} {var}");
    }
}
