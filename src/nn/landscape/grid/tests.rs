use super::*;
use crate::nn::landscape::tests::{trained, GRID};
use crate::nn::landscape::{Landscape, PlaneChoice};

/// Between its points a level is bilinear, so a plane comes back exactly
/// (to rounding); outside the box it is held at the border, and a point
/// that is not a number is read at the lowest corner.
#[test]
fn a_level_reads_a_plane_back_and_holds_at_its_border() {
    let plane = |p: [f64; 2]| 2.0 * p[0] - 3.0 * p[1] + 0.5;
    let level = GridLevel::sample(&plane, ViewBox::new(-1.0, 3.0, 0.0, 2.0), 5);
    for p in [[-1.0, 0.0], [0.3, 1.7], [2.99, 0.01], [3.0, 2.0], [1.0, 1.0]] {
        assert!((level.value(p) - plane(p)).abs() < 1e-12, "{p:?}");
    }
    let (xs, ys) = ([-5.0, 9.0, 0.3, f64::NAN], [1.0, -4.0, 7.0, f64::NAN]);
    let mut out = [0.0; 16];
    level.values_on_grid(&xs, &ys, &mut out);
    // The grid's diagonal: the points (xs[k], ys[k]).
    let held = [plane([-1.0, 1.0]), plane([3.0, 0.0]), plane([0.3, 2.0]), plane([-1.0, 0.0])];
    assert!((0..4).all(|k| (out[5 * k] - held[k]).abs() < 1e-12), "{out:?} against {held:?}");
    // Row r, column c: the point (xs[c], ys[r]).
    assert!((out[1] - plane([3.0, 1.0])).abs() < 1e-12 && (out[8] - plane([-1.0, 2.0])).abs() < 1e-12, "{out:?}");
}

/// A level's picture is a raster of the chart's shape with at most 8
/// pixels along a cell; where the chart has no more (41 × 41 on up to 320
/// pixels, any level on a small chart), the chart itself.
/// Its contour lines take 8 samples along a cell, at most those of every other surface.
#[test]
fn a_coarse_level_is_drawn_on_a_smaller_raster() {
    let level = |n: usize| GridLevel { view: ViewBox::new(0.0, 1.0, 0.0, 1.0), n, values: vec![0.0; n * n] };
    assert_eq!(level(6).raster_size((300, 290)), (40, 39));
    assert_eq!(level(11).raster_size((290, 300)), (78, 80));
    assert_eq!(level(41).raster_size((300, 290)), (300, 290));
    assert_eq!(level(6).raster_size((30, 20)), (30, 20));
    assert_eq!(level(6).raster_size((2000, 1)), (40, 1));
    assert_eq!([6, 11, 21, 41].map(|n| level(n).contour_grid()), [41, 81, 121, 121]);
    // A level of one point (never made, but no panic): one cell.
    assert_eq!((level(1).raster_size((300, 290)), level(1).contour_grid()), ((8, 8), 9));
}

/// A grid computed in shares by "other threads" (each from the context
/// read back from its bytes, handed back out of order) holds the same bits as
/// one computed here, and shows a level only once all its points are back.
#[test]
fn shares_computed_elsewhere_and_handed_back_out_of_order_are_the_grid_computed_here() {
    let run = trained(30);
    let (arch, train) = (&run.network().arch, run.train_data());
    let make = || Landscape::on_a_square(&run, PlaneChoice::Random { seed: 4 }, GridSize::Fine).unwrap().grid;
    let mut here = make();
    assert_eq!(here.refine(arch, &train.x, &train.y, usize::MAX), 0);
    let mut shared = make();
    assert_ne!(shared.id, here.id, "each grid is told from the others");
    let context = shared.context(arch, &train.x, &train.y);
    let read_back = GridContext::from_bytes(&context.to_bytes()).unwrap();
    assert_eq!(read_back, context, "every number survives the way to another thread");
    let mut elsewhere = PointLosses::new(read_back).unwrap();
    assert_eq!(elsewhere.grid(), shared.id);
    let shares: Vec<GridShare> = std::iter::from_fn(|| shared.share(10)).collect();
    assert_eq!(shares.len(), (GRID * GRID).div_ceil(10));
    assert_eq!(shares[3].from, 30);
    assert_eq!(shared.remaining(), 0);
    assert!(shared.share(10).is_none(), "every point is out");
    // The second share comes back before the first: no level yet, the first 36 points are not all back.
    let (first, second, third, fourth) = (&shares[0], &shares[1], &shares[2], &shares[3]);
    shared.fill(second.from, &elsewhere.losses(&second.indices));
    assert!(shared.finest().is_none());
    shared.fill(first.from, &elsewhere.losses(&first.indices));
    shared.fill(fourth.from, &elsewhere.losses(&fourth.indices));
    assert!(shared.finest().is_none(), "points 30–35 of the 6 × 6 level are still out");
    shared.fill(third.from, &elsewhere.losses(&third.indices));
    assert_eq!(shared.finest_size(), Some(6));
    for share in shares.iter().skip(4).rev() {
        shared.fill(share.from, &elsewhere.losses(&share.indices));
    }
    assert!(shared.complete());
    let (a, b) = (shared.finest().unwrap(), here.finest().unwrap());
    assert_eq!(a.n, GRID);
    assert!(a.values.iter().zip(&b.values).all(|(x, y)| x.to_bits() == y.to_bits()), "the same bits");
}

/// Shares that never come back are handed out again and computed here.
#[test]
fn points_not_back_are_taken_back_and_computed_here() {
    let run = trained(10);
    let (arch, train) = (&run.network().arch, run.train_data());
    let mut grid = Landscape::on_a_square(&run, PlaneChoice::Training, GridSize::Fine).unwrap().grid;
    let mut elsewhere = PointLosses::new(grid.context(arch, &train.x, &train.y)).unwrap();
    let kept = grid.share(20).unwrap();
    let lost = grid.share(20).unwrap();
    assert_eq!((lost.from, lost.indices.len()), (20, 20));
    grid.fill(kept.from, &elsewhere.losses(&kept.indices));
    assert_eq!(grid.remaining(), GRID * GRID - 40);
    grid.take_back();
    assert_eq!(grid.remaining(), GRID * GRID - 20, "the lost share is handed out again");
    assert_eq!(grid.refine(arch, &train.x, &train.y, 0), GRID * GRID - 20, "nothing asked, nothing done");
    assert!(!grid.complete(), "20 points are not back");
    assert_eq!(grid.refine(arch, &train.x, &train.y, usize::MAX), 0);
    assert!(grid.complete());
    let mut here = Landscape::on_a_square(&run, PlaneChoice::Training, GridSize::Fine).unwrap().grid;
    here.refine(arch, &train.x, &train.y, usize::MAX);
    let (level, expected) = (grid.finest().unwrap(), here.finest().unwrap());
    assert!(level.values.iter().zip(&expected.values).all(|(x, y)| x.to_bits() == y.to_bits() && x.is_finite()));
}

/// The 81 × 81 grid refines through one level more, 6 × 6 first, and its
/// every other point is the 41 × 41 grid's over the same box, bit for bit.
#[test]
fn the_finer_grid_adds_a_level_and_holds_the_fine_one() {
    let run = trained(10);
    let (arch, train) = (&run.network().arch, run.train_data());
    let make = |size| Landscape::on_a_square(&run, PlaneChoice::Random { seed: 2 }, size).unwrap().grid;
    let (mut fine, mut finer) = (make(GridSize::Fine), make(GridSize::Finer));
    assert_eq!(finer.remaining(), 81 * 81);
    let mut sizes = vec![];
    for level in [6, 11, 21, 41, 81] {
        let before = finer.finest_size().map_or(0, |n| n * n);
        finer.refine(arch, &train.x, &train.y, level * level - before - 1);
        assert_eq!(finer.finest_size().map_or(0, |n| n * n), before, "a level is shown once all its points are in");
        finer.refine(arch, &train.x, &train.y, 1);
        sizes.push(finer.finest_size().unwrap());
    }
    assert_eq!(sizes, [6, 11, 21, 41, 81]);
    assert!(finer.complete());
    fine.refine(arch, &train.x, &train.y, usize::MAX);
    let (fine, finer) = (fine.finest().unwrap(), finer.finest().unwrap());
    assert_eq!(finer.n, 81);
    for j in 0..GRID {
        for i in 0..GRID {
            assert_eq!(finer.values[2 * j * 81 + 2 * i].to_bits(), fine.values[j * GRID + i].to_bits(), "({i}, {j})");
        }
    }
    // A worker's context carries the size: its indices run to 81².
    let mut elsewhere =
        PointLosses::new(GridContext::from_bytes(&make(GridSize::Finer).context(arch, &train.x, &train.y).to_bytes()).unwrap()).unwrap();
    let last = elsewhere.losses(&[81 * 81 - 1, 81 * 81]);
    assert_eq!(last[0].to_bits(), finer.values[81 * 81 - 1].to_bits());
    assert!(last[1].is_nan());
}

/// A context whose numbers do not fit together, or cut short on its way, is refused, not computed; indices past the grid have no loss.
#[test]
fn a_context_that_does_not_fit_is_refused() {
    let run = trained(3);
    let (arch, train) = (&run.network().arch, run.train_data());
    let grid = Landscape::on_a_square(&run, PlaneChoice::Random { seed: 1 }, GridSize::Fine).unwrap().grid;
    let good = grid.context(arch, &train.x, &train.y);
    let mut short_plane = good.clone();
    short_plane.plane.d2.pop();
    let mut ragged = good.clone();
    ragged.x.data.pop();
    let mut wide = good.clone();
    wide.y.cols = 2;
    let mut empty = good.clone();
    (empty.x, empty.y) = (Mat::zeros(0, 2), Mat::zeros(0, 1));
    let mut layers = good.clone();
    layers.arch.activations.pop();
    for (bad, what) in [(short_plane, "plane"), (ragged, "points"), (wide, "points"), (empty, "points"), (layers, "plane")] {
        let message = PointLosses::new(bad).unwrap_err();
        assert!(message.contains(what), "{message}");
    }
    let bytes = good.to_bytes();
    let message = GridContext::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(message.starts_with("the grid could not be read"), "{message}");
    let mut losses = PointLosses::new(good).unwrap();
    let values = losses.losses(&[0, (GRID * GRID) as u32]);
    assert!(values[0].is_finite() && values[1].is_nan());
}
