import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramWebhookSecret } from "../../src/app.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createStore } from "../../src/store/index.js";
import type { PaymentRecord } from "../../src/store/types.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { freePort, postCallback, seedPayment, startAppProcess, tempFolder, vaPaidCallback, type AppProcess } from "./support.js";

/**
 * The product as an operator runs it: `node --import tsx src/main.ts` with its settings in the
 * environment, in production mode against a Palladium stand-in, talking to a local Telegram. It is
 * driven through a day's trouble (a forged callback, a real one, a customer's message, Telegram failing
 * twice, the gateway dropping a connection), then stopped with SIGTERM in the middle of a burst of
 * callbacks, and started again on the same SQLite file.
 */

const OWNER: TelegramUser = { id: 7101, first_name: "Bu Rina" };
const API_KEY = "pallapi_live_key_process_test_0123456789abcdef";
const CALLBACK_TOKEN = "callback-token-process-test-0123456789abcdef";
const METRICS_TOKEN = "metrics-token-process-test-0123456789";
const BURST = 30;
/** One chat per burst payment, so each notification is its own message (no digest). */
const burstCustomer = (i: number): TelegramUser => ({ id: 8100 + i, first_name: `Kasir ${i}` });
const SIGTERM_DEADLINE_MS = 10_000;

let telegram: LocalBotApi;
let sandbox: Sandbox;
let folder: ReturnType<typeof tempFolder>;
let env: Record<string, string>;
let port: number;
let firstPayment: PaymentRecord;
let failedTelegramPayment: PaymentRecord;
const burstPayments: PaymentRecord[] = [];
const runs: AppProcess[] = [];

beforeAll(async () => {
  folder = tempFolder("process");
  telegram = createLocalBotApi({ botUsername: "toko_rina_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  telegram.addChat(privateChat(OWNER));
  for (let i = 0; i < BURST; i++) telegram.addChat(privateChat(burstCustomer(i)));
  sandbox = createSandbox({ apiKey: API_KEY, callbackToken: CALLBACK_TOKEN });
  await sandbox.listen();

  // Payments the bot made on an earlier day, already in the shop's SQLite file.
  const store = await createStore({ url: folder.storeUrl });
  firstPayment = await seedPayment(store, { externalId: "pb-process-first", chatId: OWNER.id, customerName: "Siti Aminah" });
  failedTelegramPayment = await seedPayment(store, { externalId: "pb-process-drop", chatId: OWNER.id, customerName: "Joko Susilo" });
  for (let i = 0; i < BURST; i++) {
    // Each made by a cashier of the shop, in her private chat.
    const cashier = burstCustomer(i);
    await store.access.addStaff({ userId: cashier.id, name: cashier.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
    burstPayments.push(await seedPayment(store, { externalId: `pb-burst-${i}`, chatId: cashier.id, amount: 10_000 + i }));
  }
  await store.close();

  port = await freePort();
  env = {
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    OWNER_IDS: String(OWNER.id),
    STORE_URL: folder.storeUrl,
    PALLAPI_BASE_URL: sandbox.apiBaseUrl,
    PALLAPI_KEY: API_KEY,
    PALLAPI_CALLBACK_TOKEN: CALLBACK_TOKEN,
    METRICS_TOKEN,
    LOG_LEVEL: "trace",
  };
  runs.push(await startAppProcess(env, port));
}, 60_000);

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  await telegram?.close();
  await sandbox?.close();
  folder?.remove();
});

const paidMessagesTo = (chatId: number) =>
  telegram.calls.filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === chatId && String(c.payload.text).includes("Pembayaran diterima"));

async function say(text: string): Promise<Message> {
  telegram.sendText(OWNER, privateChat(OWNER), text);
  return telegram.waitForBotMessage(OWNER.id, { timeoutMs: 5_000 });
}

describe("the app in its own process", () => {
  it("takes a forged and a real callback, a customer's message and Telegram's and the gateway's failures", async () => {
    const [run] = runs;
    if (run === undefined) throw new Error("not started");

    // Someone without the token: 401, nothing recorded.
    expect((await postCallback(run.baseUrl, "forged-token-0123456789", vaPaidCallback(firstPayment, "pay-forged"))).status).toBe(401);
    // Palladium, with it: recorded, and the owner hears of it.
    expect((await postCallback(run.baseUrl, CALLBACK_TOKEN, vaPaidCallback(firstPayment, "pay-first"))).status).toBe(200);
    await telegram.waitFor((c) => paidMessagesTo(OWNER.id).includes(c), { timeoutMs: 5_000, description: "the owner hears of the first payment" });

    // A Telegram update, answered through long polling.
    const menu = await say("/start");
    expect("text" in menu && menu.text).toBeTruthy();

    // Telegram drops the connection under the notifier (a grammY HttpError, whose cause names the URL
    // with the bot token in it); the notifier tries again and the message arrives.
    telegram.failNext("sendMessage", 1, { dropConnection: true });
    expect((await postCallback(run.baseUrl, CALLBACK_TOKEN, vaPaidCallback(failedTelegramPayment, "pay-drop"))).status).toBe(200);
    await telegram.waitFor((c) => paidMessagesTo(OWNER.id).length === 2 && paidMessagesTo(OWNER.id).includes(c), {
      timeoutMs: 8_000,
      description: "the second payment's message after Telegram dropped the first try",
    });

    // Telegram refuses the bot's reply once: the bot logs the error, tells the owner to try again, and carries on.
    telegram.failNext("sendMessage", 1, { error_code: 400, description: "Bad Request: chat not found" });
    telegram.sendText(OWNER, privateChat(OWNER), "/help");
    await telegram.waitFor((c) => c.method === "sendMessage" && !c.response.ok, { timeoutMs: 5_000, description: "the refused reply" });
    await telegram.waitForBotMessage(OWNER.id, { text: "ada gangguan di bot", timeoutMs: 5_000 });
    expect((await say("/start")).chat.id).toBe(OWNER.id);

    // The owner makes a virtual account while the gateway drops the first attempt's connection: the
    // client retries with the API key in its header, and the payment is made once.
    sandbox.injectFault({ endpoint: "create-virtual-account", when: "before", status: 0 });
    const menu2 = await say("/start");
    telegram.pressButton(OWNER, menu2, { text: "🏦 Buat Virtual Account" });
    const askBank = await telegram.waitForBotMessage(OWNER.id, { timeoutMs: 5_000 });
    telegram.pressButton(OWNER, askBank, { text: "BCA" });
    await telegram.waitForBotMessage(OWNER.id, { timeoutMs: 5_000 });
    await say("Dewi Lestari");
    const askSingle = await say("Rp 250.000");
    telegram.pressButton(OWNER, askSingle, { text: "Sekali bayar" });
    const summary = await telegram.waitForBotMessage(OWNER.id, { timeoutMs: 5_000 });
    telegram.pressButton(OWNER, summary, { text: "✅ Buat sekarang" });
    await telegram.waitForBotMessage(OWNER.id, { text: "diteruskan ke pelanggan", timeoutMs: 10_000 });
    expect(sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(sandbox.stats().createRequests["create-virtual-account"]).toBe(2);

    // With METRICS_TOKEN set, the scraper needs it; anyone else gets a bare 401.
    expect((await fetch(`${run.baseUrl}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${run.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('pallabot_payments_created_total{kind="virtual_account"} 1');
  }, 60_000);

  it("drains on SIGTERM in the middle of a burst of callbacks: each gets 2xx or no connection, never a 5xx, and exits 0", async () => {
    const [run] = runs;
    if (run === undefined) throw new Error("not started");
    const send = (i: number) =>
      postCallback(run.baseUrl, CALLBACK_TOKEN, vaPaidCallback(burstPayments[i] as PaymentRecord, `pay-burst-${i}`)).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (error: unknown) => ({ status: 0, body: String((error as { cause?: unknown }).cause ?? error) }),
      );
    // Two thirds at once; SIGTERM as soon as the first answer is back, while the rest are in flight.
    const wave = Array.from({ length: Math.floor((BURST * 2) / 3) }, (_, i) => send(i));
    await Promise.race(wave);
    run.child.kill("SIGTERM");
    // The last third keeps coming while the app shuts down, one after another, as a gateway would.
    const late: { status: number; body: string }[] = [];
    for (let i = wave.length; i < BURST; i++) late.push(await send(i));
    const results = [...(await Promise.all(wave)), ...late];
    const exit = await Promise.race([run.exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), SIGTERM_DEADLINE_MS).unref())]);
    expect(exit, run.stdout().slice(-3000)).toEqual({ code: 0, signal: null });

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500), JSON.stringify(results)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 0), JSON.stringify(results)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const lines = run.stdout().trim().split("\n");
    expect(lines.at(-1)).toContain("pallabot stopped");

    // Started again on the same file: every callback that got its 2xx is heard, exactly once.
    const restarted = await startAppProcess(env, port);
    runs.push(restarted);
    const answered = burstPayments.filter((_, i) => statuses[i] === 200);
    for (const record of answered) {
      await telegram.waitFor((c) => paidMessagesTo(record.chatId).includes(c), { since: 0, timeoutMs: 8_000, description: `the message for ${record.externalId}` });
    }
    // Palladium retries the ones that got no answer; now every chat has heard, each exactly once.
    for (const [i, record] of burstPayments.entries()) {
      if (statuses[i] !== 200) expect((await postCallback(restarted.baseUrl, CALLBACK_TOKEN, vaPaidCallback(record, `pay-burst-${i}`))).status).toBe(200);
    }
    for (const record of burstPayments) {
      await telegram.waitFor((c) => paidMessagesTo(record.chatId).includes(c), { since: 0, timeoutMs: 8_000, description: `the message for ${record.externalId}` });
    }
    expect(burstPayments.map((r) => paidMessagesTo(r.chatId).length)).toEqual(burstPayments.map(() => 1));
    expect(paidMessagesTo(OWNER.id)).toHaveLength(2);

    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it("writes only JSON lines, and never the bot token, the API key, the callback token, the metrics token or the webhook secret", () => {
    expect(runs).toHaveLength(2);
    const secrets = {
      botToken: telegram.token,
      botTokenSecretPart: telegram.token.split(":")[1] ?? "",
      apiKey: API_KEY,
      callbackToken: CALLBACK_TOKEN,
      metricsToken: METRICS_TOKEN,
      webhookSecret: telegramWebhookSecret({ telegramWebhookSecret: undefined }, telegram.token),
    };
    const levels = new Map<number, number>();
    const messages: string[] = [];
    for (const run of runs) {
      const output = run.stdout() + run.stderr();
      for (const [name, secret] of Object.entries(secrets)) {
        expect(secret.length, name).toBeGreaterThan(10);
        expect(output.includes(secret), `${name} appears in the output`).toBe(false);
      }
      for (const line of output.split("\n").filter((l) => l !== "")) {
        const entry = JSON.parse(line) as { level: number; msg: string; time: number };
        expect(typeof entry.time).toBe("number");
        levels.set(entry.level, (levels.get(entry.level) ?? 0) + 1);
        messages.push(entry.msg);
      }
    }
    // The stories above did reach the logs (so the check above looked at something): rejections,
    // Telegram's failures, the gateway's retry, and the shutdown.
    expect(messages).toContain("request rejected");
    expect(messages).toContain("notification not sent; will retry");
    expect(messages).toContain("update failed");
    expect(messages).toContain("gateway unavailable, retrying");
    expect(messages.filter((m) => m === "shutting down")).toHaveLength(2);
    expect(levels.get(20) ?? 0).toBeGreaterThan(0); // debug lines too: LOG_LEVEL reached the logger
  });
});
