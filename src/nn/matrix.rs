//! A small dense matrix, row-major: one example a row.

use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
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
            return Err(format!("row {} has {} entries but row 1 has {cols}", i + 1, rows[i].len()));
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

/// out = a·w + b: `a` is m × n, `w` is n × k stored row-major in a slice, `b` has k entries added to every row.
pub fn affine_into(a: &Mat, w: &[f64], b: &[f64], out: &mut Mat) {
    let (m, k) = (a.rows, b.len());
    out.reshape(m, k);
    for (row, input) in out.data.chunks_exact_mut(k).zip(a.data.chunks_exact(a.cols)) {
        row.copy_from_slice(b);
        for (&x, w_row) in input.iter().zip(w.chunks_exact(k)) {
            for (o, wij) in row.iter_mut().zip(w_row) {
                *o += x * wij;
            }
        }
    }
}

/// aᵀ·d into `out` (n × k, row-major): a is m × n, d is m × k.
pub fn transpose_times(a: &Mat, d: &Mat, out: &mut [f64]) {
    let k = d.cols;
    debug_assert_eq!(out.len(), a.cols * k);
    out.iter_mut().for_each(|v| *v = 0.0);
    for (a_row, d_row) in a.data.chunks_exact(a.cols).zip(d.data.chunks_exact(k)) {
        for (&x, out_row) in a_row.iter().zip(out.chunks_exact_mut(k)) {
            for (o, dv) in out_row.iter_mut().zip(d_row) {
                *o += x * dv;
            }
        }
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

    /// d·wᵀ, two rows at a time, equals each entry's sum in order, for an even and an odd number of rows.
    #[test]
    fn times_transpose_is_each_rows_sum() {
        let (k, n) = (3, 4);
        let w: Vec<f64> = (0..n * k).map(|i| (i as f64 * 0.37).sin()).collect();
        for rows in [1, 2, 5] {
            let d = Mat { rows, cols: k, data: (0..rows * k).map(|i| (i as f64 * 1.1).cos()).collect() };
            let mut out = Mat::default();
            times_transpose_into(&d, &w, n, &mut out);
            assert_eq!((out.rows, out.cols), (rows, n));
            for r in 0..rows {
                for j in 0..n {
                    let sum = (0..k).fold(0.0, |s, c| s + d.get(r, c) * w[j * k + c]);
                    assert_eq!(out.get(r, j), sum, "({r}, {j}) of {rows} rows");
                }
            }
        }
    }
}
