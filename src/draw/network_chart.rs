//! The network diagram: neurons in columns, an edge per weight, its width
//! and colour by the weight (or, once backpropagation reached its layer, by
//! its gradient); the layer of the current phase highlighted.

use crate::named::Named;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{drawing_error, Look};
use crate::nn::explain::ParamId;
use crate::nn::network::Network;
use crate::nn::train::Phase;

const POSITIVE: RGBColor = RGBColor(31, 119, 180);
const NEGATIVE: RGBColor = RGBColor(230, 120, 30);
const GRAD_POSITIVE: RGBColor = RGBColor(0, 150, 90);
const GRAD_NEGATIVE: RGBColor = RGBColor(200, 40, 60);
const HIGHLIGHT: RGBColor = RGBColor(255, 236, 160);
const RADIUS: i32 = 11;

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

/// Centre of each neuron, column by column (input first), in pixels.
pub fn neuron_positions(sizes: &[usize], (width, height): (u32, u32), look: Look) -> Vec<Vec<(i32, i32)>> {
    let columns = sizes.len();
    let (w, h) = (width as f64, height as f64);
    let margin_x = 44.0 * look.scale;
    let top = 38.0 * look.scale;
    let usable = (h - top - 16.0 * look.scale).max(10.0);
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
    let radius = look.offset(RADIUS) as f64;
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
    let radius = look.offset(RADIUS);
    let sizes = &net.arch.sizes;
    let size = root.dim_in_pixel();
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
        root.draw(&Rectangle::new([(x - half, 4), (x + half, size.1 as i32 - 4)], HIGHLIGHT.filled())).map_err(drawing_error)?;
    }

    let max_w = net.params.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-12);
    let max_g = scene.grad.map_or(1e-12, |g| {
        (1..=layers).filter(|l| gradient_shown(scene.phase, *l)).fold(1e-12f64, |m, l| {
            let o = net.arch.offsets(l);
            g[o.w..o.end].iter().fold(m, |m, v| m.max(v.abs()))
        })
    });
    for l in 1..=layers {
        let o = net.arch.offsets(l);
        let by_grad = scene.grad.filter(|_| gradient_shown(scene.phase, l));
        for (i, &a) in pos[l - 1].iter().enumerate() {
            for (j, &b) in pos[l].iter().enumerate() {
                let k = o.w + i * o.n_out + j;
                let (value, max, plus, minus) = match by_grad {
                    Some(g) => (g[k], max_g, GRAD_POSITIVE, GRAD_NEGATIVE),
                    None => (net.params[k], max_w, POSITIVE, NEGATIVE),
                };
                let strength = (value.abs() / max).clamp(0.0, 1.0);
                let colour = if value >= 0.0 { plus } else { minus };
                let width = look.px(1) + (strength * 6.0 * look.scale).round() as u32;
                root.draw(&PathElement::new(vec![a, b], colour.mix(0.25 + 0.75 * strength).stroke_width(width))).map_err(drawing_error)?;
            }
        }
    }

    if let Some(p) = scene.selected.filter(|p| p.index(net).is_some()) {
        let b = pos[p.layer][p.to];
        match p.from {
            Some(i) => root.draw(&PathElement::new(vec![pos[p.layer - 1][i], b], BLACK.stroke_width(look.px(3)))).map_err(drawing_error)?,
            None => root.draw(&Circle::new(b, radius + look.offset(4), BLACK.stroke_width(look.px(3)))).map_err(drawing_error)?,
        }
    }

    for (c, column) in pos.iter().enumerate() {
        for (k, &p) in column.iter().enumerate() {
            root.draw(&Circle::new(p, radius, WHITE.filled())).map_err(drawing_error)?;
            root.draw(&Circle::new(p, radius, BLACK.stroke_width(look.px(2)))).map_err(drawing_error)?;
            let label = if c == 0 {
                format!("x{}", k + 1)
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
        let (title, act) = match c {
            0 => ("input".to_string(), String::new()),
            c if c == layers => ("output".to_string(), net.arch.activations[c - 1].id().to_string()),
            c => (format!("layer {c}"), net.arch.activations[c - 1].id().to_string()),
        };
        let x = column.first().map_or(0, |p| p.0);
        let style = look.small().into_font().into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(title, (x, look.offset(3)), style.clone())).map_err(drawing_error)?;
        root.draw(&Text::new(act, (x, look.offset(17)), style)).map_err(drawing_error)?;
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
