// Module workers from a URL that may be on another origin than the page's:
// a course page elsewhere that loads the simulator from this site. A worker's
// script must come from the page's own origin, so there the worker is made
// from a one-line script of the page's origin that imports the real one (which
// the browser fetches with CORS, as it fetched this module).

const wrappers = new Map();

/** A module worker running `url`. Throws where the page may start no worker. */
export function moduleWorker(url) {
  const { href, origin } = new URL(url);
  if (origin === self.location.origin) return new Worker(href, { type: 'module' });
  let wrapper = wrappers.get(href);
  if (!wrapper) {
    const source = `import ${JSON.stringify(href)};\n`;
    wrapper = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    wrappers.set(href, wrapper);
  }
  return new Worker(wrapper, { type: 'module' });
}
