import { describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, shopPerFile, type Shop } from "./shop-harness.js";
import { postCallback, retailOutletPaid } from "./signed-callbacks.js";

/**
 * A gateway that also posts an Alfamart code's other states here (Xendit's fixed payment codes have PENDING,
 * EXPIRED, FAILED) must not have the cashier and the group told "paid", and the bill marked SUDAH DIBAYAR,
 * for money that never came. No story sent such a status (found by a mutation review).
 */

let shop: Shop;
const { told } = shopPerFile((s) => (shop = s));

describe("an Alfamart callback whose status is not a payment", () => {
  for (const status of ["PENDING", "EXPIRED", "FAILED"]) {
    it(`(${status}) is refused, tells nobody, and leaves the bill unpaid`, async () => {
      const bill = await shop.createRetailPayment({ amount: 150_000, name: "Sari Dewi" });
      const res = await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(bill, { amount: 150_000, status }));
      expect(res.status).toBe(400);
      await shop.settle();
      expect((await shop.store.payments.get(bill.externalId))?.status).toBe("pending");
      expect(told(CASHIER.id, bill.externalId)).toEqual([]);
      expect(told(SHOP_GROUP, bill.externalId)).toEqual([]);
    });
  }

  it("while COMPLETED (any case) is still told as paid", async () => {
    const bill = await shop.createRetailPayment({ amount: 150_000, name: "Sari Dewi" });
    const res = await postCallback(shop.webhookUrl, "retail-outlet-paid", retailOutletPaid(bill, { amount: 150_000, status: "completed" }));
    expect(res.status).toBe(200);
    await shop.settle();
    expect((await shop.store.payments.get(bill.externalId))?.status).toBe("paid");
    expect(told(SHOP_GROUP, bill.externalId)).toHaveLength(1);
  });
});
