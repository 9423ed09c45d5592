import { describe, expect, it } from "vitest";
import { parseRupiah } from "../../src/domain/rupiah.js";
import { OWNER, type Shop, shopPerFile, textOf } from "../webhook/shop-harness.js";
import { postCallback, virtualAccountPaid } from "../webhook/signed-callbacks.js";

/**
 * The shop's Palladium account is also used by its web shop, so the gateway posts the web shop's payments
 * to the bot too: references the bot never made, each reported to the owners. Told one by one, at about a
 * message a second, they held the owner's chat for as long as they lasted, and the owner's own "paid"
 * waited behind them.
 */
let shop: Shop;
shopPerFile((started) => (shop = started), { notifier: false, enforceRateLimits: true });

describe("a flood of payments the bot never made", () => {
  it("lets the owner's own paid notice go first, and reports the flood in a digest with every payment counted", async () => {
    const amounts = Array.from({ length: 30 }, (_, i) => 10_000 + i * 1_000);
    for (const [i, amount] of amounts.entries()) {
      const foreign = virtualAccountPaid({ externalId: `webshop-order-${i}`, gatewayId: `va-web-${i}` }, { amount });
      expect((await postCallback(shop.webhookUrl, "virtual-account-paid", foreign)).status).toBe(200);
    }
    const own = await shop.createVirtualAccount({ amount: 275_000, name: "Pak Owner", createdBy: OWNER.id, chatId: OWNER.id, showPhoto: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${own.externalId}/pay`)).status).toBe(200);
    await shop.sandbox.callbacksSettled(); // recorded; nothing sent yet

    shop.startNotifier();
    await shop.settle(30_000);

    const messages = shop.messagesTo(OWNER.id).map(textOf);
    expect(messages[0]).toContain("Pembayaran diterima");
    expect(messages[0]).toContain(own.externalId);
    let counted = 0;
    let total = 0;
    for (const text of messages.slice(1)) {
      const digest = /<b>(\d+) pembayaran masuk dengan referensi yang tidak dikenal bot<\/b>, total <b>(Rp [\d.]+)<\/b>/.exec(text);
      if (digest) {
        counted += Number(digest[1]);
        total += parseRupiah(digest[2] as string) ?? Number.NaN;
        expect(text).toContain("akun sendiri");
      } else {
        expect(text).toContain("referensi yang tidak dikenal bot");
        counted += 1;
        total += parseRupiah(/Jumlah: <b>(Rp [\d.]+)<\/b>/.exec(text)?.[1] ?? "") ?? Number.NaN;
      }
    }
    expect(counted).toBe(30);
    expect(total).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(messages.length).toBeLessThanOrEqual(6);
    expect(shop.telegram.callsTo("sendMessage").filter((c) => !c.response.ok)).toEqual([]);
  });
});
