// A new task soon, for work that runs in steps: the content script's link slices and the worker's feed load.
//
// A MessageChannel message is a new task without setTimeout's clamping to 4 ms after five nested
// calls (which would stretch a 100-step job by 400 ms) and without the 1 s throttling of timers
// in background tabs. Each call has its own channel, closed once used, so nothing stays open
// between steps (a port left open would also keep Node, where the unit tests run, from exiting).

/** Resolves in a later task than the caller's: the page (or the worker's other events) run in between. */
export function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
