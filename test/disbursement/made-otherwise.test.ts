import { describe, expect, it } from "vitest";
import { callText, fillTransfer, OWNER, SHOP_GROUP, shopPerTest, SUPPLIER, textOf } from "./shop.js";

/**
 * The gateway answers a transfer with another amount or account number than the owner confirmed: it made
 * something, and not what was asked. The owner was warned, but not told what the gateway answered; a bigger
 * amount was held against today's limit only as confirmed; and "Coba lagi (aman, tidak dobel)" under the
 * warning turned it, on the gateway's "made already", into a plain "accepted" with the warning gone.
 */

const shop = shopPerTest();
const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };

const buttonsOf = (m: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } }) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

describe("a transfer the gateway made otherwise than confirmed", () => {
  it("another account number: the warning names the number the gateway answered, and offers no 'Coba lagi'", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { account_number: "9999999999" } });
    const warned = await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    expect(textOf(warned)).toContain("nomor rekeningnya berbeda");
    expect(textOf(warned)).toContain("Jawaban layanan pembayaran: 9999999999.");
    expect(buttonsOf(warned).some((b) => b.includes("Coba lagi"))).toBe(false);
  });

  it("another account number, then completed: the result's notice warns again, in the group too", async () => {
    shop().telegram.addBotToGroup(SHOP_GROUP, OWNER);
    await shop().say(OWNER, "/linkgroup", SHOP_GROUP);
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { account_number: "9999999999" } });
    await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    shop().sandbox.completeDisbursement(shop().sandbox.objects().disbursements[0]?.external_id ?? "");
    await shop().settle();
    for (const chatId of [OWNER.id, SHOP_GROUP.id]) {
      const notice = shop().messagesTo(chatId).map(callText).find((t) => t.includes("Transfer terkirim")) ?? "";
      expect(notice, String(chatId)).toContain("Palladium menjawab dengan nomor rekening <b>9999999999</b>, berbeda dari yang dikonfirmasi");
    }
  });

  it("a bigger amount: the warning names it, and today's allowance holds it, not only the amount confirmed", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { amount: 2_900_000 } });
    const warned = await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    expect(textOf(warned)).toContain("nominalnya berbeda");
    expect(textOf(warned)).toContain("Jawaban layanan pembayaran: Rp 2.900.000.");
    const askBank = await shop().say(OWNER, "/kirimdana");
    await shop().press(OWNER, askBank, { text: "BCA" });
    await shop().say(OWNER, "0987654321");
    // 3.000.000 a day, of which the gateway says 2.900.000 may be leaving.
    expect(textOf(await shop().say(OWNER, "Sari Dewi"))).toContain("sisa batas hari ini Rp 100.000");
  });

  it("a bigger amount, then the bank's FAILED: all of it is given back to today's allowance, the bigger part too", async () => {
    shop().sandbox.injectFault({ endpoint: "create-disbursement", answerChanges: { amount: 2_900_000 } });
    await shop().press(OWNER, await fillTransfer(shop(), OWNER, SUPPLIER), CONFIRM);
    shop().sandbox.failDisbursement(shop().sandbox.objects().disbursements[0]?.external_id ?? "");
    await shop().settle();
    expect(shop().messagesTo(OWNER.id).map(callText).some((t) => t.includes("Transfer gagal"))).toBe(true);
    // Nothing left the account: the whole day's 3.000.000 can be sent, as if the transfer had never been.
    const askBank = await shop().say(OWNER, "/kirimdana");
    await shop().press(OWNER, askBank, { text: "BCA" });
    await shop().say(OWNER, "0987654321");
    const askAmount = await shop().say(OWNER, "Sari Dewi");
    expect(textOf(askAmount)).toContain("sisa batas hari ini Rp 3.000.000");
  });
});

