import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { createNotifier } from "../../src/notify/notifier.js";
import { createOutbox, createStore, type Store } from "../../src/store/index.js";
import { paidNotice } from "./paid-notice.js";
import { createLocalBotApi, privateChat, type LocalBotApi } from "../../src/telegram-local/index.js";

/**
 * A row of the outbox nobody can read: JSON cut off by a disk that filled up, a hand edit, a bug of another
 * version. The notifier once read the outbox a page at a time and a single such row failed the whole page,
 * again every second, for good: no chat of the shop heard of any payment while /healthz said all was well.
 */

const CASHIER = { id: 801, first_name: "Rina" };
const OWNER = { id: 800, first_name: "Pak Budi" };

let dir: string;
let store: Store;
let telegram: LocalBotApi;
const logLines: Array<{ msg: string; reason?: string; stored?: string; itemId?: string }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pallabot-unreadable-outbox-"));
  store = await createStore({ url: `sqlite://${join(dir, "shop.sqlite")}` });
  telegram = createLocalBotApi({});
  await telegram.listen();
  telegram.addChat(privateChat(CASHIER));
  telegram.addChat(privateChat(OWNER));
});
afterAll(async () => {
  await telegram.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});


describe("an unreadable row in the outbox", () => {
  it("is closed and logged as stored, and every notice around it is still delivered", async () => {
    const outbox = createOutbox(store);
    const longAgo = Date.now() - 60_000;
    // Oldest first: the bad rows come before the good notices in every read of the outbox.
    await store.queues.add("notifications", [
      { id: "cut-off", createdAtMs: longAgo, body: '{"chatId":801,"kind":"payment-received","payload":{"type":"payment-rec' },
      { id: "no-chat", createdAtMs: longAgo + 1, body: '{"kind":"payment-received","payload":{}}' },
    ]);
    await outbox.add([paidNotice(CASHIER.id, "pb-after-1", 150_000), paidNotice(OWNER.id, "pb-after-2", 275_000)]);

    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
    });
    const notifier = createNotifier({ api: new Api(telegram.token, { apiRoot: telegram.apiRoot }), outbox, i18n: createI18n(), logger, pollIntervalMs: 50 });
    notifier.start();
    try {
      for (let i = 0; i < 200 && (await outbox.stats()).depth > 0; i++) await sleep(25);
    } finally {
      await notifier.stop();
    }

    expect((await outbox.stats()).depth).toBe(0);
    const said = (chatId: number) => telegram.callsTo("sendMessage").filter((c) => c.response.ok && Number(c.payload.chat_id) === chatId).map((c) => String(c.payload.text));
    expect(said(CASHIER.id).join("\n")).toContain("Rp 150.000");
    expect(said(OWNER.id).join("\n")).toContain("Rp 275.000");
    const closed = logLines.filter((l) => l.msg === "outbox item is not a notification; closing it");
    expect(closed.map((l) => l.itemId).sort()).toEqual(["cut-off", "no-chat"]);
    expect(closed.find((l) => l.itemId === "cut-off")).toMatchObject({ reason: expect.stringMatching(/^not JSON/), stored: expect.stringContaining('"chatId":801') });
    expect(closed.find((l) => l.itemId === "no-chat")?.reason).toContain("chatId");
    expect(logLines.filter((l) => l.msg.startsWith("could not read the outbox"))).toHaveLength(0);
  });
});
