//! The choices of every menu of both labs, for the page to build its menus
//! from: the page offers exactly what the core knows.

use serde_json::{json, Value};

use crate::descent::schedule::Schedule;
use crate::descent::surface::{Surface, SURFACE_IDS};
use crate::i18n::Lang;
use crate::named::{choices, Choice, Named};
use crate::nn::activation::Activation;
use crate::nn::data::DatasetKind;
use crate::nn::inside::Quantity;
use crate::nn::lab::PlaneKind;
use crate::nn::landscape::GridSize;
use crate::nn::network::{Init, Loss};
use crate::optim::Optimizer;

/// {menu: [{id, label}]}; each data set also says whether it is classification.
pub fn all() -> Value {
    let surfaces: Vec<Choice> =
        SURFACE_IDS.iter().filter_map(|id| Surface::from_id(id).ok()).map(|s| Choice { id: s.id(), label: s.label() }).collect();
    let datasets: Vec<Value> = DatasetKind::ALL
        .iter()
        .map(|d| json!({ "id": d.id(), "label": d.label(), "classification": d.is_classification(), "multiclass": d.is_multiclass() }))
        .collect();
    json!({
        "surfaces": surfaces,
        "optimizers": choices::<Optimizer>(),
        "schedules": choices::<Schedule>(),
        "datasets": datasets,
        "activations": Activation::HIDDEN.iter().map(|a| Choice { id: a.id(), label: a.label() }).collect::<Vec<_>>(),
        "outputs": choices::<Activation>(),
        "losses": choices::<Loss>(),
        "inits": choices::<Init>(),
        "planes": choices::<PlaneKind>(),
        "grids": choices::<GridSize>(),
        "languages": choices::<Lang>(),
        "quantities": choices::<Quantity>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every menu lists each choice once, under a label of its own, and reads back every id it lists.
    #[test]
    fn every_menu_has_distinct_ids_and_labels_that_read_back() {
        let menus = all();
        for (menu, list) in menus.as_object().unwrap() {
            let list = list.as_array().unwrap();
            assert!(list.len() >= 2, "{menu}");
            for key in ["id", "label"] {
                let mut values: Vec<&str> = list.iter().map(|c| c[key].as_str().unwrap()).collect();
                assert!(values.iter().all(|v| !v.trim().is_empty()), "{menu}: an empty {key}");
                values.sort_unstable();
                values.dedup();
                assert_eq!(values.len(), list.len(), "{menu}: {key}s repeat");
            }
        }
        let ids =
            |menu: &str| -> Vec<String> { menus[menu].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect() };
        assert!(ids("surfaces").iter().all(|id| Surface::from_id(id).is_ok_and(|s| s.id() == id)));
        assert!(ids("optimizers").iter().all(|id| Optimizer::from_id(id).is_ok_and(|o| o.id() == id)));
        assert!(ids("schedules").iter().all(|id| Schedule::from_id(id).is_ok_and(|s| s.id() == id)));
        assert!(ids("datasets").iter().all(|id| DatasetKind::from_id(id).is_ok_and(|d| d.id() == id)));
        assert!(ids("activations").iter().all(|id| Activation::from_id(id).is_ok_and(|a| a.id() == id && a != Activation::Softmax)));
        assert!(ids("outputs").iter().all(|id| Activation::from_id(id).is_ok_and(|a| a.id() == id)));
        assert!(ids("outputs").contains(&"softmax".to_string()), "softmax is an output");
        assert!(ids("losses").iter().all(|id| Loss::from_id(id).is_ok_and(|l| l.id() == id)));
        assert!(ids("inits").iter().all(|id| Init::from_id(id).is_ok_and(|i| i.id() == id)));
        assert!(ids("planes").iter().all(|id| PlaneKind::from_id(id).is_ok_and(|p| p.id() == id)));
        assert!(ids("grids").iter().all(|id| GridSize::from_id(id).is_ok_and(|g| g.id() == id)));
        assert!(ids("languages").iter().all(|id| Lang::from_id(id).is_ok_and(|l| l.id() == id)));
        assert!(ids("quantities").iter().all(|id| Quantity::from_id(id).is_ok_and(|q| q.id() == id)));
        assert_eq!(menus["datasets"][0]["classification"], true);
        let sine = menus["datasets"].as_array().unwrap().iter().find(|d| d["id"] == "sine").unwrap();
        assert_eq!(sine["classification"], false, "sine is a regression");
    }
}
