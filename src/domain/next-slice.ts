/**
 * Cooperative slicing of long work on the request thread (SPEC §5.8). Work that reads many rows (an export, a search
 * walking an index in windows) does a few milliseconds at a time and then awaits `nextSlice()`, which resumes it in a
 * later turn of the event loop, after the I/O that arrived meanwhile (a `/healthz`, a login, an `/authorize`).
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
