//! What the backprop lab shows in words and numbers: the phase in progress,
//! the chosen weight, the chain rule and the metrics, written from the run's
//! records at the digits shown.

use crate::tr;
use serde_json::{json, Value};

use super::BackpropLab;
use crate::draw::boundary_chart::CLASS_COLOUR_NAMES;
use crate::format::{percent, sig, superscript};
use crate::named::Named;
use crate::nn::confusion::confusion;
use crate::nn::explain::{chain_rule, ParamId};
use crate::nn::network::Network;
use crate::nn::train::{PendingUpdate, Phase, TrainingRun, UpdateWork};
use crate::update_text::{update_lines, Symbols, UpdateNumbers};

/// The phase's heading.
pub fn phase_name(p: Phase) -> String {
    match p {
        Phase::Forward(l) => tr!("Forward, layer {l}", l = l),
        Phase::Loss => tr!("Loss"),
        Phase::Backward(l) => tr!("Backward, layer {l}", l = l),
        Phase::Update => tr!("Update"),
    }
}

pub(super) fn vector(values: impl Iterator<Item = f64>, digits: usize) -> String {
    let items: Vec<String> = values.map(|v| sig(v, digits)).collect();
    format!("({})", items.join(", "))
}

impl BackpropLab {
    /// The snapshot nearest `epochs` (epochs, with fractions for the updates of mini-batches).
    fn nearest(&self, epochs: f64) -> Option<&crate::nn::train::TrainSnapshot> {
        let run = self.run();
        run.history().iter().min_by(|a, b| (run.epochs_at(a) - epochs).abs().total_cmp(&(run.epochs_at(b) - epochs).abs()))
    }

    /// Each dashed reference's name and its measurements nearest `epochs`
    /// (the ghost and the pins; see [`BackpropLab::references`]), for the
    /// references whose curves reach that far.
    fn references_near(&self, epochs: f64) -> Vec<(String, &crate::nn::train::Metrics)> {
        fn near(curves: &super::Curves, epochs: f64) -> Option<&crate::nn::train::Metrics> {
            let last = curves.last()?.0;
            if epochs > last + 0.5 {
                return None;
            }
            curves.iter().min_by(|a, b| (a.0 - epochs).abs().total_cmp(&(b.0 - epochs).abs())).map(|(_, m)| m)
        }
        self.references().into_iter().filter_map(|(name, curves)| Some((name, near(curves, epochs)?))).collect()
    }

    /// Where a snapshot sits: "epoch 3", or "epoch 3, after update 2".
    fn position(s: &crate::nn::train::TrainSnapshot) -> String {
        match s.batch {
            0 => tr!("epoch {epoch}", epoch = s.epoch),
            b => tr!("epoch {epoch}, after update {b}", epoch = s.epoch, b = b),
        }
    }

    /// What hovering the loss chart at `epochs` shows: the nearest snapshot's
    /// position, its exact losses and accuracies, and the dashed curves'
    /// (the run before the last change, the pins) there, to `digits` significant digits.
    pub fn loss_text(&self, epochs: f64, digits: usize) -> Option<String> {
        let nearest = self.nearest(epochs)?;
        let m = &nearest.metrics;
        let mut parts = vec![Self::position(nearest)];
        parts.push(tr!("train L = {value}", value = sig(m.train_loss, digits)));
        parts.extend(m.test_loss.map(|v| tr!("test L = {value}", value = sig(v, digits))));
        parts.extend(m.train_accuracy.map(|a| tr!("train accuracy {value}", value = percent(a))));
        parts.extend(m.test_accuracy.map(|a| tr!("test accuracy {value}", value = percent(a))));
        for (name, g) in self.references_near(self.run().epochs_at(nearest)) {
            parts.push(format!("{name}: {}", tr!("train L = {value}", value = sig(g.train_loss, digits))));
            parts.extend(g.test_loss.map(|v| tr!("test L = {value}", value = sig(v, digits))));
        }
        Some(parts.join(" · "))
    }

    /// What hovering the gradient-norm chart at `epochs` shows: the nearest
    /// snapshot's position and each layer's exact norm, and the dashed curves'.
    pub fn norms_text(&self, epochs: f64, digits: usize) -> Option<String> {
        let nearest = self.nearest(epochs)?;
        let layers = |norms: &[f64]| {
            norms.iter().enumerate().map(|(l, g)| format!("{}: {}", tr!("layer {c}", c = l + 1), sig(*g, digits))).collect::<Vec<_>>()
        };
        let mut parts = vec![Self::position(nearest)];
        parts.extend(layers(&nearest.metrics.grad_norms));
        for (name, g) in self.references_near(self.run().epochs_at(nearest)) {
            parts.push(format!("{name}: {}", layers(&g.grad_norms).join(", ")));
        }
        Some(parts.join(" · "))
    }
}

/// Whether the phase `phase` has computed ∂L/∂p: backward has reached p's layer, or the update is next.
fn gradient_known(phase: Phase, p: ParamId) -> bool {
    match phase {
        Phase::Backward(l) => l <= p.layer,
        Phase::Update => true,
        Phase::Forward(_) | Phase::Loss => false,
    }
}

/// The numbers a phase produced, for the first example of the batch; at the
/// update, the chosen weight's update in numbers.
pub fn phase_lines(run: &TrainingRun, work: &UpdateWork, phase: Phase, selected: ParamId, digits: usize) -> Vec<String> {
    let net = run.network();
    let first = |m: &crate::nn::matrix::Mat| vector(m.row(0).iter().copied(), digits);
    let m = work.x.rows;
    match phase {
        Phase::Forward(l) => {
            let (sup, prev) = (superscript(l), superscript(l - 1));
            let input = if l == 1 { first(&work.x) } else { first(&work.forward.a[l - 2]) };
            vec![
                format!("{}: a{prev}₁ = {input}", tr!("Example 1 of {m}", m = m)),
                format!("z{sup}₁ = a{prev}₁·W{sup} + b{sup} = {}", first(&work.forward.z[l - 1])),
                format!("a{sup}₁ = {}(z{sup}₁) = {}", net.arch.activations[l - 1].id(), first(&work.forward.a[l - 1])),
            ]
        }
        Phase::Loss => vec![
            {
                // One output is a number; a softmax's outputs are a row, one a class.
                let row = |m: &crate::nn::matrix::Mat| if m.cols == 1 { sig(m.get(0, 0), digits) } else { first(m) };
                format!("ŷ₁ = {}, y₁ = {}", work.forward.a.last().map_or_else(|| "?".into(), row), row(&work.y))
            },
            tr!("L = {loss} over the m = {m} examples of the batch", loss = sig(work.loss, digits), m = m),
        ],
        Phase::Backward(l) => {
            let o = net.arch.offsets(l);
            let norm = work.backward.grad[o.w..o.end].iter().map(|g| g * g).sum::<f64>().sqrt();
            let sup = superscript(l);
            vec![
                format!("δ{sup}₁ = {}", first(&work.backward.delta[l - 1])),
                tr!("∂L/∂W{sup} = a{prev}ᵀ·δ{sup}, ∂L/∂b{sup} = column sums of δ{sup}", sup = sup, prev = superscript(l - 1)),
                format!("‖∂L/∂W{sup}, ∂L/∂b{sup}‖ = {}", sig(norm, digits)),
            ]
        }
        Phase::Update => {
            let config = run.config;
            let penalty =
                if config.l2 > 0.0 { tr!(", λ = {lambda} on the weights", lambda = sig(config.l2, digits)) } else { String::new() };
            let mut lines = vec![tr!(
                "Update rule: {rule}, α = {alpha}{penalty}. Every weight and bias moves; for {w}, with g = ∂L/∂{w}:",
                rule = config.optimizer.shown(),
                alpha = sig(config.lr, digits),
                penalty = penalty,
                w = selected.name()
            )];
            let pending = selected.index(net).and_then(|i| run.pending_update(i));
            if let Some(PendingUpdate { before, first_before, second_before, step, after, t }) = pending {
                let numbers = UpdateNumbers {
                    before: [before],
                    after: [after],
                    first_before: [first_before],
                    second_before: [second_before],
                    steps: [step],
                    lr: config.lr,
                    t,
                };
                let name = selected.name();
                lines.extend(update_lines(config.optimizer, &Symbols { param: &name, now: "", next: "′", lr: "α" }, &numbers, digits));
            }
            lines
        }
    }
}

impl BackpropLab {
    /// The page's view of the run: where it is, its metrics, the phase in
    /// progress, the chosen weight and its chain rule, every number to `digits`.
    pub fn state(&self, digits: usize) -> Value {
        let run = &self.run;
        let now = run.current();
        let net: Network = run.current_network();
        let n = |x: f64| sig(x, digits);
        let index = self.selected.index(&net).unwrap_or(0);
        let phase = run.phase();
        let known = phase.filter(|(_, p)| gradient_known(*p, self.selected)).map(|(w, _)| w);
        let chain = known.and_then(|work| chain_rule(&net, work, self.selected, run.config.l2, digits).ok());
        json!({
            "epoch": now.epoch,
            "batch": now.batch,
            "classification": run.train_data().classification,
            "classNames": self.settings.class_count().map(|k| {
                (0..k).map(|c| tr!("class {c} ({colour})", c = c, colour = crate::i18n::tr(CLASS_COLOUR_NAMES[c]))).collect::<Vec<_>>()
            }),
            // Shown for three classes or more; each frame of Play asks, so it is counted only then.
            "confusion": self.settings.class_count().is_some_and(|k| k > 2).then(|| {
                json!({ "train": confusion(&net, run.train_data()), "test": confusion(&net, run.test_data()) })
            }),
            // The most neurons in one layer: the diagram's tallest column.
            "fullestLayer": net.arch.sizes.iter().copied().max().unwrap_or(1),
            "trainPoints": run.train_data().len(),
            "testPoints": run.test_data().len(),
            "metrics": {
                "trainLoss": n(now.metrics.train_loss),
                "testLoss": now.metrics.test_loss.map(n),
                "trainAccuracy": now.metrics.train_accuracy.map(percent),
                "testAccuracy": now.metrics.test_accuracy.map(percent),
                "gradNorms": now.metrics.grad_norms.iter().map(|g| n(*g)).collect::<Vec<_>>(),
            },
            "phase": phase.map(|(w, p)| json!({ "name": phase_name(p), "lines": phase_lines(run, w, p, self.selected, digits) })),
            "selected": {
                "name": self.selected.name(),
                "value": n(net.params[index]),
                "valueExact": net.params[index],
                "gradient": known.map(|w| n(w.backward.grad[index])),
                "gradientExact": known.map(|w| w.backward.grad[index]),
            },
            "chainRule": chain,
            "chartTexts": self.chart_texts(digits),
            "stopRule": self.stop_rule(),
            "range": self.range(),
            "sweepDefault": super::NETWORK_SWEEP,
            "stopProgress": self.stop_rule().progress(run.history(), digits),
            "stopped": self.stopped().map(|s| s.message(now.epoch, digits)),
            "retrainingTo": self.retraining_to(),
            "replayingLink": self.replaying_link(),
            "pins": self.pins(),
            "maxPins": super::MAX_PINS,
            "bestTestEpoch": super::best_test_epoch(run.history()).map(|(epoch, _)| epoch),
            "diverged": run.diverged_at().map(|k| tr!("Diverged in epoch {k}: a weight or the loss became too large to represent. Lower the learning rate, press Back or Reset.", k = k)),
        })
    }

    /// The weight or bias `p` as JSON {name, value, gradient} (the gradient
    /// once backward has reached it), or null when the network has none.
    pub fn param_json(&self, p: ParamId, digits: usize) -> Value {
        let net = self.run.current_network();
        let Some(index) = p.index(&net) else { return Value::Null };
        let gradient =
            self.run.phase().filter(|(_, phase)| gradient_known(*phase, p)).map(|(work, _)| sig(work.backward.grad[index], digits));
        json!({ "name": p.name(), "value": sig(net.params[index], digits), "gradient": gradient })
    }
}
