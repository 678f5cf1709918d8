// Home page: load the engine and show that it is ready.
import { loadEngineWithStatus } from './engine.js';

const status = document.getElementById('engine-status');
if (status) await loadEngineWithStatus(status);
