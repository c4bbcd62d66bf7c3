//! Values carried to another thread (a Web Worker running the same wasm) as
//! bytes, every number with its exact bits (postcard), so that what the
//! other thread computes is what this one would have.

use crate::tr;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A value that goes to another thread and back as bytes.
pub trait Wire: Serialize + DeserializeOwned {
    /// What it is, for the message when its bytes cannot be read ("the grid"; in the Chinese table too).
    const WHAT: &'static str;

    /// The value as bytes for another thread.
    fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("numbers, names and lists always serialize")
    }

    /// The value [`to_bytes`](Wire::to_bytes) wrote, or why it cannot be read.
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        postcard::from_bytes(bytes).map_err(|e| tr!("{a} could not be read: {e}", a = crate::i18n::tr(Self::WHAT), e = e))
    }
}
