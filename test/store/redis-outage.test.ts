import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../src/store/index.js";
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

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createStore({ url: redis.url, keyPrefix: "outage-test" });
});
afterAll(async () => {
  await Promise.race([store?.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
});

describe("a Redis that goes away", () => {
  it("fails the store's calls instead of leaving them waiting", async () => {
    await store.payments.save(cashierVirtualAccount("va-outage", {}));
    await redis.stop();
    await Promise.all([
      expect(store.payments.get("va-outage")).rejects.toThrow(),
      expect(store.queues.pending("notifications", { limit: 10 })).rejects.toThrow(),
    ]);
  }, 25_000);
});
