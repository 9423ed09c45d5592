import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failedTransferButtons } from "../../src/bot/features/disbursement.js";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { createI18n } from "../../src/i18n.js";
import { callText, fillTransfer, OWNER, SHOP_GROUP, startShop, textOf, type Shop } from "./shop.js";

let shop: Shop;
beforeEach(async () => {
  shop = await startShop({ disburse: { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000 } });
});
afterEach(async () => {
  await shop.close();
});

const SUPPLIER = {
  account: "1234567890",
  holder: "Budi Santoso",
  amount: "1,5jt",
  description: "Bayar supplier beras",
  emails: { to: "budi@beras.co.id", bcc: "arsip@tokowati.id" },
};
const SEND_AGAIN = { text: "🔁 Kirim lagi" };
const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };

/** The owner sends the supplier's transfer and the bank fails it for want of balance; resolves to its external_id. */
async function failedTransfer(): Promise<string> {
  const summary = await fillTransfer(shop, OWNER, SUPPLIER);
  await shop.press(OWNER, summary, CONFIRM);
  const externalId = shop.sandbox.objects().disbursements[0]?.external_id ?? "";
  shop.sandbox.failDisbursement(externalId, "INSUFFICIENT_BALANCE");
  await shop.settle();
  return externalId;
}

/** Palladium's newer word on a failed transfer: COMPLETED, an hour after its FAILED. */
async function reportCompletedAfterAll(failedId: string): Promise<void> {
  const failed = shop.sandbox.objects().disbursements.find((d) => d.external_id === failedId);
  const completed = {
    id: failed?.id,
    user_id: "5f8f2f3e9d5b4a0012345678",
    external_id: failedId,
    amount: 1_500_000,
    bank_code: "BCA",
    account_holder_name: "Budi Santoso",
    disbursement_description: "Bayar supplier beras",
    status: "COMPLETED",
    created: new Date(Date.now() - 60_000).toISOString(),
    updated: new Date(Date.now() + 3_600_000).toISOString(),
  };
  const answer = await fetch(`${shop.webhookUrl}${CALLBACK_PATHS.disbursement}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: "callback-token-disburse-tests-0123456789" },
    body: JSON.stringify(completed),
  });
  expect(answer.status).toBe(200);
  await shop.settle();
}

function failedNotice(chatId: number): Message {
  const notice = shop.telegram.messagesIn(chatId).find((m) => textOf(m).includes("Transfer gagal"));
  if (notice === undefined) throw new Error(`no failed-transfer notice in chat ${chatId}`);
  return notice;
}

const buttonsOf = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

describe("the owner sends a failed transfer again from its notice", () => {
  it("after 'saldo tidak cukup' one press shows the same transfer to confirm, and confirming sends it as a new transfer", async () => {
    const failedId = await failedTransfer();
    const notice = failedNotice(OWNER.id);
    expect(textOf(notice)).toContain("saldo di Palladium tidak cukup");
    expect(buttonsOf(notice)).toEqual(["🔁 Kirim lagi"]);
    // The shop group hears of the failure but cannot send money from it.
    expect(buttonsOf(failedNotice(SHOP_GROUP.id))).toEqual([]);

    const summary = await shop.press(OWNER, notice, SEND_AGAIN);
    const text = textOf(summary);
    expect(text).toContain(`Kirim lagi transfer yang gagal (Ref ${failedId})`);
    for (const part of ["BCA", "1234567890", "Budi Santoso", "Rp 1.500.000", "Bayar supplier beras", "ke budi@beras.co.id, bcc arsip@tokowati.id"]) {
      expect(text).toContain(part);
    }
    // The failure gave the amount back, so today's allowance is whole again.
    expect(text).toContain("Sisa batas hari ini: Rp 3.000.000 (setelah transfer ini Rp 1.500.000");
    expect(buttonsOf(summary)).toEqual(["✅ Kirim Rp 1.500.000", "✖ Batal"]);
    // Nothing is sent before the owner confirms.
    expect(shop.gatewayCalls()).toBe(1);

    expect(textOf(await shop.press(OWNER, summary, CONFIRM))).toContain("sedang diproses bank");
    const disbursements = shop.sandbox.objects().disbursements;
    expect(disbursements).toHaveLength(2);
    const resent = disbursements[1];
    expect(resent).toMatchObject({ bank_code: "BCA", account_number: "1234567890", account_name: "Budi Santoso", amount: 1_500_000 });
    expect(resent?.external_id).not.toBe(failedId);
    expect(await shop.store.payments.get(resent?.external_id ?? "")).toMatchObject({
      status: "pending",
      receiptEmails: { to: "budi@beras.co.id", bcc: "arsip@tokowati.id" },
    });

    shop.sandbox.completeDisbursement(resent?.external_id ?? "");
    await shop.settle();
    expect(shop.messagesTo(OWNER.id).map(callText).filter((t) => t.includes("Transfer terkirim"))).toHaveLength(1);

    // The failed notice's button has done its work: pressed again, it sends nothing more.
    expect(await shop.pressForAnswer(OWNER, notice, SEND_AGAIN)).toContain("sudah dikirim lagi");
    expect(shop.gatewayCalls()).toBe(2);
  });

  it("a double tap on 'Kirim lagi' shows one transfer twice, and it can be confirmed only once", async () => {
    await failedTransfer();
    const notice = failedNotice(OWNER.id);
    const first = await shop.press(OWNER, notice, SEND_AGAIN);
    const second = await shop.press(OWNER, notice, SEND_AGAIN);
    expect(textOf(second)).toContain("Kirim lagi transfer yang gagal");

    await shop.press(OWNER, first, CONFIRM);
    expect(await shop.pressForAnswer(OWNER, second, CONFIRM)).toContain("sudah dikirim");
    expect(shop.sandbox.objects().disbursements).toHaveLength(2);
  });

  it("a resend cancelled at its summary can be made again", async () => {
    await failedTransfer();
    const notice = failedNotice(OWNER.id);
    const cancelled = await shop.press(OWNER, notice, SEND_AGAIN);
    expect(textOf(await shop.press(OWNER, cancelled, { text: "✖ Batal" }))).toContain("Dibatalkan");

    const again = await shop.press(OWNER, notice, SEND_AGAIN);
    expect(textOf(again)).toContain("Kirim lagi transfer yang gagal");

    await shop.press(OWNER, again, CONFIRM);
    expect(shop.sandbox.objects().disbursements).toHaveLength(2);
    expect(shop.gatewayCalls()).toBe(2);
  });

  it("a transfer the bank failed for its account number offers no 'Kirim lagi': the same details would fail again, and the reason says to start anew", async () => {
    const summary = await fillTransfer(shop, OWNER, SUPPLIER);
    await shop.press(OWNER, summary, CONFIRM);
    shop.sandbox.failDisbursement(shop.sandbox.objects().disbursements[0]?.external_id ?? "", "INVALID_DESTINATION");
    await shop.settle();
    const notice = failedNotice(OWNER.id);
    expect(textOf(notice)).toContain("Periksa nomor dan banknya.");
    expect(buttonsOf(notice)).toEqual([]);
  });

  it("when the bank reports the failed transfer completed after all, 'Kirim lagi' sends nothing", async () => {
    const failedId = await failedTransfer();
    const notice = failedNotice(OWNER.id);
    await reportCompletedAfterAll(failedId);
    expect((await shop.store.payments.get(failedId))?.status).toBe("completed");

    expect(await shop.pressForAnswer(OWNER, notice, SEND_AGAIN)).toContain("ternyata berhasil");
    expect(shop.gatewayCalls()).toBe(1);
    expect(shop.telegram.messagesIn(OWNER.id).some((m) => textOf(m).includes("Kirim lagi transfer yang gagal"))).toBe(false);
  });

  it("a resend whose failed transfer is reported completed while its summary waits is not sent when confirmed", async () => {
    const failedId = await failedTransfer();
    const summary = await shop.press(OWNER, failedNotice(OWNER.id), SEND_AGAIN);
    await reportCompletedAfterAll(failedId);

    expect(await shop.pressForAnswer(OWNER, summary, CONFIRM)).toContain("ternyata berhasil");
    expect(shop.gatewayCalls()).toBe(1);
    expect(shop.sandbox.objects().disbursements).toHaveLength(1);
    const closed = await shop.telegram.waitFor((c) => c.method === "editMessageText" && c.payload.message_id === summary.message_id, {
      description: "the summary closed",
    });
    expect(String(closed.payload.text)).toContain("Tidak dikirim: transfer sebelumnya (yang dilaporkan gagal) ternyata berhasil.");
  });

  it("when the failed transfer is reported completed after its resend left, the owner is warned the money may have gone twice", async () => {
    const failedId = await failedTransfer();
    const summary = await shop.press(OWNER, failedNotice(OWNER.id), SEND_AGAIN);
    await shop.press(OWNER, summary, CONFIRM);
    const resendId = shop.sandbox.objects().disbursements[1]?.external_id ?? "";
    expect(resendId).not.toBe("");

    await reportCompletedAfterAll(failedId);
    const overturned = shop.messagesTo(OWNER.id).map(callText).filter((t) => t.includes("Transfer terkirim") && t.includes(failedId));
    expect(overturned).toHaveLength(1);
    expect(overturned[0]).toContain(`juga sudah dikirim ulang lewat "Kirim lagi" (Ref <code>${resendId}</code>): uangnya mungkin keluar dua kali`);
  });

  it("the warning follows a chain of resends to the one that left", async () => {
    const failedId = await failedTransfer();
    await shop.press(OWNER, await shop.press(OWNER, failedNotice(OWNER.id), SEND_AGAIN), CONFIRM);
    const firstResend = shop.sandbox.objects().disbursements[1]?.external_id ?? "";
    shop.sandbox.failDisbursement(firstResend, "TEMPORARY_BANK_NETWORK_ERROR");
    await shop.settle();
    // The first resend's own notice, and its own "Kirim lagi".
    const resendFailed = shop.telegram.messagesIn(OWNER.id).find((m) => textOf(m).includes("Transfer gagal") && textOf(m).includes(firstResend));
    if (resendFailed === undefined) throw new Error("no failed notice for the first resend");
    await shop.press(OWNER, await shop.press(OWNER, resendFailed, SEND_AGAIN), CONFIRM);
    const secondResend = shop.sandbox.objects().disbursements[2]?.external_id ?? "";
    expect(secondResend).not.toBe("");

    await reportCompletedAfterAll(failedId);
    const overturned = shop.messagesTo(OWNER.id).map(callText).filter((t) => t.includes("Transfer terkirim") && t.includes(failedId));
    expect(overturned[0]).toContain(`(Ref <code>${secondResend}</code>): uangnya mungkin keluar dua kali`);
  });

  it("is not offered under a FAILED the bot did not believe (the transfer stays recorded as sent), nor to a cashier", () => {
    const buttons = failedTransferButtons(createI18n(), [OWNER.id]);
    const failed = {
      type: "disbursement-result" as const,
      chatId: OWNER.id,
      locale: "id",
      externalId: "pb-failed-1",
      amount: 1_500_000,
      bankCode: "BCA",
      accountHolderName: "Budi Santoso",
      status: "failed" as const,
      at: new Date().toISOString(),
    };
    expect(buttons(failed, OWNER.id)?.inline_keyboard.flat().map((b) => b.text)).toEqual(["🔁 Kirim lagi"]);
    expect(buttons({ ...failed, keptAs: "completed" }, OWNER.id)).toBeUndefined();
    expect(buttons({ ...failed, chatId: 2002 }, 2002)).toBeUndefined();
  });
});
