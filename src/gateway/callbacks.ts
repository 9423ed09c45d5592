import { z } from "zod";
import { readGatewayTime } from "../domain/jakarta-time.js";

/**
 * Palladium's callback payloads (settled in DESIGN.md, modelled on Xendit). Receivers ignore unknown
 * fields, accept amounts as numbers or digit strings, and timestamps as ISO 8601. The schemas below name
 * only what the receiver reads.
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
/**
 * Above any amount a shop here takes or sends (the banks' maximum is Rp 50 miliar): a running total of such
 * payments stays a safe integer.
 */
const AMOUNT_MAX = 1_000_000_000_000;
const amount = z.union([
  z.number().int().nonnegative().max(AMOUNT_MAX),
  z
    .string()
    .regex(/^\d{1,13}(\.0{1,2})?$/, "amount must be whole rupiah")
    .transform((digits) => Number(digits.replace(/\.0+$/, "")))
    .pipe(z.number().max(AMOUNT_MAX)),
]);
// A payment of Rp 0 is no payment: recording it would mark the VA or code paid and tell the shop so. A 400
// also keeps it out of the store while the gateway's retries show up in its dashboard.
const paidAmount = amount.pipe(z.number().positive());
/** Absent is rupiah (the documented payloads carry no currency); any other currency is not ours to read as rupiah. */
const currency = z
  .string()
  .nullish()
  .refine((c) => c === null || c === undefined || c.toUpperCase() === "IDR", "currency must be IDR");

/*
 * What the receiver decides on is checked strictly (the event's id, our external_id, the amount, a transfer's
 * status): wrong there, the callback is refused. What it only shows or compares (account number, bank, code,
 * names, times) is taken as the gateway sends it: missing, null, a number for a string, another time format,
 * a number with spaces. Refusing a real payment over such a field would have the gateway retry it for a day
 * and then give up, never told to the shop. Fields it never reads are not looked at.
 */

/**
 * A shown field: text (trimmed, cut at 256 characters) or a number sent for it; anything else (missing, null,
 * an object) is undefined, never a refusal.
 */
const shown = z
  .unknown()
  .transform((v) => {
    if (typeof v === "string") return cutAt(wellFormed(v.trim()), 256) || undefined;
    return typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
  })
  .optional();

/**
 * Telegram refuses a message holding half of a character (a lone UTF-16 surrogate): a name sent that way,
 * or cut in the middle of an emoji, would cost the shop the whole notice. Each half left alone becomes "�".
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

const graphemes = new Intl.Segmenter("id", { granularity: "grapheme" });

/**
 * At most `max` UTF-16 units (the bound the notices' lengths were worked out with), cut between the
 * characters a reader sees: never inside an emoji, a flag or a family of emoji joined into one.
 */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = "";
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max) break;
    kept += segment;
  }
  return kept;
}

/** What the customer paid into, as sent: a number, or text with spaces or dashes (dropped). */
const paidInto = (pattern: RegExp, what: string) =>
  z
    .union([z.string().max(64), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
    .transform((v) => String(v).replace(/[\s-]/g, ""))
    .pipe(z.string().regex(pattern, what));
/**
 * The VA number or payment code the customer paid: required (every such callback names it, and it tells a
 * VA payment from an Alfamart one), but taken as sent.
 */
const vaNumber = paidInto(/^\d{4,32}$/, "must be the VA's digits");
const paymentCode = paidInto(/^[A-Za-z0-9]{1,64}$/, "must be the payment code's letters and digits");

/**
 * A time: ISO 8601 with an offset ("Z", "+07:00", "+0700", "+07"), or without one ("2026-11-26T17:00:00",
 * "2026-11-26 17:00:00"), which a gateway in Jakarta means as Jakarta time; or Unix time, in seconds or
 * milliseconds, as a number or digits. Normalized to ISO in UTC. Missing, impossible (30 February), out of
 * this century, or in a form not read here: undefined, and the receiver uses the time it received the
 * callback (a real payment is not refused over the way its time is written).
 */
const shownTime = z
  .unknown()
  .transform(readGatewayTime)
  .optional();

export const virtualAccountCreatedSchema = z.object({
  id,
  external_id: externalId,
  account_number: vaNumber,
  // Recorded, never acted on: a gateway that also posts a VA's later states here (Xendit's PENDING or INACTIVE)
  // must not have them refused and retried for a day.
  status: z.string().min(1).max(64),
});

export const virtualAccountPaidSchema = z.object({
  id,
  payment_id: id,
  external_id: externalId,
  account_number: vaNumber,
  bank_code: shown,
  amount: paidAmount,
  currency,
  transaction_timestamp: shownTime,
  sender_name: shown,
});

/** A retail payment's status, when sent, says it is paid (the gateway sends this callback only then). */
const PAID_RETAIL_STATUSES = ["COMPLETED", "PAID", "SETTLED", "SUCCEEDED"];

export const retailOutletPaidSchema = z.object({
  id,
  payment_id: id,
  external_id: externalId,
  retail_outlet_name: shown,
  payment_code: paymentCode,
  amount: paidAmount,
  currency,
  status: z
    .string()
    .nullish()
    .refine((s) => s === null || s === undefined || PAID_RETAIL_STATUSES.includes(s.toUpperCase()), "status must say the payment is completed"),
  transaction_timestamp: shownTime,
});

export const disbursementCallbackSchema = z.object({
  id,
  external_id: externalId,
  amount,
  currency,
  bank_code: shown,
  account_holder_name: shown,
  // Read in any case, as the retail status is: a "completed" refused would lose the transfer's result for good.
  status: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(["COMPLETED", "FAILED"])),
  failure_code: shown,
  updated: shownTime,
});

/** What the receiver reads of each callback (the schemas' output). */
export type ReceivedVirtualAccountPaid = z.infer<typeof virtualAccountPaidSchema>;
export type ReceivedRetailOutletPaid = z.infer<typeof retailOutletPaidSchema>;
export type ReceivedDisbursementResult = z.infer<typeof disbursementCallbackSchema>;

/** What Palladium posts, in full, as DESIGN.md settles it: what the sandbox sends. */
export type VirtualAccountCreatedCallback = {
  id: string;
  owner_id: string;
  external_id: string;
  merchant_code: string;
  account_number: string;
  bank_code: string;
  name: string;
  is_closed: boolean;
  is_single_use: boolean;
  expiration_date: string;
  status: "ACTIVE";
  created: string;
  updated: string;
};

export type VirtualAccountPaidCallback = {
  id: string;
  payment_id: string;
  callback_virtual_account_id: string;
  owner_id: string;
  external_id: string;
  account_number: string;
  bank_code: string;
  amount: number;
  merchant_code: string;
  transaction_timestamp: string;
  created: string;
  updated: string;
  sender_name?: string | null;
};

export type RetailOutletPaidCallback = {
  id: string;
  payment_id: string;
  fixed_payment_code_id: string;
  fixed_payment_code_payment_id: string;
  owner_id: string;
  external_id: string;
  retail_outlet_name: string;
  prefix: string;
  payment_code: string;
  name: string;
  amount: number;
  status: "COMPLETED";
  transaction_timestamp: string;
};

export type DisbursementCallback = {
  id: string;
  user_id: string;
  external_id: string;
  amount: number;
  bank_code: string;
  account_holder_name: string;
  disbursement_description: string;
  status: "COMPLETED" | "FAILED";
  failure_code?: string;
  created: string;
  updated: string;
};

export const CALLBACK_SCHEMAS = {
  "virtual-account-created": virtualAccountCreatedSchema,
  "virtual-account-paid": virtualAccountPaidSchema,
  "retail-outlet-paid": retailOutletPaidSchema,
  disbursement: disbursementCallbackSchema,
} as const;

export type CallbackPayload<E extends CallbackEvent> = z.infer<(typeof CALLBACK_SCHEMAS)[E]>;

/**
 * The id that makes one delivery of an event the same as its retries (dedupe key). A transfer's callbacks
 * carry the transfer's id, so its status and time are part of the key: a FAILED after a COMPLETED (or the
 * other way round) is another event, not a retry, and must be looked at.
 */
export function callbackEventId(event: CallbackEvent, payload: { id: string; payment_id?: string; status?: string | null | undefined; updated?: string | undefined }): string {
  // With its time too, when it has one: COMPLETED, then FAILED, then COMPLETED again is three results.
  if (event === "disbursement") return `${event}:${payload.id}:${payload.status ?? ""}${payload.updated !== undefined ? `:${payload.updated}` : ""}`;
  const key = event === "virtual-account-paid" || event === "retail-outlet-paid" ? payload.payment_id ?? payload.id : payload.id;
  return `${event}:${key}`;
}
