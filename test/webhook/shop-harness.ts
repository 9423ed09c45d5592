import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Api, InputFile } from "grammy";
import { afterAll, beforeAll } from "vitest";
import QRCode from "qrcode";
import { createDisbursementDesk, type DisbursementDesk, type SendOutcome } from "../../src/disbursement/index.js";
import { CALLBACK_EVENTS, CALLBACK_PATHS, type CallbackEvent } from "../../src/gateway/callbacks.js";
import { createGatewayClient } from "../../src/gateway/client.js";
import { createI18n } from "../../src/i18n.js";
import { silentLogger } from "../../src/logger.js";
import { createNotifier, type Notifier, type NotifierDeps, type NotifierEventName } from "../../src/notify/notifier.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createCallbackEventLog, createOutbox, createStore, type Outbox, type CallbackEventLog } from "../../src/store/index.js";
import type { PaymentRecord, Store } from "../../src/store/types.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type RecordedCall } from "../../src/telegram-local/bot-api-server.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";

/**
 * A whole shop on loopback: the Palladium sandbox firing real callbacks at our webhook server, a SQLite
 * store in a temp folder, the notifier, and a local Telegram Bot API that records what the shop's chats see.
 */

export const OWNER = { id: 7001, first_name: "Bu Sari" };
export const CASHIER = { id: 7002, first_name: "Dedi" };
export const SHOP_GROUP = -1001234567001;
export const API_KEY = "sandbox_key_for_tests_0123456789";
export const CALLBACK_TOKEN = "callback-token-for-tests-0123456789";

export interface ShopOptions {
  /** Let the local Bot API answer 429 like Telegram's flood control. */
  enforceRateLimits?: boolean;
  linkGroup?: boolean;
  notifier?: Partial<Omit<NotifierDeps, "api" | "outbox" | "i18n" | "logger">> | false;
  /** Reuse an existing SQLite file (restart stories). */
  storeFile?: string;
}

export interface Shop {
  store: Store;
  outbox: Outbox;
  eventLog: CallbackEventLog;
  telegram: LocalBotApi;
  api: Api;
  sandbox: Sandbox;
  server: WebhookServer;
  webhookUrl: string;
  storeFile: string;
  notifier: Notifier | undefined;
  events: Map<NotifierEventName, number>;
  startNotifier(overrides?: Partial<Omit<NotifierDeps, "api" | "outbox" | "i18n" | "logger">>): Notifier;
  /** What the cashier does in the bot: create a VA at the sandbox, show its QR photo, save the payment. */
  createVirtualAccount(input: {
    amount: number;
    name: string;
    bank?: "BCA" | "BNI";
    createdBy?: number;
    chatId?: number;
    isSingleUse?: boolean;
    locale?: string;
    /** false: no QR photo sent first (so the record has no message to edit). */
    showPhoto?: boolean;
  }): Promise<PaymentRecord>;
  createRetailPayment(input: { amount: number; name: string; createdBy?: number; chatId?: number }): Promise<PaymentRecord>;
  createDisbursement(input: { amount: number; holder: string; accountNumber: string; bank?: "BCA" | "BNI" }): Promise<PaymentRecord>;
  /** The customer pays, through the sandbox's simulate endpoint over HTTP (the callback follows). */
  simulate(path: string, body?: unknown): Promise<Response>;
  /** Waits until the sandbox delivered its callbacks and the outbox is empty (bounded). */
  settle(timeoutMs?: number): Promise<void>;
  /** Successful sendMessage calls to a chat. */
  messagesTo(chatId: number): RecordedCall[];
  close(): Promise<void>;
}

let externalIds = 0;

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const dir = mkdtempSync(join(tmpdir(), "pallabot-notify-"));
  const storeFile = options.storeFile ?? join(dir, "shop.sqlite");
  const store = await createStore({ url: `sqlite://${storeFile}` });
  const outbox = createOutbox(store);
  const eventLog = createCallbackEventLog(store);
  const telegram = createLocalBotApi({ enforceRateLimits: options.enforceRateLimits ?? false });
  await telegram.listen();
  telegram.addChat(privateChat(OWNER));
  telegram.addChat(privateChat(CASHIER));
  telegram.addChat({ id: SHOP_GROUP, type: "supergroup", title: "Toko Maju Jaya" }, [
    { user: OWNER, status: "creator" },
    { user: CASHIER, status: "member" },
  ]);
  if (options.linkGroup ?? true) {
    await store.access.linkGroup({ chatId: SHOP_GROUP, title: "Toko Maju Jaya", linkedBy: OWNER.id, linkedAt: new Date().toISOString() });
  }
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const i18n = createI18n();
  // The cashier creates payments in these stories, so she is on the owner's staff, as she would be.
  await store.access.addStaff({ userId: CASHIER.id, name: CASHIER.first_name, addedBy: OWNER.id, addedAt: new Date().toISOString() });
  const events = new Map<NotifierEventName, number>();
  let notifier: Notifier | undefined;

  const startNotifier: Shop["startNotifier"] = (overrides = {}) => {
    const n = createNotifier({
      api,
      outbox,
      store,
      i18n,
      logger: silentLogger(),
      pollIntervalMs: 200,
      ownerIds: [OWNER.id],
      onEvent: (name) => events.set(name, (events.get(name) ?? 0) + 1),
      ...overrides,
    });
    n.start();
    notifier = n;
    return n;
  };

  const server = createWebhookServer({
    callbackToken: CALLBACK_TOKEN,
    store,
    eventLog,
    outbox,
    ownerIds: [OWNER.id],
    logger: silentLogger(),
    onRecorded: () => notifier?.wake(),
  });
  const webhookUrl = await server.listen({ port: 0, host: "127.0.0.1" });
  const callbackUrls = Object.fromEntries(CALLBACK_EVENTS.map((e) => [e, `${webhookUrl}${CALLBACK_PATHS[e]}`])) as Record<CallbackEvent, string>;
  const sandbox = createSandbox({ apiKey: API_KEY, callbackToken: CALLBACK_TOKEN, callbackUrls, callbackRetry: { attempts: 5, baseDelayMs: 100 } });
  await sandbox.listen();
  const gateway = createGatewayClient({ baseUrl: sandbox.apiBaseUrl, apiKey: API_KEY, backoffMs: 10 });
  if (options.notifier !== false) startNotifier(options.notifier ?? {});

  const qr = await QRCode.toBuffer("8808123456789012", { width: 128 });
  // Fixed-width counter: no reference is the beginning of another, so a text search for one finds only it.
  const nextExternalId = () => `test-${process.pid}-${Date.now().toString(36)}-${String(++externalIds).padStart(4, "0")}`;
  const nowIso = () => new Date().toISOString();

  async function showPhoto(chatId: number, caption: string): Promise<number> {
    const message = await api.sendPhoto(chatId, new InputFile(qr, "qr.png"), { caption });
    return message.message_id;
  }

  return {
    store,
    outbox,
    eventLog,
    telegram,
    api,
    sandbox,
    server,
    webhookUrl,
    storeFile,
    get notifier() {
      return notifier;
    },
    events,
    startNotifier,
    async createVirtualAccount({ amount, name, bank = "BCA", createdBy = CASHIER.id, chatId = createdBy, isSingleUse = true, locale = "id", showPhoto: withPhoto = true }) {
      const externalId = nextExternalId();
      const va = await gateway.createVirtualAccount({ externalId, bankCode: bank, name, amount, isSingleUse });
      const messageId = withPhoto ? await showPhoto(chatId, `VA ${bank} ${va.accountNumber}`) : undefined;
      const record: PaymentRecord = {
        externalId,
        gatewayId: va.id,
        kind: "virtual_account",
        status: "pending",
        amount,
        customerName: name,
        bankCode: bank,
        accountNumber: va.accountNumber,
        isSingleUse,
        expiresAt: va.expiresAt?.toISOString(),
        createdBy,
        chatId,
        messageId,
        locale,
        createdAt: nowIso(),
        updatedAt: nowIso(),
      };
      await store.payments.save(record);
      return record;
    },
    async createRetailPayment({ amount, name, createdBy = CASHIER.id, chatId = createdBy }) {
      const externalId = nextExternalId();
      const rp = await gateway.createRetailPayment({ externalId, retailOutletName: "ALFAMART", name, amount });
      const messageId = await showPhoto(chatId, `Alfamart ${rp.paymentCode}`);
      const record: PaymentRecord = {
        externalId,
        gatewayId: rp.id,
        kind: "retail",
        status: "pending",
        amount,
        customerName: name,
        retailOutletName: "ALFAMART",
        paymentCode: rp.paymentCode,
        createdBy,
        chatId,
        messageId,
        locale: "id",
        createdAt: nowIso(),
        updatedAt: nowIso(),
      };
      await store.payments.save(record);
      return record;
    },
    async createDisbursement({ amount, holder, accountNumber, bank = "BCA" }) {
      const externalId = nextExternalId();
      const d = await gateway.createDisbursement({ externalId, bankCode: bank, accountName: holder, accountNumber, description: "Bayar supplier", amount });
      const record: PaymentRecord = {
        externalId,
        gatewayId: d.id,
        kind: "disbursement",
        status: "pending",
        amount,
        customerName: holder,
        bankCode: bank,
        accountNumber,
        description: "Bayar supplier",
        createdBy: OWNER.id,
        chatId: OWNER.id,
        locale: "id",
        createdAt: nowIso(),
        updatedAt: nowIso(),
      };
      await store.payments.save(record);
      return record;
    },
    simulate(path, body = {}) {
      return fetch(`${sandbox.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    },
    async settle(timeoutMs = 15_000) {
      await sandbox.callbacksSettled();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { depth } = await outbox.stats();
        if (depth === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox still holds ${depth} notifications after ${timeoutMs} ms`);
        await sleep(25);
      }
    },
    messagesTo(chatId) {
      return telegram.callsTo("sendMessage").filter((c) => c.response.ok && Number(c.payload.chat_id) === chatId);
    },
    async close() {
      await notifier?.stop();
      await sandbox.close();
      await server.close();
      await telegram.close();
      await store.close();
      if (options.storeFile === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function textOf(call: RecordedCall): string {
  return String(call.payload.text ?? call.payload.caption ?? "");
}

/** What a chat shows of a message, without its HTML tags. */
export const plainText = (html: string) => html.replace(/<[^>]+>/g, "");

/** The shop's messages to a chat that mention one payment, as the chat shows them. */
export const toldAbout = (shop: Shop, chatId: number, externalId: string) =>
  shop.messagesTo(chatId).map(textOf).filter((t) => t.includes(externalId)).map(plainText);

/** The caption a message (a payment's QR photo) shows now, edits included. */
export const captionNow = (shop: Shop, chatId: number, messageId: number | undefined) => {
  const shown = shop.telegram.messagesIn(chatId).find((m) => m.message_id === messageId);
  return shown && "caption" in shown ? (shown.caption ?? "") : "";
};

/**
 * One shop for all the stories of a test file: started before the first, closed after the last. `onStart`
 * hands it to the file (which keeps its own `shop`), and the two readers of what the chats show read it too.
 */
export function shopPerFile(onStart: (shop: Shop) => void, options: ShopOptions = {}) {
  let current: Shop | undefined;
  beforeAll(async () => {
    current = await startShop(options);
    onStart(current);
  });
  afterAll(async () => {
    await current?.close();
  });
  const started = (): Shop => {
    if (current === undefined) throw new Error("the shop starts in beforeAll");
    return current;
  };
  return {
    told: (chatId: number, externalId: string) => toldAbout(started(), chatId, externalId),
    captionOf: (chatId: number, messageId: number | undefined) => captionNow(started(), chatId, messageId),
  };
}

/** The owner's disbursement desk on the shop's store and sandbox: Rp 50 juta a transfer, Rp 60 juta a day; its clock `now`. */
export function ownersDesk(shop: Shop, now: () => Date = () => new Date()): DisbursementDesk {
  return createDisbursementDesk({
    store: shop.store,
    gateway: createGatewayClient({ baseUrl: shop.sandbox.apiBaseUrl, apiKey: API_KEY, backoffMs: 10, timeoutMs: 2_000, maxAttempts: 1 }),
    logger: silentLogger(),
    now,
    maxAmount: 50_000_000,
    dailyLimit: 60_000_000,
    confirmTtlMs: 600_000,
    sendBoundMs: 30_000,
  });
}

let transfers = 0;

/** A transfer to "Joko Supplier" at BCA that the owner confirms and the desk sends: its reference and what the send answered. */
export async function sendTransfer(desk: DisbursementDesk, amount: number): Promise<{ externalId: string; outcome: SendOutcome }> {
  const n = ++transfers;
  const draft = await desk.saveDraft({
    draftId: `draft-${process.pid}-${n}`,
    externalId: `transfer-${process.pid}-${n}`,
    ownerId: OWNER.id,
    chatId: OWNER.id,
    locale: "id",
    bankCode: "BCA",
    accountNumber: "1234567890",
    holderName: "Joko Supplier",
    amount,
    description: "Bayar supplier",
  });
  const claim = await desk.claimConfirm(draft.draftId, OWNER.id);
  if (!claim.ok) throw new Error("the owner's press should win");
  return { externalId: draft.externalId, outcome: await desk.send(claim.draft, {}) };
}
