import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, startShop, textOf, type Shop } from "../webhook/shop-harness.js";

/**
 * A busy group's digest is in the shop's language, even when the oldest payment in it was made in the group
 * by a cashier who uses the bot in English (that payment is told in their language on its own).
 */
let shop: Shop;
beforeAll(async () => {
  shop = await startShop({ enforceRateLimits: true });
});
afterAll(async () => {
  await shop.close();
});

describe("a digest's language", () => {
  it("follows most of its payments, not the oldest one", async () => {
    const payments = [];
    for (let i = 0; i < 12; i++) {
      // The second: the first is usually told alone, before the backlog builds up.
      const locale = i === 1 ? "en" : "id";
      payments.push(await shop.createVirtualAccount({ amount: 20_000 + i * 1_000, name: "Siti Aminah", createdBy: CASHIER.id, chatId: SHOP_GROUP, locale, showPhoto: false }));
    }
    const answers = await Promise.all(payments.map((p) => shop.simulate(`/sandbox/simulate/virtual-accounts/${p.externalId}/pay`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await shop.settle(20_000);

    const messages = shop.messagesTo(SHOP_GROUP).map(textOf);
    expect(shop.events.get("digest") ?? 0).toBeGreaterThanOrEqual(1);
    expect(messages.some((text) => /pembayaran diterima<\/b>, total/.test(text))).toBe(true);
    expect(messages.filter((text) => /payments received/i.test(text))).toEqual([]);
  });
});
