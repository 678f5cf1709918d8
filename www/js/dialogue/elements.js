// The dialogue trainer's custom elements, and handing them the engine: shared by
// the course page (app.js) and by embed.js for other people's pages.

import { RlDialogue } from './dialogue.js';
import { RlReplyExercise } from './reply.js';
import { RlCaseLog } from './caselog.js';
import { RlTeacherRubric } from './rubric.js';

const ELEMENTS = {
  'rl-dialogue': RlDialogue,
  'rl-reply-exercise': RlReplyExercise,
  'rl-case-log': RlCaseLog,
  'rl-teacher-rubric': RlTeacherRubric,
};

/** Registers the elements (once, however often it is called). */
export function defineDialogueElements() {
  for (const [tag, cls] of Object.entries(ELEMENTS)) {
    if (!customElements.get(tag)) customElements.define(tag, cls);
  }
}

/**
 * Gives `engine` to every dialogue element in the document, including ones
 * added later (a course page may build its content after loading).
 */
export function handEngine(engine) {
  const selector = Object.keys(ELEMENTS).join(',');
  const give = (node) => {
    if (node.matches?.(selector) && !node.engineGiven) {
      node.engineGiven = true;
      node.setEngine(engine);
    }
  };
  for (const node of document.querySelectorAll(selector)) give(node);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        give(node);
        for (const inner of node.querySelectorAll(selector)) give(inner);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
