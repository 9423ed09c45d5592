import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, startWorld, type World } from "./world.js";

/**
 * A press that reaches the bot late (queued through a restart, an outage, a redelivery): Telegram no longer
 * takes its answer ("query is too old"). The press must still do its work.
 */

const TOO_OLD = { error_code: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid" };

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

describe("a press Telegram says is too old to answer", () => {
  it("still makes the VA the cashier confirmed, with its photo", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });

    world.telegram.failNext("answerCallbackQuery", 1, TOO_OLD);
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(CASHIER.id);

    const refused = world.telegram.callsTo("answerCallbackQuery").filter((c) => !c.response.ok);
    expect(refused).toHaveLength(1);
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(await world.store.payments.listRecent({ limit: 10 })).toHaveLength(1);
  });
});
