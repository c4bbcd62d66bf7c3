//! What the chart tests share: a stepped descent run, reading an SVG chart
//! back, and how far apart two colours look to every viewer. Each test file
//! uses part of it.
#![allow(dead_code)]

use gradlab::descent::run::DescentRun;
use gradlab::descent::surface::Surface;
use gradlab::optim::Optimizer;

pub fn stepped_run(surface: Surface, steps: usize) -> DescentRun {
    let lr = surface.default_lr();
    let start = surface.default_start();
    let mut run = DescentRun::new(surface, Optimizer::Sgd, lr, start).unwrap();
    for _ in 0..steps {
        run.step();
    }
    run
}
/// The texts an SVG chart writes, in order.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(text, _)| text.trim().to_string()))
        .collect()
}
/// Reading an SVG chart back: its elements, their attributes, the boxes its texts cover.
pub mod svg {
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
pub fn least_difference(a: [u8; 3], b: [u8; 3]) -> f64 {
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
