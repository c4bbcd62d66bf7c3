//! The backprop lab's worksheet: the first k updates of the run from its
//! initial weights, followed for the chosen weight: its batch, ∂L/∂w, the
//! step and the weight after; the answer key writes out each chain rule.

use super::text::{phase_lines, vector};
use super::BackpropLab;
use crate::format::sig;
use crate::named::Named;
use crate::nn::explain::chain_rule;
use crate::nn::train::{Phase, TrainOutcome};
use crate::tr;
use crate::worksheet::{Column, Worksheet, WorksheetSettings};

impl BackpropLab {
    /// The worksheet of the first `settings.steps` updates from the initial
    /// weights, for the chosen weight, every number to `digits` significant digits.
    pub fn worksheet(&self, settings: WorksheetSettings, digits: usize) -> Result<Worksheet, String> {
        settings.check()?;
        let selected = self.selected();
        let name = selected.name();
        let mut replay = self.run().clone();
        replay.reset();
        let n = |x: f64| sig(x, digits);
        let (mut cells, mut working, mut used) = (Vec::new(), Vec::new(), Vec::new());
        'updates: for k in 1..=settings.steps {
            // The phases of one update, up to the update itself.
            loop {
                if replay.step_phase() != TrainOutcome::Stepped {
                    break 'updates;
                }
                if matches!(replay.phase(), Some((_, Phase::Update))) {
                    break;
                }
            }
            let (work, _) = replay.phase().expect("at the update phase");
            let net = replay.current_network();
            let index = selected.index(&net).ok_or_else(|| tr!("the network has no weight {name}", name = name))?;
            let pending = replay.pending_update(index).expect("the update of a weight the network has");
            let rows: Vec<String> = work.batch.iter().map(|r| (r + 1).to_string()).collect();
            used.extend(work.batch.iter().copied());
            cells.push(vec![
                k.to_string(),
                rows.join(", "),
                n(pending.before),
                n(work.backward.grad[index]),
                n(replay.config.lr * pending.step.direction),
                n(pending.after),
            ]);
            let mut lines = chain_rule(&net, work, selected, replay.config.l2, digits)?;
            lines.extend(phase_lines(&replay, work, Phase::Update, selected, digits));
            working.push(lines);
            replay.step_phase();
        }
        if cells.is_empty() {
            return Err(tr!(
                "no update can be made (no training points, or the first update is not finite): there is nothing to write out"
            ));
        }
        let columns = [
            (tr!("update"), Column::Given),
            (tr!("training points of the batch"), Column::Given),
            (tr!("{name} before", name = name), Column::Given),
            (format!("g = ∂L/∂{name}"), Column::Gradient),
            (tr!("step α·d"), Column::Step),
            (tr!("{name} after", name = name), Column::After),
        ];
        let run = self.run();
        let arch = &run.network().arch;
        let layers: Vec<String> = (1..=arch.layers())
            .map(|l| match arch.sizes[l] {
                1 => tr!("layer {l}: 1 {activation} neuron", l = l, activation = arch.activations[l - 1].label()),
                size => tr!("layer {l}: {size} {activation} neurons", l = l, size = size, activation = arch.activations[l - 1].label()),
            })
            .collect();
        let initial = run.network();
        let mut problem = vec![
            tr!(
                "A network of {inputs} inputs; {layers}; loss {loss}.",
                inputs = arch.sizes[0],
                layers = layers.join(", "),
                loss = arch.loss.shown()
            ),
            tr!(
                "{rule}, α = {alpha}, batches of {size} training points.",
                rule = run.config.optimizer.shown(),
                alpha = n(run.config.lr),
                size = run.batch_size()
            ),
        ];
        if run.config.l2 > 0.0 {
            problem.push(tr!("L2 penalty λ = {lambda} on the weights: ∂L/∂w gains λ·w.", lambda = n(run.config.l2)));
        }
        problem.push(tr!("The initial weights (Wˡ row by row, a row for each input of the layer) and biases:"));
        for l in 1..=arch.layers() {
            let o = arch.offsets(l);
            let rows: Vec<String> = initial.params[o.w..o.b].chunks(o.n_out).map(|row| vector(row.iter().copied(), digits)).collect();
            problem.push(format!(
                "W{} = {}; b{} = {}",
                crate::format::superscript(l),
                rows.join(" "),
                crate::format::superscript(l),
                vector(initial.params[o.b..o.end].iter().copied(), digits)
            ));
        }
        problem.push(tr!(
            "Follow the weight {name} through each update: ∂L/∂{name} sums, over the points of the batch, the input it multiplies times the δ of the neuron it feeds.",
            name = name
        ));
        problem.push(tr!("Fill in the empty cells, each number to {digits} significant digits.", digits = digits));
        used.sort_unstable();
        used.dedup();
        let train = run.train_data();
        let data_rows = used
            .iter()
            .map(|&r| {
                let mut row = vec![(r + 1).to_string()];
                row.extend(train.x.row(r).iter().map(|v| n(*v)));
                row.extend(train.y.row(r).iter().map(|v| n(*v)));
                row
            })
            .collect();
        let mut names = vec![tr!("point")];
        names.extend((1..=train.x.cols).map(|i| format!("x{}", crate::format::subscript(i))));
        names.extend(
            (1..=train.y.cols).map(|i| if train.y.cols == 1 { "y".to_string() } else { format!("y{}", crate::format::subscript(i)) }),
        );
        let title = match cells.len() {
            1 => tr!("Backpropagation by hand: {name} over 1 update", name = name),
            k => tr!("Backpropagation by hand: {name} over {k} updates", name = name, k = k),
        };
        Ok(Worksheet::new(title, problem, Some((names, data_rows)), &columns, cells, working, settings.blanks))
    }
}
