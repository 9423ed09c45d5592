import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, CO_OWNER, fillTransfer, OWNER, SHOP_GROUP, startShop, STRANGER, textOf, type Shop } from "./shop.js";

let shop: Shop;
beforeEach(async () => {
  shop = await startShop({ disburse: { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000, disburseConfirmTtlMs: 5 * 60_000 } });
});
afterEach(async () => {
  await shop.close();
});

const TRANSFER = { account: "1234567890", holder: "Budi Santoso", amount: "500.000", description: "Bayar supplier" };
const CONFIRM = { text: "✅ Kirim Rp 500.000" };

describe("the confirm button pays once, in time, for the owner who started", () => {
  it("another owner's press pays nothing; the owner's press pays; a second press pays nothing more", async () => {
    const summary = await fillTransfer(shop, OWNER, TRANSFER);
    expect(await shop.pressForAnswer(CO_OWNER, summary, CONFIRM)).toContain("dimulai oleh pemilik lain");
    expect(await shop.pressForAnswer(CASHIER, summary, CONFIRM)).toContain("Hanya pemilik toko");
    expect(shop.gatewayCalls()).toBe(0);

    expect(await shop.pressForAnswer(OWNER, summary, CONFIRM)).toContain("Mengirim");
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "sedang diproses bank" });
    expect(shop.gatewayCalls()).toBe(1);
    expect(shop.sandbox.objects().disbursements).toHaveLength(1);
    // The buttons are gone from the summary, so a second press can only be a double tap already in flight.
    expect(() => shop.telegram.pressButton(OWNER, summary, CONFIRM)).toThrow(/no callback button/);
  });

  it("a press reaching the bot too late for Telegram to take its answer still sends the transfer it confirmed", async () => {
    const summary = await fillTransfer(shop, OWNER, TRANSFER);
    shop.telegram.failNext("answerCallbackQuery", 1, {
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
    shop.telegram.pressButton(OWNER, summary, CONFIRM);
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "sedang diproses bank" });
    expect(shop.telegram.callsTo("answerCallbackQuery").filter((c) => !c.response.ok)).toHaveLength(1);
    expect(shop.gatewayCalls()).toBe(1);
    expect(shop.sandbox.objects().disbursements).toHaveLength(1);
  });

  it("a double tap (two presses queued before the first is handled) pays once and says so", async () => {
    const summary = await fillTransfer(shop, OWNER, TRANSFER);
    const first = shop.telegram.pressButton(OWNER, summary, CONFIRM).callback_query?.id;
    const second = shop.telegram.pressButton(OWNER, summary, CONFIRM).callback_query?.id;
    const answerTo = async (id: string | undefined) =>
      String((await shop.telegram.waitFor((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === id)).payload.text);
    expect(await answerTo(first)).toContain("Mengirim");
    expect(await answerTo(second)).toMatch(/sudah dikirim|sedang dikirim/);
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "sedang diproses bank" });
    expect(shop.gatewayCalls()).toBe(1);
  });

  it("a press after the button expired pays nothing, and the button is taken away", async () => {
    const summary = await fillTransfer(shop, OWNER, TRANSFER);
    shop.advanceClock(5 * 60_000 + 1_000);
    expect(await shop.pressForAnswer(OWNER, summary, CONFIRM)).toContain("kedaluwarsa");
    expect(shop.gatewayCalls()).toBe(0);
    // The summary says it expired, not "check once more … the button works for 5 minutes" as before.
    await shop.telegram.waitFor((c) => c.method === "editMessageText");
    expect(() => shop.telegram.pressButton(OWNER, summary, CONFIRM)).toThrow(/no callback button/);
    const shown = shop.telegram.messagesIn(OWNER.id).find((m) => m.message_id === summary.message_id);
    expect(shown && "text" in shown ? shown.text : "").toMatch(/\n\n⌛ Kedaluwarsa: tidak dikirim\. Buat lagi dengan \/kirimdana bila masih perlu\.$/);
    expect(shown?.entities?.some((e) => e.type === "bold")).toBe(true);
  });

  it("cancel and confirm race for the same key: once cancelled, confirm pays nothing", async () => {
    const summary = await fillTransfer(shop, OWNER, TRANSFER);
    const cancel = shop.telegram.pressButton(OWNER, summary, { text: "✖ Batal" }).callback_query?.id;
    const confirm = shop.telegram.pressButton(OWNER, summary, CONFIRM).callback_query?.id;
    await shop.telegram.waitFor((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === cancel);
    const answer = await shop.telegram.waitFor((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === confirm);
    expect(String(answer.payload.text)).toContain("sudah dibatalkan");
    await shop.telegram.waitForBotMessage(OWNER.id, { text: "Tidak ada uang yang dikirim" });
    expect(shop.gatewayCalls()).toBe(0);
  });
});

describe("only an owner, only in private, may send money", () => {
  it("refuses a cashier and a stranger, in private and in the group, and sends the owner to a private chat", async () => {
    expect(textOf(await shop.say(CASHIER, "/kirimdana"))).toContain("Hanya pemilik toko");
    expect(textOf(await shop.say(CASHIER, "/disburse", SHOP_GROUP))).toContain("Hanya pemilik toko");
    const strangerRefusal = await shop.say(STRANGER, "/kirimdana");
    expect(textOf(strangerRefusal)).toContain("hanya untuk pemilik dan kasir");
    expect(textOf(strangerRefusal)).toContain(String(STRANGER.id));
    expect(textOf(await shop.say(STRANGER, "/kirimdana", SHOP_GROUP))).toContain(String(STRANGER.id));
    const ownerInGroup = await shop.say(OWNER, "/kirimdana", SHOP_GROUP);
    expect(textOf(ownerInGroup)).toContain("chat pribadi");
    expect(textOf(ownerInGroup)).toContain("@toko_wati_bot");

    const cashierMenu = await shop.say(CASHIER, "/start");
    const labels = JSON.stringify("reply_markup" in cashierMenu ? cashierMenu.reply_markup : {});
    expect(labels).not.toContain("Kirim dana");
    expect(() => shop.telegram.pressButton(CASHIER, cashierMenu, { text: "💸 Kirim dana" })).toThrow(/no callback button/);
    // The owner's menu in the shop group has the button; a cashier pressing it there is refused.
    const ownerMenuInGroup = await shop.say(OWNER, "/start", SHOP_GROUP);
    expect(await shop.pressForAnswer(CASHIER, ownerMenuInGroup, { text: "💸 Kirim dana" })).toContain("Hanya pemilik toko");
    expect(textOf(await shop.press(OWNER, ownerMenuInGroup, { text: "💸 Kirim dana" }))).toContain("chat pribadi");

    expect(shop.gatewayCalls()).toBe(0);
    expect(await shop.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });
});
