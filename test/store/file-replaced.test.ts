import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { createCallbackEventLog, createOutbox, createStore, type Store } from "../../src/store/index.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { CALLBACK_TOKEN } from "../webhook/shop-harness.js";
import { postCallback, virtualAccountPaid } from "../webhook/signed-callbacks.js";
import { cashierVirtualAccount } from "./fixtures/payment.js";

/**
 * Someone puts last night's backup back over the shop's file while the bot runs, or deletes it. SQLite goes
 * on writing to the file it opened, which nobody will read again: a paid callback answered 200 then would be
 * gone at the next start. It must get no 2xx (Palladium retries it), and /healthz must say something is wrong.
 */

let dir: string;
let store: Store | undefined;
let receiver: WebhookServer | undefined;
afterEach(async () => {
  await receiver?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function shopOn(file: string) {
  store = await createStore({ url: `sqlite://${file}` });
  receiver = createWebhookServer({ callbackToken: CALLBACK_TOKEN, store, eventLog: createCallbackEventLog(store), outbox: createOutbox(store), ownerIds: [1], logger: silentLogger() });
  return { store, url: await receiver.listen({ port: 0, host: "127.0.0.1" }) };
}

/** Until the store has noticed (it looks once a second), bounded. */
async function healthOnceNoticed(url: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const status = (await fetch(`${url}/healthz`)).status;
    if (status !== 200 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the shop's file swapped or deleted under the running bot", () => {
  it("a backup put back over it: callbacks get 503 and /healthz says so, instead of 200s no restart would find", async () => {
    dir = mkdtempSync(join(tmpdir(), "pallabot-swapped-"));
    const file = join(dir, "shop.sqlite");
    const { store: s, url } = await shopOn(file);
    const before = cashierVirtualAccount("va-before-backup");
    await s.payments.save(before);
    copyFileSync(file, join(dir, "backup.sqlite"));
    renameSync(join(dir, "backup.sqlite"), file);

    expect(await healthOnceNoticed(url)).toBe(503);
    expect((await postCallback(url, "virtual-account-paid", virtualAccountPaid(before))).status).toBe(503);
  });

  it("the file deleted: the same", async () => {
    dir = mkdtempSync(join(tmpdir(), "pallabot-deleted-"));
    const file = join(dir, "shop.sqlite");
    const { store: s, url } = await shopOn(file);
    const payment = cashierVirtualAccount("va-file-deleted");
    await s.payments.save(payment);
    unlinkSync(file);

    expect(await healthOnceNoticed(url)).toBe(503);
    expect((await postCallback(url, "virtual-account-paid", virtualAccountPaid(payment))).status).toBe(503);
  });
});
