//! Colours that viewers with any common colour-vision deficiency tell apart,
//! and the line styles that go with them, so that no line is told from
//! another by its colour alone.

use plotters::style::RGBColor;

/// The Okabe–Ito palette (Okabe & Ito, 2008), in the order the lines take
/// it: blue, orange, bluish green, vermillion, sky blue, reddish purple,
/// black, yellow.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
    RGBColor(204, 121, 167),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Dash and gap lengths, in pixels at the normal look, of line k (None: solid).
pub const DASHES: [Option<(u32, u32)>; 8] =
    [None, Some((10, 5)), Some((2, 4)), Some((18, 5)), Some((6, 6)), Some((3, 7)), Some((24, 4)), Some((4, 2))];

/// How line `k` of a chart is drawn: its colour and its dash pattern, both
/// different for each of the first eight lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineStyle {
    pub colour: RGBColor,
    pub dash: Option<(u32, u32)>,
}

impl LineStyle {
    /// The style of line `k` (0-based), repeating after eight lines.
    pub fn of(k: usize) -> LineStyle {
        LineStyle { colour: OKABE_ITO[k % OKABE_ITO.len()], dash: DASHES[k % DASHES.len()] }
    }
}

/// Sign colours of the network diagram's edges by weight: blue for w > 0, orange for w < 0.
pub const WEIGHT_SIGNS: [RGBColor; 2] = [RGBColor(31, 119, 180), RGBColor(230, 120, 30)];

/// Sign colours of the edges by gradient, once backpropagation has reached
/// their layer: purple for ∂L/∂w > 0, green for ∂L/∂w < 0 (ColorBrewer's
/// colour-blind-safe PRGn ends, apart from the weights' blue and orange).
pub const GRADIENT_SIGNS: [RGBColor; 2] = [RGBColor(118, 42, 131), RGBColor(27, 120, 55)];
