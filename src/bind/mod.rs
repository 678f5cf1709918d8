//! The JavaScript surface: the only module that touches `wasm_bindgen` and `js_sys`.
//!
//! Values cross as JSON-compatible JavaScript values (maps become plain objects);
//! errors cross as `{ code, message }` objects, never as panics.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The crate version, so a page can show that the module is loaded.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// Serialises a value for JavaScript: maps become plain objects, as JSON would.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("internal", &format!("无法输出结果：{e}"), None, None))
}

/// A JavaScript `Error` whose `message` is for people (Chinese) and whose
/// `code` is for programs; `event` and `field` say where, when known.
pub(crate) fn js_error(
    code: &str,
    message: &str,
    event: Option<usize>,
    field: Option<&str>,
) -> JsValue {
    let error = js_sys::Error::new(message);
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(code));
    if let Some(i) = event {
        set("event", JsValue::from_f64(i as f64));
    }
    if let Some(f) = field {
        set("field", JsValue::from_str(f));
    }
    error.into()
}

/// Reads a JSON-compatible JavaScript value (or a JSON string) as JSON.
pub(crate) fn from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    if let Some(text) = value.as_string() {
        return serde_json::from_str(&text)
            .map_err(|e| js_error("invalid_json", &format!("不是有效的 JSON：{e}"), None, None));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        js_error(
            "invalid_value",
            &format!("无法读取传入的数据：{e}"),
            None,
            None,
        )
    })
}

mod credit;
#[cfg(feature = "dialogue")]
mod dialogue;
#[cfg(feature = "quiz")]
mod quiz;
