import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import type { TelegramUser } from "../../src/telegram-local/bot-api-server.js";
import { CASHIER, OWNER, startWorld, textOf, type World, SHOP_GROUP as group } from "./world.js";

/**
 * Halfway through a payment, someone presses or types something that is not theirs to use: an owner's tool
 * (a cashier), or another cashier's button (in the shop group). They are refused, and whatever they were
 * doing is still waiting for their next answer.
 */
const SARI: TelegramUser = { id: 2003, first_name: "Sari" };
const i18n = createI18n();

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER, SARI] });
});
afterEach(async () => {
  await world.close();
});

/** The text of the alert a press is answered with. */
async function alertOnPress(user: TelegramUser, message: Message, button: { text: string }): Promise<string> {
  const mark = world.telegram.mark();
  world.telegram.pressButton(user, message, button);
  const answer = await world.telegram.waitFor((c) => c.method === "answerCallbackQuery", { since: mark });
  return String(answer.payload.text ?? "");
}

/** What a person's app does with a force_reply question in the group: the typed answer replies to it. */
async function answerInGroup(user: TelegramUser, question: Message, text: string): Promise<Message> {
  const mark = world.telegram.mark();
  world.telegram.sendText(user, group, text, { replyToMessageId: question.message_id });
  return world.telegram.waitForBotMessage(group.id, { since: mark });
}

describe("a cashier halfway through a payment uses something only the owner may use", () => {
  it("in the shop group she taps the owner's 'Kirim dana' and 'Undang kasir': refused, and her typed amount still makes the VA", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const ownerMenu = await world.say(OWNER, "/start", group);
    const askBank = await world.say(CASHIER, "/va", group);
    const askName = await world.press(CASHIER, askBank, { text: "BCA" });
    const askAmount = await answerInGroup(CASHIER, askName, "Siti Aminah");
    expect(textOf(askAmount)).toContain("nominal");

    for (const label of ["💸 Kirim dana", "➕ Undang kasir"]) {
      expect(await alertOnPress(CASHIER, ownerMenu, { text: label })).toBe(i18n.t("id", "bot-access-owner-only"));
    }

    // Before, her flow was gone by now and this reply met silence.
    const askSingle = await answerInGroup(CASHIER, askAmount, "150rb");
    expect(textOf(askSingle)).toBe(i18n.t("id", "bot-va-ask-single-use"));
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Rp 150.000");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(group.id);
    expect(world.sandbox.objects().virtual_accounts).toMatchObject([{ bank_code: "BCA", amount: 150_000 }]);
    expect(await world.store.payments.listRecent({ limit: 10 })).toMatchObject([{ customerName: "Siti Aminah", createdBy: CASHIER.id }]);
    // Nobody was invited on her press.
    expect(world.telegram.callsTo("sendMessage").filter((c) => String(c.payload.text).includes("?start=inv_"))).toHaveLength(0);
  });

  it("in private she types /kirimdana while making an Alfamart code: refused, and her next answer is still the amount", async () => {
    await world.say(CASHIER, "/alfamart");
    const askAmount = await world.say(CASHIER, "Siti Aminah");
    expect(textOf(askAmount)).toContain("nominal");
    expect(textOf(await world.say(CASHIER, "/kirimdana"))).toBe(i18n.t("id", "bot-access-owner-only"));
    const summary = await world.say(CASHIER, "150rb");
    expect(textOf(summary)).not.toContain("saya tidak mengerti");
    expect(textOf(summary)).toContain("Rp 150.000");
    expect(textOf(summary)).toContain("Siti Aminah");
  });

  it("the owner, halfway through a VA, who asks to send money has changed her mind: the transfer starts instead", async () => {
    const askBank = await world.say(OWNER, "/va");
    await world.press(OWNER, askBank, { text: "BCA" });
    await world.say(OWNER, "Siti Aminah");
    // Told that the VA is dropped before the transfer's first question, so the next answer is not met with "not understood".
    expect(textOf(await world.say(OWNER, "/kirimdana"))).toBe(i18n.t("id", "bot-flow-left"));
    await world.telegram.waitForBotMessage(OWNER.id, { text: "Kirim dana" });
    // The VA's amount question is gone: "150rb" answers the transfer's bank question, not the VA's amount.
    expect(textOf(await world.say(OWNER, "150rb"))).toBe(i18n.t("id", "bot-flow-use-buttons"));
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(0);
  });
});

describe("two cashiers make payments side by side in the shop group", () => {
  it("Sari presses Rina's buttons: told, in her own language, that they are someone else's; nothing is made, and Rina's still work", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    // Sari reads the bot in English; Rina in Indonesian.
    const languages = await world.say(SARI, "/language");
    await world.press(SARI, languages, { text: "🇬🇧 English" });

    const rinaBank = await world.say(CASHIER, "/va", group);
    const sariName = await world.say(SARI, "/alfamart", group);
    expect(textOf(sariName)).toContain("customer");

    expect(await alertOnPress(SARI, rinaBank, { text: "BCA" })).toBe(i18n.t("en", "bot-flow-button-someone-else"));
    // Rina's bank question is still hers to answer.
    const rinaName = await world.press(CASHIER, rinaBank, { text: "BNI" });
    const rinaAmount = await answerInGroup(CASHIER, rinaName, "Siti Aminah");
    const rinaSingle = await answerInGroup(CASHIER, rinaAmount, "150.000");
    const rinaSummary = await world.press(CASHIER, rinaSingle, { text: "Sekali bayar" });

    expect(await alertOnPress(SARI, rinaSummary, { text: "✅ Buat sekarang" })).toBe(i18n.t("en", "bot-flow-button-someone-else"));
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(0);

    world.telegram.pressButton(CASHIER, rinaSummary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(group.id);
    expect(world.sandbox.objects().virtual_accounts).toMatchObject([{ bank_code: "BNI", amount: 150_000 }]);
    expect(await world.store.payments.listRecent({ limit: 10 })).toMatchObject([{ createdBy: CASHIER.id }]);
  });

  it("a cashier's own button from a flow she left still says it no longer works", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const oldBank = await world.say(CASHIER, "/va", group);
    await world.say(CASHIER, "/alfamart", group);
    expect(await alertOnPress(CASHIER, oldBank, { text: "BCA" })).toBe(i18n.t("id", "bot-flow-button-expired"));
  });
});

describe("a tool refused in this chat, whoever asks", () => {
  it("the owner tapping 'Kirim dana' in the group mid-flow is told to use a private chat, and her flow keeps waiting", async () => {
    const world = await startWorld({});
    try {
      world.telegram.addBotToGroup(group, OWNER);
      const menu = await world.say(OWNER, "/start", group);
      const askBank = await world.say(OWNER, "/va", group);
      const askName = await world.press(OWNER, askBank, { text: "BCA" });
      let mark = world.telegram.mark();
      world.telegram.sendText(OWNER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
      const askAmount = await world.telegram.waitForBotMessage(group.id, { since: mark });
      expect(textOf(await world.press(OWNER, menu, { text: "💸 Kirim dana" }))).toContain("chat pribadi");
      mark = world.telegram.mark();
      world.telegram.sendText(OWNER, group, "150rb", { replyToMessageId: askAmount.message_id });
      expect(textOf(await world.telegram.waitForBotMessage(group.id, { since: mark }))).toContain("sekali bayar");
    } finally {
      await world.close();
    }
  });
});
