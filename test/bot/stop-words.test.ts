import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP as group, startWorld, textOf, type World } from "./world.js";

/**
 * "batal" typed at a question stops the flow, but only as the bare word: "Batal.", "batal aja", "gak jadi",
 * and in the group "@toko_wati_bot batal" (how an answer reaches the bot there) became the customer's name.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

describe("stopping a flow in a shop's own words", () => {
  it.each(["Batal.", "batal aja", "Gak jadi", "tidak jadi deh", "cancel!", "@toko_wati_bot batal"])("%s at the name question stops it", async (words) => {
    world = await startWorld({ staff: [CASHIER] });
    await world.say(CASHIER, "/alfamart");
    expect(textOf(await world.say(CASHIER, words))).toContain("Dibatalkan");
    // Nothing waits any more: the next answer is no amount.
    expect(textOf(await world.say(CASHIER, "50rb"))).toContain("saya tidak mengerti");
  });

  it("in the group, a reply '@toko_wati_bot batal' to the name question stops it", async () => {
    world = await startWorld({ staff: [CASHIER] });
    world.telegram.addBotToGroup(group, OWNER);
    const askName = await world.say(CASHIER, "/alfamart", group);
    world.telegram.sendText(CASHIER, group, "@toko_wati_bot batal", { replyToMessageId: askName.message_id });
    expect(textOf(await world.telegram.waitForBotMessage(group.id))).toContain("Dibatalkan");
  });

  it("a name that only holds such a word is still a name: 'Batalia Putri'", async () => {
    world = await startWorld({ staff: [CASHIER] });
    await world.say(CASHIER, "/alfamart");
    expect(textOf(await world.say(CASHIER, "Batalia Putri"))).toContain("nominal");
  });
});
