import { setTimeout as sleep } from "node:timers/promises";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { silentLogger } from "../../src/logger.js";
import { createNotifier, type Notifier } from "../../src/notify/notifier.js";
import { createOutbox, createStore, type Store } from "../../src/store/index.js";
import { createLocalBotApi, type LocalBotApi } from "../../src/telegram-local/index.js";
import { textOf } from "../webhook/shop-harness.js";
import { paidNotice } from "../notify/paid-notice.js";
import { startRedisServer, type RunningRedis } from "../support/redis-server.js";

/**
 * Two notifiers on one Redis, and a Telegram that counts a group's messages its own way (stricter here
 * than the notifiers' twenty a minute, as Telegram's real count is its own and unpublished). When it
 * answers 429 "retry after N" to one instance, the other must not send into the group either: it did,
 * met a 429 of its own, and each such 429 lengthens a shop's wait in real Telegram.
 */

const SHOP_GROUP = -1001234567077;
const NOTICES = 8;
/** Telegram here: 2 messages in any 2 s for the group, one each 200 ms per chat. */
const TELEGRAM_RULES = { perChat: { limit: 1, windowMs: 200 }, perGroup: { limit: 2, windowMs: 2_000 }, overall: { limit: 30, windowMs: 1_000 } };
/**
 * The notifiers' spacing per chat (with the shared limit's 200 ms margin, 700 ms): the other instance's next
 * send comes that long after the one Telegram refused at the earliest, so the pause has all of it to be
 * written, even on a loaded machine. Shorter, the story would be about a race of milliseconds.
 */
const PER_CHAT_MS = 500;

let redis: RunningRedis;
let telegram: LocalBotApi;
const stores: Store[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (let i = 0; i < 2; i++) stores.push(await createStore({ url: redis.url, keyPrefix: "shared-pause" }));
  telegram = createLocalBotApi({ enforceRateLimits: TELEGRAM_RULES });
  await telegram.listen({ host: "127.0.0.1", port: 0 });
  telegram.addChat({ id: SHOP_GROUP, type: "supergroup", title: "Toko Dua Kasir" }, [{ user: { id: 900, first_name: "Bu Sari" }, status: "creator" }]);
});
afterAll(async () => {
  await telegram?.close();
  for (const store of stores) await store.close();
  await redis?.stop();
});

describe("Telegram's 429 for a group, with two instances", () => {
  it("pauses the group on both: nothing goes into it before the retry_after is over, and every notice goes once", async () => {
    await createOutbox(stores[0]!).add(Array.from({ length: NOTICES }, (_, i) => paidNotice(SHOP_GROUP, `pause-${i}`, 10_000 + i * 1_000)));
    const notifiers: Notifier[] = stores.map((store) =>
      createNotifier({
        api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
        outbox: createOutbox(store),
        store,
        i18n: createI18n(),
        logger: silentLogger(),
        limits: { perChatIntervalMs: PER_CHAT_MS },
        // Each notice on its own: this story is about the 429, not the digest a backlog turns into.
        digestThreshold: 1_000,
        pollIntervalMs: 100,
      }),
    );
    for (const notifier of notifiers) notifier.start();
    try {
      const deadline = Date.now() + 30_000;
      while ((await createOutbox(stores[0]!).stats()).depth > 0 && Date.now() < deadline) await sleep(100);
    } finally {
      for (const notifier of notifiers) await notifier.stop();
    }

    const toGroup = telegram.callsTo("sendMessage").filter((c) => c.payload.chat_id === SHOP_GROUP);
    const delivered = toGroup.filter((c) => c.response.ok).map(textOf);
    for (let i = 0; i < NOTICES; i++) expect(delivered.filter((text) => text.includes(`pause-${i}`)), `pause-${i}`).toHaveLength(1);
    const refusals = toGroup.filter((c) => !c.response.ok);
    // Telegram's count is stricter than ours: the story needs at least one 429 to mean anything.
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      const response = refusal.response;
      const retryAfterMs = 1_000 * (response.ok ? 0 : (response.parameters?.retry_after ?? 0));
      const pausedUntil = refusal.at.getTime() + retryAfterMs;
      const inside = toGroup.filter((c) => c.at.getTime() > refusal.at.getTime() && c.at.getTime() < pausedUntil - 20);
      expect(inside.map((c) => `#${c.seq} ${c.response.ok ? "ok" : "429"} ${c.at.getTime() - refusal.at.getTime()} ms after #${refusal.seq}`)).toEqual([]);
    }
  });
});
