import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER, type CallbackEvent } from "../../src/gateway/callbacks.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createOutbox, createStore, type Outbox } from "../../src/store/index.js";
import type { PaymentRecord, Store } from "../../src/store/types.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type RecordedCall } from "../../src/telegram-local/bot-api-server.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";

/**
 * One bot run as several identical processes (`node --import tsx src/main.ts`, production mode) on one
 * real redis-server, the way an operator scales it out:
 * - one local Telegram Bot API in this process; Telegram delivers updates to a webhook URL, here a small
 *   round-robin load balancer in front of the instances (long polling by two processes would fight);
 * - one Palladium sandbox in this process as the gateway (the instances have PALLAPI_KEY and its URL);
 * - each instance reaches the Bot API through its own pass-through proxy, which records who sent what and
 *   can hold an instance's calls (its network stalls) to catch it mid-send.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const OWNER = { id: 8001, first_name: "Bu Sari" };
export const CASHIER = { id: 8002, first_name: "Dedi" };
export const SHOP_GROUP = -1001234567801;
export const API_KEY = "pallapi_secret_multi_instance_0123456789abcdef";
export const CALLBACK_TOKEN = "callback-token-multi-instance-0123456789";
/** Asked of the instances (NOTIFIER_LEASE_MS): how long a dead instance's claimed notifications stay its own. */
export const LEASE_MS = 3_000;
/** The notifier's lease when the app does not read NOTIFIER_LEASE_MS (src/notify/notifier.ts). */
export const DEFAULT_LEASE_MS = 60_000;

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** The instance's outgoing Bot API calls, in order (method and chat). */
  apiCalls: { method: string; chatId: number | undefined; at: number }[];
  /**
   * While held, the instance's Bot API calls wait here unanswered and never reach Telegram (its network to
   * Telegram stalls). Letting go cuts the stalled calls (the instance sees a network error and retries).
   */
  holdTelegram(on: boolean): void;
  /** Bot API calls waiting in the hold right now. */
  heldCalls(): number;
  /** What the process wrote to stderr/stdout (the last 20 kB), for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  redis: RunningRedis;
  /** The test's own connection to the shared Redis: seeding, and looking at the outbox. */
  store: Store;
  outbox: Outbox;
  telegram: LocalBotApi;
  sandbox: Sandbox;
  /** The webhook URL Telegram delivers to: round-robin over the live instances. */
  balancerUrl: string;
  /** Which instance took each Telegram update, in order. */
  updatesHandledBy: string[];
  instances: Instance[];
  /** Starts one more instance of the same bot (it joins the balancer once it has registered the webhook). */
  addInstance(name: string): Promise<Instance>;
  /** Successful sendMessage calls to a chat, oldest first. */
  messagesTo(chatId: number): RecordedCall[];
  /** Every 429 the Bot API answered. */
  tooManyRequests(): RecordedCall[];
  close(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  enforceRateLimits?: boolean;
  /** Payments and links that exist before the instances start (the instances cache linked groups briefly). */
  seed?(store: Store): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const closers: (() => Promise<void>)[] = [];
  let closed = false;
  const closeAll = async () => {
    closed = true;
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  /** An instance spawned after closeAll began (a slow start racing a failed one) is stopped at once. */
  const stopOnClose = (stop: () => Promise<void>) => {
    if (closed) void stop();
    else closers.push(stop);
  };
  try {
    const redis = await startRedisServer();
    closers.push(() => redis.stop());
    const store = await createStore({ url: redis.url });
    closers.push(() => store.close());
    await options.seed?.(store);

    const telegram = createLocalBotApi({ botUsername: "toko_sari_bot", enforceRateLimits: options.enforceRateLimits ?? false, webhookRetryDelayMs: 100 });
    await telegram.listen();
    closers.push(() => telegram.close());
    telegram.addChat(privateChat(OWNER));
    telegram.addChat(privateChat(CASHIER));
    telegram.addChat({ id: SHOP_GROUP, type: "supergroup", title: "Toko Sari" }, [
      { user: OWNER, status: "creator" },
      { user: CASHIER, status: "member" },
    ]);

    const sandbox = createSandbox({ apiKey: API_KEY, callbackToken: CALLBACK_TOKEN });
    await sandbox.listen();
    closers.push(() => sandbox.close());

    const updatesHandledBy: string[] = [];
    const instances: Instance[] = [];
    const balancer = await startBalancer(() => instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null), updatesHandledBy);
    closers.push(() => balancer.close());

    const env = {
      BOT_TOKEN: telegram.token,
      STORE_URL: redis.url,
      OWNER_IDS: String(OWNER.id),
      PALLAPI_KEY: API_KEY,
      PALLAPI_BASE_URL: sandbox.apiBaseUrl,
      PALLAPI_CALLBACK_TOKEN: CALLBACK_TOKEN,
      TELEGRAM_WEBHOOK_URL: balancer.url,
      NOTIFIER_LEASE_MS: String(LEASE_MS),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    };
    /** Ready when the instance answers /healthz and has registered the webhook; only then does the balancer use it. */
    const launch = async (names: readonly string[]): Promise<Instance[]> => {
      const webhooksBefore = telegram.callsTo("setWebhook").filter((c) => c.response.ok).length;
      // Each instance's kill is registered the moment it is spawned, so a failed start leaves no process behind.
      const started = await Promise.all(names.map((name) => startInstance(name, env, telegram.apiRoot, stopOnClose)));
      await waitUntil(
        () => telegram.callsTo("setWebhook").filter((c) => c.response.ok).length >= webhooksBefore + started.length,
        20_000,
        "the new instances to register the webhook",
        () => started.map((i) => `${i.name}: ${i.output()}`).join("\n"),
      );
      instances.push(...started);
      return started;
    };
    await launch(["A", "B", "C", "D"].slice(0, options.instances));

    return {
      redis,
      store,
      outbox: createOutbox(store),
      telegram,
      sandbox,
      balancerUrl: balancer.url,
      updatesHandledBy,
      instances,
      addInstance: async (name) => (await launch([name]))[0]!,
      messagesTo: (chatId) => telegram.callsTo("sendMessage").filter((c) => c.response.ok && Number(c.payload.chat_id) === chatId),
      tooManyRequests: () => telegram.calls.filter((c) => !c.response.ok && c.response.error_code === 429),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function startInstance(
  name: string,
  env: Record<string, string>,
  telegramApiRoot: string,
  onStop: (stop: () => Promise<void>) => void,
): Promise<Instance> {
  const apiCalls: Instance["apiCalls"] = [];
  const telegramProxy = await startTelegramProxy(telegramApiRoot, apiCalls);
  const port = await freePort();
  // Only what a process needs from this one: no STORE_URL, BOT_TOKEN etc. leaking in from the shell.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "LANG", "TZ"].includes(key)),
  );
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: repoRoot,
    env: { ...inherited, ...env, PORT: String(port), TELEGRAM_API_ROOT: telegramProxy.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit").catch(() => undefined);
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await Promise.race([exited, sleep(5_000)]);
    }
    await telegramProxy.close();
  };
  onStop(() => kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`instance ${name} exited with ${child.exitCode}: ${output}`);
      return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    },
    20_000,
    `instance ${name} answering /healthz`,
    () => output,
  );
  return {
    name,
    url,
    child,
    apiCalls,
    holdTelegram: (on) => telegramProxy.hold(on),
    heldCalls: () => telegramProxy.held(),
    output: () => output,
    kill,
  };
}

/** Telegram delivers each update once to the URL; the balancer hands them to the live instances in turn. */
async function startBalancer(live: () => Instance[], handledBy: string[]): Promise<{ url: string; close(): Promise<void> }> {
  let turn = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      // Like a load balancer's health check: an instance that refuses connections is skipped.
      for (let tries = 0; tries < 4; tries++) {
        const targets = live();
        const target = targets[turn++ % Math.max(1, targets.length)];
        if (target === undefined) break;
        try {
          const answer = await forward(`${target.url}${req.url ?? "/"}`, req, body);
          handledBy.push(target.name);
          res.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
          return;
        } catch {
          // connection refused: try the next one
        }
      }
      res.writeHead(502).end();
    })();
  });
  return listenLoopback(server);
}

/** A pass-through to the local Bot API that notes each call and can stall an instance's calls. */
async function startTelegramProxy(apiRoot: string, calls: Instance["apiCalls"]) {
  let holding = false;
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (holding) {
        // Never forwarded: Telegram does not see it. The instance waits until it gives up or dies.
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      const method = (req.url ?? "").split("/").pop() ?? "";
      calls.push({ method, chatId: chatIdOf(req, body), at: Date.now() });
      try {
        const answer = await forward(`${apiRoot}${req.url ?? "/"}`, req, body);
        res.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
      } catch {
        res.destroy();
      }
    })();
  });
  const listening = await listenLoopback(server);
  return {
    url: listening.url,
    hold(on: boolean) {
      holding = on;
      if (!on) for (const res of held) res.destroy();
    },
    held: () => held.size,
    async close() {
      for (const res of held) res.destroy();
      await listening.close();
    },
  };
}

function chatIdOf(req: IncomingMessage, body: Buffer): number | undefined {
  if (!String(req.headers["content-type"] ?? "").includes("json")) return undefined;
  try {
    const id = (JSON.parse(body.toString()) as { chat_id?: unknown }).chat_id;
    return id === undefined ? undefined : Number(id);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(url: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolvePromise, reject) => {
    const headers = { ...req.headers, "content-length": String(body.length) };
    delete headers.host;
    delete headers.connection;
    delete headers["transfer-encoding"];
    const out = httpRequest(url, { method: req.method, headers }, (answer) => {
      void readBody(answer).then(
        (data) => resolvePromise({ status: answer.statusCode ?? 502, contentType: String(answer.headers["content-type"] ?? "application/json"), body: data }),
        reject,
      );
    });
    out.setTimeout(30_000, () => out.destroy(new Error("timeout")));
    out.once("error", reject);
    out.end(body);
  });
}

async function listenLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolvePromise, reject) => server.listen(0, "127.0.0.1", resolvePromise).once("error", reject));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolvePromise, reject) => server.listen(0, "127.0.0.1", resolvePromise).once("error", reject));
  const address = server.address();
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Polls `check` every 25 ms until it is true; fails after `timeoutMs` with `what` (and `detail()`). */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail()}` : ""}`);
    await sleep(25);
  }
}

// ------------------------------------------------------------------------------------------ the shop's data

let seq = 0;

/** A VA the cashier made earlier in a chat (seeded as the bot would have saved it). */
export function seededVirtualAccount(input: { chatId: number; amount: number; customerName: string; createdBy?: number }): PaymentRecord {
  seq++;
  const now = new Date().toISOString();
  return {
    // Fixed width, so no reference is the beginning of another (mi-…-1 inside mi-…-12).
    externalId: `mi-${process.pid}-${String(seq).padStart(4, "0")}`,
    gatewayId: `va-gw-${process.pid}-${seq}`,
    kind: "virtual_account",
    status: "pending",
    amount: input.amount,
    customerName: input.customerName,
    bankCode: "BNI",
    accountNumber: `88081234${String(seq).padStart(8, "0")}`,
    isSingleUse: true,
    createdBy: input.createdBy ?? CASHIER.id,
    chatId: input.chatId,
    locale: "id",
    createdAt: now,
    updatedAt: now,
  };
}

/** What Palladium POSTs when the customer pays that VA (valid per src/gateway/callbacks.ts). */
export function paidCallbackFor(payment: PaymentRecord, paymentId = `pay-${payment.externalId}`) {
  const now = new Date().toISOString();
  return {
    id: `cb-${paymentId}`,
    payment_id: paymentId,
    callback_virtual_account_id: payment.gatewayId,
    owner_id: "owner-multi-instance",
    external_id: payment.externalId,
    account_number: payment.accountNumber ?? "8808000000000000",
    bank_code: payment.bankCode ?? "BNI",
    amount: payment.amount,
    merchant_code: "88081",
    transaction_timestamp: now,
    created: now,
    updated: now,
  };
}

/** Palladium delivering one callback to one instance; the HTTP status, or 0 when nothing answered. */
export async function deliverCallback(instance: Pick<Instance, "url">, event: CallbackEvent, payload: unknown): Promise<number> {
  try {
    const answer = await fetch(`${instance.url}${CALLBACK_PATHS[event]}`, {
      method: "POST",
      headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await answer.arrayBuffer();
    return answer.status;
  } catch {
    return 0;
  }
}

/** Whether a single notification names this payment (exactly: by its reference line). */
export function names(call: RecordedCall, externalId: string): boolean {
  return textOf(call).includes(`Ref: <code>${externalId}</code>`);
}

export function textOf(call: RecordedCall): string {
  return String(call.payload.text ?? call.payload.caption ?? "");
}

/**
 * What a chat was told about payments: each single notification names one payment by its reference; a
 * digest gives a count and a total and lists the first few by customer name.
 */
export function paymentsReported(calls: readonly RecordedCall[]): { count: number; total: number; references: string[]; listedCustomers: string[]; digests: number } {
  const out = { count: 0, total: 0, references: [] as string[], listedCustomers: [] as string[], digests: 0 };
  for (const call of calls) {
    const text = textOf(call);
    const digest = /<b>(\d+) pembayaran diterima<\/b>, total <b>([^<]+)<\/b>/.exec(text);
    if (digest) {
      out.digests++;
      out.count += Number(digest[1]);
      out.total += rupiah(digest[2] ?? "");
      for (const line of text.split("\n").slice(1)) {
        const customer = /^• [^·]+ · ([^·]+) · /.exec(line)?.[1];
        if (customer !== undefined) out.listedCustomers.push(customer.trim());
      }
      continue;
    }
    const reference = /Ref: <code>([^<]+)<\/code>/.exec(text)?.[1];
    const amount = /Jumlah: <b>([^<]+)<\/b>/.exec(text)?.[1];
    if (reference !== undefined && text.includes("Pembayaran diterima")) {
      out.count++;
      out.total += rupiah(amount ?? "");
      out.references.push(reference);
    }
  }
  return out;
}

function rupiah(text: string): number {
  return Number(text.replace(/[^\d]/g, ""));
}
