import { createClient } from "@redis/client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { CASHIER, decodeQr, startWorld, textOf, type World } from "./world.js";

/**
 * The shop's store stops taking writes for a while (a full disk; played by a Redis at its memory limit,
 * which refuses writes and serves reads). A press or an answer the bot could not handle must not meet
 * silence: the cashier is told to try again, and trying again once the store is back makes the payment once.
 */

let redis: RunningRedis;
let admin: ReturnType<typeof createClient>;
let world: World;
beforeAll(async () => {
  redis = await startRedisServer();
  admin = createClient({ url: redis.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.quit();
  await redis?.stop();
});
beforeEach(async () => {
  await admin.flushAll();
  world = await startWorld({ staff: [CASHIER], storeUrl: redis.url });
});
afterEach(async () => {
  await admin.configSet("maxmemory", "0");
  await world.close();
});

describe("the store refuses writes for a while", () => {
  it("the cashier's press of 'create' is answered with advice to try again, and the next press makes the VA once", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    // Her updates are handled one after another: once a look-up is answered, the summary's step is saved.
    await world.say(CASHIER, "/help");

    await admin.configSet("maxmemory", "1");
    // The press was answered (its spinner stopped) before the store refused: she is told in the chat.
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const told = await world.telegram.waitForBotMessage(CASHIER.id, { text: "ada gangguan di bot" });
    expect(textOf(told)).toContain("Coba lagi sebentar lagi");
    expect(world.telegram.callsTo("sendPhoto")).toHaveLength(0);

    await admin.configSet("maxmemory", "0");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    const accounts = world.sandbox.objects().virtual_accounts;
    expect(accounts).toHaveLength(1);
    expect(decodeQr(photo)).toBe(accounts[0]?.account_number);
  });

  it("a typed message it could not handle is answered with the same advice in private", async () => {
    await world.say(CASHIER, "/start");
    await world.say(CASHIER, "/help");
    await admin.configSet("maxmemory", "1");
    // The bank question goes out before the flow is saved; the save is refused, and she is told.
    world.telegram.sendText(CASHIER, { id: CASHIER.id, type: "private", first_name: CASHIER.first_name }, "/va");
    const told = await world.telegram.waitForBotMessage(CASHIER.id, { text: "ada gangguan di bot" });
    expect(textOf(told)).toContain("Coba lagi sebentar lagi");
  });
});
