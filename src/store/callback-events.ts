import type { PaymentPatch, PaymentRecord, QueuedWrite, Store } from "./types.js";

export const CALLBACK_EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface CallbackEventLog {
  /** Records a gateway event the first time its id is seen: true then, false for every repeat. */
  recordOnce(eventId: string, record: unknown): Promise<boolean>;
  /** The record kept by the first recordOnce, while it is retained. */
  get(eventId: string): Promise<unknown>;
  /**
   * Records an event together with everything it causes, as ONE durable unit (`Store.applyOnce`): the dedupe
   * mark, the payment change and the queued notifications are written all or nothing, and only the first
   * time the event id is seen. `decide` gets the payment as it is inside the unit.
   */
  recordWith<T>(eventId: string, unit: CallbackEventUnit<T>): Promise<{ first: true; result: T; queuedCount: number } | { first: false }>;
}

export interface CallbackEventUnit<T> {
  /** The payment to read inside the unit; omit when the event touches none. */
  externalId?: string | undefined;
  decide(payment: PaymentRecord | undefined): {
    /** Kept as the event's record (what `get` returns). */
    record: unknown;
    paymentPatch?: PaymentPatch | undefined;
    queued?: readonly QueuedWrite[] | undefined;
    result: T;
  };
}

/**
 * Dedupe of Palladium callbacks, which the gateway retries for about a day: one atomic set-if-absent
 * per event id (SQL upsert / SET NX PX), kept for 30 days by default. `recordWith` puts the mark and the
 * event's effects in one unit, so no crash can leave one without the other.
 */
export function createCallbackEventLog(store: Store, options: { retentionMs?: number } = {}): CallbackEventLog {
  const retentionMs = options.retentionMs ?? CALLBACK_EVENT_RETENTION_MS;
  const key = (eventId: string) => `callback-event:${eventId}`;
  return {
    async recordOnce(eventId, record) {
      if (eventId === "") throw new Error("callback event id is empty");
      return store.atomic.setIfAbsent(key(eventId), JSON.stringify(record ?? null), retentionMs);
    },
    async recordWith(eventId, unit) {
      if (eventId === "") throw new Error("callback event id is empty");
      return store.applyOnce({
        key: key(eventId),
        ttlMs: retentionMs,
        externalId: unit.externalId,
        plan(payment) {
          const decided = unit.decide(payment);
          return {
            value: JSON.stringify(decided.record ?? null),
            paymentPatch: decided.paymentPatch,
            queued: decided.queued,
            result: decided.result,
          };
        },
      });
    },
    async get(eventId) {
      const raw = await store.atomic.get(key(eventId));
      return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
    },
  };
}
