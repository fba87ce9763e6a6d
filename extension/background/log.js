// Failure logging for the service worker: each distinct failure is logged once per worker life.
//
// The worker handles thousands of messages per page; a failure that repeats (a tab without our
// content script, a bad stored setting) would otherwise flood the console.

const seen = new Set();

/**
 * Logs a failure the first time this exact (where, message) pair is seen.
 * @param {string} where what the worker was doing
 * @param {unknown} error an Error or a reason string
 */
export function logOnce(where, error) {
  const text = error instanceof Error ? error.message : String(error);
  const key = `${where}: ${text}`;
  if (seen.has(key)) return;
  seen.add(key);
  console.warn(`Smart Shopper: ${key}`);
}

/** The readable reason of a thrown value (the Engine throws Errors with readable messages). */
export function reason(error) {
  return error instanceof Error ? error.message : String(error);
}
