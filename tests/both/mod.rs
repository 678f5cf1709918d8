//! One test body, two runners: `#[test]` natively and `wasm_bindgen_test` in
//! headless Chromium (`cargo test --target wasm32-unknown-unknown`). A test crate
//! uses it with `#[macro_use] mod both;` and its own
//! `wasm_bindgen_test_configure!(run_in_browser)`.

/// Declares each `fn name() { … }` as a test for both runners.
macro_rules! both {
    ($(fn $name:ident() $body:block)*) => {$(
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        fn $name() $body
    )*};
}
