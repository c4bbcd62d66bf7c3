//! The backprop lab's loss landscape: the chosen plane, its grid refined from
//! frame to frame, drawn flat (heatmap, contours, path, −∇L) or in 3-D.

use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use wasm_bindgen::JsError;
use web_sys::HtmlCanvasElement;

use super::{backend, js_error, present, put_rgba};
use crate::draw::layer::{ColourScale, SurfaceLayer};
use crate::draw::surface3d_chart::{draw_surface_3d, Angle3d, Scene3d};
use crate::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use crate::draw::{drawing_error, Look};
use crate::link;
use crate::nn::explain::ParamId;
use crate::nn::landscape::{Landscape, PlaneChoice, GRID};
use crate::nn::train::TrainingRun;

/// Which plane the landscape shows, as the page and links name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaneKind {
    Weights,
    Random,
    Training,
}

impl PlaneKind {
    const ALL: [PlaneKind; 3] = [PlaneKind::Weights, PlaneKind::Random, PlaneKind::Training];

    fn id(self) -> &'static str {
        match self {
            PlaneKind::Weights => "weights",
            PlaneKind::Random => "random",
            PlaneKind::Training => "training",
        }
    }

    fn from_id(id: &str) -> Result<PlaneKind, String> {
        PlaneKind::ALL.into_iter().find(|k| k.id() == id).ok_or_else(|| format!("unknown plane \"{id}\""))
    }
}

/// The landscape's settings, as JSON from the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LandscapeSettings {
    pub plane: PlaneKind,
    /// The two parameters of the "weights" plane, as indices into the parameters.
    pub a: usize,
    pub b: usize,
    /// The seed of the random plane's directions.
    pub seed: u64,
    /// Drawn in 3-D instead of as a heatmap.
    pub three_d: bool,
}

impl LandscapeSettings {
    fn choice(&self) -> PlaneChoice {
        match self.plane {
            PlaneKind::Weights => PlaneChoice::Weights { a: self.a, b: self.b },
            PlaneKind::Random => PlaneChoice::Random { seed: self.seed },
            PlaneKind::Training => PlaneChoice::Training,
        }
    }
}

/// A grid level's heatmap and contours at a raster size.
struct Heatmap {
    /// Points per side of the level.
    n: usize,
    size: (u32, u32),
    layer: SurfaceLayer,
}

/// The landscape panel: settings, the angle of the 3-D view, the landscape
/// made for the current weights, and the heatmap drawn last.
pub struct LandscapePanel {
    pub settings: LandscapeSettings,
    pub angle: Angle3d,
    /// The landscape, or why there is none, and the weights it was made at.
    made: Option<(Vec<f64>, Result<Landscape, String>)>,
    /// The heatmap drawn last.
    heatmap: Option<Heatmap>,
}

impl LandscapePanel {
    pub fn new() -> LandscapePanel {
        LandscapePanel {
            settings: LandscapeSettings { plane: PlaneKind::Weights, a: 0, b: 1, seed: 1, three_d: false },
            angle: Angle3d::DEFAULT,
            made: None,
            heatmap: None,
        }
    }

    /// Forgets the landscape: the run was replaced. Chosen weights that the
    /// new network does not have become its first two.
    pub fn clear(&mut self, run: &TrainingRun) {
        self.made = None;
        self.heatmap = None;
        let count = run.network().params.len();
        if self.settings.a >= count || self.settings.b >= count {
            self.settings.a = 0;
            self.settings.b = 1;
        }
    }

    pub fn configure(&mut self, settings: LandscapeSettings, run: &TrainingRun) -> Result<(), String> {
        let count = run.network().params.len();
        if settings.a >= count || settings.b >= count || settings.a == settings.b {
            return Err(format!("choose two different weights among the network's {count}"));
        }
        self.settings = settings;
        self.made = None;
        self.heatmap = None;
        Ok(())
    }

    /// The landscape's part of a link: the plane, its weights or seed, and 3-D.
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        let s = &self.settings;
        let mut pairs = vec![("plane", s.plane.id().to_string())];
        match s.plane {
            PlaneKind::Weights => pairs.extend([("pa", s.a.to_string()), ("pb", s.b.to_string())]),
            PlaneKind::Random => pairs.push(("pseed", s.seed.to_string())),
            PlaneKind::Training => {}
        }
        if s.three_d {
            pairs.push(("view", "3d".into()));
        }
        pairs
    }

    /// Takes the landscape's part of a link for `run`; what cannot be used is named in `r`'s notice.
    pub fn read_link(&mut self, r: &mut link::LinkReader, run: &TrainingRun) {
        let mut s = LandscapePanel::new().settings;
        let count = run.network().params.len();
        let index = |v: &str| link::count(v).and_then(|i| if i < count { Ok(i) } else { Err("no such weight".into()) });
        if let Some(plane) = r.read("plane", PlaneKind::from_id) {
            s.plane = plane;
        }
        if let Some(a) = r.read("pa", index) {
            s.a = a;
        }
        if let Some(b) = r.read("pb", index) {
            s.b = b;
        }
        if let Some(seed) = r.read("pseed", |v| link::count(v).map(|n| n as u64)) {
            s.seed = seed;
        }
        if let Some(view) = r.read("view", |v| if v == "3d" { Ok(true) } else { Err("unknown".into()) }) {
            s.three_d = view;
        }
        if s.a == s.b {
            r.ignore("pb");
            s.b = if s.a == 0 { 1 } else { 0 };
        }
        self.settings = s;
        self.made = None;
        self.heatmap = None;
    }

    /// A weight clicked on the diagram becomes the first of the pair, the previous first the second.
    pub fn choose_weight(&mut self, index: usize) {
        if index != self.settings.a {
            self.settings.b = self.settings.a;
            self.settings.a = index;
            self.made = None;
        }
    }

    /// The landscape of the run now, made afresh when the weights or the settings changed.
    fn landscape(&mut self, run: &TrainingRun) -> &mut Result<Landscape, String> {
        let now = &run.current().params;
        if !matches!(&self.made, Some((at, _)) if at == now) {
            let made = if run.train_data().is_empty() {
                Err("there are no training points to measure the loss on".to_string())
            } else {
                Landscape::new(run, self.settings.choice())
            };
            self.made = Some((now.clone(), made));
            self.heatmap = None;
        }
        &mut self.made.as_mut().expect("just made").1
    }

    /// Computes up to `count` more grid points; returns how many remain.
    pub fn refine(&mut self, run: &TrainingRun, count: usize) -> usize {
        match self.landscape(run) {
            Ok(landscape) => landscape.refine(run, count),
            Err(_) => 0,
        }
    }

    /// Points per side of the finest complete level of the grid (0 when there is no picture).
    pub fn level(&mut self, run: &TrainingRun) -> usize {
        match self.landscape(run) {
            Ok(l) => l.grid.finest_size().unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// What the page shows beside the chart: the parameter names for the two
    /// lists, the chosen ones, the grid's progress, the shares of the path's
    /// spread along the plane of training and why there is no picture.
    pub fn status(&mut self, run: &TrainingRun) -> serde_json::Value {
        let arch = &run.network().arch;
        let names: Vec<String> = (0..run.network().params.len()).filter_map(|i| ParamId::of_index(arch, i)).map(|p| p.name()).collect();
        let settings = self.settings.clone();
        let (grid, explained, message) = match self.landscape(run) {
            Ok(l) => (l.grid.finest_size(), l.explained, None),
            Err(e) => (None, None, Some(e.clone())),
        };
        json!({ "settings": settings, "names": names, "grid": grid, "finest": GRID, "explained": explained, "message": message })
    }

    pub fn draw(&mut self, canvas: &HtmlCanvasElement, run: &TrainingRun, look: Look) -> Result<(), JsError> {
        let root = backend(canvas)?;
        let three_d = self.settings.three_d;
        let angle = self.angle;
        let (level, path, slope, [x_name, y_name]) = match self.landscape(run) {
            Ok(l) => (l.grid.finest(), l.path.clone(), l.slope, axis_names(l, run, three_d)),
            Err(message) => {
                let (w, h) = root.dim_in_pixel();
                let font = look.caption().into_font().color(&BLACK);
                let per_line = (w as f64 / (0.55 * look.scale * 15.0)).max(10.0) as usize;
                let lines = wrap(&format!("No picture: {message}."), per_line);
                let line_height = (look.scale * 22.0) as i32;
                let top = h as i32 / 2 - line_height * lines.len() as i32 / 2;
                for (k, line) in lines.iter().enumerate() {
                    root.draw(&Text::new(line.as_str(), (look.offset(16), top + k as i32 * line_height), font.clone()))
                        .map_err(|e| js_error(drawing_error(e)))?;
                }
                return present(&root);
            }
        };
        let Some(level) = level else { return present(&root) };
        if three_d {
            let scene = Scene3d {
                level: &level,
                scale: ColourScale::fit(&level.values),
                path: &path,
                axis_names: [&x_name, &y_name],
                value_name: "L",
                angle,
                look,
            };
            draw_surface_3d(&root, &scene).map_err(js_error)?;
            return present(&root);
        }
        let mapping = plot_mapping(&root, level.view, look).map_err(js_error)?;
        let (x0, x1, y0, y1) = mapping.pixels;
        let size = ((x1 - x0).max(1) as u32, (y1 - y0).max(1) as u32);
        if !matches!(&self.heatmap, Some(h) if h.n == level.n && h.size == size && h.layer.view == level.view) {
            let layer = SurfaceLayer::of_function(|p| level.value(p), level.view, size.0, size.1);
            self.heatmap = Some(Heatmap { n: level.n, size, layer });
        }
        let Some(Heatmap { layer, .. }) = &self.heatmap else { unreachable!("the heatmap was just computed") };
        let scene = SurfaceScene {
            layer,
            axis_names: [&x_name, &y_name],
            trajectory: &path,
            ghost: None,
            gradient: slope,
            minima: &[],
            value_name: "L",
            mark_start: path.len() > 1,
            look,
        };
        let mut raster = Ok(());
        let drawn = draw_surface(&root, &scene, |x, y| raster = put_rgba(canvas, &layer.rgba, layer.size, (x, y)));
        raster?;
        drawn.map_err(js_error)?;
        present(&root)
    }
}

/// The axis names of the plane of `landscape`; `short` ones for the 3-D view, whose names sit at the axes' ends.
fn axis_names(landscape: &Landscape, run: &TrainingRun, short: bool) -> [String; 2] {
    let name = |i: usize| ParamId::of_index(&run.network().arch, i).map_or_else(|| format!("parameter {i}"), |p| p.name());
    match (landscape.choice, landscape.explained) {
        (PlaneChoice::Weights { a, b }, _) => [name(a), name(b)],
        (PlaneChoice::Training, _) if short => ["direction 1".into(), "direction 2".into()],
        (PlaneChoice::Random { .. }, _) if short => ["a".into(), "b".into()],
        (PlaneChoice::Training, Some([e1, e2])) => {
            [format!("direction 1 ({:.1}% of the path's spread)", 100.0 * e1), format!("direction 2 ({:.1}%)", 100.0 * e2)]
        }
        _ => ["a (random direction 1)".into(), "b (random direction 2)".into()],
    }
}

/// `text` in lines of at most `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
