import type { I18n } from "@grammyjs/i18n";
import { formatJakartaTime } from "../domain/jakarta-time.js";
import { formatRupiah } from "../domain/rupiah.js";
import type { DisbursementResult, MarkPaid, PaymentMethod, PaymentReceived, UnknownPayment } from "./notifications.js";

/** The part of @grammyjs/i18n the notifier uses: any catalogue with `t(locale, key, vars)`. */
export type Translator = Pick<I18n, "t">;

/** Telegram's HTML parse mode needs only these three escaped; names come from customers and banks. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Telegram refuses messages over 4096 characters; digests are cut well before that. */
const MAX_MESSAGE_LENGTH = 4096;
const KNOWN_FAILURE_CODES = new Set([
  "INSUFFICIENT_BALANCE",
  "INVALID_DESTINATION",
  "INVALID_ACCOUNT_DETAILS",
  "REJECTED_BY_BANK",
  "TEMPORARY_BANK_NETWORK_ERROR",
  "UNKNOWN_BANK_NETWORK_ERROR",
  "SWITCHING_NETWORK_ERROR",
  "TRANSFER_ERROR",
  "TEMPORARY_TRANSFER_ERROR",
]);

function time(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? escapeHtml(iso) : formatJakartaTime(date, locale);
}

export function renderMethod(i18n: Translator, locale: string, method: PaymentMethod): string {
  return method.kind === "virtual_account"
    ? i18n.t(locale, "notify-method-virtual-account", { bank: escapeHtml(method.bankCode), number: escapeHtml(method.accountNumber) })
    : i18n.t(locale, "notify-method-retail", { outlet: outletName(method.retailOutletName), code: escapeHtml(method.paymentCode) });
}

/** "ALFAMART" is the gateway's code; shop people write "Alfamart". */
function outletName(code: string): string {
  return code === "ALFAMART" ? "Alfamart" : escapeHtml(code);
}

export function renderPaymentReceived(i18n: Translator, n: PaymentReceived): string {
  const text = i18n.t(n.locale, "notify-payment-received", {
    amount: formatRupiah(n.amount),
    method: renderMethod(i18n, n.locale, n.method),
    customer: escapeHtml(n.customerName),
    time: time(n.paidAt, n.locale),
    reference: escapeHtml(n.externalId),
  });
  const differentSender = n.senderName !== undefined && n.senderName.trim() !== "" && n.senderName.trim().toLowerCase() !== n.customerName.trim().toLowerCase();
  return differentSender ? `${text}\n${i18n.t(n.locale, "notify-payment-sender", { sender: escapeHtml(n.senderName ?? "") })}` : text;
}

/** The failure code in the owner's words; an unknown code is shown as it came, so support can look it up. */
export function renderFailureReason(i18n: Translator, locale: string, code: string | undefined): string {
  if (code === undefined || code === "") return i18n.t(locale, "notify-failure-none");
  if (KNOWN_FAILURE_CODES.has(code)) return i18n.t(locale, `notify-failure-${code}`);
  return i18n.t(locale, "notify-failure-other", { code: escapeHtml(code) });
}

export function renderDisbursementResult(i18n: Translator, n: DisbursementResult): string {
  const common = {
    amount: formatRupiah(n.amount),
    bank: escapeHtml(n.bankCode),
    account: n.accountNumber === undefined ? "" : `<code>${escapeHtml(n.accountNumber)}</code>`,
    holder: escapeHtml(n.accountHolderName),
    time: time(n.at, n.locale),
    reference: escapeHtml(n.externalId),
  };
  return n.status === "completed"
    ? i18n.t(n.locale, "notify-disbursement-completed", common)
    : i18n.t(n.locale, "notify-disbursement-failed", { ...common, reason: renderFailureReason(i18n, n.locale, n.failureCode) });
}

export function renderUnknownPayment(i18n: Translator, n: UnknownPayment): string {
  const method = n.method.kind === "disbursement" ? escapeHtml(n.method.bankCode) : renderMethod(i18n, n.locale, n.method);
  return i18n.t(n.locale, "notify-unknown-payment", {
    event: i18n.t(n.locale, `notify-event-${n.event}`),
    amount: formatRupiah(n.amount),
    method,
    reference: escapeHtml(n.externalId),
    time: time(n.at, n.locale),
  });
}

export function renderPaidCaption(i18n: Translator, n: MarkPaid): string {
  return i18n.t(n.locale, "notify-paid-caption", {
    amount: formatRupiah(n.amount),
    method: renderMethod(i18n, n.locale, n.method),
    customer: escapeHtml(n.customerName),
    time: time(n.paidAt, n.locale),
  });
}

/** How many payments a digest lists by name before "… and N more". */
export const DIGEST_LISTED = 10;

/** One message for a backlog of payments to one chat: the count, the total, and the first few. */
export function renderDigest(i18n: Translator, locale: string, payments: readonly PaymentReceived[]): string {
  const total = payments.reduce((sum, p) => sum + p.amount, 0);
  const header = i18n.t(locale, "notify-digest-header", { count: payments.length, total: formatRupiah(total) });
  const line = (p: PaymentReceived) =>
    i18n.t(locale, "notify-digest-line", {
      amount: formatRupiah(p.amount),
      customer: escapeHtml(p.customerName),
      method: renderMethod(i18n, locale, p.method),
      time: time(p.paidAt, locale),
    });
  // Listing fewer rather than cutting the text keeps the HTML well formed (a cut tag fails the whole send).
  for (let listed = Math.min(DIGEST_LISTED, payments.length); listed >= 0; listed--) {
    const lines = [header, ...payments.slice(0, listed).map(line)];
    if (payments.length > listed) lines.push(i18n.t(locale, "notify-digest-more", { count: payments.length - listed }));
    const text = lines.join("\n");
    if (text.length <= MAX_MESSAGE_LENGTH) return text;
  }
  return header;
}
