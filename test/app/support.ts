import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Message } from "grammy/types";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createLocalBotApi, privateChat, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/index.js";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER, type VirtualAccountPaidCallback } from "../../src/gateway/callbacks.js";
import { createLogger, createSecretList, silentLogger, type Logger, type SecretList } from "../../src/logger.js";
import type { PaymentRecord, Store } from "../../src/store/types.js";

/** Helpers for the app's own stories: the whole product started as an operator starts it. */

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export function tempFolder(label: string): { dir: string; storeFile: string; storeUrl: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `pallabot-app-${label}-`));
  const storeFile = join(dir, "shop.sqlite");
  return { dir, storeFile, storeUrl: `sqlite://${storeFile}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port nobody listens on right now (for settings that must name a port before the app starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The app's config from an environment, as main.ts reads it; `port: 0` is for in-process apps only. */
export function configFrom(env: Record<string, string>, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig(env), host: "127.0.0.1", ...overrides };
}

/** A logger that keeps its JSON lines in memory, scrubbing `secrets` like the real one. */
export function memoryLogger(secrets: readonly string[] = []): { logger: Logger; lines: string[]; secrets: SecretList } {
  const lines: string[] = [];
  const list = createSecretList(secrets);
  const logger = createLogger({ level: "trace", secrets: list, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, secrets: list };
}

/** The metric's value in Prometheus text, for a series with exactly these labels (undefined if absent). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** A payment the bot made earlier, as the store keeps it (for callbacks to find). */
export async function seedPayment(store: Store, input: { externalId: string; chatId: number; amount?: number; customerName?: string }): Promise<PaymentRecord> {
  const at = new Date().toISOString();
  const record: PaymentRecord = {
    externalId: input.externalId,
    gatewayId: `va-${input.externalId}`,
    kind: "virtual_account",
    status: "pending",
    amount: input.amount ?? 150_000,
    customerName: input.customerName ?? "Siti Aminah",
    bankCode: "BCA",
    accountNumber: "1234567890123456",
    isSingleUse: true,
    createdBy: input.chatId,
    chatId: input.chatId,
    locale: "id",
    createdAt: at,
    updatedAt: at,
  };
  await store.payments.save(record);
  return record;
}

/** What Palladium posts when a customer pays a virtual account. */
export function vaPaidCallback(record: Pick<PaymentRecord, "externalId" | "amount">, paymentId: string): VirtualAccountPaidCallback {
  const at = new Date().toISOString();
  return {
    id: `cb-${paymentId}`,
    payment_id: paymentId,
    callback_virtual_account_id: `va-${record.externalId}`,
    owner_id: "owner-1",
    external_id: record.externalId,
    account_number: "1234567890123456",
    bank_code: "BCA",
    amount: record.amount,
    merchant_code: "88081",
    transaction_timestamp: at,
    created: at,
    updated: at,
  };
}

export function postCallback(baseUrl: string, token: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}${CALLBACK_PATHS["virtual-account-paid"]}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { [CALLBACK_TOKEN_HEADER]: token }) },
    body: JSON.stringify(body),
  });
}

/** main.ts in a process of its own, started the way `npm start` starts it (tsx), with only `env` set. */
export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it wrote so far, stdout and stderr apart. */
  stdout(): string;
  stderr(): string;
  /** Resolves to the exit code (or the signal) once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startAppProcess(env: Record<string, string>, port: number): Promise<AppProcess> {
  // Only what the operator sets, plus what node itself needs: nothing of the test runner's own settings.
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() };
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: repoRoot,
    env: { ...base, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  // Bounded: tsx compiles on the first start; 200 tries of 100 ms.
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${out}\n${err}`);
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    // Healthy is not yet started: long polling or the webhook registration comes after the server listens.
    if (healthy && out.includes('"msg":"pallabot started"')) return { child, baseUrl, stdout: () => out, stderr: () => err, exited };
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`the app did not answer /healthz:\n${out}\n${err}`);
}

/**
 * The whole app in this process, one per test: a local Telegram of its own, a folder for its store, a logger
 * that keeps its lines; all stopped and removed after each test of the file that calls this.
 */
export function appPerTest(label: string, botUsername: string) {
  let running: { app?: RunningApp; telegram?: LocalBotApi; folder?: ReturnType<typeof tempFolder> } = {};
  afterEach(async () => {
    await running.app?.stop();
    await running.telegram?.close();
    running.folder?.remove();
    running = {};
  });
  return async function start(env: Record<string, string> = {}) {
    const folder = tempFolder(label);
    const telegram = createLocalBotApi({ botUsername });
    running = { folder, telegram };
    await telegram.listen({ host: "127.0.0.1", port: 0 });
    const logs = memoryLogger();
    const config = configFrom({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, STORE_URL: folder.storeUrl, ...env }, { port: 0 });
    const app = await startApp(config, logs.logger, { secrets: logs.secrets });
    running.app = app;
    return { app, telegram, logs, lines: () => logs.lines.map((l) => JSON.parse(l) as { msg?: string; level?: number }) };
  };
}

/**
 * The whole app, started once for the file on its in-process sandbox and a local Telegram, with `owner` as
 * its one owner chatting in private: `say` types a message, `press` a button of a message; each answers the
 * bot's next message to the owner.
 */
export function ownerChatApp(
  label: string,
  owner: TelegramUser,
  botUsername: string,
  env: Record<string, string> | (() => Promise<Record<string, string>>) = {},
) {
  let running: { app?: RunningApp; telegram?: LocalBotApi; folder?: ReturnType<typeof tempFolder>; config?: Config } = {};
  beforeAll(async () => {
    const folder = tempFolder(label);
    const telegram = createLocalBotApi({ botUsername });
    running = { folder, telegram };
    await telegram.listen({ host: "127.0.0.1", port: 0 });
    telegram.addChat(privateChat(owner));
    const extra = typeof env === "function" ? await env() : env;
    // A PORT of its own when the environment names one (a webhook URL must name it before the start).
    running.config = configFrom(
      { BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, OWNER_IDS: String(owner.id), STORE_URL: folder.storeUrl, ...extra },
      extra.PORT === undefined ? { port: 0 } : {},
    );
    running.app = await startApp(running.config, silentLogger());
  });
  afterAll(async () => {
    await running.app?.stop();
    await running.telegram?.close();
    running.folder?.remove();
  });
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error("the app starts in beforeAll");
    return part;
  };
  const shop = {
    get app() {
      return started(running.app);
    },
    get telegram() {
      return started(running.telegram);
    },
    /** Stops the app and starts it again on the same store, as an operator's restart. */
    async restart(): Promise<void> {
      await shop.app.stop();
      running.app = undefined;
      running.app = await startApp(started(running.config), silentLogger());
    },
    say(text: string): Promise<Message> {
      shop.telegram.sendText(owner, privateChat(owner), text);
      return shop.telegram.waitForBotMessage(owner.id);
    },
    press(message: Message, label: string): Promise<Message> {
      shop.telegram.pressButton(owner, message, { text: label });
      return shop.telegram.waitForBotMessage(owner.id);
    },
  };
  return shop;
}
