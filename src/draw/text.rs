//! Text placed where it can be read: the box a text covers, labels kept
//! apart and inside their area, and a halo behind text drawn over a heatmap.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::drawing_error;

/// A box in pixels: columns x0..x1, rows y0..y1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelBox {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl PixelBox {
    /// The box of `size` whose point named by `pos` (its left top, its centre…) is at `at`.
    pub fn anchored(at: (i32, i32), size: (u32, u32), pos: Pos) -> PixelBox {
        let (w, h) = (size.0 as i32, size.1 as i32);
        let x0 = match pos.h_pos {
            HPos::Left => at.0,
            HPos::Center => at.0 - w / 2,
            HPos::Right => at.0 - w,
        };
        let y0 = match pos.v_pos {
            VPos::Top => at.1,
            VPos::Center => at.1 - h / 2,
            VPos::Bottom => at.1 - h,
        };
        PixelBox { x0, y0, x1: x0 + w, y1: y0 + h }
    }

    /// The box of a `radius` around the pixel `at` (a marker).
    pub fn around(at: (i32, i32), radius: i32) -> PixelBox {
        PixelBox { x0: at.0 - radius, y0: at.1 - radius, x1: at.0 + radius, y1: at.1 + radius }
    }

    /// Whether the two boxes share any pixel.
    pub fn overlaps(&self, other: &PixelBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// The pixels the two boxes share.
    pub fn shared(&self, other: &PixelBox) -> i64 {
        let side = |lo: i32, hi: i32, other_lo: i32, other_hi: i32| i64::from((hi.min(other_hi) - lo.max(other_lo)).max(0));
        side(self.x0, self.x1, other.x0, other.x1) * side(self.y0, self.y1, other.y0, other.y1)
    }

    /// Whether this box lies wholly inside `outer`.
    pub fn within(&self, outer: &PixelBox) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }

    /// This box grown by `by` pixels on every side.
    pub fn grown(&self, by: i32) -> PixelBox {
        PixelBox { x0: self.x0 - by, y0: self.y0 - by, x1: self.x1 + by, y1: self.y1 + by }
    }

    /// This box moved by the least that puts it inside `outer` (its left top
    /// inside when it is larger than `outer`).
    pub fn moved_into(&self, outer: &PixelBox) -> PixelBox {
        let shift = |lo: i32, hi: i32, outer_lo: i32, outer_hi: i32| {
            if hi > outer_hi {
                (outer_hi - hi).max(outer_lo - lo)
            } else if lo < outer_lo {
                outer_lo - lo
            } else {
                0
            }
        };
        let dx = shift(self.x0, self.x1, outer.x0, outer.x1);
        let dy = shift(self.y0, self.y1, outer.y0, outer.y1);
        PixelBox { x0: self.x0 + dx, y0: self.y0 + dy, x1: self.x1 + dx, y1: self.y1 + dy }
    }
}

/// The width and height in pixels of `text` in `style`: as the backend
/// measures it, and never less than a sans-serif face takes on a canvas
/// (0.6 em a character, 1.2 em a line), since some backends only guess
/// (plotters' SVG backend guesses for a face 1.24 times smaller).
pub fn text_size<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle) -> (u32, u32) {
    let (w, h) = area.estimate_text_size(text, style).unwrap_or((0, 0));
    let em = style.font.get_size();
    let least = ((0.6 * em * text.chars().count() as f64).ceil() as u32, (1.2 * em).ceil() as u32);
    (w.max(least.0), h.max(least.1))
}

/// Places labels one at a time, each in the first of its candidate boxes
/// that lies inside the bounds and clear of every box taken before.
pub struct Placer {
    bounds: PixelBox,
    taken: Vec<PixelBox>,
    /// Room kept between two labels, in pixels.
    gap: i32,
}

impl Placer {
    pub fn new(bounds: PixelBox, gap: i32) -> Placer {
        Placer { bounds, taken: Vec::new(), gap }
    }

    /// Marks `area` as taken: no label is placed over it.
    pub fn reserve(&mut self, area: PixelBox) {
        self.taken.push(area);
    }

    /// Whether `candidate` lies inside the bounds, clear of the boxes taken.
    pub fn fits(&self, candidate: &PixelBox) -> bool {
        candidate.within(&self.bounds) && self.taken.iter().all(|t| !t.overlaps(&candidate.grown(self.gap)))
    }

    /// The first of `candidates` that fits, now taken; None when none fits.
    pub fn place(&mut self, candidates: impl IntoIterator<Item = PixelBox>) -> Option<PixelBox> {
        let found = candidates.into_iter().find(|c| self.fits(c))?;
        self.taken.push(found);
        Some(found)
    }

    /// The first of `candidates` that fits, or else, moved inside the bounds,
    /// the one that covers the fewest pixels of what is taken (the first of
    /// equals): for a label that must be shown. Either way it is taken.
    pub fn place_surely(&mut self, candidates: &[PixelBox]) -> Option<PixelBox> {
        let chosen = match self.place(candidates.iter().copied()) {
            Some(free) => free,
            None => {
                let covered = |c: &PixelBox| self.taken.iter().map(|t| t.shared(&c.grown(self.gap))).sum::<i64>();
                candidates.iter().map(|c| c.moved_into(&self.bounds)).min_by_key(covered)?
            }
        };
        if !self.taken.contains(&chosen) {
            self.taken.push(chosen);
        }
        Some(chosen)
    }
}

/// Where a label goes relative to its anchor for a label pointing `outward`:
/// left-aligned when it points right, above when it points up, and so on.
pub fn anchor_away(outward: (f64, f64)) -> Pos {
    // sin 22.5°: within this of an axis direction, the label is centred across it.
    const SIDEWAYS: f64 = 0.38;
    let h = if outward.0 > SIDEWAYS {
        HPos::Left
    } else if outward.0 < -SIDEWAYS {
        HPos::Right
    } else {
        HPos::Center
    };
    let v = if outward.1 > SIDEWAYS {
        VPos::Top
    } else if outward.1 < -SIDEWAYS {
        VPos::Bottom
    } else {
        VPos::Center
    };
    Pos::new(h, v)
}

/// Draws `text` in `style` centred in the box `halo`, over the box filled
/// in translucent dark grey, so that it reads on any colour of a heatmap.
pub fn draw_with_halo<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    halo: PixelBox,
) -> Result<(), String> {
    area.draw(&Rectangle::new([(halo.x0, halo.y0), (halo.x1, halo.y1)], RGBAColor(0, 0, 0, 0.6).filled())).map_err(drawing_error)?;
    let centre = ((halo.x0 + halo.x1) / 2, (halo.y0 + halo.y1) / 2);
    area.draw(&Text::new(text, centre, style.pos(Pos::new(HPos::Center, VPos::Center)))).map_err(drawing_error)
}

/// How many columns `c` takes: two for a character of Chinese, one for any other.
fn char_columns(c: char) -> usize {
    if c >= '\u{2e80}' {
        2
    } else {
        1
    }
}

/// How many columns `text` takes.
fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// `text` in lines of at most `width` columns, broken between words, and a
/// word wider than a line (a sentence of Chinese) between its characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(line) = lines.last_mut().filter(|line| columns(line) + 1 + columns(word) <= width) {
            line.push(' ');
            line.push_str(word);
        } else if columns(word) <= width {
            lines.push(word.to_string());
        } else {
            let mut line = String::new();
            for c in word.chars() {
                if !line.is_empty() && columns(&line) + char_columns(c) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_anchor_overlap_and_move_inside() {
        let b = PixelBox::anchored((100, 50), (40, 10), Pos::new(HPos::Right, VPos::Center));
        assert_eq!(b, PixelBox { x0: 60, y0: 45, x1: 100, y1: 55 });
        assert!(b.overlaps(&PixelBox::around((99, 54), 2)));
        assert!(!b.overlaps(&PixelBox { x0: 100, y0: 45, x1: 120, y1: 55 }), "boxes that only touch do not overlap");
        let outer = PixelBox { x0: 0, y0: 0, x1: 80, y1: 80 };
        assert_eq!(b.moved_into(&outer), PixelBox { x0: 40, y0: 45, x1: 80, y1: 55 });
    }

    #[test]
    fn the_placer_takes_the_first_free_spot_inside() {
        let mut placer = Placer::new(PixelBox { x0: 0, y0: 0, x1: 100, y1: 100 }, 2);
        placer.reserve(PixelBox { x0: 0, y0: 0, x1: 50, y1: 50 });
        let outside = PixelBox { x0: 90, y0: 90, x1: 120, y1: 100 };
        let on_reserved = PixelBox { x0: 10, y0: 10, x1: 30, y1: 20 };
        let free = PixelBox { x0: 60, y0: 60, x1: 80, y1: 70 };
        assert_eq!(placer.place([outside, on_reserved, free]), Some(free));
        assert_eq!(placer.place([free]), None, "the spot is taken now");
        assert_eq!(placer.place_surely(&[outside]), Some(PixelBox { x0: 70, y0: 90, x1: 100, y1: 100 }));
        // No spot is free: the one over the least of what is taken, not the first.
        let mut full = Placer::new(PixelBox { x0: 0, y0: 0, x1: 40, y1: 20 }, 0);
        full.reserve(PixelBox { x0: 0, y0: 0, x1: 30, y1: 20 });
        let (mostly_on, partly_on) = (PixelBox { x0: 0, y0: 0, x1: 20, y1: 10 }, PixelBox { x0: 25, y0: 5, x1: 45, y1: 15 });
        assert_eq!(full.place_surely(&[mostly_on, partly_on]), Some(PixelBox { x0: 20, y0: 5, x1: 40, y1: 15 }));
    }

    #[test]
    fn labels_sit_on_the_far_side_of_their_anchor() {
        let label = |outward| PixelBox::anchored((0, 0), (10, 4), anchor_away(outward));
        assert_eq!(label((1.0, 0.0)), PixelBox { x0: 0, y0: -2, x1: 10, y1: 2 }, "right of a point on the right");
        assert_eq!(label((-0.7, 0.7)), PixelBox { x0: -10, y0: 0, x1: 0, y1: 4 }, "left of and below");
        assert_eq!(label((0.1, -1.0)), PixelBox { x0: -5, y0: -4, x1: 5, y1: 0 }, "centred above");
    }

    /// Lines break between words, and a sentence of Chinese (one word, two columns a character) between its characters.
    #[test]
    fn text_wraps_between_words_and_inside_a_sentence_of_chinese() {
        assert_eq!(wrap("No picture: the plane needs a path", 14), ["No picture:", "the plane", "needs a path"]);
        assert_eq!(wrap("无图像：训练平面需要路径", 8), ["无图像：", "训练平面", "需要路径"]);
        assert_eq!(wrap("a verylongword", 4), ["a", "very", "long", "word"], "a word wider than a line is cut");
        assert!(wrap("", 10).is_empty());
    }
}
