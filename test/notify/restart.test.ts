import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, startShop, textOf, type Shop } from "../webhook/shop-harness.js";

let shop: Shop;

beforeAll(async () => {
  shop = await startShop({ notifier: false });
});
afterAll(async () => {
  await shop.close();
});

const mentioning = (externalId: string, chatId: number) => shop.messagesTo(chatId).filter((c) => textOf(c).includes(externalId));

describe("the notifier restarts", () => {
  it("what one instance recorded but could not deliver, the next delivers once", async () => {
    // The first instance meets a Telegram outage and is stopped before anything gets through.
    shop.telegram.failNext("*", 1_000, { error_code: 502, description: "Bad Gateway" });
    const first = shop.startNotifier({ workerId: "first" });
    const va = await shop.createVirtualAccount({ amount: 310_000, name: "Bambang Pamungkas", showPhoto: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.sandbox.callbacksSettled();
    await shop.telegram.waitFor((c) => c.method === "sendMessage" && !c.response.ok, { since: 0, timeoutMs: 5_000 });
    await first.stop();
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(0);
    expect((await shop.outbox.stats()).depth).toBe(2);

    shop.telegram.clearFaults();
    const second = shop.startNotifier({ workerId: "second" });
    await shop.settle();
    await second.stop();
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, CASHIER.id)).toHaveLength(1);
  });

  it("an item leased by an instance that crashed mid-send is delivered once its lease runs out", async () => {
    const va = await shop.createVirtualAccount({ amount: 88_000, name: "Kartini Sari", showPhoto: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.sandbox.callbacksSettled();
    const pending = await shop.outbox.pending({ limit: 10 });
    const groupItem = pending.find((p) => p.chatId === SHOP_GROUP);
    expect(groupItem).toBeDefined();
    // A crashed worker holds the group's item with a short lease and never comes back.
    expect(await shop.outbox.claim(groupItem!.id, "crashed-worker", 400)).toBe(true);

    const survivor = shop.startNotifier({ workerId: "survivor" });
    await shop.settle();
    await survivor.stop();
    expect(mentioning(va.externalId, SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId, CASHIER.id)).toHaveLength(1);
  });
});
