import { createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../src/app.js";
import { createLocalBotApi, type LocalBotApi } from "../../src/telegram-local/index.js";
import { configFrom, freePort, memoryLogger, tempFolder } from "./support.js";

/**
 * An owner starts the bot on a server that cannot reach Telegram (a firewall, a wrong TELEGRAM_API_ROOT, a
 * Telegram answering 502). The start must not wait forever in silence: each try is a warning in the log,
 * and after the start's deadline the start fails with a line that says which settings to look at. A
 * Telegram that comes back within the deadline is simply used.
 */

const TOKEN = "123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq_x";
/** Short for the stories; the default is some 30 s. */
const DEADLINE_MS = 1_500;
/** A bounded wait for the start's outcome, far above DEADLINE_MS: a start that hangs fails the story instead. */
const OUTCOME_WITHIN_MS = 12_000;

interface Line {
  level?: number;
  msg?: string;
  method?: string;
  reason?: string;
  attempt?: number;
}

let folder: ReturnType<typeof tempFolder> | undefined;
let app: RunningApp | undefined;
let telegram: LocalBotApi | undefined;
let htmlServer: Server | undefined;
afterEach(async () => {
  await app?.stop();
  await telegram?.close();
  if (htmlServer) await new Promise((resolve) => htmlServer?.close(resolve));
  folder?.remove();
  app = telegram = folder = htmlServer = undefined;
});

/** Starts the app against `apiRoot` and waits (bounded) for it to start or fail. */
async function startAgainst(apiRoot: string, deadlineMs = DEADLINE_MS) {
  folder = tempFolder("telegram-unreachable");
  const logs = memoryLogger();
  const config = configFrom({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, STORE_URL: folder.storeUrl, OWNER_IDS: "7101" }, { port: 0 });
  const outcome = await Promise.race([
    startApp(config, logs.logger, { secrets: logs.secrets, telegramStartMs: deadlineMs }).then(
      (running) => ({ started: running }),
      (error: unknown) => ({ failed: error as Error & { variable?: string } }),
    ),
    sleep(OUTCOME_WITHIN_MS).then(() => ({ stillStarting: true })),
  ]);
  if ("started" in outcome) app = outcome.started;
  const text = () => logs.lines.join("");
  const lines = () => logs.lines.map((l) => JSON.parse(l) as Line);
  return { outcome, text, lines };
}

/** A "Telegram" behind a proxy that answers every call 502 with `body` (given the request's path). */
async function badGateway(contentType: string, body: (path: string) => string): Promise<string> {
  htmlServer = createServer((req, res) => {
    res.writeHead(502, { "content-type": contentType });
    res.end(body(req.url ?? ""));
  });
  await new Promise<void>((resolve) => htmlServer?.listen(0, "127.0.0.1", resolve));
  const address = htmlServer.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

const htmlBadGateway = () => badGateway("text/html", () => "<html><body>502 Bad Gateway</body></html>");
/**
 * A proxy whose JSON description ends with the request's path, so the token sits where the logged reason
 * is cut short: a token cut in half is no longer the token the logger scrubs, and half of it was logged.
 */
const echoingBadGateway = () =>
  badGateway("application/json", (path) =>
    JSON.stringify({ ok: false, error_code: 502, description: `502 Bad Gateway from upstream proxy ${"·".repeat(60)} path=${path}` }),
  );

describe("starting the bot when Telegram cannot be reached", () => {
  it.each([
    ["nothing listens at TELEGRAM_API_ROOT", async () => `http://127.0.0.1:${await freePort()}`],
    ["Telegram answers 502 with an HTML page", htmlBadGateway],
    ["a proxy answers 502 quoting the request's path, token and all", echoingBadGateway],
  ])("%s: warns at each try, then fails naming BOT_TOKEN and TELEGRAM_API_ROOT", async (_story, apiRootOf) => {
    const apiRoot = await apiRootOf();
    const { outcome, text, lines } = await startAgainst(apiRoot);

    expect(outcome).toHaveProperty("failed");
    const error = (outcome as { failed: Error & { variable?: string } }).failed;
    expect(error.variable).toBe("TELEGRAM_API_ROOT");
    expect(error.message).toContain("TELEGRAM_API_ROOT");
    expect(error.message).toContain("BOT_TOKEN");
    expect(error.message).toContain(apiRoot);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(TOKEN);

    const tries = lines().filter((l) => l.level === 40 && l.method === "getMe");
    expect(tries.length).toBeGreaterThanOrEqual(1);
    expect(tries.map((t) => t.attempt)).toEqual(tries.map((_t, i) => i + 1));
    for (const attempt of tries) expect(attempt.reason).toMatch(/\S/);
    expect(lines().some((l) => l.msg === "pallabot started")).toBe(false);
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain("AAbbccddeeffgghhiijjkkllmmnnooppqq_x");
    // Not even part of it (the bot's id, then the first characters of its secret).
    expect(text()).not.toContain("123456789:AAbb");
    expect(error.message).not.toContain("123456789:AAbb");
  });

  it("a webhook URL Telegram refuses fails the start at once, naming TELEGRAM_WEBHOOK_URL", async () => {
    telegram = createLocalBotApi({ botUsername: "toko_webhook_bot" });
    await telegram.listen({ host: "127.0.0.1", port: 0 });
    telegram.failNext("setWebhook", 1, { error_code: 400, description: "Bad Request: bad webhook: Failed to resolve host: Name or service not known" });
    folder = tempFolder("webhook-refused");
    const logs = memoryLogger();
    const config = configFrom(
      { BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_WEBHOOK_URL: "https://bot.toko-salah.invalid", STORE_URL: folder.storeUrl, OWNER_IDS: "7101" },
      { port: 0 },
    );
    const outcome = await Promise.race([
      startApp(config, logs.logger, { secrets: logs.secrets, telegramStartMs: 10_000 }).then(
        (running) => ({ started: running }),
        (error: unknown) => ({ failed: error as Error & { variable?: string } }),
      ),
      sleep(OUTCOME_WITHIN_MS).then(() => ({ stillStarting: true })),
    ]);
    if ("started" in outcome) app = outcome.started;
    expect(outcome).toHaveProperty("failed");
    const error = (outcome as { failed: Error & { variable?: string } }).failed;
    expect(error.variable).toBe("TELEGRAM_WEBHOOK_URL");
    expect(error.message).toBe("TELEGRAM_WEBHOOK_URL: Telegram refused the webhook (Bad Request: bad webhook: Failed to resolve host: Name or service not known)");
    // A refusal is not tried again.
    expect(telegram.calls.filter((c) => c.method === "setWebhook")).toHaveLength(1);
  });

  it("a Telegram that fails twice and then answers is used, with a warning for each failed try", async () => {
    telegram = createLocalBotApi({ botUsername: "toko_sabar_bot" });
    await telegram.listen({ host: "127.0.0.1", port: 0 });
    telegram.failNext("getMe", 2, { error_code: 502, description: "Bad Gateway" });
    folder = tempFolder("telegram-late");
    const logs = memoryLogger();
    const config = configFrom({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, STORE_URL: folder.storeUrl, OWNER_IDS: "7101" }, { port: 0 });
    const outcome = await Promise.race([
      startApp(config, logs.logger, { secrets: logs.secrets, telegramStartMs: 10_000 }),
      sleep(OUTCOME_WITHIN_MS).then(() => undefined),
    ]);
    expect(outcome).toBeDefined();
    app = outcome;
    const lines = logs.lines.map((l) => JSON.parse(l) as Line);
    const tries = lines.filter((l) => l.level === 40 && l.method === "getMe");
    expect(tries.map((t) => [t.attempt, t.reason])).toEqual([
      [1, "502 Bad Gateway"],
      [2, "502 Bad Gateway"],
    ]);
    expect(lines.some((l) => l.msg === "pallabot started")).toBe(true);
  });
});
