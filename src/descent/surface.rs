//! Two-parameter loss surfaces: a value f(x, y) and its analytic gradient.
//!
//! The point p = (x, y) plays the role of θ = (θ₀, θ₁). Every gradient here is
//! written by hand from the formula and checked against central differences in
//! the tests.

use crate::descent::curve::CurveSurface;
use crate::descent::linreg::LinearData;
use crate::descent::typed::TypedSurface;
use crate::tr;

/// A rectangle of the parameter plane: x in [x_min, x_max], y in [y_min, y_max].
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ViewBox {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl ViewBox {
    pub const fn new(x_min: f64, x_max: f64, y_min: f64, y_max: f64) -> Self {
        ViewBox { x_min, x_max, y_min, y_max }
    }

    pub fn contains(&self, p: [f64; 2]) -> bool {
        (self.x_min..=self.x_max).contains(&p[0]) && (self.y_min..=self.y_max).contains(&p[1])
    }

    /// This box grown, side by side in steps of a quarter of its width or
    /// height (so it changes now and then, not at every step), until it holds
    /// every point of `path` with a margin of a twentieth; None when that
    /// would make it more than [`MAX_VIEW_GROWTH`] times as wide or tall: the
    /// path has run away.
    pub fn holding(&self, path: impl Iterator<Item = [f64; 2]> + Clone) -> Option<ViewBox> {
        let grow = |lo: f64, hi: f64, values: &mut dyn Iterator<Item = f64>| -> Option<(f64, f64)> {
            let span = hi - lo;
            let (margin, quantum) = (span / 20.0, span / 4.0);
            let (mut new_lo, mut new_hi) = (lo, hi);
            for v in values {
                if !v.is_finite() {
                    return None;
                }
                if v - margin < new_lo {
                    new_lo = lo - ((lo - (v - margin)) / quantum).ceil() * quantum;
                }
                if v + margin > new_hi {
                    new_hi = hi + (((v + margin) - hi) / quantum).ceil() * quantum;
                }
                if new_hi - new_lo > MAX_VIEW_GROWTH * span {
                    return None;
                }
            }
            Some((new_lo, new_hi))
        };
        let (x_min, x_max) = grow(self.x_min, self.x_max, &mut path.clone().map(|p| p[0]))?;
        let (y_min, y_max) = grow(self.y_min, self.y_max, &mut path.map(|p| p[1]))?;
        Some(ViewBox { x_min, x_max, y_min, y_max })
    }
}

/// How many times its default width or height the surface chart grows to follow a path.
pub const MAX_VIEW_GROWTH: f64 = 10_000.0;

/// A loss surface the descent lab can run on.
#[derive(Clone, Debug, PartialEq)]
pub enum Surface {
    /// The seed's linear-regression cost J(θ₀, θ₁) = Σ(θ₀ + θ₁xᵢ − yᵢ)²/(2m).
    LinearRegression(LinearData),
    /// 0.5·(x² + 10·y²): a bowl ten times steeper along y.
    Quadratic,
    /// (1 − x)² + 100·(y − x²)²: a curved, flat-bottomed valley.
    Rosenbrock,
    /// (x² + y − 11)² + (x + y² − 7)²: four minima.
    Himmelblau,
    /// x² − y²: a saddle point at the origin.
    Saddle,
    /// (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)².
    Beale,
    /// 0.5·(λ₁u² + λ₂v²) with λ₁ = 1, λ₂ = `condition`, where (u, v) is (x, y)
    /// rotated by −`angle_deg` degrees: a quadratic bowl whose long axis points
    /// along `angle_deg`.
    Bowl { condition: f64, angle_deg: f64 },
    /// A function the user typed, over the box they chose.
    Typed(Box<TypedSurface>),
    /// f(x) of one variable, run with the second coordinate held at 0.
    Curve(Box<CurveSurface>),
}

/// The identifiers of the built-in surfaces, in menu order.
pub const SURFACE_IDS: [&str; 12] = [
    "curve_square",
    "curve_quartic",
    "curve_wave",
    "curve",
    "linear_regression",
    "quadratic",
    "rosenbrock",
    "himmelblau",
    "saddle",
    "beale",
    "bowl",
    "typed",
];

impl Surface {
    /// The surface named `id`, with its default settings.
    pub fn from_id(id: &str) -> Result<Surface, String> {
        Ok(match id {
            "linear_regression" => Surface::LinearRegression(LinearData::seed_default()),
            "quadratic" => Surface::Quadratic,
            "rosenbrock" => Surface::Rosenbrock,
            "himmelblau" => Surface::Himmelblau,
            "saddle" => Surface::Saddle,
            "beale" => Surface::Beale,
            "bowl" => Surface::Bowl { condition: 10.0, angle_deg: 30.0 },
            "typed" => Surface::Typed(Box::default()),
            other if CurveSurface::preset(other).is_some() => Surface::Curve(Box::new(CurveSurface::preset(other).expect("a curve"))),
            other => return Err(tr!("unknown surface \"{other}\"; choose one of {a}", other = other, a = SURFACE_IDS.join(", "))),
        })
    }

    pub fn id(&self) -> &'static str {
        match self {
            Surface::LinearRegression(_) => "linear_regression",
            Surface::Quadratic => "quadratic",
            Surface::Rosenbrock => "rosenbrock",
            Surface::Himmelblau => "himmelblau",
            Surface::Saddle => "saddle",
            Surface::Beale => "beale",
            Surface::Bowl { .. } => "bowl",
            Surface::Typed(_) => "typed",
            Surface::Curve(c) => c.id,
        }
    }

    /// What the menu calls it.
    pub fn label(&self) -> &'static str {
        match self {
            Surface::LinearRegression(_) => "Linear regression",
            Surface::Quadratic => "Quadratic 0.5·(x² + 10y²)",
            Surface::Rosenbrock => "Rosenbrock valley",
            Surface::Himmelblau => "Himmelblau (four minima)",
            Surface::Saddle => "Saddle x² − y²",
            Surface::Beale => "Beale",
            Surface::Bowl { .. } => "Bowl (condition, angle)",
            Surface::Typed(_) => "Your own function f(x, y)",
            Surface::Curve(c) => c.label(),
        }
    }

    /// The formula, as shown to the user.
    pub fn formula(&self) -> String {
        match self {
            Surface::LinearRegression(d) => {
                format!("J(θ₀, θ₁) = Σ(θ₀ + θ₁·xᵢ − yᵢ)² / (2m), m = {}", d.len())
            }
            Surface::Quadratic => "f(x, y) = 0.5·(x² + 10·y²)".into(),
            Surface::Rosenbrock => "f(x, y) = (1 − x)² + 100·(y − x²)²".into(),
            Surface::Himmelblau => "f(x, y) = (x² + y − 11)² + (x + y² − 7)²".into(),
            Surface::Saddle => "f(x, y) = x² − y²".into(),
            Surface::Beale => "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²".into(),
            Surface::Bowl { condition, angle_deg } => {
                tr!("f = 0.5·(u² + {condition}·v²), (u, v) = (x, y) turned by {angle}°", condition = condition, angle = angle_deg)
            }
            Surface::Typed(t) => format!("f(x, y) = {}", t.function.text()),
            Surface::Curve(c) => format!("f(x) = {}", c.function.text()),
        }
    }

    /// Names of the two parameters.
    pub fn axis_names(&self) -> [&'static str; 2] {
        match self {
            Surface::LinearRegression(_) => ["θ₀", "θ₁"],
            _ => ["x", "y"],
        }
    }

    /// f(p).
    pub fn value(&self, p: [f64; 2]) -> f64 {
        let [x, y] = p;
        match self {
            Surface::LinearRegression(d) => d.cost(p),
            Surface::Quadratic => 0.5 * (x * x + 10.0 * y * y),
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Himmelblau => (x * x + y - 11.0).powi(2) + (x + y * y - 7.0).powi(2),
            Surface::Saddle => x * x - y * y,
            Surface::Beale => {
                let [a, b, c] = beale_terms(x, y);
                a * a + b * b + c * c
            }
            Surface::Bowl { condition, angle_deg } => {
                let [u, v] = rotate(p, -angle_deg.to_radians());
                0.5 * (u * u + condition * v * v)
            }
            Surface::Typed(t) => t.function.value(&p),
            Surface::Curve(c) => c.value(x),
        }
    }

    /// Whether f is a typed program (a typed f(x, y) or a curve), which may
    /// be undefined where a formula of the code is not.
    pub fn is_typed(&self) -> bool {
        matches!(self, Surface::Typed(_) | Surface::Curve(_))
    }

    /// The curve, when this is one variable's.
    pub fn curve(&self) -> Option<&CurveSurface> {
        match self {
            Surface::Curve(c) => Some(c),
            _ => None,
        }
    }

    /// f on the grid xs × ys, row by row: out[r·|xs| + c] = f(xs[c], ys[r]).
    /// A typed function's program runs over the grid together (see
    /// [`Program::eval_grid`](crate::expr::Program::eval_grid)), the others point by point.
    pub fn sample(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        if let Surface::Typed(t) = self {
            return t.function.values_on_grid(xs, ys, out);
        }
        let f = self.evaluator();
        for (row, y) in out.chunks_exact_mut(xs.len().max(1)).zip(ys) {
            for (o, x) in row.iter_mut().zip(xs) {
                *o = f([*x, *y]);
            }
        }
    }

    /// f for drawing many points: the linear regression's cost as an expanded
    /// quadratic (O(1) a point instead of O(m), equal up to rounding), the
    /// other surfaces' `value` itself.
    /// One concrete function (no call through a pointer), so that a loop over
    /// pixels can inline it.
    pub fn evaluator(&self) -> impl Fn([f64; 2]) -> f64 + '_ {
        let quadratic = match self {
            Surface::LinearRegression(d) => Some(d.cost_quadratic()),
            _ => None,
        };
        move |p| match &quadratic {
            Some(cost) => cost(p),
            None => self.value(p),
        }
    }

    /// ∇f(p) = (∂f/∂x, ∂f/∂y).
    pub fn gradient(&self, p: [f64; 2]) -> [f64; 2] {
        let [x, y] = p;
        match self {
            Surface::LinearRegression(d) => d.gradient(p),
            Surface::Quadratic => [x, 10.0 * y],
            Surface::Rosenbrock => {
                let r = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
            }
            Surface::Himmelblau => {
                let a = x * x + y - 11.0;
                let b = x + y * y - 7.0;
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            }
            Surface::Saddle => [2.0 * x, -2.0 * y],
            Surface::Beale => {
                let [a, b, c] = beale_terms(x, y);
                let (y2, y3) = (y * y, y * y * y);
                [
                    2.0 * a * (y - 1.0) + 2.0 * b * (y2 - 1.0) + 2.0 * c * (y3 - 1.0),
                    2.0 * a * x + 2.0 * b * 2.0 * x * y + 2.0 * c * 3.0 * x * y2,
                ]
            }
            Surface::Bowl { condition, angle_deg } => {
                let angle = angle_deg.to_radians();
                let [u, v] = rotate(p, -angle);
                // ∇ in (u, v) is (u, λ₂v); turn it back by +angle.
                rotate([u, condition * v], angle)
            }
            Surface::Typed(t) => {
                let g = t.function.gradient(&p);
                [g[0], g[1]]
            }
            Surface::Curve(c) => [c.slope(x), 0.0],
        }
    }

    /// The region drawn by default.
    pub fn default_view(&self) -> ViewBox {
        match self {
            Surface::LinearRegression(d) => d.default_view(),
            Surface::Quadratic => ViewBox::new(-1.0, 1.0, -1.0, 1.0),
            Surface::Rosenbrock => ViewBox::new(-2.0, 2.0, -1.0, 3.0),
            Surface::Himmelblau => ViewBox::new(-5.0, 5.0, -5.0, 5.0),
            Surface::Saddle => ViewBox::new(-1.0, 1.0, -1.0, 1.0),
            Surface::Beale => ViewBox::new(-4.5, 4.5, -4.5, 4.5),
            Surface::Bowl { .. } => ViewBox::new(-2.0, 2.0, -2.0, 2.0),
            Surface::Typed(t) => t.view,
            Surface::Curve(c) => c.view(),
        }
    }

    /// Where a run starts by default.
    pub fn default_start(&self) -> [f64; 2] {
        match self {
            Surface::LinearRegression(_) => [0.0, 0.0],
            Surface::Quadratic => [-0.8, 0.7],
            Surface::Rosenbrock => [-1.5, 2.0],
            Surface::Himmelblau => [0.0, 0.0],
            Surface::Saddle => [-0.9, 0.05],
            Surface::Beale => [1.0, 3.0],
            Surface::Bowl { .. } => [-1.6, 1.2],
            Surface::Typed(t) => t.default_start(),
            Surface::Curve(c) => [c.default_start(), 0.0],
        }
    }

    /// A learning rate that shows the surface well from the default start.
    pub fn default_lr(&self) -> f64 {
        match self {
            Surface::LinearRegression(_) => 0.1,
            Surface::Quadratic => 0.05,
            Surface::Rosenbrock => 0.001,
            Surface::Himmelblau => 0.01,
            Surface::Saddle => 0.05,
            Surface::Beale => 0.0005,
            Surface::Bowl { .. } => 0.05,
            Surface::Typed(t) => t.default_lr(t.default_start()),
            Surface::Curve(c) => c.default_lr(),
        }
    }

    /// The known minima (none for the saddle, which is unbounded below).
    pub fn minima(&self) -> Vec<[f64; 2]> {
        match self {
            Surface::LinearRegression(d) => d.least_squares().into_iter().collect(),
            Surface::Quadratic | Surface::Bowl { .. } => vec![[0.0, 0.0]],
            Surface::Rosenbrock => vec![[1.0, 1.0]],
            Surface::Himmelblau => vec![
                [3.0, 2.0],
                [-2.805_118_086_952_745, 3.131_312_518_250_573],
                [-3.779_310_253_377_747, -3.283_185_991_286_17],
                [3.584_428_340_330_492, -1.848_126_526_964_404],
            ],
            Surface::Saddle | Surface::Typed(_) | Surface::Curve(_) => vec![],
            Surface::Beale => vec![[3.0, 0.5]],
        }
    }

    /// The eigenvalues of the Hessian when the surface is a quadratic (then
    /// plain descent is stable exactly for α < 2/λmax).
    pub fn hessian_eigenvalues(&self) -> Option<[f64; 2]> {
        match self {
            Surface::Quadratic => Some([1.0, 10.0]),
            Surface::Bowl { condition, .. } => Some([1.0, *condition]),
            Surface::LinearRegression(d) => bowl_eigenvalues(d.hessian()),
            Surface::Typed(t) => t.hessian_eigenvalues(),
            Surface::Curve(c) => c.curvature().map(|k| [k, k]),
            _ => None,
        }
    }
}

/// The eigenvalues of the symmetric matrix `h`, smaller first, when both are
/// above 0: a constant Hessian of a bowl, on which plain descent is stable
/// exactly for α < 2/λmax (a saddle, a cap or a trough has no such bound).
pub fn bowl_eigenvalues(h: [[f64; 2]; 2]) -> Option<[f64; 2]> {
    let (a, b, d) = (h[0][0], h[0][1], h[1][1]);
    let (mean, radius) = ((a + d) / 2.0, ((a - d) / 2.0).hypot(b));
    (mean - radius > 0.0).then_some([mean - radius, mean + radius])
}

fn beale_terms(x: f64, y: f64) -> [f64; 3] {
    [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y]
}

/// p turned by `angle` radians about the origin.
fn rotate(p: [f64; 2], angle: f64) -> [f64; 2] {
    let (s, c) = angle.sin_cos();
    [c * p[0] - s * p[1], s * p[0] + c * p[1]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minima_have_zero_gradient() {
        for id in SURFACE_IDS {
            let s = Surface::from_id(id).unwrap();
            for m in s.minima() {
                let g = s.gradient(m);
                assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{id} at {m:?}: {g:?}");
            }
        }
    }

    /// The box grows by quarters of its width or height until the path, and a
    /// twentieth of margin, fit; a box more than 10⁴ times as wide or tall is refused.
    #[test]
    fn the_box_grows_by_quarters_to_hold_the_path() {
        let b = ViewBox::new(0.0, 4.0, 0.0, 2.0);
        assert!(b.contains([0.5, 1.5]) && !b.contains([0.5, 2.5]) && !b.contains([4.5, 1.0]));
        assert_eq!(b.holding([[2.0, 1.0], [0.2, 1.9]].into_iter()), Some(b), "inside with its margin: unchanged");
        // x: 5 + 0.2 of margin is past 4 by 1.2, two quarters (of 1) → 6.
        assert_eq!(b.holding([[5.0, 1.0]].into_iter()), Some(ViewBox::new(0.0, 6.0, 0.0, 2.0)));
        // x: −1.5 − 0.2 → two quarters below 0; y: −0.3 − 0.1 → one quarter (of 0.5).
        assert_eq!(b.holding([[-1.5, -0.3]].into_iter()), Some(ViewBox::new(-2.0, 4.0, -0.5, 2.0)));
        let wide = ViewBox::new(0.0, 2.0, 0.0, 2.0);
        assert_eq!(wide.holding([[15_000.0, 1.0]].into_iter()).map(|v| v.x_max), Some(15_000.5), "under 10⁴ times 2 wide");
        let unit = ViewBox::new(0.0, 1.0, 0.0, 1.0);
        assert_eq!(unit.holding([[9_999.95, 0.5]].into_iter()).map(|v| v.x_max), Some(10_000.0), "exactly 10⁴ times as wide: kept");
        assert_eq!(unit.holding([[10_000.3, 0.5]].into_iter()), None);
        assert_eq!(ViewBox::new(-1.0, 0.0, 0.0, 1.0).holding([[-20_000.0, 0.5]].into_iter()), None, "run away to the left");
        assert_eq!(unit.holding([[f64::NAN, 0.5]].into_iter()), None);
    }

    /// The defaults the lessons and the race build on: each surface's box
    /// holds its start and minima, its formula is the one it computes, and
    /// the starts are the classic ones (Rosenbrock's on the far side of the
    /// valley, the saddle's just off its ridge, the quadratics' up and to
    /// the left of the minimum).
    #[test]
    fn each_surface_is_drawn_and_started_where_its_lessons_say() {
        for id in SURFACE_IDS {
            let s = Surface::from_id(id).unwrap();
            let v = s.default_view();
            assert!(v.x_min < v.x_max && v.y_min < v.y_max, "{id}: {v:?}");
            assert!(v.contains(s.default_start()), "{id}");
            for m in s.minima() {
                assert!(v.contains(m), "{id}: {m:?}");
            }
        }
        let starts: Vec<[f64; 2]> =
            ["quadratic", "rosenbrock", "saddle", "bowl"].map(|id| Surface::from_id(id).unwrap().default_start()).into();
        assert_eq!(starts, [[-0.8, 0.7], [-1.5, 2.0], [-0.9, 0.05], [-1.6, 1.2]]);
        assert_eq!(Surface::Quadratic.formula(), "f(x, y) = 0.5·(x² + 10·y²)");
        assert_eq!(Surface::Bowl { condition: 25.0, angle_deg: -40.0 }.formula(), "f = 0.5·(u² + 25·v²), (u, v) = (x, y) turned by -40°");
        assert!(Surface::from_id("linear_regression").unwrap().formula().ends_with("(2m), m = 30"));
        assert_eq!(Surface::Quadratic.hessian_eigenvalues(), Some([1.0, 10.0]));
        assert_eq!(Surface::Bowl { condition: 25.0, angle_deg: 10.0 }.hessian_eigenvalues(), Some([1.0, 25.0]));
        assert_eq!(Surface::Rosenbrock.hessian_eigenvalues(), None);
    }

    #[test]
    fn unknown_surface_names_the_choices() {
        let err = Surface::from_id("banana").unwrap_err();
        assert!(err.contains("banana") && err.contains("rosenbrock"), "{err}");
    }

    #[test]
    fn bowl_long_axis_points_along_its_angle() {
        let s = Surface::Bowl { condition: 10.0, angle_deg: 90.0 };
        // Along the long axis (here y) the curvature is 1, across it 10.
        assert!((s.value([0.0, 1.0]) - 0.5).abs() < 1e-12);
        assert!((s.value([1.0, 0.0]) - 5.0).abs() < 1e-12);
    }
}
