import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fillTransfer, OWNER, startShop, textOf, type Shop } from "./shop.js";

/**
 * Every question of the transfer flow tells the owner that /cancel stops it. The flow itself ends when the
 * summary is shown, but the transfer is not decided until a button is pressed: /cancel there must stop it.
 */

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(async () => {
  await shop.close();
});

const SUPPLIER = { account: "1234567890", holder: "Budi Santoso", amount: "1,5jt", description: "Bayar supplier" };
const SEND = { text: "✅ Kirim Rp 1.500.000" };

describe("/cancel typed at a transfer's summary", () => {
  it("cancels the transfer and takes its buttons off: nothing is sent", async () => {
    const summary = await fillTransfer(shop, OWNER, SUPPLIER);
    expect(textOf(await shop.say(OWNER, "/cancel"))).toBe("Dibatalkan. Tidak ada uang yang dikirim.");
    const shown = shop.telegram.messagesIn(OWNER.id).find((m) => m.message_id === summary.message_id);
    expect(shown?.reply_markup?.inline_keyboard ?? []).toHaveLength(0);

    // A client still showing the old buttons gets the ✖ Batal answer: the draft itself is cancelled.
    const data = (summary.reply_markup?.inline_keyboard[0]?.[0] as { callback_data?: string } | undefined)?.callback_data ?? "";
    expect(await shop.store.namespace("disbursement-drafts").get(data.split(":")[2] ?? "")).toMatchObject({ state: "cancelled" });
    expect(shop.gatewayCalls()).toBe(0);
    expect(shop.sandbox.objects().disbursements).toHaveLength(0);
    // Nothing is left to cancel now.
    expect(textOf(await shop.say(OWNER, "/cancel"))).toBe("Tidak ada yang sedang berjalan.");
  });

  it("midway, at a question, is told in money's words too (not 'nothing was created'), and nothing reaches the gateway", async () => {
    const askBank = await shop.say(OWNER, "/kirimdana");
    await shop.press(OWNER, askBank, { text: "BCA" });
    await shop.say(OWNER, SUPPLIER.account);
    await shop.say(OWNER, SUPPLIER.holder);
    expect(textOf(await shop.say(OWNER, "/cancel"))).toBe("Dibatalkan. Tidak ada uang yang dikirim.");
    expect(shop.gatewayCalls()).toBe(0);
  });

  it("/start typed at a question instead (a change of mind) says the transfer was dropped before the menu; her next words are no answer", async () => {
    const askBank = await shop.say(OWNER, "/kirimdana");
    await shop.press(OWNER, askBank, { text: "BCA" });
    await shop.say(OWNER, SUPPLIER.account);
    await shop.say(OWNER, SUPPLIER.holder);
    const askDescription = await shop.say(OWNER, SUPPLIER.amount);
    expect(textOf(askDescription)).toContain("keterangan");
    expect(textOf(await shop.say(OWNER, "/start"))).toBe("↩️ Transfer tadi dibatalkan. Tidak ada uang yang dikirim.");
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "Mau buat apa?" });
    expect(textOf(await shop.say(OWNER, SUPPLIER.description))).toContain("tidak mengerti");
    expect(shop.gatewayCalls()).toBe(0);

    // In English, in English.
    const languages = await shop.say(OWNER, "/language");
    expect(textOf(await shop.press(OWNER, languages, { text: "🇬🇧 English" }))).toContain("English");
    const askBankAgain = await shop.say(OWNER, "/disburse");
    expect(textOf(await shop.press(OWNER, askBankAgain, { text: "BCA" }))).toContain("account number");
    expect(textOf(await shop.say(OWNER, "/va"))).toBe("↩️ The transfer you were preparing was cancelled. No money was sent.");
  });

  it("a transfer begun where a bill's create went unanswered: its /cancel speaks of the transfer, not of the bill", async () => {
    shop.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
    const askBank = await shop.say(OWNER, "/va");
    await shop.press(OWNER, askBank, { text: "BCA" });
    await shop.say(OWNER, "Siti Aminah");
    const summary = await shop.press(OWNER, await shop.say(OWNER, "150rb"), { text: "Sekali bayar" });
    expect(textOf(await shop.press(OWNER, summary, { text: "✅ Buat sekarang" }))).toContain("tidak menjawab");
    expect(textOf(await shop.say(OWNER, "/kirimdana"))).toContain("Kalau tadi sempat dibuat");
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "Pilih bank" });
    expect(textOf(await shop.say(OWNER, "/batal"))).toBe("Dibatalkan. Tidak ada uang yang dikirim.");
  });

  it("after the transfer was sent, says nothing is running and leaves the transfer as it is", async () => {
    const summary = await fillTransfer(shop, OWNER, SUPPLIER);
    await shop.press(OWNER, summary, SEND);
    expect(shop.sandbox.objects().disbursements).toHaveLength(1);
    expect(textOf(await shop.say(OWNER, "/cancel"))).toBe("Tidak ada yang sedang berjalan.");
    const externalId = shop.sandbox.objects().disbursements[0]?.external_id ?? "";
    expect((await shop.store.payments.get(externalId))?.status).toBe("pending");
  });
});

describe("more than one transfer summary", () => {
  const draftState = async (summary: import("grammy/types").Message) => {
    const data = (summary.reply_markup?.inline_keyboard[0]?.[0] as { callback_data?: string } | undefined)?.callback_data ?? "";
    return ((await shop.store.namespace("disbursement-drafts").get(data.split(":")[2] ?? "")) as { state?: string } | undefined)?.state;
  };
  const buttonsOf = (summary: import("grammy/types").Message) =>
    shop.telegram.messagesIn(OWNER.id).find((m) => m.message_id === summary.message_id)?.reply_markup?.inline_keyboard ?? [];

  it("/cancel ends every summary still waiting, not only the last one", async () => {
    const first = await fillTransfer(shop, OWNER, SUPPLIER);
    const second = await fillTransfer(shop, OWNER, { ...SUPPLIER, amount: "2jt" });
    expect(await draftState(first)).toBe("awaiting");
    expect(textOf(await shop.say(OWNER, "/cancel"))).toBe("Dibatalkan. Tidak ada uang yang dikirim.");
    expect(await draftState(first)).toBe("cancelled");
    expect(await draftState(second)).toBe("cancelled");
    expect(buttonsOf(first)).toHaveLength(0);
    expect(buttonsOf(second)).toHaveLength(0);
    expect(shop.gatewayCalls()).toBe(0);
  });

  it("/cancel during a new transfer's questions ends that flow and the summary still waiting", async () => {
    const waiting = await fillTransfer(shop, OWNER, SUPPLIER);
    await shop.say(OWNER, "/kirimdana");
    const said = textOf(await shop.say(OWNER, "/cancel"));
    expect(said).toBe("Dibatalkan. Tidak ada uang yang dikirim.");
    expect(await draftState(waiting)).toBe("cancelled");
    expect(shop.gatewayCalls()).toBe(0);
  });
});
