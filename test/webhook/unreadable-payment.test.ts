import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OWNER, SHOP_GROUP, startShop, toldAbout } from "./shop-harness.js";
import { postCallback } from "./signed-callbacks.js";

/**
 * A payment whose stored row no longer parses (a hand edit, a disk that filled up mid-write) is paid. Its
 * callback was answered 503 each time, the gateway retried for a day and gave up, and nobody heard of the
 * money. Now it is recorded as a payment the bot does not know, and the owners are told with its reference.
 */

type Database = { prepare(sql: string): { run(...params: unknown[]): unknown }; close(): void };
const openFile = createRequire(import.meta.url)("better-sqlite3") as new (path: string) => Database;
const dir = mkdtempSync(join(tmpdir(), "pallabot-unreadable-payment-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a paid callback for a payment whose row cannot be read", () => {
  it("is answered 200 once and the owners are told of the money with its reference", async () => {
    const storeFile = join(dir, "shop.sqlite");
    const before = await startShop({ storeFile });
    const va = await before.createVirtualAccount({ amount: 175_000, name: "Wulan Sari" });
    await before.close();
    const db = new openFile(storeFile);
    db.prepare("UPDATE keyv SET value = substr(value, 1, 30) WHERE key = ?").run(`store_payments:${va.externalId}`);
    db.close();

    const shop = await startShop({ storeFile });
    try {
      const body = {
        id: `cb-unreadable-${va.externalId}`,
        payment_id: `pay-unreadable-${va.externalId}`,
        external_id: va.externalId,
        account_number: va.accountNumber,
        bank_code: "BCA",
        amount: 175_000,
        transaction_timestamp: new Date().toISOString(),
      };
      for (let i = 0; i < 2; i++) expect((await postCallback(shop.webhookUrl, "virtual-account-paid", body)).status).toBe(200);
      await shop.settle();
      const owner = toldAbout(shop, OWNER.id, va.externalId);
      expect(owner).toHaveLength(1);
      expect(owner[0]).toContain("Rp 175.000");
      expect(owner[0]).toContain("tidak dikenal bot");
      expect(toldAbout(shop, SHOP_GROUP, va.externalId)).toHaveLength(0);
    } finally {
      await shop.close();
    }
  });
});
