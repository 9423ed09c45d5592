import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP, startShop, toldAbout, type Shop } from "../webhook/shop-harness.js";

/**
 * Telegram refuses a chat for good: the bot was removed from the shop group (before the bot heard of it),
 * or a cashier blocked it. The payment must still reach the shop: the owners get the notice, saying why.
 */

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const group = { id: SHOP_GROUP, type: "supergroup" as const, title: "Toko Maju Jaya" };

async function paid(s: Shop, name: string) {
  const va = await s.createVirtualAccount({ amount: 175_000, name, showPhoto: false });
  expect((await s.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
  await s.settle();
  return va;
}

describe("a notice Telegram refuses for good", () => {
  it("in the shop group (the bot was removed): the owner gets it, saying why; the cashier still gets hers", async () => {
    shop = await startShop();
    shop.telegram.removeBotFromGroup(group, OWNER);
    const va = await paid(shop, "Wulan Sari");
    expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(0);
    const toOwner = toldAbout(shop, OWNER.id, va.externalId);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain("Pembayaran diterima");
    expect(toOwner[0]).toContain("Rp 175.000");
    expect(toOwner[0]).toContain("↪️ Dikirim ke Anda karena Telegram menolak");
    expect(toldAbout(shop, CASHIER.id, va.externalId)).toHaveLength(1);
  });

  it("a backlog the removed group refused reaches the owner as one digest that says why, not one message a second", async () => {
    shop = await startShop({ notifier: false });
    const names = ["Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi"].map((n) => `${n} Saputra`);
    const paidVas = [];
    for (const name of names) {
      const va = await shop.createVirtualAccount({ amount: 120_000, name, showPhoto: false });
      expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
      paidVas.push(va);
    }
    await shop.sandbox.callbacksSettled();
    shop.telegram.removeBotFromGroup(group, OWNER);
    shop.startNotifier();
    await shop.settle();
    const toOwner = shop.messagesTo(OWNER.id).map((c) => String(c.payload.text));
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain("8 pembayaran diterima");
    expect(toOwner[0]).toContain("Semuanya dikirim ke Anda karena Telegram menolak");
    for (const name of names) expect(toOwner[0]).toContain(name);
  });

  it("in the cashier's chat with no group linked (she blocked the bot): the owner gets it", async () => {
    shop = await startShop({ linkGroup: false });
    shop.telegram.blockBot(CASHIER);
    const va = await paid(shop, "Agus Salim");
    const toOwner = toldAbout(shop, OWNER.id, va.externalId);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain("↪️");
  });

  it("in the cashier's chat, when a group was linked only after the payment was recorded: the owner gets it (the group never heard)", async () => {
    shop = await startShop({ linkGroup: false, notifier: false });
    const va = await shop.createVirtualAccount({ amount: 125_000, name: "Agus Salim", showPhoto: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.sandbox.callbacksSettled();
    await shop.store.access.linkGroup({ chatId: SHOP_GROUP, title: "Toko Maju Jaya", linkedBy: OWNER.id, linkedAt: new Date().toISOString() });
    shop.telegram.blockBot(CASHIER);
    shop.startNotifier();
    await shop.settle();
    expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(0);
    expect(toldAbout(shop, OWNER.id, va.externalId)).toHaveLength(1);
  });

  it("in the cashier's chat while the group heard it: the owner is not told privately", async () => {
    shop = await startShop();
    shop.telegram.blockBot(CASHIER);
    const va = await paid(shop, "Rina Wati");
    expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(1);
    expect(toldAbout(shop, OWNER.id, va.externalId)).toHaveLength(0);
  });
});
