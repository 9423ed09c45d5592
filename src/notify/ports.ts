import type { Outbox } from "../store/outbox.js";

/** What the notifier uses of the outbox (src/store/outbox.ts), narrowed to the calls it makes. */
export type NotifierOutboxPort = Pick<Outbox, "pending" | "claim" | "release" | "markDelivered" | "add">;
export type { OutboxEntry } from "../store/outbox.js";
