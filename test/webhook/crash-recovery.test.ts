import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { createStore } from "../../src/store/index.js";
import type { PaymentRecord } from "../../src/store/types.js";
import { CASHIER, CALLBACK_TOKEN, OWNER, SHOP_GROUP, startShop, textOf, type Shop } from "./shop-harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pallabot-crash-"));
const children: ChildProcess[] = [];
let shop: Shop | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await shop?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the webhook in its own process on the SQLite file; resolves to its base URL. */
async function startWebhookProcess(storeFile: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "fixtures", "webhook-process.ts")], {
    env: { ...process.env, STORE_FILE: storeFile, CALLBACK_TOKEN, OWNER_ID: String(OWNER.id) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, "exit").then(() => {
    throw new Error(`webhook process exited early: ${stderr}`);
  });
  const first = new Promise<string>((resolve) => lines.once("line", resolve));
  const line = await Promise.race([first, exited]);
  return { child, baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl };
}

describe("the server dies right after saying 200", () => {
  it("SIGKILL just after the 2xx: the notification is delivered once after restart", async () => {
    const storeFile = join(dir, "shop.sqlite");
    const now = new Date().toISOString();
    const payment: PaymentRecord = {
      externalId: "crash-va-1",
      gatewayId: "gw-crash-1",
      kind: "virtual_account",
      status: "pending",
      amount: 725_000,
      customerName: "Dewi Lestari",
      bankCode: "BNI",
      accountNumber: "8808555566667777",
      isSingleUse: true,
      createdBy: CASHIER.id,
      chatId: CASHIER.id,
      locale: "id",
      createdAt: now,
      updatedAt: now,
    };
    // What the bot did earlier: the cashier joined, her payment is saved and the group linked.
    const before = await createStore({ url: `sqlite://${storeFile}` });
    await before.access.addStaff({ userId: CASHIER.id, name: CASHIER.first_name, addedBy: OWNER.id, addedAt: now });
    await before.payments.save(payment);
    await before.access.linkGroup({ chatId: SHOP_GROUP, title: "Toko Maju Jaya", linkedBy: OWNER.id, linkedAt: now });
    await before.close();

    const { child, baseUrl } = await startWebhookProcess(storeFile);
    const answer = await fetch(`${baseUrl}${CALLBACK_PATHS["virtual-account-paid"]}`, {
      method: "POST",
      headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: CALLBACK_TOKEN },
      body: JSON.stringify({
        id: "cb-crash-1",
        payment_id: "pay-crash-1",
        callback_virtual_account_id: "gw-crash-1",
        owner_id: "owner",
        external_id: "crash-va-1",
        account_number: "8808555566667777",
        bank_code: "BNI",
        amount: 725_000,
        merchant_code: "88085",
        transaction_timestamp: now,
        created: now,
        updated: now,
      }),
    });
    expect(answer.status).toBe(200);
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(child.signalCode).toBe("SIGKILL");

    // A new process (here: this one) opens the same file; its notifier finds the work in the outbox.
    shop = await startShop({ storeFile, linkGroup: false });
    await shop.settle();
    const toGroup = shop.messagesTo(SHOP_GROUP).filter((c) => textOf(c).includes("crash-va-1"));
    const toCashier = shop.messagesTo(CASHIER.id).filter((c) => textOf(c).includes("crash-va-1"));
    expect(toGroup).toHaveLength(1);
    expect(toCashier).toHaveLength(1);
    expect(textOf(toGroup[0]!)).toContain("Rp 725.000");
    expect((await shop.store.payments.get("crash-va-1"))?.status).toBe("paid");
  });
});
