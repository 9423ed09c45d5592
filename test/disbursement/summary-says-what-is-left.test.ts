import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { CO_OWNER, fillTransfer, OWNER, shopPerTest, SUPPLIER, textOf } from "./shop.js";

/**
 * A transfer's summary is what the owner checks before money leaves. With less left today than its amount
 * (another owner sent meanwhile, or a failure sent again late in the day) it read "left today Rp 1.000.000
 * (after this transfer Rp 0)" over a button that then refused it; and shown again by a second "Kirim lagi",
 * it promised the whole 5 minutes of a draft that had one left.
 */

const shop = shopPerTest();

const SEND_AGAIN = { text: "🔁 Kirim lagi" };
const SHORT = "Sisa batas hari ini tinggal Rp 1.000.000 (batas harian Rp 3.000.000), kurang dari nominal ini";

async function failedNotice(): Promise<Message> {
  const summary = await fillTransfer(shop(), OWNER, SUPPLIER);
  await shop().press(OWNER, summary, { text: "✅ Kirim Rp 1.500.000" });
  shop().sandbox.failDisbursement(shop().sandbox.objects().disbursements.at(-1)?.external_id ?? "", "INSUFFICIENT_BALANCE");
  await shop().settle();
  const notice = shop().telegram.messagesIn(OWNER.id).find((m) => textOf(m).includes("Transfer gagal"));
  if (notice === undefined) throw new Error("no failed notice");
  return notice;
}

describe("the summary's line on today's allowance", () => {
  it("says what is left after the transfer when it fits", async () => {
    const text = textOf(await fillTransfer(shop(), OWNER, SUPPLIER));
    expect(text).toContain("Sisa batas hari ini: Rp 3.000.000 (setelah transfer ini Rp 1.500.000; batas harian Rp 3.000.000)");
    expect(text).toContain("berlaku 5 menit");
  });

  it("warns that the button will refuse it when another owner sent money while it was typed", async () => {
    const other = await fillTransfer(shop(), CO_OWNER, { account: "0987654321", holder: "Sari Dewi", amount: "2jt", description: "Sewa" });
    const askBank = await shop().say(OWNER, "/kirimdana");
    await shop().press(OWNER, askBank, { text: "BCA" });
    await shop().say(OWNER, "1234567890");
    await shop().say(OWNER, "Budi Santoso");
    await shop().say(OWNER, "1,5jt");
    await shop().press(CO_OWNER, other, { text: "✅ Kirim Rp 2.000.000" });
    const askEmail = await shop().say(OWNER, "Bayar supplier");
    const text = textOf(await shop().press(OWNER, askEmail, { text: "⏭ Lewati" }));
    expect(text).toContain(SHORT);
    expect(text).not.toContain("setelah transfer ini");
  });

  it("warns likewise on a failure sent again when less is left today than it", async () => {
    const notice = await failedNotice();
    const other = await fillTransfer(shop(), OWNER, { account: "0987654321", holder: "Sari Dewi", amount: "2jt", description: "Sewa kios" });
    await shop().press(OWNER, other, { text: "✅ Kirim Rp 2.000.000" });
    const text = textOf(await shop().press(OWNER, notice, SEND_AGAIN));
    expect(text).toContain(SHORT);
  });

  it("shown again by a second 'Kirim lagi', gives the minutes its draft has left", async () => {
    const notice = await failedNotice();
    expect(textOf(await shop().press(OWNER, notice, SEND_AGAIN))).toContain("berlaku 5 menit");
    shop().advanceClock(4 * 60_000 + 30_000);
    expect(textOf(await shop().press(OWNER, notice, SEND_AGAIN))).toContain("berlaku 1 menit");
  });
});
