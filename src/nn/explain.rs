//! The chain rule in numbers, for one chosen weight of the update in progress.

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
    let index = p.index(net).ok_or_else(|| format!("the network has no weight {}", p.name()))?;
    let n = |x: f64| sig(x, digits);
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
    let mut lines = Vec::new();
    let source = match p.from {
        Some(i) => format!("a{}ₑ,{}", sup(l - 1), crate::format::subscript(i + 1)),
        None => "1".into(),
    };
    lines.push(format!(
        "∂L/∂{} = Σₑ δ{}ₑ,{} · {source}   (sum over the {m} examples e of the batch)",
        p.name(),
        sup(l),
        crate::format::subscript(j + 1)
    ));
    let terms: Vec<String> = (0..m.min(SHOWN_EXAMPLES)).map(|e| format!("{}·{}", n(delta.get(e, j)), n(input(e)))).collect();
    let more = if m > SHOWN_EXAMPLES { format!(" + … ({} more)", m - SHOWN_EXAMPLES) } else { String::new() };
    let total = work.backward.grad[index];
    let penalty =
        if p.from.is_some() && l2 > 0.0 { format!(" + λ·w = … + {}·{}", n(l2), n(net.params[index])) } else { String::new() };
    lines.push(format!("= {}{more}{penalty} = {}", terms.join(" + "), n(total)));

    // δ of the first example, one layer unrolled.
    let z = work.forward.z[l - 1].get(0, j);
    let a = work.forward.a[l - 1].get(0, j);
    let act = net.arch.activations[l - 1];
    let slope = act.derivative(z, a);
    let d = delta.get(0, j);
    let jj = crate::format::subscript(j + 1);
    if l == net.arch.layers() {
        let y = work.y.get(0, 0);
        let rule = match net.arch.loss {
            super::network::Loss::Mse => format!("(a − y)/m · {}'(z) = ({} − {})/{m} · {}", act.id(), n(a), n(y), n(slope)),
            super::network::Loss::Bce => format!("(a − y)/m = ({} − {})/{m}", n(a), n(y)),
        };
        lines.push(format!("δ{}₁,{jj} = ∂L/∂z{}₁,{jj} = {rule} = {}", sup(l), sup(l), n(d)));
    } else {
        let above = &work.backward.delta[l];
        let o = net.arch.offsets(l + 1);
        let w = &net.params[o.w..o.b];
        let terms: Vec<String> = (0..o.n_out).map(|k| format!("{}·{}", n(above.get(0, k)), n(w[j * o.n_out + k]))).collect();
        let back: f64 = (0..o.n_out).map(|k| above.get(0, k) * w[j * o.n_out + k]).sum();
        lines.push(format!(
            "δ{}₁,{jj} = (Σₖ δ{}₁,ₖ · W{}{jj},ₖ) · {}'(z{}₁,{jj}) = ({}) · {} = {} · {} = {}",
            sup(l),
            sup(l + 1),
            sup(l + 1),
            act.id(),
            sup(l),
            terms.join(" + "),
            n(slope),
            n(back),
            n(slope),
            n(d)
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::activation::Activation;
    use crate::nn::data::{DataSpec, Dataset};
    use crate::nn::network::{Init, Loss};
    use crate::nn::train::{TrainConfig, TrainingRun};
    use crate::optim::Optimizer;

    #[test]
    fn the_written_total_is_the_gradient_backprop_uses() {
        let arch = Architecture { sizes: vec![2, 3, 1], activations: vec![Activation::Sigmoid, Activation::Sigmoid], loss: Loss::Mse };
        let net = Network::init(arch, Init::Xavier, 3).unwrap();
        let data = Dataset::generate("xor", DataSpec { points: 8, noise: 0.0, seed: 1 }).unwrap();
        let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.5, batch_size: 0, l2: 0.0, seed: 0 };
        let test = Dataset { x: crate::nn::matrix::Mat::zeros(0, 2), y: crate::nn::matrix::Mat::zeros(0, 1), classification: true };
        let mut run = TrainingRun::new(net.clone(), data, test, config).unwrap();
        run.step_phase();
        let (work, _) = run.phase().unwrap();
        for p in [
            ParamId { layer: 1, from: Some(1), to: 2 },
            ParamId { layer: 2, from: Some(0), to: 0 },
            ParamId { layer: 2, from: None, to: 0 },
        ] {
            let lines = chain_rule(&net, work, p, 0.0, 8).unwrap();
            let total = work.backward.grad[p.index(&net).unwrap()];
            assert!(lines[1].ends_with(&format!("= {}", sig(total, 8))), "{p:?}: {}", lines[1]);
            assert!(lines[1].contains("(4 more)"), "8 examples, 4 shown");
            let delta = work.backward.delta[p.layer - 1].get(0, p.to);
            assert!(lines[2].ends_with(&format!("= {}", sig(delta, 8))), "{}", lines[2]);
        }
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
    }
}
