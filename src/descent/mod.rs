//! The descent lab's core: loss surfaces, the seed's linear regression, a run
//! and its exact history, the readout of the next update, links, and the
//! lab's model the page adapts.

pub mod batches;
pub mod curve;
pub mod lab;
pub mod link;
pub mod linreg;
pub mod race;
pub mod readout;
pub mod run;
pub mod schedule;
pub mod stop;
pub mod surface;
pub mod sweep;
pub mod typed;
pub mod worksheet;
