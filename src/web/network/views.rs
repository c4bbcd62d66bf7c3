//! The backprop lab's slow views for the page: the loss landscape's plane
//! and 3-D turn, and the boundary's raster, the line, the landscape and the
//! view inside each layer, computed a piece at a time and drawn as they come.

use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::NetworkLab;
use crate::named::Named;
use crate::nn::lab::LandscapeSettings;
use crate::nn::views::{Follow, View};
use crate::web::{js_error, json_text};

#[wasm_bindgen]
impl NetworkLab {
    /// Chooses the landscape's plane and view (JSON: plane "weights", "random"
    /// or "training", a and b the indices of two parameters, seed, threeD).
    #[wasm_bindgen(js_name = setLandscape)]
    pub fn set_landscape(&mut self, json: &str) -> Result<(), JsError> {
        let settings: LandscapeSettings =
            serde_json::from_str(json).map_err(|e| js_error(format!("the landscape settings could not be read: {e}")))?;
        self.lab.set_view(settings).map_err(js_error)?;
        self.views.landscape.clear();
        Ok(())
    }

    /// The landscape's settings, the parameters' names, the finest grid drawn so far and why there is no picture (JSON).
    #[wasm_bindgen(js_name = landscapeJson)]
    pub fn landscape_json(&self) -> String {
        json_text(&self.landscape.status(self.views.landscape.shown(), self.lab.run(), self.lab.view()))
    }

    /// Makes the slow views' jobs those of the weights now: while `playing`,
    /// a job for older weights goes on to its first picture, and the views
    /// not `shown` (their ids, "boundary", "line", "landscape", "inside",
    /// separated by spaces) wait; otherwise the newest step wins.
    #[wasm_bindgen(js_name = updateViews)]
    pub fn update_views(&mut self, playing: bool, shown: &str) {
        let follow = if playing { Follow::Finish } else { Follow::Newest };
        let shown: Vec<View> = shown.split_whitespace().filter_map(|id| View::from_id(id).ok()).collect();
        self.views.update(self.lab.run(), (self.lab.view().choice(), self.lab.view().grid), self.lab.inside(), follow, &shown);
    }

    /// Does up to `pieces` more of the slow views' work (each a pass over the
    /// training points or less); returns how many pieces remain here. With the
    /// grid shared out, its points not yet handed out count; those out at workers do not.
    #[wasm_bindgen(js_name = advanceViews)]
    pub fn advance_views(&mut self, pieces: u32) -> u32 {
        self.views.advance(self.lab.run(), pieces as usize) as u32
    }

    /// Each slow view's picture: a version that changes when it does, and
    /// whether it is older than the weights now (JSON {boundary, line, landscape, inside}).
    #[wasm_bindgen(js_name = viewsJson)]
    pub fn views_json(&self) -> String {
        let view = |version: u32, updating: bool| json!({ "version": version, "updating": updating });
        let v = &self.views;
        json_text(&json!({
            "boundary": view(v.boundary.version(), v.boundary.updating()),
            "line": view(v.line.version(), v.line.updating()),
            "landscape": view(v.landscape.version(), v.landscape.updating()),
            "inside": view(v.inside.version(), v.inside.updating()),
            "texts": v.describe(self.digits),
        }))
    }

    /// Turns the 3-D view by a drag of (dx, dy) pixels.
    #[wasm_bindgen(js_name = turnLandscape)]
    pub fn turn_landscape(&mut self, dx: f64, dy: f64) {
        self.landscape.angle = self.landscape.angle.dragged(dx, dy);
    }

    /// Draws the loss over the chosen plane: the finest level of its grid computed so far.
    #[wasm_bindgen(js_name = drawLandscape)]
    pub fn draw_landscape(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.landscape.draw(canvas, self.views.landscape.shown(), self.lab.run(), self.lab.view(), self.look)
    }
}
