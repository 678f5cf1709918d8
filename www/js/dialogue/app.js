// The dialogue page: registers the custom elements and hands them the engine.

import { loadEngineWithStatus } from '../engine.js';
import { RlDialogue } from './dialogue.js';
import { RlReplyExercise } from './reply.js';
import { RlCaseLog } from './caselog.js';
import { RlTeacherRubric } from './rubric.js';

customElements.define('rl-dialogue', RlDialogue);
customElements.define('rl-reply-exercise', RlReplyExercise);
customElements.define('rl-case-log', RlCaseLog);
customElements.define('rl-teacher-rubric', RlTeacherRubric);

// Rules and the dialogue grader, without the quizzes.
const engine = await loadEngineWithStatus(document.getElementById('engine-status'), 'dialogue');
if (engine) {
  for (const tag of ['rl-dialogue', 'rl-reply-exercise', 'rl-case-log', 'rl-teacher-rubric']) {
    for (const node of document.querySelectorAll(tag)) node.setEngine(engine);
  }
}
