import { unlinkSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, SHOP_GROUP as group, OWNER, startWorld, textOf, type World } from "./world.js";

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
});
