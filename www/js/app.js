// Home page: load the engine and show that it is ready.
import { loadEngineWithStatus } from './engine.js';

const status = document.getElementById('engine-status');
// The home page needs only the version: the smaller, rules-only build.
if (status) await loadEngineWithStatus(status, 'credit');
