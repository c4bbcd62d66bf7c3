//! A small dense matrix, row-major: one example a row.

use crate::tr;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mat {
    pub rows: usize,
    pub cols: usize,
    /// Entry (r, c) is data[r·cols + c].
    pub data: Vec<f64>,
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Mat {
        Mat { rows, cols, data: vec![0.0; rows * cols] }
    }

    /// A matrix from its rows; every row must have the same length.
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Mat, String> {
        let cols = rows.first().map_or(0, Vec::len);
        if let Some(i) = rows.iter().position(|r| r.len() != cols) {
            return Err(tr!("row {a} has {b} entries but row 1 has {cols}", a = i + 1, b = rows[i].len(), cols = cols));
        }
        Ok(Mat { rows: rows.len(), cols, data: rows.concat() })
    }

    pub fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    pub fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    /// The rows listed in `indices`, in that order.
    pub fn select_rows(&self, indices: &[usize]) -> Mat {
        let mut out = Mat::zeros(0, self.cols);
        out.gather_rows(self, indices);
        out
    }

    /// Makes this a rows × cols matrix, reusing its storage; the entries are left as they were or 0.
    pub fn reshape(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }

    /// This matrix becomes the rows of `from` listed in `indices`, reusing its
    /// storage. Rows of one or two entries (a network's inputs, one output)
    /// are copied as pairs of numbers, not through a copy of memory of
    /// variable length (in wasm, a call to the engine for every row).
    pub fn gather_rows(&mut self, from: &Mat, indices: &[usize]) {
        self.reshape(indices.len(), from.cols);
        match from.cols {
            1 => gather::<1>(&mut self.data, &from.data, indices),
            2 => gather::<2>(&mut self.data, &from.data, indices),
            cols => {
                for (to, &i) in self.data.chunks_exact_mut(cols.max(1)).zip(indices) {
                    to.copy_from_slice(from.row(i));
                }
            }
        }
    }

    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|r| self.row(r).to_vec()).collect()
    }
}

/// Row r of `to` (rows of N entries) becomes row indices[r] of `from`.
fn gather<const N: usize>(to: &mut [f64], from: &[f64], indices: &[usize]) {
    for (to, &i) in to.chunks_exact_mut(N).zip(indices) {
        let row: &[f64; N] = from[i * N..(i + 1) * N].try_into().expect("N entries");
        *<&mut [f64; N]>::try_from(to).expect("N entries") = *row;
    }
}

/// out = a·w + b: `a` is m × n, `w` is n × k stored row-major in a slice, `b`
/// has k entries added to every row. Each entry is bⱼ + Σᵢ aᵣᵢ·wᵢⱼ summed over i in order.
#[inline]
pub fn affine_into(a: &Mat, w: &[f64], b: &[f64], out: &mut Mat) {
    out.reshape(a.rows, b.len());
    product_into(Factor { entries: &a.data, row_step: a.cols, term_step: 1 }, w, b.len(), Some(b), &mut out.data);
}

/// aᵀ·d into `out` (n × k, row-major): a is m × n, d is m × k. Each entry is
/// Σᵣ aᵣᵢ·dᵣⱼ summed over the rows r in order.
#[inline]
pub fn transpose_times(a: &Mat, d: &Mat, out: &mut [f64]) {
    product_into(Factor { entries: &a.data, row_step: 1, term_step: a.cols }, &d.data, d.cols, None, out);
}

/// The column sums of d into `out` (k entries): each Σᵣ dᵣⱼ over the rows r
/// in order, as 1ᵀ·d (a product by ones adds each entry exactly as it is).
#[inline]
pub fn column_sums(d: &Mat, out: &mut [f64]) {
    product_into(Factor { entries: &[1.0], row_step: 0, term_step: 0 }, &d.data, d.cols, None, out);
}

/// out = d·wᵀ: d is m × k, w is n × k row-major; the result is m × n, each
/// entry Σⱼ dᵣⱼ·wᵢⱼ summed over j in order. `scratch` holds wᵀ.
pub fn times_transpose_into(d: &Mat, w: &[f64], n: usize, out: &mut Mat, scratch: &mut Vec<f64>) {
    let k = d.cols;
    // wᵀ entry (j, i) is w's (i, j), written row by row of w.
    scratch.resize(n * k, 0.0);
    for (i, w_row) in w.chunks_exact(k).take(n).enumerate() {
        for (j, &v) in w_row.iter().enumerate() {
            scratch[j * n + i] = v;
        }
    }
    out.reshape(d.rows, n);
    product_into(Factor { entries: &d.data, row_step: k, term_step: 1 }, scratch, n, None, &mut out.data);
}

/// The left factor of a product: entry (r, t) at entries[r·row_step + t·term_step].
struct Factor<'a> {
    entries: &'a [f64],
    row_step: usize,
    term_step: usize,
}

/// The most outputs one pass of [`product_into`] keeps in registers, for two
/// rows at once: 16 sums, as many as x86-64 has SIMD registers for.
const WIDTH: usize = 8;

/// out = a·w (+ b), k columns: `w` is (a's terms) × k row-major, `out` a's
/// rows × k row-major. Each entry is bⱼ (or 0) + Σₜ aᵣₜ·wₜⱼ summed over t in
/// order (no terms: bⱼ or 0). Two rows' outputs are kept in registers while
/// the terms are added (two at a time in SIMD lanes), so that each weight
/// loaded serves both rows, in passes of up to [`WIDTH`] outputs, each pass
/// compiled for its width.
fn product_into(a: Factor, w: &[f64], k: usize, b: Option<&[f64]>, out: &mut [f64]) {
    for first in (0..k).step_by(WIDTH) {
        macro_rules! pass {
            ($($width:literal)*) => {
                match (k - first).min(WIDTH) {
                    $($width => product_pass::<$width>(&a, w, k, b, out, first),)*
                    _ => unreachable!("a pass has 1 to {WIDTH} outputs"),
                }
            };
        }
        pass!(1 2 3 4 5 6 7 8);
    }
}

/// Outputs `first` … `first + K − 1` of [`product_into`], two rows at a time
/// (the last alone when the rows are odd).
#[inline(always)]
fn product_pass<const K: usize>(a: &Factor, w: &[f64], k: usize, b: Option<&[f64]>, out: &mut [f64], first: usize) {
    let start: [f64; K] = b.map_or([0.0; K], |b| b[first..first + K].try_into().expect("K biases"));
    let last_row = (out.len() / k).saturating_sub(1);
    let mut pairs = out.chunks_exact_mut(2 * k);
    for (pair, out_rows) in pairs.by_ref().enumerate() {
        let (r, s) = (2 * pair, 2 * pair + 1);
        let (mut sum_r, mut sum_s) = (start, start);
        for (t, w_row) in w.chunks_exact(k).enumerate() {
            let x_r = a.entries[r * a.row_step + t * a.term_step];
            let x_s = a.entries[s * a.row_step + t * a.term_step];
            let w_row: &[f64; K] = w_row[first..first + K].try_into().expect("K weights");
            for ((sr, ss), wv) in sum_r.iter_mut().zip(&mut sum_s).zip(w_row) {
                *sr += x_r * wv;
                *ss += x_s * wv;
            }
        }
        out_rows[first..first + K].copy_from_slice(&sum_r);
        out_rows[k + first..k + first + K].copy_from_slice(&sum_s);
    }
    let last = pairs.into_remainder();
    if !last.is_empty() {
        let mut sum = start;
        for (t, w_row) in w.chunks_exact(k).enumerate() {
            let x = a.entries[last_row * a.row_step + t * a.term_step];
            let w_row: &[f64; K] = w_row[first..first + K].try_into().expect("K weights");
            for (s, wv) in sum.iter_mut().zip(w_row) {
                *s += x * wv;
            }
        }
        last[first..first + K].copy_from_slice(&sum);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rows × cols matrix of distinct, irregular entries.
    fn matrix(rows: usize, cols: usize, seed: f64) -> Mat {
        Mat { rows, cols, data: (0..rows * cols).map(|i| (i as f64 * seed).sin() * 1.7).collect() }
    }

    /// A matrix read back as rows gives the rows it was made from.
    #[test]
    fn rows_go_in_and_come_back_out() {
        let rows = vec![vec![1.0, -2.0, 0.5], vec![3.0, 4.0, -0.25]];
        let m = Mat::from_rows(&rows).unwrap();
        assert_eq!((m.rows, m.cols, m.get(1, 2)), (2, 3, -0.25));
        assert_eq!(m.to_rows(), rows);
    }

    /// Gathered rows are the rows listed, in that order, for rows of every width, into storage that held another shape.
    #[test]
    fn gathered_rows_are_the_rows_listed() {
        for cols in 0..=4 {
            let from = matrix(3, cols, 0.83);
            let mut to = matrix(5, 3, 1.9);
            to.gather_rows(&from, &[2, 0, 2, 1]);
            assert_eq!((to.rows, to.cols), (4, cols));
            assert_eq!(to.to_rows(), [2, 0, 2, 1].map(|r| from.row(r).to_vec()), "{cols} columns");
        }
    }

    /// Each kernel, its outputs in passes compiled for their width, gives every
    /// entry the sum its own terms give in order, bit for bit, for every width.
    #[test]
    fn each_entry_is_its_own_sum_in_order() {
        // Widths past 16 take two passes; no rows give zero gradients.
        for (m, n, k) in [(1, 1, 1), (2, 3, 4), (5, 2, 1), (4, 5, 3), (3, 8, 8), (10, 16, 16), (3, 17, 18), (0, 3, 2)] {
            let a = matrix(m, n, 0.37);
            let w = matrix(n, k, 1.13).data;
            let b = matrix(1, k, 2.9).data;
            let d = matrix(m, k, 0.71);
            let mut out = Mat::default();
            affine_into(&a, &w, &b, &mut out);
            assert_eq!((out.rows, out.cols), (m, k));
            for (r, j) in (0..m).flat_map(|r| (0..k).map(move |j| (r, j))) {
                let sum = (0..n).fold(b[j], |s, i| s + a.get(r, i) * w[i * k + j]);
                assert_eq!(out.get(r, j).to_bits(), sum.to_bits(), "a·w + b at ({r}, {j}) of {m} × {n} × {k}");
            }
            let mut sums = vec![f64::NAN; k];
            column_sums(&d, &mut sums);
            for (j, total) in sums.iter().enumerate() {
                let sum = (0..m).fold(0.0, |s, r| s + d.get(r, j));
                assert_eq!(total.to_bits(), sum.to_bits(), "1ᵀ·d at {j} of {m} × {k}");
            }
            let mut grad = vec![f64::NAN; n * k];
            transpose_times(&a, &d, &mut grad);
            for (i, j) in (0..n).flat_map(|i| (0..k).map(move |j| (i, j))) {
                let sum = (0..m).fold(0.0, |s, r| s + a.get(r, i) * d.get(r, j));
                assert_eq!(grad[i * k + j].to_bits(), sum.to_bits(), "aᵀ·d at ({i}, {j}) of {m} × {n} × {k}");
            }
            // d·wᵀ with w as n × k: back through the same weights.
            times_transpose_into(&d, &w, n, &mut out, &mut Vec::new());
            assert_eq!((out.rows, out.cols), (m, n));
            for (r, i) in (0..m).flat_map(|r| (0..n).map(move |i| (r, i))) {
                let sum = (0..k).fold(0.0, |s, j| s + d.get(r, j) * w[i * k + j]);
                assert_eq!(out.get(r, i).to_bits(), sum.to_bits(), "d·wᵀ at ({r}, {i}) of {m} × {n} × {k}");
            }
        }
    }
}
