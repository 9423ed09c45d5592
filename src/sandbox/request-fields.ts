import { z } from "zod";
import { ACCOUNT_NUMBER_DIGITS } from "../domain/limits.js";
import {
  checkAccountHolderName,
  checkCustomerName,
  checkDescription,
  checkDisbursementAmount,
  checkEmail,
  checkExternalId,
  checkRetailAmount,
  checkVirtualAccountAmount,
  isDisbursementBank,
  isRetailOutlet,
  isVirtualAccountBank,
  type Checked,
} from "../domain/validation.js";
import { describeInvalid } from "../gateway/describe-invalid.js";
import type { CreateDisbursementInput, CreateRetailPaymentInput, CreateVirtualAccountInput } from "../gateway/types.js";
import { validationError } from "./errors.js";

/**
 * The create endpoints' fields, read the way Palladium would: every value arrives as text (multipart or
 * urlencoded; JSON numbers and booleans are read as their text), then checked against the limits table.
 */

// The same documented requests the gateway client sends, read back on the gateway's side: one contract.
export type VirtualAccountRequest = CreateVirtualAccountInput;
export type RetailPaymentRequest = CreateRetailPaymentInput;
export type DisbursementRequest = CreateDisbursementInput;

const body = z.record(z.string(), z.unknown(), { error: "the body must be a form with the documented fields" });
const fieldValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (issue) =>
    Array.isArray(issue.input) ? "must be given once" : Buffer.isBuffer(issue.input) ? "must be a text field, not a file" : "must be text",
});

function readFields<R extends string, O extends string>(
  input: unknown,
  required: readonly R[],
  optional: readonly O[],
): Record<R, string> & Partial<Record<O, string>> {
  const parsed = body.safeParse(input);
  if (!parsed.success || Array.isArray(input)) throw validationError("the body must be a form with the documented fields");
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of [...required, ...optional]) {
    const raw = parsed.data[name];
    if (raw === undefined || raw === null || raw === "") {
      if ((required as readonly string[]).includes(name)) problems.push(`${name} is required`);
      continue;
    }
    const value = fieldValue.safeParse(raw);
    if (!value.success) problems.push(`${name} ${value.error.issues[0]?.message ?? "is invalid"}`);
    else out[name] = String(value.data);
  }
  if (problems.length > 0) throw validationError(problems.join("; "));
  return out as Record<R, string> & Partial<Record<O, string>>;
}

function accept<T>(field: string, checked: Checked<T>): T {
  if (!checked.ok) {
    const { ok: _ok, ...reason } = checked;
    throw validationError(describeInvalid(field, reason));
  }
  return checked.value;
}

/** Whole rupiah as plain digits: "10.000", "-5", "1e4" and "10000.5" are refused, as a bank would. */
function readAmount(text: string): number {
  if (!/^\d{1,16}$/.test(text.trim())) throw validationError("amount must be a whole number of rupiah in digits");
  const amount = Number(text.trim());
  if (!Number.isSafeInteger(amount)) throw validationError("amount is too large");
  return amount;
}

function readFlag(field: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  throw validationError(`${field} must be "true" or "false"`);
}

export function readVirtualAccountRequest(input: unknown): VirtualAccountRequest {
  // The docs' table calls the name `account_name`, its example sends `name`: both are read.
  const f = readFields(input, ["bank_code", "is_single_use", "amount", "external_id"], ["name", "account_name"]);
  const rawName = f.name ?? f.account_name;
  if (rawName === undefined) throw validationError("name is required");
  const externalId = accept("external_id", checkExternalId(f.external_id));
  const bankCode = f.bank_code.trim().toUpperCase();
  if (!isVirtualAccountBank(bankCode)) throw validationError(`bank_code ${JSON.stringify(f.bank_code.slice(0, 20))} is not supported`);
  const name = accept("name", checkCustomerName(rawName));
  const isSingleUse = readFlag("is_single_use", f.is_single_use);
  const amount = accept("amount", checkVirtualAccountAmount(bankCode, readAmount(f.amount)));
  return { externalId, bankCode, name, isSingleUse, amount };
}

export function readRetailPaymentRequest(input: unknown): RetailPaymentRequest {
  const f = readFields(input, ["retail_outlet_name", "name", "amount", "external_id"], []);
  const externalId = accept("external_id", checkExternalId(f.external_id));
  const outlet = f.retail_outlet_name.trim().toUpperCase();
  if (!isRetailOutlet(outlet)) {
    throw validationError(`retail_outlet_name ${JSON.stringify(f.retail_outlet_name.slice(0, 20))} is not supported`);
  }
  const name = accept("name", checkCustomerName(f.name));
  const amount = accept("amount", checkRetailAmount(outlet, readAmount(f.amount)));
  return { externalId, retailOutletName: outlet, name, amount };
}

export function readDisbursementRequest(input: unknown): DisbursementRequest {
  const f = readFields(
    input,
    ["bank_code", "account_name", "account_number", "description", "external_id", "amount"],
    ["email_to", "email_cc", "email_bcc"],
  );
  const externalId = accept("external_id", checkExternalId(f.external_id));
  const bankCode = f.bank_code.trim().toUpperCase();
  if (!isDisbursementBank(bankCode)) throw validationError(`bank_code ${JSON.stringify(f.bank_code.slice(0, 20))} is not supported`);
  const accountName = accept("account_name", checkAccountHolderName(f.account_name));
  // The docs' own example sends an 8-digit BCA number, so the sandbox checks only that it looks like an
  // account number; the bot and client hold merchants to each bank's published lengths.
  const accountNumber = f.account_number.trim();
  if (!new RegExp(`^\\d{${ACCOUNT_NUMBER_DIGITS.min},${ACCOUNT_NUMBER_DIGITS.max}}$`).test(accountNumber)) {
    throw validationError(`account_number must be ${ACCOUNT_NUMBER_DIGITS.min} to ${ACCOUNT_NUMBER_DIGITS.max} digits`);
  }
  const description = accept("description", checkDescription(f.description));
  const amount = accept("amount", checkDisbursementAmount(bankCode, readAmount(f.amount)));
  const request: DisbursementRequest = { externalId, bankCode, accountName, accountNumber, description, amount };
  if (f.email_to !== undefined) request.emailTo = accept("email_to", checkEmail(f.email_to));
  if (f.email_cc !== undefined) request.emailCc = accept("email_cc", checkEmail(f.email_cc));
  if (f.email_bcc !== undefined) request.emailBcc = accept("email_bcc", checkEmail(f.email_bcc));
  return request;
}
