//! The JavaScript surface: the only module that touches `wasm_bindgen` and `js_sys`.
//!
//! Values cross as JSON-compatible JavaScript values (maps become plain objects);
//! errors cross as `{ code, message }` objects, never as panics.

use wasm_bindgen::prelude::*;

/// The crate version, so a page can show that the module is loaded.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

mod credit;
mod dialogue;
