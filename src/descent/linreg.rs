//! The seed's linear regression: its data, its cost and its gradient descent.

use crate::descent::surface::ViewBox;
use crate::random::Rng;
use crate::tr;

/// A one-feature regression data set: the points (xᵢ, yᵢ), i = 1 … m.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearData {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl LinearData {
    /// The seed's data: m = 30 points with xᵢ uniform in [0, 2) and
    /// yᵢ = 4 + 3·xᵢ + a standard normal noise, from a fixed seed.
    pub fn seed_default() -> LinearData {
        LinearData::generate(30, 1.0, 7)
    }

    /// m points yᵢ = 4 + 3·xᵢ + noise·εᵢ, xᵢ uniform in [0, 2), εᵢ standard normal.
    pub fn generate(m: usize, noise: f64, seed: u64) -> LinearData {
        let mut rng = Rng::new(seed);
        let x: Vec<f64> = (0..m).map(|_| 2.0 * rng.uniform()).collect();
        let y = x.iter().map(|&xi| 4.0 + 3.0 * xi + noise * rng.normal()).collect();
        LinearData { x, y }
    }

    /// m, the number of points.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// J(θ) = Σ(θ₀ + θ₁xᵢ − yᵢ)² / (2m).
    pub fn cost(&self, theta: [f64; 2]) -> f64 {
        let m = self.len() as f64;
        self.errors(theta).map(|e| e * e).sum::<f64>() / (2.0 * m)
    }

    /// J expanded as a quadratic in θ from the data's sums: J(θ) = (m·θ₀² +
    /// 2θ₀θ₁·Σx + θ₁²·Σx² − 2θ₀·Σy − 2θ₁·Σxy + Σy²) / (2m). Equal to [`cost`]
    /// up to rounding, and independent of m: for drawing the surface fast.
    ///
    /// [`cost`]: LinearData::cost
    pub fn cost_quadratic(&self) -> impl Fn([f64; 2]) -> f64 {
        let m = self.len() as f64;
        let sum = |f: &dyn Fn(f64, f64) -> f64| self.x.iter().zip(&self.y).map(|(&x, &y)| f(x, y)).sum::<f64>();
        let (sx, sxx, sy, sxy, syy) = (sum(&|x, _| x), sum(&|x, _| x * x), sum(&|_, y| y), sum(&|x, y| x * y), sum(&|_, y| y * y));
        let half_over_m = 0.5 / m;
        move |[a, b]: [f64; 2]| (m * a * a + 2.0 * a * b * sx + b * b * sxx - 2.0 * a * sy - 2.0 * b * sxy + syy) * half_over_m
    }

    /// J's Hessian X1ᵀ·X1 / m = [[1, Σxᵢ/m], [Σxᵢ/m, Σxᵢ²/m]], the same at every θ (J is a quadratic in θ).
    pub fn hessian(&self) -> [[f64; 2]; 2] {
        let m = self.len() as f64;
        let (mean_x, mean_xx) = (self.x.iter().sum::<f64>() / m, self.x.iter().map(|x| x * x).sum::<f64>() / m);
        [[1.0, mean_x], [mean_x, mean_xx]]
    }

    /// ∇J(θ) = X1ᵀ·(X1·θ − y) / m = (Σeᵢ / m, Σeᵢxᵢ / m).
    pub fn gradient(&self, theta: [f64; 2]) -> [f64; 2] {
        let m = self.len() as f64;
        let mut g = [0.0, 0.0];
        for (e, &xi) in self.errors(theta).zip(&self.x) {
            g[0] += e;
            g[1] += e * xi;
        }
        [g[0] / m, g[1] / m]
    }

    /// ∇J_b(θ) = X1_bᵀ·(X1_b·θ − y_b) / b over the b rows `rows`, in their
    /// order: the gradient a mini-batch sees.
    pub fn batch_gradient(&self, theta: [f64; 2], rows: &[usize]) -> [f64; 2] {
        let b = rows.len() as f64;
        let mut g = [0.0, 0.0];
        for &i in rows {
            let e = theta[0] + theta[1] * self.x[i] - self.y[i];
            g[0] += e;
            g[1] += e * self.x[i];
        }
        [g[0] / b, g[1] / b]
    }

    /// The residuals eᵢ = θ₀ + θ₁xᵢ − yᵢ.
    fn errors(&self, theta: [f64; 2]) -> impl Iterator<Item = f64> + '_ {
        self.x.iter().zip(&self.y).map(move |(&xi, &yi)| theta[0] + theta[1] * xi - yi)
    }

    /// The least-squares line (the minimum of J), when the xᵢ are not all equal.
    pub fn least_squares(&self) -> Option<[f64; 2]> {
        let m = self.len() as f64;
        let mean_x = self.x.iter().sum::<f64>() / m;
        let mean_y = self.y.iter().sum::<f64>() / m;
        let sxx: f64 = self.x.iter().map(|x| (x - mean_x).powi(2)).sum();
        let sxy: f64 = self.x.iter().zip(&self.y).map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
        if sxx <= 0.0 || sxx.is_nan() {
            return None;
        }
        let slope = sxy / sxx;
        Some([mean_y - slope * mean_x, slope])
    }

    /// A view box around the start (0, 0) and the least-squares minimum.
    pub fn default_view(&self) -> ViewBox {
        let [a, b] = self.least_squares().unwrap_or([1.0, 1.0]);
        let pad_x = 0.25 * a.abs().max(1.0);
        let pad_y = 0.25 * b.abs().max(1.0);
        ViewBox::new(a.min(0.0) - pad_x, a.max(0.0) + pad_x, b.min(0.0) - pad_y, b.max(0.0) + pad_y)
    }
}

/// What the seed's `gradient_descent` produced, update by update.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedRun {
    /// θ after update k + 1, for every update before the run diverged.
    pub thetas: Vec<Vec<f64>>,
    /// J evaluated before update k + 1 (J(θ₀) first), for the same updates.
    pub costs: Vec<f64>,
    /// The 1-based update after which θ first held a non-finite value.
    pub diverged_at: Option<usize>,
}

/// The seed article's `gradient_descent(X, y, θ, α, iterations)` for any
/// number of features: with X1 = [1 | X] and m = len(y), repeat
/// `error = X1·θ − y; gradient = X1ᵀ·error / m; θ = θ − α·gradient`.
///
/// `x` holds m rows of n features and `theta0` has n + 1 entries. The run stops
/// at the first update that leaves a non-finite value in θ.
pub fn gradient_descent(x: &[Vec<f64>], y: &[f64], theta0: &[f64], alpha: f64, iterations: usize) -> Result<SeedRun, String> {
    let m = y.len();
    if m == 0 {
        return Err(tr!("the data set is empty: add at least one example"));
    }
    if x.len() != m {
        return Err(tr!("X has {a} rows but y has {m} values", a = x.len(), m = m));
    }
    if let Some((i, row)) = x.iter().enumerate().find(|(_, row)| row.len() + 1 != theta0.len()) {
        return Err(tr!("row {a} of X has {b} features but θ has {c} entries (features + 1)", a = i + 1, b = row.len(), c = theta0.len()));
    }
    let mut theta = theta0.to_vec();
    let mut run = SeedRun { thetas: Vec::new(), costs: Vec::new(), diverged_at: None };
    for k in 1..=iterations {
        let errors: Vec<f64> = x.iter().zip(y).map(|(row, yi)| predict(&theta, row) - yi).collect();
        let cost = errors.iter().map(|e| e * e).sum::<f64>() / (2.0 * m as f64);
        let mut gradient = vec![0.0; theta.len()];
        for (row, e) in x.iter().zip(&errors) {
            gradient[0] += e;
            for (g, xij) in gradient[1..].iter_mut().zip(row) {
                *g += e * xij;
            }
        }
        for (t, g) in theta.iter_mut().zip(&gradient) {
            *t -= alpha * (g / m as f64);
        }
        if theta.iter().any(|t| !t.is_finite()) {
            run.diverged_at = Some(k);
            break;
        }
        run.costs.push(cost);
        run.thetas.push(theta.clone());
    }
    Ok(run)
}

/// θ₀ + Σⱼ θⱼ·xⱼ: one row of X1·θ.
fn predict(theta: &[f64], row: &[f64]) -> f64 {
    theta[0] + theta[1..].iter().zip(row).map(|(t, x)| t * x).sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_has_zero_gradient() {
        let d = LinearData::seed_default();
        let g = d.gradient(d.least_squares().unwrap());
        assert!(g[0].abs() < 1e-12 && g[1].abs() < 1e-12, "{g:?}");
    }

    #[test]
    fn a_batch_of_every_row_in_order_has_the_full_gradient_and_one_row_its_own() {
        let d = LinearData::seed_default();
        let theta = [1.5, -0.25];
        let all: Vec<usize> = (0..d.len()).collect();
        assert_eq!(d.batch_gradient(theta, &all), d.gradient(theta), "bit for bit");
        let e = 1.5 - 0.25 * d.x[4] - d.y[4];
        assert_eq!(d.batch_gradient(theta, &[4]), [e, e * d.x[4]]);
    }

    /// The least-squares line needs two different x; the default box holds
    /// the start (0, 0) and that line with a margin of a quarter of each
    /// coordinate (at least a quarter of 1) on every side.
    #[test]
    fn the_box_holds_the_start_and_the_line_with_a_quarter_of_margin() {
        assert_eq!(LinearData { x: vec![1.0, 1.0], y: vec![0.0, 2.0] }.least_squares(), None);
        for d in [LinearData::seed_default(), LinearData { x: vec![0.0, 1.0, 2.0], y: vec![-3.0, -3.5, -4.0] }] {
            let [a, b] = d.least_squares().unwrap();
            let v = d.default_view();
            let (mx, my) = (0.25 * a.abs().max(1.0), 0.25 * b.abs().max(1.0));
            let want = ViewBox::new(a.min(0.0) - mx, a.max(0.0) + mx, b.min(0.0) - my, b.max(0.0) + my);
            for (got, want) in [(v.x_min, want.x_min), (v.x_max, want.x_max), (v.y_min, want.y_min), (v.y_max, want.y_max)] {
                assert!((got - want).abs() < 1e-12, "{v:?} ≠ {want:?}");
            }
        }
    }

    #[test]
    fn the_expanded_quadratic_equals_the_cost() {
        let d = LinearData::seed_default();
        let fast = d.cost_quadratic();
        for p in [[0.0, 0.0], [4.2, 2.9], [-3.0, 7.5], [100.0, -50.0]] {
            assert!((fast(p) - d.cost(p)).abs() <= 1e-12 * d.cost(p).max(1.0), "{p:?}");
        }
    }

    /// yᵢ = 4 + 3·xᵢ + noise·εᵢ with the seeded draws in order: m uniforms for x, then a normal a point.
    #[test]
    fn the_data_are_the_line_plus_the_seeded_noise() {
        let d = LinearData::generate(5, 0.5, 9);
        let mut rng = Rng::new(9);
        let x: Vec<f64> = (0..5).map(|_| 2.0 * rng.uniform()).collect();
        assert_eq!(d.x, x);
        for (xi, yi) in d.x.iter().zip(&d.y) {
            assert_eq!(*yi, 4.0 + 3.0 * xi + 0.5 * rng.normal());
        }
        assert!(!d.is_empty() && LinearData { x: vec![], y: vec![] }.is_empty());
    }

    #[test]
    fn seeded_data_is_reproducible_and_near_the_line() {
        let a = LinearData::generate(200, 0.5, 3);
        assert_eq!(a, LinearData::generate(200, 0.5, 3));
        assert_ne!(a, LinearData::generate(200, 0.5, 4));
        let [b0, b1] = a.least_squares().unwrap();
        assert!((b0 - 4.0).abs() < 0.3 && (b1 - 3.0).abs() < 0.3, "{b0} {b1}");
    }

    #[test]
    fn empty_and_mismatched_inputs_are_errors() {
        assert!(gradient_descent(&[], &[], &[0.0], 0.1, 3).unwrap_err().contains("empty"));
        let err = gradient_descent(&[vec![1.0, 2.0]], &[1.0], &[0.0, 0.0], 0.1, 3).unwrap_err();
        assert!(err.contains("features"), "{err}");
    }
}
