//! The descent lab's links: a run's surface, optimizer and constants, α and
//! its schedule, mini-batches, start and iteration, written and read back.

use crate::link::{count, number, pair, write, LinkReader};
use crate::named::Named;

/// The link key of a schedule's constant `name` ("sched_gamma").
fn schedule_key(name: &str) -> String {
    format!("sched_{name}")
}

/// The link of a descent run: its surface, optimizer and constants, α, its
/// schedule (when not constant), mini-batches (when not the full batch), start and iteration.
pub fn descent_link(run: &crate::descent::run::DescentRun) -> String {
    use crate::descent::batches::Batches;
    use crate::descent::schedule::Schedule;
    use crate::descent::surface::Surface;
    let mut pairs: Vec<(&str, String)> = vec![("lab", "descent".into()), ("surface", run.surface().id().into())];
    if let Surface::Bowl { condition, angle_deg } = run.surface() {
        pairs.push(("cond", condition.to_string()));
        pairs.push(("angle", angle_deg.to_string()));
    }
    if let Some(c) = run.surface().curve().filter(|c| c.id == crate::descent::curve::TYPED_CURVE) {
        pairs.push(("f", c.function.text().to_string()));
        pairs.push(("range", format!("{},{}", c.range.0, c.range.1)));
    }
    if let Surface::Typed(t) = run.surface() {
        let v = t.view;
        pairs.push(("f", t.function.text().to_string()));
        pairs.push(("box", format!("{},{},{},{}", v.x_min, v.x_max, v.y_min, v.y_max)));
    }
    pairs.push(("opt", run.optimizer().id().into()));
    pairs.extend(run.optimizer().hypers().into_iter().map(|(name, value)| (name, value.to_string())));
    let start = run.history()[0].theta;
    pairs.push(("lr", run.lr().to_string()));
    let schedule = *run.schedule();
    let schedule_keys: Vec<(String, f64)> = schedule.params().into_iter().map(|(name, v)| (schedule_key(name), v)).collect();
    if schedule != Schedule::Constant {
        pairs.push(("sched", schedule.id().into()));
        pairs.extend(schedule_keys.iter().map(|(key, v)| (key.as_str(), v.to_string())));
    }
    if let Batches::Seeded { size, seed } = run.batches() {
        pairs.push(("batch", size.to_string()));
        pairs.push(("seed", seed.to_string()));
    }
    pairs.push(("start", format!("{},{}", start[0], start[1])));
    pairs.push(("t", run.iteration().to_string()));
    write(&pairs)
}

/// The descent run the link read by `r` describes, at its start, and the
/// iteration the link names; what cannot be used is named in `r`'s notice.
pub fn read_run(r: &mut LinkReader) -> (crate::descent::run::DescentRun, usize) {
    use crate::descent::batches::Batches;
    use crate::descent::curve::CurveSurface;
    use crate::descent::run::{check_lr, DescentRun, MAX_ITERATIONS};
    use crate::descent::schedule::Schedule;
    use crate::descent::surface::Surface;
    use crate::descent::typed::{checked_box, TypedSurface};
    use crate::expr::TypedFunction;
    use crate::optim::Optimizer;
    r.take("lab");
    let mut surface = r.read("surface", Surface::from_id).unwrap_or_else(|| Surface::from_id("linear_regression").expect("built in"));
    if let Surface::Bowl { condition, angle_deg } = &mut surface {
        if let Some(c) =
            r.read("cond", |s| number(s).and_then(|c| if (1.0..=1000.0).contains(&c) { Ok(c) } else { Err("out of range".into()) }))
        {
            *condition = c;
        }
        if let Some(a) = r.read("angle", number) {
            *angle_deg = a;
        }
    }
    if let Surface::Typed(t) = &mut surface {
        // The box and the function are read apart: a bad one is named, the other kept.
        let view = r.read("box", |s| view_box(s).and_then(checked_box)).unwrap_or(t.view);
        let text = r.read("f", |s| TypedFunction::of_xy(s).map(|_| s.to_string())).unwrap_or_else(|| t.function.text().to_string());
        **t = TypedSurface::new(&text, view).expect("a function and a box read one by one");
    }
    if let Surface::Curve(c) = &mut surface {
        if c.id == crate::descent::curve::TYPED_CURVE {
            let range =
                r.read("range", |s| pair(s).and_then(|[lo, hi]| CurveSurface::typed("x", (lo, hi)).map(|_| (lo, hi)))).unwrap_or(c.range);
            let text = r.read("f", |s| TypedFunction::of_x(s).map(|_| s.to_string())).unwrap_or_else(|| c.function.text().to_string());
            **c = CurveSurface::typed(&text, range).expect("a function and a range read one by one");
        }
    }
    let mut optimizer = r.read("opt", Optimizer::from_id).unwrap_or(Optimizer::Sgd);
    for name in ["momentum", "rho", "beta1", "beta2", "eps"] {
        let mut probe = optimizer;
        if r.read(name, |s| number(s).and_then(|v| probe.set_hyper(name, v))).is_some() {
            optimizer = probe;
        }
    }
    let lr = r.read("lr", |s| number(s).and_then(check_lr)).unwrap_or_else(|| surface.default_lr());
    let start = r.read("start", pair).unwrap_or_else(|| surface.default_start());
    let steps = r.read("t", |s| count(s).and_then(|t| if t <= MAX_ITERATIONS { Ok(t) } else { Err("too many".into()) })).unwrap_or(0);
    // The schedule's constants are checked together: a warm-up is checked against the steps the link gives.
    let mut schedule = r.read("sched", Schedule::from_id).unwrap_or_default();
    let values: Vec<(&str, f64)> =
        schedule.params().into_iter().filter_map(|(name, _)| Some((name, r.read(&schedule_key(name), number)?))).collect();
    match schedule.with_params(&values) {
        Ok(read) => schedule = read,
        Err(_) => values.iter().for_each(|(name, _)| r.ignore(&schedule_key(name))),
    }
    let m = match &surface {
        Surface::LinearRegression(data) => data.len(),
        _ => 0,
    };
    let seed = r.read("seed", |s| s.trim().parse::<u64>().map_err(|e| e.to_string())).unwrap_or(1);
    let batches = r.read("batch", |s| count(s).and_then(|size| Batches::seeded(size, seed, m))).unwrap_or(Batches::Full);
    let run = DescentRun::new(surface, optimizer, lr, start).and_then(|run| run.with_schedule(schedule)?.with_batches(batches));
    (run.expect("every value was checked"), steps)
}

/// A box as a link writes it: "x_min,x_max,y_min,y_max".
fn view_box(raw: &str) -> Result<crate::descent::surface::ViewBox, String> {
    let [a, b, c, d] = crate::link::parts(raw, "x_min,x_max,y_min,y_max")?;
    Ok(crate::descent::surface::ViewBox::new(number(a)?, number(b)?, number(c)?, number(d)?))
}

/// The link key of race run `i`'s setting `name` (1-based: "r2" for its rule, "r2_lr", "r2_momentum").
fn run_key(i: usize, name: &str) -> String {
    if name.is_empty() {
        format!("r{i}")
    } else {
        format!("r{i}_{name}")
    }
}

/// The link of a race: the shown run's (its surface, schedule, batches,
/// start, the race's clock as t), then each run's rule, constants and α
/// (`r1`, `r1_lr`, `r1_momentum`, …) and which is shown.
pub fn race_link(race: &crate::descent::race::Race) -> String {
    let shown = descent_link(race.picked_run());
    let clock = format!("t={}", race.picked_run().iteration());
    let base = shown.strip_suffix(&clock).unwrap_or(&shown);
    let mut pairs: Vec<(String, String)> =
        vec![("race".into(), race.runs().len().to_string()), ("pick".into(), (race.picked() + 1).to_string())];
    for (i, run) in (1..).zip(race.runs()) {
        pairs.push((run_key(i, ""), run.optimizer().id().into()));
        pairs.push((run_key(i, "lr"), run.lr().to_string()));
        pairs.extend(run.optimizer().hypers().into_iter().map(|(name, value)| (run_key(i, name), value.to_string())));
    }
    let pairs: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    format!("{base}t={}&{}", race.clock(), write(&pairs))
}

/// The race the link read by `r` describes, its runs copies of `like` (the
/// shared surface, start, schedule and batches) with their own rules,
/// constants and α, at the start; None when the link holds no race. A run
/// the link describes wrongly is left out and named (the shown run stays the one it named).
pub fn read_race(r: &mut LinkReader, like: &crate::descent::run::DescentRun) -> Option<crate::descent::race::Race> {
    use crate::compare::MAX_RUNS;
    use crate::descent::race::Race;
    use crate::descent::run::check_lr;
    use crate::optim::Optimizer;
    let size = r.read("race", |s| count(s).and_then(|n| if (1..=MAX_RUNS).contains(&n) { Ok(n) } else { Err("out of range".into()) }))?;
    let pick = r.read("pick", |s| count(s).and_then(|n| if (1..=size).contains(&n) { Ok(n) } else { Err("out of range".into()) }));
    let (mut runs, mut picked) = (Vec::new(), 0);
    for i in 1..=size {
        let Some(mut optimizer) = r.read(&run_key(i, ""), Optimizer::from_id) else { continue };
        for (name, _) in optimizer.hypers() {
            let mut probe = optimizer;
            if r.read(&run_key(i, name), |s| number(s).and_then(|v| probe.set_hyper(name, v))).is_some() {
                optimizer = probe;
            }
        }
        let lr = r.read(&run_key(i, "lr"), |s| number(s).and_then(check_lr)).unwrap_or_else(|| like.lr());
        if pick == Some(i) {
            picked = runs.len();
        }
        runs.push(Race::entrant(like, optimizer, lr));
    }
    Race::of(runs, picked).ok()
}

#[cfg(test)]
mod descent_tests {
    use super::*;

    /// The descent run a link describes, stepped to its iteration, and the notice
    /// naming what was ignored. Settings missing from the link take the surface's defaults.
    pub fn descent_from_link(query: &str) -> (crate::descent::run::DescentRun, String) {
        let mut r = LinkReader::new(query);
        let (run, steps) = read_run(&mut r);
        (run.stepped(steps), r.notice())
    }

    use crate::descent::run::DescentRun;
    use crate::descent::surface::Surface;
    use crate::optim::Optimizer;

    #[test]
    fn a_link_reopens_the_same_run_to_the_last_digit() {
        let mut optimizer = Optimizer::from_id("adam").unwrap();
        optimizer.set_hyper("beta1", 0.8).unwrap();
        let mut run = DescentRun::new(Surface::Bowl { condition: 25.0, angle_deg: -40.0 }, optimizer, 0.0123, [1.0 / 3.0, -0.7]).unwrap();
        for _ in 0..37 {
            run.step();
        }
        let (again, notice) = descent_from_link(&descent_link(&run));
        assert_eq!(notice, "");
        assert_eq!(again.iteration(), 37);
        assert_eq!(again.current(), run.current(), "θ, J, ∇J and the optimizer's memory, exactly");
        assert_eq!(again.surface(), run.surface());
    }

    #[test]
    fn a_link_keeps_the_schedule_and_the_mini_batches() {
        use crate::descent::batches::Batches;
        use crate::descent::schedule::Schedule;
        let schedule = Schedule::WarmupCosine { warmup: 7.0, steps: 90.0, alpha_min: 0.003 };
        let run = DescentRun::new(Surface::from_id("linear_regression").unwrap(), Optimizer::Sgd, 0.2, [0.5, -1.0]).unwrap();
        let mut run = run.with_schedule(schedule).unwrap().with_batches(Batches::seeded(4, 99, 30).unwrap()).unwrap();
        for _ in 0..23 {
            run.step();
        }
        let link = descent_link(&run);
        assert!(link.contains("sched=warmup_cosine&sched_warmup=7&sched_steps=90&sched_alpha_min=0.003&batch=4&seed=99"), "{link}");
        let (again, notice) = descent_from_link(&link);
        assert_eq!(notice, "");
        assert_eq!((again.schedule(), again.batches()), (run.schedule(), run.batches()));
        assert_eq!(again.history(), run.history(), "the same rows and rates, update by update");
        let (plain, _) = descent_from_link("lab=descent&surface=quadratic");
        assert!(!descent_link(&plain).contains("sched") && !descent_link(&plain).contains("batch"), "the defaults are not written");
        let (long, notice) = descent_from_link("lab=descent&surface=quadratic&sched=warmup_cosine&sched_warmup=250&sched_steps=1000");
        assert_eq!((long.schedule(), notice.as_str()), (&Schedule::WarmupCosine { warmup: 250.0, steps: 1000.0, alpha_min: 0.001 }, ""));
        let (bad, notice) = descent_from_link("lab=descent&surface=quadratic&sched=cosine&sched_alpha_min=-1&batch=5&seed=x");
        assert_eq!(bad.schedule(), &Schedule::Cosine { steps: 200.0, alpha_min: 0.001 });
        assert_eq!(bad.batches(), &Batches::Full);
        assert_eq!(notice, "The link's sched_alpha_min, seed, batch could not be used; the defaults stand in for them.");
    }

    #[test]
    fn a_race_run_a_link_names_wrongly_is_left_out_and_the_shown_run_kept() {
        let mut r = LinkReader::new("lab=descent&surface=quadratic&race=3&pick=3&r1=sgd&r2=banana&r3=adam&r3_lr=0.02");
        let (like, _) = read_run(&mut r);
        let race = read_race(&mut r, &like).unwrap();
        assert_eq!(race.runs().iter().map(|run| run.optimizer().id()).collect::<Vec<_>>(), ["sgd", "adam"]);
        assert_eq!((race.picked_run().optimizer().id(), race.picked_run().lr()), ("adam", 0.02), "the third run named, now the second");
        assert_eq!(r.notice(), "The link's r2 could not be used; the defaults stand in for them.");
    }

    #[test]
    fn a_malformed_link_opens_with_defaults_and_names_what_it_ignored() {
        let (run, notice) = descent_from_link("lab=descent&surface=banana&opt=adam&beta2=2&lr=-3&start=1,x&t=abc&colour=red");
        assert_eq!(run.surface().id(), "linear_regression");
        assert_eq!(run.optimizer().id(), "adam");
        assert_eq!(run.optimizer().hypers()[1], ("beta2", 0.999));
        assert_eq!(run.lr(), 0.1);
        assert_eq!(run.iteration(), 0);
        assert_eq!(notice, "The link's surface, beta2, lr, start, t, colour could not be used; the defaults stand in for them.");
    }

    /// The zig-zag lesson's claim: on the bowl of condition 50 at α = 0.035,
    /// momentum μ = 0.6 ends 40 steps more than a hundred times lower than μ = 0 (plain descent).
    #[test]
    fn momentum_beats_plain_descent_in_the_ill_conditioned_bowl() {
        let base = "lab=descent&surface=bowl&cond=50&angle=30&start=-1.6,1.2&t=40&opt=momentum&lr=0.035";
        let (plain, _) = descent_from_link(&format!("{base}&momentum=0"));
        let (heavy, _) = descent_from_link(&format!("{base}&momentum=0.6"));
        assert!(heavy.current().value < plain.current().value / 100.0, "{} vs {}", heavy.current().value, plain.current().value);
    }
}
