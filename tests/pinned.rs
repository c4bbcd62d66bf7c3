//! Numbers a student checks, each pinned by value against an independent
//! computation: a formula, central differences or sample statistics.

use gradlab::descent::run::{Apply, DescentRun};
use gradlab::descent::stop::StopRule;
use gradlab::descent::surface::{Surface, ViewBox};
use gradlab::export::{descent_table, training_table, Table};
use gradlab::named::Named;
use gradlab::nn::activation::Activation;
use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
use gradlab::nn::lab::TrainStopRule;
use gradlab::nn::landscape::{GridLevel, GridSize, Landscape, PlaneChoice, COARSE_POINTS};
use gradlab::nn::matrix::Mat;
use gradlab::nn::network::{Architecture, Init, Loss, Network};
use gradlab::nn::train::{TrainConfig, TrainingRun};
use gradlab::optim::Optimizer;

fn dot2(u: [f64; 2], v: [f64; 2]) -> f64 {
    u[0] * v[0] + u[1] * v[1]
}

/// |a − b| within `rel` of the larger magnitude (at least 1).
fn assert_close(a: f64, b: f64, rel: f64, what: &str) {
    assert!((a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0), "{what}: {a} vs {b}");
}

// The rotated bowl.

/// The bowl at 30°, −30°, 0° and 135°: its value and gradient by the formula and central differences, its Hessian's eigenpairs (1 along the stated angle, the condition across it) and its condition number.
#[test]
fn the_bowl_is_long_along_its_angle_with_its_condition_across() {
    let condition = 8.0;
    for angle_deg in [30.0, -30.0, 0.0, 135.0] {
        let s = Surface::Bowl { condition, angle_deg };
        let t = f64::to_radians(angle_deg);
        let (long, across) = ([t.cos(), t.sin()], [-t.sin(), t.cos()]);
        for p in [[0.3, -1.2], [1.7, 0.4], [-0.9, -0.6]] {
            let (u, v) = (dot2(p, long), dot2(p, across));
            assert_close(s.value(p), 0.5 * (u * u + condition * v * v), 1e-12, "value");
            let g = s.gradient(p);
            for k in 0..2 {
                assert_close(g[k], u * long[k] + condition * v * across[k], 1e-12, "gradient by the formula");
                let h = 1e-6;
                let (mut a, mut b) = (p, p);
                a[k] += h;
                b[k] -= h;
                assert_close(g[k], (s.value(a) - s.value(b)) / (2.0 * h), 1e-8, "gradient by central differences");
            }
        }
        // The Hessian by second differences of the value (exact for a quadratic up to rounding).
        let h = 1e-3;
        let f = |x: f64, y: f64| s.value([x, y]);
        let fxx = (f(h, 0.0) - 2.0 * f(0.0, 0.0) + f(-h, 0.0)) / (h * h);
        let fyy = (f(0.0, h) - 2.0 * f(0.0, 0.0) + f(0.0, -h)) / (h * h);
        let fxy = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4.0 * h * h);
        let hessian_times = |d: [f64; 2]| [fxx * d[0] + fxy * d[1], fxy * d[0] + fyy * d[1]];
        for (d, lambda) in [(long, 1.0), (across, condition)] {
            let hd = hessian_times(d);
            for k in 0..2 {
                assert!((hd[k] - lambda * d[k]).abs() < 1e-6, "{angle_deg}°: H·{d:?} = {hd:?}, not {lambda}·d");
            }
        }
        let mean = (fxx + fyy) / 2.0;
        let radius = (((fxx - fyy) / 2.0).powi(2) + fxy * fxy).sqrt();
        let [l1, l2] = s.hessian_eigenvalues().unwrap();
        let (low, high) = (l1.min(l2), l1.max(l2));
        assert_close(low, mean - radius, 1e-6, "λmin");
        assert_close(high, mean + radius, 1e-6, "λmax");
        assert_close(high / low, condition, 1e-12, "condition number");
        // The value grows slowest along the stated angle: of the directions at every degree, (cos θ, sin θ) is lowest.
        let lowest = (0..180).map(|k| k as f64).min_by(|a, b| {
            let at = |deg: f64| s.value([deg.to_radians().cos(), deg.to_radians().sin()]);
            at(*a).total_cmp(&at(*b))
        });
        assert_eq!(lowest, Some(angle_deg.rem_euclid(180.0)), "{angle_deg}°");
    }
}

// Initialisation.

/// The weights of every layer, for many seeds, divided by the σ the documentation gives; and whether every bias is 0.
fn standardised_weights(arch: &Architecture, init: Init, sigma: impl Fn(usize, usize) -> f64) -> (Vec<Vec<f64>>, bool) {
    let mut layers = vec![Vec::new(); arch.layers()];
    let mut biases_zero = true;
    for seed in 0..400 {
        let net = Network::init(arch.clone(), init, seed).unwrap();
        for (l, layer) in layers.iter_mut().enumerate() {
            let (n_in, n_out) = (arch.sizes[l], arch.sizes[l + 1]);
            layer.extend(net.weights(l + 1).iter().map(|w| w / sigma(n_in, n_out)));
            biases_zero &= net.biases(l + 1).iter().all(|b| *b == 0.0);
        }
    }
    (layers, biases_zero)
}

/// The sample mean of `z` and its standard error.
fn mean_and_error(z: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = z.clone().count() as f64;
    let mean = z.clone().sum::<f64>() / n;
    let var = z.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Uniform, Xavier and He start each layer's weights with mean 0 and the variance the documentation gives (r²/3 for uniform in [−r, r], 2/(n_in + n_out) for Xavier, 2/n_in for He), Xavier and uniform within ±r, He normal, every bias at 0.
#[test]
fn initial_weights_have_the_documented_variance_and_biases_are_zero() {
    let arch = Architecture {
        sizes: vec![2, 16, 5, 12, 1],
        activations: vec![Activation::Tanh, Activation::Tanh, Activation::Tanh, Activation::Linear],
        loss: Loss::Mse,
    };
    const SCALE: f64 = 0.5;
    type Width = fn(usize, usize) -> f64;
    // (name, init, σ from (n_in, n_out), the half-width r of a uniform or None for a normal).
    let cases: [(&str, Init, Width, Option<Width>); 3] = [
        ("uniform", Init::Uniform { scale: SCALE }, |_, _| SCALE / 3f64.sqrt(), Some(|_, _| SCALE)),
        (
            "xavier",
            Init::Xavier,
            |n_in, n_out| (2.0 / (n_in + n_out) as f64).sqrt(),
            Some(|n_in, n_out| (6.0 / (n_in + n_out) as f64).sqrt()),
        ),
        ("he", Init::He, |n_in, _| (2.0 / n_in as f64).sqrt(), None),
    ];
    for (name, init, sigma, half_width) in cases {
        let (layers, biases_zero) = standardised_weights(&arch, init, sigma);
        assert!(biases_zero, "{name}: biases start at 0");
        for (l, z) in layers.iter().enumerate() {
            let (mean, error) = mean_and_error(z.iter().copied());
            assert!(mean.abs() < 5.0 * error, "{name}, layer {}: mean {mean} ± {error}", l + 1);
            let (second, error) = mean_and_error(z.iter().map(|v| v * v));
            assert!((second - 1.0).abs() < 5.0 * error, "{name}, layer {}: variance / documented = {second} ± {error}", l + 1);
        }
        let all = layers.iter().flatten();
        let (fourth, error) = mean_and_error(all.clone().map(|v| v.powi(4)));
        match half_width {
            // Uniform in [−r, r]: E[z⁴] = 9/5 of σ⁴, and no weight beyond r.
            Some(r) => {
                assert!((fourth - 1.8).abs() < 5.0 * error, "{name}: E[z⁴] = {fourth} ± {error}");
                for (l, z) in layers.iter().enumerate() {
                    let bound = r(arch.sizes[l], arch.sizes[l + 1]) / sigma(arch.sizes[l], arch.sizes[l + 1]);
                    assert!(z.iter().all(|v| v.abs() <= bound), "{name}, layer {}: a weight beyond ±r", l + 1);
                }
            }
            // Normal: E[z⁴] = 3σ⁴.
            None => assert!((fourth - 3.0).abs() < 5.0 * error, "{name}: E[z⁴] = {fourth} ± {error}"),
        }
    }
}

// The landscape of a network.

/// A run on XOR trained some epochs with mini-batches and L2, with its test points.
fn xor_run(batch_size: usize, l2: f64, epochs: usize) -> TrainingRun {
    let arch = Architecture {
        sizes: vec![2, 4, 3, 1],
        activations: vec![Activation::Tanh, Activation::Tanh, Activation::Sigmoid],
        loss: Loss::Bce,
    };
    let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 60, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let (train, test) = data.split(0.75, 2).unwrap();
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.3, batch_size, l2, seed: 5 };
    let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 3).unwrap(), train, test, config).unwrap();
    for _ in 0..epochs {
        run.step_epoch();
    }
    run
}

/// Steps phase by phase to the end of the update in progress, or through the next whole update.
fn step_update_by_phases(run: &mut TrainingRun) {
    run.step_phase();
    while run.phase().is_some() {
        run.step_phase();
    }
}

/// L on all training points (without L2) at origin + a·d₁ + b·d₂ of the landscape's plane, computed here.
fn loss_on_plane(run: &TrainingRun, landscape: &Landscape, a: f64, b: f64) -> f64 {
    let plane = &landscape.grid.plane;
    let params = (0..plane.origin.len()).map(|k| plane.origin[k] + a * plane.d1[k] + b * plane.d2[k]).collect();
    let net = Network { arch: run.network().arch.clone(), params };
    let train = run.train_data();
    net.loss(&net.predict(&train.x), &train.y)
}

const PLANES: [PlaneChoice; 3] = [PlaneChoice::Weights { a: 3, b: 20 }, PlaneChoice::Random { seed: 4 }, PlaneChoice::Training];

/// The slope shown at the current point of every plane is (∂L/∂a, ∂L/∂b) of the plotted L(a, b) by central differences.
#[test]
fn the_landscape_slope_is_the_derivative_of_the_plotted_loss() {
    let run = xor_run(10, 0.01, 20);
    for choice in PLANES {
        let mut landscape = Landscape::new(&run, choice, GridSize::Fine).unwrap();
        landscape.refine(&run, 1);
        let [a, b] = *landscape.path.last().unwrap();
        let h = 1e-5;
        let numeric = [
            (loss_on_plane(&run, &landscape, a + h, b) - loss_on_plane(&run, &landscape, a - h, b)) / (2.0 * h),
            (loss_on_plane(&run, &landscape, a, b + h) - loss_on_plane(&run, &landscape, a, b - h)) / (2.0 * h),
        ];
        for (k, (shown, numeric)) in landscape.slope.expect("the slope comes first").into_iter().zip(numeric).enumerate() {
            assert_close(shown, numeric, 1e-9, &format!("{choice:?}: slope {k}"));
        }
    }
}

/// The grid holds L at its points, and between them shows the bilinear interpolation of L at the four surrounding points, on every plane, at the coarsest level and the finest.
#[test]
fn the_landscape_grid_holds_the_loss_and_interpolates_it_bilinearly() {
    let run = xor_run(10, 0.0, 20);
    for choice in PLANES {
        let mut landscape = Landscape::new(&run, choice, GridSize::Fine).unwrap();
        for refine in [false, true] {
            landscape.refine(&run, if refine { usize::MAX } else { 1 + COARSE_POINTS });
            let level = landscape.grid.finest().unwrap();
            let (v, n) = (level.view, level.n);
            assert_eq!(n, if refine { 41 } else { 6 });
            let a_at = |i: f64| v.x_min + (v.x_max - v.x_min) * i / (n - 1) as f64;
            let b_at = |j: f64| v.y_min + (v.y_max - v.y_min) * j / (n - 1) as f64;
            let exact = |i: usize, j: usize| loss_on_plane(&run, &landscape, a_at(i as f64), b_at(j as f64));
            for j in 0..n {
                for i in (0..n).step_by(if refine { 5 } else { 1 }) {
                    assert_close(level.values[j * n + i], exact(i, j), 1e-12, &format!("{choice:?}, n = {n}: L at grid point ({i}, {j})"));
                }
            }
            for (i, j, fu, fv) in [(0, 0, 0.3, 0.7), (2, 1, 0.5, 0.25), (n - 2, 3, 0.9, 0.1), (1, n - 2, 0.05, 0.6)] {
                let corners = [exact(i, j), exact(i + 1, j), exact(i, j + 1), exact(i + 1, j + 1)];
                let bilinear = corners[0] * (1.0 - fu) * (1.0 - fv)
                    + corners[1] * fu * (1.0 - fv)
                    + corners[2] * (1.0 - fu) * fv
                    + corners[3] * fu * fv;
                let shown = level.value([a_at(i as f64 + fu), b_at(j as f64 + fv)]);
                assert_close(shown, bilinear, 1e-12, &format!("{choice:?}, n = {n}: between ({i}, {j}) and ({}, {})", i + 1, j + 1));
            }
        }
    }
}

/// A bilinear function sampled on a grid is shown exactly everywhere in the box, and held at its border outside it.
#[test]
fn a_grid_level_reproduces_a_bilinear_function() {
    let f = |p: [f64; 2]| 1.5 - 2.0 * p[0] + 0.7 * p[1] + 3.1 * p[0] * p[1];
    let view = ViewBox::new(-1.0, 3.0, 0.5, 1.5);
    let level = GridLevel::sample(&f, view, 7);
    for p in [[-1.0, 0.5], [3.0, 1.5], [-0.37, 1.21], [2.9, 0.55], [1.0, 1.0], [0.123, 1.4999]] {
        assert_close(level.value(p), f(p), 1e-12, &format!("inside at {p:?}"));
    }
    for (outside, border) in [([4.0, 1.0], [3.0, 1.0]), ([0.2, -2.0], [0.2, 0.5]), ([-5.0, 9.0], [-1.0, 1.5])] {
        assert_close(level.value(outside), f(border), 1e-12, &format!("outside at {outside:?}"));
    }
}

// Exported tables.

/// `v` rounded to `digits` significant digits by the standard library's scientific notation.
fn rounded(v: f64, digits: usize) -> f64 {
    format!("{v:.prec$e}", prec = digits - 1).parse().unwrap()
}

/// The header and the cells of a CSV or Markdown table as the export writes
/// it, each row `columns` cells, the last (the note) unquoted.
fn parse(text: &str, markdown: bool, columns: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let split = |line: &str| -> Vec<String> {
        let mut cells: Vec<String> = if markdown {
            let inner = line.strip_prefix("| ").and_then(|l| l.strip_suffix(" |")).expect("a Markdown row");
            inner.splitn(columns, " | ").map(str::to_string).collect()
        } else {
            line.splitn(columns, ',').map(str::to_string).collect()
        };
        if let Some(note) = cells.last_mut() {
            *note = if markdown {
                note.replace("\\|", "|")
            } else {
                note.strip_prefix('"').and_then(|n| n.strip_suffix('"')).map_or(note.clone(), |n| n.replace("\"\"", "\""))
            };
        }
        cells
    };
    let mut lines = text.lines();
    let header = split(lines.next().unwrap());
    if markdown {
        assert_eq!(split(lines.next().unwrap()), vec!["---"; header.len()]);
    }
    (header, lines.map(split).collect())
}

/// Checks both formats of the table `at` writes at several digits against the
/// expected header and columns (None: an empty cell), and the note column
/// against the notes `notes` writes at those digits.
fn assert_table(at: impl Fn(usize) -> Table, header: &[String], rows: &[Vec<Option<f64>>], notes: impl Fn(usize) -> Vec<String>) {
    let header: Vec<String> = header.iter().cloned().chain(["note".to_string()]).collect();
    for digits in [3, 6, 10] {
        let (table, notes) = (at(digits), notes(digits));
        for markdown in [false, true] {
            let text = if markdown { table.markdown() } else { table.csv() };
            let (got_header, cells) = parse(&text, markdown, header.len());
            assert_eq!(got_header, header);
            assert_eq!(cells.len(), rows.len(), "one row a snapshot");
            for (t, ((got, want), note)) in cells.iter().zip(rows).zip(&notes).enumerate() {
                assert_eq!(got.len(), header.len(), "row {t}");
                for (c, (cell, value)) in got.iter().zip(want).enumerate() {
                    let parsed = (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
                    assert_eq!(parsed, value.map(|v| rounded(v, digits)), "row {t}, column {}, {digits} digits: {cell:?}", header[c]);
                }
                assert_eq!(got.last(), Some(note), "row {t}, the note, {digits} digits");
            }
        }
    }
}

/// The descent table holds, column by column, t, θ, J, ∇J and α of every iteration, rounded to the digits asked for.
#[test]
fn the_descent_table_holds_each_snapshot_column_by_column() {
    let surface = Surface::Bowl { condition: 10.0, angle_deg: 30.0 };
    let mut run = DescentRun::new(surface, Optimizer::from_id("momentum").unwrap(), 0.07, [-1.6, 1.2]).unwrap();
    for _ in 0..4 {
        run.step();
    }
    run.set_lr(0.031, Apply::FromNow).unwrap();
    for _ in 0..3 {
        run.step();
    }
    let header = ["t", "x", "y", "J", "∂J/∂x", "∂J/∂y", "α"].map(String::from);
    let rows: Vec<Vec<Option<f64>>> = run
        .history()
        .iter()
        .enumerate()
        .map(|(t, s)| {
            vec![Some(t as f64), Some(s.theta[0]), Some(s.theta[1]), Some(s.value), Some(s.gradient[0]), Some(s.gradient[1]), s.lr_used]
        })
        .collect();
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[5][6], Some(0.031), "α of the fifth update");
    let cap = StopRule { gradient: None, loss_change: None, step: None, iterations: Some(6) };
    let notes = |_| {
        (0..8)
            .map(|t| if t == 6 { "Stopped at iteration 6: the most iterations, 6, are done".to_string() } else { String::new() })
            .collect()
    };
    assert_table(|digits| descent_table(&run, &cap, digits), &header, &rows, notes);
}

/// The training table holds, column by column, the position and metrics of every snapshot, of a classification run with test points and of a regression run.
#[test]
fn the_training_table_holds_each_snapshot_column_by_column() {
    let mut classification = xor_run(10, 0.0, 3);
    step_update_by_phases(&mut classification);
    step_update_by_phases(&mut classification);
    let arch = Architecture { sizes: vec![1, 5, 1], activations: vec![Activation::Tanh, Activation::Linear], loss: Loss::Mse };
    let data = Dataset::generate(DatasetKind::Sine, DataSpec { points: 40, noise: 0.1, seed: 1, classes: 3 }).unwrap();
    let (train, test) = data.split(0.75, 1).unwrap();
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.1, batch_size: 0, l2: 0.0, seed: 1 };
    let mut regression = TrainingRun::new(Network::init(arch, Init::He, 2).unwrap(), train, test, config).unwrap();
    regression.step_epoch();
    regression.step_epoch();
    for run in [&classification, &regression] {
        let layers = run.network().arch.layers();
        let mut header: Vec<String> =
            ["epoch", "update", "train loss", "test loss", "train accuracy", "test accuracy"].map(String::from).into();
        header.extend((1..=layers).map(|l| format!("norm layer {l}")));
        let rows: Vec<Vec<Option<f64>>> = run
            .history()
            .iter()
            .map(|s| {
                let m = &s.metrics;
                let mut row =
                    vec![Some(s.epoch as f64), Some(s.batch as f64), Some(m.train_loss), m.test_loss, m.train_accuracy, m.test_accuracy];
                row.extend(m.grad_norms.iter().map(|g| Some(*g)));
                row
            })
            .collect();
        let never = TrainStopRule { train_loss: None, patience: None, accuracy: None, epochs: None };
        let epochs = run.history().iter().enumerate().filter(|(_, s)| s.batch == 0);
        let lowest = epochs.filter_map(|(row, s)| Some((row, s.metrics.test_loss?))).reduce(|a, b| if b.1 < a.1 { b } else { a });
        let notes = |digits| {
            let mut notes = vec![String::new(); rows.len()];
            if let Some((row, loss)) = lowest {
                notes[row] = format!("lowest test loss, {}", rounded(loss, digits));
            }
            notes
        };
        assert_table(|digits| training_table(run, &never, digits), &header, &rows, notes);
    }
    let last = classification.current();
    assert_eq!((last.epoch, last.batch), (3, 2), "two updates into an epoch");
    assert!(last.metrics.test_accuracy.is_some() && last.metrics.test_loss.is_some());
    assert_eq!(regression.current().metrics.train_accuracy, None, "regression has no accuracy");
}

// Mini-batches.

/// ∂L/∂θ on the training rows `rows` of `run` at `params`, by backpropagation on those rows gathered here, plus λ·W on the weights.
fn batch_gradient(run: &TrainingRun, params: &[f64], rows: &[usize], l2: f64) -> Vec<f64> {
    let train = run.train_data();
    let gather = |m: &Mat| Mat::from_rows(&rows.iter().map(|&r| m.row(r).to_vec()).collect::<Vec<_>>()).unwrap();
    let (x, y) = (gather(&train.x), gather(&train.y));
    let net = Network { arch: run.network().arch.clone(), params: params.to_vec() };
    let mut grad = net.backward(&x, &net.forward(&x), &y).grad;
    for l in 1..=net.arch.layers() {
        let o = net.arch.offsets(l);
        for k in o.w..o.b {
            grad[k] += l2 * params[k];
        }
    }
    grad
}

/// Stepping phase by phase through two epochs of batches of 7 of 45 rows: each epoch's batches are a permutation of the rows, each update moves θ by exactly −α·(∇L on its batch + λ·W), and the epoch's end is where step_epoch lands.
#[test]
fn each_update_descends_the_gradient_of_exactly_its_batch() {
    let l2 = 0.02;
    let mut run = xor_run(7, l2, 0);
    let mut by_epochs = run.clone();
    let (n, lr) = (run.train_data().len(), run.config.lr);
    assert_eq!(n, 45);
    for epoch in 0..2 {
        let mut seen = Vec::new();
        for update in 0..7 {
            assert_eq!((run.current().epoch, run.current().batch), (epoch, update));
            let before = run.current().params.clone();
            run.step_phase();
            let (work, _) = run.phase().unwrap();
            let rows = work.batch.clone();
            assert_eq!(rows.len(), if update < 6 { 7 } else { 3 }, "epoch {epoch}, update {update}");
            let grad = batch_gradient(&run, &before, &rows, l2);
            for (k, (got, want)) in work.backward.grad.iter().zip(&grad).enumerate() {
                assert_close(*got, *want, 1e-12, &format!("epoch {epoch}, update {update}: gradient {k}"));
            }
            step_update_by_phases(&mut run);
            for (k, ((after, before), g)) in run.current().params.iter().zip(&before).zip(&grad).enumerate() {
                assert_close(after - before, -lr * g, 1e-12, &format!("epoch {epoch}, update {update}: step of parameter {k}"));
            }
            seen.extend(rows);
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "epoch {epoch}: every row once");
        by_epochs.step_epoch();
        assert_eq!(run.current().params, by_epochs.current().params, "epoch {epoch} by phases and by step_epoch");
    }
    for batch_size in [0, 45, 100] {
        let mut full = xor_run(batch_size, 0.0, 0);
        full.step_phase();
        assert_eq!(full.phase().unwrap().0.batch, (0..n).collect::<Vec<_>>(), "batch size {batch_size}: one batch of every row");
    }
}

/// L2 adds exactly λ·W to the weights' gradient of a batch and nothing to the biases'.
#[test]
fn l2_adds_lambda_times_the_weights_to_their_gradient_only() {
    let l2 = 0.05;
    let mut run = xor_run(7, l2, 2);
    run.step_phase();
    let (work, _) = run.phase().unwrap();
    let params = &run.current().params;
    let plain = batch_gradient(&run, params, &work.batch, 0.0);
    let arch = &run.network().arch;
    for l in 1..=arch.layers() {
        let o = arch.offsets(l);
        for k in o.w..o.b {
            assert_close(work.backward.grad[k] - plain[k], l2 * params[k], 1e-12, &format!("weight {k}"));
        }
        assert_eq!(work.backward.grad[o.b..o.end], plain[o.b..o.end], "biases of layer {l}");
    }
}
