//! Work shared out to Web Workers: the page hands out shares of the loss
//! landscape's grid under way and the α values of the learning-rate sweep, a
//! worker computes them with [`GridWorker`](crate::web::GridWorker) and
//! [`SweepWorker`](crate::web::SweepWorker), and the page takes them back.

use wasm_bindgen::prelude::*;

use super::NetworkLab;
use crate::sweep::SweepPoint;
use crate::web::{js_error, json_text};
use crate::wire::Wire;

#[wasm_bindgen]
impl NetworkLab {
    /// Shares the landscape's grid out to workers (`advanceViews` then takes
    /// points after theirs with what its slices have left) or not (every
    /// point not yet back is computed here).
    #[wasm_bindgen(js_name = shareLandscapeOut)]
    pub fn share_landscape_out(&mut self, shared: bool) {
        self.views.share_grid_out(shared);
    }

    /// The next `count` points of the landscape's grid for a worker, JSON
    /// {grid, from, indices}; undefined when none are left to hand out.
    #[wasm_bindgen(js_name = shareLandscape)]
    pub fn share_landscape(&mut self, count: u32) -> Option<String> {
        self.views.share_grid(count as usize).map(|share| json_text(&share))
    }

    /// What a worker needs to compute the points of the grid under way (bytes); undefined when there is none.
    #[wasm_bindgen(js_name = landscapeContext)]
    pub fn landscape_context(&self) -> Option<Vec<u8>> {
        self.views.grid_context(self.lab.run()).map(|context| context.to_bytes())
    }

    /// Takes back the losses a worker computed for the share at `from` of
    /// grid `grid`; false when that grid is no longer the one under way.
    #[wasm_bindgen(js_name = fillLandscape)]
    pub fn fill_landscape(&mut self, grid: u32, from: u32, values: &[f64]) -> bool {
        self.views.fill_grid(grid, from as usize, values)
    }

    /// Hands the sweep's α values out to workers (`advanceSweep` then only
    /// finishes one begun here) or not (every α not yet back is trained here).
    #[wasm_bindgen(js_name = shareSweepOut)]
    pub fn share_sweep_out(&mut self, shared: bool) {
        self.lab.share_sweep_out(shared);
    }

    /// The next α of the sweep for a worker, JSON {sweep, index}; undefined when none is left to hand out.
    #[wasm_bindgen(js_name = shareSweep)]
    pub fn share_sweep(&mut self) -> Option<String> {
        self.lab.share_sweep().map(|(sweep, index)| json_text(&serde_json::json!({ "sweep": sweep, "index": index })))
    }

    /// What a worker needs to compute the sweep's points (bytes); undefined without a sweep.
    #[wasm_bindgen(js_name = sweepContext)]
    pub fn sweep_context(&self) -> Option<Vec<u8>> {
        self.lab.sweep_context().map(|context| context.to_bytes())
    }

    /// Takes the point (a worker's bytes) of α number `index` of sweep
    /// `sweep`; false when that sweep is no longer the one shown.
    #[wasm_bindgen(js_name = fillSweep)]
    pub fn fill_sweep(&mut self, sweep: u32, index: u32, point: &[u8]) -> Result<bool, JsError> {
        let point = SweepPoint::from_bytes(point).map_err(js_error)?;
        Ok(self.lab.fill_sweep(sweep, index as usize, point))
    }
}
