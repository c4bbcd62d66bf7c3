//! The backprop lab's charts on the page's canvases: the network diagram,
//! the decision boundary, the loss and accuracy, the loss along the line,
//! the gradient norms and the range test, and what the pointer on them shows.

use crate::tr;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::NetworkLab;
use crate::descent::surface::ViewBox;
use crate::draw::boundary_chart::{class_edges, data_view, draw_boundary, draw_fit, Edges};
use crate::draw::inside_chart::draw_inside;
use crate::draw::network_chart::{draw_network, NetworkScene};
use crate::draw::range_chart::draw_range_test;
use crate::draw::series_chart::{draw_series, Axes, Series};
use crate::draw::sweep_chart::{draw_sweep, SweepScene};
use crate::named::Named;
use crate::nn::inside::{InsideJob, Quantity};
use crate::nn::lab::{best_test_epoch, Curves};
use crate::nn::train::{Metrics, TrainSnapshot};
use crate::web::{backend, js_error, present, put_rgba, vertical_mark};

/// Cells along each axis of the grid on which the boundary before a change is outlined.
const OUTLINE_CELLS: usize = 60;

#[wasm_bindgen]
impl NetworkLab {
    /// Draws the network diagram on `canvas`.
    #[wasm_bindgen(js_name = drawNetwork)]
    pub fn draw_network(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        self.diagram_size = root.dim_in_pixel();
        let net = self.lab.run().current_network();
        let phase = self.lab.run().phase();
        let scene = NetworkScene {
            net: &net,
            phase: phase.map(|(_, p)| p),
            grad: phase.map(|(w, _)| w.backward.grad.as_slice()),
            selected: Some(self.lab.selected()),
            look: self.look,
        };
        draw_network(&root, &scene).map_err(js_error)?;
        present(&root)
    }

    /// Draws the decision boundary (classification) or the fitted curve (regression).
    #[wasm_bindgen(js_name = drawBoundary)]
    pub fn draw_boundary(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let mapping = if self.lab.run().train_data().classification {
            let view = data_view(&[self.lab.run().train_data(), self.lab.run().test_data()]);
            let before = self.ghost_edges(view);
            let (train, test) = (self.lab.run().train_data(), self.lab.run().test_data());
            // The raster of the picture shown (it may be of older weights while the one of these is computed).
            let shown = self.views.boundary.shown();
            let mut raster = Ok(());
            let mapping = draw_boundary(&root, view, (train, test), &before, self.look, |x, y, w, h| {
                if let Some(job) = shown {
                    raster = put_rgba(canvas, &job.rgba(w, h), (w, h), (x, y));
                }
            })
            .map_err(js_error)?;
            raster?;
            mapping
        } else {
            let run = self.lab.run();
            draw_fit(&root, &run.current_network(), run.train_data(), run.test_data(), self.look).map_err(js_error)?
        };
        self.data_mapping = Some(mapping);
        present(&root)
    }

    /// Draws the train and test loss, and the accuracy for classification, against epoch.
    #[wasm_bindgen(js_name = drawLosses)]
    pub fn draw_losses(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let at = |s: &TrainSnapshot| self.lab.run().epochs_at(s);
        let history = self.lab.run().history();
        let mut series = vec![Series::solid(tr!("train"), history.iter().map(|s| (at(s), s.metrics.train_loss)).collect())];
        if !self.lab.run().test_data().is_empty() {
            series.push(Series::solid(tr!("test"), history.iter().filter_map(|s| s.metrics.test_loss.map(|v| (at(s), v))).collect()));
        }
        // The run before the last re-training change, and the pinned runs, dashed.
        let references = self.lab.references();
        let dashed = |curves: &Curves, label: String, value: fn(&Metrics) -> Option<f64>| Series {
            label,
            points: curves.iter().filter_map(|(x, m)| Some((*x, value(m)?))).collect(),
            dashed: true,
        };
        // Every "train, …" curve first, in the order the accuracy panel takes
        // them too, so that each reference has one style in both panels.
        for (name, curves) in &references {
            series.push(dashed(curves, tr!("train, {name}", name = name), |m| Some(m.train_loss)));
        }
        if !self.lab.run().test_data().is_empty() {
            for (name, curves) in &references {
                series.push(dashed(curves, tr!("test, {name}", name = name), |m| m.test_loss));
            }
        }
        let losses: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).collect();
        if let (Some(_), Some((best, _))) = (self.lab.stop_rule().patience, best_test_epoch(history)) {
            series.push(vertical_mark(&tr!("best test epoch"), best as f64, &losses));
        }
        if let Some((row, _)) = self.lab.stop_rule().first_met(history) {
            series.push(vertical_mark(&tr!("stop condition met"), history[row].epoch as f64, &losses));
        }
        let caption = tr!("Loss ({loss})", loss = self.lab.settings().loss.shown());
        let epoch = tr!("epoch");
        let loss_axes = Axes { caption: &caption, x_desc: &epoch, y_desc: "L", y_range: None, x_range: None, look: self.look };
        if self.lab.run().train_data().classification {
            // The accuracy below the loss: two fifths of the height, and never less than its
            // title, three ticks and its axis need.
            let height = root.dim_in_pixel().1;
            let (top, bottom) = root.split_vertically((height * 3 / 5).min(height.saturating_sub((120.0 * self.look.scale) as u32)));
            // The accuracy below names the epoch axis both panels share.
            let loss = draw_series(&top, &Axes { x_desc: "", ..loss_axes }, &series).map_err(js_error)?;
            // In the styles of the loss's lines, which the loss's legend names: no legend of its own.
            let mut accuracy =
                vec![Series::solid(String::new(), history.iter().filter_map(|s| s.metrics.train_accuracy.map(|v| (at(s), v))).collect())];
            if !self.lab.run().test_data().is_empty() {
                accuracy.push(Series::solid(
                    String::new(),
                    history.iter().filter_map(|s| s.metrics.test_accuracy.map(|v| (at(s), v))).collect(),
                ));
            }
            for (_, curves) in &references {
                accuracy.push(dashed(curves, String::new(), |m| m.train_accuracy));
            }
            let axes = Axes {
                caption: &tr!("Accuracy"),
                x_desc: &epoch,
                y_desc: &tr!("accuracy"),
                y_range: Some((0.0, 1.0)),
                x_range: None,
                look: self.look,
            };
            self.loss_mappings = vec![loss, draw_series(&bottom, &axes, &accuracy).map_err(js_error)?];
        } else {
            self.loss_mappings = vec![draw_series(&root, &loss_axes, &series).map_err(js_error)?];
        }
        present(&root)
    }

    /// What hovering the loss chart at canvas pixel (x, y) shows: the nearest
    /// epoch or update under it and its exact losses and accuracies; empty outside the plots.
    #[wasm_bindgen(js_name = lossAt)]
    pub fn loss_at(&self, x: f64, y: f64) -> String {
        let panel = self.loss_mappings.iter().find(|m| m.covers_row(y));
        panel.and_then(|m| m.x_at(x)).and_then(|epochs| self.lab.loss_text(epochs, self.digits)).unwrap_or_default()
    }

    /// Draws the training loss along the line from the initial weights θ₀ (s = 0)
    /// through the weights now θₜ (s = 1), for s from −0.5 to 1.5.
    #[wasm_bindgen(js_name = drawLine)]
    pub fn draw_line(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let line = self.views.line.shown().map(|job| job.line.clone()).unwrap_or_default();
        let axes = Axes {
            caption: &tr!("Loss from θ₀ (s = 0) to θₜ (s = 1)"),
            x_desc: "s",
            y_desc: "L",
            y_range: None,
            x_range: Some((-0.5, 1.5)),
            look: self.look,
        };
        draw_series(&root, &axes, &[Series::solid("L((1 − s)·θ₀ + s·θₜ)", line)]).map_err(js_error)?;
        present(&root)
    }

    /// Draws the gradient norm of every layer against epoch, on a log scale.
    #[wasm_bindgen(js_name = drawGradientNorms)]
    pub fn draw_gradient_norms(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let layers = self.lab.run().network().arch.layers();
        let history = self.lab.run().history();
        let mut series: Vec<Series> = (0..layers)
            .map(|l| {
                let points = history.iter().map(|s| (self.lab.run().epochs_at(s), s.metrics.grad_norms[l])).collect();
                Series::solid(tr!("layer {c}", c = l + 1), points)
            })
            .collect();
        // The run before the last re-training change, and the pinned runs, dashed.
        for (name, curves) in self.lab.references() {
            let layers_there = curves.first().map_or(0, |(_, m)| m.grad_norms.len());
            series.extend((0..layers_there).map(|l| Series {
                label: tr!("layer {c}, {name}", c = l + 1, name = name),
                points: curves.iter().filter_map(|(x, m)| Some((*x, *m.grad_norms.get(l)?))).collect(),
                dashed: true,
            }));
        }
        let axes = Axes {
            caption: &tr!("Gradient norm per layer ‖∂L/∂Wˡ, ∂L/∂bˡ‖"),
            x_desc: &tr!("epoch"),
            y_desc: &tr!("norm"),
            y_range: None,
            x_range: None,
            look: self.look,
        };
        self.norms_mapping = Some(draw_series(&root, &axes, &series).map_err(js_error)?);
        present(&root)
    }

    /// What hovering the gradient-norm chart at canvas pixel (x, y) shows:
    /// the nearest epoch or update and each layer's exact norm; empty outside the plot.
    #[wasm_bindgen(js_name = normsAt)]
    pub fn norms_at(&self, x: f64, y: f64) -> String {
        let epochs = self.norms_mapping.filter(|m| m.covers_row(y)).and_then(|m| m.x_at(x));
        epochs.and_then(|epochs| self.lab.norms_text(epochs, self.digits)).unwrap_or_default()
    }

    /// Draws the last range test on `canvas`.
    #[wasm_bindgen(js_name = drawRangeTest)]
    pub fn draw_range_test(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let Some(result) = self.range_test.as_ref().map(|job| job.result()) else { return Err(js_error("no range test was run")) };
        let root = backend(canvas)?;
        self.range_mapping = Some(draw_range_test(&root, &result, self.lab.settings().lr, self.look).map_err(js_error)?);
        present(&root)
    }

    /// Draws the view inside each layer as last computed (see `updateViews`;
    /// nothing while its view is closed); returns each layer's health then, in words, as a JSON list.
    #[wasm_bindgen(js_name = drawInside)]
    pub fn draw_inside(&mut self, canvas: &HtmlCanvasElement) -> Result<String, JsError> {
        let root = backend(canvas)?;
        let Some((strip, health)) = self.views.inside.shown().and_then(InsideJob::picture) else {
            present(&root)?;
            return Ok("[]".into());
        };
        draw_inside(&root, strip, health, self.look).map_err(js_error)?;
        present(&root)?;
        let lines: Vec<String> = health.iter().enumerate().map(|(l, h)| format!("{}: {}", tr!("Layer {l}", l = l + 1), h.text())).collect();
        Ok(serde_json::to_string(&lines).unwrap_or_default())
    }

    /// What the view inside each layer shows ("weights", …), or "" while it is closed.
    #[wasm_bindgen(js_name = insideQuantity)]
    pub fn inside_quantity(&self) -> String {
        self.lab.inside().map_or("", Quantity::id).to_string()
    }

    /// Opens the view inside each layer on `quantity` ("weights", "gradients",
    /// "activations"), or closes it ("").
    #[wasm_bindgen(js_name = setInside)]
    pub fn set_inside(&mut self, quantity: &str) -> Result<(), JsError> {
        let inside = if quantity.is_empty() { None } else { Some(Quantity::from_id(quantity).map_err(js_error)?) };
        self.lab.set_inside(inside);
        Ok(())
    }

    /// Draws the learning-rate sweep on `canvas`.
    #[wasm_bindgen(js_name = drawSweep)]
    pub fn draw_sweep(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let Some(sweep) = self.lab.sweep() else { return Err(js_error("the sweep is not shown")) };
        let root = backend(canvas)?;
        let scene = SweepScene {
            range: sweep.range(),
            points: sweep.points(),
            start_value: self.lab.run().history()[0].metrics.train_loss,
            words: ("L", &tr!("epochs")),
            stop_panel: false,
            current: self.lab.settings().lr,
            bound: None,
            look: self.look,
        };
        self.sweep_mapping = Some(draw_sweep(&root, &scene).map_err(js_error)?);
        present(&root)
    }

    /// The sweep's α nearest canvas pixel column `x` of its chart, or null
    /// outside it or before any point (the page then sets it as α).
    #[wasm_bindgen(js_name = sweepLrAt)]
    pub fn sweep_lr_at(&self, x: f64) -> Option<f64> {
        self.sweep_mapping.and_then(|m| m.lr_at(x)).and_then(|lr| self.lab.sweep_lr_near(lr).ok())
    }

    /// The α under canvas pixel column `x` of the range test's chart, rounded
    /// to three digits, or null outside it (the page then sets it as α).
    #[wasm_bindgen(js_name = rangeTestLrAt)]
    pub fn range_test_lr_at(&self, x: f64) -> Option<f64> {
        self.range_mapping.and_then(|m| m.lr_at(x)).map(|lr| crate::format::sig(lr, 3).parse().unwrap_or(lr))
    }
}

impl NetworkLab {
    /// The outline of the boundary before the last re-training change over
    /// `view` (none without one), found again only when the ghost or the box changes.
    fn ghost_edges(&mut self, view: ViewBox) -> Edges {
        let Some(ghost) = self.lab.ghost_network() else { return Vec::new() };
        if !matches!(&self.ghost_edges, Some((params, at, _)) if *params == ghost.params && *at == view) {
            let edges = class_edges(&ghost, view, OUTLINE_CELLS);
            self.ghost_edges = Some((ghost.params, view, edges));
        }
        self.ghost_edges.as_ref().map(|(_, _, edges)| edges.clone()).unwrap_or_default()
    }
}
