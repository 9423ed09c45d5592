import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { holdSqliteFile } from "../../src/store/sqlite-instance-lock.js";
import { createLocalBotApi, type LocalBotApi } from "../../src/telegram-local/index.js";
import { freePort, repoRoot, tempFolder } from "./support.js";

/**
 * An owner starts the bot with one thing wrong. The process must end (exit 1) with one log line that
 * says which setting to fix, not a stack trace wrapped in JSON; and a bot waiting at start for a Telegram
 * or a Redis it cannot reach stops at once on Ctrl-C or SIGTERM, instead of after the 10 s shutdown limit.
 */

const TOKEN = "123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq_x";
/** Bounded waits: tsx compiles on a cold start, and the machine is shared. */
const EXIT_WITHIN_MS = 25_000;

interface Line {
  level?: number;
  msg?: string;
  variable?: string;
  err?: unknown;
  stack?: unknown;
}

interface Run {
  output(): string;
  lines(): Line[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null } | "still running">;
  kill(signal: NodeJS.Signals): void;
}

const runs: Run[] = [];
let folder: ReturnType<typeof tempFolder>;
let telegram: LocalBotApi;

beforeAll(async () => {
  telegram = createLocalBotApi({ botUsername: "toko_salah_bot" });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
});
afterEach(() => {
  telegram.clearFaults();
  folder?.remove();
});
afterAll(async () => {
  for (const run of runs) run.kill("SIGKILL");
  await telegram?.close();
});

/** main.ts as `npm start` runs it, with only `env` set; exits on its own (bounded wait) or is killed. */
function runMain(env: Record<string, string>): Run {
  folder = tempFolder("start-failures");
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), STORE_URL: folder.storeUrl, OWNER_IDS: "7101", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const run: Run = {
    output: () => output,
    lines: () =>
      output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Line),
    exited: Promise.race([exit, sleep(EXIT_WITHIN_MS).then(() => "still running" as const)]),
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  runs.push(run);
  return run;
}

async function waitForLine(run: Run, test: (line: Line) => boolean): Promise<boolean> {
  for (let i = 0; i < 250; i++) {
    if (run.lines().some(test)) return true;
    await sleep(100);
  }
  return false;
}

/** The start failed: exit 1, and the last line is the one fatal line, naming `variable`, without a stack. */
async function expectOneLineNaming(run: Run, variable: string) {
  expect(await run.exited).toEqual({ code: 1, signal: null });
  const fatal = run.lines().filter((l) => l.level === 60);
  expect(fatal).toHaveLength(1);
  expect(fatal[0]?.variable).toBe(variable);
  expect(fatal[0]?.msg?.startsWith(`${variable}: `)).toBe(true);
  expect(fatal[0]?.msg).not.toContain("\n");
  expect(run.output()).not.toMatch(/\\n\s+at /);
  expect(run.output()).not.toContain('"stack"');
  expect(run.output()).not.toContain(TOKEN);
  // The parts it had started are stopped, but it never ran: no "stopped" line beside the one that says why.
  expect(run.lines().some((l) => l.msg === "pallabot stopped")).toBe(false);
  return fatal[0]?.msg ?? "";
}

describe("a start with one setting wrong ends with one line naming it", () => {
  it("a token Telegram refuses (revoked at @BotFather): BOT_TOKEN", async () => {
    telegram.failNext("getMe", 1, { error_code: 401, description: "Unauthorized" });
    const run = runMain({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, PORT: String(await freePort()), HOST: "127.0.0.1" });
    expect(await expectOneLineNaming(run, "BOT_TOKEN")).toContain("401");
  });

  it("a PORT another program listens on: PORT", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runMain({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, PORT: String(port), HOST: "127.0.0.1" });
      expect(await expectOneLineNaming(run, "PORT")).toContain(String(port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("a STORE_URL another pallabot is running on: STORE_URL, instead of the two taking each other's updates", async () => {
    const shared = tempFolder("shared-store");
    // What the running bot holds while it has the file open.
    const running = holdSqliteFile(shared.storeFile);
    try {
      const run = runMain({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, PORT: String(await freePort()), HOST: "127.0.0.1", STORE_URL: shared.storeUrl });
      expect(await expectOneLineNaming(run, "STORE_URL")).toContain("is in use by another pallabot");
    } finally {
      running.release();
      shared.remove();
    }
  });

  it("the offline demo on a STORE_URL another demo is running on: the same sentence at the terminal, not a log line", async () => {
    const shared = tempFolder("shared-demo-store");
    const running = holdSqliteFile(shared.storeFile);
    try {
      const run = runMain({ PORT: String(await freePort()), HOST: "127.0.0.1", STORE_URL: shared.storeUrl });
      expect(await run.exited).toEqual({ code: 1, signal: null });
      expect(run.lines()).toEqual([]);
      expect(run.output().trim()).toBe(
        `STORE_URL: the SQLite file ${shared.storeFile} is in use by another pallabot; stop that one first, or give this one a STORE_URL of its own (two bots on one file take each other's Telegram updates)`,
      );
    } finally {
      running.release();
      shared.remove();
    }
  });

  it("the offline demo with a STORE_URL it cannot read: the problem at the terminal, not a log line", async () => {
    const run = runMain({ PORT: String(await freePort()), HOST: "127.0.0.1", STORE_URL: "./data/other.sqlite" });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.lines()).toEqual([]);
    expect(run.output()).toMatch(/^Invalid configuration:\n {2}- STORE_URL: /);
  });

  it("a HOST that is no address of this machine: HOST", async () => {
    const run = runMain({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, PORT: String(await freePort()), HOST: "999.1.1.1" });
    expect(await expectOneLineNaming(run, "HOST")).toContain("999.1.1.1");
  });
});

describe("a start waiting for what it cannot reach stops at once when asked", () => {
  it.each([
    ["Telegram", "SIGINT" as const, async () => ({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}` })],
    ["Redis", "SIGTERM" as const, async () => ({ BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, STORE_URL: `redis://127.0.0.1:${await freePort()}` })],
  ])("waiting for %s, %s ends it cleanly, without the shutdown limit", async (_what, signal, envOf) => {
    const run = runMain({ ...(await envOf()), PORT: String(await freePort()), HOST: "127.0.0.1" });
    // The wait is under way once its first try is told.
    expect(await waitForLine(run, (l) => l.level === 40)).toBe(true);
    run.kill(signal);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const output = run.output();
    expect(output).not.toContain("shutdown took too long");
    expect(output).not.toContain("failed to start");
    expect(run.lines().some((l) => l.msg === "pallabot stopped")).toBe(true);
    expect(output).not.toContain(TOKEN);
  });
});
