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
///
/// A value goes through the browser's `JSON.stringify` and then serde_json,
/// not through a walk of the value: a cycle, nesting deeper than the browser's
/// stack, a getter that throws or a BigInt comes back as an error from
/// `JSON.stringify`, where a walk would overflow the stack, throw through the
/// module and leave it (or the object being called) unusable; serde_json then
/// refuses anything nested deeper than 128. `NaN` and `Infinity` become
/// `null`, as they always have here.
pub(crate) fn from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    let (text, code, what) = match value.as_string() {
        Some(text) => (text, "invalid_json", "不是有效的 JSON"),
        None => {
            let text = js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    js_error(
                        "invalid_value",
                        "无法读取传入的数据：它不能写成 JSON（例如有循环引用、嵌套太深、含 BigInt 或函数）。",
                        None,
                        None,
                    )
                })?;
            (text, "invalid_value", "无法读取传入的数据")
        }
    };
    serde_json::from_str(&text).map_err(|e| js_error(code, &format!("{what}：{e}"), None, None))
}

mod bigshop;
mod credit;
#[cfg(feature = "dialogue")]
mod dialogue;
#[cfg(feature = "quiz")]
mod quiz;
