import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * A shop group with topics turned on (Telegram's "forum"), the bot a plain member in privacy mode. The
 * owner links the group from the topic the shop keeps for payments, and the cashier takes a payment there:
 * every answer of the bot lands in that topic, not in General.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const forum = { id: -1_005_660_001, type: "supergroup" as const, title: "Toko Sinar", isForum: true };

/** What someone types in a topic, and the bot's next message in the group. */
async function sayInTopic(user: typeof OWNER, topic: number, text: string, replyTo?: Message): Promise<Message> {
  world.telegram.sendText(user, forum, text, { threadId: topic, ...(replyTo ? { replyToMessageId: replyTo.message_id } : {}) });
  return world.telegram.waitForBotMessage(forum.id);
}

describe("a shop group with topics", () => {
  it("linked from its payments topic: the owner is told so there, and the link keeps the topic", async () => {
    world.telegram.addBotToGroup(forum, OWNER);
    const payments = world.telegram.openTopic(forum.id, "Pembayaran", OWNER);
    const linked = await sayInTopic(OWNER, payments, "/linkgroup");
    expect(linked.message_thread_id).toBe(payments);
    expect(textOf(linked)).toContain('Grup "Toko Sinar" terhubung, di topik "Pembayaran"');
    expect(await world.store.access.listGroups()).toMatchObject([{ chatId: forum.id, topicId: payments }]);
    // A topic's name is the admins' to choose, even one that reads like a placeholder.
    const none = world.telegram.openTopic(forum.id, "none", OWNER);
    expect(textOf(await sayInTopic(OWNER, none, "/linkgroup"))).toContain('Grup "Toko Sinar" terhubung, di topik "none"');
    expect(textOf(await sayInTopic(OWNER, payments, "/linkgroup"))).toContain('di topik "Pembayaran"');

    // Linked again from General: the notices follow, and the answer says "here" without a topic.
    const inGeneral = await world.say(OWNER, "/linkgroup", forum);
    expect(inGeneral.message_thread_id).toBeUndefined();
    expect(textOf(inGeneral)).toContain("akan dikirim ke sini");
    const [group] = await world.store.access.listGroups();
    expect(group?.chatId).toBe(forum.id);
    expect(group?.topicId).toBeUndefined();
  });

  it("a cashier takes a payment in a topic: questions, answers and the QR all stay in that topic", async () => {
    world.telegram.addBotToGroup(forum, OWNER);
    const counter = world.telegram.openTopic(forum.id, "Kasir", OWNER);
    const askBank = await sayInTopic(CASHIER, counter, "/va");
    expect(askBank.message_thread_id).toBe(counter);
    const askName = await world.press(CASHIER, askBank, { text: "BNI" });
    expect(askName.message_thread_id).toBe(counter);
    const askAmount = await sayInTopic(CASHIER, counter, "Lestari", askName);
    expect(textOf(askAmount)).toContain("nominal");
    expect(askAmount.message_thread_id).toBe(counter);
    const askSingle = await sayInTopic(CASHIER, counter, "75.000", askAmount);
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Rp 75.000");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(forum.id);
    expect(Number(photo.payload.message_thread_id)).toBe(counter);
    const [va] = world.sandbox.objects().virtual_accounts;
    expect(va).toMatchObject({ bank_code: "BNI", amount: 75_000 });
    expect(await world.store.payments.get(va?.external_id ?? "")).toMatchObject({ customerName: "Lestari", chatId: forum.id, createdBy: CASHIER.id });
  });
});
