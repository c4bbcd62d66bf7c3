//! A small dense matrix, row-major: one example a row.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
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
        let mut data = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            data.extend_from_slice(self.row(i));
        }
        Mat { rows: indices.len(), cols: self.cols, data }
    }

    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|r| self.row(r).to_vec()).collect()
    }
}

/// a·w + b: `a` is m × n, `w` is n × k stored row-major in a slice, `b` has k entries added to every row.
pub fn affine(a: &Mat, w: &[f64], b: &[f64]) -> Mat {
    let (m, n, k) = (a.rows, a.cols, b.len());
    let mut out = Mat::zeros(m, k);
    for r in 0..m {
        let row = &mut out.data[r * k..(r + 1) * k];
        row.copy_from_slice(b);
        for (i, &x) in a.row(r).iter().enumerate().take(n) {
            for (o, wij) in row.iter_mut().zip(&w[i * k..(i + 1) * k]) {
                *o += x * wij;
            }
        }
    }
    out
}

/// aᵀ·d into `out` (n × k, row-major): a is m × n, d is m × k.
pub fn transpose_times(a: &Mat, d: &Mat, out: &mut [f64]) {
    let (n, k) = (a.cols, d.cols);
    out.iter_mut().for_each(|v| *v = 0.0);
    for r in 0..a.rows {
        let dr = d.row(r);
        for (i, &x) in a.row(r).iter().enumerate() {
            for (o, dv) in out[i * k..(i + 1) * k].iter_mut().zip(dr) {
                *o += x * dv;
            }
        }
    }
    debug_assert_eq!(out.len(), n * k);
}

/// d·wᵀ: d is m × k, w is n × k row-major; the result is m × n.
pub fn times_transpose(d: &Mat, w: &[f64], n: usize) -> Mat {
    let k = d.cols;
    let mut out = Mat::zeros(d.rows, n);
    for r in 0..d.rows {
        let dr = d.row(r);
        for i in 0..n {
            out.data[r * n + i] = dr.iter().zip(&w[i * k..(i + 1) * k]).map(|(a, b)| a * b).sum();
        }
    }
    out
}
