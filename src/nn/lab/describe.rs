//! What the loss chart, the decision boundary, the diagram and the gradient norms show now, in words: their
//! text alternatives for screen readers, written from the run's own metrics at
//! the readout's digits.

use serde_json::{json, Value};

use super::BackpropLab;
use crate::format::{percent, sig};
use crate::named::Named;

/// "1 epoch", "3 epochs", "3 epochs and 2 updates".
fn trained_for(epoch: usize, batch: usize) -> String {
    let count = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    match batch {
        0 => count(epoch, "epoch", "epochs"),
        b => format!("{} and {}", count(epoch, "epoch", "epochs"), count(b, "update", "updates")),
    }
}

impl BackpropLab {
    /// The text alternatives of the loss chart, the decision boundary, the network diagram and the gradient norms.
    pub fn chart_texts(&self, digits: usize) -> Value {
        let run = self.run();
        let (first, now) = (&run.history()[0], run.current());
        let n = |x: f64| sig(x, digits);
        let span = trained_for(now.epoch, now.batch);
        let started = now.epoch == 0 && now.batch == 0;
        let mut loss = if started {
            format!("Training loss {} at the start, before any epoch", n(first.metrics.train_loss))
        } else {
            let (from, to) = (first.metrics.train_loss, now.metrics.train_loss);
            let verb = if to < from {
                "fell"
            } else if to > from {
                "rose"
            } else {
                "stayed"
            };
            format!("Training loss {verb} from {} to {} over {span}", n(from), n(to))
        };
        if let Some(test) = now.metrics.test_loss {
            loss += &format!("; test loss {}", n(test));
        }
        if let Some(accuracy) = now.metrics.train_accuracy {
            loss += &format!("; training accuracy {}", percent(accuracy));
        }
        let points = run.train_data().len();
        let after = if started { "at the start".to_string() } else { format!("after {span}") };
        let boundary = match now.metrics.train_accuracy {
            Some(accuracy) => format!("The class the network gives each point of the plane {after}: {} of the {points} training points lie in their own class's region", percent(accuracy)),
            None => format!("The network's output against x {after}, with the {points} training points"),
        };
        let arch = &run.network().arch;
        let layers: Vec<String> = (1..arch.layers()).map(|l| format!("{} {}", arch.sizes[l], arch.activations[l - 1].label())).collect();
        let hidden = match layers.len() {
            0 => "no hidden layer".to_string(),
            1 => format!("a hidden layer of {}", layers[0]),
            _ => format!("hidden layers of {}", layers.join(", ")),
        };
        let selected = self.selected();
        // The index depends on the shape alone: the network's own weights are not copied each frame.
        let value = selected.index(run.network()).map(|i| n(now.params[i])).unwrap_or_default();
        let network = format!(
            "{} inputs, {hidden}, {} {} output{}; the weight followed, {}, is {value}",
            arch.sizes[0],
            arch.sizes[arch.layers()],
            arch.activations[arch.layers() - 1].label(),
            if arch.sizes[arch.layers()] == 1 { "" } else { "s" },
            selected.name()
        );
        let norms: Vec<String> = now.metrics.grad_norms.iter().enumerate().map(|(l, g)| format!("layer {}: {}", l + 1, n(*g))).collect();
        let norms = format!("The gradient's norm in each layer {after}: {}", norms.join(", "));
        json!({ "loss": format!("{loss}."), "boundary": format!("{boundary}."), "network": format!("{network}."), "norms": format!("{norms}.") })
    }
}
