/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from many
 * chats that failed together do not hit the gateway again in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number): number {
  const step = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(step / 2 + (step / 2) * random());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
