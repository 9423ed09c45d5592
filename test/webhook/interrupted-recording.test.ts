import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { silentLogger } from "../../src/logger.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { CASHIER, CALLBACK_TOKEN, OWNER, SHOP_GROUP, startShop, textOf, type Shop } from "./shop-harness.js";

/**
 * The store fails in the middle of recording a callback (after some writes, before others). The receiver
 * must answer 5xx, so the gateway retries, and the retry must still give each chat exactly one message.
 */

let shop: Shop;
let flaky: WebhookServer;
let flakyUrl: string;
const failures = { recordOnce: 0, add: 0 };

beforeAll(async () => {
  shop = await startShop();
  flaky = createWebhookServer({
    callbackToken: CALLBACK_TOKEN,
    store: shop.store,
    eventLog: {
      get: (id) => shop.eventLog.get(id),
      async recordOnce(id, record) {
        if (failures.recordOnce > 0) {
          failures.recordOnce--;
          throw new Error("disk full (simulated) while marking the event seen");
        }
        return shop.eventLog.recordOnce(id, record);
      },
    },
    outbox: {
      async add(items) {
        // Writes the first item for real, then fails: a crash halfway through the outbox writes.
        if (failures.add > 0) {
          failures.add--;
          await shop.outbox.add(items.slice(0, 1));
          throw new Error("connection lost (simulated) while adding notifications");
        }
        return shop.outbox.add(items);
      },
    },
    ownerIds: [OWNER.id],
    logger: silentLogger(),
    onRecorded: () => shop.notifier?.wake(),
  });
  flakyUrl = await flaky.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await flaky.close();
  await shop.close();
});

async function deliver(payload: unknown) {
  return fetch(`${flakyUrl}${CALLBACK_PATHS["virtual-account-paid"]}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN },
    body: JSON.stringify(payload),
  });
}

describe("recording is interrupted and the gateway retries", () => {
  for (const where of ["recordOnce", "add"] as const) {
    it(`a failure in ${where === "add" ? "the outbox write" : "the dedupe mark"}: 503 first, then 200, and one message per chat`, async () => {
      const va = await shop.createVirtualAccount({ amount: 205_000, name: "Teguh Prasetyo", showPhoto: false });
      const payload = shop.sandbox.payVirtualAccount(va.externalId);
      failures[where] = 1;
      const firstTry = await deliver(payload);
      expect(firstTry.status).toBe(503);
      expect(await firstTry.json()).toEqual({ error: "temporarily unavailable" });
      const retry = await deliver(payload);
      expect(retry.status).toBe(200);
      await shop.settle();
      expect(shop.messagesTo(SHOP_GROUP).filter((c) => textOf(c).includes(va.externalId))).toHaveLength(1);
      expect(shop.messagesTo(CASHIER.id).filter((c) => textOf(c).includes(va.externalId))).toHaveLength(1);
    });
  }
});
