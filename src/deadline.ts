/** How `task` ended within `ms`: "resolved", "rejected", or "late" (it keeps running; nobody waits for it). */
export async function outcomeWithin(task: Promise<unknown>, ms: number): Promise<"resolved" | "rejected" | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  try {
    return await Promise.race([task.then(() => "resolved" as const, () => "rejected" as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
