//! Inside each layer: a row a layer, each a heat strip of histograms against
//! epoch (darker where more values fall) with the histogram now beside it on
//! the same value axis, and the layer's health in its title.

use crate::tr;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::sweep_chart::power_label;
use super::{drawing_error, Look};
use crate::format::{sig, tick};
use crate::named::Named;
use crate::nn::inside::{LayerHealth, Strip, BINS};

const INK: RGBColor = RGBColor(0, 114, 178);

/// White for no values, up to the strip's blue for the most values of a column.
fn shade(share: f64) -> RGBColor {
    let t = share.clamp(0.0, 1.0).sqrt();
    let mix = |v: u8| (255.0 + (v as f64 - 255.0) * t).round() as u8;
    RGBColor(mix(INK.0), mix(INK.1), mix(INK.2))
}

/// The label of a value-axis tick: the value, or |g| = 10^v on a log scale.
fn value_label(v: f64, log: bool, span: f64) -> String {
    if log {
        power_label(&v)
    } else {
        tick(v, span, 2)
    }
}

/// Draws `strip` on `root`, each layer titled with its activation and update ratio from `health`
/// (the page lists the rest of the health in words).
pub fn draw_inside<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    strip: &Strip,
    health: &[LayerHealth],
    look: Look,
) -> Result<(), String> {
    let title = tr!("Inside each layer: {what}", what = strip.quantity.shown());
    let root = root.titled(&title, look.caption()).map_err(drawing_error)?;
    // Rows of equal plots: the last also holds the epoch axis under its plot.
    let axis = look.x_label_area(look.font(), look.font());
    let height = root.dim_in_pixel().1;
    let plot = height.saturating_sub(axis) / strip.layers.len().max(1) as u32;
    let breaks: Vec<i32> = (1..strip.layers.len()).map(|l| (l as u32 * plot) as i32).collect();
    let rows = root.split_by_breakpoints(Vec::<i32>::new(), breaks);
    let first = strip.epochs[0];
    let last = strip.epochs[strip.epochs.len() - 1].max(first + 1.0);
    // One scale of counts for every layer's histogram now, so that the counts under the last hold for all.
    let most = strip.layers.iter().filter_map(|layer| layer.columns.last()).flatten().copied().max().unwrap_or(0).max(1) as f64;
    for (l, (row, layer)) in rows.iter().zip(&strip.layers).enumerate() {
        let bottom = l + 1 == strip.layers.len();
        let width = row.dim_in_pixel().0;
        let (left, right) = row.split_horizontally((width as f64 * 0.75) as u32);
        let caption = match health.get(l) {
            Some(h) => format!(
                "{} ({}){}",
                tr!("Layer {l}", l = l + 1),
                h.activation.id(),
                h.update_ratio.map(|r| format!(", ‖ΔW‖/‖W‖ = {}", sig(r, 2))).unwrap_or_default()
            ),
            None => tr!("Layer {l}", l = l + 1),
        };
        let span = layer.hi - layer.lo;
        let labels = [value_label(layer.lo, layer.log, span), value_label(layer.hi, layer.log, span)];
        let mut chart = ChartBuilder::on(&left)
            .margin(look.px(4))
            .caption(caption, look.small())
            .x_label_area_size(if bottom { look.x_label_area(look.font(), look.font()) } else { look.px(4) })
            .y_label_area_size(look.y_label_area(&left, &labels, look.font(), look.small()))
            .build_cartesian_2d(first..last, layer.lo..layer.hi)
            .map_err(drawing_error)?;
        let step = span / BINS as f64;
        let cells = layer.columns.iter().enumerate().flat_map(|(c, counts)| {
            let x0 = strip.epochs[c];
            let x1 = strip.epochs.get(c + 1).copied().unwrap_or(last).max(x0 + (last - first) / 200.0);
            let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
            counts.iter().enumerate().filter(|(_, n)| **n > 0).map(move |(b, n)| {
                let y0 = layer.lo + b as f64 * step;
                Rectangle::new([(x0, y0), (x1, y0 + step)], shade(*n as f64 / most).filled())
            })
        });
        chart.draw_series(cells).map_err(drawing_error)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .set_all_tick_mark_size(look.tick())
            .x_labels(if bottom { 6 } else { 0 })
            .y_labels(if layer.log { 5 } else { 3 })
            .label_style(look.font())
            .axis_desc_style(look.small())
            .x_desc(if bottom { tr!("epoch") } else { String::new() })
            .y_desc(if layer.log { "|g|" } else { "" })
            .x_label_formatter(&|v| tick(*v, last - first, 2))
            .y_label_formatter(&|v| value_label(*v, layer.log, span))
            .draw()
            .map_err(drawing_error)?;

        // The histogram now, on the same value axis.
        let now = layer.columns.last().map(Vec::as_slice).unwrap_or(&[]);
        let mut bars = ChartBuilder::on(&right)
            .margin(look.px(4))
            .margin_left(look.px(16))
            .caption(tr!("now"), look.small())
            .x_label_area_size(if bottom { look.x_label_area(look.font(), look.font()) } else { look.px(4) })
            .build_cartesian_2d(0.0..most, layer.lo..layer.hi)
            .map_err(drawing_error)?;
        bars.draw_series(now.iter().enumerate().map(|(b, n)| {
            let y0 = layer.lo + b as f64 * step;
            Rectangle::new([(0.0, y0), (*n as f64, y0 + step)], INK.filled())
        }))
        .map_err(drawing_error)?;
        bars.configure_mesh()
            .disable_mesh()
            .set_all_tick_mark_size(look.tick())
            .x_labels(if bottom { 2 } else { 0 })
            .y_labels(0)
            .label_style(look.font())
            .axis_desc_style(look.small())
            .x_desc(if bottom { tr!("count") } else { String::new() })
            .x_label_formatter(&|v| format!("{}", v.round()))
            .draw()
            .map_err(drawing_error)?;
    }
    Ok(())
}
