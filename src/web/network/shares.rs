//! The loss landscape's grid shared out to Web Workers: the page hands out
//! shares of the grid under way, a worker computes their losses with
//! [`GridWorker`](crate::web::GridWorker), and the page takes them back.

use wasm_bindgen::prelude::*;

use super::NetworkLab;

#[wasm_bindgen]
impl NetworkLab {
    /// Shares the landscape's grid out to workers (`advanceViews` then leaves
    /// it to them) or not (every point not yet back is computed here).
    #[wasm_bindgen(js_name = shareLandscapeOut)]
    pub fn share_landscape_out(&mut self, shared: bool) {
        self.views.share_grid_out(shared);
    }

    /// The next `count` points of the landscape's grid for a worker, JSON
    /// {grid, from, indices}; undefined when none are left to hand out.
    #[wasm_bindgen(js_name = shareLandscape)]
    pub fn share_landscape(&mut self, count: u32) -> Option<String> {
        self.views.share_grid(count as usize).map(|share| serde_json::json!(share).to_string())
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
}
