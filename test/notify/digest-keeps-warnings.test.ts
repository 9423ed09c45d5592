import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRupiah } from "../../src/domain/rupiah.js";
import { SHOP_GROUP, plainText, startShop, textOf, type Shop } from "../webhook/shop-harness.js";
import { postCallback, virtualAccountPaid } from "../webhook/signed-callbacks.js";

/**
 * A busy group gets one digest for its backlog, but a payment the cashier must look at (short, over, or
 * paid to a number Palladium names differently) is never folded into it: it comes as its own notice with
 * its ⚠️ lines, and the digest's header counts and sums only the others, so it stays true.
 */
let shop: Shop;
beforeAll(async () => {
  shop = await startShop({ notifier: false });
});
afterAll(async () => {
  await shop.close();
});

const OTHER_VA = "9999000011112222";

describe("a backlog with a short payment and a callback naming another VA", () => {
  it("the group hears both warnings on their own, and a digest of the other twelve", async () => {
    const payments = [];
    for (let i = 0; i < 14; i++) {
      payments.push(await shop.createVirtualAccount({ amount: 150_000, name: `Pelanggan ${String.fromCharCode(65 + i)}`, chatId: SHOP_GROUP, showPhoto: false }));
    }
    const otherVa = payments[2]!;
    const short = payments[12]!;
    // Recorded while the notifier is down, so the group has a backlog of 14 when it starts.
    for (const p of payments) {
      const over: Record<string, unknown> = { amount: 150_000 };
      if (p === otherVa) over.account_number = OTHER_VA;
      if (p === short) over.amount = 50_000;
      expect((await postCallback(shop.webhookUrl, "virtual-account-paid", virtualAccountPaid(p, over))).status).toBe(200);
    }
    shop.startNotifier();
    await shop.settle();

    const messages = shop.messagesTo(SHOP_GROUP).map(textOf);
    const digests = messages.filter((t) => /pembayaran diterima<\/b>, total/.test(t));
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    const header = /<b>(\d+) pembayaran diterima<\/b>, total <b>(Rp [\d.]+)<\/b>/.exec(digest);
    expect(header?.[1]).toBe("12");
    expect(parseRupiah(header?.[2] ?? "")).toBe(12 * 150_000);
    // Neither warned payment is among the digest's lines.
    expect(plainText(digest)).not.toContain(otherVa.customerName);
    expect(plainText(digest)).not.toContain(short.customerName);

    const shortNotice = messages.filter((t) => t.includes(short.externalId)).map(plainText);
    expect(shortNotice).toHaveLength(1);
    expect(shortNotice[0]).toContain("⚠️ Kurang bayar");
    expect(shortNotice[0]).toContain("Kurang Rp 100.000 dari tagihan Rp 150.000");

    const otherVaNotice = messages.filter((t) => t.includes(otherVa.externalId)).map(plainText);
    expect(otherVaNotice).toHaveLength(1);
    expect(otherVaNotice[0]).toContain(`⚠️ Palladium menyebut VA BCA ${OTHER_VA}`);

    // Every payment told exactly once: the digest's twelve and the two notices.
    expect(messages).toHaveLength(3);
  });
});
