// Runs queued work in short time slices, yielding to the page between them, so no slice becomes a long task.
//
// The approach follows uBlock Origin's content script: observers only queue, and the work runs
// later in bounded slices. A slice stops once its budget is spent; the next one is a new task.

import { nextTask } from '../shared/next-task.js';

/** Milliseconds of work per slice; a long task is 50 ms, and the page needs the rest. */
export const SLICE_BUDGET_MS = 6;

/**
 * @param {(deadline: number) => boolean} work does work until `performance.now()` reaches
 *   `deadline`, and returns whether any remains
 * @returns {{wake: () => void}} `wake` asks for a slice when there is work
 */
export function createSlicer(work, budgetMs = SLICE_BUDGET_MS) {
  let scheduled = false;

  function slice() {
    scheduled = false;
    if (work(performance.now() + budgetMs)) wake();
  }

  function wake() {
    if (scheduled) return;
    scheduled = true;
    nextTask().then(slice);
  }

  return { wake };
}
