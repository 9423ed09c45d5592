import { describe, expect, it } from "vitest";
import { disbursementCallback, postCallback } from "../webhook/signed-callbacks.js";
import { fillTransfer, OWNER, shopPerTest, SUPPLIER, textOf } from "./shop.js";

/**
 * The gateway answers a transfer with a bigger amount than confirmed: today's allowance holds the difference
 * at once. When the bank then reports the transfer COMPLETED for that same bigger amount, the difference must
 * not count a second time, or the owner is refused transfers the day's limit still allows. (Rp 3.000.000 a
 * day; confirmed 1.500.000, the gateway says 2.900.000: Rp 100.000 left, before and after the bank's result.)
 * No story held the "count once" (found by a mutation review).
 */

const shop = shopPerTest();
const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };
const CALLBACK_TOKEN = "callback-token-disburse-tests-0123456789";

async function leftToday(): Promise<string> {
  const askBank = await shop().say(OWNER, "/kirimdana");
  await shop().press(OWNER, askBank, { text: "BCA" });
  await shop().say(OWNER, "0987654321");
  const askAmount = textOf(await shop().say(OWNER, "Sari Dewi"));
  await shop().say(OWNER, "/batal");
  return askAmount;
}

describe("a transfer made bigger than confirmed, then completed for that bigger amount", () => {
  it("counts the difference against today's allowance once", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { amount: 2_900_000 } });
    const warned = await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    expect(textOf(warned)).toContain("nominalnya berbeda");
    expect(await leftToday()).toContain("sisa batas hari ini Rp 100.000");

    const made = shop().sandbox.objects().disbursements[0];
    const externalId = made?.external_id ?? "";
    const res = await postCallback(
      shop().webhookUrl,
      "disbursement",
      disbursementCallback({ externalId, gatewayId: String(made?.id ?? ""), customerName: "Budi Santoso" }, { amount: 2_900_000, status: "COMPLETED" }),
      CALLBACK_TOKEN,
    );
    expect(res.status).toBe(200);
    await shop().settle();
    expect(shop().messagesTo(OWNER.id).map((c) => String(c.payload.text ?? "")).some((t) => t.includes("Transfer terkirim"))).toBe(true);
    expect(await leftToday()).toContain("sisa batas hari ini Rp 100.000");
  });
});
