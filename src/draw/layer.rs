//! What the surface chart draws under the run: the colour scale, the heatmap
//! raster and the contour lines. Computed once per surface, view and size,
//! and kept until one of them changes.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::style::colors::colormaps::ViridisRGB;

use crate::descent::surface::{Surface, ViewBox};

/// How values map to colours: t = (u(f) − u(lo)) / (u(hi) − u(lo)) in [0, 1],
/// with u(f) = f on a linear scale and u(f) = ln(f − lo + δ) on a log scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColourScale {
    /// The smallest value in the view.
    pub lo: f64,
    /// The largest value in the view.
    pub hi: f64,
    /// Some(δ) for a log scale of f − lo, None for a linear scale.
    pub log_offset: Option<f64>,
}

impl ColourScale {
    /// A scale for the values of a view. It is logarithmic when the median
    /// sits in the lowest 10% of the range, where a linear scale would paint
    /// most of the view in one colour (the median of at most 4,096 evenly
    /// spaced values: it only chooses the kind of scale).
    pub fn fit(values: &[f64]) -> ColourScale {
        // Comparisons rather than `f64::min` and `f64::max`, which ignore NaN
        // where wasm's own min and max do not, and so take several instructions there.
        let (lo, hi) = values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (if v < lo { v } else { lo }, if v > hi { v } else { hi }));
        if lo > hi {
            return ColourScale { lo: 0.0, hi: 1.0, log_offset: None };
        }
        let stride = values.len().div_ceil(4096).max(1);
        let mut finite: Vec<f64> = values.iter().step_by(stride).copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            finite.push(lo);
        }
        let hi = hi.max(lo + f64::EPSILON.max(lo.abs() * 1e-12));
        let middle = finite.len() / 2;
        let median = *finite.select_nth_unstable_by(middle, f64::total_cmp).1;
        let log_offset = (median - lo < 0.1 * (hi - lo)).then_some((hi - lo) * 1e-4);
        ColourScale { lo, hi, log_offset }
    }

    fn u(&self, f: f64) -> f64 {
        match self.log_offset {
            Some(delta) => (f - self.lo + delta).max(delta).ln(),
            None => f,
        }
    }

    /// Where `f` sits on the scale, in [0, 1].
    pub fn position(&self, f: f64) -> f64 {
        self.positions()(f)
    }

    /// [`ColourScale::position`] as a function, u(lo) and u(hi) worked out once for all the values it is given.
    fn positions(&self) -> impl Fn(f64) -> f64 + '_ {
        let (a, b) = (self.u(self.lo), self.u(self.hi));
        move |f| ((self.u(f) - a) / (b - a)).clamp(0.0, 1.0)
    }

    /// The value at position `t` in [0, 1].
    pub fn value_at(&self, t: f64) -> f64 {
        let (a, b) = (self.u(self.lo), self.u(self.hi));
        let u = a + t * (b - a);
        match self.log_offset {
            Some(delta) => u.exp() - delta + self.lo,
            None => u,
        }
    }

    /// At most `n` values to label the scale with, lowest first. On a linear
    /// scale, round numbers (plotters' key points). On a log scale, powers of
    /// ten, or the steps 1, 2, 5 when fewer than three powers fall in the
    /// range, and none in the lowest twentieth of the scale, where the
    /// logarithm bends towards its offset (so no "0" at the foot of a log axis).
    pub fn ticks(&self, n: usize) -> Vec<f64> {
        let linear = || RangedCoordf64::from(self.lo..self.hi).key_points(n);
        if self.log_offset.is_none() {
            return linear();
        }
        let on_scale = |v: &f64| *v > self.lo && *v <= self.hi && self.position(*v) >= 0.05;
        let steps_of = |mantissas: &[f64]| -> Vec<f64> {
            let (low, high) = (self.lo.abs().max(self.hi * 1e-12).log10().floor() as i32, self.hi.log10().ceil() as i32);
            (low..=high).flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e))).filter(on_scale).collect()
        };
        let mut ticks = steps_of(&[1.0]);
        if ticks.len() < 3 {
            ticks = steps_of(&[1.0, 2.0, 5.0]);
        }
        if ticks.len() < 2 {
            return linear();
        }
        // Every k-th, counted from the top, to keep at most n.
        let k = ticks.len().div_ceil(n.max(1));
        let last = ticks.len() - 1;
        ticks.into_iter().enumerate().filter(|(i, _)| (last - i) % k == 0).map(|(_, v)| v).collect()
    }

    /// The colour of `f` (viridis, safe for colour-blind viewers).
    pub fn colour(&self, f: f64) -> [u8; 3] {
        viridis(self.position(f))
    }
}

/// Positions on the colour scale whose viridis colours are worked out once (plotters' colour map at i / (VIRIDIS_STEPS − 1)).
const VIRIDIS_STEPS: usize = 4096;

/// The viridis colour at position t in [0, 1]: the nearest of [`VIRIDIS_STEPS`]
/// worked out once, within a level of 255 of the colour map's own in each channel.
fn viridis(t: f64) -> [u8; 3] {
    static TABLE: std::sync::OnceLock<Vec<[u8; 3]>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..VIRIDIS_STEPS)
            .map(|i| {
                let c = ViridisRGB::get_color(i as f64 / (VIRIDIS_STEPS - 1) as f64);
                [c.0, c.1, c.2]
            })
            .collect()
    });
    // The nearest entry (+ ½, then the cast truncates; NaN goes to the first).
    table[((t * (VIRIDIS_STEPS - 1) as f64 + 0.5) as usize).min(VIRIDIS_STEPS - 1)]
}

/// One contour level: the value and its lines, in parameter coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourLevel {
    pub value: f64,
    pub lines: Vec<Vec<[f64; 2]>>,
}

/// The heatmap and contours of a surface over a view, at a pixel size.
#[derive(Clone, Debug)]
pub struct SurfaceLayer {
    pub view: ViewBox,
    pub scale: ColourScale,
    pub contours: Vec<ContourLevel>,
    /// Width and height of the raster in pixels.
    pub size: (u32, u32),
    /// RGBA bytes, row by row from the top (largest y) down.
    pub rgba: Vec<u8>,
    /// How many pixels are uncoloured because f is not a finite number there.
    pub undefined: usize,
}

/// Number of contour levels, evenly spaced on the colour scale.
const LEVELS: usize = 12;
/// The most operations a typed function's heatmap computes at every pixel
/// (a few times a built-in formula's); one that needs more takes every third pixel each way.
pub const MOST_OPERATIONS_A_PIXEL: usize = 40;
/// Samples along each axis for the contour lines (a coarser sampled surface may take fewer, see [`SurfaceLayer::of_sampler`]).
pub const CONTOUR_GRID: usize = 121;

/// Evaluates f on the grid xs × ys, row by row: f(xs[c], ys[r]) into out[r·|xs| + c].
pub type Sampler<'a> = &'a dyn Fn(&[f64], &[f64], &mut [f64]);

impl SurfaceLayer {
    /// The layer of `surface`: every pixel evaluated, except a typed
    /// function's that calls functions at every point (as sin(x·y) does, not
    /// sin(x)·cos(y), whose sines and cosines are computed once a column and
    /// once a row) or computes more than [`MOST_OPERATIONS_A_PIXEL`] there:
    /// that one is evaluated at every third pixel each way and filled in
    /// between, bilinearly (its program costs several times a built-in formula).
    pub fn compute(surface: &Surface, view: ViewBox, width: u32, height: u32) -> SurfaceLayer {
        let stride = match surface {
            Surface::Typed(t) => {
                let work = t.function.work_per_grid_point();
                if work.calls > 0 || work.operations > MOST_OPERATIONS_A_PIXEL {
                    3
                } else {
                    1
                }
            }
            _ => 1,
        };
        SurfaceLayer::sampled(&|xs, ys, out| surface.sample(xs, ys, out), view, (width, height), stride, CONTOUR_GRID)
    }

    /// The layer of the function `sample` evaluates over `view`, at every
    /// pixel, its contour lines traced on a grid of `contour_grid` samples each way.
    pub fn of_sampler(sample: Sampler, view: ViewBox, (width, height): (u32, u32), contour_grid: usize) -> SurfaceLayer {
        SurfaceLayer::sampled(sample, view, (width, height), 1, contour_grid)
    }

    /// The layer of the function `sample` evaluates at every `stride`-th
    /// pixel each way; a pixel between evaluated ones is interpolated
    /// bilinearly from the four around it.
    fn sampled(sample: Sampler, view: ViewBox, (width, height): (u32, u32), stride: usize, contour_grid: usize) -> SurfaceLayer {
        let (w, h) = (width.max(1) as usize, height.max(1) as usize);
        // Pixel centres: column i at x_min + (i + ½)·Δx, row j (from the top) at y_max − (j + ½)·Δy.
        let dx = (view.x_max - view.x_min) / w as f64;
        let dy = (view.y_max - view.y_min) / h as f64;
        let (cols, rows) = (w.div_ceil(stride), h.div_ceil(stride));
        let xs: Vec<f64> = (0..cols).map(|c| view.x_min + ((c * stride) as f64 + 0.5) * dx).collect();
        let ys: Vec<f64> = (0..rows).map(|r| view.y_max - ((r * stride) as f64 + 0.5) * dy).collect();
        let mut coarse = vec![0.0; cols * rows];
        sample(&xs, &ys, &mut coarse);
        let values: Vec<f64> = if stride == 1 {
            coarse
        } else {
            // Pixel i lies a share t of the way from coarse column i/stride to the next (the last repeats).
            let between = |i: usize, n: usize| (i / stride, (i / stride + 1).min(n - 1), (i % stride) as f64 / stride as f64);
            let columns: Vec<(usize, usize, f64)> = (0..w).map(|i| between(i, cols)).collect();
            let mut values = Vec::with_capacity(w * h);
            for j in 0..h {
                let (r0, r1, v) = between(j, rows);
                let (above, below) = (&coarse[r0 * cols..(r0 + 1) * cols], &coarse[r1 * cols..(r1 + 1) * cols]);
                values.extend(columns.iter().map(|&(c0, c1, u)| {
                    let top = above[c0] + u * (above[c1] - above[c0]);
                    let bottom = below[c0] + u * (below[c1] - below[c0]);
                    top + v * (bottom - top)
                }));
            }
            values
        };
        let scale = ColourScale::fit(&values);
        // The colours of 2¹⁶ evenly spaced values from lo to hi, looked up per
        // pixel (no logarithm per pixel on a log scale), each worked out the
        // first time a pixel needs it: a smooth picture uses few of them.
        const STEPS: usize = 1 << 16;
        let span = scale.hi - scale.lo;
        let position = scale.positions();
        // An entry of opacity 0 is not worked out yet.
        let mut table = vec![[0u8; 4]; STEPS];
        let mut rgba = vec![0u8; w * h * 4];
        let per_value = (STEPS - 1) as f64 / span;
        let mut undefined = 0;
        for (pixel, v) in rgba.as_chunks_mut::<4>().0.iter_mut().zip(&values) {
            if !v.is_finite() {
                // Where f is not defined or not finite, the pixel stays uncoloured.
                undefined += 1;
                *pixel = UNDEFINED;
                continue;
            }
            // The nearest entry (+ ½, then the cast truncates); values off the
            // scale land on its ends (the cast saturates).
            let k = (((v - scale.lo) * per_value + 0.5) as usize).min(STEPS - 1);
            if table[k][3] == 0 {
                let [r, g, b] = viridis(position(scale.lo + span * k as f64 / (STEPS - 1) as f64));
                table[k] = [r, g, b, 255];
            }
            *pixel = table[k];
        }
        let contours = contour_levels(sample, view, &scale, contour_grid);
        SurfaceLayer { view, scale, contours, size: (w as u32, h as u32), rgba, undefined }
    }
}

/// The colour of a pixel where f is not a finite number: a pale grey.
pub const UNDEFINED: [u8; 4] = [232, 232, 232, 255];

fn contour_levels(sample: Sampler, view: ViewBox, scale: &ColourScale, n: usize) -> Vec<ContourLevel> {
    let step_x = (view.x_max - view.x_min) / (n - 1) as f64;
    let step_y = (view.y_max - view.y_min) / (n - 1) as f64;
    let xs: Vec<f64> = (0..n).map(|i| view.x_min + i as f64 * step_x).collect();
    let ys: Vec<f64> = (0..n).map(|j| view.y_min + j as f64 * step_y).collect();
    let mut grid = vec![0.0; n * n];
    sample(&xs, &ys, &mut grid);
    // Marching squares needs finite numbers; clamp to the scale.
    grid.iter_mut().for_each(|v| *v = if v.is_finite() { v.clamp(scale.lo, scale.hi) } else { scale.hi });
    let thresholds: Vec<f64> = (1..=LEVELS).map(|k| scale.value_at(k as f64 / (LEVELS + 1) as f64)).collect();
    let Ok(lines) = contour::ContourBuilder::new(n, n, true).lines(&grid, &thresholds) else {
        return Vec::new();
    };
    // The crate puts sample i at coordinate i + ½ and closes each ring along
    // the border of the grid (coordinates 0 and n); keep the inner runs only.
    let inside = |c: f64| (0.5 - 1e-9..=n as f64 - 0.5 + 1e-9).contains(&c);
    lines
        .into_iter()
        .map(|line| {
            let (geometry, value) = line.into_inner();
            let mut runs = Vec::new();
            for ring in &geometry.0 {
                let mut run: Vec<[f64; 2]> = Vec::new();
                for c in &ring.0 {
                    if inside(c.x) && inside(c.y) {
                        run.push([view.x_min + (c.x - 0.5) * step_x, view.y_min + (c.y - 0.5) * step_y]);
                    } else if run.len() > 1 {
                        runs.push(std::mem::take(&mut run));
                    } else {
                        run.clear();
                    }
                }
                if run.len() > 1 {
                    runs.push(run);
                }
            }
            ContourLevel { value, lines: runs }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sampled at every second or third pixel, a plane is filled in exactly (bilinear between its samples).
    #[test]
    fn a_plane_sampled_sparsely_is_filled_in_exactly() {
        let plane = |xs: &[f64], ys: &[f64], out: &mut [f64]| {
            for (row, y) in out.chunks_exact_mut(xs.len()).zip(ys) {
                row.iter_mut().zip(xs).for_each(|(o, x)| *o = x + 2.0 * y);
            }
        };
        let view = ViewBox::new(-1.0, 2.0, 0.0, 1.5);
        let exact = SurfaceLayer::sampled(&plane, view, (61, 49), 1, CONTOUR_GRID);
        for stride in [2, 3] {
            let sparse = SurfaceLayer::sampled(&plane, view, (61, 49), stride, CONTOUR_GRID);
            let close = exact.rgba.iter().zip(&sparse.rgba).all(|(a, b)| a.abs_diff(*b) <= 1);
            let scale = |s: ColourScale| (s.lo, s.hi);
            assert!(close && (scale(exact.scale).0 - scale(sparse.scale).0).abs() < 1e-12, "every {stride}");
        }
        // A typed function is evaluated at every pixel, unless it calls a function
        // or does more than the most operations at every point.
        // 25 products of x and y and their 24 sums at every point: past the most operations.
        let long = (1..=25).map(|k| format!("{k}*x*y")).collect::<Vec<_>>().join(" + ");
        for (text, stride) in [("x*y + x^2", 1), ("sin(x)*cos(y) + 0.1*(x^2 + y^2)", 1), ("sin(x*y) + y", 3), ("x^y", 3), (&long, 3)] {
            let typed = Surface::Typed(Box::new(crate::descent::typed::TypedSurface::new(text, view).unwrap()));
            let sampled = SurfaceLayer::sampled(&|xs, ys, out| typed.sample(xs, ys, out), view, (61, 49), stride, CONTOUR_GRID);
            assert!(SurfaceLayer::compute(&typed, view, 61, 49).rgba == sampled.rgba, "{text} at every {stride} pixels");
        }
    }

    /// f is sampled on the grid of the pixels' centres (every pixel, or every
    /// third each way): column i at x_min + (i + ½)·Δx, row j from the top at y_max − (j + ½)·Δy.
    #[test]
    fn the_samples_are_the_pixels_centres() {
        let view = ViewBox::new(-1.0, 2.0, 0.0, 1.5);
        for stride in [1, 3] {
            let asked = std::cell::RefCell::new(Vec::new());
            let record = |xs: &[f64], ys: &[f64], out: &mut [f64]| {
                asked.borrow_mut().push((xs.to_vec(), ys.to_vec()));
                out.iter_mut().enumerate().for_each(|(i, o)| *o = i as f64);
            };
            SurfaceLayer::sampled(&record, view, (61, 49), stride, CONTOUR_GRID);
            let (xs, ys) = asked.borrow()[0].clone();
            assert_eq!((xs.len(), ys.len()), (61usize.div_ceil(stride), 49usize.div_ceil(stride)));
            let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
            assert!(xs.iter().enumerate().all(|(c, x)| near(*x, -1.0 + ((c * stride) as f64 + 0.5) * 3.0 / 61.0)), "{xs:?}");
            assert!(ys.iter().enumerate().all(|(r, y)| near(*y, 1.5 - ((r * stride) as f64 + 0.5) * 1.5 / 49.0)), "{ys:?}");
        }
    }

    /// The colours looked up are plotters' viridis within a level of 255, at any position.
    #[test]
    fn looked_up_colours_are_viridis_within_a_level() {
        for i in 0..=20_000 {
            let t = i as f64 / 20_000.0;
            let exact = ViridisRGB::get_color(t);
            assert!([exact.0, exact.1, exact.2].iter().zip(viridis(t)).all(|(a, b)| a.abs_diff(b) <= 1), "at {t}");
        }
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn log_scale_for_valleys_linear_for_bowls() {
        let rosenbrock = SurfaceLayer::compute(&Surface::Rosenbrock, Surface::Rosenbrock.default_view(), 60, 60);
        assert!(rosenbrock.scale.log_offset.is_some());
        let quad = SurfaceLayer::compute(&Surface::Quadratic, Surface::Quadratic.default_view(), 60, 60);
        assert!(quad.scale.log_offset.is_none());
        for scale in [rosenbrock.scale, quad.scale] {
            for t in [0.0, 0.3, 0.9, 1.0] {
                assert!((scale.position(scale.value_at(t)) - t).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn a_log_scale_is_labelled_with_powers_of_ten_above_its_foot() {
        let rosenbrock = ColourScale { lo: 0.0, hi: 2509.0, log_offset: Some(0.2509) };
        assert_eq!(rosenbrock.ticks(5), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(rosenbrock.ticks(2), vec![10.0, 1000.0], "thinned from the top");
        let narrow = ColourScale { lo: 0.05, hi: 3.0, log_offset: Some(3e-4) };
        assert_eq!(narrow.ticks(5), vec![0.1, 0.2, 0.5, 1.0, 2.0]);
        let linear = ColourScale { lo: 0.4, hi: 47.7, log_offset: None };
        assert!(linear.ticks(5).iter().all(|v| (0.4..=47.7).contains(v) && (v / 10.0).fract() == 0.0), "{:?}", linear.ticks(5));
    }

    #[test]
    fn raster_is_dark_at_the_minimum_and_bright_at_the_rim() {
        let s = Surface::Quadratic;
        let layer = SurfaceLayer::compute(&s, ViewBox::new(-1.0, 1.0, -1.0, 1.0), 101, 101);
        assert_eq!(layer.rgba.len(), 101 * 101 * 4);
        let pixel = |i: usize, j: usize| &layer.rgba[(j * 101 + i) * 4..(j * 101 + i) * 4 + 3];
        let viridis_low = ViridisRGB::get_color(0.0);
        assert_eq!(pixel(50, 50), [viridis_low.0, viridis_low.1, viridis_low.2]);
        // The top row is y ≈ 1, where 10·y² makes f largest.
        assert!(pixel(0, 0)[1] > 200, "{:?}", pixel(0, 0));
    }

    /// A plane's contour lines (which marching squares traces exactly) lie
    /// on their levels at every point, within the view, in runs of two
    /// points or more from border to border of the view: none runs along the border of the grid.
    #[test]
    fn a_plane_s_contours_lie_exactly_on_their_levels_within_the_view() {
        let view = ViewBox::new(-1.0, 2.0, 0.5, 1.5);
        let plane = |xs: &[f64], ys: &[f64], out: &mut [f64]| {
            for (row, y) in out.chunks_exact_mut(xs.len()).zip(ys) {
                row.iter_mut().zip(xs).for_each(|(o, x)| *o = x + 2.0 * y);
            }
        };
        let layer = SurfaceLayer::of_sampler(&plane, view, (30, 20), 41);
        assert_eq!(layer.contours.len(), LEVELS);
        let within = |p: &[f64; 2]| {
            (view.x_min - 1e-12..=view.x_max + 1e-12).contains(&p[0]) && (view.y_min - 1e-12..=view.y_max + 1e-12).contains(&p[1])
        };
        for level in &layer.contours {
            assert!(!level.lines.is_empty(), "level {}", level.value);
            for run in &level.lines {
                assert!(run.len() >= 2 && run.iter().all(within), "level {}: {run:?}", level.value);
                let on_border = |p: &[f64; 2]| {
                    [p[0] - view.x_min, view.x_max - p[0], p[1] - view.y_min, view.y_max - p[1]].iter().any(|d| d.abs() < 1e-9)
                };
                assert!(on_border(&run[0]) && on_border(&run[run.len() - 1]), "level {}: {run:?}", level.value);
                for p in run {
                    assert!((p[0] + 2.0 * p[1] - level.value).abs() < 1e-9, "level {} at {p:?}", level.value);
                }
            }
        }
    }

    #[test]
    fn contour_points_lie_on_their_level() {
        let s = Surface::Quadratic;
        let layer = SurfaceLayer::compute(&s, s.default_view(), 40, 40);
        assert!(layer.contours.len() >= 10);
        for level in &layer.contours {
            for p in level.lines.iter().flatten() {
                let rel = (s.value(*p) - level.value).abs() / (layer.scale.hi - layer.scale.lo);
                assert!(rel < 0.01, "level {} at {p:?}: {}", level.value, s.value(*p));
            }
        }
    }
}
