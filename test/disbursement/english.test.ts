import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callText, OWNER, startShop, textOf, type Shop } from "./shop.js";

let shop: Shop;
beforeEach(async () => {
  shop = await startShop({ disburse: { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000 } });
});
afterEach(async () => {
  await shop.close();
});

describe("an owner who reads English", () => {
  it("sends money in English end to end, a bad account number is re-asked in English, and hears the bank's failure in English", async () => {
    const chooser = await shop.say(OWNER, "/language");
    await shop.press(OWNER, chooser, "lang:en");

    const askBank = await shop.say(OWNER, "/disburse");
    expect(textOf(askBank)).toContain("Send money");
    const askAccount = await shop.press(OWNER, askBank, { text: "BNI" });
    expect(textOf(askAccount)).toContain("account number");
    const reasked = await shop.say(OWNER, "12345abcde");
    expect(textOf(reasked)).not.toContain("Nomor rekening");
    expect(textOf(reasked)).toMatch(/digits/i);
    expect(textOf(await shop.say(OWNER, "0123456789"))).toContain("account holder");
    expect(textOf(await shop.say(OWNER, "Siti Aminah"))).toContain("amount");
    expect(textOf(await shop.say(OWNER, "750rb"))).toContain("description");
    const askEmail = await shop.say(OWNER, "Rice supplier invoice");
    const summary = await shop.press(OWNER, askEmail, { text: "⏭ Skip" });
    const text = textOf(summary);
    for (const part of ["Check once more", "BNI", "0123456789", "Siti Aminah", "Rp 750.000", "Rice supplier invoice", "Left today: Rp 3.000.000"]) {
      expect(text).toContain(part);
    }
    expect(shop.gatewayCalls()).toBe(0);

    const sent = await shop.press(OWNER, summary, { text: "✅ Send Rp 750.000" });
    expect(textOf(sent)).toContain("accepted by the payment service");
    expect(textOf(sent)).toContain("Until then, do not tell the recipient the money has arrived.");
    expect(textOf(sent)).toContain("Left today: Rp 2.250.000");
    const [disbursement] = shop.sandbox.objects().disbursements;
    expect(disbursement).toMatchObject({ bank_code: "BNI", account_number: "0123456789", amount: 750_000 });
    expect(await shop.store.payments.get(disbursement?.external_id ?? "")).toMatchObject({ kind: "disbursement", locale: "en" });

    shop.sandbox.failDisbursement(disbursement?.external_id ?? "", "TEMPORARY_BANK_NETWORK_ERROR");
    await shop.settle();
    const failure = shop.messagesTo(OWNER.id).map(callText).find((t) => t.includes("Transfer failed"));
    expect(failure).toContain("Rp 750.000");
    expect(failure).toContain("the bank's network is having trouble");
    const notice = shop.telegram.messagesIn(OWNER.id).find((m) => textOf(m).includes("Transfer failed"));
    expect((notice?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual(["🔁 Send again"]);
    if (notice === undefined) throw new Error("no failed-transfer notice");
    const again = await shop.press(OWNER, notice, { text: "🔁 Send again" });
    expect(textOf(again)).toContain("Send again the failed transfer");
    expect(textOf(again)).toContain("0123456789");
  });
});
