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

/// out = d·wᵀ: d is m × k, w is n × k row-major; the result is m × n.
pub fn times_transpose_into(d: &Mat, w: &[f64], n: usize, out: &mut Mat) {
    let k = d.cols;
    out.reshape(d.rows, n);
    for (out_row, d_row) in out.data.chunks_exact_mut(n).zip(d.data.chunks_exact(k)) {
        for (o, w_row) in out_row.iter_mut().zip(w.chunks_exact(k)) {
            *o = d_row.iter().zip(w_row).map(|(a, b)| a * b).sum();
        }
    }
}
