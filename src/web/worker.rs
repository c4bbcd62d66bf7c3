//! What a Web Worker runs: the losses at points of a landscape's grid and the
//! points of a learning-rate sweep, computed by the same code as on the page
//! (see `www/worker.js`).

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::nn::lab::{sweep_point, SweepContext};
use crate::nn::landscape::{GridContext, PointLosses};
use crate::nn::train::TrainingRun;
use crate::sweep::SweepRange;
use crate::wire::Wire;

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

/// Trains the α values of one learning-rate sweep, from the context the page handed out.
#[wasm_bindgen]
pub struct SweepWorker {
    sweep: u32,
    start: TrainingRun,
    range: SweepRange,
}

#[wasm_bindgen]
impl SweepWorker {
    /// The worker of the sweep described by `context` (the bytes of the page's `sweepContext()`).
    #[wasm_bindgen(constructor)]
    pub fn new(context: &[u8]) -> Result<SweepWorker, JsError> {
        let context = SweepContext::from_bytes(context).map_err(js_error)?;
        let range = context.range.checked_for("epochs").map_err(js_error)?;
        Ok(SweepWorker { sweep: context.sweep, start: context.start().map_err(js_error)?, range })
    }

    /// The sweep these are the points of.
    pub fn sweep(&self) -> u32 {
        self.sweep
    }

    /// The point of α number `index`, after its N epochs, as bytes for the page's `fillSweep`.
    pub fn point(&self, index: u32) -> Result<Vec<u8>, JsError> {
        let index = index as usize;
        if index >= self.range.count {
            return Err(js_error(format!("the sweep has {} values of α, not {}", self.range.count, index + 1)));
        }
        Ok(sweep_point(&self.start, self.range, index).to_bytes())
    }
}
