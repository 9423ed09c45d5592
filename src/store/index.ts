export { createStore } from "./create-store.js";
export { isRedisUnreachable } from "./redis-backend.js";
export { createCallbackEventLog, CALLBACK_EVENT_RETENTION_MS, type CallbackEventLog, type CallbackEventUnit } from "./callback-events.js";
export { createOutbox, OUTBOX_REMEMBER_DELIVERED_MS, type Outbox, type OutboxEntry, type OutboxItem } from "./outbox.js";
export { InviteCodeTakenError } from "./access.js";
export type * from "./types.js";
