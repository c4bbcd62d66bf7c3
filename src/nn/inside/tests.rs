use super::*;
use crate::nn::data::{DataSpec, Dataset, DatasetKind};
use crate::nn::matrix::Mat;
use crate::nn::network::{Architecture, Init, Loss, Network};
use crate::nn::train::{TrainConfig, TrainOutcome};
use crate::optim::Optimizer;

fn run_of(net: Network, data: Dataset) -> TrainingRun {
    let test = Dataset::empty(data.classification, data.x.cols);
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.5, batch_size: 8, l2: 0.0, seed: 3 };
    TrainingRun::new(net, data, test, config).unwrap()
}

fn xor_run(activations: Vec<Activation>, sizes: Vec<usize>) -> TrainingRun {
    let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 30, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let net = Network::init(Architecture { sizes, activations, loss: Loss::Bce }, Init::Xavier, 4).unwrap();
    run_of(net, data)
}

/// Every column's counts (and zeros) add up to the layer's values; the columns run from epoch 0 to now, at most 40.
#[test]
fn histograms_sum_to_the_counts_from_the_start_to_now() {
    let mut run = xor_run(vec![Activation::Relu, Activation::Tanh, Activation::Sigmoid], vec![2, 5, 3, 1]);
    for _ in 0..100 {
        assert_eq!(run.step_epoch(), TrainOutcome::Stepped);
    }
    run.step_phase();
    for &q in Quantity::ALL {
        let s = strip(&run, q);
        assert!(s.epochs.len() <= MAX_COLUMNS && s.epochs.len() >= 30, "{}", s.epochs.len());
        assert_eq!((s.epochs[0], *s.epochs.last().unwrap()), (0.0, 100.0));
        assert!(s.epochs.windows(2).all(|w| w[0] < w[1]));
        let sizes = [10, 15, 3];
        for (l, layer) in s.layers.iter().enumerate() {
            let want = if q == Quantity::Activations { 30 * [5, 3, 1][l] } else { sizes[l] };
            assert_eq!(layer.values, want, "{} layer {}", q.id(), l + 1);
            for (c, column) in layer.columns.iter().enumerate() {
                assert_eq!(column.iter().sum::<usize>() + layer.zeros[c], want, "{} layer {} column {c}", q.id(), l + 1);
            }
            assert!(layer.lo < layer.hi && layer.log == (q == Quantity::Gradients));
            if q == Quantity::Gradients {
                assert_eq!((layer.lo, layer.hi), (s.layers[0].lo, s.layers[0].hi), "one scale of |g| for every layer");
            }
        }
    }
}

/// The first column of the weights is the initial weights binned by hand; a value at the top lands in the last bin.
#[test]
fn the_first_column_bins_the_initial_weights() {
    let run = xor_run(vec![Activation::Tanh, Activation::Sigmoid], vec![2, 4, 1]);
    let s = strip(&run, Quantity::Weights);
    let w = run.network().weights(1);
    let layer = &s.layers[0];
    let (lo, hi) = w.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    assert_eq!((layer.lo, layer.hi), (lo, hi));
    let mut counts = vec![0; BINS];
    for v in w {
        counts[(((v - lo) / (hi - lo) * BINS as f64).floor() as usize).min(BINS - 1)] += 1;
    }
    assert_eq!(layer.columns[0], counts);
    assert!(layer.columns[0][BINS - 1] >= 1, "the largest weight is in the last bin");
    assert_eq!(s.epochs, vec![0.0]);
}

/// A layer of huge tanh weights is saturated, a layer of tiny ones is not; a ReLU with a large negative bias is dead; gradients of a dead unit's weights are zeros.
#[test]
fn saturation_and_dead_relus_on_built_networks() {
    let data = Dataset {
        x: Mat::from_rows(&[vec![0.5, -1.0], vec![1.0, 0.25], vec![-0.75, 0.5]]).unwrap(),
        y: Mat { rows: 3, cols: 1, data: vec![1.0, 0.0, 1.0] },
        classification: true,
    };
    let arch = |first: Activation| Architecture { sizes: vec![2, 2, 1], activations: vec![first, Activation::Sigmoid], loss: Loss::Bce };
    let huge = Network::from_weights(
        arch(Activation::Tanh),
        &[vec![vec![100.0, 0.01], vec![-100.0, 0.01]], vec![vec![1.0], vec![1.0]]],
        &[vec![0.0, 0.0], vec![0.0]],
    )
    .unwrap();
    let h = health(&run_of(huge, data.clone()));
    assert_eq!(h[0].saturated, Some(0.5), "the first neuron saturated for every point, the second for none");
    assert_eq!(h[0].dead, None);
    let relu = Network::from_weights(
        arch(Activation::Relu),
        &[vec![vec![1.0, 1.0], vec![1.0, 1.0]], vec![vec![1.0], vec![1.0]]],
        &[vec![0.0, -10.0], vec![0.0]],
    )
    .unwrap();
    let run = run_of(relu, data);
    let h = health(&run);
    assert_eq!((h[0].dead, h[0].saturated), (Some((1, 2)), None));
    assert!(h[1].saturated.is_some(), "a sigmoid output layer");
    let g = strip(&run, Quantity::Gradients);
    assert_eq!(g.layers[0].zeros[0], 2, "the dead neuron's two incoming weights have no gradient");
}

/// The update ratio is the next update's change of each layer's weights against their size, as the update then made it.
#[test]
fn the_update_ratio_is_the_next_update_s() {
    let mut run = xor_run(vec![Activation::Tanh, Activation::Sigmoid], vec![2, 4, 1]);
    run.step_epoch();
    let ratios: Vec<f64> = health(&run).iter().map(|h| h.update_ratio.unwrap()).collect();
    let before = run.current().params.clone();
    for _ in 0..=run.phases().len() {
        run.step_phase();
    }
    assert_eq!(run.current().batch, 1, "one update");
    let after = &run.current().params;
    for (l, ratio) in ratios.iter().enumerate() {
        let o = run.network().arch.offsets(l + 1);
        let norm = |w: Vec<f64>| w.iter().map(|v| v * v).sum::<f64>().sqrt();
        let change = norm((o.w..o.b).map(|i| after[i] - before[i]).collect());
        let size = norm(before[o.w..o.b].to_vec());
        assert!((ratio - change / size).abs() <= 1e-12 * ratio, "layer {}: {ratio} vs {}", l + 1, change / size);
    }
    assert!(ratios.iter().all(|r| *r > 0.0 && *r < 1.0));
}

/// The words say the numbers, and judge the update ratio against 10⁻³.
#[test]
fn the_health_line_says_each_number() {
    let h = LayerHealth { activation: Activation::Tanh, saturated: Some(0.125), dead: None, update_ratio: Some(0.0021) };
    assert_eq!(h.text(), "tanh · saturated 12.5% · ‖ΔW‖/‖W‖ = 0.0021 (near the usual 10⁻³)");
    let h = LayerHealth { activation: Activation::Relu, saturated: None, dead: Some((1, 4)), update_ratio: Some(2e-5) };
    assert_eq!(h.text(), "relu · dead 1 of 4 · ‖ΔW‖/‖W‖ = 2e-5 (far below 10⁻³: barely moves)");
    let h = LayerHealth { activation: Activation::Sigmoid, saturated: Some(0.0), dead: None, update_ratio: Some(0.5) };
    assert!(h.text().ends_with("(far above 10⁻³: large steps)"), "{}", h.text());
    // "Near" runs from a tenth of 10⁻³ to ten times it, both ends included.
    for (ratio, verdict) in [(0.99e-4, "far below"), (1e-4, "near"), (2e-4, "near"), (1e-2, "near"), (1.01e-2, "far above")] {
        let h = LayerHealth { activation: Activation::Tanh, saturated: None, dead: None, update_ratio: Some(ratio) };
        assert!(h.text().contains(&format!("({verdict}")), "{ratio}: {}", h.text());
    }
}

/// A layer whose values are all one number is binned over that number ± ½, all of them in the middle bin; a
/// span of 1e-12 or more is binned as it is; a scale of |g| with no gradient above 0 spans the decades −1 to 1.
#[test]
fn a_layer_of_one_value_is_binned_about_it() {
    let arch = || Architecture { sizes: vec![2, 2, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
    let data = || Dataset::generate(DatasetKind::Xor, DataSpec { points: 20, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let net = Network::from_weights(
        arch(),
        &[vec![vec![0.25, 0.25], vec![0.25, 0.25]], vec![vec![0.0], vec![1e-12]]],
        &[vec![0.0; 2], vec![0.0]],
    )
    .unwrap();
    let s = strip(&run_of(net, data()), Quantity::Weights);
    let first = &s.layers[0];
    assert_eq!((first.lo, first.hi), (0.25 - 0.5, 0.25 + 0.5));
    let mut middle = vec![0; BINS];
    middle[BINS / 2] = 4;
    assert_eq!(first.columns[0], middle, "every weight in the middle bin");
    assert_eq!((s.layers[1].lo, s.layers[1].hi), (0.0, 1e-12), "a span of 1e-12 as it is");
    let zero = Network::from_weights(arch(), &[vec![vec![0.0; 2]; 2], vec![vec![0.0]; 2]], &[vec![0.0; 2], vec![0.0]]).unwrap();
    let s = strip(&run_of(zero, data()), Quantity::Gradients);
    for layer in &s.layers {
        assert_eq!((layer.lo, layer.hi, layer.zeros[0]), (-1.0, 1.0, layer.values), "every gradient 0: no decade of its own");
    }
}

/// The view's job counts its pieces down one a piece (a column each, then the binning), then holds its picture.
#[test]
fn the_job_counts_its_pieces_down_one_a_piece() {
    let mut run = xor_run(vec![Activation::Tanh, Activation::Sigmoid], vec![2, 4, 1]);
    for _ in 0..5 {
        run.step_epoch();
    }
    let mut job = InsideJob::new(&run, Quantity::Weights);
    let pieces = job.remaining();
    assert_eq!(pieces, 6 + 1, "six columns (epochs 0 to 5) and the binning");
    for left in (0..pieces).rev() {
        assert!(job.picture().is_none());
        assert_eq!(job.advance(&run, 1), left);
    }
    assert!(job.picture().is_some());
    assert_eq!(job.advance(&run, 5), 0);
}
