import { z } from "zod";
import { parseGatewayDateTime } from "../domain/jakarta-time.js";
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
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
const text = z.string().min(1).max(256);
const jakartaDateTime = z.string().transform((s, ctx) => {
  const date = parseGatewayDateTime(s);
  if (date === null) {
    ctx.addIssue({ code: "custom", message: 'expected "YYYY-MM-DD HH:mm:ss"' });
    return z.NEVER;
  }
  return date;
});

export const virtualAccountResponseSchema = z
  .object({
    id: text,
    status: text,
    external_id: text,
    bank_code: z.enum(VIRTUAL_ACCOUNT_BANK_CODES),
    account_name: text,
    account_number: z.string().regex(/^\d{4,32}$/),
    amount,
    is_single_use: flag,
    expiration_date: jakartaDateTime,
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
    id: text,
    status: text,
    external_id: text,
    retail_outlet_name: z.enum(RETAIL_OUTLET_NAMES),
    name: text,
    payment_code: z.string().regex(/^[A-Za-z0-9]{4,32}$/),
    amount,
    is_single_use: flag,
    expiration_date: jakartaDateTime,
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
    id: text,
    status: text,
    external_id: text,
    bank_code: z.enum(DISBURSEMENT_BANK_CODES),
    account_name: text,
    account_number: z.string().regex(/^\d{4,32}$/),
    description: z.string().max(1024),
    amount,
  })
  .transform(
    (r): Disbursement => ({
      id: r.id,
      status: r.status,
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
