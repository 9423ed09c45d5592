import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Api, type Bot } from "grammy";
import { afterEach, beforeEach } from "vitest";
import type { Message } from "grammy/types";
import { createBot } from "../../src/bot/create-bot.js";
import type { BotContext, BotDeps } from "../../src/bot/context.js";
import { disbursementWatch, failedTransferButtons, type DisbursementOptions } from "../../src/bot/features/disbursement.js";
import type { SendWatch } from "../../src/disbursement/index.js";
import { CALLBACK_EVENTS, CALLBACK_PATHS, type CallbackEvent } from "../../src/gateway/callbacks.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { createI18n } from "../../src/i18n.js";
import { silentLogger } from "../../src/logger.js";
import { createNotifier, type Notifier } from "../../src/notify/notifier.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { sandboxModePlays } from "../../src/sandbox-mode.js";
import { createCallbackEventLog, createOutbox, createStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import {
  createLocalBotApi,
  type ChatRef,
  type LocalBotApi,
  type RecordedCall,
  type TelegramUser,
} from "../../src/telegram-local/bot-api-server.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { merchantChat, type MerchantChat } from "../support/merchant-chat.js";
import { startPolling } from "../support/polling.js";

/**
 * A shop that sends money, over loopback HTTP end to end: the local Telegram Bot API, the real grammY bot
 * on long polling, the Palladium sandbox, our webhook receiver taking the sandbox's disbursement callbacks,
 * the notifier posting results, and a SQLite store in a temp folder. The bot's clock can be moved forward.
 */

export const OWNER: TelegramUser = { id: 1001, first_name: "Ibu", last_name: "Wati" };
export const CO_OWNER: TelegramUser = { id: 1005, first_name: "Pak", last_name: "Harto" };
export const CASHIER: TelegramUser = { id: 2002, first_name: "Rina" };
export const STRANGER: TelegramUser = { id: 3003, first_name: "Joko" };
export const SHOP_GROUP: ChatRef = { id: -100_777, type: "supergroup", title: "Toko Wati" };

const API_KEY = "pallapi_disburse_tests_0123456789abcdef0123456789";
/** The shop's Palladium callback token, for callbacks the sandbox would not send. */
export const CALLBACK_TOKEN = "callback-token-disburse-tests-0123456789";

export interface Shop extends MerchantChat {
  telegram: LocalBotApi;
  sandbox: Sandbox;
  readonly store: Store;
  readonly bot: Bot<BotContext>;
  /** Moves the bot's clock (not the store's, not the sandbox's) forward. */
  advanceClock(ms: number): void;
  /** Presses a button and resolves to the text of the bot's answer to that press (a toast or an alert). */
  pressForAnswer(user: TelegramUser, message: Message, button: string | { text: string }): Promise<string>;
  /** Our callback receiver's base URL (it changes at each restart), for callbacks the sandbox would not send. */
  readonly webhookUrl: string;
  /** Disbursement create requests that reached the sandbox (faulty ones and replays included). */
  gatewayCalls(): number;
  /** Waits until the sandbox's callbacks are delivered and the notifier has sent everything. */
  settle(): Promise<void>;
  messagesTo(chatId: number): RecordedCall[];
  /**
   * Everything stops, then the store, bot, webhook, notifier and watch start again on the same SQLite file.
   * With `graceMs`, the bot gets only that long to finish the update in hand, as the app's shutdown gives long
   * polling; what it was doing then is cut off: its store is closed, so it can write nothing more.
   */
  restart(options?: { graceMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startShop(
  options: {
    disburse?: DisbursementOptions & Pick<BotDeps, "apiTransformers">;
    watchIntervalMs?: number;
    /** Sandbox mode's "🧪 Bank: berhasil / gagal" buttons under a transfer sent, as the app wires them. */
    playsTheBank?: boolean;
  } = {},
): Promise<Shop> {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-disburse-"));
  const storeUrl = `sqlite://${join(dir, "shop.sqlite")}`;
  const telegram = createLocalBotApi({ botUsername: "toko_wati_bot" });
  await telegram.listen();
  const sandbox = createSandbox({ apiKey: API_KEY, callbackToken: CALLBACK_TOKEN, callbackRetry: { attempts: 5, baseDelayMs: 50 } });
  await sandbox.listen();
  const gateway = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, maxAttempts: 2, backoffMs: 5, timeoutMs: 5_000 });
  const i18n = createI18n();
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  let store!: Store;
  let bot!: Bot<BotContext>;
  let polling: Promise<void> = Promise.resolve();
  let server!: WebhookServer;
  let webhookUrl = "";
  let notifier!: Notifier;
  let watch!: SendWatch;
  let outboxDepth: () => Promise<number> = async () => 0;

  async function open() {
    store = await createStore({ url: storeUrl });
    const outbox = createOutbox(store);
    outboxDepth = async () => (await outbox.stats()).depth;
    notifier = createNotifier({
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      outbox,
      store,
      i18n,
      logger: silentLogger(),
      pollIntervalMs: 100,
      noticeButtons: failedTransferButtons(i18n, [OWNER.id, CO_OWNER.id]),
    });
    notifier.start();
    server = createWebhookServer({
      callbackToken: CALLBACK_TOKEN,
      store,
      eventLog: createCallbackEventLog(store),
      outbox,
      ownerIds: [OWNER.id, CO_OWNER.id],
      logger: silentLogger(),
      onRecorded: () => notifier.wake(),
    });
    webhookUrl = await server.listen({ port: 0, host: "127.0.0.1" });
    sandbox.setCallbackUrls(Object.fromEntries(CALLBACK_EVENTS.map((e) => [e, `${webhookUrl}${CALLBACK_PATHS[e]}`])) as Record<CallbackEvent, string>);
    bot = createBot({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      gateway,
      store,
      ownerIds: [OWNER.id, CO_OWNER.id],
      sandboxMode: true,
      logger: silentLogger(),
      now,
      ...(options.playsTheBank === true ? { simulateTransferResult: sandboxModePlays(sandbox).simulateTransferResult } : {}),
      ...options.disburse,
    });
    polling = (await startPolling(bot)).ended;
    watch = disbursementWatch({
      store,
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      logger: silentLogger(),
      i18n,
      now,
      intervalMs: options.watchIntervalMs ?? 50,
    });
    watch.start();
  }

  async function shut(graceMs?: number) {
    const stopped = bot.stop().then(() => polling);
    if (graceMs === undefined) await stopped;
    else {
      stopped.catch(() => undefined);
      await Promise.race([stopped, sleep(graceMs)]);
    }
    await watch.stop();
    await notifier.stop();
    await server.close();
    await store.close();
  }

  await open();
  await store.access.addStaff({ userId: CASHIER.id, name: CASHIER.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
  telegram.addChat(SHOP_GROUP, [
    { user: OWNER, status: "creator" },
    { user: CO_OWNER, status: "administrator" },
    { user: CASHIER, status: "member" },
    { user: STRANGER, status: "member" },
  ]);
  await store.access.linkGroup({ chatId: SHOP_GROUP.id, title: "Toko Wati", linkedBy: OWNER.id, linkedAt: new Date().toISOString() });

  return {
    telegram,
    sandbox,
    get store() {
      return store;
    },
    get bot() {
      return bot;
    },
    get webhookUrl() {
      return webhookUrl;
    },
    advanceClock(ms) {
      offsetMs += ms;
    },
    ...merchantChat(telegram),
    async pressForAnswer(user, message, button) {
      const update = telegram.pressButton(user, message, button);
      const id = update.callback_query?.id;
      const call = await telegram.waitFor((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === id, {
        description: `the answer to ${user.first_name}'s press`,
      });
      return String(call.payload.text ?? "");
    },
    gatewayCalls: () => sandbox.stats().createRequests["create-disbursement"],
    async settle() {
      await sandbox.callbacksSettled();
      for (let i = 0; i < 400; i++) {
        if ((await outboxDepth()) === 0) return;
        await sleep(25);
      }
      throw new Error("the outbox did not empty within 10 s");
    },
    messagesTo(chatId) {
      return telegram.callsTo("sendMessage").filter((c) => c.response.ok && Number(c.payload.chat_id) === chatId);
    },
    async restart(restartOptions = {}) {
      await shut(restartOptions.graceMs);
      await open();
    },
    async close() {
      await shut();
      await telegram.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const textOf = (m: Message): string => ("text" in m && m.text) || ("caption" in m && m.caption) || "";
export const callText = (c: RecordedCall): string => String(c.payload.text ?? c.payload.caption ?? "");

/** Waits (bounded) until `ok`; fails naming `what`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export interface TransferInput {
  bank?: string;
  account: string;
  holder: string;
  amount: string;
  description: string;
  emails?: { to: string; cc?: string; bcc?: string };
}

/** The stories' usual shop: at most Rp 2.000.000 a transfer and Rp 3.000.000 a day. */
export const STORY_LIMITS = { disburseMaxAmount: 2_000_000, disburseDailyLimit: 3_000_000 };
/** The stories' usual transfer: Rp 1.500.000 to a supplier's BCA account. */
export const SUPPLIER: TransferInput = { account: "1234567890", holder: "Budi Santoso", amount: "1,5jt", description: "Bayar supplier beras" };

/** A shop of its own for each test of the file (STORY_LIMITS), closed after it: `shop()` is the current one. */
export function shopPerTest(): () => Shop {
  let current: Shop | undefined;
  beforeEach(async () => {
    current = await startShop({ disburse: STORY_LIMITS });
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error("the shop starts in beforeEach");
    return current;
  };
}

/** The owner walks the flow with good answers and gets the summary with its confirm button. */
export async function fillTransfer(shop: Shop, owner: TelegramUser, input: TransferInput): Promise<Message> {
  const askBank = await shop.say(owner, "/kirimdana");
  await shop.press(owner, askBank, { text: input.bank ?? "BCA" });
  await shop.say(owner, input.account);
  await shop.say(owner, input.holder);
  await shop.say(owner, input.amount);
  const askEmail = await shop.say(owner, input.description);
  if (!input.emails) return shop.press(owner, askEmail, { text: "⏭ Lewati" });
  const askCc = await shop.say(owner, input.emails.to);
  const askBcc = input.emails.cc ? await shop.say(owner, input.emails.cc) : await shop.press(owner, askCc, { text: "⏭ Lewati" });
  return input.emails.bcc ? shop.say(owner, input.emails.bcc) : shop.press(owner, askBcc, { text: "⏭ Lewati" });
}
