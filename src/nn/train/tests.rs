use super::*;
use crate::named::Named;
use crate::nn::activation::Activation;
use crate::nn::data::{DataSpec, DatasetKind};
use crate::nn::network::{Architecture, Init, Loss};

fn run(batch_size: usize, optimizer: &str) -> TrainingRun {
    let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
    let net = Network::init(arch, Init::Xavier, 1).unwrap();
    let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 60, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let (train, test) = data.split(0.75, 2).unwrap();
    let config = TrainConfig { optimizer: Optimizer::from_id(optimizer).unwrap(), lr: 0.3, batch_size, l2: 0.0, seed: 9 };
    TrainingRun::new(net, train, test, config).unwrap()
}

#[test]
fn epochs_step_back_exactly_and_replay_the_same() {
    let mut r = run(10, "adam");
    for _ in 0..3 {
        assert_eq!(r.step_epoch(), TrainOutcome::Stepped);
    }
    let at3 = r.current().clone();
    assert_eq!((at3.epoch, at3.batch), (3, 0));
    r.step_epoch();
    assert!(r.back());
    assert_eq!(r.current(), &at3);
    r.step_epoch();
    let at4 = r.current().clone();
    r.reset();
    for _ in 0..4 {
        r.step_epoch();
    }
    assert_eq!(r.current(), &at4, "seeded batches make a replay exact");
    assert!(r.current().metrics.train_loss < r.history()[0].metrics.train_loss);
}

#[test]
fn metrics_are_the_loss_accuracy_and_gradient_norms_of_the_weights_kept() {
    let mut r = run(10, "adam");
    r.step_epoch();
    let net = r.current_network();
    let m = &r.current().metrics;
    let (train, test) = (r.train_data(), r.test_data());
    let right =
        |out: &Mat, y: &Mat| out.data.iter().zip(&y.data).filter(|(a, t)| (**a >= 0.5) == (**t >= 0.5)).count() as f64 / y.rows as f64;
    let (train_out, test_out) = (net.predict(&train.x), net.predict(&test.x));
    assert_eq!(m.train_loss, net.loss(&train_out, &train.y));
    assert_eq!(m.test_loss, Some(net.loss(&test_out, &test.y)));
    assert_eq!(m.train_accuracy, Some(right(&train_out, &train.y)));
    assert_eq!(m.test_accuracy, Some(right(&test_out, &test.y)));
    let grad = net.backward(&train.x, &net.forward(&train.x), &train.y).grad;
    let norms: Vec<f64> = (1..=2)
        .map(|l| {
            let o = net.arch.offsets(l);
            grad[o.w..o.end].iter().map(|g| g * g).sum::<f64>().sqrt()
        })
        .collect();
    assert_eq!(m.grad_norms, norms);
}

#[test]
fn the_training_loop_alone_reaches_the_weights_of_recorded_epochs() {
    let mut r = run(10, "momentum");
    r.step_epoch();
    let reached = r.train_unrecorded(3).unwrap();
    assert_eq!(r.current().epoch, 1, "the run is left as it was");
    for _ in 0..3 {
        r.step_epoch();
    }
    assert_eq!(reached, r.current().params);
}

#[test]
fn phases_walk_forward_loss_backward_update_and_equal_one_update() {
    let mut r = run(0, "sgd");
    let mut seen = Vec::new();
    loop {
        r.step_phase();
        match r.phase() {
            Some((_, phase)) => seen.push(phase),
            None => break,
        }
    }
    use Phase::*;
    assert_eq!(seen, vec![Forward(1), Forward(2), Loss, Backward(2), Backward(1), Update]);
    let by_phases = r.current().clone();
    r.back();
    r.step_epoch();
    assert_eq!(r.current(), &by_phases, "full batch: one update is one epoch");
    r.step_phase();
    r.step_phase();
    assert!(r.back() && r.back());
    assert!(r.phase().is_none());
    assert_eq!(r.current(), &by_phases);
}

#[test]
fn without_points_a_run_shows_its_network_but_does_not_step() {
    let small = run(0, "sgd");
    let empty = Dataset::empty(true, 2);
    let mut r = TrainingRun::new(small.network().clone(), empty.clone(), empty, small.config).unwrap();
    assert_eq!(r.step_epoch(), TrainOutcome::NoData);
    assert_eq!(r.step_phase(), TrainOutcome::NoData);
    assert_eq!(r.current().metrics.train_loss, 0.0);
    assert_eq!(r.current().metrics.train_accuracy, None);
    assert!(!r.back());
}

#[test]
fn large_networks_keep_fewer_snapshots() {
    assert_eq!(run(0, "sgd").max_snapshots(), MAX_SNAPSHOTS);
    let arch = Architecture { sizes: vec![2, 16, 16, 16, 16, 16, 16, 1], activations: vec![Activation::Tanh; 7], loss: Loss::Mse };
    let net = Network::init(arch, Init::Xavier, 1).unwrap();
    let small = run(0, "sgd");
    let big = TrainingRun::new(net, small.train_data().clone(), small.test_data().clone(), small.config).unwrap();
    let kept = big.max_snapshots();
    assert!((1000..MAX_SNAPSHOTS).contains(&kept), "{kept}");
    assert!(kept * 3 * big.network().params.len() <= MAX_SNAPSHOT_NUMBERS);
}

#[test]
fn divergence_stops_training() {
    let small = run(0, "sgd");
    let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Relu, Activation::Linear], loss: Loss::Mse };
    let net = Network::init(arch, Init::He, 1).unwrap();
    let config = TrainConfig { lr: 1000.0, ..small.config };
    let mut r = TrainingRun::new(net, small.train_data().clone(), small.test_data().clone(), config).unwrap();
    let mut outcome = TrainOutcome::Stepped;
    for _ in 0..200 {
        outcome = r.step_epoch();
        if outcome != TrainOutcome::Stepped {
            break;
        }
    }
    assert!(matches!(outcome, TrainOutcome::Diverged(_)), "{outcome:?}");
    let epochs = r.current().epoch;
    assert!(matches!(r.step_epoch(), TrainOutcome::Diverged(_)));
    assert_eq!(r.current().epoch, epochs);
    assert!(r.set_config(TrainConfig { lr: -1.0, ..r.config }).is_err());
    for l2 in [-0.1, f64::INFINITY, f64::NAN] {
        assert!(r.set_config(TrainConfig { l2, ..r.config }).is_err(), "an L2 strength of {l2} is refused");
    }
    assert!(r.set_config(TrainConfig { l2: 0.0, ..r.config }).is_ok(), "no L2 is allowed");
    assert!(r.back(), "back clears the divergence and goes one epoch back");
    assert_eq!(r.step_epoch(), TrainOutcome::Stepped);
    assert_eq!(r.step_epoch(), TrainOutcome::Diverged(epochs + 1), "the same update diverges again");
}

/// Mini-batches take the rows of a seeded shuffle, a new one each epoch; a
/// full batch takes them in order; a snapshot inside an epoch stands at its
/// share of the epoch's updates.
#[test]
fn mini_batches_shuffle_each_epoch_and_a_snapshot_knows_its_place() {
    let r = run(10, "sgd");
    let n = r.train_data().len();
    let (mut first, mut second) = (Vec::new(), Vec::new());
    r.epoch_order(0, &mut first);
    r.epoch_order(1, &mut second);
    assert_ne!(first, (0..n).collect::<Vec<_>>(), "shuffled");
    assert_ne!(first, second, "a new order each epoch");
    let mut sorted = first.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "every row once");
    let mut order = Vec::new();
    run(0, "sgd").epoch_order(0, &mut order);
    assert_eq!(order, (0..n).collect::<Vec<_>>(), "the full batch in order");
    let mut other_seed = run(10, "sgd");
    other_seed.config.seed = 10;
    other_seed.epoch_order(0, &mut order);
    assert_ne!(order, first, "another seed, another order");
    // 45 training rows in batches of 10: five updates an epoch.
    let mut r = run(10, "sgd");
    for _ in 0..=r.phases().len() {
        r.step_phase();
    }
    assert_eq!((r.current().epoch, r.current().batch), (0, 1));
    assert_eq!(r.epochs_at(r.current()), 0.2);
    r.step_epoch();
    assert_eq!(r.epochs_at(r.current()), 1.0);
}

/// A run that diverges says at which epoch, until it steps back; stepped
/// phase by phase it says the same epoch, with one update an epoch and with
/// mini-batches (whose weights an epoch looks at once, at its end).
#[test]
fn a_diverged_run_says_when() {
    for batch_size in [0, 7] {
        a_diverged_run_says_when_with(batch_size);
    }
}

fn a_diverged_run_says_when_with(batch_size: usize) {
    let arch = Architecture { sizes: vec![1, 3, 1], activations: vec![Activation::Linear, Activation::Linear], loss: Loss::Mse };
    let net = Network::init(arch, Init::Xavier, 1).unwrap();
    let data = Dataset::generate(DatasetKind::Linear, DataSpec { points: 30, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 1000.0, batch_size, l2: 0.0, seed: 9 };
    let mut r = TrainingRun::new(net, data, Dataset::empty(false, 1), config).unwrap();
    assert_eq!(r.train_unrecorded(5), None, "the training loop alone says it diverged too");
    let mut outcome = TrainOutcome::Stepped;
    for _ in 0..5 {
        outcome = r.step_epoch();
    }
    let TrainOutcome::Diverged(k) = outcome else { panic!("a linear network at α = 1000 diverges: {outcome:?}") };
    assert_eq!(r.diverged_at(), Some(k));
    assert_eq!(k, r.current().epoch + 1, "the epoch after the last one kept");
    r.back();
    assert_eq!(r.diverged_at(), None);
    // Stepped phase by phase, the update that overflows is reported at the same epoch.
    let mut r = TrainingRun::new(
        Network::init(r.network().arch.clone(), Init::Xavier, 1).unwrap(),
        r.train_data().clone(),
        Dataset::empty(false, 1),
        config,
    )
    .unwrap();
    let by_phases = loop {
        match r.step_phase() {
            TrainOutcome::Stepped => {}
            outcome => break outcome,
        }
    };
    assert_eq!(by_phases, TrainOutcome::Diverged(k), "phase by phase too: epoch {}, batches of {batch_size}", r.current().epoch);
}
