// For course authors: the negative-review dialogue trainer in any page.
//
//   <script type="module" src="https://…/js/dialogue/embed.js"></script>
//   <rl-dialogue></rl-dialogue>            the five-step practice with a simulated buyer
//   <rl-reply-exercise></rl-reply-exercise> the public-reply exercise (技巧⑥)
//   <rl-case-log></rl-case-log>            the student's case log and its analysis
//
// The engine, the styles and the data load from URLs relative to this module, so
// the page needs nothing else (not the course site's stylesheet).

import { loadEngine } from '../engine.js';
import { defineDialogueElements, handEngine } from './elements.js';

const STYLE = new URL('../../css/dialogue.css', import.meta.url).href;
if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === STYLE)) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = STYLE;
  document.head.append(link);
}

defineDialogueElements();
try {
  handEngine(await loadEngine('dialogue'));
} catch (err) {
  console.error('评价引擎加载失败：', err);
}
