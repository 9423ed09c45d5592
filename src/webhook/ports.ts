import type { CallbackEventLog } from "../store/callback-events.js";
import type { Outbox } from "../store/outbox.js";

/** What the webhook uses of the store's callback-event log and outbox, narrowed to the calls it makes. */

export interface CallbackEventRecord {
  event: string;
  externalId: string;
  /** false when no payment of ours has this external_id. */
  known: boolean;
  receivedAt: string;
}

/**
 * `recordWith` (with the outbox's `prepare`) records a callback as one durable unit; a port without them
 * (e.g. a wrapper in a test) is recorded step by step in the crash-safe order instead.
 */
export type CallbackEventLogPort = Pick<CallbackEventLog, "recordOnce" | "get"> & Partial<Pick<CallbackEventLog, "recordWith">>;
export type OutboxPort = Pick<Outbox, "add"> & Partial<Pick<Outbox, "prepare">>;
