import { afterEach, expect, it } from "vitest";
import type { Transformer } from "grammy";
import { createBot } from "../../src/bot/create-bot.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { silentLogger } from "../../src/logger.js";
import { CASHIER, OWNER, startWorld, type World } from "./world.js";

/**
 * One press of "Buat sekarang" handled by two instances, and the first one's photo is slow (a retry_after, a
 * slow upload): longer than the show lease. The showing press renews its lease while the photo is on its way,
 * so the other waits for the message instead of showing a second copy (whose record would leave the first
 * photo never marked paid). Found by the review of the change that made the second press wait.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

it("one press handled by two instances while Telegram is slow to take the photo: the payment is shown once", async () => {
  const LEASE = 1_000;
  // Instance A's photo takes longer than the show-hold (a Telegram 429 retry_after, a slow upload).
  const slowPhoto: Transformer = async (prev, method, payload, signal) => {
    if (method === "sendPhoto") await new Promise((resolve) => setTimeout(resolve, 3 * LEASE));
    return prev(method, payload, signal);
  };
  world = await startWorld({ staff: [CASHIER], updates: "parallel", botDeps: { apiTransformers: [slowPhoto], paymentShowLeaseMs: LEASE } });
  const askBank = await world.say(CASHIER, "/va");
  await world.press(CASHIER, askBank, { text: "BCA" });
  await world.say(CASHIER, "Siti Aminah");
  const askSingle = await world.say(CASHIER, "150rb");
  const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });

  // Instance B: the same shop (store, gateway, Telegram), no slow network.
  const gateway = createGatewayClient({ baseUrl: world.sandbox.apiBaseUrl, apiKey: "pallapi_bot_tests_0123456789abcdef0123456789abcdef", maxAttempts: 2, backoffMs: 5, timeoutMs: 5_000 });
  const b = createBot({ token: world.telegram.token, apiRoot: world.telegram.apiRoot, gateway, store: world.store, ownerIds: [OWNER.id], sandboxMode: true, logger: silentLogger(), paymentShowLeaseMs: LEASE });
  await b.init();
  const handledByB: Promise<unknown>[] = [];
  const stop = world.telegram.on("update", (update) => {
    handledByB.push(b.handleUpdate(update).catch((e: unknown) => e));
  });
  world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
  await new Promise((resolve) => setTimeout(resolve, 6 * LEASE));
  await Promise.all(handledByB);
  stop();
  const photos = world.telegram.callsTo("sendPhoto").filter((c) => c.response.ok);
  const recorded = (await world.store.payments.listRecent({ limit: 5 }))[0];
  expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
  expect(photos).toHaveLength(1);
  expect(recorded?.messageId).toBe(((photos[0]?.response as { result?: { message_id: number } }).result)?.message_id);
});
