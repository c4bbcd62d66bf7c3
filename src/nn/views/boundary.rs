//! The decision boundary's raster: the network's outputs on a grid over the
//! data's box, a row of the grid at a time.

use super::Job;
use crate::descent::surface::ViewBox;
use crate::draw::boundary_chart::outputs_colour;
use crate::nn::matrix::Mat;
use crate::nn::network::Network;
use crate::nn::train::TrainingRun;

/// The colours of `net`'s outputs at the centres of a [`BOUNDARY_GRID`]²
/// grid of cells over `view`, top row first.
#[derive(Clone, Debug)]
pub struct BoundaryJob {
    net: Network,
    view: ViewBox,
    /// The colour of cell (i, j) (column i from the left, row j from the top) at j·n + i, for the rows done.
    colours: Vec<[u8; 3]>,
}

/// Cells along each side of the grid.
pub const BOUNDARY_GRID: usize = 100;
const N: usize = BOUNDARY_GRID;

impl BoundaryJob {
    pub fn new(net: Network, view: ViewBox) -> BoundaryJob {
        BoundaryJob { net, view, colours: Vec::with_capacity(N * N) }
    }

    /// The whole grid computed at once.
    pub fn complete(net: Network, view: ViewBox) -> BoundaryJob {
        let mut job = BoundaryJob::new(net, view);
        job.rows(N);
        job
    }

    /// Computes up to `count` more rows of cells.
    fn rows(&mut self, count: usize) {
        let (done, view) = (self.colours.len() / N, self.view);
        for j in done..done.saturating_add(count).min(N) {
            let y = view.y_max - (j as f64 + 0.5) * (view.y_max - view.y_min) / N as f64;
            let row: Vec<f64> = (0..N).flat_map(|i| [view.x_min + (i as f64 + 0.5) * (view.x_max - view.x_min) / N as f64, y]).collect();
            let out = self.net.predict(&Mat { rows: N, cols: 2, data: row });
            self.colours.extend(out.data.chunks_exact(out.cols).map(outputs_colour));
        }
    }

    /// The grid as RGBA, `width` × `height` pixels, top row first, each cell
    /// filling its block of pixels (the rows not yet computed white).
    pub fn rgba(&self, width: u32, height: u32) -> Vec<u8> {
        let (w, h) = (width.max(1) as usize, height.max(1) as usize);
        let mut rgba = Vec::with_capacity(w * h * 4);
        for j in 0..h {
            let row = j * N / h;
            for i in 0..w {
                let [r, g, b] = self.colours.get(row * N + i * N / w).copied().unwrap_or([255; 3]);
                rgba.extend_from_slice(&[r, g, b, 255]);
            }
        }
        rgba
    }
}

impl Job for BoundaryJob {
    fn advance(&mut self, _run: &TrainingRun, count: usize) -> usize {
        self.rows(count);
        self.remaining()
    }

    fn remaining(&self) -> usize {
        N - self.colours.len() / N
    }

    fn progress(&self) -> usize {
        usize::from(self.remaining() == 0)
    }
}
