import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { disbursementCallback, postCallback } from "../webhook/signed-callbacks.js";
import { CALLBACK_TOKEN, callText, fillTransfer, OWNER, startShop, STORY_LIMITS, SUPPLIER, textOf, until, type Shop } from "./shop.js";

/**
 * An owner sends money and is told "⏳ Transfer … diterima layanan pembayaran dan sedang diproses bank". When the
 * bank's result came, it was told in a notice below, and that message stayed as it was: scrolled back to later,
 * it still read "being processed" (and, in sandbox mode, still offered to play the bank) for a transfer that had
 * gone through or failed. Now the result edits it, once, as a paid bill's QR message is edited to PAID.
 */

const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };
const PROCESSING = "sedang diproses bank";
const WENT_THROUGH = "✅ Transfer Rp 1.500.000 ke BCA 1234567890 a.n. Budi Santoso berhasil: bank melaporkan uangnya sudah terkirim.";
const FAILED = "❌ Transfer Rp 1.500.000 ke BCA 1234567890 a.n. Budi Santoso gagal: uangnya tidak terkirim.";

let shop: Shop;
beforeEach(async () => {
  // Sandbox mode's shop: a transfer sent carries "🧪 Bank: berhasil / gagal".
  shop = await startShop({ disburse: STORY_LIMITS, playsTheBank: true });
});
afterEach(async () => {
  await shop.close();
});

/** The owner sends the usual transfer; resolves to the "being processed" message and the transfer's reference. */
async function sendTransfer(): Promise<{ processing: Message; externalId: string }> {
  const summary = await fillTransfer(shop, OWNER, SUPPLIER);
  const processing = await shop.press(OWNER, summary, CONFIRM);
  expect(textOf(processing)).toContain(PROCESSING);
  return { processing, externalId: shop.sandbox.objects().disbursements[0]?.external_id ?? "" };
}

/**
 * The owner sends the usual transfer, and Telegram is slow to answer the "being processed" message: it is posted
 * at once, but its answer, with its id, reaches the bot only 2 s later. Resolves to that message as posted.
 */
async function sendTransferToldSlowly(): Promise<Message> {
  const summary = await fillTransfer(shop, OWNER, SUPPLIER);
  shop.telegram.failNext("sendMessage", 1, { answerAfterMs: 2_000 });
  const mark = shop.telegram.mark();
  shop.telegram.pressButton(OWNER, summary, CONFIRM);
  const posted = await shop.telegram.waitFor((c) => c.method === "sendMessage" && callText(c).includes(PROCESSING), { since: mark });
  return (posted.response as { result: Message }).result;
}

/** The message as the owner sees it now, scrolling back. */
const nowShown = (m: Message) => shop.telegram.messagesIn(m.chat.id).find((shown) => shown.message_id === m.message_id);
const buttonsOf = (m: Message | undefined) => (m?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
/** Edits of that message's words tried (a press of the bank's buttons takes those off at once), and those Telegram took. */
const editsTried = (m: Message) =>
  shop.telegram.calls.filter(
    (c) => (c.method === "editMessageText" || c.method === "editMessageCaption") && Number(c.payload.message_id) === m.message_id && Number(c.payload.chat_id) === m.chat.id,
  );
const editsTaken = (m: Message) => editsTried(m).filter((c) => c.response.ok);
const noticesToOwner = (words: string) => shop.messagesTo(OWNER.id).filter((c) => callText(c).includes(words));

/** The bank's COMPLETED for the transfer, reporting Rp 150.000 sent to "SITI AMINAH" (the owner sent Rp 1.500.000 to Budi Santoso). */
async function reportedOtherwise(externalId: string): Promise<void> {
  const made = shop.sandbox.objects().disbursements.find((d) => d.external_id === externalId);
  const ref = { externalId, gatewayId: made?.id ?? "", bankCode: "BCA", customerName: "Budi Santoso" };
  const result = disbursementCallback(ref, { id: made?.id, amount: 150_000, account_holder_name: "SITI AMINAH" });
  expect((await postCallback(shop.webhookUrl, "disbursement", result, CALLBACK_TOKEN)).status).toBe(200);
}

/** Long enough for the notifier (it looks every 100 ms here) to have edited again, were it going to. */
const aWhile = () => sleep(1_200);

describe("a transfer's 'being processed' message once the bank has answered", () => {
  it("the bank completes it (the demo's `bank`): the message says it went through, in WIB, without the bank's buttons, edited once", async () => {
    const { processing, externalId } = await sendTransfer();
    expect(buttonsOf(processing)).toEqual(expect.arrayContaining(["🧪 Bank: berhasil", "🧪 Bank: gagal"]));

    shop.sandbox.completeDisbursement(externalId);
    await shop.settle();
    await until("the message edited", () => editsTaken(processing).length > 0);

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain(WENT_THROUGH);
    expect(shown).toMatch(/\nWaktu: .+ WIB\n/);
    expect(shown).toContain(`Ref: ${externalId}`);
    expect(shown).not.toContain(PROCESSING);
    expect(shown).not.toContain("jangan dulu bilang ke penerima");
    expect(buttonsOf(nowShown(processing))).toEqual([]);
    // The result's notice is told below as before, once.
    expect(noticesToOwner("Transfer terkirim")).toHaveLength(1);
    await aWhile();
    expect(editsTried(processing)).toHaveLength(1);
  });

  it("the owner plays a failure with '🧪 Bank: gagal': the message says it failed and why, and keeps no button (not even the menu put back)", async () => {
    const { processing } = await sendTransfer();

    expect(await shop.pressForAnswer(OWNER, processing, { text: "🧪 Bank: gagal" })).toContain("Jawaban bank disimulasikan");
    await shop.settle();
    await until("the message edited", () => editsTaken(processing).length > 0);

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain(FAILED);
    expect(shown).toContain("Alasan: bank tujuan menolak transfer ini.");
    expect(shown).not.toContain(PROCESSING);
    expect(buttonsOf(nowShown(processing))).toEqual([]);
    // "Kirim lagi" stays where it was: under the failure's notice.
    const [notice] = noticesToOwner("Transfer gagal");
    expect(JSON.stringify(notice?.payload.reply_markup)).toContain("Kirim lagi");
    await aWhile();
    expect(editsTried(processing)).toHaveLength(1);
  });

  it("an owner who reads English sees the result in English", async () => {
    await shop.press(OWNER, await shop.say(OWNER, "/language"), "lang:en");
    await shop.press(OWNER, await shop.say(OWNER, "/disburse"), { text: "BCA" });
    await shop.say(OWNER, SUPPLIER.account);
    await shop.say(OWNER, SUPPLIER.holder);
    await shop.say(OWNER, "150rb");
    const summary = await shop.press(OWNER, await shop.say(OWNER, "Rice supplier invoice"), { text: "⏭ Skip" });
    const processing = await shop.press(OWNER, summary, { text: "✅ Send Rp 150.000" });
    expect(textOf(processing)).toContain("is being processed by the bank");

    shop.sandbox.completeDisbursement(shop.sandbox.objects().disbursements[0]?.external_id ?? "");
    await shop.settle();
    await until("the message edited", () => editsTaken(processing).length > 0);

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain("✅ The transfer of Rp 150.000 to BCA 1234567890 (Budi Santoso) went through: the bank reports the money sent.");
    expect(shown).toMatch(/\nTime: .+ WIB\n/);
    expect(buttonsOf(nowShown(processing))).toEqual([]);
  });

  it("the bank reverses a completed transfer: the message, edited to 'went through', is edited again to 'failed', once more", async () => {
    const { processing, externalId } = await sendTransfer();
    shop.sandbox.completeDisbursement(externalId);
    await until("the message edited", () => editsTaken(processing).length === 1);
    expect(textOf(nowShown(processing)!)).toContain(WENT_THROUGH);

    const [made] = shop.sandbox.objects().disbursements;
    const ref = { externalId, gatewayId: made?.id ?? "", bankCode: "BCA", customerName: "Budi Santoso" };
    const reversed = disbursementCallback(ref, {
      id: made?.id,
      status: "FAILED",
      failure_code: "INSUFFICIENT_BALANCE",
      amount: 1_500_000,
      updated: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await postCallback(shop.webhookUrl, "disbursement", reversed, CALLBACK_TOKEN)).status).toBe(200);
    await shop.settle();
    await until("the message edited again", () => editsTaken(processing).length === 2);

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain(FAILED);
    expect(shown).toContain("Alasan: saldo di Palladium tidak cukup.");
    await aWhile();
    expect(editsTried(processing)).toHaveLength(2);
  });

  it("Telegram answers the edit with 502, then 429: it is tried again until it is taken, once", async () => {
    const { processing, externalId } = await sendTransfer();
    shop.telegram.failNext("editMessageText", 1, { error_code: 502, description: "Bad Gateway" });
    shop.telegram.failNext("editMessageText", 1, { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });

    shop.sandbox.completeDisbursement(externalId);
    await until("the message edited", () => editsTaken(processing).length > 0, 10_000);
    await shop.settle();

    expect(textOf(nowShown(processing)!)).toContain(WENT_THROUGH);
    expect(buttonsOf(nowShown(processing))).toEqual([]);
    expect(editsTried(processing).map((c) => (c.response.ok ? "ok" : c.response.error_code))).toEqual([502, 429, "ok"]);
    await aWhile();
    expect(editsTaken(processing)).toHaveLength(1);
  });

  it("the owner deleted the message: the edit gives up quietly, and the result is still told", async () => {
    const { processing, externalId } = await sendTransfer();
    shop.telegram.failNext("editMessageText", 1, { error_code: 400, description: "Bad Request: message to edit not found" });

    shop.sandbox.completeDisbursement(externalId);
    await shop.settle();
    await aWhile();

    expect(editsTried(processing)).toHaveLength(1);
    expect(noticesToOwner("Transfer terkirim")).toHaveLength(1);
  });

  it("Telegram is down when the result comes and the bot restarts: after the restart the message is edited, once", async () => {
    const { processing, externalId } = await sendTransfer();
    shop.telegram.failNext("editMessageText", 1_000, { error_code: 502, description: "Bad Gateway" });

    shop.sandbox.completeDisbursement(externalId);
    await until("an edit refused", () => editsTried(processing).length > 0);
    await shop.restart();
    shop.telegram.clearFaults();
    await until("the message edited", () => editsTaken(processing).length > 0, 10_000);
    await shop.settle();

    expect(textOf(nowShown(processing)!)).toContain(WENT_THROUGH);
    expect(noticesToOwner("Transfer terkirim")).toHaveLength(1);
    await aWhile();
    expect(editsTaken(processing)).toHaveLength(1);
  });

  it("the result comes before the bot has noted which message said 'being processed' (Telegram's answer was slow): it is edited all the same, once", async () => {
    const processing = await sendTransferToldSlowly();

    shop.sandbox.completeDisbursement(shop.sandbox.objects().disbursements[0]?.external_id ?? "");
    await until("the result told", () => noticesToOwner("Transfer terkirim").length === 1);
    expect(editsTried(processing)).toHaveLength(0);
    await until("the message edited", () => editsTaken(processing).length > 0, 10_000);
    await shop.settle();

    expect(textOf(nowShown(processing)!)).toContain(WENT_THROUGH);
    expect(buttonsOf(nowShown(processing))).toEqual([]);
    await aWhile();
    expect(editsTried(processing)).toHaveLength(1);
  });

  it("the bank reports another amount and holder than sent: the message says what the bank reported, and what was sent, as the notice does", async () => {
    const { processing, externalId } = await sendTransfer();
    await reportedOtherwise(externalId);
    await until("the message edited", () => editsTaken(processing).length > 0);
    await shop.settle();

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain("✅ Transfer Rp 150.000 ke BCA 1234567890 a.n. SITI AMINAH berhasil");
    expect(shown).toContain("⚠️ Yang dikirim dari bot: jumlah Rp 1.500.000, nama Budi Santoso. Palladium melaporkan lain");
    expect(callText(noticesToOwner("Transfer terkirim")[0]!)).toContain("⚠️ Yang dikirim dari bot: jumlah Rp 1.500.000, nama Budi Santoso.");
  });

  it("the same when that result came before the bot had noted the message: the edit made then says what the bank reported", async () => {
    const processing = await sendTransferToldSlowly();

    await reportedOtherwise(shop.sandbox.objects().disbursements[0]?.external_id ?? "");
    await until("the result told", () => noticesToOwner("Transfer terkirim").length === 1);
    await until("the message edited", () => editsTaken(processing).length > 0, 10_000);
    await shop.settle();

    const shown = textOf(nowShown(processing)!);
    expect(shown).toContain("✅ Transfer Rp 150.000 ke BCA 1234567890 a.n. SITI AMINAH berhasil");
    expect(shown).toContain("⚠️ Yang dikirim dari bot: jumlah Rp 1.500.000, nama Budi Santoso.");
  });

  it("a transfer recorded by an older version (no message noted) is told its result as before, and nothing is edited", async () => {
    const { processing, externalId } = await sendTransfer();
    await until("the message noted", async () => (await shop.store.payments.get(externalId))?.processingMessageId === processing.message_id);
    await shop.store.payments.update(externalId, { processingMessageId: undefined });

    shop.sandbox.completeDisbursement(externalId);
    await shop.settle();
    await aWhile();

    expect(noticesToOwner("Transfer terkirim")).toHaveLength(1);
    expect(editsTried(processing)).toHaveLength(0);
    expect(textOf(nowShown(processing)!)).toContain(PROCESSING);
  });
});
