import { createHmac, randomBytes } from "node:crypto";
import { Api } from "grammy";
import type { Config } from "./config.js";
import { CALLBACK_EVENTS, CALLBACK_PATHS, type CallbackEvent } from "./gateway/callbacks.js";
import { createGatewayClient } from "./gateway/client.js";
import { createSandbox, type Sandbox } from "./sandbox/index.js";
import { createStore, createCallbackEventLog, createOutbox, type PaymentRecord, type Store } from "./store/index.js";
import { createBot } from "./bot/create-bot.js";
import { createWebhookServer } from "./webhook/server.js";
import { createNotifier } from "./notify/notifier.js";
import { createI18n } from "./i18n.js";
import { createLocalBotApi, type LocalBotApi } from "./telegram-local/index.js";
import type { Logger } from "./logger.js";

/**
 * The composition root: config -> store -> gateway (real or sandbox) -> bot -> webhook server ->
 * notifier. main.ts only reads the environment and handles signals; tests start the same app.
 */

export interface RunningApp {
  /** The webhook server's base URL (Palladium callbacks, health, Telegram webhook). */
  url: string;
  store: Store;
  sandbox: Sandbox | undefined;
  /** Only in the offline demo: the in-process Telegram. */
  localTelegram: LocalBotApi | undefined;
  /** Stops taking updates and callbacks, finishes what is in flight, closes the store. */
  stop(): Promise<void>;
}

/** The same secret on every instance without more configuration: derived from the bot token. */
export function telegramWebhookSecret(config: Pick<Config, "telegramWebhookSecret">, botToken: string): string {
  return config.telegramWebhookSecret ?? createHmac("sha256", botToken).update("pallabot telegram webhook").digest("base64url");
}

export const TELEGRAM_WEBHOOK_PATH = "/telegram/updates";

export async function startApp(config: Config, logger: Logger, options: { portFallback?: boolean } = {}): Promise<RunningApp> {
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) {
      await stop().catch((err: unknown) => logger.error({ err }, "stopping a part failed"));
    }
  };
  try {
    const store = await createStore({ url: config.storeUrl, logger });
    stack.push(() => store.close());

    // Telegram: the real one, or a local Bot API in-process for the offline demo.
    let localTelegram: LocalBotApi | undefined;
    let botToken = config.botToken;
    let apiRoot = config.telegramApiRoot;
    if (botToken === undefined) {
      localTelegram = createLocalBotApi({ botUsername: "pallabot_demo_bot" });
      apiRoot = await localTelegram.listen({ host: "127.0.0.1", port: 0 });
      botToken = localTelegram.token;
      const local = localTelegram;
      stack.push(() => local.close());
    }

    // Palladium: the real one with a key, otherwise the in-process sandbox (its callbacks come back to us).
    let sandbox: Sandbox | undefined;
    let gatewayBaseUrl = config.pallapiBaseUrl;
    let apiKey = config.pallapiKey;
    let callbackToken = config.pallapiCallbackToken;
    if (config.sandboxMode) {
      apiKey = `pallapi_secret_sandbox_${randomBytes(16).toString("hex")}`;
      callbackToken ??= randomBytes(24).toString("hex");
      sandbox = createSandbox({ apiKey, callbackToken, logger: logger.child({ part: "sandbox" }) });
      await sandbox.listen({ host: "127.0.0.1", port: 0 });
      gatewayBaseUrl = sandbox.apiBaseUrl;
      const running = sandbox;
      stack.push(() => running.close());
    }
    if (apiKey === undefined || callbackToken === undefined) throw new Error("PALLAPI_KEY and PALLAPI_CALLBACK_TOKEN are both required");

    const gateway = createGatewayClient({
      baseUrl: gatewayBaseUrl,
      apiKey,
      timeoutMs: config.pallapiTimeoutMs,
      logger: logger.child({ part: "gateway" }),
    });

    const simulatePayment = sandbox
      ? async (record: PaymentRecord) => {
          if (record.kind === "virtual_account") sandbox.payVirtualAccount(record.externalId);
          else if (record.kind === "retail") sandbox.payRetail(record.externalId);
        }
      : undefined;

    const ownerIds = config.ownerIds;
    const bot = createBot({
      token: botToken,
      apiRoot,
      gateway,
      store,
      ownerIds,
      sandboxMode: config.sandboxMode,
      logger: logger.child({ part: "bot" }),
      simulatePayment,
      disburseMaxAmount: config.disburseMaxAmount,
      disburseDailyLimit: config.disburseDailyLimit,
    });

    const i18n = createI18n();
    const outbox = createOutbox(store);
    const eventLog = createCallbackEventLog(store);
    // The notifier has its own Api: its retries are its own (see notify/notifier.ts), not auto-retry's.
    const notifierApi = new Api(botToken, apiRoot ? { apiRoot } : {});
    const notifier = createNotifier({ api: notifierApi, outbox, store, i18n, logger });

    const webhookMode = config.telegramWebhookUrl !== undefined;
    const secretToken = telegramWebhookSecret(config, botToken);
    const server = createWebhookServer({
      callbackToken,
      store,
      eventLog,
      outbox,
      ownerIds,
      logger: logger.child({ part: "webhook" }),
      onRecorded: () => notifier.wake(),
      telegram: webhookMode
        ? { path: TELEGRAM_WEBHOOK_PATH, secretToken, handleUpdate: (update) => bot.handleUpdate(update as never) }
        : undefined,
    });
    let url: string;
    try {
      url = await server.listen({ port: config.port, host: config.host });
    } catch (err) {
      // The offline demo should start on a busy machine too; a deployment must get the port it asked for.
      if (!options.portFallback || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      logger.warn({ port: config.port }, "port in use, the offline demo takes a free one");
      url = await server.listen({ port: 0, host: config.host });
    }
    stack.push(() => server.close());

    if (sandbox) {
      const local = url.replace("://0.0.0.0:", "://127.0.0.1:");
      sandbox.setCallbackUrls(
        Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, `${local}${CALLBACK_PATHS[event]}`])) as Record<CallbackEvent, string>,
      );
    }

    notifier.start();
    stack.push(() => notifier.stop());

    await bot.init();
    if (webhookMode) {
      await bot.api.setWebhook(`${config.telegramWebhookUrl}${TELEGRAM_WEBHOOK_PATH}`, {
        secret_token: secretToken,
        allowed_updates: ["message", "callback_query", "my_chat_member"],
      });
      stack.push(async () => {
        await bot.stop();
      });
    } else {
      await bot.api.deleteWebhook();
      const polling = bot.start({ drop_pending_updates: false, allowed_updates: ["message", "callback_query", "my_chat_member"] });
      polling.catch((err: unknown) => logger.error({ err }, "long polling stopped"));
      stack.push(async () => {
        await bot.stop();
        await polling.catch(() => undefined);
      });
    }
    logger.info(
      { url, mode: localTelegram ? "offline-demo" : config.sandboxMode ? "sandbox" : "production", store: store.backend, webhookMode },
      "pallabot started",
    );

    return { url, store, sandbox, localTelegram, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
