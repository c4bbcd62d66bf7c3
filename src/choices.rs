//! The choices of every menu of both labs, for the page to build its menus
//! from: the page offers exactly what the core knows.

use serde_json::{json, Value};

use crate::descent::surface::{Surface, SURFACE_IDS};
use crate::named::{choices, Choice, Named};
use crate::nn::activation::Activation;
use crate::nn::data::DatasetKind;
use crate::nn::lab::PlaneKind;
use crate::nn::network::{Init, Loss};
use crate::optim::Optimizer;

/// {menu: [{id, label}]}; each data set also says whether it is classification.
pub fn all() -> Value {
    let surfaces: Vec<Choice> =
        SURFACE_IDS.iter().filter_map(|id| Surface::from_id(id).ok()).map(|s| Choice { id: s.id(), label: s.label() }).collect();
    let datasets: Vec<Value> =
        DatasetKind::ALL.iter().map(|d| json!({ "id": d.id(), "label": d.label(), "classification": d.is_classification() })).collect();
    json!({
        "surfaces": surfaces,
        "optimizers": choices::<Optimizer>(),
        "datasets": datasets,
        "activations": choices::<Activation>(),
        "losses": choices::<Loss>(),
        "inits": choices::<Init>(),
        "planes": choices::<PlaneKind>(),
    })
}
