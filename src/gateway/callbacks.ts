import { z } from "zod";

/**
 * Palladium's callback payloads (settled in DESIGN.md, modelled on Xendit). Receivers ignore unknown
 * fields, accept amounts as numbers or digit strings, and timestamps as ISO 8601.
 */

export const CALLBACK_EVENTS = ["virtual-account-created", "virtual-account-paid", "retail-outlet-paid", "disbursement"] as const;
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number];

/** The receiver's path for each event: what the README tells the operator to paste into the dashboard. */
export const CALLBACK_PATHS: Record<CallbackEvent, string> = {
  "virtual-account-created": "/callbacks/virtual-account-created",
  "virtual-account-paid": "/callbacks/virtual-account-paid",
  "retail-outlet-paid": "/callbacks/retail-outlet-paid",
  disbursement: "/callbacks/disbursement",
};

export const CALLBACK_TOKEN_HEADER = "x-callback-token";

const id = z.string().min(1).max(128);
const externalId = z.string().min(1).max(64);
const amount = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);
// A payment of Rp 0 is no payment: recording it would mark the VA or code paid and tell the shop so. A 400
// also keeps it out of the store while the gateway's retries show up in its dashboard.
const paidAmount = amount.pipe(z.number().positive());
const timestamp = z.iso.datetime({ offset: true, local: false });
const shortText = z.string().max(256);

export const virtualAccountCreatedSchema = z.object({
  id,
  owner_id: shortText,
  external_id: externalId,
  merchant_code: shortText,
  account_number: z.string().regex(/^\d{4,32}$/),
  bank_code: shortText,
  name: shortText,
  is_closed: z.boolean(),
  is_single_use: z.boolean(),
  expiration_date: timestamp,
  status: z.literal("ACTIVE"),
  created: timestamp,
  updated: timestamp,
});

export const virtualAccountPaidSchema = z.object({
  id,
  payment_id: id,
  callback_virtual_account_id: id,
  owner_id: shortText,
  external_id: externalId,
  account_number: z.string().regex(/^\d{4,32}$/),
  bank_code: shortText,
  amount: paidAmount,
  merchant_code: shortText,
  transaction_timestamp: timestamp,
  created: timestamp,
  updated: timestamp,
  // Optional, and sent as null by gateways of this family when the bank gives no name: refusing the whole
  // payment over a missing name would have the gateway retry it for days, never recorded.
  sender_name: shortText
    .nullish()
    .transform((name) => name ?? undefined)
    .optional(),
});

export const retailOutletPaidSchema = z.object({
  id,
  payment_id: id,
  fixed_payment_code_id: id,
  fixed_payment_code_payment_id: id,
  owner_id: shortText,
  external_id: externalId,
  retail_outlet_name: shortText,
  prefix: shortText,
  payment_code: shortText,
  name: shortText,
  amount: paidAmount,
  status: z.literal("COMPLETED"),
  transaction_timestamp: timestamp,
});

export const disbursementCallbackSchema = z.object({
  id,
  user_id: shortText,
  external_id: externalId,
  amount,
  bank_code: shortText,
  account_holder_name: shortText,
  disbursement_description: z.string().max(1024),
  status: z.enum(["COMPLETED", "FAILED"]),
  failure_code: shortText.optional(),
  created: timestamp,
  updated: timestamp,
});

export type VirtualAccountCreatedCallback = z.infer<typeof virtualAccountCreatedSchema>;
export type VirtualAccountPaidCallback = z.infer<typeof virtualAccountPaidSchema>;
export type RetailOutletPaidCallback = z.infer<typeof retailOutletPaidSchema>;
export type DisbursementCallback = z.infer<typeof disbursementCallbackSchema>;

export const CALLBACK_SCHEMAS = {
  "virtual-account-created": virtualAccountCreatedSchema,
  "virtual-account-paid": virtualAccountPaidSchema,
  "retail-outlet-paid": retailOutletPaidSchema,
  disbursement: disbursementCallbackSchema,
} as const;

export type CallbackPayload<E extends CallbackEvent> = z.infer<(typeof CALLBACK_SCHEMAS)[E]>;

/** The id that makes one delivery of an event the same as its retries (dedupe key). */
export function callbackEventId(event: CallbackEvent, payload: { id: string; payment_id?: string }): string {
  const key = event === "virtual-account-paid" || event === "retail-outlet-paid" ? payload.payment_id ?? payload.id : payload.id;
  return `${event}:${key}`;
}
