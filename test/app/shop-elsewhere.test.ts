import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/index.js";
import { cashierVirtualAccount } from "../store/fixtures/payment.js";
import { appPerTest, tempFolder } from "./support.js";

/**
 * A start on an empty shop while the shop's file is right beside it: STORE_URL changed (to another path, to
 * Redis), or an upgrade moved sandbox mode into pallabot-sandbox.sqlite. Started without a word, its
 * cashiers were refused and its paid callbacks reported as unknown; the log now names the file.
 */

const start = appPerTest("shop-elsewhere", "toko_pindah_bot");
const folders: Array<ReturnType<typeof tempFolder>> = [];
// After every app of the file has stopped (appPerTest stops each after its test): a folder removed while the
// app still had its store open there could not be emptied.
afterAll(() => {
  for (const folder of folders.splice(0)) folder.remove();
});

/** A folder holding the shop's file from before, `pallabot.sqlite`, with its payments. */
async function folderWithShop(payments: number): Promise<string> {
  const folder = tempFolder("shop-elsewhere-files");
  folders.push(folder);
  const before = await createStore({ url: `sqlite://${join(folder.dir, "pallabot.sqlite")}` });
  for (let n = 0; n < payments; n++) await before.payments.save(cashierVirtualAccount(`before-${n}`));
  await before.close();
  return folder.dir;
}

const warningsOf = (lines: Array<{ msg?: string; file?: string; payments?: number }>) =>
  lines.filter((l) => l.msg?.startsWith("the store STORE_URL names has no payments, but this file holds a shop's"));

describe("a start on an empty store with a shop's file beside it", () => {
  it("names the file and its payments", async () => {
    const dir = await folderWithShop(3);
    const { lines } = await start({ STORE_URL: `sqlite://${join(dir, "pallabot-sandbox.sqlite")}` });
    const warnings = warningsOf(lines());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: join(dir, "pallabot.sqlite"), payments: 3 });
  });

  it("says nothing when the store in use has payments of its own", async () => {
    const dir = await folderWithShop(2);
    const inUse = await createStore({ url: `sqlite://${join(dir, "pallabot-sandbox.sqlite")}` });
    await inUse.payments.save(cashierVirtualAccount("already-here"));
    await inUse.close();
    expect(warningsOf((await start({ STORE_URL: `sqlite://${join(dir, "pallabot-sandbox.sqlite")}` })).lines())).toEqual([]);
  });

  it("says nothing beside a file without payments", async () => {
    const dir = await folderWithShop(0);
    expect(warningsOf((await start({ STORE_URL: `sqlite://${join(dir, "pallabot-sandbox.sqlite")}` })).lines())).toEqual([]);
  });
});
