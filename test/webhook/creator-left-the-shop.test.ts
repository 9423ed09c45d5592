import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP, startShop, toldAbout, captionNow, type Shop } from "./shop-harness.js";

/**
 * A cashier the owner removed is no longer told of the shop's money in her private chat, but a payment she
 * made before leaving is still the shop's: the linked group hears of it, or, with no group, the owners do.
 */

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

async function paidAfterRemoval(s: Shop) {
  const va = await s.createVirtualAccount({ amount: 150_000, name: "Siti Aminah" });
  expect(await s.store.access.removeStaff(CASHIER.id)).toBe(true);
  expect((await s.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
  await s.settle();
  return va;
}

describe("a payment made by a cashier who has since been removed", () => {
  it("with no group linked: the owners hear of it, the former cashier does not, and her QR is left as it was", async () => {
    shop = await startShop({ linkGroup: false });
    const va = await paidAfterRemoval(shop);
    expect(toldAbout(shop, CASHIER.id, va.externalId)).toHaveLength(0);
    expect(captionNow(shop, CASHIER.id, va.messageId)).not.toContain("DIBAYAR");
    const toOwner = toldAbout(shop, OWNER.id, va.externalId);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toContain("Pembayaran diterima");
    expect(toOwner[0]).toContain("Rp 150.000");
    expect((await shop.store.payments.get(va.externalId))?.status).toBe("paid");
  });

  it("with the shop group linked: the group hears of it once, and nobody privately", async () => {
    shop = await startShop();
    const va = await paidAfterRemoval(shop);
    expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(1);
    expect(toldAbout(shop, CASHIER.id, va.externalId)).toHaveLength(0);
    expect(toldAbout(shop, OWNER.id, va.externalId)).toHaveLength(0);
  });

  it("while she is still on the staff, she hears of it and her QR turns PAID, as before", async () => {
    shop = await startShop({ linkGroup: false });
    const va = await shop.createVirtualAccount({ amount: 90_000, name: "Rudi Hartono" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(toldAbout(shop, CASHIER.id, va.externalId)).toHaveLength(1);
    expect(captionNow(shop, CASHIER.id, va.messageId)).toContain("DIBAYAR");
    expect(toldAbout(shop, OWNER.id, va.externalId)).toHaveLength(0);
  });

  it("made in a group of her own that no owner linked: that group is not told once she is out, the shop's group is", async () => {
    // A cashier may take payments in any group she shares with the bot; once removed, that group is hers, not the shop's.
    const herGroup = -1009999000111;
    shop = await startShop();
    shop.telegram.addChat({ id: herGroup, type: "supergroup", title: "Dedi & bot" }, [{ user: CASHIER, status: "creator" }]);
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Siti Aminah", createdBy: CASHIER.id, chatId: herGroup });
    expect(await shop.store.access.removeStaff(CASHIER.id)).toBe(true);
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(1);
    expect(toldAbout(shop, herGroup, va.externalId)).toHaveLength(0);
    expect(captionNow(shop, herGroup, va.messageId)).not.toContain("DIBAYAR");
  });
});

