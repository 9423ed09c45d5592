import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { privateChat, type RecordedCall } from "../../src/telegram-local/bot-api-server.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { CASHIER, startWorld, textOf, type World } from "./world.js";

/**
 * The shop on Redis, and Redis goes away at the very moment the bot has asked the next question, for
 * longer than the store's command timeout (5 s). conversations v2 saves a flow's step after its replies,
 * so the question was on the cashier's screen while the stored flow was still at the one before (a Redis
 * that died never got the write): her "50rb" for the amount was read as the customer's name and refused.
 * A Redis that only hung did apply the write once it resumed, but the bot had told her "not handled, try
 * again", and the name she typed again would have been read as the amount. Now the step's save is tried
 * again until Redis takes it, and her answer waits for it. A language just chosen is saved the same way.
 */

let world: World | undefined;
let redis: RunningRedis | undefined;
afterEach(async () => {
  await world?.close();
  await redis?.stop();
  world = undefined;
  redis = undefined;
});

/** Calls `goAway` the moment the bot's message to the cashier holding `words` is sent, before the bot reads Telegram's answer. */
function whenAsked(w: World, words: string, goAway: () => void): () => number | undefined {
  let at: number | undefined;
  const stop = w.telegram.on("call", (call: RecordedCall) => {
    if (at !== undefined || call.method !== "sendMessage" || !call.response.ok) return;
    const message = call.response.result as Message;
    if (message.chat.id !== CASHIER.id || !textOf(message).includes(words)) return;
    goAway();
    at = Date.now();
    stop();
  });
  return () => at;
}

/** Her typed answer, and the bot's next message to her (which may wait for Redis to be back). */
async function answer(w: World, text: string): Promise<Message> {
  const mark = w.telegram.mark();
  w.telegram.sendText(CASHIER, privateChat(CASHIER), text);
  return w.telegram.waitForBotMessage(CASHIER.id, { since: mark, timeoutMs: 30_000 });
}

async function upToTheName(w: World): Promise<void> {
  await w.press(CASHIER, await w.say(CASHIER, "/va"), { text: "BCA" });
}

describe("Redis goes away just after the bot asked the next question", () => {
  it("Redis dies and comes back 7 s later: her answer to the question on screen answers it, with no 'try again' before", async () => {
    redis = await startRedisServer({ durable: true });
    world = await startWorld({ staff: [CASHIER], storeUrl: redis.url });
    const [w, r] = [world, redis];
    await upToTheName(w);
    const wentAt = whenAsked(w, "nominal", () => void r.kill());
    expect(textOf(await w.say(CASHIER, "Siti Aminah"))).toContain("nominal");
    await sleep(7_000 - (Date.now() - (wentAt() ?? Date.now())));
    await r.start();

    const reply = await answer(w, "50rb");
    expect(textOf(reply)).toContain("sekali bayar");
    expect(w.telegram.messagesIn(CASHIER.id).map(textOf).filter((t) => t.includes("ada gangguan"))).toEqual([]);
  });

  it("Redis hangs 10 s: the bot does not say her answer went unhandled, and her next answer is read against the question on screen", async () => {
    redis = await startRedisServer();
    world = await startWorld({ staff: [CASHIER], storeUrl: redis.url });
    const [w, r] = [world, redis];
    await upToTheName(w);
    const wentAt = whenAsked(w, "nominal", () => r.pause());
    expect(textOf(await w.say(CASHIER, "Siti Aminah"))).toContain("nominal");
    await sleep(10_000 - (Date.now() - (wentAt() ?? Date.now())));
    r.resume();

    const reply = await answer(w, "50rb");
    expect(textOf(reply)).toContain("sekali bayar");
    expect(w.telegram.messagesIn(CASHIER.id).map(textOf).filter((t) => t.includes("ada gangguan"))).toEqual([]);
  });

  it("Redis dies just as the bot confirms English, back 7 s later: the choice is kept, and her next message is answered in English", async () => {
    redis = await startRedisServer({ durable: true });
    world = await startWorld({ staff: [CASHIER], storeUrl: redis.url });
    const [w, r] = [world, redis];
    const choose = await w.say(CASHIER, "/bahasa");
    const wentAt = whenAsked(w, "Language set to English", () => void r.kill());
    expect(textOf(await w.press(CASHIER, choose, { text: "🇬🇧 English" }))).toContain("Language set to English");
    await sleep(7_000 - (Date.now() - (wentAt() ?? Date.now())));
    await r.start();

    const reply = await answer(w, "/bahasa");
    expect(textOf(reply), w.telegram.messagesIn(CASHIER.id).map(textOf).join(" | ")).toContain("Choose a language");
  });
});
