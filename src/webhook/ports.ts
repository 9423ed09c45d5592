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

export type CallbackEventLogPort = Pick<CallbackEventLog, "recordOnce" | "get">;
export type OutboxPort = Pick<Outbox, "add">;
