// Failure logging for the service worker: the shared module's, under the name the worker's modules import.

export { logOnce, reason } from '../shared/log.js';
