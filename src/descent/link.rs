//! The descent lab's links: a run's surface, optimizer and constants, α, start
//! and iteration, written and read back.

use crate::link::{count, number, pair, write, LinkReader};
use crate::named::Named;

/// The link of a descent run: its surface, optimizer and constants, α, start and iteration.
pub fn descent_link(run: &crate::descent::run::DescentRun) -> String {
    use crate::descent::surface::Surface;
    let mut pairs: Vec<(&str, String)> = vec![("lab", "descent".into()), ("surface", run.surface().id().into())];
    if let Surface::Bowl { condition, angle_deg } = run.surface() {
        pairs.push(("cond", condition.to_string()));
        pairs.push(("angle", angle_deg.to_string()));
    }
    pairs.push(("opt", run.optimizer().id().into()));
    pairs.extend(run.optimizer().hypers().into_iter().map(|(name, value)| (name, value.to_string())));
    let start = run.history()[0].theta;
    pairs.push(("lr", run.lr().to_string()));
    pairs.push(("start", format!("{},{}", start[0], start[1])));
    pairs.push(("t", run.iteration().to_string()));
    write(&pairs)
}

/// The descent run the link read by `r` describes, stepped to its iteration;
/// what cannot be used is named in `r`'s notice.
pub fn read_run(r: &mut LinkReader) -> crate::descent::run::DescentRun {
    use crate::descent::run::{check_lr, DescentRun, StepOutcome, MAX_ITERATIONS};
    use crate::descent::surface::Surface;
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
    let mut run = DescentRun::new(surface, optimizer, lr, start).expect("every value was checked");
    for _ in 0..steps {
        if !matches!(run.step(), StepOutcome::Stepped(_)) {
            break;
        }
    }
    run
}

#[cfg(test)]
mod descent_tests {
    use super::*;

    /// The descent run a link describes, stepped to its iteration, and the notice
    /// naming what was ignored. Settings missing from the link take the surface's defaults.
    pub fn descent_from_link(query: &str) -> (crate::descent::run::DescentRun, String) {
        let mut r = LinkReader::new(query);
        let run = read_run(&mut r);
        (run, r.notice())
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
