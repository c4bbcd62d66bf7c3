//! The descent lab's model, as the page drives it.

use super::*;

#[test]
fn a_replayed_change_keeps_the_old_path_as_a_ghost_until_the_adjustment_ends() {
    let mut lab = DescentLab::default();
    lab.step_many(5);
    let before = lab.run().trajectory();
    lab.set_learning_rate(0.05, true).unwrap();
    lab.set_learning_rate(0.02, true).unwrap();
    assert_eq!(lab.ghost(), Some(&before[..]), "one ghost for the whole slide");
    assert_eq!(lab.run().iteration(), 5);
    lab.end_adjust();
    lab.set_learning_rate(0.03, true).unwrap();
    assert_ne!(lab.ghost(), Some(&before[..]), "a new adjustment, a new ghost");
    let losses = lab.ghost_losses().unwrap();
    assert_eq!(losses[0], lab.run().history()[0].value);
    lab.set_learning_rate(0.04, false).unwrap();
    lab.reset();
    assert_eq!(lab.ghost(), None);
}

#[test]
fn bad_settings_are_refused_and_the_run_is_kept() {
    let mut lab = DescentLab::default();
    lab.step_many(3);
    assert!(lab.set_learning_rate(f64::NAN, true).is_err());
    assert!(lab.set_hyper("beta1", 1.5, true).is_err());
    assert!(lab.set_optimizer("lbfgs", true).unwrap_err().contains("adam"));
    assert!(lab.set_surface("banana").is_err());
    assert!(lab.set_bowl(0.5, 0.0).is_err() && lab.set_bowl(2.0, f64::INFINITY).is_err());
    assert_eq!((lab.run().iteration(), lab.run().lr(), lab.ghost()), (3, 0.1, None));
}

#[test]
fn step_many_stops_where_the_run_diverges() {
    let mut lab = DescentLab::default();
    lab.set_surface("quadratic").unwrap();
    lab.set_learning_rate(5.0, false).unwrap();
    let StepOutcome::Diverged(k) = lab.step_many(10_000) else { panic!("α = 5 diverges on the quadratic") };
    assert_eq!(lab.run().iteration(), k - 1);
    assert!(lab.state(6)["readout"]["status"].as_str().unwrap().starts_with(&format!("Diverged at iteration {k}")));
}

/// Every descent lesson's first 50 steps, and a run from far outside: the
/// start, the current point and the minimum stay inside the chart's box.
#[test]
fn the_chart_keeps_the_path_in_sight_at_every_step_of_every_lesson() {
    let lessons = include_str!("../../../www/lessons.js");
    let links: Vec<&str> =
        lessons.split("link: \"").skip(1).filter_map(|rest| rest.split('"').next()).filter(|l| l.starts_with("lab=descent")).collect();
    assert!(links.len() >= 6, "{links:?}");
    let mut links: Vec<String> = links.into_iter().map(String::from).collect();
    links.push("lab=descent&surface=himmelblau&opt=sgd&lr=0.00001&start=-40,35".into());
    for link in &links {
        let mut lab = DescentLab::default();
        assert_eq!(lab.open_link(link), "", "{link}");
        for t in 0..=50 {
            let (view, held) = lab.view();
            if !held {
                // Only a run that diverges leaves, after its first 20 steps, and the page says so.
                assert!(t > 20 && lab.state(6)["pathOutside"].is_string(), "{link}: the path ran away by step {t}");
                break;
            }
            let now = lab.run().current().theta;
            assert!(view.contains(now) && view.contains(lab.run().history()[0].theta), "{link}: step {t} at {now:?} outside {view:?}");
            for m in lab.run().surface().minima() {
                assert!(view.contains(m), "{link}: the minimum {m:?} outside {view:?}");
            }
            lab.step_many(1);
        }
    }
}

/// The seed's regression at α = 0.1 converges (‖∇J‖ < 10⁻⁶) long before 10,000 steps;
/// running on, frame by frame, stops exactly there, and the link keeps the rule.
#[test]
fn running_on_stops_where_the_first_condition_holds() {
    let mut lab = DescentLab::default();
    while lab.run_on(100) {}
    let t = lab.run().iteration();
    let Some(Stop::Gradient { norm, .. }) = lab.stopped() else { panic!("converged by the gradient") };
    assert!(norm < 1e-6 && t < 10_000);
    lab.back();
    assert!(lab.stopped().is_none(), "one step earlier it had not");
    assert!(lab.state(3)["stopped"].is_null());
    lab.run_on(1);
    assert!(lab.state(3)["stopped"].as_str().unwrap().starts_with(&format!("Converged at iteration {t}: ‖∇J‖ = ")));
    lab.set_stop_rule(StopRule { iterations: Some(50), ..StopRule::default() }).unwrap();
    assert!(lab.set_stop_rule(StopRule { gradient: Some(0.0), ..StopRule::default() }).is_err());
    let mut again = DescentLab::default();
    assert_eq!(again.open_link(&lab.link()), "");
    assert_eq!((again.stop_rule(), again.run().iteration()), (lab.stop_rule(), t));
}

#[test]
fn the_stopping_rule_stays_through_a_new_surface_and_a_start_restarts_the_run() {
    let mut lab = DescentLab::default();
    let rule = StopRule { gradient: None, loss_change: Some(1e-9), step: None, iterations: Some(70) };
    lab.set_stop_rule(rule).unwrap();
    lab.set_surface("beale").unwrap();
    assert_eq!(lab.stop_rule(), rule);
    lab.step_many(4);
    lab.set_learning_rate(0.002, true).unwrap();
    lab.set_start([0.5, -0.25]).unwrap();
    assert_eq!((lab.run().iteration(), lab.run().history()[0].theta, lab.ghost()), (0, [0.5, -0.25], None));
    assert!(lab.set_start([f64::NAN, 0.0]).is_err());
}

#[test]
fn a_click_near_an_axis_or_a_minimum_lands_on_it() {
    let mut lab = DescentLab::default();
    lab.set_surface("saddle").unwrap();
    let per_pixel = [0.005, 0.005];
    assert_eq!(lab.snap([-0.9, 0.03], per_pixel), [-0.9, 0.03], "6 pixels off: kept");
    assert_eq!(lab.snap([-0.9, 0.00243], per_pixel), [-0.9, 0.0], "half a pixel off y = 0: on it");
    assert_eq!(lab.snap([0.02, -0.5], per_pixel), [0.0, -0.5]);
    lab.set_surface("himmelblau").unwrap();
    assert_eq!(lab.snap([3.01, 1.98], [0.01, 0.01]), [3.0, 2.0], "a minimum wins");
    assert_eq!(lab.snap([3.01, 1.5], [0.01, 0.01]), [3.01, 1.5], "near a minimum in x only: kept");
}

#[test]
fn a_run_away_path_is_said_to_have_left_the_chart() {
    let mut lab = DescentLab::default();
    lab.open_link("lab=descent&surface=quadratic&opt=sgd&lr=0.3&start=-0.8,0.7");
    let mut steps = 0;
    while lab.view().1 && steps < 100 {
        lab.step_many(1);
        steps += 1;
    }
    // y doubles each step (×(1 − 10·0.3) = ×−2): out of a box 10⁴ times the default's in about 15 steps.
    assert!((12..=18).contains(&steps), "{steps}");
    assert!(lab.state(6)["pathOutside"].as_str().unwrap().contains("left the chart"));
    // The regression's own box is not centred on 0: the largest box keeps its centre.
    lab.open_link("lab=descent&surface=linear_regression&opt=sgd&lr=2&start=0,0");
    while lab.view().1 && lab.run().iteration() < 100 {
        lab.step_many(1);
    }
    let d = lab.run().surface().default_view();
    let (cx, cy, w, h) = ((d.x_min + d.x_max) / 2.0, (d.y_min + d.y_max) / 2.0, d.x_max - d.x_min, d.y_max - d.y_min);
    let half = MAX_VIEW_GROWTH / 2.0;
    assert_eq!(lab.view(), (ViewBox::new(cx - half * w, cx + half * w, cy - half * h, cy + half * h), false));
    lab.reset();
    assert!(lab.state(6)["pathOutside"].is_null());
}

#[test]
fn the_state_names_the_settings_and_the_bound_of_a_quadratic() {
    let mut lab = DescentLab::default();
    lab.set_surface("bowl").unwrap();
    lab.set_bowl(40.0, -30.0).unwrap();
    lab.set_optimizer("rmsprop", false).unwrap();
    let state = lab.state(6);
    assert_eq!((state["surface"].as_str(), state["optimizer"].as_str()), (Some("bowl"), Some("rmsprop")));
    assert_eq!(state["bowl"]["angle"], -30.0);
    assert_eq!(state["stabilityBound"].as_f64(), Some(2.0 / 40.0));
    assert_eq!(state["hypers"][0]["name"], "rho");
    assert_eq!(state["hasData"], false);
}

#[test]
fn a_race_steps_every_rule_together_and_settings_change_the_shown_run() {
    let mut lab = DescentLab::default();
    lab.set_surface("quadratic").unwrap();
    lab.set_racing(true);
    assert_eq!(lab.all_runs().len(), 6);
    lab.step_many(10);
    assert!(lab.all_runs().iter().all(|run| run.iteration() == 10));
    let others: Vec<Vec<[f64; 2]>> = lab.all_runs()[1..].iter().map(|r| r.trajectory()).collect();
    lab.set_learning_rate(0.02, false).unwrap();
    assert_eq!((lab.run().lr(), lab.run().iteration()), (0.02, 10), "the shown run re-runs to the clock with its new α");
    assert!(lab.run().history()[1..].iter().all(|s| s.lr_used == Some(0.02)), "in a race a change holds from the start");
    assert_eq!(lab.all_runs()[1..].iter().map(|r| r.trajectory()).collect::<Vec<_>>(), others, "the other runs are untouched");
    lab.pick_run(5).unwrap();
    assert_eq!(lab.run().optimizer().id(), "adam");
    lab.set_schedule("exponential", true).unwrap();
    assert!(lab.all_runs().iter().all(|r| r.schedule().id() == "exponential" && r.iteration() == 10), "a schedule is the race's");
    lab.back();
    assert!(lab.all_runs().iter().all(|run| run.iteration() == 9));
    lab.set_start([0.4, 0.4]).unwrap();
    assert!(lab.all_runs().iter().all(|run| run.iteration() == 0 && run.history()[0].theta == [0.4, 0.4]));
    lab.add_run().unwrap_err();
    lab.remove_run(0).unwrap();
    lab.add_run().unwrap();
    assert_eq!(lab.run().optimizer().id(), "sgd", "the rule that was missing");
    assert!(lab.state(4)["race"]["rows"].as_array().unwrap().len() == 6);
    lab.set_racing(false);
    assert_eq!((lab.all_runs().len(), lab.run().optimizer().id()), (1, "sgd"), "the shown run goes on alone");
    assert!(lab.add_run().unwrap_err().contains("start a race"));
}

#[test]
fn a_race_goes_through_a_link_and_a_run_that_runs_away_leaves_the_others_in_sight() {
    let mut lab = DescentLab::default();
    lab.set_surface("quadratic").unwrap();
    lab.set_racing(true);
    lab.pick_run(1).unwrap();
    lab.set_hyper("momentum", 0.5, true).unwrap();
    lab.pick_run(0).unwrap();
    lab.set_learning_rate(0.3, true).unwrap();
    lab.pick_run(2).unwrap();
    while lab.run_on(50) {}
    let wild = &lab.all_runs()[0];
    assert!(wild.diverged_at().is_some(), "α = 0.3 runs away: y × (1 − 10·0.3) = y × −2 a step");
    let (view, held) = lab.view();
    assert!(held, "the others keep the chart");
    for run in &lab.all_runs()[1..] {
        assert!(view.contains(run.current().theta));
    }
    let link = lab.link();
    let mut again = DescentLab::default();
    assert_eq!(again.open_link(&link), "", "{link}");
    assert_eq!(again.race().unwrap().clock(), lab.race().unwrap().clock());
    assert_eq!(again.race().unwrap().picked(), 2);
    for (a, b) in again.all_runs().iter().zip(lab.all_runs()) {
        assert_eq!(a.history(), b.history(), "{link}");
    }
    assert_eq!(again.all_runs()[1].optimizer().hypers(), [("momentum", 0.5)]);
}

#[test]
fn the_sweep_follows_the_settings_goes_through_a_link_and_a_pick_sets_alpha() {
    use crate::descent::sweep::SweepRange;
    let mut lab = DescentLab::default();
    lab.set_surface("quadratic").unwrap();
    lab.step_many(30);
    let range = SweepRange { lo: 0.001, hi: 1.0, count: 40, steps: 30 };
    assert!(lab.set_sweep(Some(SweepRange { lo: 2.0, ..range })).unwrap_err().contains("reversed"));
    lab.set_sweep(Some(range)).unwrap();
    while lab.advance_sweep(500) {}
    let points = lab.sweep().unwrap().points().to_vec();
    assert_eq!(points.len(), 40);
    let picked = lab.pick_sweep_lr(0.05).unwrap();
    assert!((picked / 0.05).ln().abs() < (1000f64).ln() / 39.0 / 2.0 + 1e-12, "the nearest of the sweep's α: {picked}");
    assert_eq!((lab.run().lr(), lab.run().iteration()), (picked, 30), "α taken and the run re-run, as the slider does");
    let at = points.iter().find(|p| p.lr == picked).unwrap();
    assert_eq!(at.value, Some(lab.run().current().value), "the sweep's J after 30 steps is the run's");
    assert!(!lab.advance_sweep(500), "a new α does not make the sweep out of date");
    lab.set_optimizer("momentum", true).unwrap();
    assert!(lab.advance_sweep(100), "a new rule does: it starts again");
    let mut again = DescentLab::default();
    assert_eq!(again.open_link(&lab.link()), "");
    assert_eq!(again.sweep().unwrap().range(), range);
    assert!(again.open_link("lab=descent&sweep=1,0.1,5,5").contains("sweep"));
    assert!(again.sweep().is_none());
}

/// A change before the first step keeps no ghost: the start alone is no path to compare with.
#[test]
fn a_change_before_any_step_keeps_no_ghost() {
    let mut lab = DescentLab::default();
    lab.set_learning_rate(0.05, true).unwrap();
    assert_eq!(lab.ghost(), None);
    lab.end_adjust();
    lab.step_many(2);
    lab.set_learning_rate(0.07, true).unwrap();
    assert_eq!(lab.ghost().map(<[_]>::len), Some(3), "t = 0, 1 and 2 of the run before");
}

#[test]
fn hovering_the_loss_chart_reads_each_runs_exact_j() {
    let mut lab = DescentLab::default();
    lab.step_many(6);
    let j3 = crate::format::sig(lab.run().history()[3].value, 6);
    assert_eq!(lab.loss_text(3, 6), Some(format!("t = 3 · J = {j3}")));
    lab.set_learning_rate(0.05, true).unwrap();
    let text = lab.loss_text(3, 6).unwrap();
    assert!(text.ends_with(&format!("before the change: J = {j3}")), "{text}");
    assert_eq!(lab.loss_text(7, 6), None, "beyond the run");
    lab.set_racing(true);
    lab.step_many(2);
    let text = lab.loss_text(2, 4).unwrap();
    assert_eq!(text.matches("J = ").count(), 6, "{text}");
    assert!(text.starts_with("t = 2 · Gradient descent: J = "), "{text}");
}

#[test]
fn in_a_race_a_new_stopping_rule_holds_for_every_step_already_taken() {
    let mut lab = DescentLab::default();
    lab.set_surface("quadratic").unwrap();
    lab.set_racing(true);
    lab.set_stop_rule(StopRule { iterations: Some(40), ..StopRule::default() }).unwrap();
    while lab.run_on(100) {}
    assert!(lab.all_runs().iter().all(|run| run.iteration() <= 40));
    lab.set_stop_rule(StopRule { iterations: Some(15), ..StopRule::default() }).unwrap();
    assert!(lab.all_runs().iter().all(|run| run.iteration() <= 15), "no run past the new cap");
    let rows = lab.race().unwrap().rows(&lab.stop_rule(), 3);
    for (run, row) in lab.all_runs().iter().zip(&rows) {
        if run.iteration() == 15 {
            assert_eq!(row.status, "Stopped at iteration 15: the most iterations, 15, are done");
        }
    }
    let mut again = DescentLab::default();
    again.open_link(&lab.link());
    for (a, b) in again.all_runs().iter().zip(lab.all_runs()) {
        assert_eq!(a.history(), b.history(), "the link gives the same runs");
    }
}

/// A typed function: its derivatives as formulas, three steps by the update
/// rule, a bad text or box refused with the function kept, a link that
/// reopens it to the digit, and a step into where f is undefined stopped.
#[test]
fn a_typed_function_descends_by_its_own_gradient_and_goes_through_links() {
    use crate::descent::surface::ViewBox;
    let mut lab = DescentLab::default();
    let view = ViewBox::new(-2.0, 2.0, -1.0, 3.0);
    lab.set_function("x^2 + 3*x*y + 4*y^2", view).unwrap();
    let state = lab.state(6);
    assert_eq!(state["typed"]["partials"], serde_json::json!(["∂f/∂x = 2·x + 3·y", "∂f/∂y = 3·x + 8·y"]));
    assert_eq!(state["formula"], "f(x, y) = x^2 + 3*x*y + 4*y^2");
    // Its Hessian [[2, 3], [3, 8]] is constant: 2/λmax is known.
    assert!((state["stabilityBound"].as_f64().unwrap() - 2.0 / (5.0 + 18f64.sqrt())).abs() < 1e-12);
    let (start, lr) = (lab.run().history()[0].theta, lab.run().lr());
    lab.step_many(3);
    let mut p = start;
    for _ in 0..3 {
        p = [p[0] - lr * (2.0 * p[0] + 3.0 * p[1]), p[1] - lr * (3.0 * p[0] + 8.0 * p[1])];
    }
    assert_eq!(lab.run().current().theta, p, "θ₃ by the update rule, exactly");
    assert!(lab.set_function("x +* y", view).unwrap_err().starts_with("column 4"));
    assert!(lab.set_function("x", ViewBox::new(1.0, 0.0, 0.0, 1.0)).unwrap_err().starts_with("the box needs"));
    assert_eq!(lab.run().iteration(), 3, "the function in force is kept");
    let mut other = DescentLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!(other.run().history(), lab.run().history(), "the same run, to the digit");
    let notice = other.open_link("lab=descent&surface=typed&f=sin(&box=0,1,0,1");
    assert!(notice.contains("link's f could not"), "a bad function is named: {notice}");
    assert_eq!(other.view().0, ViewBox::new(0.0, 1.0, 0.0, 1.0), "its good box kept");
    let notice = other.open_link("lab=descent&surface=typed&f=x*y&box=1,0,0,1");
    assert!(notice.contains("link's box could not"), "a bad box is named: {notice}");
    assert_eq!(other.state(6)["typed"]["text"], "x*y", "its good function kept");
    // log(x) is not defined for x ≤ 0: a step that lands there stops the run.
    lab.set_function("log(x) + y^2", ViewBox::new(0.0, 2.0, -1.0, 1.0)).unwrap();
    lab.set_start([0.05, 0.5]).unwrap();
    lab.set_learning_rate(0.5, true).unwrap();
    let outcome = lab.step_many(5);
    assert_eq!(outcome, StepOutcome::Diverged(1), "x = 0.05 − 0.5·20 < 0");
    let status = lab.state(6)["readout"]["status"].as_str().unwrap().to_string();
    assert!(status.starts_with("Stopped at iteration 1: the step lands where f or its gradient is not defined"), "{status}");
}

/// One variable: x² from 1.8 at α = 0.1 shrinks x by 0.8 a step; a typed f(x) goes through a link; a start keeps y at 0.
#[test]
fn a_curve_descends_along_x_and_a_typed_one_goes_through_links() {
    let mut lab = DescentLab::default();
    lab.set_surface("curve_square").unwrap();
    assert_eq!((lab.run().history()[0].theta, lab.run().lr()), ([1.8, 0.0], 0.1));
    lab.step_many(3);
    let x = lab.run().current().theta[0];
    assert!((x - 1.8 * 0.8f64.powi(3)).abs() < 1e-15, "{x}");
    let state = lab.state(6);
    assert_eq!((state["curve"]["slope"].as_str(), state["stabilityBound"].as_f64()), (Some("f′(x) = 2·x"), Some(1.0)));
    lab.set_start([0.5, 0.7]).unwrap();
    assert_eq!(lab.run().history()[0].theta, [0.5, 0.0], "y stays 0 on a curve");
    lab.set_curve("x^4 - x", (-1.5, 2.0)).unwrap();
    assert!(lab.set_curve("x^4 - y", (-1.5, 2.0)).unwrap_err().contains("unknown name “y”"));
    lab.step_many(4);
    let mut other = DescentLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!(other.run().history(), lab.run().history());
    assert_eq!(other.state(6)["curve"]["range"], serde_json::json!([-1.5, 2.0]));
    // log(x) is not defined for x ≤ 0: on a curve too, a step there stops the run.
    lab.set_curve("log(x)", (0.1, 3.0)).unwrap();
    lab.set_start([0.2, 0.0]).unwrap();
    lab.set_learning_rate(0.5, true).unwrap();
    assert_eq!(lab.step_many(3), StepOutcome::Diverged(1), "x = 0.2 − 0.5·5 < 0");
    other.open_link("lab=descent&surface=curve_square&start=0.5,0.7");
    assert_eq!(other.run().history()[0].theta, [0.5, 0.0], "a link's y on a curve is 0 too");
}

/// The charts' text alternatives say what the readout says: J's first and last value, θ now and at the start.
#[test]
fn the_charts_are_told_in_the_readouts_numbers() {
    let mut lab = DescentLab::default();
    let texts = |lab: &DescentLab| {
        let t = lab.chart_texts(3);
        (t["surface"].as_str().unwrap().to_string(), t["loss"].as_str().unwrap().to_string())
    };
    let (surface, loss) = texts(&lab);
    let start = lab.run().history()[0].clone();
    let n = |x: f64| crate::format::sig(x, 3);
    assert_eq!(loss, format!("J = {} at the start, before any iteration.", n(start.value)));
    assert_eq!(surface, format!("θ = ({}, {}) at the start.", n(start.theta[0]), n(start.theta[1])));
    lab.step_many(3);
    let now = lab.run().history()[3].clone();
    assert!(now.value < start.value, "the seed's regression descends");
    let (surface, loss) = texts(&lab);
    assert_eq!(loss, format!("J fell from {} to {} over 3 iterations.", n(start.value), n(now.value)));
    assert_eq!(
        surface,
        format!("θ = ({}, {}) after 3 iterations, from ({}, {}).", n(now.theta[0]), n(now.theta[1]), n(start.theta[0]), n(start.theta[1]))
    );
    assert_eq!(
        lab.chart_texts(3)["data"],
        format!("The 30 points (xᵢ, yᵢ) and the line y = θ₀ + θ₁·x of θ now: y = {} + {}·x.", n(now.theta[0]), n(now.theta[1]))
    );
    lab.set_surface("quadratic").unwrap();
    lab.set_learning_rate(0.25, false).unwrap();
    lab.step_many(1);
    let [first, second] = [lab.run().history()[0].value, lab.run().history()[1].value];
    assert!(second > first, "α above the stability bound of the quadratic: J rises");
    assert_eq!(texts(&lab).1, format!("J rose from {} to {} over 1 iteration.", n(first), n(second)));
    lab.set_racing(true);
    lab.step_many(2);
    let (surface, loss) = texts(&lab);
    let names = lab.race().unwrap().names();
    assert_eq!(loss.matches("; ").count() + 1, names.len(), "a sentence for each run: {loss}");
    assert!(
        names.iter().all(|name| loss.contains(&format!("{name}: J ")) && surface.contains(&format!("{name}: (x, y) = "))),
        "{surface} / {loss}"
    );
    lab.set_racing(false);
    lab.set_curve("x^2", (-2.0, 2.0)).unwrap();
    lab.step_many(1);
    let [from, to] = [lab.run().history()[0].theta[0], lab.run().history()[1].theta[0]];
    assert_eq!(texts(&lab).0, format!("x = {} after 1 iteration, from {}.", n(to), n(from)), "a curve has x alone");
}
