//! The charts drawn natively into SVG: the same code the page runs on canvases.

use gradlab::descent::run::DescentRun;
use gradlab::descent::surface::Surface;
use gradlab::draw::data_chart::draw_data;
use gradlab::draw::layer::ColourScale;
use gradlab::draw::layer::SurfaceLayer;
use gradlab::draw::series_chart::{draw_series, Axes, Series};
use gradlab::draw::surface3d_chart::{draw_surface_3d, Angle3d, Scene3d};
use gradlab::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use gradlab::draw::Look;
use gradlab::nn::landscape::GridLevel;
use gradlab::optim::Optimizer;
use plotters::prelude::*;

/// The descent lab's loss chart: J against iteration, and a dashed earlier run.
fn draw_loss<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, losses: &[f64], ghost: Option<&[f64]>) {
    let points = |values: &[f64]| values.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect();
    let mut series = vec![Series::solid("J(θₜ)", points(losses))];
    if let Some(g) = ghost {
        series.push(Series { label: "before".into(), points: points(g), dashed: true });
    }
    draw_series(
        root,
        &Axes { caption: "Loss J(θₜ)", x_desc: "iteration t", y_desc: "J", y_range: None, x_range: None, look: Look::NORMAL },
        &series,
    )
    .unwrap();
}

fn stepped_run(surface: Surface, steps: usize) -> DescentRun {
    let lr = surface.default_lr();
    let start = surface.default_start();
    let mut run = DescentRun::new(surface, Optimizer::Sgd, lr, start).unwrap();
    for _ in 0..steps {
        run.step();
    }
    run
}

fn surface_svg(run: &DescentRun, size: (u32, u32)) -> (String, gradlab::draw::PlotMapping, Option<(i32, i32)>) {
    let mut svg = String::new();
    let mut raster_at = None;
    let mapping;
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let view = run.surface().default_view();
        let m = plot_mapping(&root, view, Look::NORMAL).unwrap();
        let (x0, x1, y0, y1) = m.pixels;
        let layer = SurfaceLayer::compute(run.surface(), view, (x1 - x0) as u32, (y1 - y0) as u32);
        let trajectory = run.trajectory();
        let minima = run.surface().minima();
        let scene = SurfaceScene {
            layer: &layer,
            axis_names: run.surface().axis_names(),
            trajectory: &trajectory,
            ghost: None,
            gradient: run.current().gradient,
            batch_gradient: None,
            race: &[],
            minima: &minima,
            value_name: "J",
            mark_start: true,
            look: Look::NORMAL,
        };
        mapping = draw_surface(&root, &scene, |x, y| raster_at = Some((x, y))).unwrap();
        assert_eq!(mapping, m, "the mapping used to size the raster is the one drawn");
        root.present().unwrap();
    }
    (svg, mapping, raster_at)
}

#[test]
fn surface_chart_draws_axes_trajectory_arrow_and_legend() {
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 5);
    let (svg, mapping, raster_at) = surface_svg(&run, (640, 520));
    assert_eq!(raster_at, Some((mapping.pixels.0, mapping.pixels.2)));
    let compact: String = svg.split_whitespace().collect();
    assert!(compact.contains(">J<") || compact.contains(">J(log)<"), "missing the legend caption");
    for text in ["θ₀", "θ₁", "start", "min", "−∇J"] {
        assert!(svg.contains(text), "missing {text}");
    }
    // One dot per iteration (white filled circles of radius 3).
    assert_eq!(svg.matches(r#"r="3""#).count(), 6, "a dot for θ₀ … θ₅");
    // A click at the pixel of θ₅ maps back to θ₅ within a pixel.
    let theta = run.current().theta;
    let (x0, x1, y0, y1) = mapping.pixels;
    let v = mapping.view;
    let px = x0 as f64 + (theta[0] - v.x_min) / (v.x_max - v.x_min) * (x1 - x0) as f64;
    let py = y0 as f64 + (v.y_max - theta[1]) / (v.y_max - v.y_min) * (y1 - y0) as f64;
    let back = mapping.point_at(px, py).unwrap();
    assert!((back[0] - theta[0]).abs() < 1e-9 && (back[1] - theta[1]).abs() < 1e-9);
}

#[test]
fn every_surface_draws_even_after_divergence() {
    for id in gradlab::descent::surface::SURFACE_IDS {
        let surface = Surface::from_id(id).unwrap();
        let start = surface.default_start();
        let mut run = DescentRun::new(surface, Optimizer::Sgd, 50.0, start).unwrap();
        for _ in 0..200 {
            run.step();
        }
        let (svg, _, _) = surface_svg(&run, (480, 400));
        assert!(svg.len() > 1000, "{id}");
        let losses: Vec<f64> = run.history().iter().map(|s| s.value).collect();
        let mut loss_svg = String::new();
        {
            let root = SVGBackend::with_string(&mut loss_svg, (400, 260)).into_drawing_area();
            draw_loss(&root, &losses, Some(&losses[..losses.len() / 2]));
        }
        assert!(loss_svg.contains("iteration t"), "{id}");
    }
}

#[test]
fn loss_chart_switches_to_log_scale_over_decades() {
    let run = stepped_run(Surface::Quadratic, 60);
    let losses: Vec<f64> = run.history().iter().map(|s| s.value).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 260)).into_drawing_area();
        draw_loss(&root, &losses, None);
    }
    assert!(svg.contains("J (log)"));
}

#[test]
fn data_chart_shows_the_current_line() {
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 3);
    let Surface::LinearRegression(data) = run.surface() else { unreachable!() };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        draw_data(&root, data, run.current().theta, None, Look::NORMAL).unwrap();
    }
    let caption =
        format!("ŷ = {} + {}·x", gradlab::format::sig(run.current().theta[0], 4), gradlab::format::sig(run.current().theta[1], 4));
    assert!(svg.contains(&caption), "{caption}");
    assert_eq!(svg.matches("<circle").count(), data.len());
    let mut ringed = String::new();
    {
        let root = SVGBackend::with_string(&mut ringed, (400, 300)).into_drawing_area();
        draw_data(&root, data, run.current().theta, Some(&[3, 8, 21]), Look::NORMAL).unwrap();
    }
    assert_eq!(ringed.matches("<circle").count(), data.len() + 3, "the batch's three rows are ringed");
}

mod network_charts {
    use gradlab::draw::boundary_chart::{boundary_rgba, data_view, draw_boundary, draw_fit};
    use gradlab::draw::network_chart::{draw_network, NetworkScene};
    use gradlab::draw::series_chart::{draw_series, Axes, Series};
    use gradlab::draw::Look;
    use gradlab::named::Named;
    use gradlab::nn::activation::Activation;
    use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
    use gradlab::nn::network::{Architecture, Init, Loss, Network};
    use gradlab::nn::train::{Phase, TrainConfig, TrainingRun};
    use gradlab::optim::Optimizer;
    use plotters::prelude::*;

    fn trained(dataset: DatasetKind, out: Activation, loss: Loss) -> TrainingRun {
        let data = Dataset::generate(dataset, DataSpec { points: 80, noise: 0.1, seed: 3 }).unwrap();
        let arch = Architecture { sizes: vec![data.x.cols, 5, 3, 1], activations: vec![Activation::Tanh, Activation::Tanh, out], loss };
        let (train, test) = data.split(0.75, 3).unwrap();
        let config = TrainConfig { optimizer: Optimizer::from_id("adam").unwrap(), lr: 0.05, batch_size: 16, l2: 0.0, seed: 1 };
        let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 2).unwrap(), train, test, config).unwrap();
        for _ in 0..5 {
            run.step_epoch();
        }
        run
    }

    #[test]
    fn the_diagram_names_its_layers_and_draws_an_edge_per_weight() {
        let run = trained(DatasetKind::Moons, Activation::Sigmoid, Loss::Bce);
        let net = run.current_network();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (500, 300)).into_drawing_area();
            draw_network(
                &root,
                &NetworkScene { net: &net, phase: Some(Phase::Backward(2)), grad: Some(&net.params), selected: None, look: Look::NORMAL },
            )
            .unwrap();
        }
        for text in ["input", "layer 1", "layer 2", "output", "sigmoid", "ŷ", "x2"] {
            assert!(svg.contains(text), "missing {text}");
        }
        // 2·5 + 5·3 + 3·1 weights, one line each, and the legend's two rows
        // of samples (two colours, a thin and a thick edge).
        assert_eq!(svg.matches("<polyline").count(), 28 + 8);
    }

    #[test]
    fn the_boundary_raster_fills_the_plot_area_and_agrees_with_the_network() {
        let run = trained(DatasetKind::Moons, Activation::Sigmoid, Loss::Bce);
        let net = run.current_network();
        let view = data_view(&[run.train_data(), run.test_data()]);
        let mut painted = None;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (420, 360)).into_drawing_area();
            draw_boundary(&root, view, run.train_data(), run.test_data(), Look::NORMAL, |x, y, w, h| painted = Some((x, y, w, h))).unwrap();
        }
        let (_, _, w, h) = painted.expect("the raster is painted");
        let rgba = boundary_rgba(&net, view, w, h);
        assert_eq!(rgba.len(), (w * h * 4) as usize);
        assert_eq!(svg.matches("<circle").count(), 80, "every train and test point");
        let mid = ((h / 2) * w + w / 2) as usize * 4;
        let centre = [view.x_min + 0.5 * (view.x_max - view.x_min), view.y_min + 0.5 * (view.y_max - view.y_min)];
        let p = net.predict(&gradlab::nn::matrix::Mat { rows: 1, cols: 2, data: centre.to_vec() }).data[0];
        let colour = gradlab::draw::boundary_chart::output_colour(p);
        let cell = |c: u8, d: u8| (c as i32 - d as i32).abs() <= 40;
        assert!(cell(rgba[mid], colour[0]) && cell(rgba[mid + 2], colour[2]), "centre pixel {:?} vs {colour:?}", &rgba[mid..mid + 3]);
    }

    #[test]
    fn regression_fit_and_series_charts_draw() {
        let run = trained(DatasetKind::Sine, Activation::Linear, Loss::Mse);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_fit(&root, &run.current_network(), run.train_data(), run.test_data(), Look::NORMAL).unwrap();
        }
        assert!(svg.contains("Fit ŷ(x)"));
        let norms: Vec<Series> = (0..3)
            .map(|l| {
                Series::solid(
                    format!("layer {}", l + 1),
                    run.history().iter().enumerate().map(|(e, s)| (e as f64, s.metrics.grad_norms[l] * 10f64.powi(l as i32 * 3))).collect(),
                )
            })
            .collect();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_series(
                &root,
                &Axes { caption: "norms", x_desc: "epoch", y_desc: "norm", y_range: None, x_range: None, look: Look::NORMAL },
                &norms,
            )
            .unwrap();
        }
        assert!(svg.contains("norm (log)") && svg.contains("layer 3"));
    }
}

#[test]
fn a_larger_look_draws_larger_text_on_the_same_chart() {
    let run = stepped_run(Surface::Quadratic, 5);
    let losses: Vec<f64> = run.history().iter().map(|s| s.value).collect();
    let font_size = |scale: f64| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
            let axes = Axes { caption: "Loss", x_desc: "t", y_desc: "J", y_range: None, x_range: None, look: Look { scale } };
            draw_series(&root, &axes, &[Series::solid("J", losses.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect())]).unwrap();
        }
        let at = svg.find("font-size=\"").unwrap() + 11;
        svg[at..at + svg[at..].find('"').unwrap()].parse::<f64>().unwrap()
    };
    assert!((font_size(2.0) / font_size(1.0) - 2.0).abs() < 0.05);
}

fn surface_3d_svg(run: &DescentRun, angle: Angle3d) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (600, 480)).into_drawing_area();
        let surface = run.surface();
        let level = GridLevel::sample(&surface.evaluator(), surface.default_view(), 21);
        let scene = Scene3d {
            level: &level,
            scale: ColourScale::fit(&level.values),
            path: &run.trajectory(),
            axis_names: surface.axis_names(),
            value_name: "J",
            angle,
            look: Look::NORMAL,
        };
        draw_surface_3d(&root, &scene).unwrap();
        root.present().unwrap();
    }
    svg
}

#[test]
fn surface_3d_draws_every_cell_the_path_and_the_axis_names_and_turns() {
    let run = stepped_run(Surface::Quadratic, 8);
    let svg = surface_3d_svg(&run, Angle3d::DEFAULT);
    assert!(svg.matches("<polygon").count() >= 20 * 20, "a polygon per cell");
    let [x, y] = run.surface().axis_names();
    for text in [x, y, "J"] {
        assert!(svg.contains(&format!(">\n{text}\n<")) || svg.contains(&format!(">{text}<")), "missing the axis name {text}");
    }
    assert!(svg.contains(r##"stroke="#FFFFFF""##), "the path, in white as on the flat chart");
    let turned = surface_3d_svg(&run, Angle3d::DEFAULT.dragged(120.0, 30.0));
    assert_ne!(svg, turned, "dragging turns the view");
}

/// The texts an SVG chart writes, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(text, _)| text.trim().to_string()))
        .collect()
}

/// At t = 0 the loss is one value: its axis labels still differ (not "30.8" three times).
#[test]
fn a_flat_loss_curve_gets_axis_labels_that_differ() {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        draw_loss(&root, &[30.8], None);
    }
    let numbers: Vec<String> = svg_texts(&svg).into_iter().filter(|t| t.parse::<f64>().is_ok_and(|v| v > 29.0 && v < 33.0)).collect();
    assert!(numbers.len() >= 3, "{numbers:?} in {:?}", svg_texts(&svg));
    let mut distinct = numbers.clone();
    distinct.dedup();
    assert_eq!(distinct, numbers, "neighbouring labels read differently");
}

/// A diverging run's loss grows to 10³⁰⁰ and beyond: the log axis follows it to the end, no plateau.
#[test]
fn a_loss_growing_to_the_largest_doubles_is_drawn_to_its_end() {
    let losses: Vec<f64> = (0..900).map(|k| 2.25f64.powi(k)).chain([f64::INFINITY]).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        draw_loss(&root, &losses, None);
    }
    let top = svg_texts(&svg).iter().filter_map(|t| t.parse::<f64>().ok()).fold(0.0, f64::max);
    assert!(top >= 1e250, "the axis reaches {top:e}");
}

/// Reading an SVG chart back: its elements, their attributes, the boxes its texts cover.
mod svg {
    /// A box on the canvas: (x0, y0, x1, y1).
    pub type Bounds = (f64, f64, f64, f64);

    /// The opening tags `<name …>` of `svg`, in order.
    pub fn tags<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
        let open = format!("<{name} ");
        svg.match_indices(&open).map(|(i, _)| &svg[i..i + svg[i..].find('>').expect("a closed tag")]).collect()
    }

    /// The value of attribute `name` in `tag`.
    pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        Some(&tag[at..at + tag[at..].find('"')?])
    }

    pub fn number(tag: &str, name: &str) -> f64 {
        attr(tag, name).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("no number {name} in {tag}"))
    }

    /// The points of a polyline or polygon tag.
    pub fn points(tag: &str) -> Vec<(f64, f64)> {
        attr(tag, "points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|p| p.split_once(',').and_then(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?))))
            .collect()
    }

    /// The colour "#RRGGBB" as bytes.
    pub fn colour(hex: &str) -> [u8; 3] {
        let byte = |k: usize| u8::from_str_radix(&hex[1 + 2 * k..3 + 2 * k], 16).expect("a hex colour");
        [byte(0), byte(1), byte(2)]
    }

    pub fn overlap(a: Bounds, b: Bounds) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    pub fn inside(inner: Bounds, outer: Bounds) -> bool {
        inner.0 >= outer.0 && inner.2 <= outer.2 && inner.1 >= outer.1 && inner.3 <= outer.3
    }

    /// A text of the chart and the box it covers, as the page's canvas draws
    /// it: plotters asks the canvas for a face 1.24 times the SVG's
    /// font-size; the box is its em square high and 0.55 em a character wide.
    #[derive(Debug)]
    pub struct Label {
        pub text: String,
        pub bounds: Bounds,
    }

    /// Every text of `svg` with its box, read from its anchor, alignment,
    /// baseline and rotation.
    pub fn labels(svg: &str) -> Vec<Label> {
        svg.split("<text ")
            .skip(1)
            .map(|part| {
                let (tag, rest) = part.split_once('>').expect("a text tag");
                let tag = format!(" {tag}");
                let text =
                    rest.split("</text>").next().unwrap_or("").trim().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                let (x, y, em) = (number(&tag, "x"), number(&tag, "y"), 1.24 * number(&tag, "font-size"));
                let width = 0.55 * em * text.chars().count() as f64;
                let (u0, u1) = match attr(&tag, "text-anchor") {
                    Some("middle") => (-width / 2.0, width / 2.0),
                    Some("end") => (-width, 0.0),
                    _ => (0.0, width),
                };
                let (v0, v1) = match attr(&tag, "dy") {
                    Some("0.76em") => (0.0, em),
                    Some("0.5ex") => (-em / 2.0, em / 2.0),
                    Some("-0.5ex") => (-em, 0.0),
                    _ => (-0.8 * em, 0.2 * em),
                };
                let bounds = match attr(&tag, "transform") {
                    Some(t) if t.starts_with("rotate(270") => (x + v0, y - u1, x + v1, y - u0),
                    Some(t) if t.starts_with("rotate(90") => (x - v1, y + u0, x - v0, y + u1),
                    _ => (x + u0, y + v0, x + u1, y + v1),
                };
                Label { text, bounds }
            })
            .collect()
    }

    /// The labels that read as numbers, with their values.
    pub fn numbers(svg: &str) -> Vec<(f64, Label)> {
        labels(svg).into_iter().filter_map(|l| l.text.replace('−', "-").parse::<f64>().ok().map(|v| (v, l))).collect()
    }

    /// The distance between two boxes (0 when they overlap).
    pub fn gap(a: Bounds, b: Bounds) -> f64 {
        let dx = (b.0 - a.2).max(a.0 - b.2).max(0.0);
        let dy = (b.1 - a.3).max(a.1 - b.3).max(0.0);
        dx.hypot(dy)
    }
}

/// How far apart two colours look (CIE76 ΔE in CIELAB) to a viewer with
/// normal vision and to one with protanopia, deuteranopia or tritanopia
/// (the full-severity matrices of Machado, Oliveira & Fernandes, 2009): the smallest of the four.
fn least_difference(a: [u8; 3], b: [u8; 3]) -> f64 {
    const DEFICIENCIES: [[[f64; 3]; 3]; 4] = [
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    ];
    let linear = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let lab = |rgb: [f64; 3]| {
        let [r, g, b] = rgb;
        let xyz = [0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b, 0.0193 * r + 0.1192 * g + 0.9505 * b];
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        let (fx, fy, fz) = (f(xyz[0] / 0.95047), f(xyz[1]), f(xyz[2] / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    };
    let seen = |c: [u8; 3], m: &[[f64; 3]; 3]| {
        let l = c.map(linear);
        lab([0, 1, 2].map(|i| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0)))
    };
    DEFICIENCIES
        .iter()
        .map(|m| {
            let (p, q) = (seen(a, m), seen(b, m));
            ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The 3-D chart of a bowl over a box whose x, z and value ranges share no
/// number, so each tick label tells which axis it belongs to.
fn bowl_3d_svg(angle: Angle3d) -> String {
    let view = gradlab::descent::surface::ViewBox::new(10.0, 20.0, -5.0, -1.0);
    let level = GridLevel::sample(&|p: [f64; 2]| 1000.0 + (p[0] - 15.0).powi(2) + 4.0 * (p[1] + 3.0).powi(2), view, 21);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (540, 460)).into_drawing_area();
        let scene = Scene3d {
            level: &level,
            scale: ColourScale::fit(&level.values),
            path: &[],
            axis_names: ["alpha", "beta"],
            value_name: "J",
            angle,
            look: Look::NORMAL,
        };
        draw_surface_3d(&root, &scene).unwrap();
        root.present().unwrap();
    }
    svg
}

/// Angles a user reaches: the first view, small drags from it, and turns all round at several tilts.
fn angles_3d() -> Vec<Angle3d> {
    let mut angles = vec![Angle3d::DEFAULT, Angle3d::DEFAULT.dragged(25.0, 10.0), Angle3d::DEFAULT.dragged(-30.0, -5.0)];
    for pitch in [0.15, 0.45, 0.9, 1.3] {
        angles.extend((0..12).map(|k| Angle3d { yaw: k as f64 * 0.52, pitch }));
    }
    angles
}

/// Issue 17, item 19: each axis name sits beside its own axis's ticks (it
/// sat beside the other axis's), from every angle.
#[test]
fn each_3d_axis_name_sits_beside_its_own_ticks() {
    for angle in angles_3d() {
        let svg = bowl_3d_svg(angle);
        let texts = svg::labels(&svg);
        let numbers = svg::numbers(&svg);
        for (name, range) in [("alpha", 10.0..=20.0), ("beta", -5.0..=-1.0), ("J", 1000.0..=1100.0)] {
            if numbers.iter().filter(|(v, _)| range.contains(v)).count() < 2 {
                // Seen from straight above, the value axis shrinks to a point and keeps a label or none.
                assert!(name == "J" && angle.pitch > 1.0, "{angle:?}: {name} has fewer than two tick labels");
                continue;
            }
            let label = texts.iter().find(|t| t.text == name).unwrap_or_else(|| panic!("{angle:?}: no name {name}"));
            let (value, nearest) = numbers
                .iter()
                .min_by(|a, b| svg::gap(a.1.bounds, label.bounds).total_cmp(&svg::gap(b.1.bounds, label.bounds)))
                .expect("tick labels");
            assert!(range.contains(value), "{angle:?}: the tick label nearest {name} is {} of another axis", nearest.text);
        }
    }
}

/// Issue 17, item 19: no label of the 3-D chart covers another, whatever the
/// angle (a small drag stacked the tick labels).
#[test]
fn no_label_of_the_3d_chart_covers_another() {
    for angle in angles_3d() {
        let svg = bowl_3d_svg(angle);
        let texts = svg::labels(&svg);
        assert!(texts.len() >= 3 + 6, "{angle:?}: names and some ticks: {texts:?}");
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert!(!svg::overlap(a.bounds, b.bounds), "{angle:?}: {a:?} covers {b:?}");
            }
        }
    }
}

/// Issue 17, item 19: Rosenbrock's log axis reads in powers of ten, with no "0" at its foot.
#[test]
fn a_3d_log_axis_reads_in_powers_of_ten() {
    let run = stepped_run(Surface::Rosenbrock, 6);
    let svg = surface_3d_svg(&run, Angle3d::DEFAULT);
    let texts: Vec<String> = svg::labels(&svg).into_iter().map(|l| l.text).collect();
    assert!(texts.contains(&"J (log)".to_string()), "{texts:?}");
    for decade in ["10", "100", "1000"] {
        assert!(texts.contains(&decade.to_string()), "no {decade} on the log axis: {texts:?}");
    }
    // The value axis's labels end on one vertical line: none of them reads 0.
    let numbers = svg::numbers(&svg);
    let (_, thousand) = numbers.iter().find(|(v, _)| *v == 1000.0).expect("1000");
    let column: Vec<&str> =
        numbers.iter().filter(|(_, l)| (l.bounds.2 - thousand.bounds.2).abs() < 2.0).map(|(_, l)| l.text.as_str()).collect();
    assert!(!column.contains(&"0"), "the log axis reads {column:?}");
}

/// Issue 17, item 19: Rosenbrock's valley in 3-D has a smooth edge, not a
/// sawtooth. The lower edge of the surface on the screen (the lowest drawn
/// pixel of each column, from the cells' polygons) keeps within a pixel of
/// its running median across the valley.
#[test]
fn the_rosenbrock_valley_has_a_smooth_edge_in_3d() {
    let run = stepped_run(Surface::Rosenbrock, 6);
    let surface = run.surface();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (540, 460)).into_drawing_area();
        let level = GridLevel::sample(&surface.evaluator(), surface.default_view(), 41);
        let scene = Scene3d {
            level: &level,
            scale: ColourScale::fit(&level.values),
            path: &[],
            axis_names: surface.axis_names(),
            value_name: "J",
            angle: Angle3d::DEFAULT,
            look: Look::NORMAL,
        };
        draw_surface_3d(&root, &scene).unwrap();
        root.present().unwrap();
    }
    // The lowest pixel (largest y) of the cells in each column.
    let mut lowest = std::collections::BTreeMap::<i64, f64>::new();
    let cells = svg::tags(&text, "polygon").into_iter().filter(|t| svg::attr(t, "opacity") == Some("1"));
    for cell in cells.filter(|t| svg::attr(t, "fill").is_some_and(|c| svg::colour(c).iter().any(|b| *b != svg::colour(c)[0]))) {
        let corners = svg::points(cell);
        for (k, a) in corners.iter().enumerate() {
            let b = corners[(k + 1) % corners.len()];
            let (from, to) = (a.0.min(b.0).ceil() as i64, a.0.max(b.0).floor() as i64);
            for c in from..=to {
                let y = if a.0 == b.0 { a.1.max(b.1) } else { a.1 + (b.1 - a.1) * (c as f64 - a.0) / (b.0 - a.0) };
                let e = lowest.entry(c).or_insert(f64::NEG_INFINITY);
                *e = e.max(y);
            }
        }
    }
    let columns: Vec<i64> = lowest.keys().copied().collect();
    let tip = *columns.iter().max_by(|a, b| lowest[a].total_cmp(&lowest[b])).unwrap();
    let (from, to) = (columns[0] + 12, tip - 12);
    assert!(to - from > 100, "a wide stretch of valley: {from}..{to}");
    for c in from..to {
        let mut window: Vec<f64> = (c - 4..=c + 4).filter_map(|k| lowest.get(&k).copied()).collect();
        window.sort_by(f64::total_cmp);
        let median = window[window.len() / 2];
        assert!((lowest[&c] - median).abs() <= 1.5, "a tooth at column {c}: {} against {median}", lowest[&c]);
    }
}

/// Issue 17, item 20: the lines of a chart (six layers' gradient norms) take
/// colours that viewers with any common colour-vision deficiency tell apart
/// (Tableau's orange and green differ by ΔE 4.6 to a protanope), each line
/// its own entry of the Okabe–Ito list and its own dash pattern.
#[test]
fn lines_take_colours_every_viewer_tells_apart_and_dashes_of_their_own() {
    use gradlab::draw::palette::{LineStyle, DASHES, OKABE_ITO};
    let series: Vec<Series> = (0..6)
        .map(|l| {
            Series::solid(
                format!("layer {}", l + 1),
                (0..30).map(|e| (e as f64, (1.0 + l as f64) * (1.0 + (e as f64 * 0.3).sin().abs()))).collect(),
            )
        })
        .collect();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (480, 300)).into_drawing_area();
        let axes = Axes { caption: "norms", x_desc: "epoch", y_desc: "norm", y_range: None, x_range: None, look: Look::NORMAL };
        draw_series(&root, &axes, &series).unwrap();
    }
    let mut colours: Vec<[u8; 3]> = svg::tags(&text, "polyline")
        .into_iter()
        .filter(|t| svg::attr(t, "stroke-width") == Some("2"))
        .map(|t| svg::colour(svg::attr(t, "stroke").unwrap()))
        .collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 6, "a colour for each line: {colours:?}");
    for (i, a) in colours.iter().enumerate() {
        for b in &colours[i + 1..] {
            let difference = least_difference(*a, *b);
            assert!(difference >= 15.0, "{a:?} and {b:?} look alike to some viewers (ΔE {difference:.1})");
        }
    }
    for k in 0..8 {
        assert_eq!(LineStyle::of(k).colour, OKABE_ITO[k], "line {k} takes entry {k}");
        assert!(DASHES[..k].iter().all(|d| *d != DASHES[k]), "line {k} has a dash pattern of its own");
    }
}

/// Issue 17, item 20: during a backward phase the diagram colours the
/// gradients in a pair every viewer tells apart (it was green against red,
/// ΔE 17 to a deuteranope), and its legend says what colours and widths mean.
#[test]
fn the_diagram_explains_its_colours_which_every_viewer_tells_apart() {
    use gradlab::draw::network_chart::{draw_network, NetworkScene};
    use gradlab::nn::activation::Activation;
    use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
    use gradlab::nn::network::{Architecture, Init, Loss, Network};
    use gradlab::nn::train::{Phase, TrainConfig, TrainingRun};
    let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 60, noise: 0.1, seed: 3 }).unwrap();
    let (train, test) = data.split(0.75, 3).unwrap();
    let arch = Architecture {
        sizes: vec![2, 4, 3, 1],
        activations: vec![Activation::Tanh, Activation::Tanh, Activation::Sigmoid],
        loss: Loss::Bce,
    };
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.3, batch_size: 10, l2: 0.0, seed: 1 };
    let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 2).unwrap(), train, test, config).unwrap();
    while !matches!(run.phase(), Some((_, Phase::Backward(2)))) {
        run.step_phase();
    }
    let net = run.current_network();
    let (work, phase) = run.phase().unwrap();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (480, 300)).into_drawing_area();
        let scene = NetworkScene { net: &net, phase: Some(phase), grad: Some(&work.backward.grad), selected: None, look: Look::NORMAL };
        draw_network(&root, &scene).unwrap();
    }
    let texts: Vec<String> = svg::labels(&text).into_iter().map(|l| l.text).collect();
    for words in ["w > 0", "w < 0", "width: |w|", "∂L/∂w > 0", "∂L/∂w < 0", "width: |∂L/∂w|, on layers 2–3"] {
        assert!(texts.iter().any(|t| t == words), "the legend lacks \"{words}\": {texts:?}");
    }
    // The edges' colours: layer 1 by weight, layers 2 and 3 by gradient.
    let mut colours: Vec<[u8; 3]> = svg::tags(&text, "polyline")
        .into_iter()
        .filter_map(|t| svg::attr(t, "stroke"))
        .filter(|c| *c != "#000000" && *c != "#FFFFFF")
        .map(svg::colour)
        .collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 4, "two signs of weight, two of gradient: {colours:?}");
    for (i, a) in colours.iter().enumerate() {
        for b in &colours[i + 1..] {
            let difference = least_difference(*a, *b);
            assert!(difference >= 12.0, "{a:?} and {b:?} look alike to some viewers (ΔE {difference:.1})");
        }
    }
    let [plus, minus] = gradlab::draw::palette::GRADIENT_SIGNS.map(|c| [c.0, c.1, c.2]);
    assert!(least_difference(plus, minus) >= 40.0, "the gradient's signs differ plainly to every viewer");
}

/// Issue 17, item 21: the legend keeps clear of the newest points (it sat
/// in the upper right, over a rising curve's last epochs).
#[test]
fn the_legend_keeps_clear_of_the_newest_points() {
    let rising = |top: f64| (0..=10).map(|e| (e as f64, 0.5 + (top - 0.5) * e as f64 / 10.0)).collect::<Vec<_>>();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (400, 250)).into_drawing_area();
        let axes =
            Axes { caption: "Accuracy", x_desc: "epoch", y_desc: "accuracy", y_range: Some((0.0, 1.0)), x_range: None, look: Look::NORMAL };
        draw_series(&root, &axes, &[Series::solid("train", rising(0.98)), Series::solid("test", rising(0.9))]).unwrap();
    }
    let legend = svg::tags(&text, "rect")
        .into_iter()
        .find(|t| svg::attr(t, "fill") == Some("#FFFFFF") && svg::attr(t, "opacity") == Some("0.85"))
        .expect("the legend's box");
    let (x, y) = (svg::number(legend, "x"), svg::number(legend, "y"));
    let bounds = (x, y, x + svg::number(legend, "width"), y + svg::number(legend, "height"));
    // The solid first line in pixels, and from it where the second line's values fall.
    let first = svg::tags(&text, "polyline").into_iter().map(svg::points).find(|p| p.len() == 11).expect("the first, solid line");
    let (train, test) = (rising(0.98), rising(0.9));
    let per_value = (first[10].1 - first[0].1) / (train[10].1 - train[0].1);
    let pixel = |(e, v): (f64, f64)| (first[e as usize].0, first[0].1 + (v - train[0].1) * per_value);
    for p in train[7..].iter().chain(&test[7..]).map(|p| pixel(*p)) {
        assert!(!svg::inside((p.0, p.1, p.0, p.1), bounds), "the legend {bounds:?} covers the point {p:?} of the last epochs");
    }
}

/// The titles of the axes (found by their text) keep clear of every other text.
fn assert_titles_clear(svg_text: &str, titles: &[&str]) {
    let labels = svg::labels(svg_text);
    for title in titles {
        let t = labels.iter().find(|l| l.text == *title).unwrap_or_else(|| panic!("no title {title}"));
        for other in labels.iter().filter(|l| l.text != *title) {
            assert!(!svg::overlap(t.bounds, other.bounds), "the title {t:?} runs into {other:?}");
        }
    }
}

/// Issue 17, item 21: axis titles keep clear of the tick labels ("iteration
/// t" sat over 4 5 6, "J (log)" over 100000), on the loss chart at its
/// size on the page and on the surface chart.
#[test]
fn axis_titles_keep_clear_of_tick_labels() {
    let losses: Vec<f64> = (0..12).map(|t| 3e5 * 0.3f64.powi(t)).collect();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (430, 230)).into_drawing_area();
        draw_loss(&root, &losses, None);
    }
    assert!(svg::labels(&text).iter().any(|l| l.text == "100000"), "a wide tick label");
    assert_titles_clear(&text, &["iteration t", "J (log)"]);
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 4);
    let (surface, _, _) = surface_svg(&run, (540, 460));
    assert_titles_clear(&surface, &["θ₀", "θ₁"]);
}

/// Issue 17, item 21: "start", "min" and "−∇J" stand on a dark halo (cyan
/// "start" vanished on yellow), inside the plot area and clear of one another.
#[test]
fn heatmap_labels_stand_on_halos_inside_the_plot_apart() {
    for (id, steps) in [("linear_regression", 5), ("himmelblau", 3), ("quadratic", 1)] {
        let run = stepped_run(Surface::from_id(id).unwrap(), steps);
        let (text, mapping, _) = surface_svg(&run, (540, 460));
        let (x0, x1, y0, y1) = mapping.pixels;
        let plot = (x0 as f64, y0 as f64, x1 as f64, y1 as f64);
        let halos: Vec<svg::Bounds> = svg::tags(&text, "rect")
            .into_iter()
            .filter(|t| svg::attr(t, "fill") == Some("#000000") && svg::attr(t, "opacity") == Some("0.6"))
            .map(|t| {
                let (x, y) = (svg::number(t, "x"), svg::number(t, "y"));
                (x, y, x + svg::number(t, "width"), y + svg::number(t, "height"))
            })
            .collect();
        let marks: Vec<svg::Label> =
            svg::labels(&text).into_iter().filter(|l| ["start", "min", "−∇J"].contains(&l.text.as_str())).collect();
        assert!(marks.iter().any(|l| l.text == "start") && marks.iter().any(|l| l.text == "−∇J"), "{id}: {marks:?}");
        for (i, label) in marks.iter().enumerate() {
            assert!(svg::inside(label.bounds, plot), "{id}: {label:?} leaves the plot area {plot:?}");
            let (cx, cy) = ((label.bounds.0 + label.bounds.2) / 2.0, (label.bounds.1 + label.bounds.3) / 2.0);
            assert!(halos.iter().any(|h| svg::inside((cx, cy, cx, cy), *h)), "{id}: {label:?} has no halo");
            for other in &marks[i + 1..] {
                assert!(!svg::overlap(label.bounds, other.bounds), "{id}: {label:?} runs into {other:?}");
            }
        }
    }
}

/// Issue 17, item 23: the plane of training, a long and narrow box around a
/// nearly straight path, is drawn at equal scales: one unit is as long on
/// both axes (the second was stretched about five times).
#[test]
fn the_plane_of_training_is_drawn_at_equal_scales() {
    use gradlab::draw::squared;
    use gradlab::draw::surface_chart::{draw_surface_at, Scales};
    use gradlab::nn::activation::Activation;
    use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
    use gradlab::nn::landscape::{Landscape, PlaneChoice};
    use gradlab::nn::network::{Architecture, Init, Loss, Network};
    use gradlab::nn::train::{TrainConfig, TrainingRun};
    let data = Dataset::generate(DatasetKind::Circle, DataSpec { points: 120, noise: 0.1, seed: 1 }).unwrap();
    let (train, test) = data.split(0.75, 1).unwrap();
    let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.3, batch_size: 10, l2: 0.0, seed: 1 };
    let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 1).unwrap(), train, test, config).unwrap();
    for _ in 0..40 {
        run.step_epoch();
    }
    let landscape = Landscape::new(&run, PlaneChoice::Training).unwrap();
    let narrow = landscape.grid.view;
    assert!((narrow.x_max - narrow.x_min) > 2.0 * (narrow.y_max - narrow.y_min), "a long, narrow box: {narrow:?}");
    let view = squared(narrow);
    let layer = SurfaceLayer::of_function(|p| p[0] * p[0] + p[1] * p[1], view, 50, 50);
    for size in [(485, 390), (640, 360), (360, 480)] {
        let mut text = String::new();
        let mapping = {
            let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
            let scene = SurfaceScene {
                layer: &layer,
                axis_names: ["direction 1", "direction 2"],
                trajectory: &landscape.path,
                ghost: None,
                gradient: landscape.slope,
                batch_gradient: None,
                race: &[],
                minima: &[],
                value_name: "L",
                mark_start: true,
                look: Look::NORMAL,
            };
            draw_surface_at(&root, &scene, Scales::Equal, |_, _| {}).unwrap()
        };
        let (x0, x1, y0, y1) = mapping.pixels;
        let per_unit_x = (x1 - x0) as f64 / (view.x_max - view.x_min);
        let per_unit_y = (y1 - y0) as f64 / (view.y_max - view.y_min);
        assert!((per_unit_x / per_unit_y - 1.0).abs() < 0.02, "{size:?}: {per_unit_x:.1} pixels a unit across, {per_unit_y:.1} up");
        assert!(view.contains(*landscape.path.last().unwrap()) && view.contains(landscape.path[0]), "the path stays in the box");
    }
}

/// A race's paths on the surface chart: each in its own colour, the dashed
/// ones dashed, a marker where each stands, and a legend naming every run.
#[test]
fn surface_chart_draws_a_race_in_colours_dashes_and_a_legend() {
    use gradlab::descent::race::Race;
    use gradlab::draw::palette::LineStyle;
    use gradlab::draw::race_paths::StyledPath;
    use gradlab::named::Named;
    let mut race = Race::every_rule(&DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.05, [-0.8, 0.7]).unwrap());
    let stop = gradlab::descent::stop::StopRule::default();
    for _ in 0..15 {
        race.step(&stop);
    }
    let paths: Vec<Vec<[f64; 2]>> = race.runs().iter().map(|r| r.trajectory()).collect();
    let names: Vec<&str> = race.runs().iter().map(|r| r.optimizer().label()).collect();
    let styled: Vec<StyledPath> =
        paths.iter().zip(&names).enumerate().map(|(k, (points, name))| StyledPath { points, style: LineStyle::of(k), name }).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 520)).into_drawing_area();
        let view = Surface::Quadratic.default_view();
        let m = plot_mapping(&root, view, Look::NORMAL).unwrap();
        let (x0, x1, y0, y1) = m.pixels;
        let layer = SurfaceLayer::compute(&Surface::Quadratic, view, (x1 - x0) as u32, (y1 - y0) as u32);
        let scene = SurfaceScene {
            layer: &layer,
            axis_names: ["x", "y"],
            trajectory: &paths[0],
            ghost: None,
            gradient: race.runs()[0].current().gradient,
            batch_gradient: None,
            race: &styled,
            minima: &[],
            value_name: "J",
            mark_start: true,
            look: Look::NORMAL,
        };
        draw_surface(&root, &scene, |_, _| {}).unwrap();
        root.present().unwrap();
    }
    for (k, name) in names.iter().enumerate() {
        assert!(svg.contains(name), "the legend names {name}");
        let c = LineStyle::of(k).colour;
        let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        // A path in the colour, its marker and its legend sample: three at least.
        assert!(svg.matches(&hex).count() >= 3, "{name} in {hex}: {}", svg.matches(&hex).count());
    }
    assert!(svg.matches("<polygon").count() >= 12, "a marker on the chart and in the legend for each of six runs");
}
