//! Views of the loss landscape of the network being trained: the line from
//! the start to now, and the loss over a plane, computed progressively.

mod grid;

pub use grid::{GridContext, GridLevel, GridShare, GridSize, LandscapeGrid, PointLosses, COARSE_POINTS};

use super::matrix::Mat;
use super::network::{Architecture, Backward, Forward};
use super::plane::{evenly_spaced, Plane};
use super::train::TrainingRun;
use super::views::Job;
use crate::descent::surface::ViewBox;
use crate::tr;

/// The most points of the path drawn over a plane (evenly spaced, the latest always among them).
pub const MAX_PATH_POINTS: usize = 2_000;

/// Points of the line from θ₀: s = −0.5, −0.45, … 1.5.
pub const LINE_POINTS: usize = 41;

/// L((1 − s)·θ₀ + s·θₜ) on the points (x, y) for s = −0.5, −0.45, … 1.5: the
/// loss along the straight line through the start θ₀ and the weights now θₜ
/// (Goodfellow et al., 2015). s = 0 and s = 1 are on the grid exactly.
pub fn line_from_start(arch: &Architecture, theta0: &[f64], theta_t: &[f64], x: &Mat, y: &Mat) -> Vec<(f64, f64)> {
    let mut job = LineJob::new(theta0, theta_t);
    job.points(arch, x, y, LINE_POINTS);
    job.line
}

/// [`line_from_start`] computed a point (a pass over the training points) at a time.
#[derive(Clone, Debug)]
pub struct LineJob {
    theta0: Vec<f64>,
    theta_t: Vec<f64>,
    /// (s, L) of the points done.
    pub line: Vec<(f64, f64)>,
    probe: Vec<f64>,
    forward: Forward,
}

impl LineJob {
    pub fn new(theta0: &[f64], theta_t: &[f64]) -> LineJob {
        let (theta0, theta_t) = (theta0.to_vec(), theta_t.to_vec());
        LineJob { probe: theta0.clone(), theta0, theta_t, line: Vec::with_capacity(LINE_POINTS), forward: Forward::default() }
    }

    /// Computes up to `count` more points on (x, y).
    fn points(&mut self, arch: &Architecture, x: &Mat, y: &Mat, count: usize) {
        for k in self.line.len()..self.line.len().saturating_add(count).min(LINE_POINTS) {
            let s = k as f64 / 20.0 - 0.5;
            for ((p, a), b) in self.probe.iter_mut().zip(&self.theta0).zip(&self.theta_t) {
                *p = (1.0 - s) * a + s * b;
            }
            let loss = arch.loss_at(&self.probe, x, y, &mut self.forward);
            self.line.push((s, loss));
        }
    }
}

impl Job for LineJob {
    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        let train = run.train_data();
        self.points(&run.network().arch, &train.x, &train.y, count);
        self.remaining()
    }

    fn remaining(&self) -> usize {
        LINE_POINTS - self.line.len()
    }

    fn progress(&self) -> usize {
        usize::from(self.remaining() == 0)
    }
}

/// Which plane of parameter space a landscape shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneChoice {
    /// Parameters `a` and `b` (indices into the parameters), the others held.
    Weights { a: usize, b: usize },
    /// Two random directions from `seed`, normalised filter by filter.
    Random { seed: u64 },
    /// The two principal directions of the path so far.
    Training,
}

/// The loss over a plane through a run's current weights: the plane, its
/// box, the path over it, the slope at the current point and the grid being filled.
#[derive(Clone, Debug)]
pub struct Landscape {
    pub choice: PlaneChoice,
    pub grid: LandscapeGrid,
    /// The snapshots' (a, b), the current point last; only the current point for a random plane.
    pub path: Vec<[f64; 2]>,
    /// ∂L/∂a and ∂L/∂b at the current point (full training set, without L2), once computed.
    pub slope: Option<[f64; 2]>,
    /// For the plane of training, the share of the path's spread along each direction.
    pub explained: Option<[f64; 2]>,
}

impl Landscape {
    /// The landscape of `run` now on an n × n grid of `size`, its slope and grid still to compute (see [`Landscape::refine`]).
    pub fn new(run: &TrainingRun, choice: PlaneChoice, size: GridSize) -> Result<Landscape, String> {
        let arch = &run.network().arch;
        let history = run.history();
        let now = &run.current().params;
        let (plane, explained) = match choice {
            PlaneChoice::Weights { a, b } => (Plane::two_weights(now, a, b)?, None),
            PlaneChoice::Random { seed } => (Plane::random(arch, now, seed), None),
            PlaneChoice::Training => {
                let snapshots: Vec<&[f64]> = history.iter().map(|s| s.params.as_slice()).collect();
                let (plane, explained) = Plane::of_training(&snapshots)?;
                (plane, Some(explained))
            }
        };
        let path: Vec<[f64; 2]> = match choice {
            PlaneChoice::Random { .. } => vec![[0.0, 0.0]],
            _ => evenly_spaced(history.len() - 1, MAX_PATH_POINTS).into_iter().map(|k| plane.coordinates(&history[k].params)).collect(),
        };
        let view = match choice {
            PlaneChoice::Random { .. } => ViewBox::new(-1.0, 1.0, -1.0, 1.0),
            PlaneChoice::Weights { .. } => around(&path, |span| (0.25 * span).max(1.0)),
            PlaneChoice::Training => around(&path, |span| if span > 0.0 { 0.25 * span } else { 1.0 }),
        };
        let grid = LandscapeGrid::new(plane, view, size);
        Ok(Landscape { choice, grid, path, slope: None, explained })
    }

    /// The landscape of `run` now on `choice` over its box grown to a square
    /// (both axes are distances, or weights, in parameter space, drawn at
    /// equal scales), or why there is none.
    pub fn on_a_square(run: &TrainingRun, choice: PlaneChoice, size: GridSize) -> Result<Landscape, String> {
        if run.train_data().is_empty() {
            return Err(tr!("there are no training points to measure the loss on"));
        }
        let mut landscape = Landscape::new(run, choice, size)?;
        let square = crate::draw::squared(landscape.grid.view);
        if square != landscape.grid.view {
            landscape.grid = LandscapeGrid::new(landscape.grid.plane.clone(), square, size);
        }
        Ok(landscape)
    }

    /// Computes up to `count` more pieces, each a pass over the training
    /// points: the slope at the current point first, then grid points.
    /// Returns how many remain.
    pub fn refine(&mut self, run: &TrainingRun, mut count: usize) -> usize {
        let (arch, train) = (&run.network().arch, run.train_data());
        if self.slope.is_none() && count > 0 {
            let (mut forward, mut backward) = (Forward::default(), Backward::default());
            let [a, b] = *self.path.last().expect("the path ends at the current point");
            let mut now = vec![0.0; self.grid.plane.origin.len()];
            self.grid.plane.at(a, b, &mut now);
            arch.forward_into(&now, &train.x, &mut forward);
            arch.backward_into(&now, &train.x, &forward, &train.y, &mut backward);
            self.slope = Some(self.grid.plane.slope(&backward.grad));
            count -= 1;
        }
        self.grid.refine(arch, &train.x, &train.y, count);
        self.remaining()
    }

    /// How many pieces remain (see [`Landscape::refine`]).
    pub fn remaining(&self) -> usize {
        self.grid.remaining() + usize::from(self.slope.is_none())
    }
}

/// The box around the points, each axis widened on both sides by `pad(span of that axis)`.
fn around(points: &[[f64; 2]], pad: impl Fn(f64) -> f64) -> ViewBox {
    let axis = |k: usize| {
        let (lo, hi) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p[k]), hi.max(p[k])));
        let margin = pad(hi - lo);
        (lo - margin, hi + margin)
    };
    let ((x_min, x_max), (y_min, y_max)) = (axis(0), axis(1));
    ViewBox::new(x_min, x_max, y_min, y_max)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::{DataSpec, Dataset, DatasetKind};
    use crate::nn::network::{Init, Loss, Network};

    /// Points per side of the default grid.
    pub(crate) const GRID: usize = 41;

    #[test]
    fn the_line_passes_through_the_start_and_now() {
        let arch = Architecture { sizes: vec![2, 5, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
        let start = Network::init(arch.clone(), Init::Xavier, 1).unwrap();
        let now = Network::init(arch, Init::He, 2).unwrap();
        let data = Dataset::generate(DatasetKind::Moons, DataSpec { points: 50, noise: 0.1, seed: 3, classes: 3 }).unwrap();
        let line = line_from_start(&start.arch, &start.params, &now.params, &data.x, &data.y);
        assert_eq!(line.len(), 41);
        assert_eq!((line[0].0, line[10].0, line[30].0, line[40].0), (-0.5, 0.0, 1.0, 1.5));
        assert_eq!(line[10].1, start.loss(&start.predict(&data.x), &data.y));
        assert_eq!(line[30].1, now.loss(&now.predict(&data.x), &data.y));
    }

    #[test]
    fn the_two_weights_slice_at_the_current_point_is_the_current_loss() {
        let arch = Architecture { sizes: vec![2, 6, 1], activations: vec![Activation::Relu, Activation::Sigmoid], loss: Loss::Bce };
        let now = Network::init(arch, Init::He, 5).unwrap();
        let data = Dataset::generate(DatasetKind::Circle, DataSpec { points: 80, noise: 0.1, seed: 3, classes: 3 }).unwrap();
        let (i, j) = (4, 15);
        let plane = Plane::two_weights(&now.params, i, j).unwrap();
        // A box whose grid has the current point on it: (θᵢ, θⱼ) at grid point (20, 12).
        let (a, b) = (now.params[i], now.params[j]);
        let view = ViewBox::new(a - 1.0, a + 1.0, b - 0.6, b + 1.4);
        let mut grid = LandscapeGrid::new(plane, view, GridSize::Fine);
        assert!(grid.finest().is_none());
        assert_eq!(grid.refine(&now.arch, &data.x, &data.y, 30), GRID * GRID - 30);
        assert!(grid.finest().is_none(), "the coarsest level needs 36 points");
        grid.refine(&now.arch, &data.x, &data.y, 6);
        assert_eq!(grid.finest().unwrap().n, 6);
        grid.refine(&now.arch, &data.x, &data.y, 85);
        let coarse = grid.finest().unwrap();
        assert_eq!((coarse.n, coarse.values.len()), (11, 121));
        assert!(coarse.values.iter().all(|v| v.is_finite()));
        assert_eq!(grid.refine(&now.arch, &data.x, &data.y, 10_000), 0);
        let fine = grid.finest().unwrap();
        assert_eq!(fine.n, GRID);
        let current = now.loss(&now.predict(&data.x), &data.y);
        assert!((fine.values[12 * GRID + 20] - current).abs() <= 1e-12 * current, "{} vs {current}", fine.values[12 * GRID + 20]);
        assert!((fine.value([a, b]) - current).abs() <= 1e-12 * current);
        assert_eq!(fine.values[8 * GRID + 4], coarse.values[2 * 11 + 1], "the coarse points are the fine grid's");
    }

    /// A 2-4-1 tanh network on XOR trained `epochs` epochs (the slow views' tests use it too).
    pub(crate) fn trained(epochs: usize) -> TrainingRun {
        use crate::nn::train::TrainConfig;
        use crate::optim::Optimizer;
        let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
        let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 60, noise: 0.1, seed: 2, classes: 3 }).unwrap();
        let (train, test) = data.split(0.75, 2).unwrap();
        let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.5, batch_size: 10, l2: 0.0, seed: 1 };
        let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 1).unwrap(), train, test, config).unwrap();
        for _ in 0..epochs {
            run.step_epoch();
        }
        run
    }

    #[test]
    fn every_plane_puts_the_current_point_in_its_box_with_its_loss() {
        let run = trained(30);
        let loss = run.current().metrics.train_loss;
        for choice in [PlaneChoice::Weights { a: 2, b: 9 }, PlaneChoice::Random { seed: 3 }, PlaneChoice::Training] {
            let mut landscape = Landscape::new(&run, choice, GridSize::Fine).unwrap();
            let now = *landscape.path.last().unwrap();
            assert!(landscape.grid.view.contains(now), "{choice:?}");
            assert!(landscape.grid.finest().is_none() && landscape.slope.is_none(), "{choice:?}: nothing computed yet");
            assert_eq!(landscape.refine(&run, 1 + COARSE_POINTS), GRID * GRID - COARSE_POINTS, "the slope, then the coarsest level");
            assert_eq!(landscape.grid.finest().unwrap().n, 6, "{choice:?}: the coarsest level first");
            assert_eq!(landscape.refine(&run, usize::MAX), 0);
            let fine = landscape.grid.finest().unwrap();
            // The grid interpolates L; at the current point it is close to the loss now.
            let at = fine.value(now);
            assert!((at - loss).abs() < 0.1 * loss, "{choice:?}: {at} vs {loss}");
            let mut theta = vec![0.0; run.current().params.len()];
            landscape.grid.plane.at(now[0], now[1], &mut theta);
            let gap = theta.iter().zip(&run.current().params).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(gap < 1e-12, "{choice:?}: the current point is the current weights");
        }
        let weights = Landscape::new(&run, PlaneChoice::Weights { a: 2, b: 9 }, GridSize::Fine).unwrap();
        assert_eq!(weights.path.len(), 31, "θ₀ … θ₃₀");
        assert_eq!(weights.path[0], [run.history()[0].params[2], run.history()[0].params[9]]);
        // The box: the path's span on each axis, widened by a quarter of it (at least 1) on both sides.
        for (k, (lo_shown, hi_shown)) in
            [(weights.grid.view.x_min, weights.grid.view.x_max), (weights.grid.view.y_min, weights.grid.view.y_max)].into_iter().enumerate()
        {
            let (lo, hi) = weights.path.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p[k]), hi.max(p[k])));
            let margin = (0.25 * (hi - lo)).max(1.0);
            assert_eq!((lo_shown, hi_shown), (lo - margin, hi + margin), "axis {k}");
        }
        assert!(Landscape::new(&trained(0), PlaneChoice::Training, GridSize::Fine).is_err(), "no path yet");
    }

    /// The page's landscape stands on a square box around the one of the path;
    /// nothing is computed until asked, the slope first, then the levels.
    #[test]
    fn the_page_landscape_is_square_and_computed_when_asked() {
        let run = trained(30);
        let natural = Landscape::new(&run, PlaneChoice::Training, GridSize::Fine).unwrap().grid.view;
        let mut landscape = Landscape::on_a_square(&run, PlaneChoice::Training, GridSize::Fine).unwrap();
        let view = landscape.grid.view;
        assert!((natural.x_max - natural.x_min - (natural.y_max - natural.y_min)).abs() > 1e-6, "the path's own box is not square");
        assert!(((view.x_max - view.x_min) - (view.y_max - view.y_min)).abs() < 1e-12, "{view:?}");
        assert!(view.x_min <= natural.x_min && view.x_max >= natural.x_max && view.y_min <= natural.y_min && view.y_max >= natural.y_max);
        assert_eq!(landscape.remaining(), 1 + GRID * GRID);
        assert_eq!(landscape.refine(&run, 0), 1 + GRID * GRID, "nothing asked, nothing done");
        assert!(landscape.slope.is_none());
        for (count, size) in [(1 + COARSE_POINTS, 6), (11 * 11 - COARSE_POINTS, 11), (21 * 21 - 11 * 11, 21), (GRID * GRID - 21 * 21, GRID)]
        {
            landscape.refine(&run, count);
            assert_eq!(landscape.grid.finest_size(), Some(size));
            assert_eq!(landscape.grid.finest().unwrap().n, size);
        }
        assert_eq!(landscape.remaining(), 0);
        let empty = TrainingRun::new(run.network().clone(), Dataset::empty(true, 2), Dataset::empty(true, 2), run.config).unwrap();
        assert!(Landscape::on_a_square(&empty, PlaneChoice::Random { seed: 1 }, GridSize::Fine).is_err(), "no training points");
    }
}
