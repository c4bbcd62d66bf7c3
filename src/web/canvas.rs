//! The canvas the charts are drawn on: plotters-canvas's backend, with the
//! sizes of texts remembered. plotters measures a text by putting it in the
//! page and reading its size back, which makes the browser lay out the page
//! again for every label after the page changed (a few milliseconds each on
//! a step); the charts measure mostly the same texts at every draw.

use std::cell::RefCell;
use std::collections::HashMap;

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// What goes wrong on the canvas (plotters-canvas does not name its type).
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

/// The most text sizes remembered; past it all are forgotten and measured afresh as they come.
const REMEMBERED: usize = 4096;

thread_local! {
    /// (text, font as the canvas names it) → its width and height in pixels, as plotters measured them.
    static SIZES: RefCell<HashMap<(String, String), (u32, u32)>> = RefCell::new(HashMap::new());
}

/// A canvas to draw on whose texts are measured once.
pub struct MeasuredCanvas(CanvasBackend);

impl MeasuredCanvas {
    /// The backend of `canvas`, or None when the browser gives it no 2-D context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
        CanvasBackend::with_canvas_object(canvas).map(MeasuredCanvas)
    }
}

/// Every drawing is the canvas's own; only the size of a text is remembered.
impl DrawingBackend for MeasuredCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.fill_polygon(vertices, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        let key = (text.to_string(), font);
        if let Some(size) = SIZES.with(|sizes| sizes.borrow().get(&key).copied()) {
            return Ok(size);
        }
        let size = self.0.estimate_text_size(text, style)?;
        SIZES.with(|sizes| {
            let mut sizes = sizes.borrow_mut();
            if sizes.len() >= REMEMBERED {
                sizes.clear();
            }
            sizes.insert(key, size);
        });
        Ok(size)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, (width, height): (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.0.blit_bitmap(pos, (width, height), src)
    }
}
