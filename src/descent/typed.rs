//! A surface the user typed: f(x, y) in the usual notation, over the box
//! they chose, descended with its exact (symbolic) gradient.

use super::surface::{bowl_eigenvalues, ViewBox};
use crate::expr::TypedFunction;
use crate::format::sig;
use crate::tr;

/// The function a new typed surface starts with.
pub const DEFAULT_FUNCTION: &str = "sin(x)*cos(y) + 0.1*(x^2 + y^2)";

/// The widest box a typed surface may be drawn over.
pub const MAX_BOX: f64 = 1e6;

/// f(x, y) and the box it is drawn over.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedSurface {
    pub function: TypedFunction,
    pub view: ViewBox,
}

impl Default for TypedSurface {
    /// sin(x)·cos(y) + 0.1·(x² + y²) over [−3, 3]².
    fn default() -> Self {
        let function = TypedFunction::of_xy(DEFAULT_FUNCTION).expect("the default function reads");
        TypedSurface { function, view: ViewBox::new(-3.0, 3.0, -3.0, 3.0) }
    }
}

impl TypedSurface {
    /// f typed as `text` over `view`, or why either cannot be used.
    pub fn new(text: &str, view: ViewBox) -> Result<TypedSurface, String> {
        Ok(TypedSurface { function: TypedFunction::of_xy(text)?, view: checked_box(view)? })
    }
}

/// Whether a side of a box runs from a number to a larger one, at most [`MAX_BOX`] on.
pub fn is_span(lo: f64, hi: f64) -> bool {
    lo.is_finite() && hi.is_finite() && lo < hi && hi - lo <= MAX_BOX
}

/// An α whose first step, against a slope of `slope`, covers a twentieth of
/// `span`, to one digit; 0.1 where the slope is 0 or not a number.
pub fn first_step_lr(span: f64, slope: f64) -> f64 {
    if !(slope.is_finite() && slope > 0.0) {
        return 0.1;
    }
    let lr: f64 = sig(span / 20.0 / slope, 1).parse().unwrap_or(0.1);
    lr.clamp(1e-6, 10.0)
}

/// `view` when x and y each run from a number to a larger one, at most [`MAX_BOX`] apart.
pub fn checked_box(view: ViewBox) -> Result<ViewBox, String> {
    let ViewBox { x_min, x_max, y_min, y_max } = view;
    if !is_span(x_min, x_max) || !is_span(y_min, y_max) {
        return Err(tr!(
            "the box needs x from a number to a larger one, and y too, at most {most} wide (got x {x_min} to {x_max}, y {y_min} to {y_max})",
            most = format!("{MAX_BOX:e}"),
            x_min = x_min,
            x_max = x_max,
            y_min = y_min,
            y_max = y_max
        ));
    }
    Ok(view)
}

impl TypedSurface {
    /// Where a run starts: left of and above the box's centre, as on the built-in bowls.
    pub fn default_start(&self) -> [f64; 2] {
        let v = self.view;
        let (cx, cy) = ((v.x_min + v.x_max) / 2.0, (v.y_min + v.y_max) / 2.0);
        let round = |t: f64, span: f64| (t / span * 100.0).round() * span / 100.0;
        [round(cx - 0.6 * (v.x_max - v.x_min) / 2.0, v.x_max - v.x_min), round(cy + 0.5 * (v.y_max - v.y_min) / 2.0, v.y_max - v.y_min)]
    }

    /// An α whose first step from `start` covers about a twentieth of the
    /// box, to one digit; 0.1 where the slope there is 0 or not a number.
    pub fn default_lr(&self, start: [f64; 2]) -> f64 {
        let g = self.function.gradient(&start);
        first_step_lr((self.view.x_max - self.view.x_min).hypot(self.view.y_max - self.view.y_min), g[0].hypot(g[1]))
    }

    /// The eigenvalues of f's Hessian when it is constant and both are above
    /// 0 (see [`bowl_eigenvalues`]).
    pub fn hessian_eigenvalues(&self) -> Option<[f64; 2]> {
        let h = self.function.hessian()?;
        bowl_eigenvalues([[h[0][0], h[0][1]], [h[1][0], h[1][1]]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_must_be_a_box_and_the_function_must_read() {
        let good = ViewBox::new(-1.0, 2.0, 0.0, 1.0);
        assert!(TypedSurface::new("x^2 + y^2", good).is_ok());
        for bad in [
            ViewBox::new(1.0, 1.0, 0.0, 1.0),
            ViewBox::new(0.0, 1.0, 2.0, -2.0),
            ViewBox::new(0.0, f64::NAN, 0.0, 1.0),
            ViewBox::new(0.0, 2e6, 0.0, 1.0),
        ] {
            assert!(TypedSurface::new("x", bad).unwrap_err().starts_with("the box needs"), "{bad:?}");
        }
        assert!(TypedSurface::new("x +", good).unwrap_err().starts_with("column 4"));
    }

    /// The first step from the default start moves about a twentieth of the box; a quadratic's Hessian gives its eigenvalues.
    #[test]
    fn the_default_start_and_alpha_show_the_first_steps() {
        let s = TypedSurface::new("x^2 + 3*y^2 + x*y", ViewBox::new(-2.0, 2.0, -2.0, 2.0)).unwrap();
        let start = s.default_start();
        assert_eq!(start, [-1.2, 1.0]);
        let lr = s.default_lr(start);
        // |∇f| = |(−1.4, 4.8)| = 5 and the box's diagonal √32: √32 / 20 / 5 = 0.057, to one digit.
        assert_eq!(lr, 0.06);
        let g = s.function.gradient(&start);
        let step = lr * g[0].hypot(g[1]);
        let twentieth = 32f64.sqrt() / 20.0;
        assert!(step > twentieth / 2.0 && step < twentieth * 2.0, "α = {lr}: a step of {step}");
        let [lo, hi] = s.hessian_eigenvalues().unwrap();
        // [[2, 1], [1, 6]]: 4 ∓ √5.
        assert!((lo - (4.0 - 5f64.sqrt())).abs() < 1e-12 && (hi - (4.0 + 5f64.sqrt())).abs() < 1e-12);
        assert_eq!(TypedSurface::default().hessian_eigenvalues(), None);
        for no_bowl in ["x^2 - y^2", "-x^2 - y^2", "x^2"] {
            assert_eq!(TypedSurface::new(no_bowl, s.view).unwrap().hessian_eigenvalues(), None, "{no_bowl}: no bound");
        }
        let flat = TypedSurface::new("1", ViewBox::new(-1.0, 1.0, -1.0, 1.0)).unwrap();
        assert_eq!(flat.default_lr(flat.default_start()), 0.1, "no slope: a plain α");
        for slope in [0.0, f64::INFINITY, f64::NAN, -1.0] {
            assert_eq!(first_step_lr(4.0, slope), 0.1, "a slope of {slope}: a plain α");
        }
        // A box away from 0: left of and above its own centre (3, 1).
        let off = TypedSurface::new("x^2 + y^2", ViewBox::new(1.0, 5.0, 0.0, 2.0)).unwrap();
        assert_eq!(off.default_start(), [1.8, 1.5]);
    }
}
