import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

/**
 * A gateway whose clock or time zone is off hands out VAs that have expired already. The cashier must not
 * forward one to a customer who then cannot pay it.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER], sandboxExpiryMs: -3_600_000 });
});
afterEach(async () => {
  await world.close();
});

describe("a VA the gateway made expired already", () => {
  it("is shown with a warning to the cashier, kept out of the message meant for the customer", async () => {
    await world.press(CASHIER, await world.say(CASHIER, "/va"), { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const summary = await world.press(CASHIER, await world.say(CASHIER, "150rb"), { text: "Sekali bayar" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    const warning = await world.telegram.waitForBotMessage(CASHIER.id, { text: "Jangan diteruskan ke pelanggan" });
    expect(textOf(warning)).toContain("sudah kedaluwarsa sejak");
    expect(String(photo.payload.caption)).not.toContain("Jangan diteruskan");
  });
});
