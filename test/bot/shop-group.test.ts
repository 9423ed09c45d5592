import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startWorld, textOf, type World, SHOP_GROUP as group } from "./world.js";

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
    // One sentence after her name: "Rina, ketik nama pelanggan", not "Rina, Ketik".
    expect(textOf(askName)).toMatch(new RegExp(`^${CASHIER.first_name}, ketik nama pelanggan`));

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

describe("the shop group becomes a supergroup", () => {
  /** Telegram gives the supergroup a new id; the bot hears it as a service message, whoever did it. */
  const basicGroup = { id: -4_077_001, type: "group" as const, title: "Toko Wati" };
  const supergroupId = -1_004_077_001;

  async function linkedIds(): Promise<number[]> {
    return (await world.store.access.listGroups()).map((g) => g.chatId);
  }

  it("moves the link to the supergroup, so notifications go there and /unlinkgroup works in it", async () => {
    world.telegram.addBotToGroup(basicGroup, OWNER);
    expect(textOf(await world.say(OWNER, "/linkgroup", basicGroup))).toContain("Toko Wati");
    expect(await linkedIds()).toEqual([basicGroup.id]);

    // An admin who is neither owner nor staff upgrades the group (e.g. by giving it a public link).
    const admin = { id: 5_005, first_name: "Admin Grup" };
    world.telegram.migrateGroupToSupergroup(basicGroup.id, { id: supergroupId }, admin);
    const deadline = Date.now() + 5_000;
    while ((await linkedIds())[0] !== supergroupId && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await world.store.access.listGroups()).toMatchObject([{ chatId: supergroupId, title: "Toko Wati", linkedBy: OWNER.id, formerChatIds: [basicGroup.id] }]);
    // It said nothing about it in either chat, and the bot still answers the owner in the supergroup.
    expect(world.telegram.botMessagesIn(supergroupId)).toEqual([]);
    const supergroup = { id: supergroupId, type: "supergroup" as const, title: "Toko Wati" };
    expect(textOf(await world.say(OWNER, "/unlinkgroup", supergroup))).toContain("tidak lagi menerima");
    expect(await linkedIds()).toEqual([]);
  });

  it("leaves other groups' links alone when a group that was never linked is upgraded", async () => {
    world.telegram.addBotToGroup(basicGroup, OWNER);
    const linked = { id: -100_888, type: "supergroup" as const, title: "Gudang" };
    world.telegram.addBotToGroup(linked, OWNER);
    await world.say(OWNER, "/linkgroup", linked);
    world.telegram.migrateGroupToSupergroup(basicGroup.id, { id: supergroupId }, OWNER);
    // The bot answers a later message only after it handled the service messages before it.
    await world.say(OWNER, "/start");
    expect(await linkedIds()).toEqual([linked.id]);
    // The move is kept all the same: payments made in the group before it belong to the supergroup.
    expect(await world.store.access.groupMoves()).toEqual(new Map([[basicGroup.id, supergroupId]]));
  });
});
