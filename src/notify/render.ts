import type { I18n } from "@grammyjs/i18n";
import { formatJakartaTime } from "../domain/jakarta-time.js";
import { disbursementBankName } from "../domain/limits.js";
import { isExpired } from "../domain/payment-state.js";
import { formatRupiah, paidAgainstAsked } from "../domain/rupiah.js";
import type { DisbursementResult, MarkPaid, MarkTransferResult, PaymentMethod, PaymentReceived, UnknownPayment } from "./notifications.js";

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

/** A notice's time; one the bot filled in on arrival (the callback's own was unreadable) says so. */
function noticeTime(i18n: Translator, locale: string, iso: string, received: boolean | undefined): string {
  return received === true ? i18n.t(locale, "notify-time-received", { time: time(iso, locale) }) : time(iso, locale);
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

/**
 * The message key suffix and words for the paid amount against the asked one. Items without `askedAmount`
 * were paid in full (or recorded before it existed) and read as before.
 */
function amountVersusAsked(amount: number, asked: number | undefined): { suffix: "" | "-short" | "-over"; vars: Record<string, string> } {
  const versus = paidAgainstAsked(amount, asked);
  if (versus === undefined || asked === undefined) return { suffix: "", vars: {} };
  return { suffix: `-${versus.kind}`, vars: { asked: formatRupiah(asked), difference: formatRupiah(versus.difference) } };
}

/** The line that warns the callback named another VA or code than ours (the message shows ours). */
function methodDiffersLine(i18n: Translator, locale: string, reported: PaymentMethod | undefined): string | undefined {
  return reported === undefined ? undefined : i18n.t(locale, "notify-method-differs", { method: renderMethod(i18n, locale, reported) });
}

/**
 * A bill paid more than once whose total is short of or over what it asked: its notice and its message are
 * headed with a warning, not "received" or "paid" (a cashier reads the first line before handing over goods).
 */
function repeatedShortOrOver(repeated: PaymentReceived["repeated"], amount: number): "-short" | "-over" | "-over-now" | undefined {
  if (repeated === undefined) return undefined;
  const { suffix } = amountVersusAsked(repeated.total, repeated.asked);
  if (suffix === "") return undefined;
  // Over now, but short before this payment: not "paid again on a bill already paid", and only the excess is owed back.
  return suffix === "-over" && repeated.total - amount < repeated.asked ? "-over-now" : suffix;
}

export function renderPaymentReceived(i18n: Translator, n: PaymentReceived): string {
  const versus = amountVersusAsked(n.amount, n.askedAmount);
  const again = repeatedShortOrOver(n.repeated, n.amount);
  const key = again !== undefined ? `notify-payment-again${again}` : versus.suffix === "" ? "notify-payment-received" : `notify-payment${versus.suffix}`;
  const lines = [
    i18n.t(n.locale, key, {
      amount: formatRupiah(n.amount),
      ...versus.vars,
      method: renderMethod(i18n, n.locale, n.method),
      customer: escapeHtml(n.customerName),
      time: noticeTime(i18n, n.locale, n.paidAt, n.timeReceived),
      reference: escapeHtml(n.externalId),
    }),
  ];
  const differentSender = n.senderName !== undefined && n.senderName.trim() !== "" && n.senderName.trim().toLowerCase() !== n.customerName.trim().toLowerCase();
  if (differentSender) lines.push(i18n.t(n.locale, "notify-payment-sender", { sender: escapeHtml(n.senderName ?? "") }));
  const differs = methodDiffersLine(i18n, n.locale, n.reportedMethod);
  if (differs !== undefined) lines.push(differs);
  if (n.reusable !== undefined) {
    lines.push(i18n.t(n.locale, "notify-payment-reusable", { count: n.reusable.count, total: formatRupiah(n.reusable.total) }));
  }
  const paidAgain = paidAgainLine(i18n, n.locale, n.repeated);
  if (paidAgain !== undefined) lines.push(paidAgain);
  if (n.forwarded === true) lines.push(i18n.t(n.locale, "notify-forwarded"));
  return lines.join("\n");
}

/** The failure code in the owner's words; an unknown code is shown as it came, so support can look it up. */
export function renderFailureReason(i18n: Translator, locale: string, code: string | undefined): string {
  if (code === undefined || code === "") return i18n.t(locale, "notify-failure-none");
  if (KNOWN_FAILURE_CODES.has(code)) return i18n.t(locale, `notify-failure-${code}`);
  return i18n.t(locale, "notify-failure-other", { code: escapeHtml(code) });
}

/**
 * What the gateway answered for a transfer's field that differs from the one asked (NOT_AS_ASKED), as an owner
 * reads it: an amount in rupiah, a number or code as it came. The gateway's own word, so undefined for
 * anything but plain digits or a code.
 */
export function answeredValueText(field: string | undefined, answered: string | undefined): string | undefined {
  if (answered === undefined || !/^[0-9A-Za-z_]{1,40}$/.test(answered)) return undefined;
  return field === "amount" && /^\d+$/.test(answered) ? formatRupiah(Number(answered)) : answered;
}

/** A transfer as its result's words name it: amount, bank, account, holder, when, and its reference. */
function transferResultWords(i18n: Translator, n: DisbursementResult | MarkTransferResult): Record<string, string> {
  return {
    amount: formatRupiah(n.amount),
    bank: escapeHtml(disbursementBankName(n.bankCode)),
    account: n.accountNumber === undefined ? "" : `<code>${escapeHtml(n.accountNumber)}</code>`,
    holder: escapeHtml(n.accountHolderName),
    time: noticeTime(i18n, n.locale, n.at, n.timeReceived),
    reference: escapeHtml(n.externalId),
  };
}

/**
 * The owner's "⏳ being processed by the bank" message once the bank's result is in: that result, so the chat
 * scrolled back no longer reads as waiting, as the bank reported it (and what was sent, where that differs).
 */
export function renderTransferMessage(i18n: Translator, n: MarkTransferResult): string {
  const words = transferResultWords(i18n, n);
  const told =
    n.status === "completed"
      ? i18n.t(n.locale, "notify-transfer-message-completed", words)
      : i18n.t(n.locale, "notify-transfer-message-failed", { ...words, reason: renderFailureReason(i18n, n.locale, n.failureCode) });
  const differs = sentDiffersLine(i18n, n);
  return differs === undefined ? told : `${told}\n${differs}`;
}

/** What the owner sent, where the bank's result reports otherwise: one line, or undefined when it agrees. */
function sentDiffersLine(i18n: Translator, n: DisbursementResult | MarkTransferResult): string | undefined {
  const sent = [
    n.sentAmount === undefined ? undefined : i18n.t(n.locale, "notify-sent-amount", { amount: formatRupiah(n.sentAmount) }),
    n.sentBankCode === undefined ? undefined : i18n.t(n.locale, "notify-sent-bank", { bank: escapeHtml(disbursementBankName(n.sentBankCode)) }),
    n.sentHolderName === undefined ? undefined : i18n.t(n.locale, "notify-sent-holder", { holder: escapeHtml(n.sentHolderName) }),
  ].filter((part) => part !== undefined);
  return sent.length === 0 ? undefined : i18n.t(n.locale, "notify-disbursement-differs", { sent: sent.join(", ") });
}

export function renderDisbursementResult(i18n: Translator, n: DisbursementResult): string {
  const common = transferResultWords(i18n, n);
  const reason = () => renderFailureReason(i18n, n.locale, n.failureCode);
  const told =
    n.keptAs === "completed"
      ? i18n.t(n.locale, "notify-disbursement-failed-not-believed", { ...common, reason: reason() })
      : n.status === "completed"
        ? i18n.t(n.locale, "notify-disbursement-completed", common)
        : i18n.t(n.locale, "notify-disbursement-failed", { ...common, reason: reason() });
  const lines = [told];
  if (n.overturns !== undefined) lines.push(i18n.t(n.locale, `notify-disbursement-overturns-${n.overturns}`));
  if (n.sentAgainAs !== undefined) lines.push(i18n.t(n.locale, "notify-disbursement-sent-again", { reference: escapeHtml(n.sentAgainAs) }));
  const differs = sentDiffersLine(i18n, n);
  if (differs !== undefined) lines.push(differs);
  const otherwise = n.answeredOtherwise;
  const answered = otherwise === undefined ? undefined : answeredValueText(otherwise.field, otherwise.answered);
  if (otherwise !== undefined && answered !== undefined) {
    lines.push(i18n.t(n.locale, "notify-disbursement-answered-otherwise", { field: otherwise.field, answered: escapeHtml(answered) }));
  }
  if (n.forwarded === true) lines.push(i18n.t(n.locale, "notify-forwarded"));
  return lines.join("\n");
}

type DisbursementMethod = Extract<UnknownPayment["method"], { kind: "disbursement" }>;

export function renderUnknownPayment(i18n: Translator, n: UnknownPayment): string {
  const common = { amount: formatRupiah(n.amount), reference: escapeHtml(n.externalId), time: noticeTime(i18n, n.locale, n.at, n.timeReceived) };
  if (n.belongsTo === undefined && n.method.kind === "disbursement") return renderUnknownDisbursement(i18n, n, n.method, common);
  const method = n.method.kind === "disbursement" ? transferTo(i18n, n.locale, n.method) : renderMethod(i18n, n.locale, n.method);
  const event =
    n.method.kind === "disbursement" && n.method.status !== undefined
      ? i18n.t(n.locale, `notify-event-disbursement-${n.method.status}`)
      : i18n.t(n.locale, `notify-event-${n.event}`);
  if (n.belongsTo !== undefined) {
    return i18n.t(n.locale, "notify-mismatched-callback", { ...common, event, method, kind: i18n.t(n.locale, `notify-record-kind-${n.belongsTo}`) });
  }
  return i18n.t(n.locale, "notify-unknown-payment", { ...common, event, method });
}

/** "BCA a.n. Joko": the holder is absent from items recorded before it was kept. */
function transferTo(i18n: Translator, locale: string, method: DisbursementMethod): string {
  const bank = escapeHtml(disbursementBankName(method.bankCode));
  return method.accountHolderName === undefined ? bank : i18n.t(locale, "notify-transfer-to", { bank, holder: escapeHtml(method.accountHolderName) });
}

/** Money that left the account without the bot: its status, where to, and why it failed. */
function renderUnknownDisbursement(i18n: Translator, n: UnknownPayment, method: DisbursementMethod, common: Record<string, string>): string {
  const vars = {
    ...common,
    status: i18n.t(n.locale, `notify-transfer-status-${method.status ?? "unknown"}`),
    to: transferTo(i18n, n.locale, method),
  };
  if (method.status !== "FAILED") return i18n.t(n.locale, "notify-unknown-disbursement", vars);
  // The raw code too: the owner looks this transfer up with Palladium's support, who speak in codes.
  const code = method.failureCode;
  const words = renderFailureReason(i18n, n.locale, code);
  const reason = code !== undefined && KNOWN_FAILURE_CODES.has(code) ? `<code>${escapeHtml(code)}</code> — ${words}` : words;
  return i18n.t(n.locale, "notify-unknown-disbursement-failed", { ...vars, reason });
}

export function renderPaidCaption(i18n: Translator, n: MarkPaid, now: Date): string {
  if (n.reusable !== undefined) return renderReusableCaption(i18n, n, n.reusable, now);
  const versus = amountVersusAsked(n.amount, n.askedAmount);
  const again = repeatedShortOrOver(n.repeated, n.amount);
  const key = again !== undefined ? `notify-paid-caption-again${again === "-over-now" ? "-over" : again}` : `notify-paid-caption${versus.suffix}`;
  const caption = i18n.t(n.locale, key, {
    amount: formatRupiah(n.amount),
    count: n.repeated?.count ?? 1,
    ...versus.vars,
    method: renderMethod(i18n, n.locale, n.method),
    customer: escapeHtml(n.customerName),
    time: noticeTime(i18n, n.locale, n.paidAt, n.timeReceived),
  });
  const lines = [caption];
  const differs = methodDiffersLine(i18n, n.locale, n.reportedMethod);
  if (differs !== undefined) lines.push(differs);
  const paidAgain = paidAgainLine(i18n, n.locale, n.repeated);
  if (paidAgain !== undefined) lines.push(paidAgain);
  return lines.join("\n");
}

/**
 * A bill paid more than once (see `repeated`), judged by its total: now paid in full, still short, or paid
 * over (twice, most likely: money the customer is owed back).
 */
function paidAgainLine(i18n: Translator, locale: string, repeated: PaymentReceived["repeated"]): string | undefined {
  if (repeated === undefined) return undefined;
  const versus = amountVersusAsked(repeated.total, repeated.asked);
  return i18n.t(locale, `notify-payment-repeated${versus.suffix}`, { count: repeated.count, total: formatRupiah(repeated.total), ...versus.vars });
}

/**
 * A multi-use VA's message after a payment: the VA as it is now (paid how many times, how much in all, its
 * newest payment) and whether it can still be paid, so nobody takes "paid" for "closed" and stops handing the
 * number out. Whether it can is decided when the edit is sent (`now`): an edit that waited past the expiry says so.
 */
function renderReusableCaption(i18n: Translator, n: MarkPaid, reusable: NonNullable<MarkPaid["reusable"]>, now: Date): string {
  const lines = [
    i18n.t(n.locale, "notify-paid-caption-reusable", {
      count: reusable.count,
      total: formatRupiah(reusable.total),
      amount: formatRupiah(n.amount),
      time: noticeTime(i18n, n.locale, n.paidAt, n.timeReceived),
      method: renderMethod(i18n, n.locale, n.method),
      customer: escapeHtml(n.customerName),
    }),
  ];
  const versus = amountVersusAsked(n.amount, n.askedAmount);
  if (versus.suffix !== "") lines.push(i18n.t(n.locale, `notify-paid-caption-reusable${versus.suffix}`, versus.vars));
  const differs = methodDiffersLine(i18n, n.locale, n.reportedMethod);
  if (differs !== undefined) lines.push(differs);
  if (reusable.expiresAt === undefined || Number.isNaN(Date.parse(reusable.expiresAt))) lines.push(i18n.t(n.locale, "notify-paid-caption-reusable-open"));
  else if (isExpired(reusable, now.getTime())) lines.push(i18n.t(n.locale, "notify-paid-caption-reusable-closed"));
  else lines.push(i18n.t(n.locale, "notify-paid-caption-reusable-until", { expiresAt: time(reusable.expiresAt, n.locale) }));
  return lines.join("\n");
}

/**
 * True when a payment's own notice warns the reader (⚠️) or says more than "paid": paid short or over what was
 * asked, a bill paid more than once, or the callback named another VA or code than ours. Such a payment is
 * never folded into a digest: a digest lists only its first few and has no room for these lines, and a
 * cashier who reads "paid" hands over the goods. A forward to an owner (the group refused it) is folded: the
 * digest says once why they came, instead of a backlog reaching the owner one message a second.
 */
export function needsOwnNotice(n: PaymentReceived): boolean {
  return paidAgainstAsked(n.amount, n.askedAmount) !== undefined || n.reportedMethod !== undefined || n.repeated !== undefined;
}

/** How many payments a digest lists by name before "… and N more". */
export const DIGEST_LISTED = 10;

/**
 * One message for a backlog of payments to one chat: the count, the total, and the first few. The notifier
 * passes only payments without warnings (see needsOwnNotice); the short/over marks below stay for any caller
 * that does not.
 */
/**
 * Payments into the shop's Palladium account under references the bot never made, as one message: an account
 * shared with a web shop or another till sends them by the thousand, one notice each would hold the owner's
 * chat for an hour. The count, the total, the first few, and what to check.
 */
export function renderUnknownDigest(i18n: Translator, locale: string, payments: readonly UnknownPayment[]): string {
  const total = payments.reduce((sum, p) => sum + p.amount, 0);
  const header = i18n.t(locale, "notify-unknown-digest-header", { count: payments.length, total: formatRupiah(total) });
  const footer = i18n.t(locale, "notify-unknown-digest-footer");
  const line = (p: UnknownPayment) =>
    i18n.t(locale, "notify-unknown-digest-line", {
      amount: formatRupiah(p.amount),
      method: p.method.kind === "disbursement" ? escapeHtml(p.method.bankCode) : renderMethod(i18n, locale, p.method),
      reference: escapeHtml(p.externalId),
      time: time(p.at, locale),
    });
  return listed(header, payments.map(line), footer, (more) => i18n.t(locale, "notify-digest-more", { count: more }));
}

/** A header, as many lines as fit (at most DIGEST_LISTED), "… and N more", and a footer: whole lines only. */
function listed(header: string, lines: readonly string[], footer: string | undefined, more: (count: number) => string): string {
  // Listing fewer rather than cutting the text keeps the HTML well formed (a cut tag fails the whole send).
  for (let shown = Math.min(DIGEST_LISTED, lines.length); shown >= 0; shown--) {
    const parts = [header, ...lines.slice(0, shown)];
    if (lines.length > shown) parts.push(more(lines.length - shown));
    if (footer !== undefined) parts.push(footer);
    const text = parts.join("\n");
    if (text.length <= MAX_MESSAGE_LENGTH) return text;
  }
  return header;
}

export function renderDigest(i18n: Translator, locale: string, payments: readonly PaymentReceived[]): string {
  const total = payments.reduce((sum, p) => sum + p.amount, 0);
  const header = i18n.t(locale, "notify-digest-header", { count: payments.length, total: formatRupiah(total) });
  const amount = (p: PaymentReceived) => {
    const versus = amountVersusAsked(p.amount, p.askedAmount);
    return versus.suffix === "" ? formatRupiah(p.amount) : i18n.t(locale, `notify-digest-amount${versus.suffix}`, { amount: formatRupiah(p.amount), ...versus.vars });
  };
  const line = (p: PaymentReceived) => {
    const told = i18n.t(locale, "notify-digest-line", {
      amount: amount(p),
      customer: escapeHtml(p.customerName),
      method: renderMethod(i18n, locale, p.method),
      time: time(p.paidAt, locale),
    });
    // Seven payments into one multi-use VA would otherwise read as seven copies of one line.
    const numbered = p.reusable === undefined ? told : `${told} · ${i18n.t(locale, "notify-digest-reusable", { count: p.reusable.count })}`;
    // In a digest that mixes an owner's own payments with forwarded ones, they must tell which customers were whose.
    return p.forwarded === true ? `${numbered} ↪️` : numbered;
  };
  const forwarded = payments.filter((p) => p.forwarded === true).length;
  const footer = forwarded === 0 ? undefined : i18n.t(locale, "notify-digest-forwarded", { count: forwarded, all: forwarded === payments.length ? "yes" : "no" });
  return listed(header, payments.map(line), footer, (more) => i18n.t(locale, "notify-digest-more", { count: more }));
}
