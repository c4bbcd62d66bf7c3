//! What the loss chart, the decision boundary, the diagram and the gradient norms show now, in words: their
//! text alternatives for screen readers, written from the run's own metrics at
//! the readout's digits.

use crate::tr;
use serde_json::{json, Value};

use super::BackpropLab;
use crate::format::{percent, sig};
use crate::named::Named;

/// "1 epoch", "3 epochs", "3 epochs and 2 updates".
fn trained_for(epoch: usize, batch: usize) -> String {
    let epochs = if epoch == 1 { tr!("1 epoch") } else { tr!("{n} epochs", n = epoch) };
    match batch {
        0 => epochs,
        1 => tr!("{epochs} and 1 update", epochs = epochs),
        b => tr!("{epochs} and {n} updates", epochs = epochs, n = b),
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
            tr!("Training loss {value} at the start, before any epoch", value = n(first.metrics.train_loss))
        } else {
            let (from, to) = (first.metrics.train_loss, now.metrics.train_loss);
            let (a, b) = (n(from), n(to));
            if to < from {
                tr!("Training loss fell from {from} to {to} over {span}", from = a, to = b, span = span)
            } else if to > from {
                tr!("Training loss rose from {from} to {to} over {span}", from = a, to = b, span = span)
            } else {
                tr!("Training loss stayed from {from} to {to} over {span}", from = a, to = b, span = span)
            }
        };
        if let Some(test) = now.metrics.test_loss {
            loss += &tr!("; test loss {value}", value = n(test));
        }
        if let Some(accuracy) = now.metrics.train_accuracy {
            loss += &tr!("; training accuracy {value}", value = percent(accuracy));
        }
        let points = run.train_data().len();
        let after = if started { tr!("at the start") } else { tr!("after {span}", span = span) };
        let boundary = match now.metrics.train_accuracy {
            Some(accuracy) => tr!(
                "The class the network gives each point of the plane {after}: {share} of the {points} training points lie in their own class's region",
                after = after,
                share = percent(accuracy),
                points = points
            ),
            None => tr!("The network's output against x {after}, with the {points} training points", after = after, points = points),
        };
        let arch = &run.network().arch;
        let layers: Vec<String> = (1..arch.layers()).map(|l| format!("{} {}", arch.sizes[l], arch.activations[l - 1].shown())).collect();
        let hidden = match layers.len() {
            0 => tr!("no hidden layer"),
            1 => tr!("a hidden layer of {layer}", layer = layers[0]),
            _ => tr!("hidden layers of {layers}", layers = layers.join(", ")),
        };
        let selected = self.selected();
        // The index depends on the shape alone: the network's own weights are not copied each frame.
        let value = selected.index(run.network()).map(|i| n(now.params[i])).unwrap_or_default();
        let outputs = arch.sizes[arch.layers()];
        let output = arch.activations[arch.layers() - 1].shown();
        let network = if outputs == 1 {
            tr!(
                "{inputs} inputs, {hidden}, 1 {output} output; the weight followed, {w}, is {value}",
                inputs = arch.sizes[0],
                hidden = hidden,
                output = output,
                w = selected.name(),
                value = value
            )
        } else {
            tr!(
                "{inputs} inputs, {hidden}, {outputs} {output} outputs; the weight followed, {w}, is {value}",
                inputs = arch.sizes[0],
                hidden = hidden,
                outputs = outputs,
                output = output,
                w = selected.name(),
                value = value
            )
        };
        let norms: Vec<String> =
            now.metrics.grad_norms.iter().enumerate().map(|(l, g)| format!("{}: {}", tr!("layer {c}", c = l + 1), n(*g))).collect();
        let norms = tr!("The gradient's norm in each layer {after}: {norms}", after = after, norms = norms.join(", "));
        let sentence = |text: String| tr!("{text}.", text = text);
        json!({ "loss": sentence(loss), "boundary": sentence(boundary), "network": sentence(network), "norms": sentence(norms) })
    }
}
