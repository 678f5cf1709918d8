// The dialogue page: registers the custom elements and hands them the engine.

import { loadEngineWithStatus } from '../engine.js';
import { defineDialogueElements, handEngine } from './elements.js';

defineDialogueElements();

// Rules and the dialogue grader, without the quizzes.
const engine = await loadEngineWithStatus(document.getElementById('engine-status'), 'dialogue');
if (engine) handEngine(engine);
