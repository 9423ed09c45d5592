import { describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP, type Shop, shopPerFile } from "./shop-harness.js";

/**
 * A shop trying the bot in sandbox mode (a real bot token, no Palladium key) with its real group linked: a
 * simulated payment must not read like money received, or a cashier may hand over goods for it.
 */
let shop: Shop;
const { told, captionOf } = shopPerFile((started) => (shop = started), { notifier: { sandboxMode: true } });

describe("notices in sandbox mode", () => {
  it("say on their first line that the payment is a simulation, in the notice and in the paid message", async () => {
    const va = await shop.createVirtualAccount({ amount: 333_000, name: "Tes Sandbox" });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    for (const chatId of [SHOP_GROUP, CASHIER.id]) {
      const [notice, ...more] = told(chatId, va.externalId);
      expect(more).toHaveLength(0);
      expect(notice?.split("\n")[0]).toBe("🧪 Mode sandbox: semua transaksi di sini simulasi, tidak ada uang sungguhan.");
      expect(notice).toContain("Rp 333.000");
    }
    expect(captionOf(CASHIER.id, va.messageId).split("\n")[0]).toBe("🧪 Mode sandbox: semua transaksi di sini simulasi, tidak ada uang sungguhan.");
  });
});
