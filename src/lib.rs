//! gradlab: see how machine learning learns.
//!
//! The core is plain Rust, tested natively: the descent lab ([`descent`]:
//! loss surfaces, the seed's regression, runs with exact history, the
//! readout), the backprop lab ([`nn`]), the optimizers both share ([`optim`])
//! and the text of their updates ([`update_text`]), runs compared side by side ([`compare`]), links, exports and the
//! charts ([`draw`]), generic over plotters' drawing backends. Only `web`,
//! compiled for wasm32, touches the browser.

#[cfg(test)]
mod arithmetic_check;
pub mod choices;
pub mod compare;
pub mod descent;
pub mod draw;
pub mod export;
pub mod expr;
pub mod format;
pub mod i18n;
pub mod link;
pub mod named;
pub mod nn;
pub mod optim;
pub mod random;
pub mod sweep;
pub mod update_text;
pub mod wire;
pub mod worksheet;

#[cfg(target_arch = "wasm32")]
pub mod web;
