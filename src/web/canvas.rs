//! The canvas the charts are drawn on: plotters-canvas's backend, with the
//! sizes of texts remembered and the stroke of paths set only when it
//! changes. plotters measures a text by putting it in the page and reading
//! its size back, which makes the browser lay out the page again for every
//! label after the page changed (a few milliseconds each on a step); the
//! charts measure mostly the same texts at every draw. And plotters-canvas
//! sets the stroke of every path anew, as a colour written out in text that
//! the browser reads back: setting it only when it changes draws the 1,328
//! edges of the largest network's diagram in 6.5 ms rather than 8.5 (in
//! Chromium without a GPU; most of the rest is the browser painting them).

use std::cell::RefCell;
use std::collections::HashMap;

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// What goes wrong on the canvas (plotters-canvas does not name its type).
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

/// The most text sizes remembered; past it all are forgotten and measured afresh as they come.
const REMEMBERED: usize = 4096;

thread_local! {
    /// (text, font as the canvas names it) → its width and height in pixels, as plotters measured them.
    static SIZES: RefCell<HashMap<(String, String), (u32, u32)>> = RefCell::new(HashMap::new());
}

/// A canvas to draw on whose texts are measured once and whose paths set
/// their stroke only when it changes.
pub struct MeasuredCanvas {
    backend: CanvasBackend,
    /// The same canvas's 2-D context, for the paths drawn here.
    context: CanvasRenderingContext2d,
    /// The stroke (colour, opacity, width in pixels) last set on the context
    /// by a path drawn here; None once plotters-canvas may have set another.
    stroke: Option<((u8, u8, u8), f64, u32)>,
}

impl MeasuredCanvas {
    /// The backend of `canvas`, or None when the browser gives it no 2-D context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
        let context = canvas.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()?;
        Some(MeasuredCanvas { backend: CanvasBackend::with_canvas_object(canvas)?, context, stroke: None })
    }

    /// Sets the context's stroke to `style`'s colour, opacity and width, unless it is already that.
    fn set_stroke<S: BackendStyle>(&mut self, style: &S) {
        let BackendColor { rgb: (r, g, b), alpha } = style.color();
        let stroke = ((r, g, b), alpha, style.stroke_width());
        if self.stroke != Some(stroke) {
            // As plotters-canvas writes a colour.
            self.context.set_stroke_style_str(&format!("rgba({r},{g},{b},{alpha})"));
            self.context.set_line_width(f64::from(stroke.2));
            self.stroke = Some(stroke);
        }
    }
}

/// Every drawing is the canvas's own but paths, which set their stroke only
/// when it changes; the size of a text is remembered.
impl DrawingBackend for MeasuredCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.backend.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.stroke = None;
        self.backend.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.stroke = self.stroke.filter(|_| fill);
        self.backend.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        // As plotters-canvas draws a path, with the stroke set only when it changes.
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let mut path = path.into_iter();
        self.context.begin_path();
        if let Some(start) = path.next() {
            self.set_stroke(style);
            self.context.move_to(f64::from(start.0), f64::from(start.1));
            for next in path {
                self.context.line_to(f64::from(next.0), f64::from(next.1));
            }
        }
        self.context.stroke();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.stroke = self.stroke.filter(|_| fill);
        self.backend.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.fill_polygon(vertices, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        let key = (text.to_string(), font);
        if let Some(size) = SIZES.with(|sizes| sizes.borrow().get(&key).copied()) {
            return Ok(size);
        }
        let size = self.backend.estimate_text_size(text, style)?;
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
        self.backend.blit_bitmap(pos, (width, height), src)
    }
}
