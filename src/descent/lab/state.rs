//! What the page shows of the descent lab, as JSON: the settings, the shown
//! run's readout and stopping conditions, and the race's rows.

use crate::tr;
use serde_json::{json, Value};

use super::DescentLab;
use crate::descent::batches::Batches;
use crate::descent::readout::readout;
use crate::descent::surface::{Surface, MAX_VIEW_GROWTH};
use crate::format::sig;
use crate::named::Named;

impl DescentLab {
    /// What hovering the loss chart at iteration `t` shows, to `digits`
    /// significant digits: J of the run (and of its ghost), or of each run of
    /// the race that got there; None beyond every run.
    pub fn loss_text(&self, t: usize, digits: usize) -> Option<String> {
        let value = |run: &crate::descent::run::DescentRun| run.history().get(t).map(|s| sig(s.value, digits));
        let mut parts = Vec::new();
        match self.race() {
            Some(race) => {
                for (run, name) in race.runs().iter().zip(race.names()) {
                    if let Some(v) = value(run) {
                        parts.push(format!("{name}: J = {v}"));
                    }
                }
            }
            None => {
                parts.extend(value(self.run()).map(|v| format!("J = {v}")));
                if let Some(v) = self.ghost_losses().and_then(|losses| losses.get(t).map(|v| sig(*v, digits))) {
                    parts.push(tr!("before the change: J = {v}", v = v));
                }
            }
        }
        (!parts.is_empty()).then(|| format!("t = {t} · {}", parts.join(" · ")))
    }

    /// The page's view of the lab: settings, the readout (numbers to `digits`), the race.
    pub fn state(&self, digits: usize) -> Value {
        let run = self.run();
        let surface = run.surface();
        let optimizer = run.optimizer();
        let bowl = match surface {
            Surface::Bowl { condition, angle_deg } => json!({ "condition": condition, "angle": angle_deg }),
            _ => Value::Null,
        };
        let typed = match surface {
            Surface::Typed(t) => json!({
                "text": t.function.text(),
                "partials": t.function.partial_lines(),
                "box": [t.view.x_min, t.view.x_max, t.view.y_min, t.view.y_max],
            }),
            _ => Value::Null,
        };
        let curve = match surface {
            Surface::Curve(c) => json!({
                "text": c.function.text(),
                "slope": c.slope_formula(),
                "range": [c.range.0, c.range.1],
                "typed": c.id == crate::descent::curve::TYPED_CURVE,
            }),
            _ => Value::Null,
        };
        let named = |pairs: Vec<(&'static str, f64)>| {
            pairs.into_iter().map(|(name, value)| json!({ "name": name, "value": value })).collect::<Vec<_>>()
        };
        json!({
            "surface": surface.id(),
            "formula": surface.formula(),
            "axisNames": surface.axis_names(),
            "bowl": bowl,
            "typed": typed,
            "curve": curve,
            "stabilityBound": surface.hessian_eigenvalues().map(|[a, b]| 2.0 / a.max(b)),
            "optimizer": optimizer.id(),
            "hypers": named(optimizer.hypers()),
            "lr": run.lr(),
            "schedule": run.schedule(),
            "scheduleFormula": run.schedule().formula(),
            "scheduleParams": named(run.schedule().params()),
            "batch": match (surface, run.batches()) {
                (Surface::LinearRegression(data), batches) => json!({
                    "size": batches.size(data.len()),
                    "seed": match batches { Batches::Seeded { seed, .. } => *seed, _ => 1 },
                    "m": data.len(),
                    "rows": run.next_batch(),
                }),
                _ => Value::Null,
            },
            "start": run.history()[0].theta,
            "hasData": matches!(surface, Surface::LinearRegression(_)),
            "readout": readout(run, digits),
            "chartTexts": self.chart_texts(digits),
            "stopRule": self.stop,
            "stopProgress": self.stop.progress(run, digits),
            "stopped": self.stopped().map(|s| s.message(run.iteration(), digits)),
            "sweep": self.sweep().map(|sweep| json!({
                "range": sweep.range(),
                "computed": sweep.points().len(),
            })),
            "race": self.race().map(|race| json!({
                "clock": race.clock(),
                "picked": race.picked(),
                "rows": race.rows(&self.stop, digits),
            })),
            "pathOutside": (!self.view().1).then(|| {
                let largest = MAX_VIEW_GROWTH as usize;
                tr!("The path has left the chart, {largest} times the surface's own box: the run is running away. Lower α, press Back or Reset.", largest = largest)
            }),
        })
    }
}
