import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, startWorld, type World } from "./world.js";

/**
 * Updates handled side by side, as in webhook mode (Telegram opens many connections) or with several
 * instances: a cashier's double tap on "create" arrives as two presses handled at the same time.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER], updates: "parallel" });
});
afterEach(async () => {
  await world.close();
});

describe("a double tap on the confirm button", () => {
  it("makes one virtual account, one record and one photo", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });

    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(CASHIER.id);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    await sleep(500); // room for a second photo, if the second press were to make one

    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(await world.store.payments.listRecent({ limit: 10 })).toHaveLength(1);
    expect(world.telegram.callsTo("sendPhoto").filter((c) => c.response.ok)).toHaveLength(1);
  });
});
