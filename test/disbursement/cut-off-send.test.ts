import { setTimeout as sleep } from "node:timers/promises";
import type { Transformer } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createDisbursementAllowance, SENDS_QUEUE, type DisbursementDraft } from "../../src/disbursement/index.js";
import { callText, fillTransfer, OWNER, startShop, textOf, until, type Shop } from "./shop.js";

/**
 * A deploy (or a crash) while the gateway is slow to answer a confirmed transfer: the bot that called it is
 * gone before the answer comes. After the restart, once the send's bound has passed, the owner must hear it
 * is uncertain and be able to finish it, paying once. The bound is injected (a real one is about a minute).
 */

const BOUND_MS = 1_500;
/** The gateway makes the transfer at once and answers this late: under the client's 5 s timeout. */
const SLOW_MS = 3_000;
const LIMITS = { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000 };
const SUPPLIER = { account: "1234567890", holder: "Budi Santoso", amount: "1,5jt", description: "Bayar supplier beras" };
const CONFIRM = { text: "✅ Kirim Rp 1.500.000" };
const RETRY = { text: "🔁 Coba lagi (aman, tidak dobel)" };

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const draftOf = async (s: Shop, summary: Message) => {
  const data = (summary.reply_markup?.inline_keyboard[0]?.[0] as { callback_data?: string } | undefined)?.callback_data ?? "";
  return (await s.store.namespace("disbursement-drafts").get(data.split(":")[2] ?? "")) as DisbursementDraft | undefined;
};
const remainingToday = (s: Shop) => createDisbursementAllowance({ store: s.store, ...{ maxAmount: 2_000_000, dailyLimit: 3_000_000 }, now: () => new Date() }).remainingToday();
const uncertainEdits = (s: Shop, messageId: number) =>
  s.telegram.calls.filter((c) => c.method === "editMessageText" && c.payload.message_id === messageId && c.response.ok && callText(c).includes("belum pasti"));
const sendsInFlight = async (s: Shop) => (await s.store.queues.stats(SENDS_QUEUE)).depth;

/** The owner confirms; the gateway makes the transfer and is slow to say so; the bot is restarted meanwhile. */
async function confirmThenRestartMidCall(s: Shop): Promise<{ summary: Message; externalId: string }> {
  const summary = await fillTransfer(s, OWNER, SUPPLIER);
  s.sandbox.injectFault({ endpoint: "create-disbursement", when: "after", delayMs: SLOW_MS });
  expect(await s.pressForAnswer(OWNER, summary, CONFIRM)).toBe("⏳ Mengirim…");
  await until("the gateway to make the transfer", () => s.sandbox.objects().disbursements.length === 1);
  // As the app's shutdown: long polling gets a moment, the slow call is cut off, the store is closed.
  await s.restart({ graceMs: 200 });
  return { summary, externalId: s.sandbox.objects().disbursements[0]?.external_id ?? "" };
}

describe("a transfer whose sending was cut off is never left silent", () => {
  it("is called uncertain on the summary once its bound has passed, and 'Coba lagi' pays it exactly once", async () => {
    shop = await startShop({ disburse: { ...LIMITS, disburseSendBoundMs: BOUND_MS } });
    const s = shop;
    const { summary, externalId } = await confirmThenRestartMidCall(s);
    expect((await draftOf(s, summary))?.state).toBe("sending");

    const told = await s.telegram.waitFor(
      (c) => c.method === "editMessageText" && c.payload.message_id === summary.message_id && callText(c).includes("belum pasti"),
      { since: 0, timeoutMs: 8_000, description: "the summary edited to say the transfer is uncertain" },
    );
    expect(told.response.ok).toBe(true);
    const edited = s.telegram.messagesIn(OWNER.id).find((m) => m.message_id === summary.message_id);
    expect(textOf(edited as Message)).toContain("Transfer Rp 1.500.000 ke BCA 1234567890 a.n. Budi Santoso");
    expect(textOf(edited as Message)).toContain("nomor transaksinya tetap sama");
    expect(edited?.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([RETRY.text]);
    expect((await draftOf(s, summary))?.state).toBe("uncertain");
    // An edit makes no sound: a reply to the summary does, once.
    await s.telegram.waitForBotMessage(OWNER.id, { text: "belum pasti terkirim", since: 0, timeoutMs: 8_000 });
    const notices = s.telegram
      .messagesIn(OWNER.id)
      .filter((m) => m.reply_to_message?.message_id === summary.message_id && textOf(m).includes("belum pasti terkirim"));
    expect(notices.map(textOf)).toEqual(["⚠️ Transfer Rp 1.500.000 ke BCA 1234567890 a.n. Budi Santoso belum pasti terkirim. Tekan \"Coba lagi\" pada pesan yang dibalas ini: uang tidak akan terkirim dua kali."]);

    // Until it is known, it shows among the payments and keeps its share of today's allowance.
    const list = textOf(await s.say(OWNER, "/payments"));
    expect(list).toContain("⏳ Menunggu ↗️ Keluar BCA 1234567890");
    expect(await remainingToday(s)).toBe(1_500_000);

    const sent = await s.press(OWNER, edited as Message, RETRY);
    expect(textOf(sent)).toContain("sedang diproses bank");
    expect(textOf(sent)).toContain("Sisa batas hari ini: Rp 1.500.000");
    const atGateway = s.sandbox.objects().disbursements.filter((d) => d.external_id === externalId);
    expect(atGateway).toHaveLength(1);
    const recorded = (await s.store.payments.listRecent({ limit: 50 })).filter((p) => p.externalId === externalId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ kind: "disbursement", status: "pending", amount: 1_500_000, gatewayId: atGateway[0]?.id });
    expect(await remainingToday(s)).toBe(1_500_000);
    expect(uncertainEdits(s, summary.message_id)).toHaveLength(1);
    expect(await sendsInFlight(s)).toBe(0);

    s.sandbox.completeDisbursement(externalId);
    await s.settle();
    expect((await s.store.payments.get(externalId))?.status).toBe("completed");
    expect(s.messagesTo(OWNER.id).map(callText).some((t) => t.includes("Transfer terkirim"))).toBe(true);
  });

  it("takes the bank's answer arriving meanwhile as the shop's transfer, and then offers no retry", async () => {
    shop = await startShop({ disburse: { ...LIMITS, disburseSendBoundMs: BOUND_MS } });
    const s = shop;
    const { summary, externalId } = await confirmThenRestartMidCall(s);
    s.sandbox.completeDisbursement(externalId);
    await s.settle();
    const toOwner = s.messagesTo(OWNER.id).map(callText);
    expect(toOwner.some((t) => t.includes("Transfer terkirim") && t.includes("Rp 1.500.000"))).toBe(true);
    expect(toOwner.some((t) => t.includes("tidak dikenal"))).toBe(false);
    expect((await s.store.payments.get(externalId))?.status).toBe("completed");

    await until("the watch to conclude the cut-off send", async () => (await sendsInFlight(s)) === 0);
    expect((await draftOf(s, summary))?.state).toBe("sent");
    expect(uncertainEdits(s, summary.message_id)).toHaveLength(0);
    expect(await remainingToday(s)).toBe(1_500_000);
    expect(s.sandbox.objects().disbursements.filter((d) => d.external_id === externalId)).toHaveLength(1);
  });

  it("leaves a live send that is slow but within its bound alone", async () => {
    shop = await startShop({ disburse: { ...LIMITS, disburseSendBoundMs: 3_000 } });
    const s = shop;
    const summary = await fillTransfer(s, OWNER, SUPPLIER);
    s.sandbox.injectFault({ endpoint: "create-disbursement", when: "after", delayMs: 2_000 });
    // The watch looks every 50 ms all through the 2 s the gateway takes.
    const sent = await s.press(OWNER, summary, CONFIRM);
    expect(textOf(sent)).toContain("sedang diproses bank");
    expect((await draftOf(s, summary))?.state).toBe("sent");
    expect(await sendsInFlight(s)).toBe(0);

    // And once its bound has passed, a send that ended is not called anything.
    await sleep(1_500);
    expect(uncertainEdits(s, summary.message_id)).toHaveLength(0);
    expect(s.messagesTo(OWNER.id).map(callText).some((t) => t.includes("belum pasti"))).toBe(false);
    expect((await draftOf(s, summary))?.state).toBe("sent");
    expect(s.gatewayCalls()).toBe(1);
  });

  it("tells the owner when the process stops after the send found it uncertain but before the owner heard", async () => {
    // The reply with "Coba lagi" never leaves: the process is cut off in that moment.
    let replyHeld = false;
    const holdUncertainReply: Transformer = async (prev, method, payload, signal) => {
      if (!replyHeld && method === "sendMessage" && String((payload as { text?: unknown }).text ?? "").includes("belum pasti")) {
        replyHeld = true;
        return new Promise(() => undefined) as never;
      }
      return prev(method, payload, signal);
    };
    shop = await startShop({ disburse: { ...LIMITS, disburseSendBoundMs: BOUND_MS, apiTransformers: [holdUncertainReply] } });
    const summary = await fillTransfer(shop, OWNER, SUPPLIER);
    // The gateway makes it, and both of the client's attempts lose the answer: the send concludes "uncertain".
    shop.sandbox.injectFault({ endpoint: "create-disbursement", when: "after", status: 503, times: 2 });
    shop.telegram.pressButton(OWNER, summary, CONFIRM);
    const s = shop;
    await until("the uncertain reply to be on its way", () => replyHeld);
    await s.restart({ graceMs: 200 });

    await until("the owner to be told, with the retry button", () => uncertainEdits(s, summary.message_id).length === 1);
    // The watch completes the timer right after the edit returns.
    await until("the timer to be done", async () => (await sendsInFlight(s)) === 0);
    expect((await draftOf(s, summary))?.state).toBe("uncertain");
    expect(uncertainEdits(s, summary.message_id)).toHaveLength(1);
    expect(s.sandbox.objects().disbursements).toHaveLength(1);
  });
});
