import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PaymentRecord } from "../../src/store/types.js";
import { cashierVirtualAccount } from "../store/fixtures/payment.js";
import { CASHIER, decodeQr, OWNER, startWorld, textOf, type World } from "./world.js";

let world: World;
const simulated: PaymentRecord[] = [];
beforeEach(async () => {
  simulated.length = 0;
  world = await startWorld({
    staff: [CASHIER],
    botDeps: {
      simulatePayment: async (record) => {
        simulated.push(record);
      },
    },
  });
});
afterEach(async () => {
  await world.close();
});

describe("English, lists and the sandbox button", () => {
  it("works in English end to end once the cashier picks it", async () => {
    const choose = await world.say(CASHIER, "/language");
    const set = await world.press(CASHIER, choose, { text: "🇬🇧 English" });
    expect(textOf(set)).toBe("Language set to English.");
    const askName = await world.press(CASHIER, set, { text: "🏪 Alfamart code" });
    expect(textOf(askName)).toContain("customer's name");
    expect(textOf(await world.say(CASHIER, "Budi 2"))).toContain("may only contain letters");
    const askAmount = await world.say(CASHIER, "Budi Santoso");
    expect(textOf(askAmount)).toContain("Type the amount");
    expect(textOf(await world.say(CASHIER, "10jt"))).toBe("The maximum amount is Rp 5.000.000. Example: 1,5jt");
    const summary = await world.say(CASHIER, "Rp 99.000");
    expect(textOf(summary)).toContain("Sandbox mode");
    expect(textOf(summary)).toContain("Outlet: Alfamart");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Create now" });
    const photo = await world.nextPhoto(CASHIER.id);
    const caption = String(photo.payload.caption);
    expect(caption).toContain("Pay at Alfamart");
    expect(caption).toContain("Valid until");
    expect(caption).toContain("is <b>not QRIS</b>: it cannot be paid by scanning it in a bank or e-wallet app");
    expect(decodeQr(photo)).toBe(world.sandbox.objects().retail_payments[0]?.payment_code);
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "forward the QR message above" });
    expect((await world.store.payments.listRecent({ limit: 1 }))[0]?.locale).toBe("en");
  });

  it("says when the list stops at its ten latest, and not when there are only ten", async () => {
    const save = (n: number) =>
      world.store.payments.save(
        cashierVirtualAccount(`list-limit-${n}`, { customerName: `Pelanggan ${String.fromCharCode(65 + n)}`, createdBy: OWNER.id, chatId: OWNER.id, createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString() }),
      );
    for (let n = 0; n < 10; n++) await save(n);
    const ten = textOf(await world.say(OWNER, "/pembayaran"));
    expect(ten.split("\n").filter((l) => l.includes("Pelanggan"))).toHaveLength(10);
    expect(ten).not.toContain("terbaru yang ditampilkan");
    await save(10);
    const eleven = textOf(await world.say(OWNER, "/pembayaran"));
    expect(eleven.split("\n").filter((l) => l.includes("Pelanggan"))).toHaveLength(10);
    expect(eleven).not.toContain("Pelanggan A");
    expect(eleven.split("\n").at(-1)).toBe("Hanya 10 terbaru yang ditampilkan; yang lebih lama ada di dashboard Palladium.");
  });

  it("lists recent payments with their status: a cashier their own, the owner all", async () => {
    for (const [user, name] of [
      [CASHIER, "Siti Aminah"],
      [OWNER, "Budi Santoso"],
    ] as const) {
      await world.say(user, "/alfamart");
      await world.say(user, name);
      const summary = await world.say(user, "50rb");
      world.telegram.pressButton(user, summary, { text: "✅ Buat sekarang" });
      await world.telegram.waitForBotMessage(user.id, { text: "diteruskan ke pelanggan" });
    }
    const cashiers = (await world.store.payments.listRecent({ limit: 10, createdBy: CASHIER.id }))[0];
    // What the webhook does when the customer pays (next issue).
    await world.store.payments.update(cashiers?.externalId ?? "", { status: "paid" });

    const own = textOf(await world.say(CASHIER, "/payments"));
    expect(own).toContain("Pembayaran terakhir Anda");
    expect(own).toContain("✅ Lunas Alfamart");
    expect(own).toContain("Siti Aminah");
    expect(own).not.toContain("Budi Santoso");

    const all = textOf(await world.say(OWNER, "/payments"));
    expect(all).toContain("Pembayaran terakhir toko");
    expect(all).toMatch(/⏳ Menunggu Alfamart \w+ · Rp 50\.000 · Budi Santoso/);
    expect(all).toContain("✅ Lunas");

    // The gateway sends nothing when a code expires unpaid: past its expiry, the list says so itself.
    const owners = (await world.store.payments.listRecent({ limit: 10, createdBy: OWNER.id }))[0];
    await world.store.payments.update(owners?.externalId ?? "", { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const later = textOf(await world.say(OWNER, "/payments"));
    expect(later).toMatch(/⌛ Kedaluwarsa Alfamart \w+ · Rp 50\.000 · Budi Santoso/);
    expect(later).not.toContain("⏳ Menunggu");
  });

  it("in sandbox mode the payment message carries a button that simulates the customer paying", async () => {
    await world.say(CASHIER, "/alfamart");
    await world.say(CASHIER, "Siti Aminah");
    const summary = await world.say(CASHIER, "50000");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    const message = (photo.response as { result: import("grammy/types").Message }).result;
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    world.telegram.pressButton(CASHIER, message, { text: "🧪 Simulasikan pembayaran" });
    const answered = await world.telegram.waitFor("answerCallbackQuery");
    expect(answered.payload.text).toBe("Pembayaran simulasi dikirim.");
    expect(simulated.map((r) => r.paymentCode)).toEqual([world.sandbox.objects().retail_payments[0]?.payment_code]);
  });

  it("the button pays a multi-use VA again after its first payment, and is refused once the VA has expired", async () => {
    await world.press(CASHIER, await world.say(CASHIER, "/va"), { text: "BNI" });
    await world.say(CASHIER, "Warung Bu Tini");
    const summary = await world.press(CASHIER, await world.say(CASHIER, "25rb"), { text: "Bisa berulang" });
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const message = ((await world.nextPhoto(CASHIER.id)).response as { result: import("grammy/types").Message }).result;
    // Its message says from the start that it stays open, for the cashier forwarding it and the customer keeping it.
    expect(message.caption).toContain("♻️ VA berulang: bisa dibayar berkali-kali sampai masa berlakunya habis.");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    const [va] = await world.store.payments.listRecent({ limit: 1 });
    await world.store.payments.update(va!.externalId, { status: "paid", paidAmount: 25_000, paidCount: 1, paidTotal: 25_000 });

    world.telegram.pressButton(CASHIER, message, { text: "🧪 Simulasikan pembayaran" });
    expect((await world.telegram.waitFor("answerCallbackQuery")).payload.text).toBe("Pembayaran simulasi dikirim.");
    expect(simulated.map((r) => r.externalId)).toEqual([va!.externalId]);

    // Expired at 10.00 WIB on 1 November: the press says so, and since when.
    await world.store.payments.update(va!.externalId, { expiresAt: "2026-11-01T03:00:00.000Z" });
    const answers = world.telegram.callsTo("answerCallbackQuery").length;
    world.telegram.pressButton(CASHIER, message, { text: "🧪 Simulasikan pembayaran" });
    for (let i = 0; i < 500 && world.telegram.callsTo("answerCallbackQuery").length === answers; i++) await new Promise((r) => setTimeout(r, 20));
    expect(world.telegram.callsTo("answerCallbackQuery")).toHaveLength(answers + 1);
    expect(world.telegram.callsTo("answerCallbackQuery").at(-1)?.payload.text).toBe(
      "Kedaluwarsa sejak 1 Nov 2026, 10.00 WIB: pelanggan pun tidak bisa membayarnya lagi. Buat pembayaran baru.",
    );
    expect(simulated).toHaveLength(1);
  });
});
