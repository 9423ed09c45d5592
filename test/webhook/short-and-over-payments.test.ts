import { describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP, type Shop, shopPerFile } from "./shop-harness.js";
import { postCallback, retailOutletPaid, virtualAccountPaid } from "./signed-callbacks.js";

/**
 * The gateway reports what the customer actually paid, which is not always what the cashier asked for:
 * a bank app lets some customers type the amount. The shop must not read a short payment as "paid".
 */

let shop: Shop;
const { told, captionOf } = shopPerFile((started) => (shop = started));


describe("a customer pays less than the virtual account asks", () => {
  it("the group, the cashier and the QR message all say how much is missing, not that it is paid", async () => {
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Budi Santoso" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 50_000 })).status).toBe(200);
    await shop.settle();

    for (const chatId of [SHOP_GROUP, CASHIER.id]) {
      const [text, ...more] = told(chatId, va.externalId);
      expect(more).toHaveLength(0);
      expect(text).toContain("Kurang bayar");
      expect(text).toContain("Rp 50.000");
      expect(text).toContain("⚠️ Kurang Rp 100.000 dari tagihan Rp 150.000");
      expect(text).not.toContain("Pembayaran diterima");
    }
    const caption = captionOf(CASHIER.id, va.messageId);
    expect(caption).toContain("⚠️ Kurang Rp 100.000 dari tagihan Rp 150.000");
    expect(caption).not.toContain("SUDAH DIBAYAR");

    const record = await shop.store.payments.get(va.externalId);
    expect(record).toMatchObject({ status: "paid", amount: 150_000, paidAmount: 50_000 });
  });

  it("an English-speaking cashier reads it in English", async () => {
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Tom Baker", locale: "en" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 120_000 })).status).toBe(200);
    await shop.settle();
    const [text] = told(CASHIER.id, va.externalId);
    expect(text).toContain("Short payment");
    expect(text).toContain("⚠️ Rp 30.000 short of the Rp 150.000 asked");
    expect(captionOf(CASHIER.id, va.messageId)).toContain("PAID SHORT");
    expect(told(SHOP_GROUP, va.externalId)[0]).toContain("⚠️ Kurang Rp 30.000 dari tagihan Rp 150.000");
  });
});

describe("a customer pays more than asked", () => {
  it("says by how much it is over", async () => {
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Siti Lebih" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 1_500_000 })).status).toBe(200);
    await shop.settle();
    const [text] = told(SHOP_GROUP, va.externalId);
    expect(text).toContain("Lebih bayar");
    expect(text).toContain("⚠️ Lebih Rp 1.350.000 dari tagihan Rp 150.000");
    expect(captionOf(CASHIER.id, va.messageId)).toContain("LEBIH BAYAR");
  });
});

describe("an Alfamart code paid short", () => {
  it("is told as short too", async () => {
    const code = await shop.createRetailPayment({ amount: 85_000, name: "Agus Kurang" });
    const paid = await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(code, { amount: 80_000 }));
    expect(paid.status).toBe(200);
    await shop.settle();
    expect(told(SHOP_GROUP, code.externalId)[0]).toContain("⚠️ Kurang Rp 5.000 dari tagihan Rp 85.000");
  });
});

describe("a payment of exactly the asked amount", () => {
  it("reads as before, with no warning", async () => {
    const va = await shop.createVirtualAccount({ amount: 77_000, name: "Pas Sekali" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    const [text] = told(SHOP_GROUP, va.externalId);
    expect(text).toContain("Pembayaran diterima");
    expect(text).not.toMatch(/Kurang|Lebih|⚠️/);
    expect(captionOf(CASHIER.id, va.messageId)).toContain("SUDAH DIBAYAR");

    const code = await shop.createRetailPayment({ amount: 66_000, name: "Pas Juga" });
    expect((await shop.simulate(`/sandbox/simulate/retail-payments/${code.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    expect(told(SHOP_GROUP, code.externalId)[0]).not.toMatch(/Kurang|Lebih|⚠️/);
  });
});

describe("a paid callback for Rp 0", () => {
  it("is refused as invalid, and the payment stays unpaid", async () => {
    const va = await shop.createVirtualAccount({ amount: 200_000, name: "Nol Rupiah" });
    for (const amount of [0, "0", "000"]) {
      const answer = await postCallback(shop.webhookUrl, "virtual-account-paid", virtualAccountPaid(va, { amount }));
      expect(answer.status).toBe(400);
    }
    const code = await shop.createRetailPayment({ amount: 50_000, name: "Nol Juga" });
    expect((await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(code, { amount: 0 }))).status).toBe(400);
    await shop.settle();
    expect(told(SHOP_GROUP, va.externalId)).toHaveLength(0);
    expect(told(OWNER.id, va.externalId)).toHaveLength(0);
    expect((await shop.store.payments.get(va.externalId))?.status).toBe("pending");
    expect((await shop.store.payments.get(code.externalId))?.status).toBe("pending");
  });
});
