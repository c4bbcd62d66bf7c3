//! The backprop lab's charts drawn natively into SVG: the network diagram,
//! the decision boundary, the regression fit and the series charts.

use gradlab::draw::boundary_chart::{data_view, draw_boundary, draw_fit};
use gradlab::draw::network_chart::{draw_network, NetworkScene};
use gradlab::draw::series_chart::{draw_series, Axes, Series};
use gradlab::draw::Look;
use gradlab::named::Named;
use gradlab::nn::activation::Activation;
use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
use gradlab::nn::network::{Architecture, Init, Loss, Network};
use gradlab::nn::train::{Phase, TrainConfig, TrainingRun};
use gradlab::nn::views::BoundaryJob;
use gradlab::optim::Optimizer;
use plotters::prelude::*;

fn trained(dataset: DatasetKind, out: Activation, loss: Loss) -> TrainingRun {
    let data = Dataset::generate(dataset, DataSpec { points: 80, noise: 0.1, seed: 3, classes: 3 }).unwrap();
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
        draw_boundary(&root, view, (run.train_data(), run.test_data()), &[], Look::NORMAL, |x, y, w, h| painted = Some((x, y, w, h)))
            .unwrap();
    }
    let (_, _, w, h) = painted.expect("the raster is painted");
    let rgba = BoundaryJob::complete(net.clone(), view).rgba(w, h);
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

mod common;
use common::{least_difference, svg};

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
    let data = Dataset::generate(DatasetKind::Xor, DataSpec { points: 60, noise: 0.1, seed: 3, classes: 3 }).unwrap();
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
    // The diagram where the run is now, in the middle of its update.
    let draw = |run: &TrainingRun| {
        let (work, phase) = run.phase().unwrap();
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (480, 300)).into_drawing_area();
            let scene = NetworkScene { net: &net, phase: Some(phase), grad: Some(&work.backward.grad), selected: None, look: Look::NORMAL };
            draw_network(&root, &scene).unwrap();
        }
        text
    };
    let text = draw(&run);
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
    // Once backpropagation reaches layer 1, every edge shows its gradient: the legend names the gradients' colours alone.
    while !matches!(run.phase(), Some((_, Phase::Backward(1)))) {
        run.step_phase();
    }
    let texts: Vec<String> = svg::labels(&draw(&run)).into_iter().map(|l| l.text).collect();
    assert!(texts.iter().any(|t| t == "width: |∂L/∂w|, on all layers"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "w > 0" || t == "width: |w|"), "no edge shows its weight: {texts:?}");
}

/// Six hidden layers in a narrow diagram at the projector's size: the
/// column titles take their short forms and stay apart; a wide diagram keeps the words.
#[test]
fn the_column_titles_of_a_deep_network_stay_apart() {
    let arch = Architecture {
        sizes: vec![2, 16, 16, 16, 16, 16, 16, 1],
        activations: vec![Activation::Tanh; 6].into_iter().chain([Activation::Sigmoid]).collect(),
        loss: Loss::Bce,
    };
    let net = Network::init(arch, Init::Xavier, 1).unwrap();
    let draw = |width: u32, look: Look| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
            draw_network(&root, &NetworkScene { net: &net, phase: None, grad: None, selected: None, look }).unwrap();
        }
        svg
    };
    let narrow = draw(490, Look::scaled(1.4).unwrap());
    let titles: Vec<_> = svg::labels(&narrow).into_iter().filter(|l| l.bounds.1 < 40.0).collect();
    assert!(
        titles.iter().any(|l| l.text == "L6") && titles.iter().any(|l| l.text == "σ"),
        "{:?}",
        titles.iter().map(|l| &l.text).collect::<Vec<_>>()
    );
    for (i, a) in titles.iter().enumerate() {
        for b in &titles[i + 1..] {
            assert!(!svg::overlap(a.bounds, b.bounds), "{} and {} overlap", a.text, b.text);
        }
    }
    let wide = draw(1200, Look::NORMAL);
    assert!(wide.contains("layer 6") && wide.contains("sigmoid"));
}

/// The diagram's legend stays inside a narrow diagram (a phone, or a longer
/// language): a row too wide takes smaller text; a wide diagram keeps its size.
#[test]
fn the_legend_fits_a_narrow_diagram() {
    let mut run = trained(DatasetKind::Moons, Activation::Sigmoid, Loss::Bce);
    while !matches!(run.phase(), Some((_, Phase::Backward(2)))) {
        run.step_phase();
    }
    let net = run.current_network();
    let (work, phase) = run.phase().unwrap();
    let legend = |width: u32| {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (width, 300)).into_drawing_area();
            let scene = NetworkScene { net: &net, phase: Some(phase), grad: Some(&work.backward.grad), selected: None, look: Look::NORMAL };
            draw_network(&root, &scene).unwrap();
        }
        // The legend's texts, each with its left edge and its size in pixels (its box's height).
        svg::labels(&text)
            .into_iter()
            .filter(|l| l.bounds.1 > 250.0)
            .map(|l| (l.text.clone(), l.bounds.0, l.bounds.3 - l.bounds.1))
            .collect::<Vec<_>>()
    };
    let narrow = legend(360);
    assert!(narrow.iter().any(|(text, _, _)| text == "width: |∂L/∂w|, on layers 2–3"), "{narrow:?}");
    for (text, left, size) in &narrow {
        let right = left + 0.6 * size * text.chars().count() as f64;
        assert!(right <= 360.0, "{text:?} ends at {right:.0}, past the diagram's 360 px");
    }
    let wide = legend(900);
    assert!(wide.iter().all(|(_, _, size)| (size - 12.0).abs() < 0.01), "a wide diagram keeps the legend's size: {wide:?}");
    assert!(narrow.iter().any(|(_, _, size)| *size < 11.0), "the narrow one's gradient row is smaller: {narrow:?}");
}

/// The edges are drawn weakest first (the strong ones on top), each with an
/// opacity and a width that tell the same strength |w|/max |w| in 32 steps,
/// and the strongest weight's edge, drawn last, is opaque.
#[test]
fn the_diagram_draws_its_edges_weakest_first() {
    let arch = Architecture {
        sizes: vec![2, 6, 4, 1],
        activations: vec![Activation::Tanh, Activation::Tanh, Activation::Sigmoid],
        loss: Loss::Bce,
    };
    let net = Network::init(arch, Init::Xavier, 5).unwrap();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (600, 360)).into_drawing_area();
        draw_network(&root, &NetworkScene { net: &net, phase: None, grad: None, selected: None, look: Look::NORMAL }).unwrap();
    }
    let edges: Vec<(f64, f64)> = svg::tags(&text, "polyline")
        .into_iter()
        .take(2 * 6 + 6 * 4 + 4)
        .map(|t| (svg::number(t, "opacity"), svg::number(t, "stroke-width")))
        .collect();
    assert_eq!(edges.len(), 40, "an edge per weight before the legend");
    for pair in edges.windows(2) {
        assert!(pair[0].0 <= pair[1].0, "weaker before stronger: {pair:?}");
    }
    for &(opacity, width) in &edges {
        let strength = (opacity - 0.25) / 0.75;
        assert!(((strength * 32.0).round() - strength * 32.0).abs() < 1e-6, "opacity {opacity} is a 32nd step of strength");
        assert_eq!(width, 1.0 + (strength * 6.0).round(), "opacity {opacity} and width {width} tell one strength");
    }
    assert_eq!(edges.last().unwrap().0, 1.0, "the strongest weight's edge is opaque");
    let (weak, strong) = (edges[0].0, edges[39].0);
    assert!(weak < 0.6 && strong == 1.0, "strengths differ: {weak} to {strong}");
}

/// Sixteen neurons a column in a short diagram (a projector's first screen):
/// the neurons shrink to stay apart, so the edges between them show; a
/// column of four in a tall one keeps the usual size.
#[test]
fn the_neurons_of_a_full_column_stay_apart() {
    let circles = |hidden: usize, height: u32| {
        let arch = Architecture { sizes: vec![2, hidden, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
        let net = Network::init(arch, Init::Xavier, 1).unwrap();
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (500, height)).into_drawing_area();
            draw_network(&root, &NetworkScene { net: &net, phase: None, grad: None, selected: None, look: Look::NORMAL }).unwrap();
        }
        // The neurons' outlines: (centre y, radius) of the hidden column's, top to bottom.
        let mut column: Vec<(f64, f64)> = svg::tags(&text, "circle")
            .into_iter()
            .filter(|t| svg::attr(t, "fill") == Some("none"))
            .map(|t| (svg::number(t, "cx"), svg::number(t, "cy"), svg::number(t, "r")))
            .filter(|&(x, _, _)| (x - 250.0).abs() < 2.0)
            .map(|(_, y, r)| (y, r))
            .collect();
        column.sort_by(|a, b| a.0.total_cmp(&b.0));
        column
    };
    let full = circles(16, 240);
    assert_eq!(full.len(), 16);
    for pair in full.windows(2) {
        let (gap, r) = (pair[1].0 - pair[0].0, pair[0].1);
        assert!(2.0 * r + 2.0 < gap, "neurons of radius {r} stand {gap} apart");
    }
    assert!(full[0].1 >= 2.0, "still circles: {}", full[0].1);
    let few = circles(4, 360);
    assert!(few.iter().all(|&(_, r)| r == 11.0), "the usual size: {few:?}");
}

/// Each weight's edge joins its two neurons in the colour of its sign, with
/// the opacity and width of |w| over the largest |w|, in 32 steps (a large look).
#[test]
fn each_edge_shows_its_weight() {
    use gradlab::draw::network_chart::neuron_positions;
    use gradlab::draw::palette::WEIGHT_SIGNS;
    let arch = Architecture { sizes: vec![2, 3, 1], activations: vec![Activation::Tanh, Activation::Sigmoid], loss: Loss::Bce };
    let w = [vec![vec![0.5, -2.0, 0.0], vec![1.0, -0.25, 1.5]], vec![vec![-1.0], vec![0.75], vec![0.1]]];
    let net = Network::from_weights(arch, &w, &[vec![0.0; 3], vec![0.0]]).unwrap();
    let (look, size) = (Look::scaled(1.4).unwrap(), (600, 400));
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw_network(&root, &NetworkScene { net: &net, phase: None, grad: None, selected: None, look }).unwrap();
    }
    let lines = svg::tags(&text, "polyline");
    let pos = neuron_positions(&net.arch.sizes, size, look);
    for (l, layer) in w.iter().enumerate() {
        for (i, row) in layer.iter().enumerate() {
            for (j, &value) in row.iter().enumerate() {
                let ends = vec![pos[l][i], pos[l + 1][j]].into_iter().map(|(x, y)| (x as f64, y as f64)).collect::<Vec<_>>();
                let line = lines.iter().find(|t| svg::points(t) == ends).unwrap_or_else(|| panic!("W{}[{i}][{j}]'s edge", l + 1));
                let strength = (value.abs() / 2.0 * 32.0).round() / 32.0;
                let sign = WEIGHT_SIGNS[usize::from(value < 0.0)];
                assert_eq!(svg::colour(svg::attr(line, "stroke").unwrap()), [sign.0, sign.1, sign.2], "W{}[{i}][{j}] = {value}", l + 1);
                assert!((svg::number(line, "opacity") - (0.25 + 0.75 * strength)).abs() < 1e-9, "W{}[{i}][{j}] = {value}: {line}", l + 1);
                assert_eq!(
                    svg::number(line, "stroke-width"),
                    (1.4f64.round() + (strength * 6.0 * 1.4).round()),
                    "W{}[{i}][{j}] = {value}",
                    l + 1
                );
            }
        }
    }
}

/// The layer the current phase works on stands in a band 48 pixels wide
/// centred on its column, from the top to above the legend; the loss's
/// phase is the output layer's; no band outside an update.
#[test]
fn the_phase_band_marks_the_layer_it_works_on() {
    use gradlab::draw::network_chart::neuron_positions;
    let net = Network::init(
        Architecture {
            sizes: vec![2, 4, 3, 1],
            activations: vec![Activation::Tanh, Activation::Tanh, Activation::Sigmoid],
            loss: Loss::Bce,
        },
        Init::Xavier,
        1,
    )
    .unwrap();
    let size = (600, 360);
    let pos = neuron_positions(&net.arch.sizes, size, Look::NORMAL);
    let band = |phase: Option<Phase>| {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
            draw_network(&root, &NetworkScene { net: &net, phase, grad: None, selected: None, look: Look::NORMAL }).unwrap();
        }
        svg::tags(&text, "rect")
            .into_iter()
            .find(|t| svg::attr(t, "fill") == Some("#FFECA0"))
            .map(|t| ["x", "y", "width", "height"].map(|a| svg::number(t, a)))
    };
    for (phase, layer) in [(Phase::Forward(1), 1), (Phase::Backward(2), 2), (Phase::Loss, 3)] {
        let [x, y, width, height] = band(Some(phase)).unwrap_or_else(|| panic!("{phase:?} has a band"));
        assert_eq!((x + width / 2.0, width), (pos[layer][0].0 as f64, 48.0), "{phase:?}: the band of layer {layer}");
        assert_eq!((y, y + height), (4.0, 360.0 - 36.0 - 4.0), "{phase:?}: from the top to above the legend");
    }
    assert_eq!(band(None), None);
}

/// The histograms of each layer now share one scale of counts, the one the
/// last layer's axis labels: every layer's bars, measured in it, add up to the
/// values that layer binned.
#[test]
fn the_histograms_now_share_one_scale_of_counts() {
    use gradlab::draw::inside_chart::draw_inside;
    use gradlab::nn::inside::{health, strip, Quantity};
    let run = trained(DatasetKind::Moons, Activation::Sigmoid, Loss::Bce);
    let strip = strip(&run, Quantity::Weights);
    let (width, height) = (600, 500);
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        draw_inside(&root, &strip, &health(&run), Look::NORMAL).unwrap();
    }
    // The bars now: filled rectangles in the right quarter, by their top.
    let bars: Vec<(f64, f64)> = svg::tags(&text, "rect")
        .into_iter()
        .filter(|t| svg::attr(t, "fill") == Some("#0072B2"))
        .filter_map(|t| {
            let n = |name| svg::attr(t, name).and_then(|v| v.parse::<f64>().ok());
            Some((n("y")?, n("width")?)).filter(|_| n("x").is_some_and(|x| x > 0.75 * width as f64))
        })
        .filter(|(_, w)| *w > 0.0)
        .collect();
    let most = strip.layers.iter().flat_map(|l| l.columns.last().unwrap()).copied().max().unwrap() as f64;
    let unit = bars.iter().map(|b| b.1).fold(0.0, f64::max) / most;
    let per_layer = height as f64 / strip.layers.len() as f64;
    for (l, layer) in strip.layers.iter().enumerate() {
        let counted: f64 = bars.iter().filter(|(y, _)| (*y / per_layer) as usize == l).map(|(_, w)| w / unit).sum();
        let binned: usize = layer.columns.last().unwrap().iter().sum();
        assert!((counted - binned as f64).abs() < 0.5, "layer {}: the bars count {counted:.2}, it binned {binned}", l + 1);
    }
}
