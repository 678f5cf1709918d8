// Loads the review engine (Rust compiled to WebAssembly, built into www/pkg by
// scripts/build.sh). Every page imports this; the module loads once per page.

// Three builds, each loaded at most once per page: 'full' (rules, dialogue
// grader, quizzes), 'dialogue' (rules and the dialogue grader) and 'credit' (the
// rules engine alone, about a third of the full download).
const BUILDS = {
  full: '../pkg/review_lab.js',
  dialogue: '../pkg/dialogue/review_lab.js',
  credit: '../pkg/credit/review_lab.js',
};
const loading = new Map();

/**
 * Resolves to the engine's exports (e.g. `version()`) once the wasm module is
 * instantiated. Rejects when the script or the wasm cannot be loaded.
 * `build` is 'full' (default), 'dialogue' or 'credit'.
 */
export function loadEngine(build = 'full') {
  if (!loading.has(build)) {
    const url = new URL(BUILDS[build] ?? BUILDS.full, import.meta.url);
    loading.set(
      build,
      import(url.href).then(async (engine) => {
        await engine.default();
        return engine;
      }),
    );
  }
  return loading.get(build);
}

/**
 * Loads the engine and reports progress in `statusEl` (a `role="status"`
 * element styled by `.status`): `data-state` becomes `ready` or `error`.
 * Resolves to the engine, or to null when loading failed.
 */
export async function loadEngineWithStatus(statusEl, build = 'full') {
  try {
    const engine = await loadEngine(build);
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
