//! The chain rule in numbers, for one chosen weight of the update in progress.

use crate::named::Named;
use crate::tr;
use serde::{Deserialize, Serialize};

use super::network::{Architecture, Network};
use super::train::UpdateWork;
use crate::format::sig;

/// How many examples of the batch are written out term by term.
const SHOWN_EXAMPLES: usize = 4;

/// A weight or bias of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamId {
    /// l = 1 … L: the layer the parameter feeds.
    pub layer: usize,
    /// i: the neuron of layer l − 1 it comes from; None for the bias bˡⱼ.
    pub from: Option<usize>,
    /// j: the neuron of layer l it goes to.
    pub to: usize,
}

impl ParamId {
    /// Its index in `Network::params`, when it exists in `net`.
    pub fn index(&self, net: &Network) -> Option<usize> {
        if !(1..=net.arch.layers()).contains(&self.layer) {
            return None;
        }
        let o = net.arch.offsets(self.layer);
        if self.to >= o.n_out {
            return None;
        }
        match self.from {
            Some(i) if i < o.n_in => Some(o.w + i * o.n_out + self.to),
            Some(_) => None,
            None => Some(o.b + self.to),
        }
    }

    /// The parameter at `index` of the flat parameters of a network shaped `arch`.
    pub fn of_index(arch: &Architecture, index: usize) -> Option<ParamId> {
        (1..=arch.layers()).find_map(|layer| {
            let o = arch.offsets(layer);
            if index < o.w || index >= o.end {
                None
            } else if index < o.b {
                Some(ParamId { layer, from: Some((index - o.w) / o.n_out), to: (index - o.w) % o.n_out })
            } else {
                Some(ParamId { layer, from: None, to: index - o.b })
            }
        })
    }

    /// "W²₁,₃" or "b²₃", with 1-based neuron numbers.
    pub fn name(&self) -> String {
        let sup = crate::format::superscript(self.layer);
        let sub = crate::format::subscript;
        match self.from {
            Some(i) => format!("W{sup}{},{}", sub(i + 1), sub(self.to + 1)),
            None => format!("b{sup}{}", sub(self.to + 1)),
        }
    }
}

/// The lines that compute ∂L/∂p for the parameter `p` on the batch of `work`,
/// with the numbers of the first examples (plus λ·w when an L2 penalty of
/// strength `l2` applies to a weight), then δ of the first example unrolled
/// one layer.
pub fn chain_rule(net: &Network, work: &UpdateWork, p: ParamId, l2: f64, digits: usize) -> Result<Vec<String>, String> {
    let index = p.index(net).ok_or_else(|| tr!("the network has no weight {a}", a = p.name()))?;
    let n = |x: f64| sig(x, digits);
    let f = |x: f64| crate::format::factor(x, digits);
    let (l, j) = (p.layer, p.to);
    let sup = crate::format::superscript;
    let delta = &work.backward.delta[l - 1];
    let m = delta.rows;
    let input = |e: usize| -> f64 {
        match p.from {
            None => 1.0,
            Some(i) if l == 1 => work.x.get(e, i),
            Some(i) => work.forward.a[l - 2].get(e, i),
        }
    };
    let penalised = p.from.is_some() && l2 > 0.0;
    let mut lines = Vec::new();
    let source = match p.from {
        Some(i) => format!("a{}ₑ,{}", sup(l - 1), crate::format::subscript(i + 1)),
        None => "1".into(),
    };
    let why = if penalised {
        tr!("sum over the {m} examples e of the batch; λ·w is the L2 penalty's part", m = m)
    } else {
        tr!("sum over the {m} examples e of the batch", m = m)
    };
    lines.push(format!(
        "∂L/∂{} = Σₑ δ{}ₑ,{} · {source}{}   ({why})",
        p.name(),
        sup(l),
        crate::format::subscript(j + 1),
        if penalised { " + λ·w" } else { "" },
    ));
    let mut terms: Vec<String> = (0..m.min(SHOWN_EXAMPLES)).map(|e| format!("{}·{}", f(delta.get(e, j)), f(input(e)))).collect();
    if m > SHOWN_EXAMPLES {
        terms.push(tr!("… ({more} more)", more = m - SHOWN_EXAMPLES));
    }
    if penalised {
        terms.push(format!("{}·{}", crate::format::constant(l2, digits), f(net.params[index])));
    }
    lines.push(format!("= {} = {}", terms.join(" + "), n(work.backward.grad[index])));

    // δ of the first example, one layer unrolled.
    let z = work.forward.z[l - 1].get(0, j);
    let a = work.forward.a[l - 1].get(0, j);
    let act = net.arch.activations[l - 1];
    let slope = act.derivative(z, a);
    let d = delta.get(0, j);
    let jj = crate::format::subscript(j + 1);
    if l == net.arch.layers() {
        let y = work.y.get(0, j);
        let rule = if net.arch.loss.cancels_output_slope() {
            format!("(a − y)/m = ({} − {})/{m}", f(a), f(y))
        } else {
            format!("(a − y)/m · {}'(z) = ({} − {})/{m} · {}", act.id(), f(a), f(y), f(slope))
        };
        lines.push(format!("δ{}₁,{jj} = ∂L/∂z{}₁,{jj} = {rule} = {}", sup(l), sup(l), n(d)));
    } else {
        let above = &work.backward.delta[l];
        let o = net.arch.offsets(l + 1);
        let w = &net.params[o.w..o.b];
        let terms: Vec<String> = (0..o.n_out).map(|k| format!("{}·{}", f(above.get(0, k)), f(w[j * o.n_out + k]))).collect();
        let back: f64 = (0..o.n_out).map(|k| above.get(0, k) * w[j * o.n_out + k]).sum();
        lines.push(format!(
            "δ{}₁,{jj} = (Σₖ δ{}₁,ₖ · W{}{jj},ₖ) · {}'(z{}₁,{jj}) = ({}) · {} = {} · {} = {}",
            sup(l),
            sup(l + 1),
            sup(l + 1),
            act.id(),
            sup(l),
            terms.join(" + "),
            f(slope),
            f(back),
            f(slope),
            n(d)
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::{DataSpec, Dataset, DatasetKind};
    use crate::nn::network::{Init, Loss};
    use crate::nn::train::{TrainConfig, TrainingRun};
    use crate::optim::Optimizer;

    /// The update of a run on `arch` stepped to its Update phase, batches of 3 examples, λ = 0.01.
    fn at_update(arch: Architecture, dataset: DatasetKind) -> TrainingRun {
        let mut net = Network::init(arch, Init::Xavier, 3).unwrap();
        // Biases start at 0: give them values, so a penalty wrongly put on a bias would show.
        for (i, p) in net.params.iter_mut().enumerate() {
            *p += 0.05 * (i as f64).sin();
        }
        let data = Dataset::generate(dataset, DataSpec { points: 12, noise: 0.1, seed: 1, classes: 3 }).unwrap();
        // A softmax output learns one-hot targets, one a class.
        let data = if net.arch.loss == Loss::Ce { data.one_hot(net.arch.sizes[net.arch.layers()]).unwrap() } else { data };
        let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.5, batch_size: 3, l2: 0.01, seed: 0 };
        let test = Dataset::empty(data.classification, data.x.cols);
        let mut run = TrainingRun::new(net, data, test, config).unwrap();
        while !matches!(run.phase(), Some((_, crate::nn::train::Phase::Update))) {
            run.step_phase();
        }
        run
    }

    #[test]
    fn the_chain_rule_holds_for_every_weight_and_bias_of_every_layer() {
        // A sigmoid output with cross-entropy, a linear one with squared error, a softmax with the categorical cross-entropy.
        let nets = [
            (
                Architecture {
                    sizes: vec![2, 3, 4, 1],
                    activations: vec![Activation::Tanh, Activation::Sigmoid, Activation::Sigmoid],
                    loss: Loss::Bce,
                },
                DatasetKind::Xor,
            ),
            (
                Architecture {
                    sizes: vec![1, 3, 2, 1],
                    activations: vec![Activation::Sigmoid, Activation::Tanh, Activation::Linear],
                    loss: Loss::Mse,
                },
                DatasetKind::Sine,
            ),
            (
                Architecture { sizes: vec![2, 3, 3], activations: vec![Activation::Tanh, Activation::Softmax], loss: Loss::Ce },
                DatasetKind::Blobs,
            ),
        ];
        for (arch, dataset) in nets {
            let run = at_update(arch, dataset);
            let (work, _) = run.phase().unwrap();
            let net = run.network();
            // ∂(L_batch + (λ/2)·Σ‖W‖²)/∂p by central differences, apart from backprop.
            let objective = |params: &[f64]| {
                let probe = Network { arch: net.arch.clone(), params: params.to_vec() };
                let penalty: f64 = (1..=net.arch.layers()).map(|l| probe.weights(l).iter().map(|w| w * w).sum::<f64>()).sum();
                probe.loss(probe.forward(&work.x).a.last().unwrap(), &work.y) + 0.5 * 0.01 * penalty
            };
            for index in 0..net.params.len() {
                let p = ParamId::of_index(&net.arch, index).unwrap();
                for digits in [4, 6, 10] {
                    let lines = chain_rule(net, work, p, run.config.l2, digits).unwrap();
                    let checked: Vec<usize> = lines.iter().map(|line| crate::arithmetic_check::equalities_hold(line, digits)).collect();
                    // The sum over the batch, and δ unrolled one layer.
                    assert!(checked[1] == 1 && checked[2] >= 1, "{}: {lines:?}", p.name());
                    assert!(lines[1].ends_with(&format!("= {}", sig(work.backward.grad[index], digits))), "{}", lines[1]);
                    let (sup, sub) = (crate::format::superscript(p.layer), crate::format::subscript(p.to + 1));
                    assert!(lines[2].starts_with(&format!("δ{sup}₁,{sub} = ")), "{}", lines[2]);
                    assert_eq!(lines[0].contains("λ·w"), p.from.is_some(), "the penalty is a weight's only: {}", lines[0]);
                }
                let h = 1e-6;
                let (mut up, mut down) = (net.params.clone(), net.params.clone());
                up[index] += h;
                down[index] -= h;
                let numeric = (objective(&up) - objective(&down)) / (2.0 * h);
                let analytic = work.backward.grad[index];
                assert!((numeric - analytic).abs() <= 1e-7 * analytic.abs().max(1e-3), "{}: {numeric} vs {analytic}", p.name());
            }
        }
    }

    #[test]
    fn a_long_batch_is_shortened_and_an_unknown_weight_refused() {
        let arch = Architecture { sizes: vec![2, 3, 1], activations: vec![Activation::Sigmoid, Activation::Sigmoid], loss: Loss::Mse };
        let net = Network::init(arch, Init::Xavier, 3).unwrap();
        let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 8, noise: 0.0, seed: 1, classes: 3 }).unwrap();
        let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.5, batch_size: 0, l2: 0.0, seed: 0 };
        let mut run = TrainingRun::new(net.clone(), data.clone(), Dataset::empty(true, 2), config).unwrap();
        run.step_phase();
        let (work, _) = run.phase().unwrap();
        let lines = chain_rule(&net, work, ParamId { layer: 2, from: Some(0), to: 0 }, 0.0, 8).unwrap();
        assert!(lines[1].contains("… (4 more)"), "8 examples, 4 shown: {}", lines[1]);
        assert!(!lines[0].contains("λ"), "no penalty without L2: {}", lines[0]);
        // Four examples: every term is shown, nothing more.
        let four = Dataset { x: data.x.select_rows(&[0, 1, 2, 3]), y: data.y.select_rows(&[0, 1, 2, 3]), classification: true };
        let mut run = TrainingRun::new(net.clone(), four, Dataset::empty(true, 2), config).unwrap();
        run.step_phase();
        let (work, _) = run.phase().unwrap();
        let lines = chain_rule(&net, work, ParamId { layer: 2, from: Some(0), to: 0 }, 0.0, 8).unwrap();
        assert!(!lines[1].contains("more"), "{}", lines[1]);
        assert_eq!(ParamId { layer: 2, from: Some(0), to: 0 }.name(), "W²₁,₁");
        assert!(chain_rule(&net, work, ParamId { layer: 3, from: None, to: 0 }, 0.0, 6).is_err());
    }

    #[test]
    fn every_index_names_the_parameter_at_it() {
        let arch = Architecture { sizes: vec![2, 3, 4, 1], activations: vec![Activation::Tanh; 3], loss: Loss::Mse };
        let net = Network::init(arch.clone(), Init::Xavier, 1).unwrap();
        for index in 0..net.params.len() {
            let p = ParamId::of_index(&arch, index).unwrap();
            assert_eq!(p.index(&net), Some(index));
        }
        assert_eq!(ParamId::of_index(&arch, net.params.len()), None);
        // Neuron numbers one past the last of their layer name no weight.
        assert_eq!(ParamId { layer: 2, from: Some(3), to: 0 }.index(&net), None, "layer 1 has 3 neurons");
        assert_eq!(ParamId { layer: 2, from: Some(0), to: 4 }.index(&net), None, "layer 2 has 4");
        assert_eq!(ParamId { layer: 4, from: None, to: 0 }.index(&net), None);
    }
}
