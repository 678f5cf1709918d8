//! # 评价实训 Review Lab — the teaching engine
//!
//! Plain Rust with no browser code: the rules of online reviews and seller credit
//! ([`credit`]), Chinese-aware text matching ([`text`]), the five-step
//! negative-review dialogue ([`dialogue`]) and the teacher's spot-check quizzes
//! ([`quiz`]), with one seeded random generator ([`rng`]) and platform-local time
//! ([`time`]). The `bind` module, compiled only for `wasm32`, is the one place
//! that knows about JavaScript.
//!
//! Features: `dialogue` (with `text`) and `quiz` are on by default;
//! `--no-default-features` builds the credit engine alone, which is what the
//! simulator's smaller wasm build is.

#![forbid(unsafe_code)]

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
