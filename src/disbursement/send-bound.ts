import { backoffDelay } from "../gateway/backoff.js";
import type { GatewayClientOptions } from "../gateway/client.js";

/**
 * Room on top of the gateway's own worst case: the store writes around the call (the reservation, the
 * record, the outcome) and clocks of instances that disagree by a few seconds.
 */
export const SEND_BOUND_MARGIN_MS = 15_000;

export type GatewayTiming = Pick<GatewayClientOptions, "timeoutMs" | "maxAttempts" | "backoffMs">;

/**
 * The longest a live process can spend on one disbursement send: every attempt the client makes running
 * to its timeout, and every wait between them at its longest (full jitter), plus the margin. Past it, a
 * send still marked "sending" was cut off (a deploy, a crash), and nothing will ever conclude it but the
 * watch. Unset fields take createGatewayClient's defaults, which must stay in step with these.
 */
export function disbursementSendBoundMs(gateway: GatewayTiming = {}): number {
  const timeoutMs = gateway.timeoutMs ?? 15_000;
  const attempts = Math.max(1, Math.floor(gateway.maxAttempts ?? 3));
  const backoffMs = gateway.backoffMs ?? 300;
  let worst = attempts * timeoutMs;
  for (let attempt = 1; attempt < attempts; attempt++) worst += backoffDelay(attempt, backoffMs, () => 1);
  return worst + SEND_BOUND_MARGIN_MS;
}
