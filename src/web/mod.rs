//! The browser boundary: the one module that knows wasm-bindgen, web-sys and
//! plotters-canvas. JavaScript owns the events and the play loop; the handles
//! here own the state and draw. Every error becomes a readable `Error` in
//! JavaScript; nothing here panics on user input.

mod canvas;
mod descent;
mod landscape;
mod network;
mod worker;

pub use descent::DescentLab;
pub use network::NetworkLab;
pub use worker::{GridWorker, SweepWorker};

use canvas::MeasuredCanvas;
use plotters::coord::Shift;
use plotters::prelude::*;
use wasm_bindgen::{Clamped, JsCast, JsError};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Makes `lang` ("en", "zh"; English for one it does not know) the language
/// of the texts the core writes from now on, with `table` its translations
/// as JSON ({English text: its translation}; none for English).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = setLanguage)]
pub fn set_language(lang: &str, table: &str) -> Result<(), JsError> {
    use crate::named::Named;
    crate::i18n::set_language(crate::i18n::Lang::from_id(lang).unwrap_or_default(), table).map_err(js_error)
}

/// The texts the core looked up that its language's table lacks, as a JSON list (for the tests).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = untranslatedTexts)]
pub fn untranslated_texts() -> String {
    json_text(&crate::i18n::untranslated())
}

/// The choices of every menu of both labs, as JSON: {menu: [{id, label}]}.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = menuChoices)]
pub fn menu_choices() -> String {
    json_text(&crate::choices::all())
}

/// A dashed vertical line at `x` across the span of the positive `values`,
/// named `label` in the legend: where something happened on a loss chart.
fn vertical_mark(label: &str, x: f64, values: &[f64]) -> crate::draw::series_chart::Series {
    let positive = values.iter().copied().filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = positive.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let points = if lo.is_finite() { vec![(x, lo), (x, hi)] } else { Vec::new() };
    crate::draw::series_chart::Series { label: label.into(), points, dashed: true }
}

/// `value` as compact JSON text, written by serde_json's serializer (a
/// `serde_json::Value`'s `to_string` goes through its Display, which carries
/// a pretty printer into the wasm too).
fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

/// A white drawing area over the whole canvas.
fn backend(canvas: &HtmlCanvasElement) -> Result<DrawingArea<MeasuredCanvas, Shift>, JsError> {
    let root = MeasuredCanvas::new(canvas.clone()).ok_or_else(|| js_error("this browser gives no 2-D canvas"))?.into_drawing_area();
    root.fill(&WHITE).map_err(|e| js_error(crate::draw::drawing_error(e)))?;
    Ok(root)
}

fn present(root: &DrawingArea<MeasuredCanvas, Shift>) -> Result<(), JsError> {
    root.present().map_err(|e| js_error(crate::draw::drawing_error(e)))
}

/// The canvas's 2-D context.
fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| js_error("this browser gives no 2-D canvas"))
}

/// Puts an RGBA raster of `size` pixels on the canvas with its top-left corner at `at`, in one call.
fn put_rgba(canvas: &HtmlCanvasElement, rgba: &[u8], size: (u32, u32), at: (i32, i32)) -> Result<(), JsError> {
    let ctx = context(canvas)?;
    ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), size.0, size.1)
        .and_then(|image| ctx.put_image_data(&image, at.0 as f64, at.1 as f64))
        .map_err(|_| js_error("could not paint the raster on the canvas"))
}

/// Puts an RGBA raster of `size` pixels on the canvas over the box of `shown`
/// pixels at `at`: as it is when the sizes agree, else drawn on `scratch`
/// (a canvas of its own, made the first time) and stretched over the box,
/// smoothed (bilinearly) by the browser.
fn put_rgba_stretched(
    canvas: &HtmlCanvasElement,
    scratch: &mut Option<HtmlCanvasElement>,
    rgba: &[u8],
    size: (u32, u32),
    at: (i32, i32),
    shown: (u32, u32),
) -> Result<(), JsError> {
    if size == shown {
        return put_rgba(canvas, rgba, size, at);
    }
    if scratch.is_none() {
        let made = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("canvas").ok());
        *scratch = made.and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok());
    }
    let raster = scratch.as_ref().ok_or_else(|| js_error("could not make a canvas for the raster"))?;
    raster.set_width(size.0);
    raster.set_height(size.1);
    put_rgba(raster, rgba, size, (0, 0))?;
    let ctx = context(canvas)?;
    ctx.set_image_smoothing_enabled(true);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(raster, at.0.into(), at.1.into(), shown.0.into(), shown.1.into())
        .map_err(|_| js_error("could not paint the raster on the canvas"))
}

/// The canvas's pixels as they are now, to put back with [`restore`].
fn snapshot(canvas: &HtmlCanvasElement) -> Result<ImageData, JsError> {
    context(canvas)?
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .map_err(|_| js_error("could not read the canvas"))
}

/// Puts back pixels taken by [`snapshot`].
fn restore(canvas: &HtmlCanvasElement, picture: &ImageData) -> Result<(), JsError> {
    context(canvas)?.put_image_data(picture, 0.0, 0.0).map_err(|_| js_error("could not paint the canvas"))
}
