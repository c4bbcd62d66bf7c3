//! What the surface and loss charts show now, in words: their text
//! alternatives for screen readers, written from the run's own numbers at the
//! readout's digits.

use crate::tr;
use serde_json::{json, Value};

use super::DescentLab;
use crate::descent::run::DescentRun;
use crate::descent::surface::Surface;
use crate::format::{pair, sig};

/// "1 iteration", "3 iterations".
fn iterations(t: usize) -> String {
    if t == 1 {
        tr!("1 iteration")
    } else {
        tr!("{t} iterations", t = t)
    }
}

/// How J went from its start to now: "J fell from 31.2 to 5.88 over 3 iterations".
fn loss_sentence(run: &DescentRun, digits: usize) -> String {
    let history = run.history();
    let (first, last) = (history[0].value, history[history.len() - 1].value);
    let t = run.iteration();
    if t == 0 {
        return tr!("J = {value} at the start, before any iteration", value = sig(first, digits));
    }
    let (from, to, span) = (sig(first, digits), sig(last, digits), iterations(t));
    if last < first {
        tr!("J fell from {from} to {to} over {span}", from = from, to = to, span = span)
    } else if last > first {
        tr!("J rose from {from} to {to} over {span}", from = from, to = to, span = span)
    } else {
        tr!("J stayed from {from} to {to} over {span}", from = from, to = to, span = span)
    }
}

/// Where the path went: "θ = (1.76, 2.23) after 3 iterations, from (0, 0)", or x alone on a curve.
fn path_sentence(run: &DescentRun, digits: usize) -> String {
    let history = run.history();
    let (first, last) = (history[0].theta, history[history.len() - 1].theta);
    let t = run.iteration();
    let curve = run.surface().curve().is_some();
    let point = |p: [f64; 2]| if curve { sig(p[0], digits) } else { pair(p, digits) };
    let name = match run.surface() {
        Surface::LinearRegression(_) => "θ",
        _ if curve => "x",
        _ => "(x, y)",
    };
    if t == 0 {
        tr!("{name} = {point} at the start", name = name, point = point(first))
    } else {
        tr!("{name} = {point} after {span}, from {start}", name = name, point = point(last), span = iterations(t), start = point(first))
    }
}

impl DescentLab {
    /// The surface chart's and the loss chart's text alternatives (of each run of a race too).
    pub fn chart_texts(&self, digits: usize) -> Value {
        let (surface, loss) = match self.race() {
            Some(race) => {
                let each = |say: fn(&DescentRun, usize) -> String| {
                    race.runs()
                        .iter()
                        .zip(race.names())
                        .map(|(run, name)| format!("{name}: {}", say(run, digits)))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                (each(path_sentence), each(loss_sentence))
            }
            None => (path_sentence(self.run(), digits), loss_sentence(self.run(), digits)),
        };
        let run = self.run();
        let data = match run.surface() {
            Surface::LinearRegression(points) => {
                let theta = run.current().theta;
                tr!(
                    "The {m} points (xᵢ, yᵢ) and the line y = θ₀ + θ₁·x of θ now: y = {a} + {b}·x.",
                    m = points.len(),
                    a = sig(theta[0], digits),
                    b = sig(theta[1], digits)
                )
            }
            _ => String::new(),
        };
        json!({ "surface": tr!("{text}.", text = surface), "loss": tr!("{text}.", text = loss), "data": data })
    }
}
