//! Values carried to another thread (a Web Worker running the same wasm) as
//! bytes, every number with its exact bits (postcard), so that what the
//! other thread computes is what this one would have.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// `value` as bytes for another thread.
pub fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("numbers, names and lists always serialize")
}

/// The value [`to_bytes`] wrote, or why it cannot be read (`what` names it).
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("{what} could not be read: {e}"))
}
