import { z } from "zod";
import { readGatewayTime } from "../domain/jakarta-time.js";
import { DISBURSEMENT_BANK_CODES, RETAIL_OUTLET_NAMES, VIRTUAL_ACCOUNT_BANK_CODES } from "../domain/limits.js";
import type { Disbursement, RetailPayment, VirtualAccount } from "./types.js";

/**
 * The documented answers, checked where they enter. Amounts are documented as JSON numbers; a digit
 * string is read too (gateways drift), anything else is an unexpected response.
 */

const amount = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}(\.0{1,2})?$/)
    .transform((s) => Number(s.split(".")[0])),
]);
const flag = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((v) => v === "true"),
  z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
]);
const text = z.string().min(1).max(256);
/**
 * What the bot keeps or checks is read as it is written in callbacks too (gateways drift): an id as digits,
 * a code in any case, a number with the spaces or dashes it is shown with (but as a string: see digitsShown).
 * What it never uses (a status, the name echoed back) may be missing: a VA the gateway made must not be
 * refused over it, or every "try again" meets the same refusal and a new try makes another VA nobody can pay.
 */
const gatewayId = z.union([text, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String)]);
const upperCase = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(values as [T, ...T[]]));
// A string only: as a JSON number, a number that starts with 0 (BNI 0987654321) has lost it already.
const digitsShown = (pattern: RegExp) =>
  z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(pattern));
/**
 * When the VA or code stops taking payments. Documented as "YYYY-MM-DD HH:mm:ss" in Jakarta time; read in
 * the other forms gateways write too, and when unreadable (or missing) the payment is still handed out with
 * no expiry shown: it exists at the gateway by now, and refusing the answer would have the cashier try again
 * and again, each time making another one, and the shop take no payment at all.
 */
const expiry = z.unknown().transform((v) => {
  const iso = readGatewayTime(v);
  return iso === undefined ? undefined : new Date(iso);
}).optional();

export const virtualAccountResponseSchema = z
  .object({
    id: gatewayId,
    status: text.optional(),
    external_id: text,
    bank_code: upperCase(VIRTUAL_ACCOUNT_BANK_CODES),
    account_name: text.optional(),
    account_number: digitsShown(/^\d{4,32}$/),
    amount,
    is_single_use: flag,
    expiration_date: expiry,
  })
  .transform(
    (r): VirtualAccount => ({
      id: r.id,
      status: r.status,
      externalId: r.external_id,
      bankCode: r.bank_code,
      accountName: r.account_name,
      accountNumber: r.account_number,
      amount: r.amount,
      isSingleUse: r.is_single_use,
      expiresAt: r.expiration_date,
    }),
  );

export const retailPaymentResponseSchema = z
  .object({
    id: gatewayId,
    status: text.optional(),
    external_id: text,
    retail_outlet_name: upperCase(RETAIL_OUTLET_NAMES),
    name: text.optional(),
    payment_code: digitsShown(/^[A-Za-z0-9]{4,32}$/),
    amount,
    is_single_use: flag,
    expiration_date: expiry,
  })
  .transform(
    (r): RetailPayment => ({
      id: r.id,
      status: r.status,
      externalId: r.external_id,
      retailOutletName: r.retail_outlet_name,
      name: r.name,
      paymentCode: r.payment_code,
      amount: r.amount,
      isSingleUse: r.is_single_use,
      expiresAt: r.expiration_date,
    }),
  );

export const disbursementResponseSchema = z
  .object({
    id: gatewayId,
    status: text.optional(),
    external_id: text,
    bank_code: upperCase(DISBURSEMENT_BANK_CODES),
    account_name: text.optional(),
    account_number: digitsShown(/^\d{4,32}$/),
    description: z.string().max(1024).optional(),
    amount,
    failure_code: text.optional(),
  })
  .transform(
    (r): Disbursement => ({
      id: r.id,
      status: r.status,
      failureCode: r.failure_code,
      externalId: r.external_id,
      bankCode: r.bank_code,
      accountName: r.account_name,
      accountNumber: r.account_number,
      description: r.description,
      amount: r.amount,
    }),
  );

/** What DESIGN.md settles for every non-2xx answer. */
export const gatewayErrorBodySchema = z.object({
  error_code: z.string().min(1).max(128),
  message: z.string().max(2048).optional(),
});
