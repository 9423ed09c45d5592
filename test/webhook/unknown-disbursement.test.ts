import { describe, expect, it } from "vitest";
import { OWNER, SHOP_GROUP, type Shop, shopPerFile } from "./shop-harness.js";
import { disbursementCallback, postCallback } from "./signed-callbacks.js";

/**
 * A transfer result for an external_id the bot never issued: money went out (or failed to) from the
 * merchant's Palladium account without the bot. The owner must read it as an outgoing transfer, with its
 * status and why it failed, not as "a payment came in".
 */

let shop: Shop;
const { told } = shopPerFile((started) => (shop = started));


describe("a transfer result for a reference the bot does not know", () => {
  it("a failed one reaches the owner once as an outgoing transfer, with its status, amount, bank and failure code", async () => {
    const callback = disbursementCallback(
      { externalId: "not-ours-disb-77", gatewayId: "gw-77", customerName: "Toko Sebelah" },
      { amount: 25_000_000, bank_code: "BNI", status: "FAILED", failure_code: "INSUFFICIENT_BALANCE" },
    );
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postCallback(shop.webhookUrl, "disbursement", callback));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await answers[0]?.json()).toMatchObject({ result: "unknown-external-id" });
    await shop.settle();

    const toOwner = told(OWNER.id, "not-ours-disb-77");
    expect(toOwner).toHaveLength(1);
    const text = toOwner[0] ?? "";
    expect(text).toContain("Transfer keluar yang tidak dikenal bot");
    expect(text).toContain("Status: ❌ gagal (FAILED)");
    expect(text).toContain("Rp 25.000.000");
    expect(text).toContain("Ke: BNI a.n. Toko Sebelah");
    expect(text).toContain("saldo di Palladium tidak cukup");
    expect(text).toContain("INSUFFICIENT_BALANCE");
    expect(text).not.toContain("Pembayaran masuk");
    expect(told(SHOP_GROUP, "not-ours-disb-77")).toHaveLength(0);
  });

  it("a completed one says the money left", async () => {
    const callback = disbursementCallback({ externalId: "not-ours-disb-78", gatewayId: "gw-78", customerName: "Pak Harto" }, { amount: 1_200_000 });
    expect((await postCallback(shop.webhookUrl, "disbursement", callback)).status).toBe(200);
    await shop.settle();
    const [text] = told(OWNER.id, "not-ours-disb-78");
    expect(text).toContain("Transfer keluar yang tidak dikenal bot");
    expect(text).toContain("Status: ✅ terkirim (COMPLETED)");
    expect(text).toContain("Rp 1.200.000");
    expect(text).not.toContain("Pembayaran masuk");
    expect(text).not.toContain("Alasan");
  });
});
