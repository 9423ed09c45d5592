import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../src/store/index.js";
import { freePort } from "../app/support.js";

/**
 * The bot starts with a STORE_URL whose Redis is not there (not started yet, a wrong port, a firewall).
 * The first connection is tried for a bounded time, with one short warning per try (no stack every two
 * seconds), then the start fails with a line naming STORE_URL and where it pointed, never its password. A
 * Redis that comes up within that time is simply used; a stop requested meanwhile ends the wait at once.
 */

const PASSWORD = "s3cret-redis-password-for-tests";
/** Short for the stories; the default is some 30 s. */
const CONNECT_WITHIN_MS = 1_500;
/** A bounded wait for the outcome, far above the deadlines used here: a hang fails the story instead. */
const OUTCOME_WITHIN_MS = 15_000;

interface Logged {
  level: "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function captureLogger() {
  const logged: Logged[] = [];
  const at = (level: Logged["level"]) => (obj: object, msg?: string) => void logged.push({ level, obj: obj as Record<string, unknown>, msg });
  return { logger: { info: at("info"), warn: at("warn"), error: at("error") }, logged };
}

/** Bounded: until something accepts connections on the port. */
async function waitForRedisPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${port}`);
}

type Outcome = { opened: Store } | { failed: Error & { variable?: string } } | { stillConnecting: true };

async function outcomeOf(opening: Promise<Store>, withinMs = OUTCOME_WITHIN_MS): Promise<Outcome> {
  return Promise.race([
    opening.then(
      (opened) => ({ opened }),
      (failed: unknown) => ({ failed: failed as Error & { variable?: string } }),
    ),
    sleep(withinMs).then(() => ({ stillConnecting: true as const })),
  ]);
}

let store: Store | undefined;
let redisChild: ChildProcess | undefined;
let redisDir: string | undefined;
afterEach(async () => {
  if (store) await Promise.race([store.close(), sleep(2_000)]);
  if (redisChild && redisChild.exitCode === null) {
    const exited = new Promise((resolve) => redisChild?.once("exit", resolve));
    redisChild.kill("SIGKILL");
    await exited;
  }
  if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  store = redisChild = redisDir = undefined;
});

describe("a STORE_URL whose Redis cannot be reached at start", () => {
  it("fails within its deadline naming STORE_URL and host:port, never the password, with short warnings meanwhile", async () => {
    const port = await freePort();
    const { logger, logged } = captureLogger();
    const opening = createStore({ url: `redis://:${PASSWORD}@127.0.0.1:${port}`, logger, connectTimeoutMs: CONNECT_WITHIN_MS });
    const outcome = await outcomeOf(opening);

    expect(outcome).toHaveProperty("failed");
    const error = (outcome as { failed: Error & { variable?: string } }).failed;
    expect(error.variable).toBe("STORE_URL");
    expect(error.message).toBe(`STORE_URL: Redis at 127.0.0.1:${port} not reachable (ECONNREFUSED)`);

    const warnings = logged.filter((l) => l.level === "warn");
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // At most one every few seconds: one at the first try, and none more within 1.5 s.
    expect(warnings.length).toBeLessThanOrEqual(1);
    for (const warning of warnings) {
      expect(warning.obj).not.toHaveProperty("err");
      expect(warning.obj).toMatchObject({ reason: "ECONNREFUSED", redis: `127.0.0.1:${port}` });
    }
    // The endless "redis store error" with a stack, once per try, is gone.
    expect(logged.filter((l) => l.level === "error")).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain(PASSWORD);
    expect(error.message).not.toContain(PASSWORD);
  });

  it("ends the wait at once when the start is stopped", async () => {
    const port = await freePort();
    const { logger, logged } = captureLogger();
    const stop = new AbortController();
    const opening = createStore({ url: `redis://127.0.0.1:${port}`, logger, connectTimeoutMs: 60_000, signal: stop.signal });
    for (let i = 0; i < 100 && !logged.some((l) => l.level === "warn"); i++) await sleep(50);
    expect(logged.some((l) => l.level === "warn")).toBe(true);
    stop.abort(new Error("SIGINT during start"));
    // Far below the 60 s deadline: only the stop can end it within this.
    const outcome = await outcomeOf(opening, 5_000);
    expect(outcome).toHaveProperty("failed");
    expect((outcome as { failed: Error }).failed.message).toBe("SIGINT during start");
  });

  it("a wrong password in STORE_URL is told as such, not as a Redis out of reach", async () => {
    const port = await freePort();
    redisDir = mkdtempSync(join(tmpdir(), "pallabot-redis-auth-"));
    redisChild = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir, "--requirepass", "the-right-password-0123"],
      { stdio: "ignore" },
    );
    await waitForRedisPort(port);
    const { logger, logged } = captureLogger();
    // Given a minute to connect, it stops at the first refusal: a password does not become right by asking again.
    const opening = createStore({ url: `redis://:${PASSWORD}@127.0.0.1:${port}`, logger, connectTimeoutMs: 60_000 });
    const outcome = await outcomeOf(opening, 5_000);

    expect(outcome).toHaveProperty("failed");
    const error = (outcome as { failed: Error & { variable?: string } }).failed;
    expect(error.variable).toBe("STORE_URL");
    expect(error.message).toBe(`STORE_URL: Redis at 127.0.0.1:${port} refused the connection (WRONGPASS); check the user and password in STORE_URL`);
    expect(logged.filter((l) => l.level === "warn").map((l) => l.obj.reason)).toEqual(["WRONGPASS"]);
    expect(JSON.stringify(logged)).not.toContain(PASSWORD);

    // No password at all: Redis takes the connection and refuses every command. The start fails the same way,
    // at once, instead of starting deaf and answering every callback 503.
    const without = await outcomeOf(createStore({ url: `redis://127.0.0.1:${port}`, logger, connectTimeoutMs: CONNECT_WITHIN_MS }));
    expect(without).toHaveProperty("failed");
    const noAuth = (without as { failed: Error & { variable?: string } }).failed;
    expect(noAuth.variable).toBe("STORE_URL");
    expect(noAuth.message).toBe(`STORE_URL: Redis at 127.0.0.1:${port} refused commands (NOAUTH); check the user and password in STORE_URL`);
  });

  it("uses a Redis that comes up while the start waits for it", async () => {
    const port = await freePort();
    const { logger, logged } = captureLogger();
    const opening = createStore({ url: `redis://127.0.0.1:${port}`, logger, keyPrefix: "first-connect-test", connectTimeoutMs: 20_000 });
    for (let i = 0; i < 100 && !logged.some((l) => l.level === "warn"); i++) await sleep(50);
    expect(logged.some((l) => l.level === "warn")).toBe(true);

    redisDir = mkdtempSync(join(tmpdir(), "pallabot-redis-late-"));
    redisChild = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir], { stdio: "ignore" });
    const outcome = await outcomeOf(opening, 25_000);
    expect(outcome).toHaveProperty("opened");
    store = (outcome as { opened: Store }).opened;
    await store.atomic.setIfAbsent("came-up-late", "yes");
    expect(await store.atomic.get("came-up-late")).toBe("yes");
  }, 40_000);
});
