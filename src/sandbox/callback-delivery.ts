import { CALLBACK_TOKEN_HEADER, type CallbackEvent } from "../gateway/callbacks.js";
import type { Logger } from "../logger.js";
import { withTimeoutSignal } from "../deadline.js";

export interface CallbackRetryPolicy {
  /** Sends per event, counting the first. */
  attempts: number;
  /** Wait before the first retry; doubles after each. */
  baseDelayMs: number;
}

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why there was no answer (refused, timed out...). */
  error?: string;
}

export interface CallbackDelivery {
  id: number;
  event: CallbackEvent;
  /** Null when no URL was configured for the event: recorded, not sent. */
  url: string | null;
  payload: Record<string, unknown>;
  /** pending: more attempts to come; delivered: a 2xx; failed: attempts used up; no_url: nothing to send to. */
  state: "pending" | "delivered" | "failed" | "no_url";
  attempts: DeliveryAttempt[];
}

export interface CallbackDeliverer {
  deliver(event: CallbackEvent, payload: Record<string, unknown>): CallbackDelivery;
  setUrls(urls: Partial<Record<CallbackEvent, string>>): void;
  list(): CallbackDelivery[];
  /** Resolves once no delivery is pending (every one delivered, failed or unsendable). */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Delivers callbacks as Palladium does (DESIGN.md): JSON, the merchant's token in X-Callback-Token, any
 * non-2xx or no answer retried with doubling waits until the attempts run out. Runs in the background:
 * an API answer never waits for a receiver.
 */
export function createCallbackDeliverer(options: {
  token: string;
  urls: Partial<Record<CallbackEvent, string>>;
  retry: CallbackRetryPolicy;
  /** How long one attempt waits for the receiver's answer. */
  timeoutMs: number;
  now: () => Date;
  logger?: Logger | undefined;
}): CallbackDeliverer {
  let urls = { ...options.urls };
  const deliveries: CallbackDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const closing = new AbortController();
  let pending = 0;
  let waiters: (() => void)[] = [];

  const finish = (delivery: CallbackDelivery, state: "delivered" | "failed") => {
    delivery.state = state;
    pending--;
    if (pending === 0) {
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }
  };

  async function attempt(delivery: CallbackDelivery, url: string): Promise<void> {
    if (closing.signal.aborted) return;
    const record: DeliveryAttempt = { at: options.now().toISOString() };
    delivery.attempts.push(record);
    try {
      record.status = await withTimeoutSignal(options.timeoutMs, [closing.signal], async (signal) => {
        const res = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", [CALLBACK_TOKEN_HEADER]: options.token },
          body: JSON.stringify(delivery.payload),
          signal,
          redirect: "manual",
        });
        await res.body?.cancel().catch(() => undefined);
        return res.status;
      });
    } catch (error) {
      if (closing.signal.aborted) return;
      record.error = describeFetchError(error);
    }
    const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
    options.logger?.debug({ event: delivery.event, delivery: delivery.id, attempt: delivery.attempts.length, status: record.status, error: record.error }, "callback attempt");
    if (ok) return finish(delivery, "delivered");
    if (delivery.attempts.length >= options.retry.attempts) {
      options.logger?.warn({ event: delivery.event, delivery: delivery.id }, "callback given up");
      return finish(delivery, "failed");
    }
    const delay = options.retry.baseDelayMs * 2 ** (delivery.attempts.length - 1);
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(delivery, url);
    }, delay);
    timers.add(timer);
  }

  return {
    deliver(event, payload) {
      const url = urls[event] ?? null;
      const delivery: CallbackDelivery = { id: deliveries.length + 1, event, url, payload, state: url ? "pending" : "no_url", attempts: [] };
      deliveries.push(delivery);
      if (url && !closing.signal.aborted) {
        pending++;
        void attempt(delivery, url);
      }
      return delivery;
    },
    setUrls(next) {
      urls = { ...urls, ...next };
    },
    list: () => deliveries.map((d) => structuredClone(d)),
    settled() {
      if (pending === 0 || closing.signal.aborted) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      closing.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    },
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timeout";
    const cause = (error as Error & { cause?: { code?: unknown } }).cause;
    if (cause && typeof cause.code === "string") return cause.code;
    return error.message.slice(0, 200);
  }
  return "network error";
}
