import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, startShop, textOf, type Shop } from "../webhook/shop-harness.js";
import { parseRupiah } from "../../src/domain/rupiah.js";

let shop: Shop;

beforeAll(async () => {
  // The local Bot API enforces Telegram's flood limits: a notifier that ignored them would meet 429s here.
  shop = await startShop({ enforceRateLimits: true });
});
afterAll(async () => {
  await shop.close();
});

describe("a busy market day in the shop group", () => {
  it("40 payments at once become a digest, every payment counted, without a single 429", async () => {
    const payments = [];
    for (let i = 0; i < 40; i++) {
      // Cashiers make these in the group itself, so the group is the only chat to tell.
      payments.push(await shop.createVirtualAccount({ amount: 10_000 + i * 5_000, name: `Pelanggan ${String.fromCharCode(65 + (i % 26))}`, createdBy: CASHIER.id, chatId: SHOP_GROUP, showPhoto: false }));
    }
    const answers = await Promise.all(payments.map((p) => shop.simulate(`/sandbox/simulate/virtual-accounts/${p.externalId}/pay`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await shop.settle(20_000);

    const messages = shop.messagesTo(SHOP_GROUP).map(textOf);
    let counted = 0;
    let total = 0;
    for (const text of messages) {
      const digest = /<b>(\d+) pembayaran diterima<\/b>, total <b>(Rp [\d.]+)<\/b>/.exec(text);
      if (digest) {
        counted += Number(digest[1]);
        total += parseRupiah(digest[2] as string) ?? Number.NaN;
      } else {
        expect(text).toContain("Pembayaran diterima");
        counted += 1;
        total += parseRupiah(/Jumlah: <b>(Rp [\d.]+)<\/b>/.exec(text)?.[1] ?? "") ?? Number.NaN;
      }
    }
    console.log(`40 payments reached the group in ${messages.length} messages (${shop.events.get("digest") ?? 0} digests)`);
    expect(counted).toBe(40);
    expect(total).toBe(payments.reduce((sum, p) => sum + p.amount, 0));
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(shop.events.get("digest") ?? 0).toBeGreaterThanOrEqual(1);
    expect(shop.telegram.callsTo("sendMessage").filter((c) => !c.response.ok)).toEqual([]);
    for (const p of payments) expect((await shop.store.payments.get(p.externalId))?.status).toBe("paid");
  });
});
