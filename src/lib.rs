//! gradlab: see how machine learning learns.
//!
//! The core is plain Rust, tested natively: loss surfaces ([`surface`]), the
//! seed's linear regression ([`linreg`]), optimizers ([`optim`]), descent runs
//! with exact history ([`run`]), the step-by-step readout ([`readout`]) and the
//! charts ([`draw`]), generic over plotters' drawing backends. Only [`web`],
//! compiled for wasm32, touches the browser.

#[cfg(test)]
mod arithmetic_check;
pub mod choices;
pub mod draw;
pub mod export;
pub mod format;
pub mod link;
pub mod linreg;
pub mod named;
pub mod nn;
pub mod optim;
pub mod random;
pub mod readout;
pub mod run;
pub mod surface;
pub mod update_text;

#[cfg(target_arch = "wasm32")]
pub mod web;
