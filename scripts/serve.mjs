// A tiny static file server for www/, for development and the browser tests.
//
//   node scripts/serve.mjs             serves www/ on http://127.0.0.1:8080/
//   PORT=9000 node scripts/serve.mjs   another port (0 picks a free one)
//
// Tests import { startServer } and pass port 0 to get a free port.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The site's root folder, www/ at the top of the repository. */
export const WWW_ROOT = fileURLToPath(new URL('../www/', import.meta.url));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Maps a URL path to a file under root; null for a path that cannot be decoded. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  // Normalizing an absolute path drops every `..` that would climb above `/`,
  // so the result always stays inside root.
  return join(root, normalize('/' + path));
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method Not Allowed');
  }
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  let file = fileFor(root, pathname);
  if (!file) return send(res, 400, 'Bad Request');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      res.writeHead(301, { Location: pathname + '/' });
      return res.end();
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(res, 404, 'Not Found');
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    // Course pages on other sites load the widgets from here: module scripts,
    // the engine, data and workers' scripts are fetched with CORS.
    'Access-Control-Allow-Origin': '*',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/**
 * Serves `root` on `host:port` (port 0: a free one).
 * Resolves to { url, port, close() } once listening.
 */
export function startServer({ root = WWW_ROOT, port = 0, host = '127.0.0.1' } = {}) {
  const absRoot = resolve(root);
  const server = createServer((req, res) => {
    handle(absRoot, req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number.parseInt(process.env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: PORT must be a port number, got "${process.env.PORT}"`);
    process.exit(2);
  }
  try {
    const { url } = await startServer({ port });
    console.log(`评价实训 Review Lab is served at ${url}  (Ctrl+C to stop)`);
  } catch (err) {
    console.error(
      err.code === 'EADDRINUSE'
        ? `serve.mjs: port ${port} is in use; try PORT=8081 bash scripts/serve.sh`
        : err,
    );
    process.exit(1);
  }
}
