import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * The shop group, with the bot as a plain member in Telegram's default privacy mode: it receives commands,
 * button presses and replies to its own messages, not what people type otherwise.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const group = { id: -100_777, type: "supergroup" as const, title: "Toko Wati" };

/** The markup a bot message was sent with (Telegram keeps only inline keyboards on the message itself). */
const markupOf = (message: Message) =>
  world.telegram
    .callsTo("sendMessage")
    .find((c) => c.response.ok && (c.response.result as Message).message_id === message.message_id && (c.response.result as Message).chat.id === message.chat.id)
    ?.payload.reply_markup;

/** What the cashier's app does with a force_reply question: the typed answer goes out as a reply to it. */
async function answer(question: Message, text: string): Promise<Message> {
  world.telegram.sendText(CASHIER, group, text, { replyToMessageId: question.message_id });
  return world.telegram.waitForBotMessage(group.id);
}

describe("a cashier takes a payment in the shop group", () => {
  it("the typed name and amount reach the bot as replies to its questions, and the VA is made", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    expect(world.bot.botInfo.can_read_all_group_messages).toBe(false);
    const askBank = await world.say(CASHIER, "/va", group);
    const askName = await world.press(CASHIER, askBank, { text: "BCA" });
    expect(textOf(askName)).toContain("nama pelanggan");
    // Asked of the cashier alone: named in the question, which their app answers as a reply.
    expect(markupOf(askName)).toEqual({ force_reply: true, selective: true });
    expect(textOf(askName)).toContain(CASHIER.first_name);

    // Typed without replying, the name never reaches the bot (what the cashier's app no longer does).
    const hidden = world.telegram.undelivered.length;
    world.telegram.sendText(CASHIER, group, "Siti Aminah");
    expect(world.telegram.undelivered.length).toBe(hidden + 1);

    const askAmount = await answer(askName, "Siti Aminah");
    expect(textOf(askAmount)).toContain("nominal");
    expect(markupOf(askAmount)).toEqual({ force_reply: true, selective: true });
    expect(askAmount.reply_to_message?.text).toBe("Siti Aminah");

    // A wrong amount is answered the same way, so the next try reaches the bot too.
    const tooSmall = await answer(askAmount, "5.000");
    expect(textOf(tooSmall)).toContain("Rp 10.000");
    expect(markupOf(tooSmall)).toEqual({ force_reply: true, selective: true });
    expect(tooSmall.reply_to_message?.text).toBe("5.000");

    const askSingle = await answer(tooSmall, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Rp 150.000");
    expect(textOf(summary)).toContain("Siti Aminah");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(group.id);
    const [va] = world.sandbox.objects().virtual_accounts;
    expect(va).toMatchObject({ bank_code: "BCA", amount: 150_000 });
    expect(await world.store.payments.get(va?.external_id ?? "")).toMatchObject({ customerName: "Siti Aminah", chatId: group.id, createdBy: CASHIER.id });
  });
});
