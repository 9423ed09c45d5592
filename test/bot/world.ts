import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bot } from "grammy";
import type { Message } from "grammy/types";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import { createBot } from "../../src/bot/create-bot.js";
import type { BotContext, BotDeps } from "../../src/bot/context.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { silentLogger } from "../../src/logger.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { createLocalBotApi, type LocalBotApi, type RecordedCall, type TelegramUser } from "../../src/telegram-local/bot-api-server.js";
import { merchantChat, type MerchantChat } from "../support/merchant-chat.js";
import { startConcurrentPolling } from "../support/polling.js";

/**
 * The shop's whole world over loopback HTTP: a local Telegram Bot API server, the Palladium sandbox, a
 * SQLite store in a temp folder, and a real grammY bot polling the local server.
 */

// jsqr is CommonJS: loaders disagree on whether its default import is the function or the module.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

export const OWNER: TelegramUser = { id: 1001, first_name: "Ibu", last_name: "Wati" };
export const CASHIER: TelegramUser = { id: 2002, first_name: "Rina" };
export const STRANGER: TelegramUser = { id: 3003, first_name: "Joko" };
export const NEWCOMER: TelegramUser = { id: 4004, first_name: "Dewi" };
/** The shop's Telegram group, as the group stories add it to the local Bot API. */
export const SHOP_GROUP = { id: -100_777, type: "supergroup" as const, title: "Toko Wati" };

const API_KEY = "pallapi_bot_tests_0123456789abcdef0123456789abcdef";
const CALLBACK_TOKEN = "callback-token-bot-tests-0123456789";

export interface World extends MerchantChat {
  telegram: LocalBotApi;
  sandbox: Sandbox;
  store: Store;
  bot: Bot<BotContext>;
  storeUrl: string;
  /** The next sendPhoto to a chat since the last injected update. */
  nextPhoto(chatId: number): Promise<RecordedCall>;
  /**
   * Stops the bot and closes the store, then opens both again on the same SQLite file: a process restart.
   * `graceMs` (long polling): how long the updates in hand get to finish; one still running then is cut
   * off as the app's shutdown cuts it (its store is closed under it, and Telegram does not hand it out again).
   */
  restart(options?: { graceMs?: number; whileStopped?: (storeFile: string) => void }): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  staff?: TelegramUser[];
  botDeps?: Partial<BotDeps>;
  /**
   * "polling" (default): the product's long polling (updates side by side, each person's in order).
   * "parallel": each update is handed to the bot the moment someone acts, without waiting for the ones
   * before, as in webhook mode (Telegram opens many connections) or with several instances.
   */
  updates?: "polling" | "parallel";
  /** How long the sandbox's VAs and codes stay payable (its default: 30 years). */
  sandboxExpiryMs?: number;
  /** Another store than the temp SQLite file (a Redis, say); restart() then opens it again. */
  storeUrl?: string;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-bot-"));
  const storeUrl = options.storeUrl ?? `sqlite://${join(dir, "shop.sqlite")}`;
  const telegram = createLocalBotApi({ botUsername: "toko_wati_bot" });
  await telegram.listen();
  const sandbox = createSandbox({ apiKey: API_KEY, callbackToken: CALLBACK_TOKEN, ...(options.sandboxExpiryMs !== undefined ? { expiryMs: options.sandboxExpiryMs } : {}) });
  await sandbox.listen();
  const gateway = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, maxAttempts: 2, backoffMs: 5, timeoutMs: 5_000 });

  let store = await createStore({ url: storeUrl });
  for (const member of options.staff ?? []) {
    await store.access.addStaff({ userId: member.id, name: member.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
  }

  // In "parallel" mode, the updates being handled now (a step of a story waits for them: a person reads the
  // bot's answer before acting, by which time the bot has saved where the conversation stands).
  const handling = new Set<Promise<void>>();
  const allHandled = async () => {
    while (handling.size > 0) await Promise.all([...handling]);
  };
  // Stops the running bot; resolves once the update in hand is fully handled and saved.
  let stopBot: (graceMs?: number) => Promise<void> = async () => undefined;
  const launch = async (): Promise<Bot<BotContext>> => {
    const bot = createBot({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      gateway,
      store,
      ownerIds: [OWNER.id],
      sandboxMode: true,
      logger: silentLogger(),
      ...options.botDeps,
    });
    if (options.updates === "parallel") {
      await bot.init();
      const stopListening = telegram.on("update", (update) => {
        const handled = bot.handleUpdate(update).catch(() => undefined);
        handling.add(handled);
        void handled.finally(() => handling.delete(handled));
      });
      stopBot = async () => {
        stopListening();
        await allHandled();
      };
    } else {
      const polling = await startConcurrentPolling(bot, telegram);
      stopBot = async (graceMs = 10_000) => {
        await polling.stop(graceMs);
      };
    }
    return bot;
  };
  const chat = merchantChat(telegram);
  const settled = async <T>(step: Promise<T>): Promise<T> => {
    const result = await step;
    await allHandled();
    return result;
  };
  let bot = await launch();

  const world: World = {
    telegram,
    sandbox,
    get store() {
      return store;
    },
    get bot() {
      return bot;
    },
    storeUrl,
    say: (user, text, where) => settled(chat.say(user, text, where)),
    press: (user, message, button) => settled(chat.press(user, message, button)),
    nextPhoto(chatId) {
      return telegram.waitFor((c) => c.method === "sendPhoto" && c.response.ok && (c.response.result as Message).chat.id === chatId, {
        description: `a photo in chat ${chatId}`,
      });
    },
    async restart(options = {}) {
      await stopBot(options.graceMs);
      await store.close();
      options.whileStopped?.(storeUrl.slice("sqlite://".length));
      store = await createStore({ url: storeUrl });
      bot = await launch();
    },
    async close() {
      await stopBot();
      await store.close();
      await telegram.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** What a till's scanner would read from the photo. */
export function decodeQr(call: RecordedCall): string | undefined {
  const file = call.files.find((f) => f.field === "photo") ?? call.files[0];
  if (!file) return undefined;
  const png = PNG.sync.read(file.data);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

export const textOf = (m: Message): string => ("text" in m && m.text) || ("caption" in m && m.caption) || "";
