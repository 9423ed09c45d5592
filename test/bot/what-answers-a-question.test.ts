import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP as group, startWorld, textOf, type World } from "./world.js";

/**
 * A cashier's flow waits for her answer while the shop group goes on with its day: people chat, pin
 * messages, make the bot an admin, use other bots. Only what answers the bot's question may be taken as
 * the answer, and nothing else may nag the group or use up the question's tries.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

/** The cashier's VA in the group, up to the customer-name question. */
async function upToNameInGroup(): Promise<Message> {
  const askBank = await world.say(CASHIER, "/va", group);
  const askName = await world.press(CASHIER, askBank, { text: "BCA" });
  expect(textOf(askName)).toContain("nama pelanggan");
  return askName;
}

/** The bot's messages in the group since `mark`. */
const botSaidSince = (mark: number) =>
  world.telegram.calls.slice(mark).filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === group.id);

/** Waits until the bot has taken every update given so far (a later one is handled after them). */
async function settled(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (world.telegram.pendingUpdates().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("in the shop group", () => {
  it("with the bot an admin (it sees every message): the group's own chat is not taken as the customer's name", async () => {
    world.telegram.addBotToGroup(group, OWNER, { asAdmin: true });
    const askName = await upToNameInGroup();
    const mark = world.telegram.mark();
    world.telegram.sendText(OWNER, group, "Rina, tolong buatkan VA untuk Bu Siti ya");
    world.telegram.sendText(CASHIER, group, "Oke bu");
    await settled();

    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");
    // Her updates are handled in order: by her answer's reply, the chatter before it was handled, silently.
    expect(botSaidSince(mark).map((c) => (c.response.ok ? (c.response.result as Message).message_id : -1))).toEqual([askAmount.message_id]);
    world.telegram.sendText(CASHIER, group, "150rb", { replyToMessageId: askAmount.message_id });
    const askSingle = await world.telegram.waitForBotMessage(group.id);
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Siti Aminah");
    expect(textOf(summary)).not.toContain("Oke bu");
  });

  it("with the bot an admin: a reply to another of the bot's messages is the group's chat, not the answer", async () => {
    world.telegram.addBotToGroup(group, OWNER, { asAdmin: true });
    const linked = await world.say(OWNER, "/linkgroup", group);
    const askName = await upToNameInGroup();
    const mark = world.telegram.mark();
    world.telegram.sendText(CASHIER, group, "Siap bu", { replyToMessageId: linked.message_id });
    await settled();
    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");
    expect(askAmount.reply_to_message?.text).toBe("Siti Aminah");
    expect(botSaidSince(mark).map((c) => (c.response.ok ? (c.response.result as Message).message_id : -1))).toEqual([askAmount.message_id]);
  });

  it("a reply to a question answered already (the name, while the amount is asked) is pointed to the open one, which then takes the answer", async () => {
    const askName = await upToNameInGroup();
    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");

    // Her app replies to whichever question she taps: the name's again, with the amount.
    world.telegram.sendText(CASHIER, group, "50rb", { replyToMessageId: askName.message_id });
    const pointed = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(pointed)).toMatch(/^Itu balasan untuk pertanyaan sebelumnya/);
    expect(pointed.reply_to_message?.text).toBe("50rb");
    expect(textOf(pointed)).toContain("nominal");
    expect(textOf(pointed)).not.toContain("Sekali bayar");

    world.telegram.sendText(CASHIER, group, "50rb", { replyToMessageId: pointed.message_id });
    const askKind = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askKind)).toContain("sekali bayar");
    const summary = await world.press(CASHIER, askKind, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Siti Aminah");
    expect(textOf(summary)).toContain("Rp 50.000");
  });

  it("an answer corrected by editing the reply is told it was not read, as in private", async () => {
    const askName = await upToNameInGroup();
    const typed = world.telegram.sendText(CASHIER, group, "Siti Amnah 1", { replyToMessageId: askName.message_id }).message!;
    expect(textOf(await world.telegram.waitForBotMessage(group.id))).toContain("Nama hanya boleh berisi huruf");
    world.telegram.editText(CASHIER, group, typed.message_id, "Siti Aminah");
    expect(textOf(await world.telegram.waitForBotMessage(group.id))).toContain("Pesan yang diedit tidak dibaca");

    // With no flow of hers waiting, "Siap bu" to a bot's message, fixed by an edit, is the group's own chat.
    const bye = await world.say(CASHIER, "/batal", group);
    const chat = world.telegram.sendText(CASHIER, group, "Siap bu, mkasih", { replyToMessageId: bye.message_id }).message!;
    await settled();
    const mark = world.telegram.mark();
    world.telegram.editText(CASHIER, group, chat.message_id, "Siap bu, makasih");
    await settled();
    expect(botSaidSince(mark)).toEqual([]);
  });

  it("a mistyped command addressed to the bot, or typed by the one whose flow waits, is answered; another bot's is not", async () => {
    await upToNameInGroup();
    for (const typo of ["/batl@toko_wati_bot", "/BATAL", "/batl"]) {
      world.telegram.sendText(CASHIER, group, typo);
      expect(textOf(await world.telegram.waitForBotMessage(group.id)), typo).toContain("Saya tidak kenal perintah itu");
    }
    const mark = world.telegram.mark();
    world.telegram.sendText(CASHIER, group, "/batl@KasirHelperBot");
    await settled();
    expect(botSaidSince(mark)).toEqual([]);
  });

  it("with no flow waiting, a mistyped command is answered only when it names the bot: a bare one may be another bot's", async () => {
    world.telegram.addBotToGroup(group, OWNER, { asAdmin: true });
    world.telegram.sendText(CASHIER, group, `/pembayaranx@${world.bot.botInfo.username}`);
    expect(textOf(await world.telegram.waitForBotMessage(group.id))).toContain("tidak mengerti");
    const mark = world.telegram.mark();
    for (const other of ["/pembayaranx", "/pembayaranx@KasirHelperBot"]) world.telegram.sendText(CASHIER, group, other);
    await settled();
    expect(botSaidSince(mark)).toEqual([]);
  });

  it("an answer that mentions the bot instead of replying is read without the mention", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    await upToNameInGroup();
    world.telegram.sendText(CASHIER, group, `@${world.bot.botInfo.username} Siti Aminah`);
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");
    expect(askAmount.reply_to_message?.text).toContain("Siti Aminah");
    world.telegram.sendText(CASHIER, group, `75.000 @${world.bot.botInfo.username}`);
    const askSingle = await world.telegram.waitForBotMessage(group.id);
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Nama pelanggan: Siti Aminah");
    expect(textOf(summary)).toContain("Rp 75.000");
  });

  it("pins, newcomers and the bot made admin say nothing to the group and use up none of the question's tries", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const askName = await upToNameInGroup();
    const mark = world.telegram.mark();
    // More than the question's tries (20): each of these had been a wrong answer with a nudge to the group.
    for (let i = 0; i < 12; i++) {
      world.telegram.postAs(CASHIER, group, { pinned_message: askName } as Partial<Message>);
      world.telegram.postAs(CASHIER, group, { new_chat_members: [{ id: 9_000 + i, is_bot: false, first_name: `Tamu ${i}` }] } as Partial<Message>);
    }
    world.telegram.setBotStatus(group, CASHIER, "administrator");
    world.telegram.setBotStatus(group, CASHIER, "member");
    await settled();

    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");
    expect(botSaidSince(mark).map((c) => (c.response.ok ? (c.response.result as Message).message_id : -1))).toEqual([askAmount.message_id]);
  });

  it("another bot's command (seen, the bot being an admin) passes by, and the flow still takes the answer", async () => {
    world.telegram.addBotToGroup(group, OWNER, { asAdmin: true });
    const askName = await upToNameInGroup();
    const mark = world.telegram.mark();
    world.telegram.sendText(CASHIER, group, "/start@KasirHelperBot");
    await settled();
    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id);
    expect(textOf(askAmount)).toContain("nominal");
    expect(botSaidSince(mark).map((c) => (c.response.ok ? (c.response.result as Message).message_id : -1))).toEqual([askAmount.message_id]);
  });
});

describe("in a private chat", () => {
  it("'/VA' in capitals is no command of ours: it is answered as such, and the next answer still counts", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const notUnderstood = await world.say(CASHIER, "/VA");
    expect(textOf(notUnderstood)).toContain("Saya tidak kenal perintah itu");
    const askSingle = await world.say(CASHIER, "150.000");
    expect(textOf(askSingle)).toContain("sekali bayar");
  });
});
