import {
  checkAccountNumber,
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
  type InvalidReason,
} from "../domain/validation.js";
import { describeInvalid } from "./describe-invalid.js";
import {
  GatewayError,
  type CreateDisbursementInput,
  type CreateRetailPaymentInput,
  type CreateVirtualAccountInput,
} from "./types.js";

/**
 * Turns each create input into the documented form fields, refusing (before anything is sent) what the
 * limits table says the gateway would refuse. Values are the normalised ones (trimmed names, bare digits).
 */

function refuse(field: string, r: InvalidReason): never {
  throw new GatewayError("INVALID_INPUT", describeInvalid(field, r), { reason: r.reason, field });
}

function accept<T>(field: string, checked: Checked<T>): T {
  if (!checked.ok) {
    const { ok: _ok, ...reason } = checked;
    refuse(field, reason);
  }
  return checked.value;
}

/** Callers in plain JS (or a conversation's replayed JSON) can hand us anything; say so plainly. */
function checkText(field: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new GatewayError("INVALID_INPUT", `${field} must be text`, { reason: "not_text", field });
  }
  return value;
}

export function virtualAccountForm(input: CreateVirtualAccountInput): URLSearchParams {
  const externalId = accept("external_id", checkExternalId(checkText("external_id", input.externalId)));
  const bank = String(input.bankCode);
  if (!isVirtualAccountBank(bank)) refuse("bank_code", { reason: "unknown_bank" });
  const name = accept("name", checkCustomerName(checkText("name", input.name)));
  const amount = accept("amount", checkVirtualAccountAmount(bank, input.amount));
  if (typeof input.isSingleUse !== "boolean") {
    throw new GatewayError("INVALID_INPUT", "is_single_use must be true or false", { reason: "is_single_use_invalid", field: "is_single_use" });
  }
  return new URLSearchParams({
    bank_code: bank,
    name,
    is_single_use: input.isSingleUse ? "true" : "false",
    amount: String(amount),
    external_id: externalId,
  });
}

export function retailPaymentForm(input: CreateRetailPaymentInput): URLSearchParams {
  const externalId = accept("external_id", checkExternalId(checkText("external_id", input.externalId)));
  const outlet = String(input.retailOutletName);
  if (!isRetailOutlet(outlet)) refuse("retail_outlet_name", { reason: "unknown_outlet" });
  const name = accept("name", checkCustomerName(checkText("name", input.name)));
  const amount = accept("amount", checkRetailAmount(outlet, input.amount));
  return new URLSearchParams({ retail_outlet_name: outlet, name, amount: String(amount), external_id: externalId });
}

export function disbursementForm(input: CreateDisbursementInput): URLSearchParams {
  const externalId = accept("external_id", checkExternalId(checkText("external_id", input.externalId)));
  const bank = String(input.bankCode);
  if (!isDisbursementBank(bank)) refuse("bank_code", { reason: "unknown_bank" });
  const accountName = accept("account_name", checkAccountHolderName(checkText("account_name", input.accountName)));
  const accountNumber = accept("account_number", checkAccountNumber(bank, checkText("account_number", input.accountNumber)));
  const description = accept("description", checkDescription(checkText("description", input.description)));
  const amount = accept("amount", checkDisbursementAmount(bank, input.amount));
  const form = new URLSearchParams({
    bank_code: bank,
    account_name: accountName,
    account_number: accountNumber,
    description,
    external_id: externalId,
  });
  for (const [field, value] of [
    ["email_to", input.emailTo],
    ["email_cc", input.emailCc],
    ["email_bcc", input.emailBcc],
  ] as const) {
    if (value !== undefined) form.set(field, accept(field, checkEmail(checkText(field, value))));
  }
  form.set("amount", String(amount));
  return form;
}
