import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { createCallbackEventLog, createOutbox, createStore, type Store } from "../../src/store/index.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { CALLBACK_TOKEN } from "../webhook/shop-harness.js";
import { postCallback, virtualAccountPaid } from "../webhook/signed-callbacks.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

/**
 * A store that still answers reads but refuses every write: a full disk under SQLite, a Redis at its memory
 * limit (played here: Redis refuses writes past `maxmemory` and serves reads). Palladium must get no 2xx for
 * a callback it cannot record, and the operator's health check must not say all is well meanwhile.
 */

let redis: RunningRedis;
let admin: ReturnType<typeof createClient>;
let store: Store;
let receiver: WebhookServer;
let receiverUrl: string;

beforeAll(async () => {
  redis = await startRedisServer();
  admin = createClient({ url: redis.url });
  await admin.connect();
  store = await createStore({ url: redis.url, keyPrefix: "full-test" });
  receiver = createWebhookServer({
    callbackToken: CALLBACK_TOKEN,
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
  await store?.close();
  await admin?.quit();
  await redis?.stop();
});

describe("a store that refuses writes but still reads", () => {
  it("answers a paid callback 503 and says so on /healthz; both are well again once writes are taken", async () => {
    const payment = cashierVirtualAccount("va-store-full", {});
    await store.payments.save(payment);
    expect((await fetch(`${receiverUrl}/healthz`)).status).toBe(200);

    await admin.configSet("maxmemory", "1");
    expect(await store.payments.get("va-store-full")).toMatchObject({ externalId: "va-store-full" });
    const paid = virtualAccountPaid(payment);
    expect((await postCallback(receiverUrl, "virtual-account-paid", paid)).status).toBe(503);
    // /healthz answers from a probe at most half a second old.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const health = await fetch(`${receiverUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "store not answering" });

    await admin.configSet("maxmemory", "0");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await fetch(`${receiverUrl}/healthz`)).status).toBe(200);
    // Palladium's retry of the same callback is recorded now.
    expect((await postCallback(receiverUrl, "virtual-account-paid", paid)).status).toBe(200);
    expect((await store.payments.get("va-store-full"))?.status).toBe("paid");
  });
});
