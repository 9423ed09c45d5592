import { unlinkSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP as group, OWNER, STRANGER, startWorld, textOf, type World } from "./world.js";

/**
 * The shop's SQLite file is deleted under the running bot: the store refuses every read and write from then
 * on (see test/store/file-replaced.test.ts). The shop's people must still hear that something is wrong when
 * they address the bot, in private and in the group, though neither their language nor their role can be read.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

describe("the shop's file gone from under the bot", () => {
  it("a cashier's /va is answered with 'try again' in private and in the group", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    await world.say(CASHIER, "/start");
    unlinkSync(world.storeUrl.slice("sqlite://".length));
    // The store looks at its file once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(textOf(await world.say(CASHIER, "/va"))).toContain("ada gangguan di bot");
    expect(textOf(await world.say(CASHIER, "/va", group))).toContain("ada gangguan di bot");
  });

  it("in the group, a cashier's answer by reply is told too, and each person at most once a minute (strangers included, the store cannot tell them apart)", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const askBank = await world.say(CASHIER, "/va", group);
    const askName = await world.press(CASHIER, askBank, { text: "BCA" });
    unlinkSync(world.storeUrl.slice("sqlite://".length));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    expect(textOf(await world.telegram.waitForBotMessage(group.id))).toContain("ada gangguan di bot");
    const mark = world.telegram.mark();
    world.telegram.sendText(CASHIER, group, "Siti Aminah", { replyToMessageId: askName.message_id });
    for (let i = 0; i < 3; i++) world.telegram.sendText(STRANGER, group, "/va");
    // The owner's command after them is answered (once); the repeats before it drew nothing more than one each.
    expect(textOf(await world.say(OWNER, "/start", group))).toContain("ada gangguan di bot");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const told = world.telegram.calls.slice(mark).filter((c) => c.method === "sendMessage" && c.response.ok && String(c.payload.text).includes("ada gangguan"));
    // One for the stranger (his three /va), one for the owner; none more for the cashier within the minute.
    expect(told.map((c) => Number(c.payload.chat_id))).toEqual([group.id, group.id]);
  });
});
