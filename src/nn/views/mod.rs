//! The views that cost many passes over the data, computed a piece at a time
//! so that no frame of the page waits for them: the decision boundary's
//! raster, the line from θ₀ to θₜ, the view inside each layer and the loss
//! landscape's grid.
//!
//! Each view's job is made for one set of weights. Until the job has a
//! picture, the last picture of an older job stays shown, marked as
//! updating. When the weights move on, a job with no picture yet either goes
//! on (while training plays, so that pictures keep coming) or gives way to a
//! job for the weights now (a step by hand: the newest step wins).

mod boundary;
mod describe;
#[cfg(test)]
mod tests;

pub use boundary::BoundaryJob;

use crate::descent::surface::ViewBox;
use crate::draw::boundary_chart::data_view;
use crate::named::Named;
use crate::nn::inside::{InsideJob, Quantity};
use crate::nn::landscape::{GridContext, GridShare, GridSize, Landscape, LineJob, PlaneChoice};
use crate::nn::train::TrainingRun;

/// What becomes of a job made for older weights that has no picture yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    /// It goes on to its picture first (training plays: a picture a little behind beats none).
    Finish,
    /// A job for the weights now replaces it (a step, Back or Reset by hand).
    Newest,
}

/// A slow view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Boundary,
    Line,
    Landscape,
    Inside,
}

impl Named for View {
    const WHAT: &'static str = "view";
    const ALL: &'static [View] = &[View::Boundary, View::Line, View::Landscape, View::Inside];

    fn id(self) -> &'static str {
        match self {
            View::Boundary => "boundary",
            View::Line => "line",
            View::Landscape => "landscape",
            View::Inside => "inside",
        }
    }

    fn label(self) -> &'static str {
        match self {
            View::Boundary => "decision boundary",
            View::Line => "loss along the line",
            View::Landscape => "loss landscape",
            View::Inside => "inside each layer",
        }
    }
}

/// A view's computation, done a piece at a time; a new job has no picture yet.
pub trait Job {
    /// Does up to `count` more pieces (each about a pass over the training
    /// points or less); returns how many remain.
    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize;
    /// How many pieces remain.
    fn remaining(&self) -> usize;
    /// How far its picture has come: 0 while it has none; larger for each
    /// finer picture (the page redraws when it changes).
    fn progress(&self) -> usize;
}

/// One view's job and the picture shown while it has none.
#[derive(Clone, Debug)]
pub struct Progressive<K, J> {
    /// The job under way (or done) and what it was made for.
    job: Option<(K, J)>,
    /// The last job that had a picture, shown while `job` has none.
    before: Option<J>,
    /// Counts the changes of the picture shown.
    version: u32,
}

impl<K, J> Default for Progressive<K, J> {
    fn default() -> Self {
        Progressive { job: None, before: None, version: 0 }
    }
}

impl<K: PartialEq, J: Job> Progressive<K, J> {
    /// Makes the job for `key` the one under way, unless it already is, or
    /// unless (following) the job under way has no picture yet.
    pub fn update(&mut self, key: K, follow: Follow, make: impl FnOnce() -> J) {
        match &self.job {
            Some((made_for, _)) if *made_for == key => return,
            Some((_, job)) if follow == Follow::Finish && job.progress() == 0 => return,
            _ => {}
        }
        if let Some((_, old)) = self.job.take() {
            if old.progress() > 0 {
                self.before = Some(old);
            }
        }
        self.job = Some((key, make()));
    }

    /// Does up to `count` pieces of the job under way; returns how many remain.
    pub fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        self.change(|job| job.advance(run, count)).unwrap_or(0)
    }

    /// Changes the job under way by `f`, noting when its picture changes; None when there is none.
    pub fn change<T>(&mut self, f: impl FnOnce(&mut J) -> T) -> Option<T> {
        let (_, job) = self.job.as_mut()?;
        let progress = job.progress();
        let out = f(job);
        if job.progress() != progress {
            self.before = None;
            self.version += 1;
        }
        Some(out)
    }

    /// The job whose picture is shown: the one under way once it has one, or the one before.
    pub fn shown(&self) -> Option<&J> {
        match &self.job {
            Some((_, job)) if job.progress() > 0 => Some(job),
            _ => self.before.as_ref(),
        }
    }

    /// The job under way, if any.
    pub fn current(&self) -> Option<&J> {
        self.job.as_ref().map(|(_, job)| job)
    }

    /// Whether the picture shown is older than the job under way (or there is none yet).
    pub fn updating(&self) -> bool {
        self.job.as_ref().is_some_and(|(_, job)| job.progress() == 0)
    }

    /// Changes each time the picture shown changes.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Forgets the job and the picture: the run was replaced.
    pub fn clear(&mut self) {
        (self.job, self.before) = (None, None);
        self.version += 1;
    }
}

/// A view's job seen from [`SlowViews::advance`], whatever its kind.
trait Pending {
    fn remaining(&self) -> usize;
    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize;
}

impl<K: PartialEq, J: Job> Pending for Progressive<K, J> {
    fn remaining(&self) -> usize {
        self.current().map_or(0, J::remaining)
    }

    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        Progressive::advance(self, run, count)
    }
}

/// The landscape's job: made on its first piece (planes take a few passes
/// over the path to make), then the landscape, or why there is none (a picture at once).
#[derive(Clone, Debug)]
pub enum LandscapeJob {
    /// On this plane, to a grid of this size.
    ToMake(PlaneChoice, GridSize),
    Made(Box<Result<Landscape, String>>),
}

impl LandscapeJob {
    /// The landscape, once made.
    pub fn made(&self) -> Option<&Result<Landscape, String>> {
        match self {
            LandscapeJob::Made(made) => Some(made.as_ref()),
            LandscapeJob::ToMake(..) => None,
        }
    }

    /// The landscape to fill, once made.
    pub fn landscape_mut(&mut self) -> Option<&mut Landscape> {
        match self {
            LandscapeJob::Made(made) => made.as_mut().as_mut().ok(),
            LandscapeJob::ToMake(..) => None,
        }
    }

    /// Pieces before its grid: its making and its slope.
    fn before_grid(&self) -> usize {
        match self.made() {
            None => 2,
            Some(Ok(landscape)) => usize::from(landscape.slope.is_none()),
            Some(Err(_)) => 0,
        }
    }
}

impl Job for LandscapeJob {
    fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        match self {
            LandscapeJob::ToMake(choice, size) if count > 0 => {
                *self = LandscapeJob::Made(Box::new(Landscape::on_a_square(run, *choice, *size)));
                self.advance(run, count - 1)
            }
            LandscapeJob::Made(made) => made.as_mut().as_mut().map_or(0, |landscape| landscape.refine(run, count)),
            LandscapeJob::ToMake(..) => self.remaining(),
        }
    }

    fn remaining(&self) -> usize {
        match self {
            LandscapeJob::ToMake(_, size) => 1 + 1 + size.points().pow(2),
            LandscapeJob::Made(made) => made.as_ref().as_ref().map_or(0, Landscape::remaining),
        }
    }

    /// The points per side of the finest level filled, once the slope at the
    /// current point is known too (shares of the grid may come back before
    /// it: a picture without its −∇L would never be drawn again).
    fn progress(&self) -> usize {
        match self.made() {
            None => 0,
            Some(Ok(landscape)) if landscape.slope.is_none() => 0,
            Some(Ok(landscape)) => landscape.grid.finest_size().unwrap_or(0),
            Some(Err(_)) => 1,
        }
    }
}

/// The four slow views of the backprop lab.
#[derive(Clone, Debug, Default)]
pub struct SlowViews {
    /// For classification: the network's outputs over the data's box.
    pub boundary: Progressive<(Vec<f64>, ViewBox), BoundaryJob>,
    /// L along the line from θ₀ through θₜ.
    pub line: Progressive<(Vec<f64>, Vec<f64>), LineJob>,
    /// L over the chosen plane through θₜ.
    pub landscape: Progressive<(Vec<f64>, PlaneChoice, GridSize), LandscapeJob>,
    /// Inside each layer, while its view is open: the weights now, how many snapshots there are, and what it shows.
    pub inside: Progressive<(Vec<f64>, usize, Quantity), InsideJob>,
    /// Whether the landscape's grid is computed by other threads, in shares
    /// ([`LandscapeGrid::share`](crate::nn::landscape::LandscapeGrid::share));
    /// [`SlowViews::advance`] then makes it and its slope first, and takes its
    /// points, after those handed out, only once the other views are done.
    pub grid_shared: bool,
    /// The views that wait because training plays and the page does not show
    /// them: they neither take the weights now nor do work here nor hand out
    /// their grid (shares already out may still come back) until they are
    /// shown or training stops.
    waiting: Vec<View>,
}

impl SlowViews {
    /// Makes each view's job the one for the weights now, the landscape's on
    /// `plane` to a grid of `size`, inside each layer's of `inside` while that
    /// view is open (see [`Progressive::update`]). While training plays
    /// ([`Follow::Finish`]) only the views `shown` on the page do; the others
    /// wait, and one shown again takes the weights now at once (its job under
    /// way may be of weights long gone).
    pub fn update(
        &mut self,
        run: &TrainingRun,
        (plane, size): (PlaneChoice, GridSize),
        inside: Option<Quantity>,
        follow: Follow,
        shown: &[View],
    ) {
        let waited = std::mem::take(&mut self.waiting);
        if follow == Follow::Finish {
            self.waiting = View::ALL.iter().copied().filter(|v| !shown.contains(v)).collect();
        }
        let takes = |view| !self.waiting.contains(&view);
        let follow = |view| if waited.contains(&view) { Follow::Newest } else { follow };
        let now = &run.current().params;
        let (train, test) = (run.train_data(), run.test_data());
        if train.classification && takes(View::Boundary) {
            let view = data_view(&[train, test]);
            self.boundary.update((now.clone(), view), follow(View::Boundary), || BoundaryJob::new(run.current_network(), view));
        }
        let start = &run.history()[0].params;
        if takes(View::Line) {
            self.line.update((start.clone(), now.clone()), follow(View::Line), || LineJob::new(start, now));
        }
        if takes(View::Landscape) {
            self.landscape.update((now.clone(), plane, size), follow(View::Landscape), || LandscapeJob::ToMake(plane, size));
        }
        match inside {
            Some(quantity) if takes(View::Inside) => {
                self.inside.update((now.clone(), run.history().len(), quantity), follow(View::Inside), || InsideJob::new(run, quantity))
            }
            Some(_) => {}
            None if self.inside.current().is_some() => self.inside.clear(),
            None => {}
        }
    }

    /// Does up to `count` pieces of work, the boundary's first, then the
    /// line's, inside each layer's, then the landscape's; with the grid
    /// shared out, the landscape's making and slope come first (so that its
    /// grid goes out at once), and its grid's points, last, are taken from the
    /// same hand-out as the other threads take theirs. Views that wait do
    /// none. Returns how many pieces remain in all here (none of those that wait).
    pub fn advance(&mut self, run: &TrainingRun, count: usize) -> usize {
        let mut budget = count;
        let mut spend = |view: &mut dyn Pending, pieces: usize| {
            let now = view.remaining().min(pieces).min(budget);
            budget -= now;
            view.advance(run, now);
        };
        let does = [View::Boundary, View::Line, View::Inside, View::Landscape].map(|view| !self.waiting.contains(&view));
        if self.grid_shared && does[3] {
            let before_grid = self.landscape.current().map_or(0, LandscapeJob::before_grid);
            spend(&mut self.landscape, before_grid);
        }
        let views: [&mut dyn Pending; 4] = [&mut self.boundary, &mut self.line, &mut self.inside, &mut self.landscape];
        let mut left = 0;
        for (view, does) in views.into_iter().zip(does) {
            if does {
                spend(view, usize::MAX);
                left += view.remaining();
            }
        }
        left
    }

    /// The next `count` points of the landscape's grid for another thread, or
    /// None when none are left to hand out (or there is no grid, or the landscape waits).
    pub fn share_grid(&mut self, count: usize) -> Option<GridShare> {
        if self.waiting.contains(&View::Landscape) {
            return None;
        }
        self.landscape.change(|job| job.landscape_mut().and_then(|l| l.grid.share(count))).flatten()
    }

    /// What another thread needs to compute the points of the landscape's grid now.
    pub fn grid_context(&self, run: &TrainingRun) -> Option<GridContext> {
        let job = self.landscape.current()?.made()?.as_ref().ok()?;
        let train = run.train_data();
        Some(job.grid.context(&run.network().arch, &train.x, &train.y))
    }

    /// Takes the losses of a share of grid `grid` handed back; false when
    /// that grid is no longer the one under way (the losses are dropped).
    pub fn fill_grid(&mut self, grid: u32, from: usize, values: &[f64]) -> bool {
        self.landscape
            .change(|job| match job.landscape_mut() {
                Some(landscape) if landscape.grid.id == grid => {
                    landscape.grid.fill(from, values);
                    true
                }
                _ => false,
            })
            .unwrap_or(false)
    }

    /// Shares the landscape's grid out to other threads or not; when not, every
    /// point not yet back is computed here.
    pub fn share_grid_out(&mut self, shared: bool) {
        self.grid_shared = shared;
        if !shared {
            self.landscape.change(|job| job.landscape_mut().map(|l| l.grid.take_back()));
        }
    }

    /// Forgets every job and picture: the run was replaced.
    pub fn clear(&mut self) {
        self.boundary.clear();
        self.line.clear();
        self.landscape.clear();
        self.inside.clear();
    }
}
