import { DEFAULT_LOCALE } from "../i18n.js";
import { isReusableVirtualAccount, paidSoFar } from "../domain/payment-state.js";
import type { OutboxItem } from "../store/outbox.js";
import { normalizeName } from "../domain/validation.js";
import type { PaymentRecord, TransferReported } from "../store/types.js";
import type { Notification, PaymentMethod, PaymentReceived } from "./notifications.js";

/*
 * What a notice takes from the payment as recorded, rather than from the callback that tells of it: the
 * webhook's paid notices, the bot's edit for a payment paid before its message was recorded, and the edit of
 * a transfer's "being processed" message to its result (from the webhook, or the bot when the result came first).
 */

/** The bank and number (or outlet and code) we issued, when the record has them. */
export function recordMethodOf(record: PaymentRecord): PaymentMethod | undefined {
  if (record.kind === "virtual_account" && record.bankCode !== undefined && record.accountNumber !== undefined) {
    return { kind: "virtual_account", bankCode: record.bankCode, accountNumber: record.accountNumber };
  }
  if (record.kind === "retail" && record.paymentCode !== undefined) {
    return { kind: "retail", retailOutletName: record.retailOutletName ?? "ALFAMART", paymentCode: record.paymentCode };
  }
  return undefined;
}

/**
 * What a paid notice tells of the payment's payments so far, this one included (`after`: the payment with it).
 * A multi-use VA: its count and total, and until when it can be paid. A bill (an Alfamart code is multi-use at
 * the gateway, though the shop made it for one bill) paid more than once: its count and total against what it
 * asked, which says what happened (the rest of a short payment, or money paid twice, to give back). Nothing
 * for a bill's first payment.
 */
export function paidSoFarFields(record: PaymentRecord, after: PaymentRecord): Pick<PaymentReceived, "reusable" | "repeated"> {
  const { count, total } = paidSoFar(after);
  if (isReusableVirtualAccount(record)) return { reusable: { count, total, ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}) } };
  return count > 1 ? { repeated: { count, total, asked: record.amount } } : {};
}

/**
 * The edit that marks a payment's message paid, made from the payment as recorded, for a payment whose paid
 * callback came in before the bot had recorded which message shows it (the callback then had no message to
 * edit; the bot queues this once it has). What only the callback knew is left out: a method it reported
 * otherwise, and whether its time was its own. Undefined for a payment not paid, or without a message.
 */
export function paidMessageEdit(record: PaymentRecord, now: Date): OutboxItem | undefined {
  const method = recordMethodOf(record);
  if (record.status !== "paid" || record.messageId === undefined || record.paidAt === undefined || method === undefined) return undefined;
  const amount = record.paidAmount ?? record.amount;
  const soFar = paidSoFarFields(record, record);
  return {
    // One per message: the bot may show a payment again (a restart while its photo was sent), each its own.
    id: `${record.externalId}:edit:message:${record.messageId}`,
    chatId: record.chatId,
    kind: "mark-paid",
    createdAt: now.toISOString(),
    payload: {
      type: "mark-paid",
      chatId: record.chatId,
      messageId: record.messageId,
      locale: record.locale ?? DEFAULT_LOCALE,
      amount,
      ...(amount === record.amount || soFar.repeated !== undefined ? {} : { askedAmount: record.amount }),
      method,
      customerName: record.customerName,
      paidAt: record.paidAt,
      externalId: record.externalId,
      ...soFar,
    } satisfies Notification,
  };
}

/**
 * The edit that turns a transfer's "⏳ being processed by the bank" message into its result, made from the
 * transfer as recorded once both are: its result (by the callback) and that message (by the bot), whichever
 * came second, so the two ways to it make the same item and it is edited once. A newer result that overturns
 * this one is another event, and edits the message again. Undefined while either is missing (and for records
 * written before the message was kept).
 */
export function transferMessageEdit(record: PaymentRecord, now: Date): OutboxItem | undefined {
  const { processingMessageId: messageId, resultEventId, status, resultReported: reported } = record;
  if (record.kind !== "disbursement" || messageId === undefined || resultEventId === undefined || (status !== "completed" && status !== "failed")) {
    return undefined;
  }
  return {
    id: `${resultEventId}:edit:message:${messageId}`,
    chatId: record.chatId,
    kind: "mark-transfer-result",
    createdAt: now.toISOString(),
    payload: {
      type: "mark-transfer-result",
      chatId: record.chatId,
      messageId,
      locale: record.locale ?? DEFAULT_LOCALE,
      resultEventId,
      externalId: record.externalId,
      // What the bank reported, as the result's notice says it, with what was sent where it differs.
      amount: reported?.amount ?? record.amount,
      bankCode: reported?.bankCode ?? record.bankCode ?? "",
      ...(record.accountNumber !== undefined ? { accountNumber: record.accountNumber } : {}),
      accountHolderName: reported?.holderName ?? record.customerName,
      ...(reported !== undefined ? sentDiffersFrom(record, reported) : {}),
      status,
      ...(status === "failed" && record.failureCode !== undefined ? { failureCode: record.failureCode } : {}),
      // A result sent without the gateway's time keeps none (see recordDisbursement): told by when it was
      // recorded, the record's last change (or the message's, moments after), and said to be so.
      ...(record.resultAt !== undefined ? { at: record.resultAt } : { at: record.updatedAt, timeReceived: true }),
    } satisfies Notification,
  };
}

/**
 * What the owner sent, each only where the bank's result reports otherwise (another amount, bank or holder):
 * the result's notice and its message edited show what the gateway says happened, and these say how it
 * differs from what was asked.
 */
export function sentDiffersFrom(record: PaymentRecord, reported: TransferReported): { sentAmount?: number; sentBankCode?: string; sentHolderName?: string } {
  return {
    ...(reported.amount !== record.amount ? { sentAmount: record.amount } : {}),
    ...(record.bankCode !== undefined && reported.bankCode !== undefined && record.bankCode.toUpperCase() !== reported.bankCode.toUpperCase()
      ? { sentBankCode: record.bankCode }
      : {}),
    ...(reported.holderName !== undefined && comparableName(record.customerName) !== comparableName(reported.holderName)
      ? { sentHolderName: record.customerName }
      : {}),
  };
}

function comparableName(name: string): string {
  return normalizeName(name.normalize("NFKC")).toLowerCase();
}
