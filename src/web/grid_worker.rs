//! What a Web Worker runs: the losses at points of a landscape's grid,
//! computed by the same code as on the page (see `www/grid_worker.js`).

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::nn::landscape::{GridContext, PointLosses};

/// Computes L at points of one grid, from the context the page handed out.
#[wasm_bindgen]
pub struct GridWorker(PointLosses);

#[wasm_bindgen]
impl GridWorker {
    /// The worker of the grid described by `context` (the bytes of the page's `landscapeContext()`).
    #[wasm_bindgen(constructor)]
    pub fn new(context: &[u8]) -> Result<GridWorker, JsError> {
        GridContext::from_bytes(context).and_then(PointLosses::new).map(GridWorker).map_err(js_error)
    }

    /// The grid these are the losses of.
    pub fn grid(&self) -> u32 {
        self.0.grid()
    }

    /// L at each grid index of `indices`.
    pub fn losses(&mut self, indices: &[u32]) -> Vec<f64> {
        self.0.losses(indices)
    }
}
