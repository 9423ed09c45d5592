import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "grammy/types";
import { CASHIER, startWorld, textOf, type World, type WorldOptions } from "./world.js";

/**
 * A gateway that does not honour X-Idempotency-Key (Palladium does not document it) answers a second request
 * with our external_id with 409 DUPLICATE_EXTERNAL_ID. After a request of ours whose answer was lost, that
 * 409 is about our own payment: it may exist at the gateway, and it is recorded nowhere here.
 */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DUPLICATE = {
  endpoint: "create-virtual-account",
  when: "before",
  status: 409,
  body: JSON.stringify({ error_code: "DUPLICATE_EXTERNAL_ID", message: "external_id already used" }),
  contentType: "application/json",
} as const;

/** A BCA virtual account for "Siti Aminah", Rp 150.000, up to its summary. */
async function upToSummary(w: World): Promise<Message> {
  const askBank = await w.say(CASHIER, "/va");
  await w.press(CASHIER, askBank, { text: "BCA" });
  await w.say(CASHIER, "Siti Aminah");
  const askSingle = await w.say(CASHIER, "150rb");
  return w.press(CASHIER, askSingle, { text: "Sekali bayar" });
}

const buttonsOf = (m: Message) => m.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

/** What the cashier must be told when the payment may exist at the gateway but is not recorded here. */
function expectToldItMayExistUnrecorded(told: Message): void {
  const text = textOf(told);
  expect(text).not.toContain("Pembayaran terakhir");
  expect(text).not.toContain("sudah pernah dibuat");
  expect(text).toContain("belum pasti");
  expect(text).toContain("tidak tercatat di sini");
  expect(text).toContain('tekan "Batal", lalu buat pembayaran baru');
  // Trying again with the same external_id would only meet the same 409.
  expect(buttonsOf(told)).toEqual(["✖ Batal"]);
}

describe("a 409 about a payment whose answer was lost", () => {
  it("the client's own retry meets it: the cashier is told it may exist and is not recorded, and 'Batal' says the same", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const summary = await upToSummary(world);
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 0 });
    world.sandbox.injectFault(DUPLICATE);
    const told = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expectToldItMayExistUnrecorded(told);

    // What it says matches the world: one account at the gateway, none in the list.
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(textOf(await world.say(CASHIER, "/pembayaran"))).toContain("Belum ada pembayaran");
    const bye = await world.press(CASHIER, told, { text: "✖ Batal" });
    expect(textOf(bye)).toContain("tidak tercatat di sini");
    expect(textOf(bye)).not.toContain("Tidak ada yang dibuat");
  });

  it("'Coba lagi' after an unanswered create meets it on its first request: told the same", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const summary = await upToSummary(world);
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 503, times: 2 });
    const down = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(down)).toContain("tidak menjawab");
    world.sandbox.injectFault(DUPLICATE);
    const told = await world.press(CASHIER, down, { text: "🔁 Coba lagi" });
    expectToldItMayExistUnrecorded(told);
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });

  it("English: the same, in English", async () => {
    world = await startWorld({ staff: [CASHIER] });
    const language = await world.say(CASHIER, "/language");
    await world.press(CASHIER, language, { text: "🇬🇧 English" });
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BCA" });
    await world.say(CASHIER, "Siti Aminah");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "One payment" });
    world.sandbox.injectFault({ endpoint: "create-virtual-account", when: "after", status: 0 });
    world.sandbox.injectFault(DUPLICATE);
    const told = textOf(await world.press(CASHIER, summary, { text: "✅ Create now" }));
    expect(told).toContain("not certain");
    expect(told).toContain("not recorded here");
    expect(told).not.toContain("Recent payments");
  });
});

describe("a 409 on the very first request of a confirmed summary", () => {
  const FIXED_ID = "pb-fixed-409-0001";
  const options: WorldOptions = { staff: [CASHIER], botDeps: { newExternalId: () => FIXED_ID } };

  it("when another press of the same summary recorded the payment, the old words are right: it is in 'Pembayaran terakhir'", async () => {
    world = await startWorld(options);
    const summary = await upToSummary(world);
    const at = new Date().toISOString();
    // As another press of this summary (the same external_id, through its claim) leaves it: made, recorded, shown.
    await world.store.payments.save({
      externalId: FIXED_ID,
      gatewayId: "va_other_press",
      kind: "virtual_account",
      status: "pending",
      amount: 150_000,
      customerName: "Siti Aminah",
      bankCode: "BCA",
      accountNumber: "1234567890123",
      isSingleUse: true,
      createdBy: CASHIER.id,
      chatId: CASHIER.id,
      messageId: 1,
      locale: "id",
      createdAt: at,
      updatedAt: at,
    });
    world.sandbox.injectFault(DUPLICATE);
    const told = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expect(textOf(told)).toContain('Pembayaran ini ternyata sudah pernah dibuat. Cek "Pembayaran terakhir"');
    // Closing the question does not take that back: the payment is there and can be paid.
    expect(textOf(await world.press(CASHIER, told, { text: "✖ Batal" }))).toContain('sudah tercatat di "Pembayaran terakhir" dan masih bisa dibayar');
    expect(textOf(await world.say(CASHIER, "/pembayaran"))).toContain("Siti Aminah");
  });

  it("when nothing here recorded it (a press cut off by a restart made it), it is told as not recorded", async () => {
    world = await startWorld(options);
    const summary = await upToSummary(world);
    world.sandbox.injectFault(DUPLICATE);
    const told = await world.press(CASHIER, summary, { text: "✅ Buat sekarang" });
    expectToldItMayExistUnrecorded(told);
    expect(await world.store.payments.listRecent({ limit: 10 })).toEqual([]);
  });
});
