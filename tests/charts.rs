//! The descent lab's flat charts drawn natively into SVG, the same code the
//! page runs on canvases: the surface, the loss, the data, labels, legends
//! and colours (the 3-D chart and the backprop lab's charts have files of their own).

use gradlab::descent::run::DescentRun;
use gradlab::descent::surface::{Surface, ViewBox};
use gradlab::draw::data_chart::draw_data;
use gradlab::draw::layer::{SurfaceLayer, CONTOUR_GRID};
use gradlab::draw::series_chart::{draw_series, Axes, Series};
use gradlab::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use gradlab::draw::Look;
use gradlab::optim::Optimizer;
use plotters::prelude::*;

mod common;
use common::{least_difference, stepped_run, svg, svg_texts};

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

fn surface_svg(run: &DescentRun, size: (u32, u32)) -> (String, gradlab::draw::PlotMapping, Option<(i32, i32)>) {
    surface_svg_over(run, size, run.surface().default_view())
}

/// [`surface_svg`] over `view`.
fn surface_svg_over(run: &DescentRun, size: (u32, u32), view: ViewBox) -> (String, gradlab::draw::PlotMapping, Option<(i32, i32)>) {
    let mut svg = String::new();
    let mut raster_at = None;
    let mapping;
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
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

/// Tick labels of five digits and a sign along θ₀ of a narrow surface chart (a
/// diverged run's view) stand apart: fewer of them, not run together.
#[test]
fn wide_tick_labels_along_a_narrow_surface_stand_apart() {
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 3);
    for size in [(330, 330), (480, 400)] {
        let (text, _, _) = surface_svg_over(&run, size, ViewBox::new(-35_000.0, 35_000.0, -22_000.0, 22_000.0));
        let labels: Vec<_> = svg::labels(&text).into_iter().filter(|l| l.text.replace('−', "-").parse::<f64>().is_ok()).collect();
        assert!(labels.len() >= 6, "{size:?}: two labels an axis and the colour bar's: {labels:?}");
        let lowest = labels.iter().map(|l| l.bounds.1).fold(f64::MIN, f64::max);
        assert!(labels.iter().filter(|l| l.bounds.1 == lowest).count() >= 2, "{size:?}: two labels along θ₀ at least: {labels:?}");
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!svg::overlap(a.bounds, b.bounds), "{size:?}: {a:?} runs into {b:?}");
            }
        }
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

/// The data chart's tick labels keep clear of one another and of every other
/// text, down to its height in projector mode on a 1024 × 768 screen (the
/// y labels 0 to 12 ran into one another there).
#[test]
fn data_chart_labels_keep_clear_of_one_another_on_a_short_chart() {
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 5);
    let Surface::LinearRegression(data) = run.surface() else { unreachable!() };
    for (size, look) in [((400, 300), Look::NORMAL), ((435, 185), Look::scaled(1.4).unwrap()), ((560, 150), Look::NORMAL)] {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
            draw_data(&root, data, run.current().theta, None, look).unwrap();
        }
        let labels = svg::labels(&text);
        assert!(labels.iter().filter(|l| l.text.parse::<f64>().is_ok()).count() >= 4, "{size:?}: two labels an axis at least");
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!svg::overlap(a.bounds, b.bounds), "{size:?} at scale {}: {a:?} runs into {b:?}", look.scale);
            }
        }
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
    use gradlab::nn::landscape::{GridSize, Landscape, PlaneChoice};
    use gradlab::nn::network::{Architecture, Init, Loss, Network};
    use gradlab::nn::train::{TrainConfig, TrainingRun};
    let data = Dataset::generate(DatasetKind::Circle, DataSpec { points: 120, noise: 0.1, seed: 1, classes: 3 }).unwrap();
    let (train, test) = data.split(0.75, 1).unwrap();
    let arch = Architecture { sizes: vec![2, 4, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.3, batch_size: 10, l2: 0.0, seed: 1 };
    let mut run = TrainingRun::new(Network::init(arch, Init::Xavier, 1).unwrap(), train, test, config).unwrap();
    for _ in 0..40 {
        run.step_epoch();
    }
    let landscape = Landscape::new(&run, PlaneChoice::Training, GridSize::Fine).unwrap();
    let narrow = landscape.grid.view;
    assert!((narrow.x_max - narrow.x_min) > 2.0 * (narrow.y_max - narrow.y_min), "a long, narrow box: {narrow:?}");
    let view = squared(narrow);
    let bowl = |xs: &[f64], ys: &[f64], out: &mut [f64]| {
        for (row, y) in out.chunks_exact_mut(xs.len()).zip(ys) {
            row.iter_mut().zip(xs).for_each(|(o, x)| *o = x * x + y * y);
        }
    };
    let layer = SurfaceLayer::of_sampler(&bowl, view, (50, 50), CONTOUR_GRID);
    for size in [(485, 390), (640, 360), (360, 480)] {
        let mut text = String::new();
        let mapping = {
            let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
            let scene = SurfaceScene {
                layer: &layer,
                axis_names: ["direction 1", "direction 2"],
                trajectory: &landscape.path,
                ghost: None,
                gradient: [0.0, 0.0],
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

/// The sweep of a typed f that goes below 0 draws J on a linear scale, every
/// value in sight; one that stays above 0 keeps the log scale.
#[test]
fn a_sweep_below_zero_is_drawn_on_a_linear_scale() {
    use gradlab::draw::sweep_chart::{draw_sweep, SweepScene};
    use gradlab::sweep::{SweepPoint, SweepRange};
    let range = SweepRange { lo: 0.01, hi: 1.0, count: 3, steps: 10 };
    let point = |lr: f64, value: f64| SweepPoint { lr, value: Some(value), test_value: None, diverged_at: None, reached: Some(4) };
    let draw = |points: &[SweepPoint], start: f64| {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (500, 360)).into_drawing_area();
            let scene = SweepScene {
                range,
                points,
                start_value: start,
                words: ("J", "steps"),
                stop_panel: true,
                current: 0.1,
                bound: None,
                look: Look::NORMAL,
            };
            draw_sweep(&root, &scene).unwrap();
        }
        svg_texts(&out)
    };
    let below = draw(&[point(0.01, -0.2), point(0.1, -0.79), point(1.0, 0.4)], 0.3);
    assert!(below.iter().any(|t| t == "J") && !below.iter().any(|t| t == "J (log)"), "{below:?}");
    assert!(below.iter().any(|t| t.starts_with('-')), "negative ticks: {below:?}");
    let above = draw(&[point(0.01, 0.2), point(0.1, 0.01), point(1.0, 0.4)], 0.3);
    assert!(above.iter().any(|t| t == "J (log)"), "{above:?}");
}

/// One variable: the chart's title gives the slope of the tangent at xₜ, f′(xₜ), to four digits.
#[test]
fn the_curve_chart_names_the_slope_of_its_tangent() {
    use gradlab::descent::curve::CurveSurface;
    use gradlab::draw::curve_chart::{draw_curve, CurveScene};
    let curve = CurveSurface::preset("curve_square").unwrap();
    let mut out = String::new();
    let mapping = {
        let root = SVGBackend::with_string(&mut out, (500, 360)).into_drawing_area();
        draw_curve(&root, &CurveScene { curve: &curve, xs: &[1.8, 1.44], next: Some(1.152), look: Look::NORMAL }).unwrap()
    };
    assert!(svg_texts(&out).iter().any(|t| t == "f(x) = x^2; tangent at xₜ: slope f′(xₜ) = 2.88"), "{:?}", svg_texts(&out));
    // A click in the plot is an x of the curve's range.
    let (x0, x1, y0, y1) = mapping.pixels;
    let [x, _] = mapping.point_at(f64::from(x0 + x1) / 2.0, f64::from(y0 + y1) / 2.0).unwrap();
    assert!(x.abs() < 0.05, "the middle of [−2, 2]: {x}");
}

/// A long noisy run draws at most four points a pixel column, and the line
/// still reaches the highest and the lowest value of the run.
#[test]
fn a_long_noisy_curve_is_drawn_by_its_pixel_columns_and_keeps_its_extremes() {
    let points: Vec<(f64, f64)> =
        (0..50_000).map(|k| (k as f64, 1.0 + ((k * 7919) % 1000) as f64 / 1000.0 + if k == 31_337 { 5.0 } else { 0.0 })).collect();
    let axes = Axes { caption: "Loss", x_desc: "epoch", y_desc: "L", y_range: Some((0.0, 7.0)), x_range: None, look: Look::NORMAL };
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (400, 300)).into_drawing_area();
        draw_series(&root, &axes, &[Series::solid("", points)]).unwrap();
    }
    let lines = svg::tags(&text, "polyline");
    let drawn: Vec<(f64, f64)> = lines.iter().flat_map(|tag| svg::points(tag)).collect();
    let columns = drawn.iter().map(|p| p.0 as i64).collect::<std::collections::BTreeSet<_>>().len();
    assert!(drawn.len() <= 4 * columns + 4 && drawn.len() < 2_000, "{} points for {columns} columns", drawn.len());
    let top = drawn.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let bottom = drawn.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    // From the floor (1.0 … 2.0) to the one spike (above 6) is about 5/7 of a plot
    // some 200 pixels high; without the spike the line would span 1/7 of it.
    assert!(bottom - top > 100.0, "the spike and the floor are both on the line: {top} … {bottom}");
}
