import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, STRANGER, startWorld, textOf, type World, SHOP_GROUP as group } from "./world.js";

/**
 * Strangers cost the shop nothing: in its group they cannot hold up the "paid" notices by typing commands
 * (each answer there spends the group's Telegram allowance), and they leave nothing in the store.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

const NEIGHBOUR = { id: 6_006, first_name: "Tetangga" };

describe("strangers", () => {
  it("in the shop group: a stranger's commands are answered once, however many, and the shop's people still are", async () => {
    world.telegram.addBotToGroup(group, OWNER);
    const first = await world.say(NEIGHBOUR, "/start", group);
    expect(textOf(first)).toContain(String(NEIGHBOUR.id));
    const refusalsBefore = world.telegram.botMessagesIn(group.id).length;
    for (const command of ["/menu", "/va", "/start", "/x", "/pembayaran"]) world.telegram.sendText(NEIGHBOUR, group, command);
    // The cashier's command after them is answered: everything before it was handled, in order.
    expect(textOf(await world.say(CASHIER, "/start", group))).not.toContain(String(NEIGHBOUR.id));
    expect(world.telegram.botMessagesIn(group.id).filter((m) => textOf(m).includes(String(NEIGHBOUR.id)))).toHaveLength(1);
    expect(world.telegram.botMessagesIn(group.id).length).toBe(refusalsBefore + 1);
    // Another stranger is told once too: the quiet is per person.
    expect(textOf(await world.say(STRANGER, "/start", group))).toContain(String(STRANGER.id));
  });

  it("leave no session behind", async () => {
    for (const text of ["halo", "/start", "/va"]) expect(textOf(await world.say(STRANGER, text))).toContain(String(STRANGER.id));
    expect(await world.store.namespace("sessions").get(String(STRANGER.id))).toBeUndefined();
  });

  it("'/start@AnotherBot inv_…' is another bot's command: a stranger is refused, not let past the gate", async () => {
    const answer = await world.say(STRANGER, "/start@OtherShopBot inv_abcdefgh");
    expect(textOf(answer)).toContain("hanya untuk pemilik dan kasir");
  });
});
