//! The descent lab's worksheet: the first k steps of the run from its start,
//! with the settings the lab has now.

use super::readout::readout;
use super::run::{DescentRun, StepOutcome};
use super::schedule::Schedule;
use super::surface::Surface;
use crate::format::{pair, sig};
use crate::named::Named;
use crate::optim::Optimizer;
use crate::tr;
use crate::worksheet::{Column, Worksheet, WorksheetSettings};

/// The worksheet of the first `settings.steps` steps of `run` from its start,
/// every number to `digits` significant digits (fewer rows when the run diverges sooner).
pub fn worksheet(run: &DescentRun, settings: WorksheetSettings, digits: usize) -> Result<Worksheet, String> {
    settings.check()?;
    let mut replay = run.clone();
    replay.reset();
    let mut working = Vec::new();
    for _ in 0..settings.steps {
        let lines = readout(&replay, digits).update;
        if !matches!(replay.step(), StepOutcome::Stepped(_)) {
            break;
        }
        working.push(lines);
    }
    if working.is_empty() {
        return Err(tr!("the first step gives a number that is not finite: there is no step to write out"));
    }
    let curve = replay.surface().curve().is_some();
    let n = |x: f64| sig(x, digits);
    let point = |p: [f64; 2]| if curve { n(p[0]) } else { pair(p, digits) };
    let batches = match replay.surface() {
        Surface::LinearRegression(points) => replay.batches().size(points.len()) < points.len(),
        _ => false,
    };
    // g is the gradient each update used: of the batch's rows with mini-batches.
    let (x, f, g) = match (curve, batches) {
        (true, _) => ("x", "f", "f′(x⁽ᵗ⁾)".to_string()),
        (false, true) => ("θ", "J", tr!("∇J_b(θ⁽ᵗ⁾) over the batch")),
        (false, false) => ("θ", "J", "∇J(θ⁽ᵗ⁾)".to_string()),
    };
    let lr = if *replay.schedule() == Schedule::Constant { "α" } else { "αₖ" };
    let columns = [
        ("t".to_string(), Column::Given),
        (format!("{x}⁽ᵗ⁾"), Column::Given),
        (format!("{f}({x}⁽ᵗ⁾)"), Column::Given),
        (format!("g⁽ᵗ⁾ = {g}"), Column::Gradient),
        (tr!("step {lr}·d⁽ᵗ⁾", lr = lr), Column::Step),
        (format!("{x}⁽ᵗ⁺¹⁾ = {x}⁽ᵗ⁾ − {lr}·d⁽ᵗ⁾"), Column::After),
    ];
    let history = replay.history();
    let cells = history
        .windows(2)
        .enumerate()
        .map(|(t, pair)| {
            let (now, next) = (&pair[0], &pair[1]);
            let steps = next.update.expect("a step keeps the record of its update");
            let lr = next.lr_used.expect("a step keeps its α");
            let step = [lr * steps[0].direction, lr * steps[1].direction];
            vec![t.to_string(), point(now.theta), n(now.value), point(steps.map(|s| s.grad)), point(step), point(next.theta)]
        })
        .collect();
    let optimizer = replay.optimizer();
    let constants: Vec<String> = optimizer.hypers().iter().map(|(name, value)| format!("{name} = {}", n(*value))).collect();
    let mut rule = tr!("Update rule: {rule}, α = {alpha}", rule = optimizer.shown(), alpha = n(replay.lr()));
    if !constants.is_empty() {
        rule += &format!(", {}", constants.join(", "));
    }
    if *replay.schedule() != Schedule::Constant {
        rule += &tr!("; αₖ = {formula} at update k = t", formula = replay.schedule().formula());
    }
    let direction = match optimizer {
        Optimizer::Sgd => tr!("d⁽ᵗ⁾ = g⁽ᵗ⁾: the step is {lr}·g⁽ᵗ⁾.", lr = lr),
        _ => tr!("d⁽ᵗ⁾ is the rule's direction, from g⁽ᵗ⁾ and its memory (the answer key writes it out)."),
    };
    let mut problem = vec![
        tr!("Minimise {formula}.", formula = replay.surface().formula()),
        tr!("Start: {x}⁽⁰⁾ = {start}.", x = x, start = point(history[0].theta)),
        tr!("{rule}. {direction}", rule = rule, direction = direction),
    ];
    let data = match replay.surface() {
        Surface::LinearRegression(points) => {
            if batches {
                problem.push(tr!(
                    "Each step takes a mini-batch of {size} points (the answer key lists them).",
                    size = replay.batches().size(points.len())
                ));
            }
            let rows = points.x.iter().zip(&points.y).enumerate().map(|(i, (x, y))| vec![(i + 1).to_string(), n(*x), n(*y)]).collect();
            Some((vec!["i".to_string(), "xᵢ".to_string(), "yᵢ".to_string()], rows))
        }
        _ => None,
    };
    problem.push(tr!("Fill in the empty cells, each number to {digits} significant digits.", digits = digits));
    let title = match working.len() {
        1 => tr!("Gradient descent by hand: 1 step"),
        k => tr!("Gradient descent by hand: {k} steps", k = k),
    };
    Ok(Worksheet::new(title, problem, data, &columns, cells, working, settings.blanks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::lab::DescentLab;
    use crate::worksheet::{Blanks, MAX_STEPS};

    fn read_pair(text: &str) -> [f64; 2] {
        let inner = text.trim_start_matches('(').trim_end_matches(')');
        let (a, b) = inner.split_once(", ").unwrap();
        [a.parse().unwrap(), b.parse().unwrap()]
    }

    /// The seed's regression: the table holds the run's own numbers, the
    /// chosen columns are blank for the student and full in the key, each
    /// step is written out as the readout writes it, and the data are listed.
    #[test]
    fn the_table_is_the_runs_first_steps_with_the_chosen_cells_blank() {
        let mut lab = DescentLab::default();
        lab.step_many(5);
        let settings = WorksheetSettings { steps: 3, blanks: Blanks { gradient: true, step: false, after: true } };
        let sheet = worksheet(lab.run(), settings, 4).unwrap();
        let mut fresh = lab.run().clone();
        fresh.reset();
        assert_eq!(sheet.title, "Gradient descent by hand: 3 steps");
        assert_eq!(sheet.columns.len(), 6);
        assert_eq!((sheet.rows.len(), sheet.answers.len(), sheet.working.len()), (3, 3, 3));
        for t in 0..3 {
            let expected_lines = readout(&fresh, 4).update;
            fresh.step();
            let (now, next) = (&fresh.history()[t], &fresh.history()[t + 1]);
            let key = &sheet.answers[t];
            assert_eq!(key[0], t.to_string());
            assert_eq!(
                key[1],
                format!("({}, {})", sig(now.theta[0], 4), sig(now.theta[1], 4)),
                "θ at {t}, from the start whatever the lab's step"
            );
            assert_eq!(key[2], sig(now.value, 4));
            assert_eq!(key[3], format!("({}, {})", sig(now.gradient[0], 4), sig(now.gradient[1], 4)));
            assert_eq!(key[5], format!("({}, {})", sig(next.theta[0], 4), sig(next.theta[1], 4)));
            let [before, step, after] = [read_pair(&key[1]), read_pair(&key[4]), read_pair(&key[5])];
            for i in 0..2 {
                assert!((before[i] - step[i] - after[i]).abs() <= 1e-3 * (1.0 + before[i].abs()), "θ − step = θ⁽ᵗ⁺¹⁾ at {t}: {key:?}");
            }
            let blanks: Vec<bool> = sheet.rows[t].iter().map(Option::is_none).collect();
            assert_eq!(blanks, [false, false, false, true, false, true]);
            assert_eq!(sheet.working[t], expected_lines, "step {t} written out as the readout writes it");
        }
        let (names, points) = sheet.data.unwrap();
        assert_eq!((names.len(), points.len()), (3, 30));
        assert!(sheet.problem[0].contains("m = 30") && sheet.problem[1] == "Start: θ⁽⁰⁾ = (0, 0).", "{:?}", sheet.problem);
    }

    /// With mini-batches, g is the gradient of the batch the update used, as the written step says.
    #[test]
    fn with_mini_batches_g_is_the_batchs_gradient() {
        let mut lab = DescentLab::default();
        lab.set_batches(5, 3, false).unwrap();
        let sheet = worksheet(lab.run(), WorksheetSettings { steps: 2, blanks: Blanks::default() }, 6).unwrap();
        assert!(sheet.columns[3].contains("∇J_b"), "{:?}", sheet.columns);
        assert!(sheet.problem.iter().any(|line| line.starts_with("Each step takes a mini-batch of 5 points")));
        let mut fresh = lab.run().clone();
        fresh.reset();
        for t in 0..2 {
            fresh.step();
            let used = fresh.history()[t + 1].update.unwrap().map(|s| s.grad);
            assert_ne!(used, fresh.history()[t].gradient, "a batch's gradient is not the full one");
            assert_eq!(sheet.answers[t][3], pair(used, 6));
            let written = &sheet.working[t][0];
            assert!(
                written.starts_with(&format!("g⁽{}⁾ = ∇J_b", crate::format::superscript(t))) && written.ends_with(&pair(used, 6)),
                "{written}"
            );
        }
    }

    /// Adam's constants and direction are named; a curve has x alone; the number of steps is checked.
    #[test]
    fn rules_curves_and_bad_counts() {
        let mut lab = DescentLab::default();
        lab.set_surface("rosenbrock").unwrap();
        lab.set_optimizer("adam", false).unwrap();
        let all = WorksheetSettings { steps: 1, blanks: Blanks { gradient: true, step: true, after: true } };
        let sheet = worksheet(lab.run(), all, 3).unwrap();
        assert_eq!(sheet.title, "Gradient descent by hand: 1 step");
        assert!(
            sheet.problem[2].starts_with("Update rule: Adam, α = ") && sheet.problem[2].contains("beta1 = 0.9"),
            "{}",
            sheet.problem[2]
        );
        assert!(sheet.problem[2].contains("the rule's direction"));
        assert_eq!(sheet.rows[0].iter().filter(|c| c.is_none()).count(), 3);
        assert!(sheet.data.is_none());
        lab.set_curve("x^2", (-2.0, 2.0)).unwrap();
        let sheet = worksheet(lab.run(), all, 3).unwrap();
        assert!(!sheet.answers[0][1].contains(','), "x alone: {:?}", sheet.answers[0]);
        assert!(sheet.columns[3].contains("f′(x⁽ᵗ⁾)"));
        for steps in [0, MAX_STEPS + 1] {
            assert!(worksheet(lab.run(), WorksheetSettings { steps, ..all }, 3).is_err());
        }
    }
}
