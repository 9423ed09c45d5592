import { describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import type { PaymentReceived, UnknownPayment } from "../../src/notify/notifications.js";
import { notificationSchema } from "../../src/notify/notifications.js";
import { needsOwnNotice, renderDigest, renderDisbursementResult, renderPaidCaption, renderPaymentReceived, renderUnknownPayment } from "../../src/notify/render.js";

/**
 * The words of the notices the owners and the group read when a callback does not simply say "paid in
 * full": in a digest, in English, and for the outbox items recorded before these fields existed.
 */

const i18n = createI18n();
const plain = (html: string) => html.replace(/<[^>]+>/g, "");
const at = "2026-11-25T05:00:00.000Z";
const va = { kind: "virtual_account" as const, bankCode: "BCA", accountNumber: "1076000011112222" };

function received(amount: number, askedAmount: number | undefined, customerName: string): PaymentReceived {
  return { type: "payment-received", chatId: 1, locale: "id", externalId: `ref-${customerName}`, amount, ...(askedAmount !== undefined ? { askedAmount } : {}), method: va, customerName, paidAt: at };
}

describe("a backlog digest with a short payment in it", () => {
  it("marks that line with what is missing, in Indonesian and in English", () => {
    const payments = [received(50_000, 150_000, "Budi"), received(70_000, 70_000, "Siti"), received(90_000, 80_000, "Agus")];
    const id = plain(renderDigest(i18n, "id", payments));
    expect(id).toContain("• Rp 50.000 ⚠️ kurang Rp 100.000 dari Rp 150.000 · Budi");
    expect(id).toContain("• Rp 70.000 · Siti");
    expect(id).toContain("• Rp 90.000 ⚠️ lebih Rp 10.000 dari Rp 80.000 · Agus");
    const en = plain(renderDigest(i18n, "en", payments));
    expect(en).toContain("• Rp 50.000 ⚠️ Rp 100.000 short of Rp 150.000 · Budi");
    expect(en).toContain("• Rp 90.000 ⚠️ Rp 10.000 over Rp 80.000 · Agus");
  });
});

describe("a digest to an owner that mixes their own payments with forwarded ones", () => {
  it("marks each forwarded line, and says once why those came", () => {
    const payments = [received(70_000, undefined, "Siti"), { ...received(40_000, undefined, "Budi"), forwarded: true }];
    const lines = plain(renderDigest(i18n, "id", payments)).split("\n");
    expect(lines.find((l) => l.includes("Siti"))).not.toContain("↪️");
    expect(lines.find((l) => l.includes("Budi"))?.endsWith("↪️")).toBe(true);
    expect(lines.at(-1)).toBe("↪️ 1 di antaranya dikirim ke Anda karena Telegram menolak chat tujuannya (bot dikeluarkan dari grup, atau diblokir kasir).");
  });
});

describe("a backlog digest of payments into one multi-use VA", () => {
  it("numbers each payment instead of listing the same line again and again", () => {
    const payments = [1, 2, 3].map((count) => ({ ...received(25_000, undefined, "Bu Tini"), reusable: { count, total: 25_000 * count } }));
    const lines = plain(renderDigest(i18n, "id", payments)).split("\n").slice(1);
    expect(lines.map((l) => l.split(" · ").at(-1))).toEqual(["♻️ ke-1", "♻️ ke-2", "♻️ ke-3"]);
    expect(plain(renderDigest(i18n, "en", payments))).toContain("· ♻️ no. 3");
  });
});

describe("a bill paid in more than one payment", () => {
  it("is judged by its total: paid twice warns, the rest of a short payment completes it; never folded into a digest", () => {
    const twice = { ...received(30_000, undefined, "Bu Sinta"), repeated: { count: 2, total: 60_000, asked: 30_000 } };
    const rest = { ...received(10_000, undefined, "Pak Dedi"), repeated: { count: 2, total: 50_000, asked: 50_000 } };
    const stillShort = { ...received(10_000, undefined, "Bu Ani"), repeated: { count: 2, total: 40_000, asked: 50_000 } };
    expect([twice, rest, stillShort].map(needsOwnNotice)).toEqual([true, true, true]);
    expect(needsOwnNotice(received(30_000, undefined, "Bu Sinta"))).toBe(false);
    expect(plain(renderPaymentReceived(i18n, twice))).toContain("⚠️ Tagihan ini sudah dibayar 2×, total Rp 60.000: lebih Rp 30.000 dari tagihan Rp 30.000. Periksa apakah pelanggan membayar lebih dari sekali.");
    expect(plain(renderPaymentReceived(i18n, rest))).toContain("✅ Tagihan ini kini lunas: 2 pembayaran, total Rp 50.000.");
    expect(plain(renderPaymentReceived(i18n, stillShort))).toContain("⚠️ Tagihan ini sudah dibayar 2×, total Rp 40.000: masih kurang Rp 10.000 dari tagihan Rp 50.000.");
    expect(plain(renderPaymentReceived(i18n, { ...twice, locale: "en" }))).toContain("⚠️ This bill has been paid 2×, Rp 60.000 in all: Rp 30.000 more than the Rp 30.000 asked. Check whether the customer paid more than once.");
    expect(plain(renderPaymentReceived(i18n, { ...rest, locale: "en" }))).toContain("✅ This bill is now paid in full: 2 payments, Rp 50.000 in all.");
  });

  it("heads the notice and the bill's message with a warning when the total is over or short, never 'received' or 'paid'", () => {
    const twice = { ...received(30_000, undefined, "Bu Sinta"), repeated: { count: 2, total: 60_000, asked: 30_000 } };
    const stillShort = { ...received(10_000, undefined, "Bu Ani"), repeated: { count: 2, total: 40_000, asked: 50_000 } };
    const rest = { ...received(10_000, undefined, "Pak Dedi"), repeated: { count: 2, total: 50_000, asked: 50_000 } };
    const firstLine = (text: string) => plain(text).split("\n")[0];
    expect(firstLine(renderPaymentReceived(i18n, twice))).toBe("⚠️ Pembayaran lagi untuk tagihan yang sudah lunas");
    expect(firstLine(renderPaymentReceived(i18n, stillShort))).toBe("⚠️ Pembayaran diterima, tagihan belum lunas");
    expect(firstLine(renderPaymentReceived(i18n, rest))).toBe("✅ Pembayaran diterima");
    expect(firstLine(renderPaymentReceived(i18n, { ...twice, locale: "en" }))).toBe("⚠️ Another payment on a bill already paid");
    // Short before this payment, over after it: not "paid again on a bill already paid".
    const shortThenOver = { ...received(30_000, undefined, "Bu Rina"), repeated: { count: 2, total: 60_000, asked: 50_000 } };
    expect(firstLine(renderPaymentReceived(i18n, shortThenOver))).toBe("⚠️ Pembayaran diterima, tagihan kini lebih bayar");
    const message = (n: typeof twice) => ({ ...n, type: "mark-paid" as const, messageId: 5 });
    expect(firstLine(renderPaidCaption(i18n, message(twice), new Date(at)))).toBe("⚠️ DIBAYAR 2× · LEBIH BAYAR");
    expect(firstLine(renderPaidCaption(i18n, message(stillShort), new Date(at)))).toBe("⚠️ DIBAYAR 2× · BELUM LUNAS");
    expect(firstLine(renderPaidCaption(i18n, message(rest), new Date(at)))).toBe("✅ SUDAH DIBAYAR");
    expect(plain(renderPaidCaption(i18n, { ...message(twice), locale: "en" }, new Date(at)))).toMatch(/^⚠️ PAID 2× · OVERPAID\nLatest: Rp 30\.000/);
  });
});

describe("notices in English", () => {
  it("an overpayment", () => {
    const text = plain(renderPaymentReceived(i18n, { ...received(200_000, 150_000, "Tom"), locale: "en" }));
    expect(text).toContain("Overpayment");
    expect(text).toContain("⚠️ Rp 50.000 more than the Rp 150.000 asked");
  });

  it("a callback of another kind than the payment it names", () => {
    const n: UnknownPayment = {
      type: "unknown-payment",
      chatId: 1,
      locale: "en",
      event: "disbursement",
      externalId: "ref-va-1",
      amount: 400_000,
      method: { kind: "disbursement", bankCode: "BCA", accountHolderName: "X", status: "COMPLETED" },
      belongsTo: "virtual_account",
      at,
    };
    const text = plain(renderUnknownPayment(i18n, n));
    expect(text).toContain("A Palladium report does not match the bot's records");
    expect(text).toContain("Palladium reported: transfer sent (COMPLETED)");
    expect(text).toContain("The bot has this reference as a virtual account (VA)");
  });

  it("an outgoing transfer the bot does not know", () => {
    const n: UnknownPayment = {
      type: "unknown-payment",
      chatId: 1,
      locale: "en",
      event: "disbursement",
      externalId: "not-ours",
      amount: 25_000_000,
      method: { kind: "disbursement", bankCode: "BNI", accountHolderName: "Someone", status: "FAILED", failureCode: "SOME_NEW_CODE" },
      at,
    };
    const text = plain(renderUnknownPayment(i18n, n));
    expect(text).toContain("An outgoing transfer the bot does not know");
    expect(text).toContain("Status: ❌ failed (FAILED)");
    expect(text).toContain("To: BNI (Someone)");
    expect(text).toContain("SOME_NEW_CODE");
  });
});

describe("outbox items recorded before these fields", () => {
  it("still parse and render as they did", () => {
    const old = { type: "payment-received", chatId: 1, locale: "id", externalId: "r", amount: 10_000, method: va, customerName: "Lama", paidAt: at };
    const parsed = notificationSchema.parse(old);
    expect(plain(renderPaymentReceived(i18n, parsed as PaymentReceived))).toContain("Pembayaran diterima");
    const oldUnknown = { type: "unknown-payment", chatId: 1, locale: "id", event: "disbursement", externalId: "x", amount: 1, method: { kind: "disbursement", bankCode: "BCA" }, at };
    expect(plain(renderUnknownPayment(i18n, notificationSchema.parse(oldUnknown) as UnknownPayment))).toContain("Transfer keluar yang tidak dikenal bot");
  });
});

describe("a transfer's result", () => {
  it("names the bank as the owner chose it in the flow, not by the gateway's code", () => {
    const result = {
      type: "disbursement-result" as const,
      chatId: 1,
      locale: "id",
      externalId: "tf-1",
      amount: 250_000,
      bankCode: "CIMB",
      accountNumber: "12345678901234",
      accountHolderName: "Bambang",
      status: "completed" as const,
      at,
    };
    expect(plain(renderDisbursementResult(i18n, result))).toContain("Ke: CIMB Niaga 12345678901234 a.n. Bambang");
    expect(plain(renderDisbursementResult(i18n, { ...result, bankCode: "MANDIRI", locale: "en" }))).toContain("To: Mandiri 12345678901234 (Bambang)");
    expect(plain(renderDisbursementResult(i18n, { ...result, bankCode: "XYZ" }))).toContain("Ke: XYZ 12345678901234");
  });
});
