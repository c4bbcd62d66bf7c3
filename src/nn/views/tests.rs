use super::*;
use crate::draw::boundary_chart::outputs_colour;
use crate::nn::activation::Activation;
use crate::nn::data::{DataSpec, Dataset, DatasetKind};
use crate::nn::landscape::tests::GRID;
use crate::nn::landscape::{GridSize, PointLosses, LINE_POINTS};
use crate::nn::matrix::Mat;
use crate::nn::network::{Architecture, Init, Loss, Network};
use crate::nn::train::TrainConfig;
use crate::optim::Optimizer;
use boundary::BOUNDARY_GRID;

use crate::nn::landscape::tests::trained as run;

fn views_of(run: &TrainingRun, views: &mut SlowViews, follow: Follow) {
    views.update(run, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), None, follow, View::ALL);
}

/// The line's points are L at (1 − s)·θ₀ + s·θₜ, computed a point at a time.
#[test]
fn the_line_job_computes_the_loss_along_the_line_a_point_at_a_time() {
    let run = run(5);
    let (start, now) = (&run.history()[0].params, &run.current().params);
    let mut job = LineJob::new(start, now);
    assert_eq!((job.remaining(), job.progress()), (LINE_POINTS, 0));
    assert_eq!(job.advance(&run, 10), LINE_POINTS - 10);
    assert_eq!(job.line.len(), 10);
    assert_eq!(job.progress(), 0, "no picture until the line is whole");
    assert_eq!(job.advance(&run, usize::MAX), 0);
    assert_eq!(job.progress(), 1);
    let train = run.train_data();
    for (k, &(s, loss)) in job.line.iter().enumerate() {
        assert!((s - (-0.5 + 0.05 * k as f64)).abs() < 1e-12);
        let params: Vec<f64> = start.iter().zip(now).map(|(a, b)| (1.0 - s) * a + s * b).collect();
        let net = Network { arch: run.network().arch.clone(), params };
        assert!((loss - net.loss(&net.predict(&train.x), &train.y)).abs() <= 1e-12, "L at s = {s}");
    }
}

/// The boundary's cells are the colours of the network's outputs at their centres, top row first; rows not yet computed are white.
#[test]
fn the_boundary_job_colours_each_cell_by_the_output_at_its_centre() {
    let run = run(20);
    let net = run.current_network();
    let view = ViewBox::new(-2.0, 2.0, -1.0, 3.0);
    let mut job = BoundaryJob::new(net.clone(), view);
    assert_eq!(job.advance(&run, 30), BOUNDARY_GRID - 30);
    assert_eq!(job.progress(), 0);
    let n = BOUNDARY_GRID;
    let rgba = job.rgba(n as u32, n as u32);
    let pixel = |rgba: &[u8], i: usize, j: usize| [rgba[4 * (j * n + i)], rgba[4 * (j * n + i) + 1], rgba[4 * (j * n + i) + 2]];
    assert_eq!(pixel(&rgba, 7, 30), [255, 255, 255], "row 30 is not computed yet");
    job.advance(&run, usize::MAX);
    assert_eq!(job.progress(), 1);
    let rgba = job.rgba(n as u32, n as u32);
    for (i, j) in [(0, 0), (99, 0), (7, 30), (50, 99), (63, 12)] {
        let (x, y) = (-2.0 + 4.0 * (i as f64 + 0.5) / n as f64, 3.0 - 4.0 * (j as f64 + 0.5) / n as f64);
        let out = net.predict(&Mat { rows: 1, cols: 2, data: vec![x, y] });
        assert_eq!(pixel(&rgba, i, j), outputs_colour(out.row(0)), "cell ({i}, {j})");
    }
    // Twice the size: each cell fills a block of 2 × 2 pixels.
    let big = job.rgba(2 * n as u32, 2 * n as u32);
    assert_eq!(big[4 * (2 * 30 * 2 * n + 2 * 7 + 1)..][..3], rgba[4 * (30 * n + 7)..][..3]);
}

/// A step by hand: the newest weights win, the last picture stays shown until theirs is done.
#[test]
fn a_newer_step_replaces_a_job_without_a_picture_and_the_old_picture_stays() {
    let mut r = run(3);
    let mut views = SlowViews::default();
    views_of(&r, &mut views, Follow::Newest);
    assert!(views.line.shown().is_none() && views.line.updating());
    assert_eq!(views.advance(&r, usize::MAX), 0);
    let first = views.line.shown().unwrap().line.clone();
    let version = views.line.version();
    assert!(!views.line.updating());
    r.step_epoch();
    views_of(&r, &mut views, Follow::Newest);
    assert!(views.line.updating(), "the weights moved on");
    assert_eq!(views.line.shown().unwrap().line, first, "the old picture stays shown");
    assert_eq!(views.line.version(), version);
    views.advance(&r, 5 + BOUNDARY_GRID);
    r.step_epoch();
    views_of(&r, &mut views, Follow::Newest);
    assert_eq!(views.line.current().unwrap().remaining(), LINE_POINTS, "a newer step starts afresh");
    assert_eq!(views.line.shown().unwrap().line, first);
    assert_eq!(views.advance(&r, usize::MAX), 0);
    assert!(!views.line.updating());
    assert_ne!(views.line.version(), version);
    let (start, now) = (&r.history()[0].params, &r.current().params);
    let train = r.train_data();
    let expected = crate::nn::landscape::line_from_start(&r.network().arch, start, now, &train.x, &train.y);
    assert_eq!(views.line.shown().unwrap().line, expected, "the picture of the weights now");
}

/// While training plays, a job goes on to its picture for the weights it began with; the next one is of the weights then.
#[test]
fn while_playing_a_job_finishes_its_picture_before_the_next_starts() {
    let mut r = run(3);
    let mut views = SlowViews::default();
    views_of(&r, &mut views, Follow::Finish);
    let began = r.current().params.clone();
    views.advance(&r, BOUNDARY_GRID + 20);
    r.step_epoch();
    views_of(&r, &mut views, Follow::Finish);
    assert_eq!(views.line.current().unwrap().remaining(), LINE_POINTS - 20, "the job goes on");
    assert!(views.boundary.updating(), "the boundary had its picture: a new one starts");
    views.advance(&r, BOUNDARY_GRID + LINE_POINTS - 20);
    assert!(!views.line.updating());
    let (start, _) = (&r.history()[0].params, ());
    let train = r.train_data();
    let of_began = crate::nn::landscape::line_from_start(&r.network().arch, start, &began, &train.x, &train.y);
    assert_eq!(views.line.shown().unwrap().line, of_began, "a picture of the weights it began with");
    views_of(&r, &mut views, Follow::Finish);
    assert_eq!(views.line.current().unwrap().remaining(), LINE_POINTS, "then one of the weights now");
    assert!(views.line.updating());
}

/// While training plays, the views the page does not show wait: they keep
/// their job, do no work and hand out no grid; shown again, or once training
/// stops, they take the weights now.
#[test]
fn while_playing_the_views_not_shown_wait() {
    let mut r = run(3);
    let mut views = SlowViews { grid_shared: true, ..SlowViews::default() };
    let update = |views: &mut SlowViews, r: &TrainingRun, follow, shown: &[View]| {
        views.update(r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), None, follow, shown);
    };
    update(&mut views, &r, Follow::Finish, &[View::Boundary]);
    assert!(views.line.current().is_none() && views.landscape.current().is_none(), "no job for views not shown");
    assert_eq!(views.advance(&r, usize::MAX), 0, "only the boundary's work is done");
    assert!(!views.boundary.updating());
    update(&mut views, &r, Follow::Finish, &[View::Boundary, View::Line, View::Landscape]);
    // The landscape's making and slope first, then the line: the grid's points remain.
    assert_eq!(views.advance(&r, 2 + LINE_POINTS), GRID * GRID);
    assert!(!views.line.updating(), "shown, the line computes");
    assert!(views.share_grid(5).is_some(), "the landscape shown hands out its grid");
    let line = views.line.shown().unwrap().line.clone();
    r.step_epoch();
    update(&mut views, &r, Follow::Finish, &[View::Boundary]);
    assert!(views.boundary.updating(), "the boundary takes the weights now");
    assert!(views.share_grid(5).is_none(), "a waiting landscape hands out no grid");
    assert_eq!(views.advance(&r, usize::MAX), 0);
    assert!(!views.boundary.updating(), "the boundary computes");
    assert!(!views.line.updating() && views.line.current().unwrap().line == line, "the line keeps its job and picture");
    // Shown again, the line starts on the weights now; scrolled away mid-job, it stops where it was.
    r.step_epoch();
    update(&mut views, &r, Follow::Finish, &[View::Line]);
    assert_eq!(views.advance(&r, 10), LINE_POINTS - 10);
    r.step_epoch();
    update(&mut views, &r, Follow::Finish, &[]);
    assert_eq!(views.advance(&r, usize::MAX), 0, "nothing shown, nothing done");
    assert_eq!(views.line.current().unwrap().remaining(), LINE_POINTS - 10, "the line's job waits half done");
    r.step_epoch();
    update(&mut views, &r, Follow::Finish, &[View::Line]);
    assert_eq!(
        views.line.current().unwrap().remaining(),
        LINE_POINTS,
        "shown again: a job of the weights now, not the old one finished first"
    );
    update(&mut views, &r, Follow::Newest, &[]);
    assert!(views.boundary.updating() && views.landscape.updating(), "training stopped: every view takes the weights now");
    assert!(views.advance(&r, 0) > 0);
}

/// Inside each layer waits too while training plays and its panel is not on screen.
#[test]
fn while_playing_inside_each_layer_waits_when_not_shown() {
    let mut r = run(3);
    let mut views = SlowViews::default();
    let update = |views: &mut SlowViews, r: &TrainingRun, shown: &[View]| {
        views.update(r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), Some(Quantity::Gradients), Follow::Finish, shown);
    };
    update(&mut views, &r, View::ALL);
    views.advance(&r, usize::MAX);
    assert!(!views.inside.updating());
    r.step_epoch();
    update(&mut views, &r, &[View::Boundary]);
    assert!(!views.inside.updating(), "not shown, it keeps the picture of the weights before");
    update(&mut views, &r, &[View::Inside]);
    assert!(views.inside.updating(), "shown, it takes the weights now");
}

/// The boundary comes first, then the line, then the landscape; the landscape's picture refines level by level.
#[test]
fn the_work_goes_to_the_boundary_then_the_line_then_the_landscape() {
    let r = run(10);
    let mut views = SlowViews::default();
    views_of(&r, &mut views, Follow::Newest);
    let all = BOUNDARY_GRID + LINE_POINTS + 2 + GRID * GRID;
    assert_eq!(views.advance(&r, 0), all);
    assert_eq!(views.advance(&r, BOUNDARY_GRID - 1), all - BOUNDARY_GRID + 1);
    assert!(views.boundary.updating() && views.line.current().unwrap().line.is_empty());
    assert_eq!(views.advance(&r, 1 + LINE_POINTS), 2 + GRID * GRID, "the landscape's making, its slope and its grid");
    assert!(!views.boundary.updating() && !views.line.updating() && views.landscape.updating());
    let version = views.landscape.version();
    views.advance(&r, 1 + crate::nn::landscape::COARSE_POINTS);
    assert!(views.landscape.updating(), "the making and the slope came first");
    views.advance(&r, 1);
    assert!(!views.landscape.updating(), "the coarsest level is a picture");
    assert_eq!(views.landscape.version(), version + 1);
    views.advance(&r, 11 * 11 - crate::nn::landscape::COARSE_POINTS);
    assert_eq!(views.landscape.version(), version + 2, "11 × 11");
    assert_eq!(views.advance(&r, usize::MAX), 0);
    assert_eq!(views.landscape.version(), version + 3, "41 × 41");
    views.clear();
    assert!(views.boundary.shown().is_none() && views.line.shown().is_none() && views.landscape.shown().is_none());
}

/// With the landscape's grid shared out, the page's slices make the landscape
/// and its slope first and take the grid's points last, after those handed
/// out; shares handed back for the grid under way change its picture, those
/// of an older grid are dropped; taken back, the rest is computed here.
#[test]
fn a_shared_grid_is_filled_by_its_shares_and_older_shares_are_dropped() {
    let r = run(10);
    let mut views = SlowViews::default();
    views.share_grid_out(true);
    views_of(&r, &mut views, Follow::Newest);
    assert!(views.share_grid(10).is_none() && views.grid_context(&r).is_none(), "no grid before the landscape is made");
    // The landscape made first, before the boundary's first piece, so that its grid can go out at once.
    let other_views = views.advance(&r, 0) - GRID * GRID;
    views.advance(&r, 1);
    assert!(views.grid_context(&r).is_some(), "the landscape made");
    assert_eq!(views.boundary.current().unwrap().remaining(), crate::nn::views::boundary::BOUNDARY_GRID, "the boundary not begun");
    // Then its slope, the boundary and the line; the grid's points come last.
    assert_eq!(views.advance(&r, other_views - 1), GRID * GRID, "the boundary, the line, the landscape made and its slope");
    let made = views.landscape.current().unwrap().made().unwrap().as_ref().unwrap();
    assert!(made.slope.is_some() && made.grid.finest().is_none() && made.grid.remaining() == GRID * GRID);
    let mut elsewhere = PointLosses::new(views.grid_context(&r).unwrap()).unwrap();
    let first = views.share_grid(crate::nn::landscape::COARSE_POINTS).unwrap();
    let version = views.landscape.version();
    assert!(!views.fill_grid(first.grid + 1, first.from, &elsewhere.losses(&first.indices)), "another grid's losses");
    assert!(views.landscape.updating());
    assert!(views.fill_grid(first.grid, first.from, &elsewhere.losses(&first.indices)));
    assert!(!views.landscape.updating(), "the 6 × 6 level is back");
    assert_eq!(views.landscape.version(), version + 1);
    let lost = views.share_grid(50).unwrap();
    assert_eq!(lost.from, crate::nn::landscape::COARSE_POINTS);
    let coarse = crate::nn::landscape::COARSE_POINTS;
    assert_eq!(views.advance(&r, 10), GRID * GRID - coarse - 60, "the page computes the points after those handed out");
    assert_eq!(views.share_grid(1).unwrap().from, coarse + 60, "and hands out the ones after its own");
    views.share_grid_out(false);
    assert_eq!(views.advance(&r, 0), GRID * GRID - coarse, "every point from the lost share on is computed here");
    assert_eq!(views.advance(&r, usize::MAX), 0);
    assert!(views.landscape.shown().unwrap().made().unwrap().as_ref().unwrap().grid.complete());
    // A newer step by hand: a new grid; the old one's shares are dropped.
    let mut later = r.clone();
    later.step_epoch();
    views.share_grid_out(true);
    views_of(&later, &mut views, Follow::Newest);
    views.advance(&later, 2); // the new landscape made, and its slope
    assert!(!views.fill_grid(first.grid, first.from, &elsewhere.losses(&first.indices)));
    assert_ne!(views.share_grid(5).unwrap().grid, first.grid);
}

/// The page and another thread fill one shared grid between them, each point
/// once: the page's points come after those handed out, and the grid they
/// make is, point for point, the grid the page computes alone.
#[test]
fn the_page_and_another_thread_fill_one_grid_between_them() {
    let r = run(10);
    let mut alone = SlowViews::default();
    views_of(&r, &mut alone, Follow::Newest);
    assert_eq!(alone.advance(&r, usize::MAX), 0);
    let mut views = SlowViews::default();
    views.share_grid_out(true);
    views_of(&r, &mut views, Follow::Newest);
    let other_views = views.advance(&r, 0) - GRID * GRID;
    views.advance(&r, other_views);
    let mut elsewhere = PointLosses::new(views.grid_context(&r).unwrap()).unwrap();
    let (mut here, mut handed) = (0, 0);
    loop {
        let share = views.share_grid(7);
        if let Some(share) = &share {
            handed += share.indices.len();
            assert!(views.fill_grid(share.grid, share.from, &elsewhere.losses(&share.indices)));
        }
        let before = views.advance(&r, 0);
        let after = views.advance(&r, 5);
        here += before - after;
        if share.is_none() && after == 0 {
            break;
        }
    }
    assert_eq!((here + handed, here > 0, handed > 0), (GRID * GRID, true, true), "every point once, by each of the two");
    let grid = |v: &SlowViews| v.landscape.shown().unwrap().made().unwrap().as_ref().unwrap().grid.finest().unwrap().values;
    let (shared, computed_alone) = (grid(&views), grid(&alone));
    assert_eq!(shared.len(), GRID * GRID);
    assert!(shared.iter().zip(&computed_alone).all(|(a, b)| a.to_bits() == b.to_bits()), "the same losses, bit for bit");
}

/// Shares may fill the whole grid before the page's slice computes the slope:
/// the picture comes with the slope (its −∇L), not before without it.
#[test]
fn a_shared_grid_is_shown_once_its_slope_is_known() {
    let r = run(10);
    let mut views = SlowViews::default();
    views.share_grid_out(true);
    views.update(&r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), None, Follow::Newest, View::ALL);
    views.landscape.advance(&r, 1);
    assert!(views.landscape.current().unwrap().made().unwrap().as_ref().unwrap().slope.is_none(), "made, its slope still to compute");
    let mut elsewhere = PointLosses::new(views.grid_context(&r).unwrap()).unwrap();
    while let Some(share) = views.share_grid(GRID * GRID) {
        assert!(views.fill_grid(share.grid, share.from, &elsewhere.losses(&share.indices)));
    }
    assert!(views.landscape.updating() && views.landscape.shown().is_none(), "no picture without its slope");
    let version = views.landscape.version();
    views.advance(&r, usize::MAX);
    assert!(!views.landscape.updating());
    assert_eq!(views.landscape.version(), version + 1, "the picture, drawn once, with its slope");
    let shown = views.landscape.shown().unwrap().made().unwrap().as_ref().unwrap();
    assert!(shown.slope.is_some() && shown.grid.complete());
}

/// Regression has no boundary job; a landscape that cannot be made is a picture at once (its reason).
#[test]
fn regression_has_no_boundary_and_a_reason_is_shown_at_once() {
    let arch = Architecture { sizes: vec![1, 3, 1], activations: vec![Activation::Tanh, Activation::Linear], loss: Loss::Mse };
    let data = Dataset::generate(DatasetKind::Sine, DataSpec { points: 30, noise: 0.1, seed: 2, classes: 3 }).unwrap();
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.1, batch_size: 0, l2: 0.0, seed: 1 };
    let r = TrainingRun::new(Network::init(arch, Init::Xavier, 1).unwrap(), data, Dataset::empty(false, 1), config).unwrap();
    let mut views = SlowViews::default();
    views.update(&r, (PlaneChoice::Training, GridSize::Fine), None, Follow::Newest, View::ALL);
    assert!(views.boundary.current().is_none());
    assert!(views.landscape.updating());
    views.advance(&r, LINE_POINTS + 1);
    assert!(matches!(views.landscape.shown(), Some(job) if matches!(job.made(), Some(Err(_)))), "no path yet: the reason is the picture");
    assert_eq!(views.advance(&r, usize::MAX), 0);
}

/// Inside each layer is computed a column at a time while its view is open, then binned with the health of each layer; closing it drops the job.
#[test]
fn inside_each_layer_is_computed_a_column_at_a_time_while_open() {
    let r = run(12);
    let mut views = SlowViews::default();
    views.update(&r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), Some(Quantity::Gradients), Follow::Newest, View::ALL);
    views.advance(&r, BOUNDARY_GRID + LINE_POINTS);
    let columns = r.history().len(); // θ₀ … θ₁₂: fewer than the most columns
    assert_eq!(views.inside.current().unwrap().remaining(), columns + 1, "a piece a column, then the binning and health");
    views.advance(&r, columns);
    assert!(views.inside.updating());
    views.advance(&r, 1);
    let (strip, health) = views.inside.shown().unwrap().picture().unwrap();
    assert_eq!(*strip, crate::nn::inside::strip(&r, Quantity::Gradients));
    assert_eq!(*health, crate::nn::inside::health(&r));
    let version = views.inside.version();
    views.update(&r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), None, Follow::Newest, View::ALL);
    assert!(views.inside.current().is_none() && views.inside.shown().is_none(), "closed: no job");
    assert_ne!(views.inside.version(), version, "closed: the picture went, so the page draws again");
    let version = views.inside.version();
    views.update(&r, (PlaneChoice::Random { seed: 2 }, GridSize::Fine), None, Follow::Newest, View::ALL);
    assert_eq!(views.inside.version(), version, "still closed: nothing changed, nothing to draw");
}

/// The page asks for the views of the weights now every frame: a job for the same weights goes on where it was.
#[test]
fn a_job_for_the_same_weights_goes_on() {
    let r = run(4);
    let mut views = SlowViews::default();
    for follow in [Follow::Newest, Follow::Finish] {
        views.clear();
        views_of(&r, &mut views, follow);
        views.advance(&r, 30);
        views_of(&r, &mut views, follow);
        assert_eq!(views.boundary.current().unwrap().remaining(), BOUNDARY_GRID - 30, "{follow:?}");
        views.advance(&r, usize::MAX);
        let version = views.landscape.version();
        views_of(&r, &mut views, follow);
        assert_eq!((views.advance(&r, 0), views.landscape.version()), (0, version), "{follow:?}: done, and nothing changed");
    }
}

/// The line's and the landscape's text alternatives say "computing" until
/// their pictures exist, then the numbers of those pictures.
#[test]
fn the_slow_views_are_told_from_their_pictures() {
    let r = run(5);
    let mut views = SlowViews::default();
    views_of(&r, &mut views, Follow::Newest);
    let texts = views.describe(4);
    assert_eq!(texts["line"], "The loss along the line from the initial weights: computing.");
    assert_eq!(texts["landscape"], "The loss landscape: computing.");
    views.advance(&r, usize::MAX);
    let texts = views.describe(4);
    let line = &views.line.shown().unwrap().line;
    let at = |s: f64| sig4(line.iter().find(|(t, _)| (t - s).abs() < 1e-9).unwrap().1);
    let lowest = line.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_eq!(
        texts["line"],
        format!(
            "The loss along the straight line through the initial weights (s = 0) and the weights now (s = 1), for s from -0.5 to 1.5: L = {} at the start and {} now; lowest, {}, at s = {}.",
            at(0.0),
            at(1.0),
            sig4(lowest.1),
            sig4(lowest.0)
        )
    );
    let level = views.landscape.shown().unwrap().made().unwrap().as_ref().unwrap().grid.finest().unwrap();
    assert_eq!(level.n, GRID);
    let (lo, hi) = level.values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    assert_eq!(texts["landscape"], format!("The loss over the plane on a {GRID} × {GRID} grid, from {} to {}.", sig4(lo), sig4(hi)));
}

fn sig4(x: f64) -> String {
    crate::format::sig(x, 4)
}
