import { describe, expect, it } from "vitest";
import { OWNER, SHOP_GROUP, shopPerFile, type Shop } from "./shop-harness.js";
import { disbursementCallback, postCallback } from "./signed-callbacks.js";

/**
 * The holder's name a bank reports comes from outside and is sent in Telegram HTML. Unescaped, a "<" in it
 * makes Telegram refuse the whole notice ("can't parse entities") for good: the owner and the group would
 * never learn that the money left. No story reported such a name (found by a mutation review).
 */

let shop: Shop;
const { told } = shopPerFile((s) => (shop = s));

describe("a transfer result whose holder name the bank writes with HTML's own characters", () => {
  it("is still told to the owner and the group, the name shown as the bank wrote it", async () => {
    const transfer = await shop.createDisbursement({ amount: 250_000, holder: "Budi Santoso", accountNumber: "1234567890" });
    const holder = "CV <MAJU> & JAYA";
    const res = await postCallback(shop.webhookUrl, "disbursement", disbursementCallback(transfer, { amount: 250_000, account_holder_name: holder }));
    expect(res.status).toBe(200);
    await shop.settle();
    for (const chatId of [OWNER.id, SHOP_GROUP]) {
      const notices = told(chatId, transfer.externalId);
      expect(notices, String(chatId)).toHaveLength(1);
      // As sent in HTML: the chat shows "CV <MAJU> & JAYA".
      expect(notices[0], String(chatId)).toContain("CV &lt;MAJU&gt; &amp; JAYA");
    }
  });
});
