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

    /// This matrix becomes the rows of `from` listed in `indices`, reusing its storage.
    pub fn gather_rows(&mut self, from: &Mat, indices: &[usize]) {
        self.cols = from.cols;
        self.rows = indices.len();
        self.data.clear();
        for &i in indices {
            self.data.extend_from_slice(from.row(i));
        }
    }

    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|r| self.row(r).to_vec()).collect()
    }
}

/// out = a·w + b: `a` is m × n, `w` is n × k stored row-major in a slice, `b`
/// has k entries added to every row. Each entry is bⱼ + Σᵢ aᵣᵢ·wᵢⱼ summed over
/// i in order, for two rows of `a` at a time (a two-lane SIMD instruction does
/// both rows' step at once; each entry is the sum its row alone gives).
pub fn affine_into(a: &Mat, w: &[f64], b: &[f64], out: &mut Mat) {
    let (n, k) = (a.cols, b.len());
    out.reshape(a.rows, k);
    let mut out_rows = out.data.chunks_exact_mut(2 * k);
    let mut a_rows = a.data.chunks_exact(2 * n);
    for (out2, a2) in (&mut out_rows).zip(&mut a_rows) {
        let (first, second) = a2.split_at(n);
        for (j, &bj) in b.iter().enumerate() {
            let mut sum = [bj, bj];
            for ((&x, &y), w_row) in first.iter().zip(second).zip(w.chunks_exact(k)) {
                sum = [sum[0] + x * w_row[j], sum[1] + y * w_row[j]];
            }
            out2[j] = sum[0];
            out2[k + j] = sum[1];
        }
    }
    let (out_last, a_last) = (out_rows.into_remainder(), a_rows.remainder());
    for (j, (o, &bj)) in out_last.iter_mut().zip(b).enumerate() {
        *o = a_last.iter().zip(w.chunks_exact(k)).fold(bj, |sum, (x, w_row)| sum + x * w_row[j]);
    }
}

/// aᵀ·d into `out` (n × k, row-major): a is m × n, d is m × k. Each entry is
/// Σᵣ aᵣᵢ·dᵣⱼ summed over the rows r in order, for two columns i of `a` at a
/// time (a two-lane SIMD instruction does both; each entry is its own sum).
pub fn transpose_times(a: &Mat, d: &Mat, out: &mut [f64]) {
    let (n, k) = (a.cols, d.cols);
    debug_assert_eq!(out.len(), n * k);
    let rows = || a.data.chunks_exact(n).zip(d.data.chunks_exact(k));
    let mut out_pairs = out.chunks_exact_mut(2 * k);
    for (i, out2) in (&mut out_pairs).enumerate() {
        for j in 0..k {
            let sum =
                rows().fold([0.0, 0.0], |sum, (a_row, d_row)| [sum[0] + a_row[2 * i] * d_row[j], sum[1] + a_row[2 * i + 1] * d_row[j]]);
            out2[j] = sum[0];
            out2[k + j] = sum[1];
        }
    }
    for (j, o) in out_pairs.into_remainder().iter_mut().enumerate() {
        *o = rows().fold(0.0, |sum, (a_row, d_row)| sum + a_row[n - 1] * d_row[j]);
    }
}

/// out = d·wᵀ: d is m × k, w is n × k row-major; the result is m × n. Two
/// rows of d at a time, each entry summed over k in order (so that a two-lane
/// SIMD instruction does both rows' step at once, and each entry is the sum a
/// row alone gives).
pub fn times_transpose_into(d: &Mat, w: &[f64], n: usize, out: &mut Mat) {
    let k = d.cols;
    out.reshape(d.rows, n);
    let mut out_rows = out.data.chunks_exact_mut(2 * n);
    let mut d_rows = d.data.chunks_exact(2 * k);
    for (out2, d2) in (&mut out_rows).zip(&mut d_rows) {
        let (first, second) = d2.split_at(k);
        for (j, w_row) in w.chunks_exact(k).enumerate() {
            let mut sum = [0.0, 0.0];
            for ((&a, &b), &wv) in first.iter().zip(second).zip(w_row) {
                sum = [sum[0] + a * wv, sum[1] + b * wv];
            }
            out2[j] = sum[0];
            out2[n + j] = sum[1];
        }
    }
    {
        let (out_last, d_last) = (out_rows.into_remainder(), d_rows.remainder());
        for (o, w_row) in out_last.iter_mut().zip(w.chunks_exact(k)) {
            *o = d_last.iter().zip(w_row).fold(0.0, |sum, (a, b)| sum + a * b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rows × cols matrix of distinct, irregular entries.
    fn matrix(rows: usize, cols: usize, seed: f64) -> Mat {
        Mat { rows, cols, data: (0..rows * cols).map(|i| (i as f64 * seed).sin() * 1.7).collect() }
    }

    /// Each kernel, two rows or columns at a time, gives every entry the sum
    /// its own terms give in order, bit for bit, for even and odd sizes.
    #[test]
    fn each_entry_is_its_own_sum_in_order() {
        for (m, n, k) in [(1, 1, 1), (2, 3, 4), (5, 2, 1), (4, 5, 3), (3, 8, 8)] {
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
            let mut grad = vec![f64::NAN; n * k];
            transpose_times(&a, &d, &mut grad);
            for (i, j) in (0..n).flat_map(|i| (0..k).map(move |j| (i, j))) {
                let sum = (0..m).fold(0.0, |s, r| s + a.get(r, i) * d.get(r, j));
                assert_eq!(grad[i * k + j].to_bits(), sum.to_bits(), "aᵀ·d at ({i}, {j}) of {m} × {n} × {k}");
            }
            // d·wᵀ with w as n × k: back through the same weights.
            times_transpose_into(&d, &w, n, &mut out);
            assert_eq!((out.rows, out.cols), (m, n));
            for (r, i) in (0..m).flat_map(|r| (0..n).map(move |i| (r, i))) {
                let sum = (0..k).fold(0.0, |s, j| s + d.get(r, j) * w[i * k + j]);
                assert_eq!(out.get(r, i).to_bits(), sum.to_bits(), "d·wᵀ at ({r}, {i}) of {m} × {n} × {k}");
            }
        }
    }
}
