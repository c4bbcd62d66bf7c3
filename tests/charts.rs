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
        draw_data(&root, data, run.current().theta, Look::NORMAL).unwrap();
    }
    let caption =
        format!("ŷ = {} + {}·x", gradlab::format::sig(run.current().theta[0], 4), gradlab::format::sig(run.current().theta[1], 4));
    assert!(svg.contains(&caption), "{caption}");
    assert_eq!(svg.matches("<circle").count(), data.len());
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
        // 2·5 + 5·3 + 3·1 weights, one line each, plus the highlighted band.
        assert_eq!(svg.matches("<polyline").count(), 28);
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
    assert!(svg.contains(r##"stroke="#FF3C3C""##), "the path, in its red");
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
