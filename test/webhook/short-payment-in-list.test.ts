import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { createCallbackEventLog, createOutbox } from "../../src/store/index.js";
import { createWebhookServer, type WebhookServer } from "../../src/webhook/server.js";
import { CASHIER, OWNER, startWorld, textOf, type World } from "../bot/world.js";
import { CALLBACK_TOKEN } from "./shop-harness.js";
import { postCallback, retailOutletPaid, virtualAccountPaid } from "./signed-callbacks.js";

/**
 * The cashier makes an Alfamart code in the bot, the customer pays part of it, and /pembayaran must not
 * show a bare "Lunas": the list is where the cashier checks before handing over the goods.
 */

let world: World;
let server: WebhookServer;
let webhookUrl: string;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
  server = createWebhookServer({
    callbackToken: CALLBACK_TOKEN,
    store: world.store,
    eventLog: createCallbackEventLog(world.store),
    outbox: createOutbox(world.store),
    ownerIds: [OWNER.id],
    logger: silentLogger(),
  });
  webhookUrl = await server.listen({ port: 0, host: "127.0.0.1" });
});
afterEach(async () => {
  await server.close();
  await world.close();
});

async function makeAlfamartCode(user: typeof CASHIER, name: string, amount: string) {
  await world.say(user, "/alfamart");
  await world.say(user, name);
  return confirm(user, await world.say(user, amount));
}

/** Presses "create now" on a payment's summary and returns the payment the bot saved. */
async function confirm(user: typeof CASHIER, summary: Awaited<ReturnType<World["say"]>>) {
  world.telegram.pressButton(user, summary, { text: "✅ Buat sekarang" });
  await world.telegram.waitForBotMessage(user.id, { text: "diteruskan ke pelanggan" });
  const [record] = await world.store.payments.listRecent({ limit: 1, createdBy: user.id });
  if (record === undefined) throw new Error("the bot saved no payment");
  return record;
}

describe("the payments list after a short payment", () => {
  it("shows what was paid and what is missing instead of Lunas, and a full payment still reads Lunas", async () => {
    const short = await makeAlfamartCode(CASHIER, "Siti Aminah", "50rb");
    const full = await makeAlfamartCode(CASHIER, "Budi Santoso", "30rb");
    expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(short, { amount: 40_000 }))).status).toBe(200);
    expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(full, { amount: 30_000 }))).status).toBe(200);

    const list = textOf(await world.say(CASHIER, "/pembayaran"));
    const shortLine = list.split("\n").find((l) => l.includes("Siti Aminah")) ?? "";
    expect(shortLine).toMatch(/^⚠️ Kurang bayar Alfamart \w+ · Rp 40\.000 dari Rp 50\.000 \(kurang Rp 10\.000\) · Siti Aminah/);
    expect(shortLine).not.toContain("Lunas");
    expect(list.split("\n").find((l) => l.includes("Budi Santoso"))).toMatch(/^✅ Lunas Alfamart \w+ · Rp 30\.000 · Budi Santoso/);

    const choose = await world.say(CASHIER, "/language");
    await world.press(CASHIER, choose, { text: "🇬🇧 English" });
    const english = textOf(await world.say(CASHIER, "/payments"));
    expect(english).toMatch(/⚠️ Paid short Alfamart \w+ · Rp 40\.000 of Rp 50\.000 \(Rp 10\.000 short\) · Siti Aminah/);
  });

  it("a code paid twice at the till reads overpaid, with the total and the count, instead of Lunas", async () => {
    const twice = await makeAlfamartCode(CASHIER, "Bu Sinta", "30rb");
    for (let i = 0; i < 2; i++) expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(twice, { amount: 30_000 }))).status).toBe(200);
    const list = textOf(await world.say(CASHIER, "/pembayaran"));
    expect(list).toMatch(/⚠️ Lebih bayar Alfamart \w+ · Rp 60\.000 dari Rp 30\.000 \(lebih Rp 30\.000\) \(dibayar 2×\) · Bu Sinta/);
    expect(list).not.toContain("Lunas");
  });

  it("a short payment whose rest was paid later reads Lunas, paid twice", async () => {
    const inParts = await makeAlfamartCode(CASHIER, "Pak Dedi", "50rb");
    for (const amount of [40_000, 10_000]) expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(inParts, { amount }))).status).toBe(200);
    const line = textOf(await world.say(CASHIER, "/pembayaran")).split("\n").find((l) => l.includes("Pak Dedi"));
    expect(line).toMatch(/^✅ Lunas Alfamart \w+ · Rp 50\.000 \(dibayar 2×\) · Pak Dedi/);
  });

  it("an overpaid code says by how much", async () => {
    const over = await makeAlfamartCode(OWNER, "Andi Lebih", "50rb");
    expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(over, { amount: 60_000 }))).status).toBe(200);
    const list = textOf(await world.say(OWNER, "/pembayaran"));
    expect(list).toMatch(/⚠️ Lebih bayar Alfamart \w+ · Rp 60\.000 dari Rp 50\.000 \(lebih Rp 10\.000\) · Andi Lebih/);
  });
});

describe("the time on a list line", () => {
  it("says which: when a bill was paid once it is paid, when it was made while it waits, the latest payment for a bill paid twice", async () => {
    const waiting = await makeAlfamartCode(CASHIER, "Ibu Menunggu", "30rb");
    const paid = await makeAlfamartCode(CASHIER, "Pak Bayar", "30rb");
    const twice = await makeAlfamartCode(CASHIER, "Bu Dua Kali", "50rb");
    const at = (iso: string) => ({ transaction_timestamp: iso });
    expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(paid, { amount: 30_000, ...at("2026-11-26T03:05:00.000Z") }))).status).toBe(200);
    for (const [amount, iso] of [[20_000, "2026-11-26T04:00:00.000Z"], [30_000, "2026-11-26T06:30:00.000Z"]] as const) {
      expect((await postCallback(webhookUrl, "retail-outlet-paid", retailOutletPaid(twice, { amount, ...at(iso) }))).status).toBe(200);
    }
    const lines = textOf(await world.say(CASHIER, "/pembayaran")).split("\n");
    const line = (name: string) => lines.find((l) => l.includes(name)) ?? "";
    expect(line("Pak Bayar")).toMatch(/· dibayar 26 Nov 2026,? 10\.05 WIB$/);
    expect(line("Bu Dua Kali")).toMatch(/· terakhir dibayar 26 Nov 2026,? 13\.30 WIB$/);
    expect(line("Ibu Menunggu")).toMatch(/· dibuat \d+ \w+ \d{4},? \d\d\.\d\d WIB$/);
    expect(waiting.status).toBe("pending");

    const choose = await world.say(CASHIER, "/language");
    await world.press(CASHIER, choose, { text: "🇬🇧 English" });
    const english = textOf(await world.say(CASHIER, "/payments"));
    expect(english).toMatch(/Pak Bayar · paid 26 Nov 2026,? 10:05 WIB/);
    expect(english).toMatch(/Ibu Menunggu · created /);
  });
});

async function makeMultiUseVa(user: typeof CASHIER, name: string, amount: string) {
  await world.press(user, await world.say(user, "/va"), { text: "BCA" });
  await world.say(user, name);
  return confirm(user, await world.press(user, await world.say(user, amount), { text: "Bisa berulang" }));
}

describe("the payments list and a multi-use VA", () => {
  it("counts its payments and their total, and still says so when the latest one was short", async () => {
    const va = await makeMultiUseVa(CASHIER, "Warung Bu Tini", "25rb");
    for (const amount of [25_000, 25_000]) {
      expect((await postCallback(webhookUrl, "virtual-account-paid", virtualAccountPaid(va, { amount, account_number: va.accountNumber }))).status).toBe(200);
    }
    const line = async () => (textOf(await world.say(CASHIER, "/pembayaran")).split("\n").find((l) => l.includes("Warung Bu Tini")) ?? "");
    expect(await line()).toMatch(/^♻️ Dibayar 2× BCA \d+ · tagihan Rp 25\.000, total Rp 50\.000 · Warung Bu Tini/);

    expect((await postCallback(webhookUrl, "virtual-account-paid", virtualAccountPaid(va, { amount: 20_000, account_number: va.accountNumber }))).status).toBe(200);
    expect(await line()).toMatch(/^♻️ Dibayar 3× BCA \d+ · tagihan Rp 25\.000, total Rp 70\.000 \(⚠️ terakhir kurang Rp 5\.000\) · Warung Bu Tini/);

    // Past its expiry it can no longer be paid: the count stays, the status says it has closed.
    await world.store.payments.update(va.externalId, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(await line()).toMatch(/^⌛ Dibayar 3×, kedaluwarsa BCA/);

    const choose = await world.say(CASHIER, "/language");
    await world.press(CASHIER, choose, { text: "🇬🇧 English" });
    const english = textOf(await world.say(CASHIER, "/payments"));
    expect(english).toMatch(/⌛ Paid 3×, expired BCA \d+ · Rp 25\.000 each, Rp 70\.000 in all \(⚠️ the latest Rp 5\.000 short\) · Warung Bu Tini/);
  });
});
