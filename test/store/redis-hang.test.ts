import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../src/store/index.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

/**
 * Redis hangs with its connection still open (SIGSTOP): nothing refuses or closes, replies just never come.
 * node-redis cannot time out a command it has already written, so without a watchdog on the connection every
 * store call waits for as long as the hang lasts. Each must fail within a few seconds instead, for callbacks
 * to be answered 5xx (Palladium retries them), and the store must answer again once Redis does, with what it
 * held before, without restarting the process.
 */

// Generous: the machine is shared, so this only tells "bounded" from "forever", not how fast.
const REJECT_WITHIN_MS = 20_000;
const RECOVER_WITHIN_MS = 30_000;

let redis: RunningRedis;
let store: Store;
let redisPid: number;
let stopped = false;

beforeAll(async () => {
  redis = await startRedisServer();
  redisPid = await serverPid(redis.url);
  store = await createStore({ url: redis.url, keyPrefix: "hang-test" });
});
afterAll(async () => {
  // Never leave a stopped redis-server behind, whatever failed.
  if (stopped) resume();
  await Promise.race([store?.close(), sleep(2_000)]);
  await redis?.stop();
});

describe("a Redis that hangs with its connection open", () => {
  it("fails the store's calls within a bounded time, and answers again once Redis resumes", async () => {
    await store.payments.save(cashierVirtualAccount("va-before-hang", {}));

    process.kill(redisPid, "SIGSTOP");
    stopped = true;
    // The notifier keeps polling meanwhile: commands written all along, so an idle timeout alone never fires.
    const polling = setInterval(() => void store.queues.pending("notifications", { limit: 10 }).catch(() => undefined), 500);
    try {
      const [read, write] = await Promise.all([
        settleWithin(store.payments.get("va-before-hang"), REJECT_WITHIN_MS),
        settleWithin(store.payments.save(cashierVirtualAccount("va-during-hang", {})), REJECT_WITHIN_MS),
      ]);
      expect(read.kind).toBe("rejected");
      // A write whose answer never came is not reported as done (Redis may still apply it once resumed).
      expect(write.kind).toBe("rejected");
    } finally {
      clearInterval(polling);
    }

    resume();
    const recovered = await pollUntil(async () => (await store.payments.get("va-before-hang"))?.externalId, RECOVER_WITHIN_MS);
    expect(recovered).toBe("va-before-hang");
    await store.payments.save(cashierVirtualAccount("va-after-hang", {}));
    expect((await store.payments.get("va-after-hang"))?.externalId).toBe("va-after-hang");
  }, 90_000);
});

function resume(): void {
  process.kill(redisPid, "SIGCONT");
  stopped = false;
}

async function serverPid(url: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    const info = await client.info("server");
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error("no process_id in INFO server");
    return pid;
  } finally {
    await client.close();
  }
}

type Settled = { kind: "resolved" } | { kind: "rejected"; error: unknown } | { kind: "still waiting" };

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<Settled> {
  const giveUp = new AbortController();
  const waited = sleep(ms, { kind: "still waiting" } as const, { signal: giveUp.signal }).catch(() => ({ kind: "still waiting" }) as const);
  try {
    return await Promise.race([promise.then(() => ({ kind: "resolved" }) as const, (error: unknown) => ({ kind: "rejected", error }) as const), waited]);
  } finally {
    giveUp.abort();
  }
}

/** The first answer `attempt` gives once the store answers again; each try is itself bounded. */
async function pollUntil<T>(attempt: () => Promise<T>, ms: number): Promise<T> {
  const giveUpAt = Date.now() + ms;
  let lastError: unknown = new Error("store did not answer in time");
  while (Date.now() < giveUpAt) {
    const outcome = await Promise.race([
      attempt().then((value) => ({ value }), (error: unknown) => ({ error })),
      sleep(5_000, { error: new Error("attempt still waiting after 5 s") }),
    ]);
    if ("value" in outcome) return outcome.value;
    lastError = outcome.error;
    await sleep(250);
  }
  throw lastError;
}
