//! Which loss landscape the lab shows: the plane through parameter space and
//! how it is drawn, as the page and links hold them.

use crate::tr;
use serde::{Deserialize, Serialize};

use crate::link::{self, LinkReader};
use crate::named::Named;
use crate::nn::landscape::{GridSize, PlaneChoice};

/// Which plane the landscape shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneKind {
    /// Two chosen weights; the others held.
    Weights,
    /// Two seeded random directions, normalised filter by filter.
    Random,
    /// The two principal directions of the path of training.
    Training,
}

impl Named for PlaneKind {
    const WHAT: &'static str = "plane";
    const ALL: &'static [PlaneKind] = &[PlaneKind::Weights, PlaneKind::Random, PlaneKind::Training];

    fn id(self) -> &'static str {
        match self {
            PlaneKind::Weights => "weights",
            PlaneKind::Random => "random",
            PlaneKind::Training => "training",
        }
    }

    fn label(self) -> &'static str {
        match self {
            PlaneKind::Weights => "two chosen weights",
            PlaneKind::Random => "two random directions",
            PlaneKind::Training => "the plane of training",
        }
    }
}

crate::serde_by_id!(PlaneKind);

/// The landscape's settings.
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
    /// How fine the grid ends.
    pub grid: GridSize,
}

impl Default for LandscapeSettings {
    fn default() -> Self {
        LandscapeSettings { plane: PlaneKind::Weights, a: 0, b: 1, seed: 1, three_d: false, grid: GridSize::Fine }
    }
}

impl LandscapeSettings {
    /// The plane, as the landscape computes it.
    pub fn choice(&self) -> PlaneChoice {
        match self.plane {
            PlaneKind::Weights => PlaneChoice::Weights { a: self.a, b: self.b },
            PlaneKind::Random => PlaneChoice::Random { seed: self.seed },
            PlaneKind::Training => PlaneChoice::Training,
        }
    }

    /// These settings, when they name two different weights among `count`.
    pub fn checked(self, count: usize) -> Result<LandscapeSettings, String> {
        if self.a >= count || self.b >= count || self.a == self.b {
            return Err(tr!("choose two different weights among the network's {count}", count = count));
        }
        Ok(self)
    }

    /// Keeps the chosen weights when a network of `count` parameters has them, else takes its first two.
    pub fn fit_to(&mut self, count: usize) {
        if self.a >= count || self.b >= count {
            (self.a, self.b) = (0, 1);
        }
    }

    /// A weight clicked on the diagram becomes the first of the pair, the
    /// previous first the second. Returns whether the pair changed.
    pub fn choose_weight(&mut self, index: usize) -> bool {
        if index == self.a {
            return false;
        }
        (self.b, self.a) = (self.a, index);
        true
    }

    /// The landscape's part of a link: the plane, its weights or seed, 3-D and the grid's size.
    pub fn link_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("plane", self.plane.id().to_string())];
        match self.plane {
            PlaneKind::Weights => pairs.extend([("pa", self.a.to_string()), ("pb", self.b.to_string())]),
            PlaneKind::Random => pairs.push(("pseed", self.seed.to_string())),
            PlaneKind::Training => {}
        }
        if self.three_d {
            pairs.push(("view", "3d".into()));
        }
        if self.grid != GridSize::Fine {
            pairs.push(("grid", self.grid.id().into()));
        }
        pairs
    }

    /// The landscape's part of a link, for a network of `count` parameters;
    /// what cannot be used is named in `r`'s notice.
    pub fn read_link(r: &mut LinkReader, count: usize) -> LandscapeSettings {
        let mut s = LandscapeSettings::default();
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
        if let Some(grid) = r.read("grid", GridSize::from_id) {
            s.grid = grid;
        }
        if s.a == s.b {
            r.ignore("pb");
            s.b = if s.a == 0 { 1 } else { 0 };
        }
        s
    }
}
