//! Planes through the network's parameter space, for drawing the loss over
//! them: two chosen weights, two random directions normalised filter by
//! filter, and the two principal directions of the training path.

use super::network::Architecture;
use crate::random::Rng;
use crate::tr;

/// The most snapshots the plane of training is fitted to (evenly spaced over
/// the run, the first and the latest always among them).
pub const MAX_FITTED_SNAPSHOTS: usize = 50;

/// θ(a, b) = origin + a·d₁ + b·d₂.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plane {
    pub origin: Vec<f64>,
    pub d1: Vec<f64>,
    pub d2: Vec<f64>,
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

impl Plane {
    /// Parameters i and j as the coordinates, every other parameter held at
    /// θ: θ(a, b) is θ with θᵢ = a and θⱼ = b.
    pub fn two_weights(theta: &[f64], i: usize, j: usize) -> Result<Plane, String> {
        if i == j || i >= theta.len() || j >= theta.len() {
            return Err(tr!("choose two different weights of the network"));
        }
        let mut origin = theta.to_vec();
        origin[i] = 0.0;
        origin[j] = 0.0;
        let unit = |k: usize| {
            let mut e = vec![0.0; theta.len()];
            e[k] = 1.0;
            e
        };
        Ok(Plane { origin, d1: unit(i), d2: unit(j) })
    }

    /// Through θ along two seeded random directions, each normalised filter by
    /// filter (Li et al., 2018): the incoming weights of every neuron in d are
    /// rescaled to the norm of that neuron's incoming weights in θ; the biases
    /// of d are 0.
    pub fn random(arch: &Architecture, theta: &[f64], seed: u64) -> Plane {
        let mut rng = Rng::new(seed);
        let mut direction = || {
            let mut d = vec![0.0; theta.len()];
            for l in 1..=arch.layers() {
                let o = arch.offsets(l);
                for w in &mut d[o.w..o.b] {
                    *w = rng.normal();
                }
                for j in 0..o.n_out {
                    let column = |v: &[f64]| (0..o.n_in).map(|i| v[o.w + i * o.n_out + j].powi(2)).sum::<f64>().sqrt();
                    let factor = column(theta) / column(&d);
                    for i in 0..o.n_in {
                        d[o.w + i * o.n_out + j] *= if factor.is_finite() { factor } else { 0.0 };
                    }
                }
            }
            d
        };
        let d1 = direction();
        let d2 = direction();
        Plane { origin: theta.to_vec(), d1, d2 }
    }

    /// Through the latest snapshot along the two principal directions of the
    /// snapshots θ₀ … θₜ centred on θₜ (Li et al., 2018, section 7): the top
    /// two eigenvectors of the matrix of θₖ − θₜ. Returns the plane (d₁, d₂
    /// orthonormal) and the share of Σ‖θₖ − θₜ‖² each direction explains.
    pub fn of_training(snapshots: &[&[f64]]) -> Result<(Plane, [f64; 2]), String> {
        let not_enough = || tr!("the plane of training needs a path that turns: step a few more epochs");
        let latest = *snapshots.last().ok_or_else(not_enough)?;
        let picked = evenly_spaced(snapshots.len() - 1, MAX_FITTED_SNAPSHOTS);
        let rows: Vec<Vec<f64>> = picked.iter().map(|&k| snapshots[k].iter().zip(latest).map(|(a, b)| a - b).collect()).collect();
        let n = rows.len();
        let mut gram = vec![0.0; n * n];
        for a in 0..n {
            for b in a..n {
                let g = dot(&rows[a], &rows[b]);
                gram[a * n + b] = g;
                gram[b * n + a] = g;
            }
        }
        let total: f64 = (0..n).map(|a| gram[a * n + a]).sum();
        let (values, vectors) = symmetric_eigen(gram, n);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        if n < 2 || total.is_nan() || total <= 0.0 || values[order[1]] <= 1e-12 * values[order[0]] {
            return Err(not_enough());
        }
        // dᵢ ∝ Σₐ uᵢ[a]·rowₐ, made exactly orthonormal.
        let direction = |u: usize| {
            let mut d = vec![0.0; latest.len()];
            for (a, row) in rows.iter().enumerate() {
                let weight = vectors[a * n + u];
                for (v, r) in d.iter_mut().zip(row) {
                    *v += weight * r;
                }
            }
            d
        };
        let normalise = |d: &mut Vec<f64>| {
            let norm = dot(d, d).sqrt();
            d.iter_mut().for_each(|v| *v /= norm);
        };
        let mut d1 = direction(order[0]);
        normalise(&mut d1);
        let mut d2 = direction(order[1]);
        let along = dot(&d2, &d1);
        d2.iter_mut().zip(&d1).for_each(|(v, u)| *v -= along * u);
        normalise(&mut d2);
        let explained = [values[order[0]] / total, values[order[1]] / total];
        Ok((Plane { origin: latest.to_vec(), d1, d2 }, explained))
    }

    /// θ(a, b), into `out`.
    pub fn at(&self, a: f64, b: f64, out: &mut [f64]) {
        for (k, v) in out.iter_mut().enumerate() {
            *v = self.origin[k] + a * self.d1[k] + b * self.d2[k];
        }
    }

    /// (a, b) of the point of the plane nearest θ (least squares; exact for θ on the plane).
    pub fn coordinates(&self, theta: &[f64]) -> [f64; 2] {
        let v: Vec<f64> = theta.iter().zip(&self.origin).map(|(t, o)| t - o).collect();
        let (g11, g12, g22) = (dot(&self.d1, &self.d1), dot(&self.d1, &self.d2), dot(&self.d2, &self.d2));
        let (r1, r2) = (dot(&self.d1, &v), dot(&self.d2, &v));
        let det = g11 * g22 - g12 * g12;
        [(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det]
    }

    /// The gradient of L(a, b) = L(θ(a, b)) from ∇L at θ(a, b): (∇L·d₁, ∇L·d₂).
    pub fn slope(&self, grad: &[f64]) -> [f64; 2] {
        [dot(grad, &self.d1), dot(grad, &self.d2)]
    }
}

/// At most `most` indices from 0 … `last`, evenly spaced, 0 and `last` among them.
pub fn evenly_spaced(last: usize, most: usize) -> Vec<usize> {
    if last < most {
        return (0..=last).collect();
    }
    let mut picked: Vec<usize> = (0..most).map(|k| k * last / (most - 1)).collect();
    picked.dedup();
    picked
}

/// The eigenvalues and eigenvectors of the symmetric n × n matrix `a`
/// (row-major) by cyclic Jacobi rotations: eigenvector k is column k of the
/// second result (row-major n × n).
fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; n * n];
    for k in 0..n {
        v[k * n + k] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..60 {
        let off: f64 = (0..n).flat_map(|p| (0..n).filter(move |&q| q != p).map(move |q| (p, q))).map(|(p, q)| a[p * n + q].powi(2)).sum();
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                // The rotation J (c on the diagonal, s at (p, q), −s at (q, p)) that makes (JᵀAJ)ₚ,q zero.
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|k| a[k * n + k]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::network::{Init, Loss, Network};

    fn net() -> Network {
        let arch = Architecture { sizes: vec![2, 5, 3, 1], activations: vec![Activation::Tanh; 3], loss: Loss::Mse };
        Network::init(arch, Init::He, 4).unwrap()
    }

    /// Every eigenpair satisfies A·v = λ·v and the eigenvectors are
    /// orthonormal, on a matrix with one repeated eigenvalue, on one with equal diagonal entries and on random
    /// matrices whose eigenvalues all differ (where only the right rotations converge).
    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        let n = 6;
        let repeated: Vec<f64> = (0..n * n).map(|k| ((k / n + 1) * (k % n + 1)) as f64 + if k / n == k % n { 3.0 } else { 0.0 }).collect();
        let mut rng = Rng::new(11);
        // Equal diagonal entries: the rotation of exactly 45°.
        let mut matrices = vec![(repeated, n), (vec![2.0, 1.0, 1.0, 2.0], 2)];
        for n in [2, 5, 8] {
            let mut a = vec![0.0; n * n];
            for p in 0..n {
                for q in p..n {
                    (a[p * n + q], a[q * n + p]) = {
                        let x = rng.normal();
                        (x, x)
                    };
                }
            }
            matrices.push((a, n));
        }
        for (a, n) in matrices {
            let (values, vectors) = symmetric_eigen(a.clone(), n);
            for k in 0..n {
                for r in 0..n {
                    let av: f64 = (0..n).map(|c| a[r * n + c] * vectors[c * n + k]).sum();
                    assert!((av - values[k] * vectors[r * n + k]).abs() < 1e-10, "A·v = λ·v for eigenpair {k} of {n} × {n}");
                }
                for j in 0..n {
                    let dot: f64 = (0..n).map(|r| vectors[r * n + j] * vectors[r * n + k]).sum();
                    assert!((dot - f64::from(u8::from(j == k))).abs() < 1e-12, "eigenvectors {j} and {k} of {n} × {n} are orthonormal");
                }
            }
        }
    }

    #[test]
    fn each_filter_of_a_random_direction_has_the_norm_of_thetas_filter() {
        let net = net();
        let plane = Plane::random(&net.arch, &net.params, 7);
        assert_ne!(plane.d1, plane.d2);
        for d in [&plane.d1, &plane.d2] {
            for l in 1..=net.arch.layers() {
                let o = net.arch.offsets(l);
                for j in 0..o.n_out {
                    let norm = |v: &[f64]| (0..o.n_in).map(|i| v[o.w + i * o.n_out + j].powi(2)).sum::<f64>().sqrt();
                    assert!((norm(d) - norm(&net.params)).abs() <= 1e-12 * norm(&net.params), "layer {l}, neuron {j}");
                }
                assert!(d[o.b..o.end].iter().all(|b| *b == 0.0), "biases stay");
            }
        }
        assert_eq!(Plane::random(&net.arch, &net.params, 7), plane, "seeded");
    }

    #[test]
    fn two_weights_are_the_coordinates() {
        let theta = net().params;
        let plane = Plane::two_weights(&theta, 3, 17).unwrap();
        assert_eq!(plane.coordinates(&theta), [theta[3], theta[17]]);
        let mut at = vec![0.0; theta.len()];
        plane.at(theta[3], theta[17], &mut at);
        assert_eq!(at, theta);
        assert!(Plane::two_weights(&theta, 3, 3).is_err());
        let n = theta.len();
        for (i, j) in [(n, 0), (0, n), (n, n + 1), (n - 1, n)] {
            assert!(Plane::two_weights(&theta, i, j).is_err(), "({i}, {j}): past the last of {n} parameters");
        }
        assert!(Plane::two_weights(&theta, n - 1, 0).is_ok());
    }

    #[test]
    fn the_plane_of_training_recovers_a_path_that_lies_in_a_plane() {
        let theta = net().params;
        let p = theta.len();
        let e1: Vec<f64> = (0..p).map(|k| ((k as f64) * 0.37).sin()).collect();
        let e2: Vec<f64> = (0..p).map(|k| ((k as f64) * 1.91).cos()).collect();
        // A curved path of 120 snapshots in the plane θ + span(e₁, e₂), ending at θ.
        let path: Vec<Vec<f64>> = (0..120)
            .map(|k| {
                let s = 1.0 - k as f64 / 119.0;
                let (a, b) = (2.0 * s, s * s - 0.3 * s);
                theta.iter().zip(&e1).zip(&e2).map(|((t, u), v)| t + a * u + b * v).collect()
            })
            .collect();
        let refs: Vec<&[f64]> = path.iter().map(Vec::as_slice).collect();
        let (plane, explained) = Plane::of_training(&refs).unwrap();
        assert_eq!(plane.origin, theta);
        assert!((dot(&plane.d1, &plane.d1) - 1.0).abs() < 1e-12 && (dot(&plane.d2, &plane.d2) - 1.0).abs() < 1e-12);
        assert!(dot(&plane.d1, &plane.d2).abs() < 1e-12, "orthogonal");
        assert!(explained[0] >= explained[1] && explained[1] > 0.0);
        assert!((explained[0] + explained[1] - 1.0).abs() < 1e-9 && explained[0] + explained[1] <= 1.0 + 1e-12, "{explained:?}");
        let mut back = vec![0.0; p];
        for snapshot in &path {
            let [a, b] = plane.coordinates(snapshot);
            plane.at(a, b, &mut back);
            let err = back.iter().zip(snapshot).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(err < 1e-12, "projection onto the plane and back: {err}");
        }
    }

    #[test]
    fn the_plane_of_training_of_a_real_run_explains_at_most_everything() {
        let theta = net().params;
        let path: Vec<Vec<f64>> =
            (0..300).map(|k| theta.iter().enumerate().map(|(i, t)| t + ((k * (i + 1)) as f64 * 0.01).sin()).collect()).collect();
        let refs: Vec<&[f64]> = path.iter().map(Vec::as_slice).collect();
        let (plane, explained) = Plane::of_training(&refs).unwrap();
        assert!(explained[0] + explained[1] <= 1.0 && explained[1] > 0.0, "{explained:?}");
        assert!(dot(&plane.d1, &plane.d2).abs() < 1e-12);
        assert!(Plane::of_training(&refs[..1]).is_err());
        assert!(Plane::of_training(&[&theta, &path[5], &theta]).is_err(), "a path along one line has no plane");
    }
}
