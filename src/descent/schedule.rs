//! Learning-rate schedules: the α of update k (k = 0, 1, 2, …) from the
//! learning rate α₀ the slider sets.
//!
//! | schedule | αₖ |
//! | --- | --- |
//! | constant | α₀ |
//! | step | α₀·γ^⌊k / every⌋ |
//! | exponential | α₀·γᵏ |
//! | inverse time | α₀ / (1 + decay·k) |
//! | cosine | α_min + (α₀ − α_min)·(1 + cos(π·min(k, steps)/steps))/2 |
//! | warm-up then cosine | α₀·k/warmup for k < warmup; then the cosine over k − warmup and steps − warmup |
//!
//! These are optax's `constant_schedule`, `exponential_decay` (with
//! `staircase` for step), `cosine_decay_schedule` and
//! `warmup_cosine_decay_schedule`.

use crate::tr;
use std::f64::consts::PI;

use crate::named::Named;

/// A learning-rate schedule and its constants (α₀ is the run's learning rate).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Schedule {
    /// αₖ = α₀: the seed's rule.
    #[default]
    Constant,
    /// αₖ = α₀·γ^⌊k / every⌋: multiplied by γ every `every` updates.
    Step { every: f64, gamma: f64 },
    /// αₖ = α₀·γᵏ.
    Exponential { gamma: f64 },
    /// αₖ = α₀ / (1 + decay·k).
    InverseTime { decay: f64 },
    /// From α₀ down to α_min along half a cosine over `steps` updates, then α_min.
    Cosine { steps: f64, alpha_min: f64 },
    /// Up from 0 to α₀ in a straight line over `warmup` updates, then the cosine
    /// from α₀ to α_min over the remaining `steps − warmup`.
    WarmupCosine { warmup: f64, steps: f64, alpha_min: f64 },
}

impl Named for Schedule {
    const WHAT: &'static str = "learning-rate schedule";
    const ALL: &'static [Schedule] = &[
        Schedule::Constant,
        Schedule::Step { every: 100.0, gamma: 0.5 },
        Schedule::Exponential { gamma: 0.99 },
        Schedule::InverseTime { decay: 0.01 },
        Schedule::Cosine { steps: 200.0, alpha_min: 0.001 },
        Schedule::WarmupCosine { warmup: 20.0, steps: 200.0, alpha_min: 0.001 },
    ];

    fn id(self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::InverseTime { .. } => "inverse_time",
            Schedule::Cosine { .. } => "cosine",
            Schedule::WarmupCosine { .. } => "warmup_cosine",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Schedule::Constant => "Constant α",
            Schedule::Step { .. } => "Step decay",
            Schedule::Exponential { .. } => "Exponential decay",
            Schedule::InverseTime { .. } => "Inverse time",
            Schedule::Cosine { .. } => "Cosine",
            Schedule::WarmupCosine { .. } => "Warm-up then cosine",
        }
    }
}

crate::serde_by_id!(Schedule);

/// A count of updates: a whole number of at least `least`.
fn whole(name: &str, value: f64, least: f64) -> Result<(), String> {
    if value.fract() == 0.0 && value >= least && value <= 1e9 {
        Ok(())
    } else {
        Err(tr!(
            "{name} must be a whole number of updates, at least {least} (got {value})",
            name = name,
            least = least,
            value = crate::format::typed(value)
        ))
    }
}

impl Schedule {
    /// αₖ, the learning rate of update k (k = 0 first) when the run's is α₀.
    pub fn lr(&self, alpha0: f64, k: usize) -> f64 {
        let k = k as f64;
        let cosine =
            |k: f64, steps: f64, alpha_min: f64| alpha_min + (alpha0 - alpha_min) * (1.0 + (PI * k.min(steps) / steps).cos()) / 2.0;
        match *self {
            Schedule::Constant => alpha0,
            Schedule::Step { every, gamma } => alpha0 * gamma.powf((k / every).floor()),
            Schedule::Exponential { gamma } => alpha0 * gamma.powf(k),
            Schedule::InverseTime { decay } => alpha0 / (1.0 + decay * k),
            Schedule::Cosine { steps, alpha_min } => cosine(k, steps, alpha_min),
            Schedule::WarmupCosine { warmup, steps, alpha_min } => {
                if k < warmup {
                    alpha0 * k / warmup
                } else {
                    cosine(k - warmup, steps - warmup, alpha_min)
                }
            }
        }
    }

    /// The constants of this schedule, by name, in display order.
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Schedule::Constant => vec![],
            Schedule::Step { every, gamma } => vec![("every", every), ("gamma", gamma)],
            Schedule::Exponential { gamma } => vec![("gamma", gamma)],
            Schedule::InverseTime { decay } => vec![("decay", decay)],
            Schedule::Cosine { steps, alpha_min } => vec![("steps", steps), ("alpha_min", alpha_min)],
            Schedule::WarmupCosine { warmup, steps, alpha_min } => {
                vec![("warmup", warmup), ("steps", steps), ("alpha_min", alpha_min)]
            }
        }
    }

    /// Sets the constant `name` to `value`, or says why it cannot be: each
    /// must keep every αₖ above 0 (after a warm-up's first update, which is 0
    /// by definition).
    pub fn set_param(&mut self, name: &str, value: f64) -> Result<(), String> {
        *self = self.with_params(&[(name, value)])?;
        Ok(())
    }

    /// This schedule with the constants `values` (by name), checked together.
    pub fn with_params(self, values: &[(&str, f64)]) -> Result<Schedule, String> {
        let mut next = self;
        for &(name, value) in values {
            let slot = match (&mut next, name) {
                (Schedule::Step { every, .. }, "every") => every,
                (Schedule::Step { gamma, .. } | Schedule::Exponential { gamma }, "gamma") => gamma,
                (Schedule::InverseTime { decay }, "decay") => decay,
                (Schedule::Cosine { steps, .. } | Schedule::WarmupCosine { steps, .. }, "steps") => steps,
                (Schedule::Cosine { alpha_min, .. } | Schedule::WarmupCosine { alpha_min, .. }, "alpha_min") => alpha_min,
                (Schedule::WarmupCosine { warmup, .. }, "warmup") => warmup,
                (schedule, _) => return Err(tr!("the {a} schedule has no constant \"{name}\"", a = schedule.id(), name = name)),
            };
            *slot = value;
        }
        next.checked()
    }

    /// The schedule, when its constants are numbers that keep αₖ above 0.
    pub fn checked(self) -> Result<Schedule, String> {
        let above_zero = |name: &str, v: f64| {
            if v > 0.0 && v.is_finite() {
                Ok(())
            } else {
                Err(tr!("{name} must be a number above 0, or α would reach 0 (got {v})", name = name, v = crate::format::typed(v)))
            }
        };
        // A decay's factor: above 0 (or α reaches 0), at most 1 (or α grows without bound).
        let factor = |v: f64| {
            above_zero("gamma", v)?;
            if v <= 1.0 {
                Ok(())
            } else {
                Err(tr!("gamma must be at most 1, or α would grow at every step (got {v})", v = crate::format::typed(v)))
            }
        };
        match self {
            Schedule::Constant => {}
            Schedule::Step { every, gamma } => {
                whole("every", every, 1.0)?;
                factor(gamma)?;
            }
            Schedule::Exponential { gamma } => factor(gamma)?,
            Schedule::InverseTime { decay } => {
                if !(decay >= 0.0 && decay.is_finite()) {
                    return Err(tr!("decay must be a number of at least 0 (got {decay})", decay = crate::format::typed(decay)));
                }
            }
            Schedule::Cosine { steps, alpha_min } => {
                whole("steps", steps, 1.0)?;
                above_zero("alpha_min", alpha_min)?;
            }
            Schedule::WarmupCosine { warmup, steps, alpha_min } => {
                whole("warmup", warmup, 1.0)?;
                whole("steps", steps, 1.0)?;
                if warmup >= steps {
                    return Err(tr!("warmup ({warmup}) must be fewer updates than steps ({steps})", warmup = warmup, steps = steps));
                }
                above_zero("alpha_min", alpha_min)?;
            }
        }
        Ok(self)
    }

    /// How many updates show the schedule's shape on a chart of αₖ: four
    /// steps of step decay, the cosine and a fifth more, the updates an
    /// exponential or inverse-time decay takes to fall to a tenth (at least 100, at most 100,000).
    pub fn span(&self) -> usize {
        let updates = match *self {
            Schedule::Constant => 100.0,
            Schedule::Step { every, .. } => 4.0 * every,
            Schedule::Exponential { gamma } => (0.1f64.ln() / gamma.ln()).abs(),
            Schedule::InverseTime { decay } => 9.0 / decay,
            Schedule::Cosine { steps, .. } | Schedule::WarmupCosine { steps, .. } => 1.2 * steps,
        };
        if updates.is_finite() {
            (updates.ceil() as usize).clamp(100, 100_000)
        } else {
            100
        }
    }

    /// The rule as the readout writes it, with its constants ("αₖ = α₀·0.5^⌊k/100⌋").
    pub fn formula(&self) -> String {
        match *self {
            Schedule::Constant => "αₖ = α₀".into(),
            Schedule::Step { every, gamma } => format!("αₖ = α₀·{gamma}^⌊k/{every}⌋"),
            Schedule::Exponential { gamma } => format!("αₖ = α₀·{gamma}ᵏ"),
            Schedule::InverseTime { decay } => format!("αₖ = α₀/(1 + {decay}·k)"),
            Schedule::Cosine { steps, alpha_min } => {
                format!("αₖ = {alpha_min} + (α₀ − {alpha_min})·(1 + cos(π·min(k, {steps})/{steps}))/2")
            }
            Schedule::WarmupCosine { warmup, steps, alpha_min } => tr!(
                "αₖ = α₀·k/{warmup} for k < {warmup}, then {alpha_min} + (α₀ − {alpha_min})·(1 + cos(π·min(k − {warmup}, {s})/{s}))/2",
                warmup = warmup,
                alpha_min = alpha_min,
                s = steps - warmup
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each schedule at a few k, worked by hand from its formula.
    #[test]
    fn each_schedule_gives_its_table_of_rates() {
        let close = |got: f64, want: f64| assert!((got - want).abs() <= 1e-15 * want.abs().max(1.0), "{got} ≠ {want}");
        let table: [(Schedule, [(usize, f64); 3]); 6] = [
            (Schedule::Constant, [(0, 0.2), (7, 0.2), (1000, 0.2)]),
            (Schedule::Step { every: 10.0, gamma: 0.5 }, [(9, 0.2), (10, 0.1), (25, 0.05)]),
            (Schedule::Exponential { gamma: 0.9 }, [(0, 0.2), (1, 0.18), (2, 0.162)]),
            (Schedule::InverseTime { decay: 0.5 }, [(0, 0.2), (2, 0.1), (6, 0.05)]),
            (Schedule::Cosine { steps: 10.0, alpha_min: 0.02 }, [(0, 0.2), (5, 0.11), (12, 0.02)]),
            (Schedule::WarmupCosine { warmup: 4.0, steps: 14.0, alpha_min: 0.02 }, [(1, 0.05), (4, 0.2), (9, 0.11)]),
        ];
        for (schedule, rows) in table {
            for (k, want) in rows {
                close(schedule.lr(0.2, k), want);
            }
        }
        assert_eq!(Schedule::WarmupCosine { warmup: 4.0, steps: 14.0, alpha_min: 0.02 }.lr(0.2, 0), 0.0, "a warm-up starts at 0");
    }

    #[test]
    fn constants_that_would_stop_the_descent_are_refused_and_the_schedule_kept() {
        let mut step = Schedule::ALL[1];
        for (name, bad) in
            [("every", 0.0), ("every", 2.5), ("gamma", 0.0), ("gamma", -0.5), ("gamma", 1.5), ("gamma", f64::NAN), ("decay", 0.1)]
        {
            assert!(step.set_param(name, bad).is_err(), "{name} = {bad}");
        }
        assert_eq!(step, Schedule::ALL[1]);
        step.set_param("gamma", 0.25).unwrap();
        assert_eq!(step, Schedule::Step { every: 100.0, gamma: 0.25 });
        let mut warm = Schedule::ALL[5];
        assert!(warm.set_param("warmup", 200.0).unwrap_err().contains("fewer"));
        assert!(warm.set_param("alpha_min", 0.0).unwrap_err().contains("above 0"));
        let long = warm.with_params(&[("warmup", 250.0), ("steps", 1000.0)]).expect("checked together, not one by one");
        assert_eq!(long, Schedule::WarmupCosine { warmup: 250.0, steps: 1000.0, alpha_min: 0.001 });
        assert!(Schedule::InverseTime { decay: -1.0 }.checked().is_err());
        assert!(Schedule::InverseTime { decay: 0.0 }.checked().is_ok());
        for schedule in Schedule::ALL {
            assert_eq!(schedule.checked(), Ok(*schedule), "the defaults are valid");
            assert!(schedule.lr(0.1, 1) > 0.0);
        }
    }

    #[test]
    fn the_span_shows_the_decay() {
        assert_eq!(Schedule::Step { every: 50.0, gamma: 0.5 }.span(), 200);
        assert_eq!(Schedule::Exponential { gamma: 0.99 }.span(), 230, "0.99²²⁹ > 0.1 > 0.99²³⁰");
        assert_eq!(Schedule::InverseTime { decay: 0.01 }.span(), 900);
        assert_eq!(Schedule::InverseTime { decay: 0.0 }.span(), 100);
        assert_eq!(Schedule::Cosine { steps: 500.0, alpha_min: 0.01 }.span(), 600);
        assert_eq!(Schedule::Exponential { gamma: 1.0 }.span(), 100, "no decay");
        assert_eq!(Schedule::Exponential { gamma: 1.0 }.checked(), Ok(Schedule::Exponential { gamma: 1.0 }), "γ = 1 is the constant α");
    }

    #[test]
    fn the_formula_names_the_constants() {
        assert_eq!(Schedule::Step { every: 100.0, gamma: 0.5 }.formula(), "αₖ = α₀·0.5^⌊k/100⌋");
        assert_eq!(Schedule::InverseTime { decay: 0.01 }.formula(), "αₖ = α₀/(1 + 0.01·k)");
    }
}
