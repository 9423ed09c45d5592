import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER } from "../../src/gateway/callbacks.js";
import type { PaymentRecord } from "../../src/store/types.js";

/** What the bench sends: valid "VA paid" callbacks for pre-seeded payments, each with its own payment id. */

export const BENCH_TOKEN = "bench-callback-token-0123456789abcdef";
export const PAID_PATH = CALLBACK_PATHS["virtual-account-paid"];
export const PAID_HEADERS = { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: BENCH_TOKEN };
export const BANK = "BCA";
export const ACCOUNT_NUMBER = "8808123456789012";

export function benchPayment(index: number, options: { chatId: number; messageId?: number }): PaymentRecord {
  const at = new Date().toISOString();
  return {
    externalId: externalIdOf(index),
    gatewayId: `va-${index}`,
    kind: "virtual_account",
    status: "pending",
    amount: 150_000,
    customerName: `Pelanggan ${index}`,
    bankCode: BANK,
    accountNumber: ACCOUNT_NUMBER,
    isSingleUse: false,
    createdBy: options.chatId,
    chatId: options.chatId,
    messageId: options.messageId,
    locale: "id",
    createdAt: at,
    updatedAt: at,
  };
}

export const externalIdOf = (index: number) => `bench-${index}`;

/** One paid callback; `paymentId` makes its event id unique. */
export function paidBody(externalId: string, paymentId: string): string {
  const at = new Date().toISOString();
  return JSON.stringify({
    id: paymentId,
    payment_id: paymentId,
    callback_virtual_account_id: "va-bench",
    owner_id: "owner-bench",
    external_id: externalId,
    account_number: ACCOUNT_NUMBER,
    bank_code: BANK,
    amount: 150_000,
    merchant_code: "88608",
    transaction_timestamp: at,
    created: at,
    updated: at,
    sender_name: "BUDI SANTOSO",
  });
}
