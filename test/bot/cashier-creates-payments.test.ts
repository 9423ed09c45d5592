import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "grammy/types";
import { PNG } from "pngjs";
import { CASHIER, decodeQr, startWorld, textOf, type World } from "./world.js";

let world: World;
beforeEach(async () => {
  world = await startWorld({ staff: [CASHIER] });
});
afterEach(async () => {
  await world.close();
});

describe("a cashier takes payments", () => {
  it("creates a BCA virtual account and gets a photo whose QR is the account number; the payment is recorded", async () => {
    const menu = await world.say(CASHIER, "/start");
    expect(textOf(menu)).toContain("Mode sandbox");
    const askBank = await world.press(CASHIER, menu, { text: "🏦 Buat Virtual Account" });
    expect(textOf(askBank)).toContain("Pilih bank");
    const askName = await world.press(CASHIER, askBank, { text: "BCA" });
    expect(textOf(askName)).toContain("nama pelanggan");
    const askAmount = await world.say(CASHIER, "Siti Aminah");
    expect(textOf(askAmount)).toContain("nominal");
    const askSingle = await world.say(CASHIER, "Rp 150.000");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Rp 150.000");
    expect(textOf(summary)).toContain("Siti Aminah");

    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);

    const [va] = world.sandbox.objects().virtual_accounts;
    expect(world.sandbox.objects().virtual_accounts).toHaveLength(1);
    expect(va?.bank_code).toBe("BCA");
    expect(va?.amount).toBe(150_000);
    expect(decodeQr(photo)).toBe(va?.account_number);

    const caption = String(photo.payload.caption);
    expect(caption).toContain(`<code>${va?.account_number}</code>`);
    expect(caption).toContain(va?.account_number.replace(/(.{4})(?=.)/g, "$1 "));
    expect(caption).toContain("Rp 150.000");
    expect(caption).toContain("WIB");
    expect(caption).toContain("bukan QRIS");
    expect(caption).toContain("Mode sandbox");
    expect(caption).not.toContain("VA berulang");
    expect(caption).toContain("Isinya hanya nomor VA di atas");

    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    const record = await world.store.payments.get(va?.external_id ?? "");
    expect(record).toMatchObject({
      gatewayId: va?.id,
      kind: "virtual_account",
      status: "pending",
      amount: 150_000,
      customerName: "Siti Aminah",
      bankCode: "BCA",
      accountNumber: va?.account_number,
      isSingleUse: true,
      createdBy: CASHIER.id,
      chatId: CASHIER.id,
      messageId: (photo.response as { result: Message }).result.message_id,
      locale: "id",
    });
    expect(record?.externalId.length).toBeLessThanOrEqual(64);
  });

  it("creates an Alfamart code whose QR is the payment code", async () => {
    const askName = await world.say(CASHIER, "/alfamart");
    expect(textOf(askName)).toContain("nama pelanggan");
    await world.say(CASHIER, "Budi Santoso");
    const summary = await world.say(CASHIER, "75rb");
    expect(textOf(summary)).toContain("Alfamart");
    expect(textOf(summary)).toContain("Rp 75.000");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    const [code] = world.sandbox.objects().retail_payments;
    expect(code?.amount).toBe(75_000);
    expect(decodeQr(photo)).toBe(code?.payment_code);
    expect(String(photo.payload.caption)).toContain(`<code>${code?.payment_code}</code>`);
    expect(String(photo.payload.caption)).toContain("kasir Alfamart");
    expect(String(photo.payload.caption)).toContain("Isinya hanya kode bayar di atas, untuk dipindai kasir Alfamart");
    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    // A Code 128 barcode of the same code follows, for the till's scanner: bars across a wide image.
    const barcode = world.telegram.callsTo("sendPhoto").find((c) => String(c.payload.caption).includes("Barcode"));
    expect(String(barcode?.payload.caption)).toContain(`<code>${code?.payment_code}</code>`);
    const image = PNG.sync.read(barcode?.files[0]?.data ?? Buffer.alloc(0));
    expect(image.width).toBeGreaterThan(image.height);
    const row = Math.floor(image.height * 0.3);
    let edges = 0;
    for (let x = 1; x < image.width; x++) {
      const dark = (px: number) => (image.data[(row * image.width + px) * 4] ?? 255) < 128;
      if (dark(x) !== dark(x - 1)) edges++;
    }
    expect(edges).toBeGreaterThan(30);
    expect(await world.store.payments.get(code?.external_id ?? "")).toMatchObject({
      kind: "retail",
      retailOutletName: "ALFAMART",
      paymentCode: code?.payment_code,
      customerName: "Budi Santoso",
      amount: 75_000,
      status: "pending",
    });
  });

  it("takes names typed with a phone's curly apostrophe or dash, and the gateway gets them with plain ' and -", async () => {
    const askBank = await world.say(CASHIER, "/va");
    await world.press(CASHIER, askBank, { text: "BNI" });
    // The keyboard's ’ (Ma’ruf), ‘ after a space (Nur ‘Aini), and its dashes: each one goes on to the amount.
    for (const typed of ["Syafi\u2019i", "Nur \u2018Aini", "Siti\u2013Aminah", "Siti\u2010Aminah", "Siti\u2011Aminah"]) {
      expect(textOf(await world.say(CASHIER, typed)), typed).toContain("nominal");
      await world.say(CASHIER, "/cancel");
      await world.press(CASHIER, await world.say(CASHIER, "/va"), { text: "BNI" });
    }
    await world.say(CASHIER, "Ma\u2019ruf Amin");
    const askSingle = await world.say(CASHIER, "150rb");
    const summary = await world.press(CASHIER, askSingle, { text: "Sekali bayar" });
    expect(textOf(summary)).toContain("Ma'ruf Amin");
    world.telegram.pressButton(CASHIER, summary, { text: "✅ Buat sekarang" });
    const photo = await world.nextPhoto(CASHIER.id);
    const [va] = world.sandbox.objects().virtual_accounts;
    expect(va?.account_name).toBe("XDT-Ma'ruf Amin");
    expect(String(photo.payload.caption)).toContain("Ma'ruf Amin");
    expect(await world.store.payments.get(va?.external_id ?? "")).toMatchObject({ customerName: "Ma'ruf Amin" });

    await world.telegram.waitForBotMessage(CASHIER.id, { text: "diteruskan ke pelanggan" });
    await world.say(CASHIER, "/alfamart");
    await world.say(CASHIER, "Siti\u2013Aminah");
    const alfamartSummary = await world.say(CASHIER, "75rb");
    world.telegram.pressButton(CASHIER, alfamartSummary, { text: "✅ Buat sekarang" });
    await world.nextPhoto(CASHIER.id);
    const [code] = world.sandbox.objects().retail_payments;
    expect(code?.name).toBe("Siti-Aminah");
    expect(await world.store.payments.get(code?.external_id ?? "")).toMatchObject({ customerName: "Siti-Aminah" });
  });
});
