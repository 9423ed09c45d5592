import { CALLBACK_PATHS, CALLBACK_TOKEN_HEADER, type CallbackEvent } from "../../src/gateway/callbacks.js";
import type { PaymentRecord } from "../../src/store/types.js";
import { CALLBACK_TOKEN } from "./shop-harness.js";

/**
 * Callbacks as Palladium would sign and send them, built from one of our payments, for the stories where
 * the gateway says something the sandbox would never say (a short amount of 0, the wrong kind of event).
 */

let sequence = 0;
const next = () => `${process.pid}-${Date.now().toString(36)}-${++sequence}`;

export async function postCallback(webhookUrl: string, event: CallbackEvent, body: unknown, token = CALLBACK_TOKEN): Promise<Response> {
  return fetch(`${webhookUrl}${CALLBACK_PATHS[event]}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CALLBACK_TOKEN_HEADER]: token },
    body: JSON.stringify(body),
  });
}

type Ref = Pick<PaymentRecord, "externalId" | "gatewayId"> & Partial<Pick<PaymentRecord, "accountNumber" | "bankCode" | "paymentCode" | "customerName">>;

export function virtualAccountPaid(ref: Ref, over: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  const now = new Date().toISOString();
  return {
    id: `cb-va-${n}`,
    payment_id: `pay-va-${n}`,
    callback_virtual_account_id: ref.gatewayId,
    owner_id: "owner",
    external_id: ref.externalId,
    account_number: ref.accountNumber ?? "8808000000000001",
    bank_code: ref.bankCode ?? "BCA",
    amount: 100_000,
    merchant_code: "10761",
    transaction_timestamp: now,
    created: now,
    updated: now,
    ...over,
  };
}

export function retailOutletPaid(ref: Ref, over: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  const now = new Date().toISOString();
  return {
    id: `cb-rp-${n}`,
    payment_id: `pay-rp-${n}`,
    fixed_payment_code_id: ref.gatewayId,
    fixed_payment_code_payment_id: `fpc-${n}`,
    owner_id: "owner",
    external_id: ref.externalId,
    retail_outlet_name: "ALFAMART",
    prefix: "TEST",
    payment_code: ref.paymentCode ?? "TEST123456",
    name: ref.customerName ?? "Pelanggan",
    amount: 100_000,
    status: "COMPLETED",
    transaction_timestamp: now,
    ...over,
  };
}

export function disbursementCallback(ref: Ref, over: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  const now = new Date().toISOString();
  return {
    id: `disb-${n}`,
    user_id: "owner",
    external_id: ref.externalId,
    amount: 100_000,
    bank_code: ref.bankCode ?? "BCA",
    account_holder_name: ref.customerName ?? "Penerima",
    disbursement_description: "Bayar supplier",
    status: "COMPLETED",
    created: now,
    updated: now,
    ...over,
  };
}
