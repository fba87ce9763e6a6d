// Failure logging for the worker and the content script: each distinct failure is logged once per life of the script.
//
// The worker handles thousands of messages per page, and a content script thousands of links; a
// failure that repeats (a tab without our content script, a bad stored setting, a worker that
// is restarting) would otherwise flood the console.

const seen = new Set();

/** The readable reason of a thrown value (the Engine throws Errors with readable messages). */
export function reason(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Logs a failure the first time this exact (where, reason) pair is seen.
 * @param {string} where what the script was doing
 * @param {unknown} error an Error or a reason string
 */
export function logOnce(where, error) {
  const key = `${where}: ${reason(error)}`;
  if (seen.has(key)) return;
  seen.add(key);
  console.warn(`Smart Shopper: ${key}`);
}
