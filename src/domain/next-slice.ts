/**
 * Cooperative slicing of long work on the request thread (docs/product/security-settings.md#bounded-work). Work that
 * reads many rows (an export, a search walking an index in windows) does a few milliseconds at a time and then awaits
 * `nextSlice()`, which resumes it in a later turn of the event loop, after the I/O that arrived meanwhile (a
 * `/healthz`, a login, an `/authorize`).
 *
 * `await` alone does not do this: a resolved promise continues in the same turn, and on SQLite every read is
 * synchronous, so a loop of awaited reads never lets the loop reach its I/O phase. Nor does a bare `setImmediate`
 * per caller: every callback queued before a check phase runs in that phase, so ten exports yielding at once would
 * still run ten slices back to back. Here waiters form one queue and each turn of the loop resumes only the first, so
 * whatever else is waiting is served between any two slices, however many long jobs are running.
 */
const waiting: Array<() => void> = [];
let scheduled = false;

function resumeOne(): void {
  const next = waiting.shift();
  // Another turn for the next waiter: setImmediate from inside a check phase runs in the following turn, after its I/O.
  if (waiting.length > 0) setImmediate(resumeOne);
  else scheduled = false;
  next?.();
}

/** Resolves in a later turn of the event loop, after I/O that is ready and after slices that asked earlier. */
export function nextSlice(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(resumeOne);
    }
  });
}

/**
 * The share of the request thread that background work (exports) may take, all of it together. A slice of background
 * work is paid for with a pause, so that an export that could always run never keeps the thread busy: a thread that
 * never idles loses the CPU scheduler's preference for threads that wake up (a request arriving), and the
 * lower-priority threads (password hashing, the read lane) starve behind it on a busy machine.
 */
export const backgroundShare = 0.5;
let backgroundFreeAt = 0;

/** Measures the request thread's busy time from now on (event-loop utilisation), for `nextBackgroundSlice`. */
export function startSlice(): () => number {
  const start = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(start).active;
}

/**
 * `nextSlice()` for background work that has just kept the request thread busy for `busyMs` (everything the thread
 * did meanwhile counts, so background work slows down when requests need the thread): first a pause that keeps all
 * background work within `backgroundShare`, then a turn of the queue.
 */
export async function nextBackgroundSlice(busyMs: number): Promise<void> {
  const now = performance.now();
  backgroundFreeAt = Math.max(backgroundFreeAt, now) + busyMs * (1 / backgroundShare - 1);
  const wait = backgroundFreeAt - now;
  if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
  await nextSlice();
}
