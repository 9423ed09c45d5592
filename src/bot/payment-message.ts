import { underSandboxBanner } from "./sandbox-banner.js";
import { InlineKeyboard } from "grammy";
import bwipjs from "bwip-js";
import QRCode from "qrcode";
import { formatJakartaTime } from "../domain/jakarta-time.js";
import { formatRupiah } from "../domain/rupiah.js";
import { awaitsPayment, isExpired, isReusableVirtualAccount } from "../domain/payment-state.js";
import type { PaymentRecord } from "../store/types.js";
import { escapeHtml } from "./html.js";

type Translate = (key: string, variables?: Record<string, string | number>) => string;

/** "8808999986203536" -> "8808 9999 8620 3536": how people read a number aloud or type it in. */
export function groupDigits(number: string): string {
  return number.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** What the customer types or the cashier scans: the VA number or the Alfamart payment code. */
export function payableNumber(record: PaymentRecord): string {
  return (record.kind === "retail" ? record.paymentCode : record.accountNumber) ?? "";
}

/**
 * A PNG QR of the bare number, nothing else: it is not QRIS, so a banking app cannot pay with it, but a
 * customer can show it, and a cashier's scanner reads it into the till.
 */
export function paymentQrPng(record: PaymentRecord): Promise<Buffer> {
  return QRCode.toBuffer(payableNumber(record), { type: "png", errorCorrectionLevel: "M", margin: 2, scale: 8 });
}

/**
 * For Alfamart: a Code 128 barcode of the payment code, which the cashier's till scanner reads as the
 * code itself (most Alfamart tills scan 1D barcodes, not QR). Undefined for other payments.
 */
export async function paymentBarcodePng(record: PaymentRecord): Promise<Buffer | undefined> {
  if (record.kind !== "retail" || !record.paymentCode) return undefined;
  return bwipjs.toBuffer({ bcid: "code128", text: record.paymentCode, scale: 3, height: 14, includetext: true, textxalign: "center", paddingwidth: 12, paddingheight: 8, backgroundcolor: "FFFFFF" });
}

/**
 * The caption of the payment photo (HTML). It stands alone, so the merchant can forward it to the
 * customer: outlet or bank, the number (tap to copy, then grouped for reading), name, amount, expiry in
 * WIB, and the steps to pay.
 */
export function paymentCaption(record: PaymentRecord, t: Translate, options: { locale: string; sandboxMode: boolean }): string {
  const amount = formatRupiah(record.amount);
  // No expiry in the gateway's answer (or none it could read): said so in words, not a bare "-".
  const expiresAt = record.expiresAt ? formatJakartaTime(new Date(record.expiresAt), options.locale) : t("bot-payment-expiry-not-given");
  const number = payableNumber(record);
  const parts: string[] = [];
  if (record.kind === "retail") {
    parts.push(
      [
        t("bot-payment-alfamart-title"),
        `${t("bot-payment-alfamart-code")} <code>${escapeHtml(number)}</code>`,
        t("bot-payment-details", { name: escapeHtml(record.customerName), amount, expiresAt }),
      ].join("\n"),
    );
    parts.push(t("bot-payment-steps-alfamart", { amount }));
  } else {
    const bank = record.bankCode ?? "";
    parts.push(
      [
        t("bot-payment-va-title", { bank }),
        `${t("bot-payment-va-number")} <code>${escapeHtml(number)}</code>`,
        escapeHtml(groupDigits(number)),
        t("bot-payment-details", { name: escapeHtml(record.customerName), amount, expiresAt }),
        // Said from the start: the cashier forwarding it, and the regular customer keeping it, must know it stays open.
        ...(isReusableVirtualAccount(record) ? [t("bot-payment-reusable")] : []),
      ].join("\n"),
    );
    parts.push(t("bot-payment-steps-va", { bank }));
  }
  parts.push(`<i>${t("bot-payment-qr-note", { kind: record.kind === "retail" ? "code" : "number" })}</i>`);
  return underSandboxBanner(parts.join("\n\n"), t, options.sandboxMode);
}

/** Callback data of the "simulate payment" button; the external_id is ours and short enough for 64 bytes. */
export const SIMULATE_PAYMENT_PREFIX = "sim:";

type PayableFields = Pick<PaymentRecord, "status" | "kind" | "isSingleUse" | "expiresAt">;

/** The sandbox's "simulate payment" button, which plays the customer paying this payment. */
function simulateButton(externalId: string, t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t("bot-simulate-button"), `${SIMULATE_PAYMENT_PREFIX}${externalId}`);
}

/**
 * The buttons under a payment message. Empty today except in sandbox mode; the notifier and later
 * features add theirs here (it is the one place that knows what a payment message carries).
 */
export function paymentMessageKeyboard(
  record: Pick<PaymentRecord, "externalId"> & PayableFields,
  t: Translate,
  options: { canSimulate: boolean; nowMs: number },
): InlineKeyboard | undefined {
  return options.canSimulate && awaitsPayment(record, options.nowMs) ? simulateButton(record.externalId, t) : undefined;
}

/** What the notifier knows of a paid payment's message when it edits it (a mark-paid notification). */
interface PaidMessage {
  locale: string;
  externalId?: string | undefined;
  reusable?: { expiresAt?: string | undefined } | undefined;
}

/**
 * For the notifier: the buttons a paid payment's message keeps. A multi-use VA not yet expired can be paid
 * again, so it keeps "simulate payment" (sandbox mode); every other paid message loses its buttons.
 */
export function paidMessageButtons(
  i18n: { t(locale: string, key: string, variables?: Record<string, string | number>): string },
  options: { canSimulate: boolean; now: () => Date },
): (paid: PaidMessage) => InlineKeyboard | undefined {
  return (paid) => {
    if (!options.canSimulate || paid.reusable === undefined || paid.externalId === undefined) return undefined;
    if (isExpired(paid.reusable, options.now().getTime())) return undefined;
    return simulateButton(paid.externalId, (key, variables) => i18n.t(paid.locale, key, variables));
  };
}
