//! The loss over a grid of a plane, filled a coarse level first: by the page
//! itself a few points each frame, or by other threads (Web Workers) that
//! take shares of it and hand their losses back.
//!
//! Either way each point's loss is [`PointLosses::at`]: the same code on the
//! same numbers, so the picture does not depend on who computed it.

use crate::tr;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use crate::descent::surface::ViewBox;
use crate::named::Named;
use crate::nn::matrix::Mat;
use crate::nn::network::{Architecture, Forward};
use crate::nn::plane::Plane;
use crate::wire::Wire;

/// How fine a landscape's grid ends: points per side of its finest level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GridSize {
    /// 41 × 41: refined through 6 × 6, 11 × 11 and 21 × 21.
    #[default]
    Fine,
    /// 81 × 81: one level more, four times the passes of 41 × 41.
    Finer,
}

impl Named for GridSize {
    const WHAT: &'static str = "grid";
    const ALL: &'static [GridSize] = &[GridSize::Fine, GridSize::Finer];

    fn id(self) -> &'static str {
        match self {
            GridSize::Fine => "41",
            GridSize::Finer => "81",
        }
    }

    fn label(self) -> &'static str {
        match self {
            GridSize::Fine => "41 × 41",
            GridSize::Finer => "81 × 81 (slower)",
        }
    }
}

crate::serde_by_id!(GridSize);

impl GridSize {
    /// Points per side of the finest level.
    pub fn points(self) -> usize {
        match self {
            GridSize::Fine => 41,
            GridSize::Finer => 81,
        }
    }

    /// The refinement's levels, coarsest first: every 8th grid point of 41 × 41
    /// (6 × 6), every 4th (11 × 11), every 2nd (21 × 21), all; and so on for 81 × 81.
    fn strides(self) -> &'static [usize] {
        match self {
            GridSize::Fine => &[8, 4, 2, 1],
            GridSize::Finer => &[16, 8, 4, 2, 1],
        }
    }
}

/// Grid points of the coarsest level (6 × 6 at every size), the first picture.
pub const COARSE_POINTS: usize = 36;

/// Raster pixels (and samples for its contour lines) along a cell of a level,
/// each way, at most: a level's picture, bilinear between its points, is
/// drawn at that resolution and stretched to a larger chart (the browser's
/// smoothing is bilinear too, so the picture is the same within each cell).
/// The coarse levels are, and on a chart of more than 320 pixels (a screen
/// of high density) the 41 × 41 level too.
pub const PIXELS_PER_CELL: u32 = 8;

/// One level of a grid: `n` points per side over `view`, L at index j·n + i.
#[derive(Clone, Debug, PartialEq)]
pub struct GridLevel {
    pub view: ViewBox,
    pub n: usize,
    pub values: Vec<f64>,
}

impl GridLevel {
    /// f on an n × n grid over `view`.
    pub fn sample(f: &dyn Fn([f64; 2]) -> f64, view: ViewBox, n: usize) -> GridLevel {
        let mut level = GridLevel { view, n, values: Vec::with_capacity(n * n) };
        for j in 0..n {
            for i in 0..n {
                let p = level.point(i, j);
                level.values.push(f(p));
            }
        }
        level
    }

    /// (a, b) of grid point (i, j).
    pub fn point(&self, i: usize, j: usize) -> [f64; 2] {
        grid_point(self.view, self.n, i, j)
    }

    /// L at (a, b) by bilinear interpolation between the grid points (held at the border outside the box).
    pub fn value(&self, p: [f64; 2]) -> f64 {
        let mut out = [0.0];
        self.values_on_grid(&[p[0]], &[p[1]], &mut out);
        out[0]
    }

    /// L on the grid xs × ys, row by row: out[r·|xs| + c] is L at (xs[c],
    /// ys[r]) by bilinear interpolation as [`GridLevel::value`] gives it; the
    /// cell of each column and of each row is worked out once.
    pub fn values_on_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let n = self.n;
        let last = (n - 1) as f64;
        // Grid steps per unit of a and of b.
        let (per_a, per_b) = (last / (self.view.x_max - self.view.x_min), last / (self.view.y_max - self.view.y_min));
        // The cell of coordinate t (in grid steps) along an axis and the share of the way across it, held at the border.
        let cell = |t: f64| {
            // Comparisons rather than `f64::max` and `f64::min`, calls in wasm; NaN goes to 0.
            let t = if t > 0.0 { t } else { 0.0 };
            let t = if t < last { t } else { last };
            let i = (t as u32).min(n as u32 - 2);
            (i as usize, t - f64::from(i))
        };
        let columns: Vec<(usize, f64)> = xs.iter().map(|x| cell((x - self.view.x_min) * per_a)).collect();
        for (row, y) in out.chunks_exact_mut(xs.len().max(1)).zip(ys) {
            let (j, fv) = cell((y - self.view.y_min) * per_b);
            let (below, above) = (&self.values[j * n..(j + 1) * n], &self.values[(j + 1) * n..(j + 2) * n]);
            for (o, &(i, fu)) in row.iter_mut().zip(&columns) {
                let bottom = below[i] * (1.0 - fu) + below[i + 1] * fu;
                let top = above[i] * (1.0 - fu) + above[i + 1] * fu;
                *o = bottom * (1.0 - fv) + top * fv;
            }
        }
    }

    /// The raster the level's picture needs on a chart of `plot` pixels: the
    /// plot itself, or a raster of the same shape with at most
    /// [`PIXELS_PER_CELL`] pixels along a cell.
    pub fn raster_size(&self, plot: (u32, u32)) -> (u32, u32) {
        let enough = PIXELS_PER_CELL * (self.n.saturating_sub(1).max(1) as u32);
        let longest = plot.0.max(plot.1);
        if longest <= enough {
            return plot;
        }
        let scaled = |side: u32| ((u64::from(side) * u64::from(enough)).div_ceil(u64::from(longest)) as u32).max(1);
        (scaled(plot.0), scaled(plot.1))
    }

    /// Samples each way for the level's contour lines: [`PIXELS_PER_CELL`]
    /// along a cell, at most the [`CONTOUR_GRID`](crate::draw::layer::CONTOUR_GRID) of every other surface.
    pub fn contour_grid(&self) -> usize {
        (PIXELS_PER_CELL as usize * self.n.saturating_sub(1).max(1) + 1).min(crate::draw::layer::CONTOUR_GRID)
    }
}

/// (a, b) of point (i, j) of an n × n grid over `view`.
fn grid_point(view: ViewBox, n: usize, i: usize, j: usize) -> [f64; 2] {
    let step = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * k as f64 / (n - 1) as f64;
    [step(view.x_min, view.x_max, i), step(view.y_min, view.y_max, j)]
}

/// Everything a thread needs to compute L at points of one grid: the
/// network's shape, the plane, the grid's box and the training points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridContext {
    /// The grid this is of ([`LandscapeGrid::id`]).
    pub grid: u32,
    pub size: GridSize,
    pub arch: Architecture,
    pub plane: Plane,
    pub view: ViewBox,
    pub x: Mat,
    pub y: Mat,
}

impl Wire for GridContext {
    const WHAT: &'static str = "the grid";
}

/// Computes L at the points of one grid, reusing its storage.
#[derive(Clone, Debug)]
pub struct PointLosses {
    context: GridContext,
    probe: Vec<f64>,
    forward: Forward,
}

impl PointLosses {
    /// The computer of `context`'s losses, or why its numbers do not fit together.
    pub fn new(context: GridContext) -> Result<PointLosses, String> {
        let GridContext { arch, plane, x, y, .. } = &context;
        let params = arch.parameter_count();
        let fits = |m: &Mat, cols: usize| m.cols == cols && m.data.len() == m.rows * m.cols;
        let sizes = (arch.sizes.first(), arch.sizes.last());
        let (Some(&inputs), Some(&outputs)) = sizes else { return Err(tr!("a network has layers")) };
        if arch.activations.len() + 1 != arch.sizes.len() || [&plane.origin, &plane.d1, &plane.d2].iter().any(|v| v.len() != params) {
            return Err(tr!("the plane does not fit the network"));
        }
        if !fits(x, inputs) || !fits(y, outputs) || x.rows != y.rows || x.rows == 0 {
            return Err(tr!("the training points do not fit the network"));
        }
        Ok(PointLosses { probe: vec![0.0; params], forward: Forward::default(), context })
    }

    /// The grid these are the losses of.
    pub fn grid(&self) -> u32 {
        self.context.grid
    }

    /// L at grid index j·n + i (n points per side): the training loss at θ(a, b) of point (i, j).
    pub fn at(&mut self, index: usize) -> f64 {
        let c = &self.context;
        let n = c.size.points();
        let [a, b] = grid_point(c.view, n, index % n, index / n);
        c.plane.at(a, b, &mut self.probe);
        c.arch.loss_at(&self.probe, &c.x, &c.y, &mut self.forward)
    }

    /// L at each of `indices` (grid indices below n², others NaN).
    pub fn losses(&mut self, indices: &[u32]) -> Vec<f64> {
        let points = self.context.size.points().pow(2);
        indices.iter().map(|&k| if (k as usize) < points { self.at(k as usize) } else { f64::NAN }).collect()
    }
}

/// A share of a grid for another thread: the positions `from`… of the
/// grid's order, at the grid indices listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridShare {
    pub grid: u32,
    pub from: usize,
    pub indices: Vec<u32>,
}

/// Numbers each new grid, so that losses handed back for an older grid are known as such.
static GRIDS_MADE: AtomicU32 = AtomicU32::new(0);

/// L(θ(a, b)) on an n × n grid over a box of (a, b) (n = 41 or 81), filled
/// progressively: the 6 × 6 points first, then those of 11 × 11, of 21 × 21,
/// and so on to n × n. Points are handed out in that order (to the page's own
/// slices or as shares to other threads); a level is shown once every point
/// of it is back.
#[derive(Clone, Debug)]
pub struct LandscapeGrid {
    /// Tells this grid from every other one made by this program.
    pub id: u32,
    pub size: GridSize,
    pub plane: Plane,
    /// The box of (a, b).
    pub view: ViewBox,
    /// L at grid point (i, j) = (a_min + i·Δa, b_min + j·Δb), at index j·n + i; NaN until computed.
    values: Vec<f64>,
    /// The grid indices in the order they are computed.
    order: Vec<usize>,
    /// Whether the point at each position of `order` is computed.
    filled: Vec<bool>,
    /// How many of `order` are computed, from the first on.
    done: usize,
    /// How many of `order` are handed out, from the first on.
    handed_out: usize,
    /// Computes the points here, made on the first one.
    here: Option<PointLosses>,
}

impl LandscapeGrid {
    pub fn new(plane: Plane, view: ViewBox, size: GridSize) -> LandscapeGrid {
        let n = size.points();
        let mut order = Vec::with_capacity(n * n);
        let mut seen = vec![false; n * n];
        for &stride in size.strides() {
            for j in (0..n).step_by(stride) {
                for i in (0..n).step_by(stride) {
                    if !std::mem::replace(&mut seen[j * n + i], true) {
                        order.push(j * n + i);
                    }
                }
            }
        }
        LandscapeGrid {
            id: GRIDS_MADE.fetch_add(1, Ordering::Relaxed),
            size,
            plane,
            view,
            values: vec![f64::NAN; n * n],
            filled: vec![false; order.len()],
            order,
            done: 0,
            handed_out: 0,
            here: None,
        }
    }

    /// What another thread needs to compute this grid's points on the training points (x, y).
    pub fn context(&self, arch: &Architecture, x: &Mat, y: &Mat) -> GridContext {
        GridContext {
            grid: self.id,
            size: self.size,
            arch: arch.clone(),
            plane: self.plane.clone(),
            view: self.view,
            x: x.clone(),
            y: y.clone(),
        }
    }

    /// Computes up to `count` more grid points here (each a forward pass over
    /// the points x, y); returns how many remain to hand out.
    pub fn refine(&mut self, arch: &Architecture, x: &Mat, y: &Mat, count: usize) -> usize {
        let Some(share) = self.share(count) else { return self.remaining() };
        if self.here.is_none() {
            self.here = PointLosses::new(self.context(arch, x, y)).ok();
        }
        // Training points that do not fit the network have no loss (never so for a run's own).
        let values = match &mut self.here {
            Some(here) => here.losses(&share.indices),
            None => vec![f64::NAN; share.indices.len()],
        };
        self.fill(share.from, &values);
        self.remaining()
    }

    /// Hands out the next `count` points, or None when there are none to hand out.
    pub fn share(&mut self, count: usize) -> Option<GridShare> {
        let from = self.handed_out;
        let to = from.saturating_add(count).min(self.order.len());
        if from == to {
            return None;
        }
        self.handed_out = to;
        Some(GridShare { grid: self.id, from, indices: self.order[from..to].iter().map(|&k| k as u32).collect() })
    }

    /// Takes the losses of the points at positions `from`… of the order
    /// (a share handed back); values past the last position are ignored.
    pub fn fill(&mut self, from: usize, values: &[f64]) {
        for (position, &value) in (from..self.order.len()).zip(values) {
            self.values[self.order[position]] = value;
            self.filled[position] = true;
        }
        while self.done < self.order.len() && self.filled[self.done] {
            self.done += 1;
        }
    }

    /// Hands out again every point not yet back (a thread that took a share has stopped).
    pub fn take_back(&mut self) {
        self.handed_out = self.done;
    }

    /// How many grid points remain to hand out.
    pub fn remaining(&self) -> usize {
        self.order.len() - self.handed_out
    }

    /// Whether every grid point is computed (for the tests: the page asks how many remain).
    #[cfg(test)]
    pub fn complete(&self) -> bool {
        self.done == self.order.len()
    }

    /// The stride of the finest level whose points are all computed; None before the coarsest is.
    fn finest_stride(&self) -> Option<usize> {
        let n = self.size.points();
        self.size.strides().iter().rev().copied().find(|s| self.done >= n.div_ceil(*s).pow(2))
    }

    /// Points per side of the finest level whose points are all computed.
    pub fn finest_size(&self) -> Option<usize> {
        self.finest_stride().map(|stride| (self.size.points() - 1) / stride + 1)
    }

    /// The finest level whose points are all computed; None before the coarsest is.
    pub fn finest(&self) -> Option<GridLevel> {
        let stride = self.finest_stride()?;
        let all = self.size.points();
        let n = (all - 1) / stride + 1;
        let values = (0..n).flat_map(|j| (0..n).map(move |i| (i, j))).map(|(i, j)| self.values[j * stride * all + i * stride]).collect();
        Some(GridLevel { view: self.view, n, values })
    }
}

#[cfg(test)]
mod tests;
