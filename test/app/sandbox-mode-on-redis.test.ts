import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_REDIS_PREFIX } from "../../src/app.js";
import { createStore } from "../../src/store/index.js";
import { cashierVirtualAccount } from "../store/fixtures/payment.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { appPerTest } from "./support.js";

/**
 * Sandbox mode on a Redis STORE_URL (compose.yaml pins one, and leaves PALLAPI_KEY to be set later) wrote
 * into the real shop: its simulated payments and transfers showed in the real shop's list once PALLAPI_KEY
 * was set, and its transfers used up the real daily limit. On SQLite it has had a file of its own.
 */

const start = appPerTest("sandbox-on-redis", "toko_redis_bot");
let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe("sandbox mode on a Redis STORE_URL", () => {
  it("keeps its shop apart from the real one's keys", async () => {
    const { app } = await start({ STORE_URL: redis.url, OWNER_IDS: "7101" });
    expect(app.sandbox).toBeDefined();
    await app.store.payments.save(cashierVirtualAccount("sandbox-made", { kind: "disbursement", status: "pending", amount: 1_000_000 }));

    const realShop = await createStore({ url: redis.url });
    const sandboxShop = await createStore({ url: redis.url, keyPrefix: SANDBOX_REDIS_PREFIX });
    try {
      expect(await realShop.payments.get("sandbox-made")).toBeUndefined();
      expect(await realShop.payments.listRecent({ limit: 10 })).toEqual([]);
      expect((await sandboxShop.payments.get("sandbox-made"))?.amount).toBe(1_000_000);
    } finally {
      await realShop.close();
      await sandboxShop.close();
    }
  });
});
