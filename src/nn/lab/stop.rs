//! When training stops by itself: a target training loss or accuracy, early
//! stopping when the test loss has not improved for a while, or a number of
//! epochs. Play stops at the first that holds; Step may still go on.

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::format::{percent, sig};
use crate::link::{count, number, LinkReader};
use crate::nn::train::TrainSnapshot;

/// The stopping conditions of training, each off when `None`; they are
/// checked at the end of each epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainStopRule {
    /// Stop when the training loss is below this.
    pub train_loss: Option<f64>,
    /// Early stopping: stop when the test loss has not improved on its best for this many epochs.
    pub patience: Option<usize>,
    /// Stop when the training accuracy reaches this share (classification).
    pub accuracy: Option<f64>,
    /// Stop at this epoch.
    pub epochs: Option<usize>,
}

impl Default for TrainStopRule {
    /// At most 5,000 epochs.
    fn default() -> Self {
        TrainStopRule { train_loss: None, patience: None, accuracy: None, epochs: Some(5_000) }
    }
}

/// Which condition held.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrainStop {
    TrainLoss {
        loss: f64,
        target: f64,
    },
    /// The test loss was lowest at epoch `best`, `patience` epochs ago or more.
    NoImprovement {
        best: usize,
        best_loss: f64,
        patience: usize,
    },
    Accuracy {
        accuracy: f64,
        target: f64,
    },
    Epochs {
        limit: usize,
    },
}

impl TrainStopRule {
    /// The rule, when the loss target is a positive number, the patience and
    /// the epochs at least 1, and the accuracy target a share in (0, 1].
    pub fn checked(self) -> Result<TrainStopRule, String> {
        if let Some(v) = self.train_loss {
            if !(v > 0.0 && v.is_finite()) {
                return Err(tr!("the target training loss must be a number above 0 (got {v})", v = crate::format::typed(v)));
            }
        }
        if let Some(v) = self.accuracy {
            if !(v > 0.0 && v <= 1.0) {
                return Err(tr!("the target accuracy is a share above 0 and at most 1 (got {v})", v = crate::format::typed(v)));
            }
        }
        if self.patience == Some(0) || self.epochs == Some(0) {
            return Err(tr!("the patience and the most epochs must be at least 1"));
        }
        Ok(self)
    }

    /// The rule's part of a link: each condition that differs from the default, "off" or its value.
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        let default = TrainStopRule::default();
        let write = |v: Option<f64>| v.map_or_else(|| "off".to_string(), |x| x.to_string());
        let count = |v: Option<usize>| v.map(|n| n as f64);
        [
            ("until_loss", self.train_loss, default.train_loss),
            ("until_patience", count(self.patience), count(default.patience)),
            ("until_acc", self.accuracy, default.accuracy),
            ("until_epochs", count(self.epochs), count(default.epochs)),
        ]
        .into_iter()
        .filter(|(_, mine, theirs)| mine != theirs)
        .map(|(key, mine, _)| (key, write(mine)))
        .collect()
    }

    /// The rule a link holds, the default standing in for what it lacks or
    /// cannot use (named in `r`'s notice).
    pub fn read_link(r: &mut LinkReader) -> TrainStopRule {
        let mut rule = TrainStopRule::default();
        let off_or = |v: &str, read: &dyn Fn(&str) -> Result<f64, String>| if v == "off" { Ok(None) } else { read(v).map(Some) };
        let share = |v: &str| number(v).and_then(|x| if x > 0.0 && x <= 1.0 { Ok(x) } else { Err("not a share".into()) });
        let positive = |v: &str| number(v).and_then(|x| if x > 0.0 { Ok(x) } else { Err("not above 0".into()) });
        let whole = |v: &str| count(v).and_then(|n| if n > 0 { Ok(n as f64) } else { Err("0".into()) });
        if let Some(v) = r.read("until_loss", |v| off_or(v, &positive)) {
            rule.train_loss = v;
        }
        if let Some(v) = r.read("until_patience", |v| off_or(v, &whole)) {
            rule.patience = v.map(|n| n as usize);
        }
        if let Some(v) = r.read("until_acc", |v| off_or(v, &share)) {
            rule.accuracy = v;
        }
        if let Some(v) = r.read("until_epochs", |v| off_or(v, &whole)) {
            rule.epochs = v.map(|n| n as usize);
        }
        rule
    }

    /// Each active condition's value now beside its target, for the readout.
    pub fn progress(&self, history: &[TrainSnapshot], digits: usize) -> Vec<String> {
        let n = |x: f64| sig(x, digits);
        let Some(now) = history.last() else { return Vec::new() };
        let m = &now.metrics;
        let mut lines = Vec::new();
        if let Some(target) = self.train_loss {
            lines.push(tr!("training loss {value}, stop below {target}", value = n(m.train_loss), target = n(target)));
        }
        if let (Some(patience), Some((best, loss))) = (self.patience, best_test_epoch(history)) {
            lines.push(tr!(
                "best test loss {loss} at epoch {best}, {since} epochs since, stop at {patience}",
                loss = n(loss),
                best = best,
                since = now.epoch - best,
                patience = patience
            ));
        }
        if let (Some(target), Some(accuracy)) = (self.accuracy, m.train_accuracy) {
            lines.push(tr!("training accuracy {value}, stop at {target}", value = percent(accuracy), target = percent(target)));
        }
        if let Some(limit) = self.epochs {
            lines.push(tr!("epoch {epoch}, stop at {limit}", epoch = now.epoch, limit = limit));
        }
        lines
    }

    /// The first condition that holds after the last of `history`'s epochs
    /// (snapshots at the start of an epoch, batch 0), if any.
    pub fn met(&self, history: &[TrainSnapshot]) -> Option<TrainStop> {
        let now = history.last()?;
        self.met_at(now, best_test_epoch(history))
    }

    /// The first epoch of `history` after which a condition held, as its index
    /// in `history`, and which, if any.
    pub fn first_met(&self, history: &[TrainSnapshot]) -> Option<(usize, TrainStop)> {
        let mut best: Option<(usize, f64)> = None;
        history.iter().enumerate().find_map(|(i, now)| {
            if let (0, Some(loss)) = (now.batch, now.metrics.test_loss) {
                if best.is_none_or(|(_, best_loss)| loss < best_loss) {
                    best = Some((now.epoch, loss));
                }
            }
            self.met_at(now, best).map(|stop| (i, stop))
        })
    }

    /// The first condition that holds at `now`, the best test epoch so far being `best`.
    fn met_at(&self, now: &TrainSnapshot, best: Option<(usize, f64)>) -> Option<TrainStop> {
        if now.batch != 0 {
            return None;
        }
        let m = &now.metrics;
        if let Some(target) = self.train_loss.filter(|t| m.train_loss < *t) {
            return Some(TrainStop::TrainLoss { loss: m.train_loss, target });
        }
        if let (Some(patience), Some((best, best_loss))) = (self.patience, best) {
            if now.epoch >= best + patience {
                return Some(TrainStop::NoImprovement { best, best_loss, patience });
            }
        }
        if let (Some(target), Some(accuracy)) = (self.accuracy, m.train_accuracy) {
            if accuracy >= target {
                return Some(TrainStop::Accuracy { accuracy, target });
            }
        }
        match self.epochs {
            Some(limit) if now.epoch >= limit => Some(TrainStop::Epochs { limit }),
            _ => None,
        }
    }
}

/// The epoch of the lowest test loss among the epochs' snapshots (the first of equals), and that loss.
pub fn best_test_epoch(history: &[TrainSnapshot]) -> Option<(usize, f64)> {
    history.iter().filter(|s| s.batch == 0).filter_map(|s| s.metrics.test_loss.map(|loss| (s.epoch, loss))).fold(
        None,
        |best, (epoch, loss)| match best {
            Some((_, best_loss)) if best_loss <= loss => best,
            _ => Some((epoch, loss)),
        },
    )
}

impl TrainStop {
    /// What the page says, at `digits` significant digits.
    pub fn message(&self, epoch: usize, digits: usize) -> String {
        let n = |x: f64| sig(x, digits);
        match *self {
            TrainStop::TrainLoss { loss, target } => {
                tr!("Stopped at epoch {epoch}: the training loss {a} is below {b}", epoch = epoch, a = n(loss), b = n(target))
            }
            TrainStop::NoImprovement { best, best_loss, patience } => tr!(
                "Stopped early at epoch {epoch}: the test loss has not gone below its best, {a} at epoch {best}, for {patience} epochs",
                epoch = epoch,
                a = n(best_loss),
                best = best,
                patience = patience
            ),
            TrainStop::Accuracy { accuracy, target } => {
                tr!(
                    "Stopped at epoch {epoch}: the training accuracy {a} reached {b}",
                    epoch = epoch,
                    a = percent(accuracy),
                    b = percent(target)
                )
            }
            TrainStop::Epochs { limit } => {
                tr!("Stopped at epoch {epoch}: the most epochs, {limit}, are done", epoch = epoch, limit = limit)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::train::Metrics;
    use crate::optim::OptimState;

    /// Epoch snapshots with these training and test losses (accuracy 1 − train loss).
    fn history(losses: &[(f64, f64)]) -> Vec<TrainSnapshot> {
        losses
            .iter()
            .enumerate()
            .map(|(epoch, &(train_loss, test_loss))| TrainSnapshot {
                epoch,
                batch: 0,
                params: vec![epoch as f64],
                state: OptimState::default(),
                metrics: Metrics {
                    train_loss,
                    test_loss: Some(test_loss),
                    train_accuracy: Some(1.0 - train_loss),
                    test_accuracy: None,
                    grad_norms: vec![],
                },
            })
            .collect()
    }

    /// The test loss falls to 0.30 at epoch 3, then turns up while the training loss still falls.
    const CURVE: [(f64, f64); 8] = [(0.9, 0.9), (0.7, 0.6), (0.5, 0.4), (0.4, 0.30), (0.3, 0.31), (0.25, 0.30), (0.2, 0.33), (0.15, 0.36)];

    #[test]
    fn early_stopping_waits_its_patience_after_the_best_test_epoch() {
        let rule = TrainStopRule { patience: Some(3), epochs: None, ..TrainStopRule::default() };
        let h = history(&CURVE);
        assert_eq!(best_test_epoch(&h), Some((3, 0.30)), "the first of equal losses is the best");
        let first = (1..=h.len()).find(|&n| rule.met(&h[..n]).is_some()).unwrap();
        assert_eq!(first - 1, 6, "epoch 6 is the third without improvement");
        assert_eq!(rule.first_met(&h), Some((6, TrainStop::NoImprovement { best: 3, best_loss: 0.30, patience: 3 })), "in one pass");
        assert_eq!(rule.met(&h[..7]), Some(TrainStop::NoImprovement { best: 3, best_loss: 0.30, patience: 3 }));
        assert_eq!(
            rule.met(&h[..7]).unwrap().message(6, 3),
            "Stopped early at epoch 6: the test loss has not gone below its best, 0.3 at epoch 3, for 3 epochs"
        );
    }

    #[test]
    fn targets_and_the_epoch_cap_stop_when_reached() {
        let h = history(&CURVE);
        let first = |rule: TrainStopRule| {
            let by_prefix = (1..=h.len()).find(|&n| rule.met(&h[..n]).is_some()).map(|n| n - 1);
            assert_eq!(rule.first_met(&h).map(|(i, _)| i), by_prefix, "one pass agrees with each prefix: {rule:?}");
            by_prefix
        };
        let none = TrainStopRule { epochs: None, ..TrainStopRule::default() };
        assert_eq!(first(TrainStopRule { train_loss: Some(0.26), ..none }), Some(5));
        assert_eq!(first(TrainStopRule { train_loss: Some(0.25), ..none }), Some(6), "below is strict: 0.25 at epoch 5 is not below 0.25");
        assert_eq!(first(TrainStopRule { accuracy: Some(0.8), ..none }), Some(6));
        assert_eq!(first(TrainStopRule { epochs: Some(4), ..none }), Some(4));
        assert_eq!(first(none), None);
        let mut inside = h[..3].to_vec();
        inside.last_mut().unwrap().batch = 2;
        assert_eq!(TrainStopRule { epochs: Some(1), ..none }.met(&inside), None, "only at the end of an epoch");
    }

    #[test]
    fn the_readout_shows_each_active_condition_beside_its_target() {
        let h = history(&CURVE);
        let all = TrainStopRule { train_loss: Some(0.1), patience: Some(3), accuracy: Some(0.95), epochs: Some(100) };
        assert_eq!(
            all.progress(&h[..6], 3),
            [
                "training loss 0.25, stop below 0.1",
                "best test loss 0.3 at epoch 3, 2 epochs since, stop at 3",
                "training accuracy 75.0%, stop at 95.0%",
                "epoch 5, stop at 100"
            ]
        );
    }

    #[test]
    fn a_rule_goes_through_a_link_and_bad_values_are_named() {
        let rule = TrainStopRule { train_loss: Some(0.05), patience: Some(20), accuracy: Some(0.9), epochs: None };
        let link = crate::link::write(&rule.link_pairs());
        let mut r = LinkReader::new(&link);
        assert_eq!(TrainStopRule::read_link(&mut r), rule);
        assert_eq!(r.notice(), "");
        assert!(link.contains("until_epochs=off"));
        for bad in ["until_acc=0", "until_acc=1.5", "until_loss=0", "until_loss=-1", "until_patience=0", "until_epochs=0"] {
            let mut r = LinkReader::new(bad);
            assert_eq!(TrainStopRule::read_link(&mut r), TrainStopRule::default(), "{bad}");
            assert!(r.notice().contains(bad.split('=').next().unwrap()), "{bad}");
        }
        let mut r = LinkReader::new("until_acc=1");
        assert_eq!(TrainStopRule::read_link(&mut r).accuracy, Some(1.0), "all right is a share");
    }

    #[test]
    fn bad_targets_are_refused() {
        let none = TrainStopRule::default();
        for bad in [
            TrainStopRule { train_loss: Some(0.0), ..none },
            TrainStopRule { train_loss: Some(f64::NAN), ..none },
            TrainStopRule { accuracy: Some(1.5), ..none },
            TrainStopRule { accuracy: Some(0.0), ..none },
            TrainStopRule { patience: Some(0), ..none },
            TrainStopRule { epochs: Some(0), ..none },
        ] {
            assert!(bad.checked().is_err(), "{bad:?}");
        }
        assert!(TrainStopRule { accuracy: Some(1.0), patience: Some(20), train_loss: Some(0.05), epochs: Some(1) }.checked().is_ok());
    }
}
