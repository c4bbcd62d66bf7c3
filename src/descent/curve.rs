//! One variable, where the article starts: f(x), the derivative as the slope
//! of the tangent, and gradient descent x ← x − α·f′(x) along the axis. A
//! curve runs in the descent lab as a surface whose second coordinate stays
//! 0 (its slope there is 0), so every update rule, the schedules, Back,
//! the race and the sweep work on it unchanged.

use super::surface::ViewBox;
use super::typed::{first_step_lr, is_span};
use crate::expr::TypedFunction;
use crate::tr;

/// A built-in curve: its id, what the menu calls it, f, the x range, where a run starts and α.
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    pub text: &'static str,
    pub range: (f64, f64),
    pub start: f64,
    pub lr: f64,
}

/// The built-in curves, then the id of one the user types.
pub const PRESETS: [Preset; 3] = [
    Preset { id: "curve_square", label: "One variable: x²", text: "x^2", range: (-2.0, 2.0), start: 1.8, lr: 0.1 },
    Preset {
        id: "curve_quartic", label: "One variable: x⁴ − 3x² + x", text: "x^4 - 3*x^2 + x", range: (-2.2, 2.2), start: 2.0, lr: 0.02
    },
    Preset { id: "curve_wave", label: "One variable: sin(x) + 0.1x²", text: "sin(x) + 0.1*x^2", range: (-8.0, 8.0), start: 6.5, lr: 0.3 },
];
pub const TYPED_CURVE: &str = "curve";

/// f(x) over an x range.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveSurface {
    /// A preset's id, or [`TYPED_CURVE`].
    pub id: &'static str,
    pub function: TypedFunction,
    pub range: (f64, f64),
}

impl CurveSurface {
    /// The built-in curve `id` (or the typed one's first function, x² − 2x, for [`TYPED_CURVE`]).
    pub fn preset(id: &str) -> Option<CurveSurface> {
        if id == TYPED_CURVE {
            return CurveSurface::typed("x^2 - 2*x", (-2.0, 4.0)).ok();
        }
        let p = PRESETS.iter().find(|p| p.id == id)?;
        Some(CurveSurface { id: p.id, function: TypedFunction::of_x(p.text).expect("a preset reads"), range: p.range })
    }

    /// f(x) typed as `text` over x in `range`, or why either cannot be used.
    pub fn typed(text: &str, range: (f64, f64)) -> Result<CurveSurface, String> {
        let (lo, hi) = range;
        if !is_span(lo, hi) {
            return Err(tr!(
                "x needs to run from a number to a larger one (got {lo} to {hi})",
                lo = crate::format::typed(lo),
                hi = crate::format::typed(hi)
            ));
        }
        Ok(CurveSurface { id: TYPED_CURVE, function: TypedFunction::of_x(text)?, range })
    }

    fn preset_of(&self) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.id == self.id)
    }

    pub fn label(&self) -> &'static str {
        self.preset_of().map_or("One variable: your own f(x)", |p| p.label)
    }

    pub fn value(&self, x: f64) -> f64 {
        self.function.value(&[x])
    }

    /// f′(x), from the symbolic derivative.
    pub fn slope(&self, x: f64) -> f64 {
        self.function.gradient(&[x])[0]
    }

    /// The x range, and f's range over it with a tenth of margin (the
    /// finite values of 400 samples), as a box.
    pub fn view(&self) -> ViewBox {
        let (lo, hi) = self.range;
        let values = (0..=400).map(|i| self.value(lo + (hi - lo) * i as f64 / 400.0)).filter(|v| v.is_finite());
        let (bottom, top) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        if !bottom.is_finite() {
            return ViewBox::new(lo, hi, -1.0, 1.0);
        }
        let margin = 0.1 * (top - bottom).max(1e-9);
        ViewBox::new(lo, hi, bottom - margin, top + margin)
    }

    /// Where a run starts: the preset's x, or a fifth in from the right end.
    pub fn default_start(&self) -> f64 {
        let (lo, hi) = self.range;
        self.preset_of().map_or(hi - (hi - lo) / 5.0, |p| p.start)
    }

    /// The preset's α, or one whose first step covers about a twentieth of the range (to one digit).
    pub fn default_lr(&self) -> f64 {
        if let Some(p) = self.preset_of() {
            return p.lr;
        }
        first_step_lr(self.range.1 - self.range.0, self.slope(self.default_start()).abs())
    }

    /// f″ when it is a constant above 0 (f is a parabola open upwards): descent is stable for α < 2/f″.
    pub fn curvature(&self) -> Option<f64> {
        self.function.hessian().map(|h| h[0][0]).filter(|k| *k > 0.0)
    }

    /// f′(x) as a formula: "f′(x) = …".
    pub fn slope_formula(&self) -> String {
        self.function.partial_lines()[0].replace("∂f/∂x", "f′(x)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presets_read_and_start_where_the_lessons_say() {
        let square = CurveSurface::preset("curve_square").unwrap();
        assert_eq!((square.value(1.5), square.slope(1.5), square.curvature()), (2.25, 3.0, Some(2.0)));
        assert_eq!(square.slope_formula(), "f′(x) = 2·x");
        assert_eq!((square.default_start(), square.default_lr()), (1.8, 0.1));
        let quartic = CurveSurface::preset("curve_quartic").unwrap();
        assert_eq!(quartic.slope_formula(), "f′(x) = 4·x^3 − 6·x + 1");
        assert_eq!(quartic.curvature(), None);
        let view = square.view();
        assert_eq!((view.x_min, view.x_max), (-2.0, 2.0));
        assert!((view.y_min + 0.4).abs() < 1e-9 && (view.y_max - 4.4).abs() < 1e-9, "{view:?}");
        assert!(CurveSurface::preset("curve_circle").is_none());
        assert_eq!(CurveSurface::typed("-x^2", (-1.0, 1.0)).unwrap().curvature(), None, "a cap has no bound");
    }

    #[test]
    fn a_typed_curve_needs_a_range_and_an_f_of_x() {
        let first = CurveSurface::preset(TYPED_CURVE).unwrap();
        assert_eq!(
            (first.function.text(), first.range),
            ("x^2 - 2*x", (-2.0, 4.0)),
            "the typed curve's first function, around its minimum at 1"
        );
        assert!(CurveSurface::typed("x^3", (1.0, -1.0)).unwrap_err().starts_with("x needs to run"));
        assert!(CurveSurface::typed("x + y", (-1.0, 1.0)).unwrap_err().contains("unknown name “y”"));
        let c = CurveSurface::typed("x^3 - x", (-2.0, 2.0)).unwrap();
        assert_eq!((c.id, c.label(), c.default_start()), (TYPED_CURVE, "One variable: your own f(x)", 1.2));
        // f′(1.2) = 3·1.44 − 1 = 3.32; a twentieth of 4 over it is 0.06.
        assert_eq!(c.default_lr(), 0.06);
    }

    /// The chart's box: f's range over the x range with a tenth of margin on
    /// each side; [−1, 1] where f has no finite value; a line has no curvature.
    #[test]
    fn the_view_holds_the_curve_with_a_margin() {
        // x² − 2x on [−2, 4]: from −1 (at x = 1) to 8, so the margin is 0.9.
        let view = CurveSurface::preset(TYPED_CURVE).unwrap().view();
        assert_eq!((view.x_min, view.x_max), (-2.0, 4.0));
        assert!((view.y_min + 1.9).abs() < 1e-12 && (view.y_max - 8.9).abs() < 1e-12, "{view:?}");
        let nowhere = CurveSurface::typed("sqrt(-1 - x^2)", (-1.0, 1.0)).unwrap().view();
        assert_eq!((nowhere.y_min, nowhere.y_max), (-1.0, 1.0));
        assert_eq!(CurveSurface::typed("2*x", (-1.0, 1.0)).unwrap().curvature(), None, "a line: every α is stable");
    }
}
