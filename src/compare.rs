//! A comparison of runs that step together, one press of a shared clock at a
//! time: optimizers racing on one surface (descent lab). Each run steps at
//! every press until it diverges or is halted (its stopping condition holds),
//! and then waits where it is while the others go on; so where each run
//! stands is a function of the clock, and stepping back is exact for all.
use crate::tr;

/// The most runs a comparison holds.
pub const MAX_RUNS: usize = 6;

/// A run that can take part in a comparison.
pub trait Lane {
    /// Steps taken so far.
    fn position(&self) -> usize;
    /// Whether the run holds as many steps as it can keep (it takes no more).
    fn is_full(&self) -> bool;
    /// One step; false when it could not be taken (the run diverged or is full).
    fn advance(&mut self) -> bool;
    /// Back to where the run stood after press `clock` of the clock: steps
    /// beyond it are undone, and a divergence met after it is forgotten.
    fn rewind(&mut self, clock: usize);
    /// Back to its start.
    fn restart(&mut self);
}

/// Runs stepping together; press `clock` is the number of presses since the start.
#[derive(Clone, Debug)]
pub struct Comparison<R> {
    runs: Vec<R>,
    clock: usize,
}

impl<R: Lane> Comparison<R> {
    /// A comparison of 1 to [`MAX_RUNS`] runs, each at its start.
    pub fn new(mut runs: Vec<R>) -> Result<Comparison<R>, String> {
        check_count(runs.len())?;
        runs.iter_mut().for_each(Lane::restart);
        Ok(Comparison { runs, clock: 0 })
    }

    pub fn runs(&self) -> &[R] {
        &self.runs
    }

    /// Presses of Step so far.
    pub fn clock(&self) -> usize {
        self.clock
    }

    /// One press: every run that has kept up, is not full and is not `halted`
    /// steps (and may diverge). Returns false, the clock unmoved, when no run could step.
    pub fn step(&mut self, halted: impl Fn(&R) -> bool) -> bool {
        let next = self.clock + 1;
        let mut stepped = false;
        for run in &mut self.runs {
            if run.position() + 1 == next && !run.is_full() && !halted(run) {
                run.advance();
                stepped = true;
            }
        }
        if stepped {
            self.clock = next;
        }
        stepped
    }

    /// Undoes the last press for every run; false at the start.
    pub fn back(&mut self) -> bool {
        if self.clock == 0 {
            return false;
        }
        self.clock -= 1;
        let clock = self.clock;
        self.runs.iter_mut().for_each(|run| run.rewind(clock));
        true
    }

    /// Every run back to its start.
    pub fn reset(&mut self) {
        self.clock = 0;
        self.runs.iter_mut().for_each(Lane::restart);
    }

    /// Adds `run`, brought up to the clock as if it had raced from the start.
    pub fn add(&mut self, run: R, halted: impl Fn(&R) -> bool) -> Result<(), String> {
        check_count(self.runs.len() + 1)?;
        self.runs.push(run);
        self.replay(self.runs.len() - 1, halted);
        Ok(())
    }

    /// Removes run `index`; one run always remains.
    pub fn remove(&mut self, index: usize) -> Result<R, String> {
        if index >= self.runs.len() {
            return Err(tr!("there is no run {a}", a = index + 1));
        }
        if self.runs.len() == 1 {
            return Err(tr!("a race keeps at least one run"));
        }
        let removed = self.runs.remove(index);
        self.settle();
        Ok(removed)
    }

    /// Changes run `index` with `change`, then runs it again from its start up
    /// to the clock (a change of its settings holds from its first step).
    pub fn change<T>(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut R) -> Result<T, String>,
        halted: impl Fn(&R) -> bool,
    ) -> Result<T, String> {
        let run = self.runs.get_mut(index).ok_or_else(|| tr!("there is no run {a}", a = index + 1))?;
        let out = change(run)?;
        self.replay(index, halted);
        self.settle();
        Ok(out)
    }

    /// Every run changed by `change` and run again up to the clock; on an
    /// error no run has changed.
    pub fn change_all(&mut self, change: impl Fn(&mut R) -> Result<(), String>, halted: impl Fn(&R) -> bool) -> Result<(), String>
    where
        R: Clone,
    {
        let mut changed = self.runs.clone();
        changed.iter_mut().try_for_each(&change)?;
        self.runs = changed;
        for index in 0..self.runs.len() {
            self.replay(index, &halted);
        }
        self.settle();
        Ok(())
    }

    /// Run `index` from its start, stepping with the clock's presses until it halts.
    fn replay(&mut self, index: usize, halted: impl Fn(&R) -> bool) {
        let run = &mut self.runs[index];
        run.restart();
        while run.position() < self.clock && !run.is_full() && !halted(run) && run.advance() {}
    }

    /// After a change of the runs: the clock goes back to the furthest run
    /// (a press no run can take is no press), each run rewound to it.
    fn settle(&mut self) {
        self.clock = self.runs.iter().map(Lane::position).max().unwrap_or(0).min(self.clock);
        let clock = self.clock;
        self.runs.iter_mut().for_each(|run| run.rewind(clock));
    }
}

fn check_count(n: usize) -> Result<(), String> {
    match n {
        0 => Err(tr!("a race needs at least one run")),
        n if n > MAX_RUNS => Err(tr!("a race holds at most {max_runs} runs", max_runs = MAX_RUNS)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that counts its steps and diverges at step `diverges_at`.
    #[derive(Clone, Debug, PartialEq)]
    struct Counter {
        steps: usize,
        diverges_at: usize,
        diverged: Option<usize>,
    }

    impl Lane for Counter {
        fn position(&self) -> usize {
            self.steps
        }
        fn is_full(&self) -> bool {
            self.steps >= 50
        }
        fn advance(&mut self) -> bool {
            if self.diverged.is_some() || self.steps + 1 == self.diverges_at {
                self.diverged = Some(self.steps + 1);
                return false;
            }
            self.steps += 1;
            true
        }
        fn rewind(&mut self, clock: usize) {
            self.steps = self.steps.min(clock);
            if self.diverged.is_some_and(|k| k > clock) {
                self.diverged = None;
            }
        }
        fn restart(&mut self) {
            (self.steps, self.diverged) = (0, None);
        }
    }

    fn counter(diverges_at: usize) -> Counter {
        Counter { steps: 0, diverges_at, diverged: None }
    }

    #[test]
    fn runs_step_together_and_one_that_diverges_stops_alone() {
        let mut race = Comparison::new(vec![counter(usize::MAX), counter(4)]).unwrap();
        for _ in 0..6 {
            assert!(race.step(|_| false));
        }
        assert_eq!(race.runs().iter().map(Lane::position).collect::<Vec<_>>(), [6, 3]);
        assert_eq!(race.runs()[1].diverged, Some(4));
        race.back();
        race.back();
        assert_eq!(race.runs()[1].diverged, Some(4), "it diverged at press 4, before the clock's 4");
        race.back();
        assert_eq!((race.clock(), race.runs()[1].diverged), (3, None), "back before press 4: it has not diverged yet");
        assert_eq!(race.runs().iter().map(Lane::position).collect::<Vec<_>>(), [3, 3]);
        let clock = race.clock();
        let mut done = Comparison::new(vec![counter(2)]).unwrap();
        assert!(done.step(|_| false) && done.step(|_| false), "the second press diverges");
        assert!(!done.step(|_| false), "then no run can step");
        assert_eq!(done.clock(), 2, "and the clock waits");
        let mut full = Comparison::new(vec![counter(usize::MAX)]).unwrap();
        while full.step(|_| false) {}
        assert_eq!((full.clock(), full.runs()[0].steps), (50, 50), "a full run takes no more steps, and the clock waits for it");
        assert_eq!(clock, 3);
        race.reset();
        assert!(!race.back());
    }

    #[test]
    fn a_halted_run_waits_and_back_returns_each_run_exactly() {
        // Run 0 halts after 5 steps; run 1 diverges at its 7th.
        let halted = |c: &Counter| c.diverges_at == usize::MAX && c.steps >= 5;
        let mut race = Comparison::new(vec![counter(usize::MAX), counter(7)]).unwrap();
        let mut states = Vec::new();
        for _ in 0..10 {
            let before = race.runs().to_vec();
            if race.step(halted) {
                states.push(before);
            }
        }
        assert_eq!(race.runs().iter().map(Lane::position).collect::<Vec<_>>(), [5, 6]);
        assert_eq!((race.clock(), states.len()), (7, 7), "the seventh press met the divergence; then nothing could step");
        for expected in states.iter().rev() {
            race.back();
            assert_eq!(race.runs(), &expected[..], "at clock {}", race.clock());
        }
    }

    #[test]
    fn adding_or_changing_a_run_brings_it_up_to_the_clock() {
        let mut race = Comparison::new(vec![counter(usize::MAX)]).unwrap();
        for _ in 0..5 {
            race.step(|_| false);
        }
        race.add(counter(3), |_| false).unwrap();
        assert_eq!((race.runs()[1].steps, race.runs()[1].diverged), (2, Some(3)), "as if it had raced from the start");
        race.change(
            1,
            |c| {
                c.diverges_at = 100;
                Ok(())
            },
            |_| false,
        )
        .unwrap();
        assert_eq!((race.runs()[1].steps, race.runs()[1].diverged), (5, None));
        assert!(race.change(1, |_| Err::<(), _>("no".into()), |_| false).is_err());
        for _ in 0..4 {
            race.add(counter(9), |_| false).unwrap();
        }
        assert!(race.add(counter(9), |_| false).unwrap_err().contains("at most 6"));
        while race.runs().len() > 1 {
            race.remove(0).unwrap();
        }
        assert!(race.remove(0).unwrap_err().contains("at least one"));
        assert!(Comparison::<Counter>::new(vec![]).is_err());
        // Removing the run that went furthest takes the clock back to the rest.
        let mut race = Comparison::new(vec![counter(usize::MAX), counter(3)]).unwrap();
        for _ in 0..6 {
            race.step(|_| false);
        }
        race.remove(0).unwrap();
        assert_eq!(race.clock(), 2, "the other run diverged at its third step: a press it cannot take is no press");
        assert!(race.back() && race.clock() == 1 && race.runs()[0].steps == 1);
    }
}
