import { z } from "zod";
import type { QueueEntry, QueuedWrite, Store } from "./types.js";

/** One notification to deliver to one chat. `id` is the caller's and deterministic, e.g. `<eventId>:chat:<chatId>`. */
export interface OutboxItem {
  id: string;
  chatId: number;
  kind: string;
  payload: unknown;
  /** ISO 8601. */
  createdAt: string;
}

export interface OutboxEntry extends OutboxItem {
  /** Failed attempts so far. */
  attempts: number;
  /** ISO 8601: do not try again before this. */
  notBefore?: string | undefined;
  lastError?: string | undefined;
  /** Who holds the lease and until when (ISO 8601), when someone does. */
  leasedBy?: string | undefined;
  leasedUntil?: string | undefined;
  /**
   * Set when the stored row could not be read (cut-off JSON, a hand edit, a bug of another version): why,
   * and the row as stored, for the log. Its payload is then undefined, so no reader takes it for a notice.
   */
  unreadable?: { reason: string; body: string } | undefined;
}

export interface Outbox {
  /** Adds items whose id was never added before (pending or delivered); returns how many were new. */
  add(items: readonly OutboxItem[]): Promise<number>;
  /** Validates items and returns them as queue entries, to be written inside a unit (`Store.applyOnce`) with
   * the same "only if never added" rule as `add`. Nothing is written by this call. */
  prepare(items: readonly OutboxItem[]): QueuedWrite;
  /**
   * Undelivered items, oldest first. With `readyAt`, only those free to attempt then (not backing off, not
   * leased); `skip` passes over that many of them first (the next page).
   */
  pending(options: { limit: number; readyAt?: Date | undefined; skip?: number | undefined }): Promise<OutboxEntry[]>;
  /** Takes a lease on an item: true if it was free (or its lease had expired, or `workerId` held it) and is not backing off. */
  claim(id: string, workerId: string, ttlMs: number): Promise<boolean>;
  /** A failed attempt: attempts+1, lease dropped, stays pending. False if another worker now holds it or it is gone. */
  release(id: string, workerId: string, retry?: { notBefore?: Date | string | undefined; error?: string | undefined }): Promise<boolean>;
  /** Delivered: gone from pending for good; re-adding the id is a no-op while it is remembered. False if already delivered or unknown. */
  markDelivered(id: string, workerId: string): Promise<boolean>;
  stats(): Promise<{ depth: number; oldestAgeMs: number }>;
}

export const OUTBOX_REMEMBER_DELIVERED_MS = 30 * 24 * 60 * 60 * 1000;

const itemSchema = z.object({
  id: z.string().min(1).max(256),
  chatId: z.number().int(),
  kind: z.string().min(1),
  payload: z.unknown(),
  createdAt: z.iso.datetime({ offset: true }),
});

const bodySchema = z.object({ chatId: z.number(), kind: z.string(), payload: z.unknown() });

/**
 * The durable notification outbox: the webhook adds, the notifier claims, sends, and marks delivered.
 * Built on the store's work queues, so every step is one atomic write and several instances can share it.
 */
export function createOutbox(
  store: Store,
  options: { queue?: string; rememberDeliveredMs?: number } = {},
): Outbox {
  const queue = options.queue ?? "notifications";
  const rememberMs = options.rememberDeliveredMs ?? OUTBOX_REMEMBER_DELIVERED_MS;
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  /** One row at a time: a row that cannot be read must not hide every other from the notifier. */
  const readBody = (text: string): { body: z.infer<typeof bodySchema> } | { reason: string } => {
    try {
      const parsed = bodySchema.safeParse(JSON.parse(text));
      return parsed.success ? { body: parsed.data } : { reason: `not an outbox body: ${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")}` };
    } catch (error) {
      return { reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  const toEntry = (entry: QueueEntry): OutboxEntry => {
    const read = readBody(entry.body);
    const body = "body" in read ? read.body : { chatId: 0, kind: "unreadable", payload: undefined };
    return {
      id: entry.id,
      chatId: body.chatId,
      kind: body.kind,
      payload: body.payload,
      ...("reason" in read ? { unreadable: { reason: read.reason, body: entry.body } } : {}),
      createdAt: new Date(entry.createdAtMs).toISOString(),
      attempts: entry.attempts,
      notBefore: iso(entry.notBeforeMs),
      lastError: entry.lastError,
      leasedBy: entry.leaseOwner,
      leasedUntil: iso(entry.leaseUntilMs),
    };
  };

  const prepare = (items: readonly OutboxItem[]): QueuedWrite => ({
    queue,
    entries: items.map((raw) => {
      const item = itemSchema.parse(raw);
      const body = JSON.stringify({ chatId: item.chatId, kind: item.kind, payload: item.payload ?? null });
      return { id: item.id, createdAtMs: Date.parse(item.createdAt), body };
    }),
  });

  return {
    async add(items) {
      if (items.length === 0) return 0;
      return store.queues.add(queue, prepare(items).entries);
    },
    prepare,
    async pending({ limit, readyAt, skip }) {
      if (limit <= 0) return [];
      const entries = await store.queues.pending(queue, { limit, readyAtMs: readyAt?.getTime(), skip });
      return entries.map(toEntry);
    },
    claim: (id, workerId, ttlMs) => store.queues.claim(queue, id, workerId, ttlMs),
    release(id, workerId, retry = {}) {
      const notBeforeMs = retry.notBefore === undefined ? undefined : new Date(retry.notBefore).getTime();
      if (notBeforeMs !== undefined && Number.isNaN(notBeforeMs)) throw new Error("release: notBefore is not a date");
      return store.queues.release(queue, id, workerId, { notBeforeMs, error: retry.error?.slice(0, 1_000) });
    },
    markDelivered: (id, _workerId) => store.queues.complete(queue, id, rememberMs),
    async stats() {
      const { depth, oldestCreatedAtMs } = await store.queues.stats(queue);
      const oldestAgeMs = oldestCreatedAtMs === undefined ? 0 : Math.max(0, store.now().getTime() - oldestCreatedAtMs);
      return { depth, oldestAgeMs };
    },
  };
}
