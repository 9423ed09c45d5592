import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP, startShop, type Shop } from "../webhook/shop-harness.js";

/**
 * "Pak Langganan says he just paid into his usual VA." The cashier opens recent payments: the one paid a
 * minute ago must be there, at the top, however long ago its VA was made and however many were made since.
 */

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop.close();
});

describe("recent payments", () => {
  it("show a payment paid just now first, though its VA was made before a dozen others", async () => {
    const regular = await shop.createVirtualAccount({ amount: 250_000, name: "Pak Langganan", isSingleUse: false });
    for (let i = 0; i < 12; i++) await shop.createVirtualAccount({ amount: 50_000 + i, name: `Pembeli ${String.fromCharCode(65 + i)}`, showPhoto: false });
    const before = await shop.store.payments.listRecent({ limit: 10 });
    expect(before.map((p) => p.externalId)).not.toContain(regular.externalId);
    // Paid a moment later (a payment's time may come in whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${regular.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    for (const list of [await shop.store.payments.listRecent({ limit: 10 }), await shop.store.payments.listRecent({ limit: 10, createdBy: CASHIER.id })]) {
      expect(list[0]).toMatchObject({ externalId: regular.externalId, status: "paid" });
      expect(list).toHaveLength(10);
    }
    // Saved again (its message shown again after a restart cut the first showing short): it keeps its place.
    await shop.store.payments.save(regular);
    expect((await shop.store.payments.listRecent({ limit: 1 }))[0]?.externalId).toBe(regular.externalId);
  });

  it("move it up also when its message cannot be marked paid (the bot was removed from the group it was made in) or it has none", async () => {
    const inGroup = await shop.createVirtualAccount({ amount: 300_000, name: "Bu Warung", isSingleUse: false, chatId: SHOP_GROUP });
    const noMessage = await shop.createVirtualAccount({ amount: 90_000, name: "Pak Tanpa Pesan", showPhoto: false });
    for (let i = 0; i < 12; i++) await shop.createVirtualAccount({ amount: 60_000 + i, name: `Tamu ${String.fromCharCode(65 + i)}`, showPhoto: false });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    shop.telegram.removeBotFromGroup({ id: SHOP_GROUP, type: "supergroup", title: "Toko Maju Jaya" }, OWNER);
    for (const va of [noMessage, inGroup]) {
      expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
      await shop.settle();
    }
    const top = (await shop.store.payments.listRecent({ limit: 2 })).map((p) => p.externalId);
    expect(top).toEqual([inGroup.externalId, noMessage.externalId]);
  });
});
