import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cashierVirtualAccount } from "../store/fixtures/payment.js";
import { OWNER, startWorld, textOf, type World } from "./world.js";

/**
 * Rows of the shop's file that no longer parse (a hand edit, a disk that filled up mid-write): the owner's
 * session, the flow they were in, one payment. Each once made the bot fall silent: every update of that
 * person failed on the session or flow read, /cancel included, and /pembayaran failed on the payment.
 */

type Database = { prepare(sql: string): { run(...params: unknown[]): unknown }; close(): void };
const openFile = createRequire(import.meta.url)("better-sqlite3") as new (path: string) => Database;

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

describe("rows the bot can no longer read", () => {
  it("are dropped: the owner is answered again (in the default language), and the list leaves the one payment out", async () => {
    for (const [n, name] of ["Siti Aminah", "Rina Wati", "Dewi Sartika"].entries()) {
      await world.store.payments.save(
        cashierVirtualAccount(`unreadable-${n}`, { customerName: name, createdBy: OWNER.id, chatId: OWNER.id, createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString() }),
      );
    }
    const choose = await world.say(OWNER, "/bahasa");
    await world.press(OWNER, choose, { text: "🇬🇧 English" });
    // In the middle of a VA: the bank asked, not yet chosen.
    expect(textOf(await world.say(OWNER, "/va"))).toContain("bank");

    await world.restart({
      whileStopped(file) {
        const db = new openFile(file);
        db.prepare("UPDATE keyv SET value = substr(value, 1, 12) WHERE key LIKE 'sessions:%' OR key LIKE 'conversations:%' OR key = 'store_payments:unreadable-1'").run();
        db.close();
      },
    });

    const menu = await world.say(OWNER, "/start");
    expect(textOf(menu)).toContain("Anda pemilik toko ini");
    const list = textOf(await world.say(OWNER, "/pembayaran"));
    expect(list).toContain("Siti Aminah");
    expect(list).toContain("Dewi Sartika");
    expect(list).not.toContain("Rina Wati");
  });
});
