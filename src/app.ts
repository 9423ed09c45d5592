import { createHmac, randomBytes } from "node:crypto";
import { Api, BotError, type Bot, type GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { DEFAULT_STORE_URL, SANDBOX_STORE_URL, TELEGRAM_WEBHOOK_PATH, type Config } from "./config.js";
import { CALLBACK_EVENTS, CALLBACK_PATHS, type CallbackEvent } from "./gateway/callbacks.js";
import { createGatewayClient } from "./gateway/client.js";
import { createSandbox, type Sandbox } from "./sandbox/index.js";
import { shopsElsewhere } from "./store/shops-elsewhere.js";
import { createStore, createCallbackEventLog, createOutbox, type Store } from "./store/index.js";
import { commandMenus, publishCommandMenus } from "./bot/command-menus.js";
import { createBot } from "./bot/create-bot.js";
import { sandboxModePlays } from "./sandbox-mode.js";
import type { SessionData } from "./bot/context.js";
import { paidMessageButtons } from "./bot/payment-message.js";
import { recipientLanguage } from "./bot/recipient-language.js";
import { keyvStorageAdapter } from "./bot/storage-adapter.js";
import { disbursementWatch, failedTransferButtons } from "./bot/features/disbursement.js";
import type { BotContext } from "./bot/context.js";
import { createWebhookServer, type TelegramUpdate } from "./webhook/server.js";
import { createNotifier } from "./notify/notifier.js";
import { outcomeWithin, withTimeoutSignal } from "./deadline.js";
import { startLongPolling } from "./bot/long-polling.js";
import { createI18n } from "./i18n.js";
import { createLocalBotApi, type LocalBotApi } from "./telegram-local/index.js";
import type { Logger, SecretList } from "./logger.js";
import { countTelegramCalls, createAppMetrics, type AppMetrics } from "./metrics/index.js";
import { StartError } from "./start-error.js";
import { telegramAtStart } from "./telegram-at-start.js";

/**
 * The composition root: config -> store -> gateway (real or sandbox) -> bot -> webhook server ->
 * notifier. main.ts only reads the environment and handles signals; tests start the same app.
 */

export interface RunningApp {
  /** The webhook server's base URL (Palladium callbacks, health, metrics, Telegram webhook). */
  url: string;
  store: Store;
  sandbox: Sandbox | undefined;
  /** Only in the offline demo: the in-process Telegram. */
  localTelegram: LocalBotApi | undefined;
  /** This app's own registry (also served on GET /metrics). */
  metrics: AppMetrics;
  /** Stops taking updates and callbacks, finishes what is in flight, closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The offline demo takes a free port when PORT is busy; a deployment must get the port it asked for. */
  portFallback?: boolean;
  /**
   * The logger's secret list: secrets made at start (derived webhook secret, sandbox key) are added to it, and
   * the gateway's words are scrubbed with it before they reach a chat.
   */
  secrets?: Pick<SecretList, "add" | "scrub">;
  /** Default: a registry of this app's own. */
  metrics?: AppMetrics;
  /**
   * The app can no longer do its job and will not recover by itself (long polling ended: Telegram answered
   * 409 because another process polls with the same token, or 401). main.ts stops and exits non-zero, so a
   * supervisor restarts it instead of it staying up, healthy to look at, and deaf.
   */
  onFatal?: (reason: string) => void;
  /**
   * Aborted when the process is asked to stop while it starts: a wait for a Telegram or a Redis that cannot
   * be reached ends at once, and the start rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** How long the start's Telegram calls may take in all before the start fails. Default some 30 s. */
  telegramStartMs?: number;
  /** How long the first connection to a Redis STORE_URL may take before the start fails. Default some 30 s. */
  storeConnectMs?: number;
}

/** The same secret on every instance without more configuration: derived from the bot token. */
export function telegramWebhookSecret(config: Pick<Config, "telegramWebhookSecret">, botToken: string): string {
  return config.telegramWebhookSecret ?? createHmac("sha256", botToken).update("pallabot telegram webhook").digest("base64url");
}

export { TELEGRAM_WEBHOOK_PATH };
// edited_message: an answer corrected by editing it is not read, and the person must hear so (see help.ts).
const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/**
 * Shutdown budgets, inside main.ts's 10 s: taking in (long polling's current batch, callbacks and updates
 * already on the wire) gets INTAKE_GRACE_MS (long polling one second more to confirm). The notifier then
 * gets the rest of STOP_BUDGET_MS, less AFTER_NOTIFIER_MS for the parts after it, and never less than
 * NOTIFIER_MIN_GRACE_MS: usually intake stops at once and a send waiting on a slow Telegram has some 8 s
 * to be answered; at worst 6 + 2 + 0.5 + 1 s still ends before main.ts gives up.
 * Whatever is still running then is cut: a callback without an answer is retried by Palladium, an update
 * by Telegram, an unanswered notification is sent again (see the notifier part below).
 */
const INTAKE_GRACE_MS = 5_000;
/** All of stop(): main.ts exits at 10 s, and its last log lines need a moment to flush. */
const STOP_BUDGET_MS = 9_000;
/** The disbursement watch, the in-process sandbox and Telegram, and the store, which stop after the notifier. */
const AFTER_NOTIFIER_MS = 1_000;
const NOTIFIER_MIN_GRACE_MS = 2_000;
/** Sandbox mode's keys on a Redis STORE_URL (the real shop's are under "pallabot"). */
export const SANDBOX_REDIS_PREFIX = "pallabot-sandbox";
/** How long the start waits for Telegram to take the "/" menus of commands. */
const MENUS_MS = 10_000;
/** Sandbox mode, at stop: for the in-process sandbox's callbacks (on loopback) to reach the server. */
const SANDBOX_CALLBACKS_MS = 2_000;
/** For the notifier to record what its cut sends became, once its grace is over. */
const NOTIFIER_RECORD_MS = 500;

/**
 * How each part stops. "intake" parts (the bot's long polling, the HTTP server) stop together, first, so
 * no new work comes in while the rest drains; the other parts then stop one by one, last started first:
 * notifier, then the in-process sandbox and Telegram, then the store.
 */
interface Part {
  name: string;
  intake?: boolean;
  /** `stopEndsAt`: when (ms since epoch) the whole stop must be over; most parts are quick and ignore it. */
  stop: (stopEndsAt: number) => Promise<void>;
}

export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const parts: Part[] = [];
  const keepSecret = (...secrets: (string | undefined)[]) => options.secrets?.add(...secrets);
  let stopping: Promise<void> | undefined;
  /** Set when the start fails by itself (not cut short by options.signal). */
  let startFailed = false;
  const stopAll = () =>
    (stopping ??= (async () => {
      const stopEndsAt = Date.now() + STOP_BUDGET_MS;
      const stopPart = async (part: Part) => {
        await part.stop(stopEndsAt).catch((err: unknown) => logger.error({ err, part: part.name }, "stopping a part failed"));
      };
      const started = parts.splice(0).reverse();
      await Promise.all(started.filter((p) => p.intake).map(stopPart));
      for (const part of started.filter((p) => !p.intake)) await stopPart(part);
      // A failed start has its own line (main.ts); "stopped" would read as if it had run.
      if (!startFailed) logger.info("pallabot stopped");
    })());

  try {
    const store = await createStore({
      url: config.storeUrl,
      logger,
      connectTimeoutMs: options.storeConnectMs,
      signal: options.signal,
      // Sandbox mode's shop apart from the real one on a Redis too, as on SQLite (a file of its own): its
      // simulated payments and transfers never join the real shop's, nor count against its daily limit.
      ...(config.sandboxMode ? { keyPrefix: SANDBOX_REDIS_PREFIX } : {}),
    });
    parts.push({ name: "store", stop: () => store.close() });
    const outbox = createOutbox(store);
    const eventLog = createCallbackEventLog(store);
    const metrics = options.metrics ?? createAppMetrics({ outboxStats: () => outbox.stats(), logger: logger.child({ part: "metrics" }) });

    // Telegram: the real one, or a local Bot API in-process for the offline demo.
    let localTelegram: LocalBotApi | undefined;
    let botToken = config.botToken;
    let apiRoot = config.telegramApiRoot;
    if (botToken === undefined) {
      localTelegram = createLocalBotApi({ botUsername: "pallabot_demo_bot" });
      apiRoot = await localTelegram.listen({ host: "127.0.0.1", port: 0 });
      botToken = localTelegram.token;
      const local = localTelegram;
      parts.push({ name: "local-telegram", stop: () => local.close() });
    }
    keepSecret(botToken);

    // Palladium: the real one with a key, otherwise the in-process sandbox (its callbacks come back to us).
    let sandbox: Sandbox | undefined;
    let gatewayBaseUrl = config.pallapiBaseUrl;
    let apiKey = config.pallapiKey;
    let callbackToken = config.pallapiCallbackToken;
    if (config.sandboxMode) {
      apiKey = `pallapi_secret_sandbox_${randomBytes(16).toString("hex")}`;
      callbackToken ??= randomBytes(24).toString("hex");
      keepSecret(apiKey, callbackToken);
      sandbox = createSandbox({ apiKey, callbackToken, logger: logger.child({ part: "sandbox" }) });
      await sandbox.listen({ host: "127.0.0.1", port: 0 });
      gatewayBaseUrl = sandbox.apiBaseUrl;
      const running = sandbox;
      parts.push({ name: "sandbox", stop: () => running.close() });
    }
    if (apiKey === undefined || callbackToken === undefined) throw new Error("PALLAPI_KEY and PALLAPI_CALLBACK_TOKEN are both required");
    keepSecret(apiKey, callbackToken);

    const gateway = createGatewayClient({
      baseUrl: gatewayBaseUrl,
      apiKey,
      ...(options.secrets !== undefined ? { otherSecrets: options.secrets } : {}),
      timeoutMs: config.pallapiTimeoutMs,
      logger: logger.child({ part: "gateway" }),
      onRequest: metrics.gatewayRequest,
    });

    const { simulatePayment, simulateTransferResult } = sandbox ? sandboxModePlays(sandbox) : {};

    const ownerIds = config.ownerIds;
    if (ownerIds.length === 0) logger.warn("OWNER_IDS is empty: nobody can use the bot; set it to your Telegram user id");
    for (const other of await shopsElsewhere(store, config.storeUrl, [DEFAULT_STORE_URL, SANDBOX_STORE_URL]).catch(() => [])) {
      logger.warn(
        other,
        "the store STORE_URL names has no payments, but this file holds a shop's: if it is this shop, stop and point STORE_URL at it " +
          "(sandbox mode keeps its shop in pallabot-sandbox.sqlite: rename the file if it was the sandbox's; a shop cannot be moved to Redis by the bot)",
      );
    }
    for (const warning of config.warnings) logger.warn(warning);
    const i18n = createI18n();
    const translate = (locale: string, key: string) => i18n.t(locale, key);
    // Owners whose own "/" menu Telegram has not taken yet: all of them until the start has published the menus.
    const ownerMenusToGive = new Set(ownerIds);
    const bot = createBot({
      token: botToken,
      apiRoot,
      gateway,
      store,
      ownerIds,
      sandboxMode: config.sandboxMode,
      logger: logger.child({ part: "bot" }),
      simulatePayment,
      simulateTransferResult,
      onPaymentCreated: (record) => metrics.paymentCreated(record.kind),
      disburseMaxAmount: config.disburseMaxAmount,
      disburseDailyLimit: config.disburseDailyLimit,
      disburseGatewayTimeoutMs: config.pallapiTimeoutMs,
      apiTransformers: [countTelegramCalls(metrics, "bot")],
      ownerOpenedTheBot: async (ownerId) => {
        if (!ownerMenusToGive.has(ownerId)) return;
        const ownMenus = commandMenus(translate, [ownerId]).filter((menu) => menu.scope.type === "chat");
        await publishCommandMenus(startApi, ownMenus, AbortSignal.timeout(MENUS_MS)).then(
          (notYet) => {
            if (notYet.length > 0) return;
            ownerMenusToGive.delete(ownerId);
            logger.info({ ownerId }, "the owner opened the bot and has the owner's \"/\" menu now");
          },
          (err: unknown) => logger.warn({ err, ownerId }, "could not give the owner the owner's \"/\" menu; the commands still work"),
        );
      },
    });
    // The start's own Telegram calls go through an Api without auto-retry, each tried within one deadline
    // (see telegram-at-start.ts): bot.api would wait silently, for hours, for a Telegram it cannot reach.
    const startApi = new Api(botToken, apiRoot ? { apiRoot } : {});
    startApi.config.use(countTelegramCalls(metrics, "bot"));
    const telegramCalls = telegramAtStart({ apiRoot, logger: logger.child({ part: "telegram-start" }), deadlineMs: options.telegramStartMs, signal: options.signal });
    // Before the server listens: with a webhook already registered, an update may arrive at once, and
    // handleUpdate needs the bot's getMe (bot.init() would ask it through bot.api).
    bot.botInfo = await telegramCalls.call("getMe", (signal) => startApi.getMe(signal), tokenRefused);

    // The notifier has its own Api: its retries are its own (see notify/notifier.ts), not auto-retry's.
    const notifierApi = new Api(botToken, apiRoot ? { apiRoot } : {});
    notifierApi.config.use(countTelegramCalls(metrics, "notifier"));
    const notifier = createNotifier({
      api: notifierApi,
      outbox,
      store,
      i18n,
      logger,
      ownerIds,
      leaseMs: config.notifierLeaseMs,
      onEvent: metrics.notifierEvent,
      paidMessageButtons: paidMessageButtons(i18n, { canSimulate: simulatePayment !== undefined, now: () => new Date() }),
      noticeButtons: failedTransferButtons(i18n, ownerIds),
      sandboxMode: config.sandboxMode,
      chosenLocaleOf: recipientLanguage({
        sessions: keyvStorageAdapter<SessionData>(store.namespace("sessions"), {
          onUnreadable: (key, error) => logger.warn({ key, err: error }, "a stored session could not be read; dropped, the person's notices speak the language recorded"),
        }),
        translate: (locale, key, variables) => i18n.t(locale, key, variables),
      }).chosenLocaleOf,
    });
    notifier.start();
    parts.push({
      name: "notifier",
      async stop(stopEndsAt) {
        // The store closes after this part, so every send must have recorded its outcome by then: a message
        // Telegram posted but that is not marked delivered is posted again by the next process. A fixed
        // short grace (it was 2.5 s, against a 20 s send timeout) left a slow answer to land on a closed
        // store. So the notifier gets all the budget the later parts do not need, and its stop() cuts any
        // send still unanswered when that runs out and records it as failed (released: sent again, never
        // lost) before resolving. The outer bound only guards against a store that no longer answers.
        const graceMs = Math.max(NOTIFIER_MIN_GRACE_MS, stopEndsAt - AFTER_NOTIFIER_MS - Date.now());
        if (!(await settlesWithin(notifier.stop(graceMs), graceMs + NOTIFIER_RECORD_MS))) {
          logger.warn("notifier could not record its last sends at shutdown; they come back after their lease");
        }
      },
    });
    // Concludes disbursement sends cut off mid-call, here or on another instance (see disbursement/watch.ts).
    const sendWatch = disbursementWatch({ store, api: bot.api, i18n, logger: logger.child({ part: "disbursement-watch" }) });
    sendWatch.start();
    parts.push({ name: "disbursement-watch", stop: () => sendWatch.stop() });

    const webhookMode = config.telegramWebhookUrl !== undefined;
    const secretToken = telegramWebhookSecret(config, botToken);
    const webhookUpdates = updatesInHand();
    keepSecret(secretToken);
    const server = createWebhookServer({
      callbackToken,
      store,
      eventLog,
      outbox,
      ownerIds,
      logger, // the server names its own part
      onRecorded: () => notifier.wake(),
      onCallback: metrics.callbackReceived,
      onTelegramUpdate: metrics.telegramUpdate,
      metrics,
      metricsToken: config.metricsToken,
      trustProxy: config.trustProxy,
      telegram: webhookMode
        ? { path: TELEGRAM_WEBHOOK_PATH, secretToken, handleUpdate: (update) => webhookUpdates.handle(() => handleWebhookUpdate(bot, update)) }
        : undefined,
    });
    let url: string;
    try {
      url = await server.listen({ port: config.port, host: config.host });
    } catch (err) {
      // The offline demo should start on a busy machine too; a deployment must get the port it asked for.
      if (!options.portFallback || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw listenError(err, config);
      // Info, not warn: the demo says so in its chat (main.ts), and its terminal shows only warnings.
      logger.info({ port: config.port }, "port in use, the offline demo takes a free one");
      url = await server.listen({ port: 0, host: config.host }).catch((error: unknown) => Promise.reject(listenError(error, config)));
    }
    // Sandbox mode: a "simulate payment" press still being handled makes the in-process sandbox call back
    // here, and its retries die with the process (the real gateway's go on for a day). So the server waits
    // for the updates in hand (long polling's last batch, or the webhook deliveries, new ones refused) and
    // then for the sandbox's callbacks, briefly, before it closes. All of it within long polling's own bound
    // (INTAKE_GRACE_MS + 1 s), which the shutdown budget counts on.
    let longPolling = false;
    let updatesTaken = () => {};
    const lastUpdatesTaken = new Promise<void>((resolve) => (updatesTaken = resolve));
    parts.push({
      name: "http-server",
      intake: true,
      async stop() {
        const stopStartedAt = Date.now();
        const leftOf = (ms: number) => Math.max(0, stopStartedAt + ms - Date.now());
        if (sandbox) {
          await outcomeWithin(longPolling ? lastUpdatesTaken : webhookUpdates.refuseAndDrain(), INTAKE_GRACE_MS);
          await settlesWithin(sandbox.callbacksSettled(), Math.min(SANDBOX_CALLBACKS_MS, leftOf(INTAKE_GRACE_MS)));
        }
        await server.close({ graceMs: Math.min(INTAKE_GRACE_MS, leftOf(INTAKE_GRACE_MS + 1_000)) });
      },
    });

    if (sandbox) {
      const local = url.replace("://0.0.0.0:", "://127.0.0.1:");
      sandbox.setCallbackUrls(
        Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, `${local}${CALLBACK_PATHS[event]}`])) as Record<CallbackEvent, string>,
      );
    }

    if (webhookMode) {
      // Nothing to stop for updates: the server stops taking them, and Telegram retries what it could not deliver.
      // The webhook stays registered at shutdown, so the other instances (or this one, restarted) keep receiving.
      await telegramCalls.call(
        "setWebhook",
        (signal) =>
          startApi.setWebhook(`${config.telegramWebhookUrl}${TELEGRAM_WEBHOOK_PATH}`, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] }, signal),
        webhookRefused,
      );
    } else {
      // Telegram refuses getUpdates while a webhook is set. bot.start() deletes it too, but in a retry loop
      // of its own; done here, within the start's Telegram deadline, a Telegram that cannot be reached fails
      // the start instead.
      await telegramCalls.call("deleteWebhook", (signal) => startApi.deleteWebhook(undefined, signal));
      let stopRequested = false;
      const polling = startLongPolling(bot, { allowedUpdates: ALLOWED_UPDATES });
      longPolling = true;
      polling.ended.catch((err: unknown) => {
        if (stopRequested) return logger.debug({ err }, "long polling ended while stopping");
        logger.fatal({ err }, "long polling stopped: no more updates from Telegram; stopping");
        options.onFatal?.("long polling stopped");
      });
      const stopLongPolling = async () => {
        // The updates in hand get the grace to finish; see long-polling.ts for what happens to one cut off.
        stopRequested = true;
        const stopped = polling.stop(INTAKE_GRACE_MS);
        const outcome = await outcomeWithin(stopped, INTAKE_GRACE_MS + 1_000);
        const { finished, confirmError } = outcome === "resolved" ? await stopped : { finished: false, confirmError: undefined };
        if (confirmError !== undefined) logger.warn({ err: confirmError }, "could not confirm the last updates to Telegram; they may come again after a restart");
        if (!finished) logger.warn("long polling had not stopped within its grace period");
      };
      parts.push({
        name: "long-polling",
        intake: true,
        async stop() {
          try {
            await stopLongPolling();
          } finally {
            updatesTaken();
          }
        },
      });
    }
    // The "/" menus only show the commands, which work without them: a failure is a warning, not a failed
    // start, and a slow Telegram holds the start for MENUS_MS at most.
    await withTimeoutSignal(MENUS_MS, [options.signal], (signal) => publishCommandMenus(startApi, commandMenus(translate, ownerIds), signal)).then(
      (notYet) => {
        for (const ownerId of ownerIds) if (!notYet.includes(ownerId)) ownerMenusToGive.delete(ownerId);
        if (notYet.length > 0) logger.info({ ownerIds: notYet }, "an owner who has not opened the bot yet gets the owner's \"/\" menu when she does");
      },
      (err: unknown) => {
        if (options.signal?.aborted) throw options.signal.reason;
        logger.warn({ err }, "could not set the bot's command menus (the \"/\" list); the commands still work");
      },
    );
    logger.info(
      {
        url,
        mode: localTelegram ? "offline-demo" : config.sandboxMode ? "sandbox" : "production",
        ...(config.sandboxMode ? {} : { gateway: new URL(config.pallapiBaseUrl).host }),
        store: store.backend,
        webhookMode,
      },
      "pallabot started",
    );

    return { url, store, sandbox, localTelegram, metrics, stop: stopAll };
  } catch (err) {
    startFailed = options.signal?.aborted !== true;
    await stopAll();
    throw err;
  }
}

/** getMe refused: the token is wrong or was revoked (Telegram answers 404 to one that is malformed). */
function tokenRefused(error: GrammyError): StartError | undefined {
  if (error.error_code !== 401 && error.error_code !== 404) return undefined;
  return new StartError(
    "telegram_refused",
    "BOT_TOKEN",
    `BOT_TOKEN: Telegram refused the token (${error.error_code} ${error.description}); copy it again from @BotFather (it may have been revoked)`,
    { cause: error },
  );
}

/** setWebhook refused (400): Telegram does not accept the URL. */
function webhookRefused(error: GrammyError): StartError | undefined {
  if (error.error_code !== 400) return undefined;
  return new StartError("telegram_refused", "TELEGRAM_WEBHOOK_URL", `TELEGRAM_WEBHOOK_URL: Telegram refused the webhook (${error.description})`, {
    cause: error,
  });
}

/** The HTTP server could not listen: the setting to fix when the error says which (PORT or HOST). */
function listenError(err: unknown, config: Pick<Config, "port" | "host">): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") {
    return new StartError("port_unusable", "PORT", `PORT: ${config.port} is already in use on ${config.host} (EADDRINUSE); stop what listens there or pick another PORT`, {
      cause: err,
    });
  }
  if (code === "EACCES") {
    return new StartError("port_unusable", "PORT", `PORT: not allowed to listen on ${config.port} (EACCES); pick a port above 1023`, { cause: err });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EADDRNOTAVAIL" || code === "EAI_NONAME") {
    return new StartError(
      "host_unusable",
      "HOST",
      `HOST: cannot listen on "${config.host}" (${code}); use 0.0.0.0 (every interface), 127.0.0.1, or an address of this machine`,
      { cause: err },
    );
  }
  return err;
}

/**
 * One update from the webhook. A failure inside the bot's middleware is the bot's to report (bot.catch),
 * as in long polling, and the update counts as handled: Telegram delivering it again would fail the same way.
 */
async function handleWebhookUpdate(bot: Bot<BotContext>, update: TelegramUpdate): Promise<void> {
  try {
    await bot.handleUpdate(update as unknown as Update);
  } catch (err) {
    if (err instanceof BotError) await bot.errorHandler(err as BotError<BotContext>);
    else throw err;
  }
}

/**
 * Telegram's webhook deliveries being handled. Once refused (at a stop), a new one is answered 503 and
 * Telegram delivers it again later, to this instance restarted or another.
 */
function updatesInHand() {
  let inHand = 0;
  let refused = false;
  const whenNone: (() => void)[] = [];
  return {
    async handle(handleUpdate: () => Promise<void>): Promise<void> {
      if (refused) throw new Error("stopping: Telegram delivers this update again later");
      inHand++;
      try {
        await handleUpdate();
      } finally {
        if (--inHand === 0) for (const resolve of whenNone.splice(0)) resolve();
      }
    },
    /** Refuses new deliveries; resolves once none is in hand. */
    refuseAndDrain(): Promise<void> {
      refused = true;
      return inHand === 0 ? Promise.resolve() : new Promise((resolve) => whenNone.push(resolve));
    },
  };
}

/** True if `task` settled within `ms` (it keeps running otherwise). */
async function settlesWithin(task: Promise<unknown>, ms: number): Promise<boolean> {
  return (await outcomeWithin(task, ms)) !== "late";
}
