//! Re-training on a change of how the network trains: with "Apply from this
//! step on" off, a new α, update rule, batch size or L2 trains again from the
//! same initial weights in the same batch order up to the same epoch, and the
//! curves before the change stay as the ghost, drawn dashed to compare. The
//! page re-trains a few epochs a frame, so it never waits.

use super::{BackpropLab, LabSettings};
use crate::nn::network::Network;
use crate::nn::train::{Metrics, TrainOutcome};

/// The curves of a run: each snapshot's place in epochs and its measurements.
pub type Curves = Vec<(f64, Metrics)>;

impl BackpropLab {
    /// The run's curves now.
    pub fn curves(&self) -> Curves {
        self.run.history().iter().map(|s| (self.run.epochs_at(s), s.metrics.clone())).collect()
    }

    /// The curves before the last re-training change, if any.
    pub fn ghost(&self) -> Option<&Curves> {
        self.ghost.as_ref().map(|(curves, _)| curves)
    }

    /// The network as it was before the last re-training change, at the epoch it had reached.
    pub fn ghost_network(&self) -> Option<Network> {
        let (_, params) = self.ghost.as_ref()?;
        Some(Network { arch: self.run.network().arch.clone(), params: params.clone() })
    }

    /// The epoch a re-training is heading for, while it is under way.
    pub fn retraining_to(&self) -> Option<usize> {
        self.retrain_to
    }

    /// Whether the re-training under way replays the epochs of a link just opened.
    pub fn replaying_link(&self) -> bool {
        self.replaying_link && self.retrain_to.is_some()
    }

    /// Ends a continuous adjustment: the next change takes a new ghost.
    pub fn end_adjust(&mut self) {
        self.ghost_open = true;
    }

    /// Applies the form's settings as [`BackpropLab::configure`] does, except
    /// that a change of how the network trains (α, update rule, batch size,
    /// L2) trains again from the initial weights, in the same batch order, up
    /// to the epoch reached; [`BackpropLab::advance_retrain`] takes it there.
    /// The curves before the change become the ghost (one for a whole
    /// adjustment). Returns whether a new run started, as `configure` does.
    pub fn retrain_with(&mut self, settings: LabSettings) -> Result<bool, String> {
        let trains_differently = settings.same_structure(&self.settings) && settings.train_config() != self.settings.train_config();
        let (epoch, before) = (self.run.current().epoch, (self.curves(), self.run.current().params.clone()));
        let rebuilt = self.configure(settings)?;
        if rebuilt || !trains_differently {
            return Ok(rebuilt);
        }
        // One ghost an adjustment; none of a run cut short by a re-training
        // still under way, nor of a run at its start, which has no curve yet.
        if self.ghost_open && self.retrain_to.is_none() {
            self.ghost = (epoch > 0).then_some(before);
            self.ghost_open = false;
        }
        let target = self.retrain_to.unwrap_or(epoch);
        self.run.reset();
        (self.retrain_to, self.replaying_link) = ((target > 0).then_some(target), false);
        Ok(false)
    }

    /// Re-trains up to `epochs` more epochs towards the epoch the last change
    /// left; true while epochs remain (a divergence or the run's limit ends it).
    pub fn advance_retrain(&mut self, epochs: usize) -> bool {
        let Some(target) = self.retrain_to else { return false };
        for _ in 0..epochs {
            if self.run.current().epoch >= target || self.run.step_epoch() != TrainOutcome::Stepped {
                self.retrain_to = None;
                return false;
            }
        }
        if self.run.current().epoch >= target {
            self.retrain_to = None;
        }
        self.retrain_to.is_some()
    }

    /// Back to the initial weights; the ghost and a re-training end.
    pub fn reset(&mut self) {
        self.run.reset();
        self.forget_ghost();
    }

    /// No ghost and no re-training (a new run, or Reset).
    pub(super) fn forget_ghost(&mut self) {
        (self.ghost, self.ghost_open, self.retrain_to) = (None, true, None);
    }
}
