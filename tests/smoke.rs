//! Smoke test: the crate links and reports its version. The same body runs
//! natively (`cargo test`) and in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`, see `.cargo/config.toml`).

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn version_is_the_package_version() {
    let version = review_lab::version();
    assert!(!version.is_empty());
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}
