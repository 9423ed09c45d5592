import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * An admin of the shop group removes the bot. Telegram refuses every message to that group from then on,
 * so its link goes, and the owner hears it in private, once, with how to link it again.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const group = { id: -100_777, type: "supergroup" as const, title: "Toko <Wati>" };
const linkedIds = async () => (await world.store.access.listGroups()).map((g) => g.chatId);

async function until(what: string, ok: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + 5_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the bot is removed from the linked shop group", () => {
  it("unlinks the group and tells the owner privately, once, how to link it again", async () => {
    await world.say(OWNER, "/start");
    world.telegram.addBotToGroup(group, OWNER);
    await world.say(OWNER, "/linkgroup", group);
    expect(await linkedIds()).toEqual([group.id]);
    const before = world.telegram.botMessagesIn(OWNER.id).length;

    const admin = { id: 5_005, first_name: "Admin Grup" };
    world.telegram.removeBotFromGroup(group, admin);
    await until("the link to go", async () => (await linkedIds()).length === 0);
    await until("the owner to be told", () => world.telegram.botMessagesIn(OWNER.id).length > before);
    const notice = textOf(world.telegram.botMessagesIn(OWNER.id).at(-1)!);
    expect(notice).toContain('Bot dikeluarkan dari grup "Toko <Wati>"');
    expect(notice).toContain("/linkgroup");

    // Told once: the same news again (Telegram redelivering it) finds no link and says nothing.
    world.telegram.removeBotFromGroup(group, admin);
    await world.say(OWNER, "/start");
    expect(world.telegram.botMessagesIn(OWNER.id).filter((m) => textOf(m).includes("dikeluarkan dari grup"))).toHaveLength(1);
  });

  it("says nothing when the group it leaves was never linked", async () => {
    const other = { id: -100_999, type: "supergroup" as const, title: "Arisan" };
    world.telegram.addBotToGroup(other, OWNER);
    const before = world.telegram.botMessagesIn(OWNER.id).length;
    world.telegram.removeBotFromGroup(other, OWNER);
    await world.say(OWNER, "/start");
    expect(world.telegram.botMessagesIn(OWNER.id).filter((m) => textOf(m).includes("dikeluarkan"))).toHaveLength(0);
    expect(world.telegram.botMessagesIn(OWNER.id).length).toBe(before + 1);
  });
});
