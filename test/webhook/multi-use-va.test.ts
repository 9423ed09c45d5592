import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, type Shop, shopPerFile } from "./shop-harness.js";
import { postCallback, retailOutletPaid, virtualAccountPaid } from "./signed-callbacks.js";

/**
 * A multi-use VA ("bisa berulang") is the number a regular customer pays into again and again: each payment
 * is told, counted and summed, and its QR message must not read as if the VA were finished.
 */

let shop: Shop;
const { told, captionOf } = shopPerFile((started) => (shop = started));

/** Telegram's flood control on one edit: that edit is tried again only after 3 s. */
const WAIT_3_S = { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } };

describe("a multi-use VA paid again and again", () => {
  it("each payment is told with its number and the running total, and the QR message stays open", async () => {
    const va = await shop.createVirtualAccount({ amount: 50_000, name: "Warung Bu Tini", isSingleUse: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 50_000 })).status).toBe(200);
    await shop.settle();
    const afterOne = captionOf(CASHIER.id, va.messageId);
    expect(afterOne).toContain("VA BERULANG · sudah dibayar 1×\nTotal: Rp 50.000");
    expect(afterOne).toContain("Masih bisa dibayar lagi sampai");
    expect(afterOne).not.toContain("SUDAH DIBAYAR");

    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 50_000 })).status).toBe(200);
    await shop.settle();

    for (const chatId of [SHOP_GROUP, CASHIER.id]) {
      const [first, second, ...more] = told(chatId, va.externalId);
      expect(more).toHaveLength(0);
      expect(first).toContain("♻️ Pembayaran ke-1 ke VA berulang ini · total Rp 50.000");
      expect(second).toContain("♻️ Pembayaran ke-2 ke VA berulang ini · total Rp 100.000");
    }
    const caption = captionOf(CASHIER.id, va.messageId);
    expect(caption).toContain("VA BERULANG · sudah dibayar 2×\nTotal: Rp 100.000\nTerakhir: Rp 50.000");
    expect(caption).toContain(`Metode: VA BCA ${va.accountNumber}`);
    expect(caption).toMatch(/Masih bisa dibayar lagi sampai \d{1,2} \w+ \d{4}, \d{2}\.\d{2} WIB\.$/);
    expect(await shop.store.payments.get(va.externalId)).toMatchObject({ status: "paid", paidCount: 2, paidTotal: 100_000, paidAmount: 50_000 });
  });

  it("a payment delivered again by the gateway is not counted again", async () => {
    const va = await shop.createVirtualAccount({ amount: 75_000, name: "Pak Harun", isSingleUse: false });
    const payment = virtualAccountPaid(va, { amount: 75_000, account_number: va.accountNumber });
    for (let i = 0; i < 3; i++) expect((await postCallback(shop.webhookUrl, "virtual-account-paid", payment)).status).toBe(200);
    await shop.settle();
    expect(await shop.store.payments.get(va.externalId)).toMatchObject({ paidCount: 1, paidTotal: 75_000 });
    expect(told(SHOP_GROUP, va.externalId)).toHaveLength(1);
    expect(captionOf(CASHIER.id, va.messageId)).toContain("sudah dibayar 1×\nTotal: Rp 75.000");
  });

  it("the first payment's edit, refused by Telegram for a while, does not put an older count back on the message", async () => {
    const va = await shop.createVirtualAccount({ amount: 30_000, name: "Bu Rahma", isSingleUse: false });
    // Told to wait 3 s: long enough that the second payment is in before the first edit is tried again.
    shop.telegram.failNext("editMessageCaption", 1, WAIT_3_S);
    const at = Date.now();
    const first = virtualAccountPaid(va, { amount: 30_000, account_number: va.accountNumber, transaction_timestamp: new Date(at).toISOString() });
    const second = virtualAccountPaid(va, { amount: 30_000, account_number: va.accountNumber, transaction_timestamp: new Date(at + 1_000).toISOString() });
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", first)).status).toBe(200);
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", second)).status).toBe(200);
    await shop.settle(30_000);
    const edits = shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId);
    // The first edit's retry finds the second payment in and is skipped: one edit, with the newer count.
    expect(edits.map((c) => c.response.ok)).toEqual([false, true]);
    expect(captionOf(CASHIER.id, va.messageId)).toContain("sudah dibayar 2×\nTotal: Rp 60.000");
  });

  it("after a restart, the first payment's late edit does not put its older count over the second's", async () => {
    const va = await shop.createVirtualAccount({ amount: 30_000, name: "Bu Rahma", isSingleUse: false });
    const edits = () => shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId);
    shop.telegram.failNext("editMessageCaption", 1, WAIT_3_S);
    const at = Date.now();
    const paidAt = (offsetMs: number) => ({ amount: 30_000, account_number: va.accountNumber, transaction_timestamp: new Date(at + offsetMs).toISOString() });
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", virtualAccountPaid(va, paidAt(0)))).status).toBe(200);
    for (let i = 0; i < 100 && edits().length === 0; i++) await sleep(50);
    expect(edits().map((c) => c.response.ok)).toEqual([false]);
    // A deploy while the first edit waits to be tried again: the new process does not know the chat was paused.
    await shop.notifier?.stop();
    shop.startNotifier();
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", virtualAccountPaid(va, paidAt(1_000)))).status).toBe(200);
    await shop.settle(30_000);

    expect(edits().filter((c) => c.response.ok)).toHaveLength(1);
    expect(captionOf(CASHIER.id, va.messageId)).toContain("sudah dibayar 2×\nTotal: Rp 60.000");
  });

  it("when the later payment's callback comes first, the message shows the later payment next to the count", async () => {
    const va = await shop.createVirtualAccount({ amount: 30_000, name: "Pak Joko", isSingleUse: false });
    const morning = "2026-11-26T02:00:00.000Z";
    const noon = "2026-11-26T05:00:00.000Z";
    const payment = (when: string, amount: number) => virtualAccountPaid(va, { amount, account_number: va.accountNumber, transaction_timestamp: when });
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", payment(noon, 30_000))).status).toBe(200);
    await shop.settle();
    expect((await postCallback(shop.webhookUrl, "virtual-account-paid", payment(morning, 25_000))).status).toBe(200);
    await shop.settle();
    const caption = captionOf(CASHIER.id, va.messageId);
    expect(caption).toContain("sudah dibayar 2×\nTotal: Rp 55.000\nTerakhir: Rp 30.000, 26 Nov 2026, 12.00 WIB");
    expect(caption).not.toContain("Kurang");
  });

  it("a single-use VA reads PAID with no word of paying again", async () => {
    const va = await shop.createVirtualAccount({ amount: 60_000, name: "Sekali Saja" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    const caption = captionOf(CASHIER.id, va.messageId);
    expect(caption).toContain("SUDAH DIBAYAR");
    expect(caption).not.toContain("berulang");
    expect(told(SHOP_GROUP, va.externalId)[0]).not.toContain("♻️");
  });

  it("an English-speaking cashier reads the count in English", async () => {
    const va = await shop.createVirtualAccount({ amount: 40_000, name: "Tom Baker", isSingleUse: false, locale: "en" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 40_000 })).status).toBe(200);
    await shop.settle();
    expect(told(CASHIER.id, va.externalId)[0]).toContain("♻️ Payment no. 1 to this multi-use VA · Rp 40.000 in all");
    const caption = captionOf(CASHIER.id, va.messageId);
    expect(caption).toContain("MULTI-USE VA · paid 1×\nTotal: Rp 40.000\nLatest: Rp 40.000");
    expect(caption).toContain("It can still be paid until");
  });
});

describe("an Alfamart code paid in more than one payment", () => {
  it("the rest of a short payment is told as completing the bill, not as a short payment of its own", async () => {
    const code = await shop.createRetailPayment({ amount: 50_000, name: "Pak Dedi" });
    for (const amount of [40_000, 10_000]) {
      expect((await shop.simulate(`/sandbox/simulate/retail-payments/${code.externalId}/pay`, { amount })).status).toBe(200);
      await shop.settle();
    }
    const [first, second, ...more] = told(SHOP_GROUP, code.externalId);
    expect(more).toHaveLength(0);
    expect(first).toContain("⚠️ Kurang Rp 10.000 dari tagihan Rp 50.000");
    expect(second).toContain("✅ Tagihan ini kini lunas: 2 pembayaran, total Rp 50.000.");
    expect(second).not.toContain("Kurang");
    const caption = captionOf(CASHIER.id, code.messageId);
    expect(caption).toContain("✅ Tagihan ini kini lunas: 2 pembayaran, total Rp 50.000.");
    expect(caption).not.toContain("Kurang");
    expect(caption).not.toContain("KURANG");
  });

  it("after a restart, the first payment's late edit does not wipe the second's warning off the code's message", async () => {
    const code = await shop.createRetailPayment({ amount: 30_000, name: "Bu Lina" });
    const edits = () => shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === code.messageId);
    shop.telegram.failNext("editMessageCaption", 1, WAIT_3_S);
    expect((await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(code, { amount: 30_000 }))).status).toBe(200);
    for (let i = 0; i < 100 && edits().length === 0; i++) await sleep(50);
    expect(edits().map((c) => c.response.ok)).toEqual([false]);
    await shop.notifier?.stop();
    shop.startNotifier();
    expect((await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(code, { amount: 30_000 }))).status).toBe(200);
    await shop.settle(30_000);
    expect(edits().map((c) => c.response.ok)).toEqual([false, true]);
    expect(captionOf(CASHIER.id, code.messageId)).toContain("⚠️ Tagihan ini sudah dibayar 2×, total Rp 60.000");
  });

  it("a bill's callbacks out of order: the message shows its newest payment and judges the total, without a short mark", async () => {
    const code = await shop.createRetailPayment({ amount: 50_000, name: "Pak Rudi" });
    const payment = (when: string, amount: number) => retailOutletPaid(code, { amount, transaction_timestamp: when });
    expect((await postCallback(shop.webhookUrl, "retail-outlet-paid", payment("2026-11-26T05:00:00.000Z", 30_000))).status).toBe(200);
    await shop.settle();
    expect((await postCallback(shop.webhookUrl, "retail-outlet-paid", payment("2026-11-26T02:00:00.000Z", 20_000))).status).toBe(200);
    await shop.settle();
    const caption = captionOf(CASHIER.id, code.messageId);
    expect(caption).toContain("Rp 30.000");
    expect(caption).toContain("12.00 WIB");
    expect(caption).toContain("✅ Tagihan ini kini lunas: 2 pembayaran, total Rp 50.000.");
    expect(caption).not.toMatch(/kurang/i);
  });

  it("the second payment is told with a warning, alone, and the code's message says so too", async () => {
    const code = await shop.createRetailPayment({ amount: 30_000, name: "Bu Sinta" });
    for (let i = 0; i < 2; i++) {
      expect((await shop.simulate(`/sandbox/simulate/retail-payments/${code.externalId}/pay`)).status).toBe(200);
      await shop.settle();
    }
    for (const chatId of [SHOP_GROUP, CASHIER.id]) {
      const [first, second, ...more] = told(chatId, code.externalId);
      expect(more).toHaveLength(0);
      expect(first).not.toContain("⚠️");
      expect(second).toMatch(/^⚠️ Pembayaran lagi untuk tagihan yang sudah lunas\n/);
      expect(second).toContain("⚠️ Tagihan ini sudah dibayar 2×, total Rp 60.000: lebih Rp 30.000 dari tagihan Rp 30.000. Periksa apakah pelanggan membayar lebih dari sekali.");
    }
    const caption = captionOf(CASHIER.id, code.messageId);
    expect(caption).toMatch(/^⚠️ DIBAYAR 2× · LEBIH BAYAR\n/);
    expect(caption).not.toContain("SUDAH DIBAYAR");
    expect(caption).toContain("⚠️ Tagihan ini sudah dibayar 2×, total Rp 60.000: lebih Rp 30.000");
    expect(await shop.store.payments.get(code.externalId)).toMatchObject({ paidCount: 2, paidTotal: 60_000 });
  });
});
