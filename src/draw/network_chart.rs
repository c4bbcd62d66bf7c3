//! The network diagram: neurons in columns, an edge per weight, its width
//! and colour by the weight (or, once backpropagation reached its layer, by
//! its gradient); the layer of the current phase highlighted; a legend under
//! it that says what the colours and widths mean.

use crate::named::Named;
use crate::tr;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{GRADIENT_SIGNS, WEIGHT_SIGNS};
use super::text::text_size;
use super::{drawing_error, Look};
use crate::nn::explain::ParamId;
use crate::nn::network::Network;
use crate::nn::train::Phase;

const HIGHLIGHT: RGBColor = RGBColor(255, 236, 160);
/// The neurons' usual radius in pixels, at scale 1.
const RADIUS: i32 = 11;
/// The steps of an edge's strength (its |value| over the largest), which set
/// its opacity and width: finer than the eye tells apart.
const STRENGTHS: usize = 32;
/// Rows of the legend under the diagram: the weights' colours, then the gradients'.
const LEGEND_ROWS: usize = 2;

/// What the diagram shows besides the weights.
pub struct NetworkScene<'a> {
    pub net: &'a Network,
    /// The phase reached inside an update, if stepping by phases.
    pub phase: Option<Phase>,
    /// ∂L/∂params of the update in progress, shown on the layers backpropagation has reached.
    pub grad: Option<&'a [f64]>,
    pub selected: Option<ParamId>,
    pub look: Look,
}

/// Where the columns of neurons start (under their titles) and how tall they are, in pixels.
fn column_span(height: u32, look: Look) -> (f64, f64) {
    let top = 38.0 * look.scale;
    let bottom = 8.0 * look.scale + legend_height(look) as f64;
    (top, (height as f64 - top - bottom).max(10.0))
}

/// The neurons' radius in pixels: the usual one, or less where the fullest
/// column's neurons stand closer than it allows (so that they stay apart and
/// the edges between them show), but never under 2 (at the look's scale).
fn neuron_radius(sizes: &[usize], (_, height): (u32, u32), look: Look) -> i32 {
    let fullest = sizes.iter().copied().max().unwrap_or(1).max(1);
    let gap = column_span(height, look).1 / fullest as f64;
    look.offset(RADIUS).min((0.4 * gap) as i32).max(look.offset(2))
}

/// Centre of each neuron, column by column (input first), in pixels.
pub fn neuron_positions(sizes: &[usize], (width, height): (u32, u32), look: Look) -> Vec<Vec<(i32, i32)>> {
    let columns = sizes.len();
    let w = width as f64;
    let margin_x = 44.0 * look.scale;
    let (top, usable) = column_span(height, look);
    sizes
        .iter()
        .enumerate()
        .map(|(c, &n)| {
            let x = margin_x + (w - 2.0 * margin_x) * c as f64 / (columns - 1).max(1) as f64;
            let gap = usable / n.max(1) as f64;
            (0..n).map(|k| (x.round() as i32, (top + gap * (k as f64 + 0.5)).round() as i32)).collect()
        })
        .collect()
}

/// The weight or bias under pixel (x, y): an edge within 6 pixels, or a neuron (its bias).
pub fn param_at(sizes: &[usize], size: (u32, u32), look: Look, (x, y): (f64, f64)) -> Option<ParamId> {
    let pos = neuron_positions(sizes, size, look);
    let radius = neuron_radius(sizes, size, look) as f64;
    for (l, column) in pos.iter().enumerate().skip(1) {
        for (j, &(nx, ny)) in column.iter().enumerate() {
            if (x - nx as f64).hypot(y - ny as f64) <= radius + 2.0 {
                return Some(ParamId { layer: l, from: None, to: j });
            }
        }
    }
    let mut best: Option<(f64, ParamId)> = None;
    for l in 1..pos.len() {
        for (i, &a) in pos[l - 1].iter().enumerate() {
            for (j, &b) in pos[l].iter().enumerate() {
                let d = segment_distance((x, y), a, b);
                if d <= 6.0 * look.scale && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, ParamId { layer: l, from: Some(i), to: j }));
                }
            }
        }
    }
    best.map(|(_, p)| p)
}

fn segment_distance(p: (f64, f64), a: (i32, i32), b: (i32, i32)) -> f64 {
    let (ax, ay, bx, by) = (a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.0 - ax) * dx + (p.1 - ay) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (p.0 - ax - t * dx).hypot(p.1 - ay - t * dy)
}

/// Whether backpropagation has computed layer l's gradient by `phase`.
fn gradient_shown(phase: Option<Phase>, l: usize) -> bool {
    match phase {
        Some(Phase::Backward(k)) => l >= k,
        Some(Phase::Update) => true,
        _ => false,
    }
}

pub fn draw_network<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &NetworkScene) -> Result<(), String> {
    let net = scene.net;
    let look = scene.look;
    let sizes = &net.arch.sizes;
    let size = root.dim_in_pixel();
    let radius = neuron_radius(sizes, size, look);
    let pos = neuron_positions(sizes, size, look);
    let layers = net.arch.layers();

    // The band of the layer the current phase works on.
    let band = match scene.phase {
        Some(Phase::Forward(l) | Phase::Backward(l)) => Some(l),
        Some(Phase::Loss) => Some(layers),
        _ => None,
    };
    if let Some(l) = band {
        let x = pos[l][0].0;
        let half = look.offset(24);
        let bottom = size.1 as i32 - legend_height(look) - look.offset(4);
        root.draw(&Rectangle::new([(x - half, 4), (x + half, bottom)], HIGHLIGHT.filled())).map_err(drawing_error)?;
    }

    let max_w = net.params.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-12);
    let max_g = scene.grad.map_or(1e-12, |g| {
        (1..=layers).filter(|l| gradient_shown(scene.phase, *l)).fold(1e-12f64, |m, l| {
            let o = net.arch.offsets(l);
            g[o.w..o.end].iter().fold(m, |m, v| m.max(v.abs()))
        })
    });
    // Each edge's strength |value|/max in STRENGTHS steps, and the edges
    // drawn weakest first: the strong ones stay on top, and edges of one
    // look follow each other (the canvas then sets their stroke once).
    // Bucket 2·steps holds the edges of that strength whose value is 0 or more, 2·steps + 1 the others.
    let mut buckets = vec![Vec::new(); 2 * (STRENGTHS + 1)];
    for l in 1..=layers {
        let o = net.arch.offsets(l);
        let by_grad = scene.grad.filter(|_| gradient_shown(scene.phase, l));
        for (i, &a) in pos[l - 1].iter().enumerate() {
            for (j, &b) in pos[l].iter().enumerate() {
                let k = o.w + i * o.n_out + j;
                let (value, max, [plus, minus]) = match by_grad {
                    Some(g) => (g[k], max_g, GRADIENT_SIGNS),
                    None => (net.params[k], max_w, WEIGHT_SIGNS),
                };
                let steps = ((value.abs() / max).clamp(0.0, 1.0) * STRENGTHS as f64).round() as usize;
                let positive = value >= 0.0;
                buckets[2 * steps + usize::from(!positive)].push((if positive { plus } else { minus }, a, b));
            }
        }
    }
    for (k, bucket) in buckets.into_iter().enumerate() {
        let strength = (k / 2) as f64 / STRENGTHS as f64;
        let width = look.px(1) + (strength * 6.0 * look.scale).round() as u32;
        for (colour, a, b) in bucket {
            root.draw(&PathElement::new(vec![a, b], colour.mix(0.25 + 0.75 * strength).stroke_width(width))).map_err(drawing_error)?;
        }
    }

    if let Some(p) = scene.selected.filter(|p| p.index(net).is_some()) {
        let b = pos[p.layer][p.to];
        match p.from {
            Some(i) => root.draw(&PathElement::new(vec![pos[p.layer - 1][i], b], BLACK.stroke_width(look.px(3)))).map_err(drawing_error)?,
            None => root.draw(&Circle::new(b, radius + look.offset(4), BLACK.stroke_width(look.px(3)))).map_err(drawing_error)?,
        }
    }

    // Titles short enough to stay apart when the columns stand close (many layers, or a large look).
    let style = look.small().into_font().into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top));
    let spacing = pos.get(1).zip(pos.first()).map_or(i32::MAX, |(b, a)| b[0].0 - a[0].0);
    let widest = (0..=layers)
        .flat_map(|c| {
            let (title, act) = column_titles(net, c, false);
            [text_size(root, &title, &style).0, text_size(root, &act, &style).0]
        })
        .max()
        .unwrap_or(0);
    let short = widest as i32 + look.offset(6) > spacing;
    for (c, column) in pos.iter().enumerate() {
        for (k, &p) in column.iter().enumerate() {
            root.draw(&Circle::new(p, radius, WHITE.filled())).map_err(drawing_error)?;
            root.draw(&Circle::new(p, radius, BLACK.stroke_width(look.px(2)))).map_err(drawing_error)?;
            let label = if c == 0 {
                format!("x{}", k + 1)
            } else if c == layers && column.len() > 1 {
                // A softmax's outputs, one a class: ŷ₁ is class 0's share.
                format!("ŷ{}", crate::format::subscript(k + 1))
            } else if c == layers {
                "ŷ".into()
            } else {
                String::new()
            };
            if !label.is_empty() {
                let dx = look.offset(if c == 0 { -40 } else { 16 });
                root.draw(&Text::new(label, (p.0 + dx, p.1 - look.offset(8)), look.font())).map_err(drawing_error)?;
            }
        }
        // Two centred lines over each column: which layer, and its activation.
        let (title, act) = column_titles(net, c, short);
        let x = column.first().map_or(0, |p| p.0);
        root.draw(&Text::new(title, (x, look.offset(3)), style.clone())).map_err(drawing_error)?;
        root.draw(&Text::new(act, (x, look.offset(17)), style.clone())).map_err(drawing_error)?;
    }
    let from_layer = (1..=layers).find(|l| scene.grad.is_some() && gradient_shown(scene.phase, *l));
    draw_legend(root, from_layer, layers, look)
}

/// The two lines over column `c` (0 the input): which layer, and its
/// activation; `short`: "in", "L1", …, "out" and σ for the sigmoid, where
/// the columns stand too close for the words.
fn column_titles(net: &Network, c: usize, short: bool) -> (String, String) {
    let layers = net.arch.layers();
    let activation = |c: usize| {
        let id = net.arch.activations[c - 1].id();
        match (short, id) {
            (true, "sigmoid") => "σ".to_string(),
            (true, "softmax") => "soft".to_string(),
            (true, "linear") => "lin".to_string(),
            _ => id.to_string(),
        }
    };
    match (c, short) {
        (0, false) => (tr!("input"), String::new()),
        (0, true) => (tr!("in"), String::new()),
        (c, false) if c == layers => (tr!("output"), activation(c)),
        (c, true) if c == layers => (tr!("out"), activation(c)),
        (c, false) => (tr!("layer {c}", c = c), activation(c)),
        (c, true) => (format!("L{c}"), activation(c)),
    }
}

/// The height of the legend under the diagram.
fn legend_height(look: Look) -> i32 {
    look.offset(18) * LEGEND_ROWS as i32
}

/// What an entry of the legend shows before its text.
enum Sample {
    /// An edge of this colour.
    Colour(RGBColor),
    /// A thin and a thick edge: width grows with the size.
    Widths,
}

/// What the edges mean, under the diagram: the weights' colours and widths;
/// while backpropagation shows gradients (from layer `from_layer` of
/// `layers` on), a row for theirs, alone once every edge shows its gradient.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    from_layer: Option<usize>,
    layers: usize,
    look: Look,
) -> Result<(), String> {
    let [w_plus, w_minus] = WEIGHT_SIGNS;
    let [g_plus, g_minus] = GRADIENT_SIGNS;
    let weights = vec![
        (Sample::Colour(w_plus), "w > 0".to_string()),
        (Sample::Colour(w_minus), "w < 0".to_string()),
        (Sample::Widths, tr!("width: |w|")),
    ];
    let mut rows = if from_layer == Some(1) { vec![] } else { vec![weights] };
    if let Some(l) = from_layer {
        let which = if l == 1 {
            tr!("all layers")
        } else if l == layers {
            tr!("layer {c}", c = l)
        } else {
            tr!("layers {from}–{to}", from = l, to = layers)
        };
        rows.push(vec![
            (Sample::Colour(g_plus), "∂L/∂w > 0".to_string()),
            (Sample::Colour(g_minus), "∂L/∂w < 0".to_string()),
            (Sample::Widths, tr!("width: |∂L/∂w|, on {which}", which = which)),
        ]);
    }
    let (family, size) = look.small();
    let style_of = |size: f64| (family, size).into_font().into_text_style(root).pos(Pos::new(HPos::Left, VPos::Center));
    let (w, h) = root.dim_in_pixel();
    let row_height = legend_height(look) / LEGEND_ROWS as i32;
    let sample = look.offset(18);
    // Each entry: its sample, a gap, its text, a gap; the ends of the row keep a margin.
    let fixed = |row: &[(Sample, String)]| 2 * look.offset(8) + row.len() as i32 * (sample + look.offset(6) + look.offset(14));
    for (r, row) in rows.iter().enumerate() {
        // A row wider than the diagram (a narrow screen, a longer language) takes smaller text, down to 60 %.
        let texts: i32 = row.iter().map(|(_, text)| text_size(root, text, &style_of(size as f64)).0 as i32).sum();
        let fit = ((w as i32 - fixed(row)) as f64 / texts.max(1) as f64).clamp(0.6, 1.0);
        let style = style_of(size as f64 * fit);
        let y = h as i32 - legend_height(look) + row_height * r as i32 + row_height / 2;
        let mut x = look.offset(8);
        for (shown, text) in row {
            match shown {
                Sample::Colour(colour) => {
                    root.draw(&PathElement::new(vec![(x, y), (x + sample, y)], colour.stroke_width(look.px(4)))).map_err(drawing_error)?
                }
                Sample::Widths => {
                    for (k, width) in [1, 5].into_iter().enumerate() {
                        let x0 = x + k as i32 * (sample / 2 + look.offset(2));
                        root.draw(&PathElement::new(vec![(x0, y), (x0 + sample / 2, y)], BLACK.mix(0.6).stroke_width(look.px(width))))
                            .map_err(drawing_error)?;
                    }
                }
            }
            x += sample + look.offset(6);
            root.draw(&Text::new(text.clone(), (x, y), style.clone())).map_err(drawing_error)?;
            x += text_size(root, text, &style).0 as i32 + look.offset(14);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_find_edges_and_neurons() {
        let sizes = [2, 3, 1];
        let size = (400, 300);
        let pos = neuron_positions(&sizes, size, Look::NORMAL);
        let (a, b) = (pos[1][2], pos[2][0]);
        let mid = ((a.0 + b.0) as f64 / 2.0, (a.1 + b.1) as f64 / 2.0);
        assert_eq!(param_at(&sizes, size, Look::NORMAL, mid), Some(ParamId { layer: 2, from: Some(2), to: 0 }));
        assert_eq!(param_at(&sizes, size, Look::NORMAL, (a.0 as f64, a.1 as f64)), Some(ParamId { layer: 1, from: None, to: 2 }));
        assert_eq!(param_at(&sizes, size, Look::NORMAL, (1.0, 1.0)), None);
    }
}
