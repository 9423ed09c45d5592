import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import type { TelegramUser } from "../../src/telegram-local/index.js";
import { ownerChatApp } from "./support.js";

/**
 * The bot sends the payment's photo, then records which message it is, so that the notifier can mark it
 * paid. A payment that came in between the two (the cashier's phone showed the photo at once, the record
 * waited on a slow disk or a restart) was told, but its photo went on reading "unpaid" with its "simulate
 * payment" button: the paid callback had found no message to edit, and nothing looked again.
 */

const OWNER: TelegramUser = { id: 5301, first_name: "Bu Lina" };

const shop = ownerChatApp("paid-before-message", OWNER, "toko_lina_bot");

describe("a payment that comes in before the bot has recorded its photo's message", () => {
  it("still has its photo marked paid, once", async () => {
    const { app, telegram, say, press } = shop;
    const sandbox = app.sandbox;
    if (sandbox === undefined) throw new Error("the app runs on its sandbox here");
    // The customer pays while the bot records the photo's message id: the paid callback is recorded first.
    const payments = app.store.payments;
    const recordMessage = payments.update.bind(payments);
    let paidFirst = false;
    payments.update = async (externalId, patch, options) => {
      if (patch.messageId !== undefined && !paidFirst) {
        paidFirst = true;
        sandbox.payVirtualAccount(externalId);
        for (let i = 0; i < 100 && (await payments.get(externalId))?.status !== "paid"; i++) await new Promise((r) => setTimeout(r, 20));
        expect((await payments.get(externalId))?.status).toBe("paid");
      }
      return recordMessage(externalId, patch, options);
    };

    const menu = await say("/start");
    const askBank = await press(menu, "🏦 Buat Virtual Account");
    await press(askBank, "BNI");
    await say("Siti Aminah");
    const askSingle = await say("Rp 250.000");
    const summary = await press(askSingle, "Sekali bayar");
    telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await telegram.waitForBotMessage(OWNER.id, { text: "Pembayaran diterima", timeoutMs: 5_000 });
    expect(paidFirst).toBe(true);

    const photo = telegram.calls.find((c) => c.method === "sendPhoto" && c.response.ok);
    const photoId = (photo?.response as { result: Message } | undefined)?.result.message_id;
    expect(photoId).toBeDefined();
    const edit = await telegram.waitFor((c) => c.method === "editMessageCaption" && c.response.ok, { timeoutMs: 5_000, description: "the VA photo reads PAID" });
    expect(edit.payload.message_id).toBe(photoId);
    expect(String(edit.payload.caption)).toContain("SUDAH DIBAYAR");
    expect(String(edit.payload.caption)).toContain("250.000");
    // Its "simulate payment" button is gone with the edit.
    expect(JSON.stringify(edit.payload.reply_markup ?? {})).not.toContain("sandbox");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(telegram.calls.filter((c) => c.method === "editMessageCaption" && c.response.ok)).toHaveLength(1);
  });
});
