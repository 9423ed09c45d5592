import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, OWNER, SHOP_GROUP as group, startWorld, textOf, type World } from "./world.js";

/**
 * The owner, in the middle of making a payment, does one of her tasks that is done in one answer: an invite
 * link for a new cashier, or linking the group. Her flow ended without a word, and her next answer (the
 * amount) was not understood, or in the group not answered at all.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

describe("an owner's one-answer task in the middle of a flow", () => {
  it("/invite at the amount question gives the link, and her amount then goes on to the summary", async () => {
    world = await startWorld({ staff: [CASHIER] });
    await world.say(OWNER, "/alfamart");
    await world.say(OWNER, "Budi Santoso");
    expect(textOf(await world.say(OWNER, "/invite"))).toContain("start=inv_");
    const summary = textOf(await world.say(OWNER, "50rb"));
    expect(summary).toContain("Periksa dulu");
    expect(summary).toContain("Budi Santoso");
  });

  it("the menu's invite button at the amount question, likewise", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const menu = await world.say(OWNER, "/start");
    await world.say(OWNER, "/alfamart");
    await world.say(OWNER, "Budi Santoso");
    expect(textOf(await world.press(OWNER, menu, { text: "➕ Undang kasir" }))).toContain("start=inv_");
    expect(textOf(await world.say(OWNER, "50rb"))).toContain("Periksa dulu");
  });

  it("/linkgroup in the group at the amount question links it, and her reply with the amount makes the summary", async () => {
    world = await startWorld({ staff: [CASHIER] });
    world.telegram.addBotToGroup(group, OWNER);
    const askName = await world.say(OWNER, "/alfamart", group);
    world.telegram.sendText(OWNER, group, "Budi Santoso", { replyToMessageId: askName.message_id });
    const askAmount = await world.telegram.waitForBotMessage(group.id, { text: "nominal" });
    expect(textOf(await world.say(OWNER, "/linkgroup", group))).toContain("terhubung");
    world.telegram.sendText(OWNER, group, "50rb", { replyToMessageId: askAmount.message_id });
    expect(textOf(await world.telegram.waitForBotMessage(group.id, { timeoutMs: 3_000 }))).toContain("Periksa dulu");
  });

  it("/kirimdana still starts her transfer instead: that is a change of mind", async () => {
    world = await startWorld({ staff: [CASHIER] });
    await world.say(OWNER, "/alfamart");
    await world.say(OWNER, "Budi Santoso");
    expect(textOf(await world.say(OWNER, "/kirimdana"))).toBe("↩️ Pembuatan tagihan tadi dibatalkan. Tidak ada yang dibuat.");
    await world.telegram.waitForBotMessage(OWNER.id, { text: "Pilih bank tujuan" });
    // The Alfamart flow is over: "50rb" is no answer to it any more, and nothing was made.
    expect(textOf(await world.say(OWNER, "50rb"))).not.toContain("Periksa dulu");
    expect(world.sandbox.objects().retail_payments).toHaveLength(0);
  });
});
