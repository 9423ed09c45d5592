import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import { CASHIER, CALLBACK_TOKEN, OWNER, SHOP_GROUP, startShop, textOf, type Shop } from "./shop-harness.js";

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop.close();
});

const mentioning = (externalId: string) => (chatId: number) => shop.messagesTo(chatId).filter((c) => textOf(c).includes(externalId));

/** `token: null` sends no X-Callback-Token at all. */
async function postCallback(path: string, body: unknown, token: string | null = CALLBACK_TOKEN) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers[CALLBACK_TOKEN_HEADER] = token;
  return fetch(`${shop.webhookUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

describe("a customer pays a virtual account", () => {
  it("the shop group and the cashier who made it each hear once, and the QR message turns PAID", async () => {
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Budi Santoso", bank: "BCA" });
    const paid = await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`);
    expect(paid.status).toBe(200);
    await shop.settle();

    const inGroup = mentioning(va.externalId)(SHOP_GROUP);
    const toCashier = mentioning(va.externalId)(CASHIER.id);
    expect(inGroup).toHaveLength(1);
    expect(toCashier).toHaveLength(1);
    const text = textOf(inGroup[0]!);
    expect(text).toContain("Pembayaran diterima");
    expect(text).toContain("Rp 150.000");
    expect(text).toContain(`BCA <code>${va.accountNumber}</code>`);
    expect(text).toContain("Budi Santoso");
    expect(text).toMatch(/WIB/);
    expect(inGroup[0]!.payload.parse_mode).toBe("HTML");

    const edits = shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.response.ok).toBe(true);
    const shown = shop.telegram.messagesIn(CASHIER.id).find((m) => m.message_id === va.messageId);
    expect(shown && "caption" in shown ? shown.caption : "").toContain("SUDAH DIBAYAR");

    const record = await shop.store.payments.get(va.externalId);
    expect(record?.status).toBe("paid");
    expect(record?.paidAmount).toBe(150_000);
    expect(record?.paidAt).toBeDefined();
  });

  it("the gateway delivering the same callback five times still gives one message per chat", async () => {
    const va = await shop.createVirtualAccount({ amount: 275_000, name: "Siti Aminah", bank: "BNI" });
    const payload = shop.sandbox.payVirtualAccount(va.externalId);
    const answers = await Promise.all([1, 2, 3, 4].map(() => postCallback(CALLBACK_PATHS["virtual-account-paid"], payload)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await shop.settle();
    // The sandbox's own delivery was the fifth.
    expect(shop.sandbox.deliveries().filter((d) => JSON.stringify(d).includes(va.externalId)).length).toBeGreaterThanOrEqual(1);
    expect(mentioning(va.externalId)(SHOP_GROUP)).toHaveLength(1);
    expect(mentioning(va.externalId)(CASHIER.id)).toHaveLength(1);
    expect(shop.telegram.callsTo("editMessageCaption").filter((c) => Number(c.payload.message_id) === va.messageId && Number(c.payload.chat_id) === CASHIER.id)).toHaveLength(1);
  });

  it("a callback with a wrong or missing token gets 401 and tells nobody anything", async () => {
    const va = await shop.createVirtualAccount({ amount: 99_000, name: "Penipu Palsu" });
    const forged = {
      id: "forged-1",
      payment_id: "forged-payment-1",
      callback_virtual_account_id: va.gatewayId,
      owner_id: "x",
      external_id: va.externalId,
      account_number: va.accountNumber,
      bank_code: "BCA",
      amount: 99_000,
      merchant_code: "12345",
      transaction_timestamp: new Date().toISOString(),
      created: new Date().toISOString(),
      updated: new Date().toISOString(),
    };
    const wrong = await postCallback(CALLBACK_PATHS["virtual-account-paid"], forged, "not-the-token");
    const missing = await postCallback(CALLBACK_PATHS["virtual-account-paid"], forged, null);
    const almost = await postCallback(CALLBACK_PATHS["virtual-account-paid"], forged, `${CALLBACK_TOKEN}x`);
    for (const answer of [wrong, missing, almost]) {
      expect(answer.status).toBe(401);
      expect(await answer.json()).toEqual({ error: "unauthorized" });
    }
    await shop.settle();
    expect(mentioning(va.externalId)(SHOP_GROUP)).toHaveLength(0);
    expect(mentioning(va.externalId)(CASHIER.id)).toHaveLength(0);
    expect((await shop.store.payments.get(va.externalId))?.status).toBe("pending");
  });

  it("a multi-use VA paid twice is two payments, and each is announced", async () => {
    const va = await shop.createVirtualAccount({ amount: 50_000, name: "Warung Bu Tini", isSingleUse: false });
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 50_000 })).status).toBe(200);
    await shop.settle();
    expect((await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { amount: 70_000 })).status).toBe(200);
    await shop.settle();
    const inGroup = mentioning(va.externalId)(SHOP_GROUP).map(textOf);
    expect(inGroup).toHaveLength(2);
    expect(inGroup[0]).toContain("Rp 50.000");
    expect(inGroup[1]).toContain("Rp 70.000");
    expect((await shop.store.payments.get(va.externalId))?.paidAmount).toBe(70_000);
  });

  it("a paid callback that overtakes its created callback is still announced, and the late created one changes nothing", async () => {
    const va = await shop.createVirtualAccount({ amount: 120_000, name: "Rina Wati" });
    const now = new Date().toISOString();
    const paid = await postCallback(CALLBACK_PATHS["virtual-account-paid"], {
      id: "cb-ooo-1",
      payment_id: `pay-ooo-${va.externalId}`,
      callback_virtual_account_id: va.gatewayId,
      owner_id: "owner",
      external_id: va.externalId,
      account_number: va.accountNumber,
      bank_code: "BCA",
      amount: "120000",
      merchant_code: "12345",
      transaction_timestamp: now,
      created: now,
      updated: now,
    });
    expect(paid.status).toBe(200);
    const created = await postCallback(CALLBACK_PATHS["virtual-account-created"], {
      id: va.gatewayId,
      owner_id: "owner",
      external_id: va.externalId,
      merchant_code: "12345",
      account_number: va.accountNumber,
      bank_code: "BCA",
      name: "Rina Wati",
      is_closed: true,
      is_single_use: true,
      expiration_date: "2052-12-23T00:00:00+07:00",
      status: "ACTIVE",
      created: now,
      updated: now,
    });
    expect(created.status).toBe(200);
    await shop.settle();
    expect(mentioning(va.externalId)(SHOP_GROUP)).toHaveLength(1);
    expect((await shop.store.payments.get(va.externalId))?.status).toBe("paid");
  });
});

describe("a bank that gives no payer's name", () => {
  it("a paid callback with sender_name null is recorded and told like any other", async () => {
    const va = await shop.createVirtualAccount({ amount: 64_000, name: "Dedi Kurnia" });
    const now = new Date().toISOString();
    const paid = await postCallback(CALLBACK_PATHS["virtual-account-paid"], {
      id: "cb-no-sender-1",
      payment_id: `pay-no-sender-${va.externalId}`,
      callback_virtual_account_id: va.gatewayId,
      owner_id: "owner",
      external_id: va.externalId,
      account_number: va.accountNumber,
      bank_code: "BCA",
      amount: 64_000,
      merchant_code: "12345",
      transaction_timestamp: now,
      created: now,
      updated: now,
      sender_name: null,
    });
    expect(paid.status).toBe(200);
    await shop.settle();
    const told = mentioning(va.externalId)(SHOP_GROUP);
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!)).toContain("Rp 64.000");
    expect(textOf(told[0]!)).not.toContain("null");
    expect((await shop.store.payments.get(va.externalId))?.status).toBe("paid");
  });
});

describe("a callback that differs from the documented one where the bot only shows or never reads", () => {
  it("is recorded and told: fields it never reads missing, the bank left out, the number with spaces, a time without a zone", async () => {
    const va = await shop.createVirtualAccount({ amount: 80_000, name: "Rina Wati", bank: "BNI" });
    const spaced = (va.accountNumber ?? "").replace(/(\d{4})(?=\d)/g, "$1 ");
    const paid = await postCallback(CALLBACK_PATHS["virtual-account-paid"], {
      id: `cb-drift-${va.externalId}`,
      payment_id: `pay-drift-${va.externalId}`,
      external_id: va.externalId,
      account_number: spaced,
      bank_code: null,
      amount: "80000.00",
      transaction_timestamp: "2026-11-26 14:30:00",
      created: null,
    });
    expect(paid.status).toBe(200);
    await shop.settle();
    const told = mentioning(va.externalId)(SHOP_GROUP);
    expect(told).toHaveLength(1);
    const text = textOf(told[0]!);
    expect(text).toContain("Rp 80.000");
    expect(text).toContain(`BNI <code>${va.accountNumber}</code>`);
    expect(text).toContain("14.30 WIB");
    expect(text).not.toContain("⚠️");
    expect(await shop.store.payments.get(va.externalId)).toMatchObject({ status: "paid", paidAt: "2026-11-26T07:30:00.000Z" });
  });

  it("is recorded with the time it arrived when its own time is in a form not read here, and warns of another VA number without a bank", async () => {
    const va = await shop.createVirtualAccount({ amount: 90_000, name: "Dewi Sartika", bank: "BCA" });
    const before = Date.now();
    const paid = await postCallback(CALLBACK_PATHS["virtual-account-paid"], {
      id: `cb-odd-${va.externalId}`,
      payment_id: `pay-odd-${va.externalId}`,
      external_id: va.externalId,
      account_number: "8808999999999999",
      bank_code: { name: "BCA" },
      amount: 90_000,
      transaction_timestamp: "26/11/2026 10:00:00",
      sender_name: "X".repeat(300),
    });
    expect(paid.status).toBe(200);
    await shop.settle();
    const [told] = mentioning(va.externalId)(SHOP_GROUP);
    expect(textOf(told!)).toContain(`BCA <code>${va.accountNumber}</code>`);
    expect(textOf(told!)).toContain("⚠️ Palladium menyebut VA ? <code>8808999999999999</code>");
    // The time shown is the bot's, and the notice says so.
    expect(textOf(told!)).toContain("WIB (saat diterima bot: waktu dari Palladium tidak terbaca)");
    expect(Date.parse((await shop.store.payments.get(va.externalId))?.paidAt ?? "")).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("reads its time in seconds since 1970 or with an hour-only offset, never a date that does not exist, and never cuts a sender's name inside an emoji", async () => {
    const unixTime = await shop.createVirtualAccount({ amount: 61_000, name: "Sari Unix", bank: "BCA" });
    const hourOffset = await shop.createVirtualAccount({ amount: 62_000, name: "Sari Offset", bank: "BCA" });
    const noSuchDay = await shop.createVirtualAccount({ amount: 63_000, name: "Sari Februari", bank: "BCA" });
    const pay = (va: typeof unixTime, fields: Record<string, unknown>) =>
      postCallback(CALLBACK_PATHS["virtual-account-paid"], {
        id: `cb-time-${va.externalId}`,
        payment_id: `pay-time-${va.externalId}`,
        external_id: va.externalId,
        account_number: va.accountNumber,
        amount: va.amount,
        ...fields,
      });
    const before = Date.now();
    // 26 Nov 2026, 10:00 WIB, as Unix seconds; the sender's name ends in an emoji right at the 256th character.
    expect((await pay(unixTime, { transaction_timestamp: 1_795_662_000, sender_name: `${"A".repeat(255)}😀 TOKO` })).status).toBe(200);
    expect((await pay(hourOffset, { transaction_timestamp: "2026-11-26T11:15:00+07", sender_name: "Budi \uD83D Santoso" })).status).toBe(200);
    expect((await pay(noSuchDay, { transaction_timestamp: "2026-02-30T10:00:00" })).status).toBe(200);
    await shop.settle();

    const toldTo = (va: typeof unixTime) => textOf(mentioning(va.externalId)(SHOP_GROUP)[0]!);
    expect(toldTo(unixTime)).toContain("26 Nov 2026, 10.00 WIB");
    // Cut at 256 before the emoji, not inside it (Telegram refuses half a character, and the notice would be lost).
    expect(toldTo(unixTime)).toContain("A".repeat(255));
    expect(toldTo(unixTime)).not.toContain("TOKO");
    expect(toldTo(hourOffset)).toContain("26 Nov 2026, 11.15 WIB");
    expect(toldTo(hourOffset)).toContain("Budi \uFFFD Santoso");
    expect(toldTo(noSuchDay)).not.toContain("Mar 2026");
    expect(toldTo(noSuchDay)).toContain("saat diterima bot");
    expect(toldTo(unixTime)).not.toContain("saat diterima bot");
    expect(Date.parse((await shop.store.payments.get(noSuchDay.externalId))?.paidAt ?? "")).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("is refused with 400 and tells nobody when it is not in rupiah, is no whole rupiah, or names no account", async () => {
    const va = await shop.createVirtualAccount({ amount: 150_000, name: "Andi Dollar" });
    const base = { id: `cb-usd-${va.externalId}`, payment_id: `pay-usd-${va.externalId}`, external_id: va.externalId, account_number: va.accountNumber, amount: 150 };
    for (const body of [{ ...base, currency: "USD" }, { ...base, amount: "150000.50" }, { ...base, account_number: null }, { ...base, amount: 10 ** 13 }]) {
      const answer = await postCallback(CALLBACK_PATHS["virtual-account-paid"], body);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(/^(currency|amount|account_number): /);
    }
    expect((await postCallback(CALLBACK_PATHS["virtual-account-paid"], { ...base, amount: 150_000, currency: "IDR" })).status).toBe(200);
    await shop.settle();
    expect(mentioning(va.externalId)(SHOP_GROUP)).toHaveLength(1);
    expect(textOf(mentioning(va.externalId)(SHOP_GROUP)[0]!)).toContain("Rp 150.000");
  });
});

describe("a cashier who reads English", () => {
  it("hears in English, while the group keeps Indonesian", async () => {
    const va = await shop.createVirtualAccount({ amount: 1_250_000, name: "Tom O'Brien", bank: "BNI", locale: "en" });
    // The bank reports who actually paid; it is shown too, escaped for Telegram's HTML.
    const paid = await shop.simulate(`/sandbox/simulate/virtual-accounts/${va.externalId}/pay`, { sender_name: "PT <Kantor> & Co" });
    expect(paid.status).toBe(200);
    await shop.settle();
    const toCashier = textOf(mentioning(va.externalId)(CASHIER.id)[0]!);
    expect(toCashier).toContain("Payment received");
    expect(toCashier).toContain("Rp 1.250.000");
    expect(toCashier).toContain("Customer: Tom O'Brien");
    expect(toCashier).toContain("Paid by: PT &lt;Kantor&gt; &amp; Co");
    expect(textOf(mentioning(va.externalId)(SHOP_GROUP)[0]!)).toContain("Pembayaran diterima");
    const shown = shop.telegram.messagesIn(CASHIER.id).find((m) => m.message_id === va.messageId);
    expect(shown && "caption" in shown ? shown.caption : "").toContain("PAID");
  });
});

describe("a customer pays at Alfamart", () => {
  it("the group hears the outlet and the payment code", async () => {
    const code = await shop.createRetailPayment({ amount: 85_000, name: "Agus Salim" });
    expect((await shop.simulate(`/sandbox/simulate/retail-payments/${code.externalId}/pay`)).status).toBe(200);
    await shop.settle();
    const inGroup = mentioning(code.externalId)(SHOP_GROUP);
    expect(inGroup).toHaveLength(1);
    expect(textOf(inGroup[0]!)).toContain(`Alfamart, kode <code>${code.paymentCode}</code>`);
    expect(textOf(inGroup[0]!)).toContain("Rp 85.000");
    expect(mentioning(code.externalId)(CASHIER.id)).toHaveLength(1);
    expect((await shop.store.payments.get(code.externalId))?.status).toBe("paid");
  });
});

describe("the owner sends money to a supplier", () => {
  it("a completed transfer is announced to the owner and the group", async () => {
    const d = await shop.createDisbursement({ amount: 2_500_000, holder: "Joko Widodo", accountNumber: "1234567890" });
    expect((await shop.simulate(`/sandbox/simulate/disbursements/${d.externalId}/complete`)).status).toBe(200);
    await shop.settle();
    const toOwner = mentioning(d.externalId)(OWNER.id);
    expect(toOwner).toHaveLength(1);
    expect(textOf(toOwner[0]!)).toContain("Transfer terkirim");
    expect(textOf(toOwner[0]!)).toContain("Rp 2.500.000");
    expect(mentioning(d.externalId)(SHOP_GROUP)).toHaveLength(1);
    expect((await shop.store.payments.get(d.externalId))?.status).toBe("completed");
  });

  it("a failed transfer says why, in the owner's words", async () => {
    const d = await shop.createDisbursement({ amount: 1_000_000, holder: "Sri Rahayu", accountNumber: "9876543210" });
    expect((await shop.simulate(`/sandbox/simulate/disbursements/${d.externalId}/fail`, { failure_code: "INSUFFICIENT_BALANCE" })).status).toBe(200);
    await shop.settle();
    const toOwner = mentioning(d.externalId)(OWNER.id);
    expect(toOwner).toHaveLength(1);
    expect(textOf(toOwner[0]!)).toContain("Transfer gagal");
    expect(textOf(toOwner[0]!)).toContain("saldo di Palladium tidak cukup");
    expect(mentioning(d.externalId)(SHOP_GROUP)).toHaveLength(1);
    const record = await shop.store.payments.get(d.externalId);
    expect(record?.status).toBe("failed");
    expect(record?.failureCode).toBe("INSUFFICIENT_BALANCE");
  });
});

describe("a callback for a payment the bot never made", () => {
  it("is answered 200, kept, and the owners are told once however often it comes", async () => {
    const now = new Date().toISOString();
    const stranger = {
      id: "cb-unknown-1",
      payment_id: "pay-unknown-1",
      callback_virtual_account_id: "va-unknown",
      owner_id: "owner",
      external_id: "not-one-of-ours-42",
      account_number: "8808000011112222",
      bank_code: "BNI",
      amount: 330_000,
      merchant_code: "12345",
      transaction_timestamp: now,
      created: now,
      updated: now,
    };
    for (let i = 0; i < 3; i++) {
      const answer = await postCallback(CALLBACK_PATHS["virtual-account-paid"], stranger);
      expect(answer.status).toBe(200);
    }
    await shop.settle();
    const toOwner = mentioning("not-one-of-ours-42")(OWNER.id);
    expect(toOwner).toHaveLength(1);
    expect(textOf(toOwner[0]!)).toContain("tidak dikenal");
    expect(mentioning("not-one-of-ours-42")(SHOP_GROUP)).toHaveLength(0);
    expect(await shop.eventLog.get("virtual-account-paid:pay-unknown-1")).toMatchObject({ known: false, externalId: "not-one-of-ours-42" });
  });
});
