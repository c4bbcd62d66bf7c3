//! Pinned runs: the curves of a run kept as a labelled reference, with the
//! settings that made them, while the user changes anything and trains
//! again; drawn dashed beside the run until unpinned.

use crate::tr;
use serde::Serialize;

use super::{BackpropLab, Curves, LabSettings};
use crate::format::sig;
use crate::named::Named;

/// The most runs pinned at once.
pub const MAX_PINS: usize = 3;

/// A pinned run: its curves and what made it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    /// Its number n, which names it ("pin n") until it is unpinned.
    pub number: usize,
    /// The settings that made it.
    pub settings: LabSettings,
    pub curves: Curves,
}

impl Pin {
    /// What the legend and the list call it ("pin 1"), in the language now.
    pub fn name(&self) -> String {
        tr!("pin {n}", n = self.number)
    }

    /// Its settings in words, in the language now.
    pub fn described(&self) -> String {
        describe(&self.settings)
    }
}

/// A pin as the page shows it: its name and its settings in words.
impl Serialize for Pin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut pin = serializer.serialize_struct("Pin", 2)?;
        pin.serialize_field("name", &self.name())?;
        pin.serialize_field("settings", &self.described())?;
        pin.end()
    }
}

/// The settings that tell runs apart, in a line, in the language now.
fn describe(s: &LabSettings) -> String {
    let hidden: Vec<String> = s.hidden.iter().map(|h| format!("{} {}", h.neurons, h.activation.id())).collect();
    let network = if hidden.is_empty() { tr!("no hidden layer") } else { hidden.join(", ") };
    let batch = if s.batch_size == 0 { tr!("full batch") } else { tr!("batch {size}", size = s.batch_size) };
    let l2 = if s.l2 > 0.0 { format!(", L2 {}", sig(s.l2, 3)) } else { String::new() };
    let data = match &s.csv {
        Some(_) => tr!("typed points"),
        None => tr!("{data}, {points} points, noise {noise}", data = s.dataset.shown(), points = s.points, noise = sig(s.noise, 3)),
    };
    tr!(
        "{data}; {network}; {output} output, {loss}, {init}; {rule} α = {alpha}, {batch}{l2}; seed {seed}",
        data = data,
        network = network,
        output = s.output_activation.id(),
        loss = s.loss.shown(),
        init = s.init.shown(),
        rule = s.optimizer.shown(),
        alpha = sig(s.lr, 4),
        batch = batch,
        l2 = l2,
        seed = s.seed
    )
}

impl BackpropLab {
    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// Keeps the run's curves now as a pin (at most [`MAX_PINS`]).
    pub fn pin(&mut self) -> Result<(), String> {
        if self.pins.len() >= MAX_PINS {
            return Err(tr!("at most {max_pins} runs can be pinned: unpin one first", max_pins = MAX_PINS));
        }
        let number = (1..).find(|k| !self.pins.iter().any(|p| p.number == *k)).expect("a free number");
        self.pins.push(Pin { number, settings: self.settings.clone(), curves: self.curves() });
        Ok(())
    }

    /// The curves drawn dashed beside the run, with their names: the ghost
    /// ("before", the run before the last re-training change) and each pin.
    pub fn references(&self) -> Vec<(String, &Curves)> {
        let ghost = self.ghost().map(|g| (tr!("before"), g));
        ghost.into_iter().chain(self.pins.iter().map(|p| (p.name(), &p.curves))).collect()
    }

    /// Removes pin `index`.
    pub fn unpin(&mut self, index: usize) -> Result<(), String> {
        if index >= self.pins.len() {
            return Err(tr!("there is no pin {a}", a = index + 1));
        }
        self.pins.remove(index);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pin keeps the curves and settings of the run it was taken from
    /// through a new network and new training; three at most.
    #[test]
    fn a_pin_keeps_its_curves_and_settings_through_new_runs() {
        let mut lab = BackpropLab::default();
        for _ in 0..5 {
            lab.run_mut().step_epoch();
        }
        let curves = lab.curves();
        lab.pin().unwrap();
        assert_eq!(
            lab.pins()[0].described(),
            "XOR (classes), 200 points, noise 0.1; 4 tanh; sigmoid output, cross-entropy, Xavier/Glorot; Gradient descent α = 0.3, batch 10; seed 1"
        );
        lab.configure(LabSettings { hidden: vec![], ..lab.settings().clone() }).unwrap();
        lab.run_mut().step_epoch();
        lab.pin().unwrap();
        assert_eq!(lab.pins()[0].curves, curves, "the first pin is untouched by the new run");
        assert!(lab.pins()[1].described().contains("no hidden layer"));
        lab.pin().unwrap();
        assert!(lab.pin().unwrap_err().contains("at most 3"));
        lab.unpin(0).unwrap();
        lab.pin().unwrap();
        assert_eq!(lab.pins().iter().map(Pin::name).collect::<Vec<_>>(), ["pin 2", "pin 3", "pin 1"], "a freed name is taken again");
        assert!(lab.unpin(7).is_err());
        // L2 and full batches are named when they are what tells runs apart.
        let penalised = LabSettings { l2: 0.01, batch_size: 0, ..LabSettings::default() };
        assert!(describe(&penalised).ends_with("α = 0.3, full batch, L2 0.01; seed 1"), "{}", describe(&penalised));
    }
}
