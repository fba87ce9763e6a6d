// Runs queued work in short time slices, yielding to the page between them, so no slice becomes a long task.
//
// The approach follows uBlock Origin's content script: observers only queue, and the work runs
// later in bounded slices. A slice stops once its budget is spent; the next one is a new task.

/** Milliseconds of work per slice; a long task is 50 ms, and the page needs the rest. */
export const SLICE_BUDGET_MS = 6;

/**
 * @param {(deadline: number) => boolean} work does work until `performance.now()` reaches
 *   `deadline`, and returns whether any remains
 * @returns {{wake: () => void}} `wake` asks for a slice when there is work
 */
export function createSlicer(work, budgetMs = SLICE_BUDGET_MS) {
  // A MessageChannel message is a new task without setTimeout's clamping to 4 ms after five
  // nested calls (which would stretch a 100-slice job by 400 ms) and without the 1 s throttling
  // of timers in background tabs.
  const channel = new MessageChannel();
  let scheduled = false;
  let running = false;

  channel.port1.onmessage = () => {
    scheduled = false;
    running = true;
    let more = false;
    try {
      more = work(performance.now() + budgetMs);
    } finally {
      running = false;
    }
    if (more) wake();
  };

  function wake() {
    if (scheduled) return;
    scheduled = true;
    channel.port2.postMessage(null);
  }

  return {
    wake,
    get running() {
      return running;
    },
  };
}
