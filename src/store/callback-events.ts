import type { Store } from "./types.js";

export const CALLBACK_EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface CallbackEventLog {
  /** Records a gateway event the first time its id is seen: true then, false for every repeat. */
  recordOnce(eventId: string, record: unknown): Promise<boolean>;
  /** The record kept by the first recordOnce, while it is retained. */
  get(eventId: string): Promise<unknown>;
}

/**
 * Dedupe of Palladium callbacks, which the gateway retries for about a day: one atomic set-if-absent
 * per event id (SQL upsert / SET NX PX), kept for 30 days by default.
 */
export function createCallbackEventLog(store: Store, options: { retentionMs?: number } = {}): CallbackEventLog {
  const retentionMs = options.retentionMs ?? CALLBACK_EVENT_RETENTION_MS;
  const key = (eventId: string) => `callback-event:${eventId}`;
  return {
    async recordOnce(eventId, record) {
      if (eventId === "") throw new Error("callback event id is empty");
      return store.atomic.setIfAbsent(key(eventId), JSON.stringify(record ?? null), retentionMs);
    },
    async get(eventId) {
      const raw = await store.atomic.get(key(eventId));
      return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
    },
  };
}
