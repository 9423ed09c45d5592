import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../src/app.js";
import { createOutbox, createStore } from "../../src/store/index.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { configFrom, freePort, memoryLogger, postCallback, seedPayment, tempFolder, vaPaidCallback } from "./support.js";

/**
 * A deploy restarts the bot just as a customer pays and Telegram is slow to answer. The paid notice Telegram
 * posted must be recorded as delivered before the store closes, so the next process does not post it again;
 * one Telegram never answers within the shutdown budget is not lost: the next process sends it.
 */

const OWNER: TelegramUser = { id: 7401, first_name: "Bu Wati" };
const CALLBACK_TOKEN = "callback-token-slow-telegram-0123456789ab";

let telegram: LocalBotApi;
let folder: ReturnType<typeof tempFolder>;
const running: RunningApp[] = [];

beforeAll(async () => {
  telegram = createLocalBotApi({ botUsername: "toko_wati_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  telegram.addChat(privateChat(OWNER));
});
// Each story on a shop file of its own.
beforeEach(() => {
  folder = tempFolder("slow-telegram");
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
  telegram.clearFaults();
  folder.remove();
});
afterAll(async () => {
  await telegram?.close();
});

async function startBot(): Promise<RunningApp> {
  const port = await freePort();
  const config = configFrom({
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    // Webhook mode: the only intake to stop is the HTTP server.
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
    OWNER_IDS: String(OWNER.id),
    STORE_URL: folder.storeUrl,
    PALLAPI_CALLBACK_TOKEN: CALLBACK_TOKEN,
    PORT: String(port),
  });
  const app = await startApp(config, memoryLogger().logger);
  running.push(app);
  return app;
}

async function stopBot(app: RunningApp): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.stop();
}

/** What the shop's SQLite file still owes Telegram, read as the next process would. */
async function stillToSend(): Promise<number> {
  const store = await createStore({ url: folder.storeUrl });
  try {
    return (await createOutbox(store).stats()).depth;
  } finally {
    await store.close();
  }
}

const paidNoticesOf = (externalId: string) =>
  telegram.calls.filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && String(c.payload.text).includes(externalId));

/** The customer pays while `app` runs; resolves once Telegram has posted the paid notice (its answer may still be on the way). */
async function customerPays(app: RunningApp, externalId: string): Promise<void> {
  const record = await seedPayment(app.store, { externalId, chatId: OWNER.id, customerName: "Rudi Hartono" });
  expect((await postCallback(app.url, CALLBACK_TOKEN, vaPaidCallback(record, `pay-${externalId}`))).status).toBe(200);
  await telegram.waitFor((c) => c.method === "sendMessage" && c.response.ok && String(c.payload.text).includes(externalId), { since: 0, timeoutMs: 5_000 });
}

describe("a restart while Telegram answers slowly", () => {
  it("a notice Telegram posted just before SIGTERM is recorded as delivered, and the next process does not post it again", async () => {
    const first = await startBot();
    // Telegram posts at once but answers 3.5 s later: longer than the notifier's old 2.5 s at shutdown.
    telegram.failNext("sendMessage", 1, { answerAfterMs: 3_500 });
    await customerPays(first, "pb-slow-answer");
    await stopBot(first);

    expect(await stillToSend()).toBe(0);
    expect(paidNoticesOf("pb-slow-answer")).toHaveLength(1);
  }, 30_000);

  it("a notice Telegram never answers within the shutdown budget is kept, and the next process sends it", async () => {
    const first = await startBot();
    telegram.failNext("sendMessage", 1, { answerAfterMs: 120_000 });
    await customerPays(first, "pb-no-answer");
    await stopBot(first);
    // Unanswered: nobody knows whether the owner saw it, so it is still owed.
    expect(await stillToSend()).toBe(1);

    const second = await startBot();
    // Bounded wait (the item may back off a second or two after its failed attempt).
    const outbox = createOutbox(second.store);
    for (let i = 0; i < 100 && (await outbox.stats()).depth > 0; i++) await sleep(100);
    await stopBot(second);
    expect(await stillToSend()).toBe(0);
    // Posted by the first process (the answer never came) and again by the second: the duplicate no budget avoids.
    expect(paidNoticesOf("pb-no-answer")).toHaveLength(2);
  }, 40_000);
});
