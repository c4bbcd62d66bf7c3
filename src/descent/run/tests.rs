//! A descent run: stepping, going back, replays, schedules and mini-batches.

use super::*;
use crate::named::Named;

fn run(optimizer: &str) -> DescentRun {
    DescentRun::new(Surface::Quadratic, Optimizer::from_id(optimizer).unwrap(), 0.05, [-0.8, 0.7]).unwrap()
}

#[test]
fn back_restores_theta_and_memory_exactly() {
    let mut r = run("adam");
    for _ in 0..5 {
        r.step();
    }
    let at5 = r.current().clone();
    r.step();
    r.step();
    assert!(r.back() && r.back());
    assert_eq!(r.current(), &at5);
    r.step();
    assert_eq!(r.iteration(), 6);
    r.reset();
    assert_eq!(r.iteration(), 0);
    assert!(!r.back());
}

#[test]
fn replay_keeps_the_step_count_and_from_now_keeps_the_history() {
    let mut r = run("momentum");
    for _ in 0..10 {
        r.step();
    }
    let before = r.trajectory();
    r.set_lr(0.02, Apply::FromNow).unwrap();
    assert_eq!(r.trajectory(), before);
    r.step();
    assert_eq!(r.current().lr_used, Some(0.02));
    assert_eq!(r.history()[10].lr_used, Some(0.05));

    r.set_lr(0.01, Apply::Replay).unwrap();
    assert_eq!(r.iteration(), 11);
    assert!(r.history()[1..].iter().all(|s| s.lr_used == Some(0.01)));
    assert_ne!(r.trajectory()[..11], before[..]);
}

#[test]
fn a_constant_changed_by_replay_reruns_the_steps_with_it() {
    let mut r = run("momentum");
    for _ in 0..5 {
        r.step();
    }
    let before = r.trajectory();
    r.set_hyper("momentum", 0.5, Apply::Replay).unwrap();
    assert_eq!(r.optimizer().hypers(), [("momentum", 0.5)]);
    assert_eq!(r.iteration(), 5);
    assert_ne!(r.trajectory(), before);
    assert!(r.set_hyper("momentum", 2.0, Apply::Replay).is_err());
    assert_eq!(r.optimizer().hypers(), [("momentum", 0.5)], "a refused constant changes nothing");
}

#[test]
fn a_new_kind_of_optimizer_from_now_starts_with_fresh_memory() {
    let mut r = run("momentum");
    r.step();
    r.set_optimizer(Optimizer::from_id("adam").unwrap(), Apply::FromNow);
    assert_eq!(r.step(), StepOutcome::Stepped(2));
    assert_eq!(r.current().state.t, 1);
}

fn regression(batches: Batches) -> DescentRun {
    let surface = Surface::from_id("linear_regression").unwrap();
    DescentRun::new(surface, Optimizer::Sgd, 0.1, [0.0, 0.0]).unwrap().with_batches(batches).unwrap()
}

#[test]
fn a_batch_of_all_m_rows_is_the_seeds_full_batch_run_exactly() {
    let (mut full, mut all) = (regression(Batches::Full), regression(Batches::seeded(30, 5, 30).unwrap()));
    for _ in 0..50 {
        full.step();
        all.step();
    }
    assert_eq!(all.history(), full.history());
    assert_eq!((all.epoch(), all.next_batch()), (Some(50), None), "a pass an update; every row");
}

#[test]
fn a_mini_batch_step_follows_its_batch_gradient_and_back_is_exact() {
    let mut r = regression(Batches::seeded(5, 2, 30).unwrap());
    for _ in 0..8 {
        r.step();
    }
    let Surface::LinearRegression(data) = r.surface().clone() else { unreachable!() };
    let rows = r.next_batch().expect("5 rows");
    assert_eq!((rows.len(), r.epoch()), (5, Some(1)), "update 8 is the third of the second pass of six");
    assert_eq!(run("sgd").epoch(), None, "no data, no epochs");
    let g = data.batch_gradient(r.current().theta, &rows);
    assert_eq!(r.next_gradient(), g);
    assert_ne!(g, r.current().gradient, "a batch's gradient is not the full one");
    let theta = r.current().theta;
    let at8 = r.current().clone();
    r.step();
    assert_eq!(r.current().theta, [theta[0] - 0.1 * g[0], theta[1] - 0.1 * g[1]]);
    assert_eq!(r.current().gradient, data.gradient(r.current().theta), "the snapshot keeps the full ∇J");
    r.back();
    assert_eq!(r.current(), &at8);
    assert_eq!(r.next_batch(), Some(rows), "the same batch again after Back");
    assert!(run("sgd").set_batches(Batches::seeded(5, 2, 30).unwrap(), Apply::Replay).is_err(), "no data, no batches");
}

#[test]
fn a_schedule_sets_each_updates_alpha_and_survives_a_new_start() {
    let schedule = Schedule::Step { every: 2.0, gamma: 0.5 };
    let mut r = run("sgd").with_schedule(schedule).unwrap();
    for _ in 0..5 {
        r.step();
    }
    let alphas: Vec<Option<f64>> = r.history().iter().map(|s| s.lr_used).collect();
    assert_eq!(alphas, [None, Some(0.05), Some(0.05), Some(0.025), Some(0.025), Some(0.0125)]);
    assert_eq!(r.next_lr(), 0.0125);
    r.set_start([0.3, 0.3]).unwrap();
    assert_eq!(r.schedule(), &schedule);
    assert!(r.set_schedule(Schedule::Exponential { gamma: -1.0 }, Apply::Replay).is_err());
    assert_eq!(r.schedule(), &schedule, "a refused schedule changes nothing");
}

#[test]
fn divergence_stops_the_run_and_back_resumes_it() {
    let mut r = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 5.0, [0.5, 0.5]).unwrap();
    let mut outcome = StepOutcome::AtLimit;
    for _ in 0..1000 {
        outcome = r.step();
        if let StepOutcome::Diverged(_) = outcome {
            break;
        }
    }
    let StepOutcome::Diverged(k) = outcome else { panic!("α = 5 must diverge on the quadratic") };
    assert_eq!(r.iteration(), k - 1);
    assert_eq!(r.step(), StepOutcome::Diverged(k));
    assert_eq!(r.iteration(), k - 1);
    assert!(r.current().theta.iter().all(|v| v.is_finite()));
    assert!(r.back());
    assert_eq!(r.diverged_at(), None);
}

#[test]
fn bad_learning_rates_and_starts_are_refused_with_a_reason() {
    let mut r = run("sgd");
    for bad in [0.0, -1.0, f64::NAN, 1e300, f64::INFINITY] {
        assert!(r.set_lr(bad, Apply::Replay).is_err(), "{bad}");
    }
    assert_eq!(r.lr(), 0.05);
    let huge = r.set_lr(1e300, Apply::Replay).unwrap_err();
    assert!(huge.ends_with("(got 1e300)"), "the number as typed, not its 301 digits: {huge}");
    assert!(r.set_start([f64::NAN, 0.0]).is_err());
    assert!(DescentRun::new(Surface::Quadratic, Optimizer::Sgd, -1.0, [0.0, 0.0]).unwrap_err().contains("above 0"));
}

/// The seed's regression is a quadratic in θ: plain descent closes in on its
/// minimum for α a little under 2/λmax of X1ᵀX1/m and moves away from it a little over.
#[test]
fn the_regression_s_stability_bound_divides_descent_from_divergence() {
    let surface = Surface::from_id("linear_regression").unwrap();
    let bound = DescentRun::new(surface.clone(), Optimizer::Sgd, 0.1, [0.0, 0.0]).unwrap().stability_bound().unwrap();
    let Surface::LinearRegression(data) = &surface else { unreachable!() };
    let best = data.least_squares().unwrap();
    let distance_after = |lr: f64| {
        let mut r = DescentRun::new(surface.clone(), Optimizer::Sgd, lr, [0.0, 0.0]).unwrap();
        for _ in 0..2000 {
            r.step();
        }
        let theta = r.current().theta;
        (theta[0] - best[0]).hypot(theta[1] - best[1])
    };
    let start = best[0].hypot(best[1]);
    assert!(distance_after(0.97 * bound) < 1e-3 * start, "under the bound {bound}");
    assert!(distance_after(1.03 * bound) > start, "over the bound {bound}");
}
