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
