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
    product_into(Left::Rows(a), w, b.len(), Some(b), &mut out.data);
}

/// [aᵀ·d; 1ᵀ·d] into `out` ((n + 1) × k, row-major): a is m × n, d is m × k.
/// Row i < n is Σᵣ aᵣᵢ·dᵣⱼ and row n is Σᵣ dᵣⱼ, each summed over the rows r in
/// order: a layer's weight gradient followed by its bias gradient, the
/// layout of Wˡ and bˡ in a network's parameters.
#[inline]
pub fn gradient_into(a: &Mat, d: &Mat, out: &mut [f64]) {
    product_into(Left::Columns(a), &d.data, d.cols, None, out);
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
    product_into(Left::Rows(d), scratch, n, None, &mut out.data);
}

/// The left factor of a product, as the rows of the result read it.
#[derive(Clone, Copy)]
enum Left<'a> {
    /// Row r of the result takes its terms from row r of the matrix.
    Rows(&'a Mat),
    /// Row i of the result takes its terms from column i of the matrix (t
    /// going down the rows), and one more row after the last column takes
    /// the terms 1: aᵀ stacked on 1ᵀ.
    Columns(&'a Mat),
}

/// out = left·w (+ b), k columns: `w` is (left's terms) × k row-major, `out`
/// left's rows × k row-major. Each entry is bⱼ (or 0) + Σₜ xₜ·wₜⱼ summed over
/// the terms t in order (no terms: bⱼ or 0). Two rows' outputs are kept in
/// registers while the terms are added (two at a time in SIMD lanes), so
/// that each weight loaded serves both rows, in passes of up to [`WIDTH`]
/// outputs, each pass compiled for its width and for its kind of left factor.
/// Inlined into each of its three callers, where the kind of left factor and
/// whether there is a bias are known, so that each keeps only its own passes.
#[inline(always)]
fn product_into(left: Left, w: &[f64], k: usize, b: Option<&[f64]>, out: &mut [f64]) {
    if let Left::Rows(Mat { cols: 0, .. }) = left {
        // No terms: every row is b or 0.
        for row in out.chunks_exact_mut(k.max(1)) {
            match b {
                Some(b) => row.copy_from_slice(b),
                None => row.fill(0.0),
            }
        }
        return;
    }
    for first in (0..k).step_by(WIDTH) {
        let pass = Pass { w, k, first, out: &mut *out };
        macro_rules! passes {
            ($($width:literal)*) => {
                match (left, (k - first).min(WIDTH)) {
                    $((Left::Rows(a), $width) => pass.rows::<$width>(a, b),)*
                    $((Left::Columns(a), $width) => pass.columns::<$width>(a),)*
                    _ => unreachable!("a pass has 1 to {WIDTH} outputs"),
                }
            };
        }
        passes!(1 2 3 4 5 6 7 8);
    }
}

/// The most outputs one pass of [`product_into`] keeps in registers, for two
/// rows at once: 16 sums, as many as x86-64 has SIMD registers for.
const WIDTH: usize = 8;

/// Outputs `first` … `first + K − 1` of every row of a product.
struct Pass<'a> {
    /// The right factor, rows of k entries.
    w: &'a [f64],
    k: usize,
    first: usize,
    /// The result, rows of k entries.
    out: &'a mut [f64],
}

/// The K entries of a row of k from `first` on.
#[inline(always)]
fn part<const K: usize>(row: &[f64], first: usize) -> &[f64; K] {
    row[first..first + K].try_into().expect("K entries")
}

/// sum += x·w, entry by entry.
#[inline(always)]
fn add_terms<const K: usize>(sum: &mut [f64; K], x: f64, w: &[f64; K]) {
    for (s, wv) in sum.iter_mut().zip(w) {
        *s += x * wv;
    }
}

impl Pass<'_> {
    /// Writes a row's outputs into row `r` of the result.
    #[inline(always)]
    fn put<const K: usize>(&mut self, r: usize, sum: &[f64; K]) {
        let at = r * self.k + self.first;
        self.out[at..at + K].copy_from_slice(sum);
    }

    /// Left::Rows: row r of the result from row r of `a` (m × n, n ≥ 1), two
    /// rows at a time (the last alone when the rows are odd).
    #[inline(always)]
    fn rows<const K: usize>(self, a: &Mat, b: Option<&[f64]>) {
        let Pass { w, k, first, out } = self;
        let start: [f64; K] = b.map_or([0.0; K], |b| *part(b, first));
        let w_rows = w.chunks_exact(k);
        let mut row_pairs = a.data.chunks_exact(2 * a.cols);
        let mut out_pairs = out.chunks_exact_mut(2 * k);
        for (rows, outs) in (&mut row_pairs).zip(&mut out_pairs) {
            let (row_r, row_s) = rows.split_at(a.cols);
            let (mut sum_r, mut sum_s) = (start, start);
            for ((&x_r, &x_s), w_row) in row_r.iter().zip(row_s).zip(w_rows.clone()) {
                let w_part = part::<K>(w_row, first);
                add_terms(&mut sum_r, x_r, w_part);
                add_terms(&mut sum_s, x_s, w_part);
            }
            let (out_r, out_s) = outs.split_at_mut(k);
            out_r[first..first + K].copy_from_slice(&sum_r);
            out_s[first..first + K].copy_from_slice(&sum_s);
        }
        if a.rows % 2 == 1 {
            let mut sum = start;
            for (&x, w_row) in row_pairs.remainder().iter().zip(w_rows) {
                add_terms(&mut sum, x, part::<K>(w_row, first));
            }
            out_pairs.into_remainder()[first..first + K].copy_from_slice(&sum);
        }
    }

    /// Left::Columns: row i < n of the result from column i of `a` (m × n),
    /// two columns at a time (the last alone when they are odd), then row n
    /// from terms of 1.
    #[inline(always)]
    fn columns<const K: usize>(mut self, a: &Mat) {
        let (n, first, w_rows) = (a.cols, self.first, self.w.chunks_exact(self.k));
        // Made once and copied for each column, so that its length is worked out once.
        let terms = a.data.chunks_exact(n.max(1)).zip(w_rows.clone());
        for i in (0..n / 2).map(|pair| 2 * pair) {
            let (mut sum_i, mut sum_j) = ([0.0; K], [0.0; K]);
            for (a_row, w_row) in terms.clone() {
                let [x_i, x_j]: [f64; 2] = a_row[i..i + 2].try_into().expect("two columns");
                let w_part = part::<K>(w_row, first);
                add_terms(&mut sum_i, x_i, w_part);
                add_terms(&mut sum_j, x_j, w_part);
            }
            self.put(i, &sum_i);
            self.put(i + 1, &sum_j);
        }
        if n % 2 == 1 {
            let mut sum = [0.0; K];
            for (a_row, w_row) in terms {
                add_terms(&mut sum, a_row[n - 1], part::<K>(w_row, first));
            }
            self.put(n - 1, &sum);
        }
        // 1·w is w exactly, so the ones' row adds the entries as they are.
        let mut sum = [0.0; K];
        for w_row in w_rows {
            for (s, wv) in sum.iter_mut().zip(part::<K>(w_row, first)) {
                *s += wv;
            }
        }
        self.put(n, &sum);
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
        // Widths 1 to 8 take a pass each of each kind, 16 and 18 two and three; odd rows and
        // columns take their last alone; no rows give zero gradients, no terms b or 0.
        for (m, n, k) in [
            (1, 1, 1),
            (2, 3, 4),
            (5, 2, 1),
            (4, 5, 3),
            (3, 8, 8),
            (4, 6, 5),
            (5, 5, 6),
            (7, 7, 7),
            (10, 16, 16),
            (3, 17, 18),
            (0, 3, 2),
            (3, 0, 2),
        ] {
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
            let mut grad = vec![f64::NAN; (n + 1) * k];
            gradient_into(&a, &d, &mut grad);
            for (i, j) in (0..n).flat_map(|i| (0..k).map(move |j| (i, j))) {
                let sum = (0..m).fold(0.0, |s, r| s + a.get(r, i) * d.get(r, j));
                assert_eq!(grad[i * k + j].to_bits(), sum.to_bits(), "aᵀ·d at ({i}, {j}) of {m} × {n} × {k}");
            }
            for j in 0..k {
                let sum = (0..m).fold(0.0, |s, r| s + d.get(r, j));
                assert_eq!(grad[n * k + j].to_bits(), sum.to_bits(), "1ᵀ·d at {j} of {m} × {k}");
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
