import { silentLogger } from "../../src/logger.js";
import { createCallbackEventLog, createOutbox, type Store } from "../../src/store/index.js";
import { createWebhookServer, type WebhookServer, type WebhookServerDeps } from "../../src/webhook/server.js";
import { BENCH_TOKEN } from "./payloads.js";

/** The real callback receiver on a store, as every bench run uses it: the bench's token, no logs. */
export function benchReceiver(store: Store, extra: Partial<WebhookServerDeps> = {}): WebhookServer {
  return createWebhookServer({
    callbackToken: BENCH_TOKEN,
    store,
    eventLog: createCallbackEventLog(store),
    outbox: createOutbox(store),
    ownerIds: [1],
    logger: silentLogger(),
    ...extra,
  });
}
