import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { createCallbackEventLog, createOutbox, createStore, type Store } from "../../src/store/index.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

/**
 * Redis goes away (its process dies; the client keeps trying to reconnect). Every call into the store must
 * fail after a few seconds, for its caller to answer 5xx (Palladium retries) or try again later, instead of
 * waiting in the client's queue for as long as the outage lasts, with callbacks, the notifier and /metrics
 * piling up behind it.
 */

let redis: RunningRedis;
let store: Store;
let receiver: WebhookServer;
let receiverUrl: string;

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createStore({ url: redis.url, keyPrefix: "outage-test" });
  receiver = createWebhookServer({
    callbackToken: "callback-token-outage-test-0123456789",
    store,
    eventLog: createCallbackEventLog(store),
    outbox: createOutbox(store),
    ownerIds: [1],
    logger: silentLogger(),
  });
  receiverUrl = await receiver.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await receiver?.close();
  await Promise.race([store?.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
});

describe("a Redis that goes away", () => {
  it("fails the store's calls instead of leaving them waiting, and /healthz says so", async () => {
    await store.payments.save(cashierVirtualAccount("va-outage", {}));
    expect((await fetch(`${receiverUrl}/healthz`)).status).toBe(200);
    await redis.stop();
    // /healthz answers from a probe at most half a second old.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const health = await fetch(`${receiverUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "store not answering" });
    await Promise.all([
      expect(store.payments.get("va-outage")).rejects.toThrow(),
      expect(store.queues.pending("notifications", { limit: 10 })).rejects.toThrow(),
    ]);
  }, 25_000);
});
