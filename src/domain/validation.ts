import {
  ACCOUNT_NUMBER_DIGITS,
  CUSTOMER_NAME,
  DISBURSEMENT_BANKS,
  DISBURSEMENT_DESCRIPTION_MAX_LENGTH,
  EXTERNAL_ID_MAX_LENGTH,
  RETAIL_OUTLETS,
  VIRTUAL_ACCOUNT_BANKS,
  type AmountRange,
  type DisbursementBank,
  type RetailOutlet,
  type VirtualAccountBank,
} from "./limits.js";

/** Why an input was refused; the bot turns each reason into a localized sentence, the client into an error. */
export type InvalidReason =
  | { reason: "amount_not_integer" }
  | { reason: "amount_too_small"; min: number }
  | { reason: "amount_too_large"; max: number }
  | { reason: "name_empty" }
  | { reason: "name_too_long"; max: number }
  | { reason: "name_bad_characters" }
  | { reason: "name_institution"; word: string }
  | { reason: "unknown_bank" }
  | { reason: "unknown_outlet" }
  | { reason: "account_number_not_digits" }
  | { reason: "account_number_length"; lengths: readonly number[] }
  | { reason: "external_id_invalid"; max: number }
  | { reason: "description_invalid"; max: number }
  | { reason: "email_invalid" };

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & InvalidReason);

const fail = (r: InvalidReason): Checked<never> => ({ ok: false, ...r });

export function checkAmount(amount: number, range: AmountRange): Checked<number> {
  if (!Number.isSafeInteger(amount)) return fail({ reason: "amount_not_integer" });
  if (amount < range.min) return fail({ reason: "amount_too_small", min: range.min });
  if (amount > range.max) return fail({ reason: "amount_too_large", max: range.max });
  return { ok: true, value: amount };
}

export function isVirtualAccountBank(code: string): code is VirtualAccountBank {
  return Object.hasOwn(VIRTUAL_ACCOUNT_BANKS, code);
}
export function isRetailOutlet(code: string): code is RetailOutlet {
  return Object.hasOwn(RETAIL_OUTLETS, code);
}
export function isDisbursementBank(code: string): code is DisbursementBank {
  return Object.hasOwn(DISBURSEMENT_BANKS, code);
}

export function checkVirtualAccountAmount(bank: VirtualAccountBank, amount: number): Checked<number> {
  return checkAmount(amount, VIRTUAL_ACCOUNT_BANKS[bank]);
}
export function checkRetailAmount(outlet: RetailOutlet, amount: number): Checked<number> {
  return checkAmount(amount, RETAIL_OUTLETS[outlet]);
}
export function checkDisbursementAmount(bank: DisbursementBank, amount: number): Checked<number> {
  return checkAmount(amount, DISBURSEMENT_BANKS[bank]);
}

/**
 * A name as typed, trimmed, its spaces collapsed and its typographic apostrophes and dashes read as ' and -.
 * NFKC, not only NFC: full-width letters ("Ｓｉｔｉ", from a CJK keyboard or a pasted form) are the plain ones
 * a bank reads, not something to show the payer or send as a payee's name as typed.
 */
export function normalizeName(input: string): string {
  return input
    .normalize("NFKC")
    .replace(CUSTOMER_NAME.apostropheLookalikes, "'")
    .replace(CUSTOMER_NAME.hyphenLookalikes, "-")
    .trim()
    .replace(/\s+/g, " ");
}

/** normalizeName, then the banks' name rules. The value is the name to store and send. */
export function checkCustomerName(input: string): Checked<string> {
  const name = normalizeName(input);
  if (name.length < CUSTOMER_NAME.minLength) return fail({ reason: "name_empty" });
  if (name.length > CUSTOMER_NAME.maxLength) return fail({ reason: "name_too_long", max: CUSTOMER_NAME.maxLength });
  // Punctuation alone (".", "-") names nobody: a bank shows this name to the payer.
  if (!CUSTOMER_NAME.pattern.test(name) || !/\p{L}/u.test(name)) return fail({ reason: "name_bad_characters" });
  const words = name.toLowerCase().split(/[ .,'-]+/);
  const word = CUSTOMER_NAME.forbiddenWords.find((w) => words.includes(w));
  if (word) return fail({ reason: "name_institution", word });
  return { ok: true, value: name };
}

/**
 * A transfer's account holder as the bank knows them: the name rules without the institution words, which
 * are the gateway's rule for the name a VA shows its payer. A payee is who they are: "Dewi Permata", "Putri
 * Mandiri", a supplier's "CV Mandiri Jaya" (refused, they could not be paid through the bot at all).
 */
export function checkAccountHolderName(input: string): Checked<string> {
  const checked = checkCustomerName(input);
  return !checked.ok && checked.reason === "name_institution" ? { ok: true, value: normalizeName(input) } : checked;
}

export function checkAccountNumber(bank: DisbursementBank, input: string): Checked<string> {
  const digits = input.replace(/[\s-]/g, "");
  if (!/^\d+$/.test(digits)) return fail({ reason: "account_number_not_digits" });
  const lengths: readonly number[] | null = DISBURSEMENT_BANKS[bank].accountNumberLengths;
  if (lengths ? !lengths.includes(digits.length) : digits.length < ACCOUNT_NUMBER_DIGITS.min || digits.length > ACCOUNT_NUMBER_DIGITS.max) {
    return fail({ reason: "account_number_length", lengths: lengths ?? [ACCOUNT_NUMBER_DIGITS.min, ACCOUNT_NUMBER_DIGITS.max] });
  }
  return { ok: true, value: digits };
}

export function checkExternalId(id: string): Checked<string> {
  if (id.length === 0 || id.length > EXTERNAL_ID_MAX_LENGTH || !/^[A-Za-z0-9_.:-]+$/.test(id)) {
    return fail({ reason: "external_id_invalid", max: EXTERNAL_ID_MAX_LENGTH });
  }
  return { ok: true, value: id };
}

export function checkDescription(input: string): Checked<string> {
  const text = input.trim();
  // Counted in characters as a person counts them (an emoji is one), as the refusal says back to them.
  const length = [...text].length;
  if (length === 0 || length > DISBURSEMENT_DESCRIPTION_MAX_LENGTH || /[\u0000-\u001f]/.test(text)) {
    return fail({ reason: "description_invalid", max: DISBURSEMENT_DESCRIPTION_MAX_LENGTH });
  }
  return { ok: true, value: text };
}

// Deliberately simple: one @, no spaces, a dotted domain. The gateway mails it; we only stop typos.
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
export function checkEmail(input: string): Checked<string> {
  // A copied e-mail link ("mailto:siti@toko.co.id") is its address; the gateway would mail "mailto:..." nowhere.
  const email = input.trim().replace(/^mailto:/i, "");
  if (email.length > 254 || !EMAIL.test(email)) return fail({ reason: "email_invalid" });
  return { ok: true, value: email };
}
