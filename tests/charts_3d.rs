//! The 3-D surface chart drawn natively into SVG: every cell, the path, axis
//! names beside their own ticks, labels apart, log axes, smooth edges.

use gradlab::descent::run::DescentRun;
use gradlab::descent::surface::Surface;
use gradlab::draw::layer::ColourScale;
use gradlab::draw::surface3d_chart::{draw_surface_3d, Angle3d, Scene3d};
use gradlab::draw::Look;
use gradlab::nn::landscape::GridLevel;
use plotters::prelude::*;

mod common;
use common::{stepped_run, svg};

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
