import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { silentLogger } from "../../src/logger.js";
import { createNotifier } from "../../src/notify/notifier.js";
import { createOutbox, createStore, type Outbox, type OutboxItem, type Store } from "../../src/store/index.js";
import { paidNotice } from "./paid-notice.js";
import { createLocalBotApi, privateChat, type LocalBotApi } from "../../src/telegram-local/index.js";
import { textOf } from "../webhook/shop-harness.js";

/**
 * The outbox under strain. A busy host or a slow disk: every read of the outbox takes a few milliseconds,
 * and the notifier must still send (it once compared each chat's readiness with the time from before the
 * read, and a chat that is free "now" was never ready "then": it read the outbox again and again and sent
 * nothing). And a long backlog for one chat, which sends about once a second, must not hold back the others.
 */

const READ_TAKES_MS = 5;
const SHOP_GROUP = -1001234567009;
const cashiers = [701, 702, 703].map((id) => ({ id, first_name: `Kasir ${id}` }));
const OWNER = { id: 700, first_name: "Pemilik" };

let dir: string;
let store: Store;
let telegram: LocalBotApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pallabot-slow-outbox-"));
  store = await createStore({ url: `sqlite://${join(dir, "shop.sqlite")}` });
  telegram = createLocalBotApi({});
  await telegram.listen();
  for (const cashier of cashiers) telegram.addChat(privateChat(cashier));
  telegram.addChat(privateChat(OWNER));
  telegram.addChat({ id: SHOP_GROUP, type: "supergroup", title: "Toko Lambat" }, [{ user: cashiers[0]!, status: "creator" }]);
});
afterAll(async () => {
  await telegram.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});


describe("a notifier on a slow disk", () => {
  it("still tells every chat, once, when each outbox read takes 5 ms", async () => {
    const outbox = createOutbox(store);
    const chats = [...cashiers.map((c) => c.id), SHOP_GROUP];
    await outbox.add(chats.map((chatId, i) => paidNotice(chatId, `slow-${i}`, 50_000 + i * 1_000)));
    let reads = 0;
    const slowOutbox: Outbox = {
      ...outbox,
      async pending(options) {
        reads++;
        const items = await outbox.pending(options);
        await sleep(READ_TAKES_MS);
        return items;
      },
    };
    const notifier = createNotifier({
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      outbox: slowOutbox,
      i18n: createI18n(),
      logger: silentLogger(),
      pollIntervalMs: 200,
    });
    notifier.start();
    const deadline = Date.now() + 10_000;
    while ((await outbox.stats()).depth > 0 && Date.now() < deadline) await sleep(50);
    await notifier.stop();

    expect((await outbox.stats()).depth).toBe(0);
    chats.forEach((chatId, i) => {
      const sent = telegram.callsTo("sendMessage").filter((c) => c.response.ok && c.payload.chat_id === chatId);
      expect(sent.map(textOf), `chat ${chatId}`).toEqual([expect.stringContaining(`slow-${i}`)]);
    });
    // It waited between reads instead of spinning: a handful of reads, not hundreds.
    expect(reads).toBeLessThan(50);
  });
});

describe("a notifier with a long backlog for one chat", () => {
  it("tells the shop group of a new payment before the owner's 600 older notices are through", async () => {
    const outbox = createOutbox(store);
    // Payments the shop does not know (the gateway account also serves another system): each one a notice
    // to the owner, and notices are not gathered into digests. An hour old, so they come first.
    const anHourAgo = Date.now() - 3_600_000;
    await outbox.add(
      Array.from({ length: 600 }, (_, i): OutboxItem => {
        const at = new Date(anHourAgo + i).toISOString();
        return {
          id: `foreign-${i}:owner:${OWNER.id}`,
          chatId: OWNER.id,
          kind: "unknown-payment",
          createdAt: at,
          payload: {
            type: "unknown-payment",
            chatId: OWNER.id,
            locale: "id",
            event: "virtual-account-paid",
            externalId: `foreign-${i}`,
            amount: 10_000,
            method: { kind: "virtual_account", bankCode: "BNI", accountNumber: "8808000000000001" },
            at,
          },
        };
      }),
    );
    await outbox.add([paidNotice(SHOP_GROUP, "fresh-1", 125_000)]);
    const notifier = createNotifier({
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      outbox,
      i18n: createI18n(),
      logger: silentLogger(),
      pollIntervalMs: 200,
    });
    const mark = telegram.mark();
    notifier.start();
    const toGroup = await telegram.waitFor((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === SHOP_GROUP, { since: mark, timeoutMs: 30_000 });
    await notifier.stop();

    expect(textOf(toGroup)).toContain("fresh-1");
    // Not after the owner's backlog: the owner's chat sends about once a second, so only a few went first.
    const toOwnerFirst = telegram.calls.slice(mark).filter((c) => c.method === "sendMessage" && c.response.ok && c.payload.chat_id === OWNER.id && c.seq < toGroup.seq);
    expect(toOwnerFirst.length).toBeLessThanOrEqual(3);
  });
});
