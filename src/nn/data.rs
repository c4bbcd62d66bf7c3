//! Seeded toy data sets for the backprop lab, a train/test split, and points
//! typed as CSV.

use crate::tr;
use std::f64::consts::PI;

use super::matrix::Mat;
use super::network::MAX_CLASSES;
use crate::named::Named;
use crate::random::Rng;

/// The built-in data sets: five sets of two classes and two of 2 to 5
/// classes, with two inputs, then two regression sets with one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    /// Class 1 inside a disc of radius 0.5, class 0 in a ring from 0.7 to 1.
    Circle,
    /// Class 1 where x₁·x₂ > 0.
    Xor,
    /// Two normal clouds around (−0.5, −0.5) and (0.5, 0.5).
    Gaussians,
    /// Two interleaved spiral arms.
    Spiral,
    /// Two interleaved half circles.
    Moons,
    /// K normal clouds around points evenly spaced on a circle of radius 0.6 (K = the classes asked for).
    Blobs,
    /// K interleaved spiral arms (K = the classes asked for).
    Arms,
    /// y = sin(πx) + noise, x in [−1, 1).
    Sine,
    /// The seed's regression: y = 4 + 3x + noise, x in [0, 2).
    Linear,
}

impl Named for DatasetKind {
    const WHAT: &'static str = "data set";
    const ALL: &'static [DatasetKind] = &[
        DatasetKind::Xor,
        DatasetKind::Circle,
        DatasetKind::Gaussians,
        DatasetKind::Spiral,
        DatasetKind::Moons,
        DatasetKind::Blobs,
        DatasetKind::Arms,
        DatasetKind::Sine,
        DatasetKind::Linear,
    ];

    fn id(self) -> &'static str {
        match self {
            DatasetKind::Circle => "circle",
            DatasetKind::Xor => "xor",
            DatasetKind::Gaussians => "gaussians",
            DatasetKind::Spiral => "spiral",
            DatasetKind::Moons => "moons",
            DatasetKind::Blobs => "blobs",
            DatasetKind::Arms => "arms",
            DatasetKind::Sine => "sine",
            DatasetKind::Linear => "linear",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DatasetKind::Circle => "Circle (classes)",
            DatasetKind::Xor => "XOR (classes)",
            DatasetKind::Gaussians => "Two gaussians (classes)",
            DatasetKind::Spiral => "Spiral (classes)",
            DatasetKind::Moons => "Moons (classes)",
            DatasetKind::Blobs => "Blobs (2 to 5 classes)",
            DatasetKind::Arms => "Spiral arms (2 to 5 classes)",
            DatasetKind::Sine => "Sine (regression)",
            DatasetKind::Linear => "Linear (regression)",
        }
    }
}

crate::serde_by_id!(DatasetKind);

impl DatasetKind {
    /// Whether its targets are classes (else numbers to fit).
    pub fn is_classification(self) -> bool {
        !matches!(self, DatasetKind::Sine | DatasetKind::Linear)
    }

    /// Whether it has as many classes as asked for (else two, or none).
    pub fn is_multiclass(self) -> bool {
        matches!(self, DatasetKind::Blobs | DatasetKind::Arms)
    }
}

/// The class a row of targets or outputs stands for: one column is class 1
/// from ½ on, else class 0; several are one a class, the largest wins (the first of equals).
pub fn class_of(row: &[f64]) -> usize {
    match row {
        [p] => usize::from(*p >= 0.5),
        _ => row.iter().enumerate().fold(0, |best, (k, v)| if *v > row[best] { k } else { best }),
    }
}

/// Examples: inputs one a row, and targets one a row: a class 0 … K−1 or a
/// number in one column, or a class one-hot in K columns (see [`Dataset::one_hot`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dataset {
    pub x: Mat,
    pub y: Mat,
    /// Whether the targets are classes rather than numbers.
    pub classification: bool,
}

/// Settings of a generated data set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DataSpec {
    /// The number of points, 1 to 2000.
    pub points: usize,
    /// Noise, 0 to 1: the spread added to each point.
    pub noise: f64,
    pub seed: u64,
    /// K of the data sets of many classes, 2 to [`MAX_CLASSES`] (the others have their own).
    pub classes: usize,
}

impl Dataset {
    pub fn generate(kind: DatasetKind, spec: DataSpec) -> Result<Dataset, String> {
        if !(1..=2000).contains(&spec.points) {
            return Err(tr!("the number of points must be 1 to 2000 (got {a})", a = spec.points));
        }
        if !(0.0..=1.0).contains(&spec.noise) {
            return Err(tr!("the noise must be between 0 and 1 (got {a})", a = crate::format::typed(spec.noise)));
        }
        if kind.is_multiclass() && !(2..=MAX_CLASSES).contains(&spec.classes) {
            return Err(tr!("the number of classes must be 2 to {max_classes} (got {a})", max_classes = MAX_CLASSES, a = spec.classes));
        }
        let mut rng = Rng::new(spec.seed);
        let n = spec.points;
        let s = spec.noise;
        let mut rows = Vec::with_capacity(n);
        let mut targets = Vec::with_capacity(n);
        for i in 0..n {
            let class = (i % 2) as f64;
            let (row, target) = match kind {
                DatasetKind::Circle => {
                    let radius = if class == 1.0 { 0.5 * rng.uniform() } else { 0.7 + 0.3 * rng.uniform() };
                    let angle = 2.0 * PI * rng.uniform();
                    (vec![radius * angle.cos() + 0.1 * s * rng.normal(), radius * angle.sin() + 0.1 * s * rng.normal()], class)
                }
                DatasetKind::Xor => {
                    let mut p = [2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0];
                    // Keep a small margin around the axes, then add the noise.
                    for v in &mut p {
                        *v += 0.05 * v.signum();
                    }
                    let label = if p[0] * p[1] > 0.0 { 1.0 } else { 0.0 };
                    (vec![p[0] + 0.1 * s * rng.normal(), p[1] + 0.1 * s * rng.normal()], label)
                }
                DatasetKind::Gaussians => {
                    let centre = if class == 1.0 { 0.5 } else { -0.5 };
                    let spread = 0.15 + 0.35 * s;
                    (vec![centre + spread * rng.normal(), centre + spread * rng.normal()], class)
                }
                DatasetKind::Spiral => {
                    let t = 0.1 + 0.9 * rng.uniform();
                    let angle = 1.75 * t * 2.0 * PI + class * PI;
                    (vec![t * angle.sin() + 0.08 * s * rng.normal(), t * angle.cos() + 0.08 * s * rng.normal()], class)
                }
                DatasetKind::Moons => {
                    let t = PI * rng.uniform();
                    let p = if class == 1.0 { [t.cos() - 0.5, t.sin() - 0.25] } else { [0.5 - t.cos(), 0.25 - t.sin()] };
                    (vec![0.7 * p[0] + 0.1 * s * rng.normal(), 0.7 * p[1] + 0.1 * s * rng.normal()], class)
                }
                DatasetKind::Blobs => {
                    let class = i % spec.classes;
                    let angle = 2.0 * PI * class as f64 / spec.classes as f64 + PI / 2.0;
                    let spread = 0.15 + 0.35 * s;
                    (vec![0.6 * angle.cos() + spread * rng.normal(), 0.6 * angle.sin() + spread * rng.normal()], class as f64)
                }
                DatasetKind::Arms => {
                    let class = i % spec.classes;
                    let t = 0.1 + 0.9 * rng.uniform();
                    let angle = 1.25 * t * 2.0 * PI + 2.0 * PI * class as f64 / spec.classes as f64;
                    (vec![t * angle.sin() + 0.08 * s * rng.normal(), t * angle.cos() + 0.08 * s * rng.normal()], class as f64)
                }
                DatasetKind::Sine => {
                    let x = 2.0 * rng.uniform() - 1.0;
                    (vec![x], (PI * x).sin() + 0.3 * s * rng.normal())
                }
                DatasetKind::Linear => {
                    // The seed's regression: y = 4 + 3x + noise, x in [0, 2).
                    let x = 2.0 * rng.uniform();
                    (vec![x], 4.0 + 3.0 * x + s * rng.normal())
                }
            };
            rows.push(row);
            targets.push(target);
        }
        Ok(Dataset { x: Mat::from_rows(&rows)?, y: Mat { rows: n, cols: 1, data: targets }, classification: kind.is_classification() })
    }

    /// Points typed as CSV: `x1,x2,label` (label 0 … K−1 with K = `classes`)
    /// for classification, `x,y` for regression (`classes` None). Blank lines
    /// and lines starting with # are skipped; every malformed line is named in the error.
    pub fn from_csv(text: &str, classes: Option<usize>) -> Result<Dataset, String> {
        let classification = classes.is_some();
        let is_class = |v: f64| classes.is_some_and(|k| v.fract() == 0.0 && (0.0..k as f64).contains(&v));
        let want = if classification { 3 } else { 2 };
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        let mut problems = Vec::new();
        for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<Result<f64, _>> = line.split(',').map(|f| f.trim().parse::<f64>()).collect();
            let values: Option<Vec<f64>> = fields.iter().map(|f| f.as_ref().ok().copied().filter(|v| v.is_finite())).collect();
            match values {
                Some(v) if v.len() == want && (!classification || is_class(v[2])) => {
                    targets.push(v[want - 1]);
                    rows.push(v[..want - 1].to_vec());
                }
                _ => problems.push(number),
            }
        }
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().take(10).map(|n| n.to_string()).collect();
            let form = match classes {
                Some(k) => format!("x1,x2,label with label 0 … {} (one of {k} classes)", k - 1),
                None => "x,y".to_string(),
            };
            return Err(tr!("line {a} not of the form {form}", a = list.join(", "), form = form));
        }
        if rows.is_empty() {
            return Err(tr!("no points: type one point a line"));
        }
        let n = rows.len();
        Ok(Dataset { x: Mat::from_rows(&rows)?, y: Mat { rows: n, cols: 1, data: targets }, classification })
    }

    /// No points, with `inputs` inputs each.
    pub fn empty(classification: bool, inputs: usize) -> Dataset {
        Dataset { x: Mat::zeros(0, inputs), y: Mat::zeros(0, 1), classification }
    }

    pub fn len(&self) -> usize {
        self.x.rows
    }

    /// The target of row `r`: its number, or its class 0 … K−1 (one-hot targets read back).
    pub fn label(&self, r: usize) -> f64 {
        if self.y.cols == 1 {
            self.y.get(r, 0)
        } else {
            class_of(self.y.row(r)) as f64
        }
    }

    /// The same points with each class c (0 … k−1) as a row of k targets,
    /// 1 at c and 0 elsewhere, as a softmax output learns them.
    pub fn one_hot(&self, k: usize) -> Result<Dataset, String> {
        let mut y = Mat::zeros(self.len(), k);
        for r in 0..self.len() {
            let c = self.label(r);
            if !(c.fract() == 0.0 && (0.0..k as f64).contains(&c)) {
                return Err(tr!("point {a} has class {c}; with {k} classes a class is 0 … {b}", a = r + 1, c = c, k = k, b = k - 1));
            }
            y.data[r * k + c as usize] = 1.0;
        }
        Ok(Dataset { x: self.x.clone(), y, classification: true })
    }

    /// The points as CSV, one a line (the form [`Dataset::from_csv`] reads), every number in full.
    pub fn to_csv(&self) -> String {
        (0..self.len())
            .map(|r| {
                let fields: Vec<String> = self.x.row(r).iter().chain([self.label(r)].iter()).map(|v| v.to_string()).collect();
                fields.join(",") + "\n"
            })
            .collect()
    }

    /// These points followed by those of `other`.
    pub fn join(&self, other: &Dataset) -> Dataset {
        let stack = |a: &Mat, b: &Mat| Mat { rows: a.rows + b.rows, cols: a.cols, data: [a.data.as_slice(), b.data.as_slice()].concat() };
        Dataset { x: stack(&self.x, &other.x), y: stack(&self.y, &other.y), classification: self.classification }
    }

    /// Adds the point with inputs `x` and target `y` (a class, for one-hot targets).
    pub fn push(&mut self, x: &[f64], y: f64) {
        self.x.data.extend_from_slice(x);
        self.x.rows += 1;
        if self.y.cols > 1 {
            self.y.data.extend((0..self.y.cols).map(|k| if k as f64 == y { 1.0 } else { 0.0 }));
        } else {
            self.y.data.push(y);
        }
        self.y.rows += 1;
    }

    /// Removes point `i`.
    pub fn remove(&mut self, i: usize) {
        let (cols, targets) = (self.x.cols, self.y.cols);
        self.x.data.drain(i * cols..(i + 1) * cols);
        self.x.rows -= 1;
        self.y.data.drain(i * targets..(i + 1) * targets);
        self.y.rows -= 1;
    }

    pub fn is_empty(&self) -> bool {
        self.x.rows == 0
    }

    /// A seeded split: a fraction `train_ratio` (0.1 to 1) of the points for
    /// training, the rest for testing.
    pub fn split(&self, train_ratio: f64, seed: u64) -> Result<(Dataset, Dataset), String> {
        if !(0.1..=1.0).contains(&train_ratio) {
            return Err(tr!(
                "the share of training points must be between 0.1 and 1 (got {train_ratio})",
                train_ratio = crate::format::typed(train_ratio)
            ));
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        shuffle(&mut order, &mut Rng::new(seed ^ 0x5eed));
        let n_train = ((self.len() as f64 * train_ratio).round() as usize).clamp(1.min(self.len()), self.len());
        let part = |idx: &[usize]| Dataset { x: self.x.select_rows(idx), y: self.y.select_rows(idx), classification: self.classification };
        Ok((part(&order[..n_train]), part(&order[n_train..])))
    }
}

/// Fisher–Yates shuffle with a seeded generator.
pub fn shuffle(items: &mut [usize], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = ((rng.uniform() * (i + 1) as f64) as usize).min(i);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_set_is_seeded_and_labelled() {
        let spec = DataSpec { points: 200, noise: 0.2, seed: 4, classes: 3 };
        for &kind in DatasetKind::ALL {
            let (d, id) = (Dataset::generate(kind, spec).unwrap(), kind.id());
            assert_eq!(d, Dataset::generate(kind, spec).unwrap(), "{id}");
            assert_eq!(d.len(), 200);
            assert_eq!(d.x.cols, if kind.is_classification() { 2 } else { 1 });
            if d.classification {
                let ones = d.y.data.iter().filter(|v| **v == 1.0).count();
                assert!((60..=140).contains(&ones), "{id}: {ones} of class 1");
            }
        }
        assert!(DatasetKind::from_id("squares").unwrap_err().contains("circle"));
        assert!(Dataset::generate(DatasetKind::Xor, DataSpec { points: 0, ..spec }).is_err());
    }

    #[test]
    fn csv_names_every_bad_line_and_keeps_nothing_half_read() {
        let d = Dataset::from_csv("# x1,x2,label\n0.1, 0.2, 1\n\n-0.3,0.4,0\n", Some(2)).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d.x.row(1), [-0.3, 0.4]);
        let err = Dataset::from_csv("0.1,0.2,1\n0.1,abc,0\n1,2\n1,2,3\n", Some(2)).unwrap_err();
        assert!(err.starts_with("line 2, 3, 4 not of the form"), "{err}");
        assert!(Dataset::from_csv("", None).unwrap_err().contains("no points"));
        assert_eq!(Dataset::from_csv("1,2\n3,4", None).unwrap().y.data, vec![2.0, 4.0]);
        let d = Dataset::generate(DatasetKind::Moons, DataSpec { points: 7, noise: 0.3, seed: 5, classes: 3 }).unwrap();
        assert_eq!(Dataset::from_csv(&d.to_csv(), Some(2)).unwrap(), d, "CSV keeps every digit");
        let mut e = d.clone();
        e.push(&[0.25, -0.5], 1.0);
        assert_eq!(e.len(), 8);
        assert_eq!((e.x.row(7), e.y.get(7, 0)), (&[0.25, -0.5][..], 1.0));
        e.remove(7);
        assert_eq!(e, d);
    }

    /// The sets of many classes have K classes in turn; typed labels are 0 … K−1; one-hot rows read back as their class.
    #[test]
    fn many_classes_are_labelled_0_to_k_minus_1_and_one_hot_reads_back() {
        for kind in [DatasetKind::Blobs, DatasetKind::Arms] {
            for k in 2..=MAX_CLASSES {
                let d = Dataset::generate(kind, DataSpec { points: 50, noise: 0.2, seed: 3, classes: k }).unwrap();
                for r in 0..50 {
                    assert_eq!(d.label(r), (r % k) as f64, "{} with {k}", kind.id());
                }
                let hot = d.one_hot(k).unwrap();
                assert_eq!((hot.y.rows, hot.y.cols), (50, k));
                assert!((0..50).all(|r| hot.y.row(r).iter().sum::<f64>() == 1.0 && hot.label(r) == d.label(r)));
                assert_eq!(Dataset::from_csv(&hot.to_csv(), Some(k)).unwrap(), d, "CSV writes the class");
            }
            let spec = DataSpec { points: 50, noise: 0.2, seed: 3, classes: 6 };
            assert!(Dataset::generate(kind, spec).unwrap_err().contains("2 to 5"));
        }
        let d = Dataset::from_csv("0,0,2\n1,1,0", Some(3)).unwrap();
        assert_eq!(d.one_hot(3).unwrap().y.data, vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
        assert!(d.one_hot(2).unwrap_err().contains("point 1 has class 2"), "a label outside 0 … K−1");
        let err = Dataset::from_csv("0,0,3\n1,1,0.5\n1,1,-1\n0,0,1", Some(3)).unwrap_err();
        assert!(err.starts_with("line 1, 2, 3 not of the form x1,x2,label with label 0 … 2"), "{err}");
        let mut hot = d.one_hot(3).unwrap();
        hot.push(&[0.5, 0.5], 1.0);
        assert_eq!(hot.y.row(2), [0.0, 1.0, 0.0]);
        hot.remove(0);
        assert_eq!((hot.label(0), hot.label(1), hot.y.rows), (0.0, 1.0, 2));
        assert_eq!((class_of(&[0.2, 0.5, 0.3]), class_of(&[0.5, 0.5]), class_of(&[0.5]), class_of(&[0.49])), (1, 0, 1, 0));
    }

    #[test]
    fn split_keeps_every_point_once() {
        let d = Dataset::generate(DatasetKind::Moons, DataSpec { points: 101, noise: 0.1, seed: 1, classes: 3 }).unwrap();
        let (train, test) = d.split(0.7, 3).unwrap();
        assert_eq!(train.len() + test.len(), 101);
        assert_eq!(train.len(), 71);
        let mut all: Vec<Vec<f64>> = train.x.to_rows().into_iter().chain(test.x.to_rows()).collect();
        let mut original = d.x.to_rows();
        let key = |a: &Vec<f64>, b: &Vec<f64>| a.partial_cmp(b).unwrap();
        all.sort_by(key);
        original.sort_by(key);
        assert_eq!(all, original);
        let (train, test) = Dataset::empty(true, 2).split(0.7, 1).unwrap();
        assert!(train.is_empty() && test.is_empty());
    }
}
