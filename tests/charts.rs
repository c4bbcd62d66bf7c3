//! The charts drawn natively into SVG: the same code the page runs on canvases.

use gradlab::draw::data_chart::draw_data;
use gradlab::draw::layer::SurfaceLayer;
use gradlab::draw::loss_chart::draw_loss;
use gradlab::draw::surface_chart::{draw_surface, plot_mapping, SurfaceScene};
use gradlab::optim::Optimizer;
use gradlab::run::DescentRun;
use gradlab::surface::Surface;
use plotters::prelude::*;

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
        let m = plot_mapping(&root, view).unwrap();
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
    for id in gradlab::surface::SURFACE_IDS {
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
            draw_loss(&root, &losses, Some(&losses[..losses.len() / 2])).unwrap();
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
        draw_loss(&root, &losses, None).unwrap();
    }
    assert!(svg.contains("J (log scale)"));
}

#[test]
fn data_chart_shows_the_current_line() {
    let run = stepped_run(Surface::from_id("linear_regression").unwrap(), 3);
    let Surface::LinearRegression(data) = run.surface() else { unreachable!() };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        draw_data(&root, data, run.current().theta).unwrap();
    }
    let caption = format!("ŷ = {} + {}·x", gradlab::format::sig(run.current().theta[0], 4), gradlab::format::sig(run.current().theta[1], 4));
    assert!(svg.contains(&caption), "{caption}");
    assert_eq!(svg.matches("<circle").count(), data.len());
}
