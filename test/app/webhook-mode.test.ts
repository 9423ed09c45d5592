import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TELEGRAM_WEBHOOK_PATH, type RunningApp } from "../../src/app.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { configFrom, freePort, memoryLogger, sample, tempFolder } from "./support.js";

/**
 * An operator runs the bot behind HTTPS with TELEGRAM_WEBHOOK_URL: Telegram posts updates to the same
 * server as Palladium's callbacks, and only Telegram, which knows the secret, gets the bot to act.
 */

const OWNER: TelegramUser = { id: 6101, first_name: "Pak Budi" };
const WEBHOOK_SECRET = "webhook-secret-for-tests_0123456789";
const CALLBACK_TOKEN = "callback-token-webhook-0123456789abcdef";

let telegram: LocalBotApi;
let app: RunningApp;
let folder: ReturnType<typeof tempFolder>;
const logs = memoryLogger();

beforeAll(async () => {
  folder = tempFolder("webhook");
  telegram = createLocalBotApi({ botUsername: "toko_budi_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  const port = await freePort();
  const config = configFrom({
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    // The local Bot API accepts plain HTTP on loopback, where Telegram itself insists on HTTPS.
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OWNER_IDS: String(OWNER.id),
    STORE_URL: folder.storeUrl,
    PALLAPI_CALLBACK_TOKEN: CALLBACK_TOKEN,
    PORT: String(port),
  });
  logs.secrets.add(telegram.token, WEBHOOK_SECRET, CALLBACK_TOKEN);
  app = await startApp(config, logs.logger, { secrets: logs.secrets });
});

afterAll(async () => {
  await app?.stop();
  await telegram?.close();
  folder?.remove();
});

const postUpdate = (headers: Record<string, string>) =>
  fetch(`${app.url}${TELEGRAM_WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      update_id: 990_001,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: OWNER.id, type: "private", first_name: OWNER.first_name }, from: { ...OWNER, is_bot: false }, text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] },
    }),
  });

describe("Telegram webhook mode", () => {
  it("registers the webhook at start: the app's own path, no secret in it, the secret in secret_token", () => {
    const info = telegram.webhookInfo();
    expect(info.url).toBe(`${app.url}/telegram/updates`);
    expect(info.url).not.toContain(WEBHOOK_SECRET);
    const setWebhook = telegram.calls.find((c) => c.method === "setWebhook");
    expect(setWebhook?.payload.secret_token).toBe(WEBHOOK_SECRET);
    expect(telegram.isPolling()).toBe(false);
  });

  it("the owner sends /start through Telegram, the update arrives with the secret, and the bot answers", async () => {
    telegram.sendText(OWNER, privateChat(OWNER), "/start");
    const menu = await telegram.waitForBotMessage(OWNER.id, { timeoutMs: 5_000 });
    expect("text" in menu && menu.text).toBeTruthy();
  });

  it("a POST without the secret, or with a wrong one, is 401 with no detail, and the bot does nothing", async () => {
    const callsBefore = telegram.calls.length;
    const missing = await postUpdate({});
    const wrong = await postUpdate({ "x-telegram-bot-api-secret-token": "webhook-secret-for-tests_0123456788" });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "unauthorized" });
    // A handled update is answered only after the bot is done with it, so by now it would have spoken. (The
    // owner's own "/" menu, given in the background after her /start of the test before, is no answer.)
    expect(telegram.calls.slice(callsBefore).filter((c) => c.method !== "setMyCommands")).toEqual([]);

    // The very same update with the secret does make the bot answer: the 401s were the secret's doing.
    const withSecret = await postUpdate({ "x-telegram-bot-api-secret-token": WEBHOOK_SECRET });
    expect(withSecret.status).toBe(200);
    expect(telegram.calls.slice(callsBefore).some((c) => c.method === "sendMessage" && c.payload.chat_id === OWNER.id)).toBe(true);

    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(sample(text, "pallabot_telegram_updates_received_total", { result: "unauthorized" })).toBe(2);
    expect(sample(text, "pallabot_telegram_updates_received_total", { result: "handled" })).toBe(2);
  });

  it("with the secret but a body that is no update, it is 400 and the bot does nothing", async () => {
    const response = await fetch(`${app.url}${TELEGRAM_WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(response.status).toBe(400);
  });

  it("never writes the webhook secret, the bot token or the callback token to the logs", () => {
    expect(logs.lines.length).toBeGreaterThan(3);
    const all = logs.lines.join("");
    expect(all).toContain("request rejected");
    for (const secret of [WEBHOOK_SECRET, telegram.token, telegram.token.split(":")[1] ?? "", CALLBACK_TOKEN]) expect(all).not.toContain(secret);
  });
});
