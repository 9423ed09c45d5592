import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../src/store/index.js";
import { sqliteFixture, type BackendFixture } from "./backends.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

/** The file as another program (the sqlite3 shell, a backup script) sees it. */
type Row = Record<string, unknown>;
const openFile = createRequire(import.meta.url)("better-sqlite3") as new (
  path: string,
  options: { readonly: boolean },
) => { prepare(sql: string): { all(...params: unknown[]): Row[]; run(...params: unknown[]): unknown }; close(): void };

/**
 * On SQLite, callbacks that arrive together share one transaction (the group commit). A unit the database
 * refuses part-way must leave nothing of itself behind, no transaction open (or every later callback would
 * fail), and must not take the units it shared the transaction with down with it; and a second connection
 * writing at the same time (a second process on the same file) must not make a callback count twice or lose
 * a payment.
 */
describe("a SQLite commit of callback units", () => {
  let fixture: BackendFixture & { url(): string };
  let store: Store;

  beforeAll(async () => {
    fixture = await sqliteFixture();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    fixture.fresh();
    store = await fixture.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const unit = (key: string, body: string | null) =>
    store.applyOnce({
      key,
      plan: () => ({
        value: `mark ${key}`,
        // A null body is what the database refuses (NOT NULL), after the unit's mark was already written.
        queued: [{ queue: "outbox", entries: [{ id: `${key}:note`, createdAtMs: 1, body: body as string }] }],
        result: key,
      }),
    });

  it("a unit refused part-way writes nothing, and the next one commits and is still there after reopening", async () => {
    await expect(unit("callback-event:refused", null)).rejects.toThrow(/NOT NULL/);
    expect(await store.atomic.get("callback-event:refused")).toBeUndefined();

    expect(await unit("callback-event:fine", "{}")).toEqual({ first: true, result: "callback-event:fine", queuedCount: 1 });
    await store.close();
    store = await fixture.open();
    expect(await store.atomic.get("callback-event:fine")).toBe("mark callback-event:fine");
    expect(await store.atomic.get("callback-event:refused")).toBeUndefined();
    expect((await store.queues.pending("outbox", { limit: 10 })).map((entry) => entry.id)).toEqual(["callback-event:fine:note"]);
  });

  it("a unit refused inside a shared transaction takes nothing of the others with it", async () => {
    // Submitted in the same turn, so the group commit puts all three in one transaction.
    const [before, refused, after] = await Promise.allSettled([
      unit("callback-event:before", "{}"),
      unit("callback-event:refused", null),
      unit("callback-event:after", "{}"),
    ]);
    expect(before).toEqual({ status: "fulfilled", value: { first: true, result: "callback-event:before", queuedCount: 1 } });
    expect(refused.status).toBe("rejected");
    expect(String((refused as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(after).toEqual({ status: "fulfilled", value: { first: true, result: "callback-event:after", queuedCount: 1 } });

    await store.close();
    store = await fixture.open();
    expect(await store.atomic.get("callback-event:refused")).toBeUndefined();
    expect((await store.queues.pending("outbox", { limit: 10 })).map((entry) => entry.id).sort()).toEqual([
      "callback-event:after:note",
      "callback-event:before:note",
    ]);
  });

  it("stores whole numbers as integers, as the files the sqlite3 driver wrote before hold them", async () => {
    // A day's disbursement total: a counter kept as text, read back with CAST by any version of the store.
    expect(await store.atomic.incrementWithin("disburse:2026-11-26", 30_000_000, 50_000_000, 60_000)).toBe(30_000_000);
    await store.close();
    const file = new openFile(fixture.url().replace(/^sqlite:\/\//, ""), { readonly: true });
    try {
      expect(file.prepare("SELECT value, typeof(expires_ms) AS expires FROM pallabot_atomic WHERE key = ?").all("disburse:2026-11-26")).toEqual([
        { value: "30000000", expires: "integer" },
      ]);
    } finally {
      file.close();
    }
    store = await fixture.open();
  });

  it("a second store on the same file under another name (a symlink to it, or to its folder) is refused too", async () => {
    // Found by a review: the lock sat beside the name given, so a second bot opened the file through a link,
    // and its start let go of the leases the first one held on notices it was sending: told twice.
    const file = fixture.url().replace(/^sqlite:\/\//, "");
    const links = mkdtempSync(join(tmpdir(), "pallabot-links-"));
    try {
      symlinkSync(file, join(links, "shop-link.sqlite"));
      symlinkSync(dirname(file), join(links, "folder-link"));
      for (const other of [join(links, "shop-link.sqlite"), join(links, "folder-link", "shop.sqlite")]) {
        const refused = await createStore({ url: `sqlite://${other}` }).then(
          async (opened) => {
            await opened.close();
            return undefined;
          },
          (error: unknown) => error as Error,
        );
        expect(refused?.message, other).toContain("is in use by another pallabot");
      }
    } finally {
      rmSync(links, { recursive: true, force: true });
    }
  });

  it("a second store on the file is refused with the STORE_URL line while the first holds it, and opens once it is closed", async () => {
    // Two bots on one file would each take the other's Telegram updates; the second waits a moment (a
    // restart's old process may still be stopping), then is refused.
    const refused = await fixture.open().then(
      async (other) => {
        await other.close();
        return undefined;
      },
      (error: unknown) => error as Error & { variable?: string; code?: string },
    );
    expect(refused?.variable).toBe("STORE_URL");
    expect(refused?.code).toBe("store_unreachable");
    expect(refused?.message).toContain("is in use by another pallabot; stop that one first");
    // The first store is untouched by the attempt.
    await store.payments.save(cashierVirtualAccount("va-still-mine", { amount: 10_000 }));
    expect((await store.payments.get("va-still-mine"))?.amount).toBe(10_000);
    // Once the first is closed (a restart), the next opens at once, with what the first wrote.
    await store.close();
    const next = await fixture.open();
    try {
      expect((await next.payments.get("va-still-mine"))?.amount).toBe(10_000);
    } finally {
      await next.close();
    }
  });
});

describe("a SQLite file the bot cannot open", () => {
  it("fails the start with one line naming STORE_URL and the file, not SQLite's words and a stack", async () => {
    // Below a file, so no folder can be made there (as root, permissions alone would not stop it).
    const dir = mkdtempSync(join(tmpdir(), "pallabot-unopenable-"));
    writeFileSync(join(dir, "not-a-folder"), "");
    const path = join(dir, "not-a-folder", "pallabot.sqlite");
    try {
      const failed = await createStore({ url: `sqlite://${path}` }).then(
        () => undefined,
        (error: unknown) => error as Error & { variable?: string; code?: string },
      );
      expect(failed?.variable).toBe("STORE_URL");
      expect(failed?.code).toBe("store_unreachable");
      expect(failed?.message).toMatch(/^STORE_URL: cannot open the SQLite file \S+ \(E[A-Z]+\); check that the folder exists or can be made, and that this user may write it$/);
      expect(failed?.message).toContain(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a payment saved again after a save cut off before its list entries", () => {
  it("gets its list entries then, and keeps its record as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pallabot-index-"));
    const file = join(dir, "shop.sqlite");
    try {
      let store = await createStore({ url: `sqlite://${file}` });
      const first = cashierVirtualAccount("cut-before-index", { createdBy: 4242 });
      await store.payments.save(first);
      await store.payments.update(first.externalId, { status: "paid" });
      await store.close();
      // What a crash between the record and its index entries leaves: the record, in no list.
      const db = new openFile(file, { readonly: false });
      db.prepare("DELETE FROM pallabot_index WHERE member = ?").run(first.externalId);
      db.close();
      store = await createStore({ url: `sqlite://${file}` });
      expect(await store.payments.listRecent({ limit: 5, createdBy: 4242 })).toEqual([]);
      await store.payments.save({ ...first, createdAt: new Date().toISOString() });
      expect((await store.payments.listRecent({ limit: 5, createdBy: 4242 })).map((p) => [p.externalId, p.status, p.createdAt])).toEqual([
        [first.externalId, "paid", first.createdAt],
      ]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
