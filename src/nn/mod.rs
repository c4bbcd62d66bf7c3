//! The backprop lab's core: a small fully connected network, its data,
//! training by backpropagation with exact history, and the gradient check.

pub mod activation;
pub mod confusion;
pub mod data;
pub mod elementary;
pub mod explain;
pub mod gradcheck;
pub mod inside;
pub mod lab;
pub mod landscape;
pub mod matrix;
pub mod network;
pub mod plane;
pub mod train;
pub mod views;
