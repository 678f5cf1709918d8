// Loads the review engine (Rust compiled to WebAssembly, built into www/pkg by
// scripts/build.sh). Every page imports this; the module loads once per page.

let loading = null;

/**
 * Resolves to the engine's exports (e.g. `version()`) once the wasm module is
 * instantiated. Rejects when the script or the wasm cannot be loaded.
 */
export function loadEngine() {
  loading ??= import('../pkg/review_lab.js').then(async (engine) => {
    await engine.default();
    return engine;
  });
  return loading;
}

/**
 * Loads the engine and reports progress in `statusEl` (a `role="status"`
 * element styled by `.status`): `data-state` becomes `ready` or `error`.
 * Resolves to the engine, or to null when loading failed.
 */
export async function loadEngineWithStatus(statusEl) {
  try {
    const engine = await loadEngine();
    statusEl.dataset.state = 'ready';
    statusEl.textContent = `引擎已就绪 v${engine.version()}`;
    return engine;
  } catch (err) {
    statusEl.dataset.state = 'error';
    statusEl.textContent =
      '评价引擎加载失败，请刷新页面重试；如果仍然失败，请改用最新版的 Chrome、Edge 或 Firefox 浏览器。';
    console.error('评价引擎加载失败：', err);
    return null;
  }
}
