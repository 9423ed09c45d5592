import type { PaymentRecord } from "../store/types.js";

/**
 * What a payment's record says about it, in the shop's terms: whether a customer can still pay it, and what it
 * has been paid so far. Read by the list, the notifier, the callback recording, the sandbox button and the demo.
 */

/** A multi-use VA: the customer may pay it again and again until it expires. */
export function isReusableVirtualAccount(record: Pick<PaymentRecord, "kind" | "isSingleUse">): boolean {
  return record.kind === "virtual_account" && record.isSingleUse === false;
}

/** Past its expiry: the gateway takes no payment for it any more (and sends no callback when that happens). */
export function isExpired(record: Pick<PaymentRecord, "expiresAt">, nowMs: number): boolean {
  return record.expiresAt !== undefined && Date.parse(record.expiresAt) <= nowMs;
}

/** Whether a customer can still pay it: not expired, and not paid yet or a multi-use VA. */
export function awaitsPayment(record: Pick<PaymentRecord, "status" | "kind" | "isSingleUse" | "expiresAt">, nowMs: number): boolean {
  const open = record.status === "pending" || (record.status === "paid" && isReusableVirtualAccount(record));
  return open && !isExpired(record, nowMs);
}

/**
 * How many payments a record has received and their sum, in rupiah. A record paid before these were kept
 * had one payment: paidAmount (or, lacking even that, the amount asked).
 */
export function paidSoFar(record: PaymentRecord): { count: number; total: number } {
  if (record.paidCount !== undefined && record.paidTotal !== undefined) return { count: record.paidCount, total: record.paidTotal };
  return record.status === "paid" ? { count: 1, total: record.paidAmount ?? record.amount } : { count: 0, total: 0 };
}
