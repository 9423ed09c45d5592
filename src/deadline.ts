/**
 * How `task` ended within `ms`: "resolved", "rejected", or "late" (it keeps running; nobody waits for it); with
 * `signal`, "stopped" when it is aborted first.
 */
export async function outcomeWithin(task: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<"resolved" | "rejected" | "late" | "stopped"> {
  if (signal?.aborted) return "stopped";
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<"late" | "stopped">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
    onAbort = () => resolve("stopped");
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([task.then(() => "resolved" as const, () => "rejected" as const), cut]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Runs `task` with a signal that aborts after `ms`, or when one of `others` does. Not a bare
 * AbortSignal.any([AbortSignal.timeout(ms), …]): on Node 20 the combined signal holds its sources weakly, and a
 * garbage collection while the request hangs takes the timeout with it, which then never fires
 * (nodejs/node#57736): a send to Telegram on a half-open connection held its chat's notices for grammY's own
 * 500 s. The sources are held here until the task is over.
 */
export async function withTimeoutSignal<T>(ms: number, others: ReadonlyArray<AbortSignal | undefined>, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const held = [AbortSignal.timeout(ms), ...others.filter((signal): signal is AbortSignal => signal !== undefined)];
  try {
    return await task(held.length === 1 ? (held[0] as AbortSignal) : AbortSignal.any(held));
  } finally {
    held.length = 0; // read after the await: what keeps them
  }
}
