// The spot-check quiz's error text, and the shared DOM helpers (../dom.js: text
// always goes in as text nodes, never parsed as HTML).

export { h, fill, download } from '../dom.js';

/** An engine error as one Chinese line (the message already names the field). */
export function errorText(err) {
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  return String(err);
}
