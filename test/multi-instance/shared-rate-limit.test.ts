import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSharedRateLimit, type SharedRateLimitOptions } from "../../src/notify/shared-rate-limit.js";
import { createStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";

/**
 * Two notifiers' limiters on one real Redis, each asking as fast as it can. Telegram's windows are scaled
 * down (a "minute" of 1 s, a "second" of 400 ms) so the story takes seconds; the arithmetic is the same.
 */

const SHOP_GROUP = -1001234567001;
const GROUP_WINDOW_MS = 1_000;
const GLOBAL_WINDOW_MS = 400;
const PER_CHAT_MS = 25;
const PER_CHAT_MARGIN_MS = 5;

let redis: RunningRedis;
const stores: Store[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (let i = 0; i < 2; i++) stores.push(await createStore({ url: redis.url, keyPrefix: "limits-test" }));
});

afterAll(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
});

function limiterOn(store: Store, overrides: Partial<SharedRateLimitOptions> = {}) {
  return createSharedRateLimit({
    atomic: store.atomic,
    limits: { perChatIntervalMs: PER_CHAT_MS, perGroupPerMinute: 20, globalPerSecond: 30 },
    margins: { perChatMs: PER_CHAT_MARGIN_MS, perGroupMs: 25, globalMs: 20 },
    groupWindowMs: GROUP_WINDOW_MS,
    groupSlotMs: 50,
    globalWindowMs: GLOBAL_WINDOW_MS,
    globalSlotMs: 20,
    ...overrides,
  });
}

/** The most sends inside any window of `windowMs` (times sorted ascending). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("Telegram's limits counted across two instances on one Redis", () => {
  it("a busy group never gets more than 20 in any window, however hard both instances push", async () => {
    const [a, b] = [limiterOn(stores[0]!, { prefix: "group-story" }), limiterOn(stores[1]!, { prefix: "group-story" })];
    // When each granted ask started and when its answer came: the count happened in between.
    const granted: { asked: number; answered: number }[] = [];
    const refusedBy = new Map<string, number>();
    const until = Date.now() + 3 * GROUP_WINDOW_MS;
    const push = async (limiter: typeof a) => {
      for (let i = 0; i < 10_000 && Date.now() < until; i++) {
        const asked = Date.now();
        const answer = await limiter.acquire(SHOP_GROUP, "message");
        if (answer.granted) granted.push({ asked, answered: Date.now() });
        else {
          refusedBy.set(answer.limit, (refusedBy.get(answer.limit) ?? 0) + 1);
          expect(answer.retryAtMs).toBeGreaterThan(asked);
        }
        await sleep(3);
      }
    };
    await Promise.all([push(a), push(b)]);
    granted.sort((x, y) => x.asked - y.asked);

    expect(busiestWindow(granted.map((g) => g.asked), GROUP_WINDOW_MS)).toBeLessThanOrEqual(20);
    // One a "second" per chat across both instances (25 ms here, 30 with the margin).
    for (let i = 1; i < granted.length; i++) {
      expect(granted[i]!.answered - granted[i - 1]!.asked).toBeGreaterThanOrEqual(PER_CHAT_MS + PER_CHAT_MARGIN_MS - 1);
    }
    // The limit binds, and the group still gets most of its budget (20 a window, with the margin's cost).
    expect(refusedBy.get("per-group") ?? 0).toBeGreaterThan(0);
    expect(granted.length).toBeGreaterThanOrEqual(40);
  });

  it("the global budget holds across many chats, and edits do not spend a group's messages", async () => {
    // Telegram's own second and slots. A send is counted in the slot it was asked in, one Redis round trip
    // after the closed slots were read; the margin is what absorbs that trip (see shared-rate-limit.ts), and
    // on this shared machine, starved by the suite's other files, a trip has taken over 100 ms.
    const real = { globalWindowMs: 1_000, globalSlotMs: 100, margins: { perChatMs: PER_CHAT_MARGIN_MS, perGroupMs: 25, globalMs: 250 } };
    const [a, b] = [limiterOn(stores[0]!, { prefix: "global-story", ...real }), limiterOn(stores[1]!, { prefix: "global-story", ...real })];
    const granted: number[] = [];
    const until = Date.now() + 2.5 * real.globalWindowMs;
    let chat = 1;
    const push = async (limiter: typeof a) => {
      for (let i = 0; i < 10_000 && Date.now() < until; i++) {
        const asked = Date.now();
        const answer = await limiter.acquire(100_000 + chat++, "message");
        if (answer.granted) {
          granted.push(asked);
          expect(answer.groupRemaining).toBe(Infinity);
        }
      }
    };
    await Promise.all([push(a), push(b)]);
    granted.sort((x, y) => x - y);
    expect(busiestWindow(granted, real.globalWindowMs)).toBeLessThanOrEqual(30);
    expect(granted.length).toBeGreaterThanOrEqual(45);

    // Edits of a group's payment messages post nothing new: the group's message count stays untouched.
    const c = limiterOn(stores[0]!, { prefix: "edit-story" });
    await sleep(GLOBAL_WINDOW_MS);
    const edit = await c.acquire(SHOP_GROUP, "edit");
    const message = await c.acquire(SHOP_GROUP, "message");
    expect(edit.granted).toBe(true);
    expect(message.granted && message.groupRemaining).toBe(19);
  });

  it("a permit given back (the item was claimed elsewhere) returns the group's slot", async () => {
    const limiter = limiterOn(stores[0]!, { prefix: "refund-story" });
    const first = await limiter.acquire(SHOP_GROUP, "message");
    expect(first.granted && first.groupRemaining).toBe(19);
    if (first.granted) await first.refund();
    await sleep(PER_CHAT_MS + PER_CHAT_MARGIN_MS + 20);
    const second = await limiter.acquire(SHOP_GROUP, "message");
    expect(second.granted && second.groupRemaining).toBe(19);
    // Asking again within the chat's interval is refused, and says when to come back.
    const third = await limiter.acquire(SHOP_GROUP, "message");
    expect(third).toMatchObject({ granted: false, limit: "per-chat" });
  });

  it("a permit given back after its slots are gone leaves no counter behind for good", async () => {
    const limiter = limiterOn(stores[0]!, { prefix: "late-refund-story" });
    const permit = await limiter.acquire(SHOP_GROUP, "message");
    if (!permit.granted) throw new Error("the first ask must be granted");
    await sleep(2 * GROUP_WINDOW_MS); // every slot key of this send has expired by now
    await permit.refund();
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = await client.keys("*late-refund-story*");
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(await client.pTTL(key), key).toBeGreaterThan(0);
    } finally {
      await client.quit();
    }
  });
});
