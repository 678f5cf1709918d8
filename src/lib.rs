//! # 评价实训 Review Lab — the teaching engine
//!
//! Plain Rust with no browser code: the rules of online reviews and seller credit
//! ([`credit`]), Chinese-aware text matching ([`text`]), the five-step
//! negative-review dialogue ([`dialogue`]). The `bind` module, compiled only for
//! `wasm32`, is the one place that knows about JavaScript.

pub mod credit;
#[cfg(feature = "dialogue")]
pub mod dialogue;
#[cfg(feature = "quiz")]
pub mod quiz;
pub mod rng;
#[cfg(feature = "dialogue")]
pub mod text;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod bind;

/// The crate's version, as shown on the course pages.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
