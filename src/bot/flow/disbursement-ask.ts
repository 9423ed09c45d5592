import { DISBURSEMENT_BANKS, DISBURSEMENT_DESCRIPTION_MAX_LENGTH, type DisbursementBank } from "../../domain/limits.js";
import { formatRupiah, parseRupiah } from "../../domain/rupiah.js";
import {
  checkAccountNumber,
  checkCustomerName,
  checkDescription,
  checkDisbursementAmount,
  checkEmail,
} from "../../domain/validation.js";
import type { DisbursementAllowance } from "../../disbursement/allowance.js";
import type { Flow, FlowContext } from "../context.js";
import { escapeHtml, quoteTyped } from "../html.js";
import { askText, askTextOrSkip, type Reading } from "./ask.js";

/** The questions of the disbursement flow. Each refusal says what was wrong and the question stays open. */

type Translate = FlowContext["t"];

const refuse = (message: string): Reading<never> => ({ ok: false, message });

/** "10", "10 atau 16", "13 atau 14": the lengths a bank's account numbers come in. */
export function lengthsText(t: Translate, lengths: readonly number[]): string {
  if (lengths.length <= 1) return lengths.map(String).join("");
  return t("disburse-lengths-or", { first: lengths.slice(0, -1).join(", "), last: String(lengths.at(-1)) });
}

export function readAccountNumber(t: Translate, bank: DisbursementBank, text: string): Reading<string> {
  const checked = checkAccountNumber(bank, text);
  if (checked.ok) return checked;
  if (checked.reason === "account_number_length") {
    return refuse(
      t("disburse-account-length", {
        bank: DISBURSEMENT_BANKS[bank].displayName,
        lengths: lengthsText(t, checked.lengths),
        count: String(text.replace(/[\s-]/g, "").length),
      }),
    );
  }
  return refuse(t("disburse-account-not-digits"));
}

export function readHolderName(t: Translate, text: string): Reading<string> {
  const checked = checkCustomerName(text);
  if (checked.ok) return checked;
  switch (checked.reason) {
    case "name_empty":
      return refuse(t("disburse-holder-empty"));
    case "name_too_long":
      return refuse(t("disburse-holder-too-long", { max: String(checked.max) }));
    case "name_institution":
      return refuse(t("disburse-holder-institution", { word: escapeHtml(checked.word.toUpperCase()) }));
    default:
      return refuse(t("disburse-holder-bad-characters"));
  }
}

/** Rupiah as typed (parseRupiah), within the bank's range, the per-transfer maximum and what is left today. */
export function readAmount(
  t: Translate,
  bank: DisbursementBank,
  text: string,
  guard: { allowance: Pick<DisbursementAllowance, "check">; remainingToday: number },
): Reading<number> {
  const bankName = DISBURSEMENT_BANKS[bank].displayName;
  // parseRupiah refuses a sign; a minus deserves its own answer rather than "unreadable".
  if (/^\s*[-−]/.test(text)) return refuse(t("disburse-amount-not-positive"));
  const amount = parseRupiah(text);
  if (amount === null) return refuse(t("disburse-amount-unreadable", { input: quoteTyped(text.trim()) }));
  if (amount <= 0) return refuse(t("disburse-amount-not-positive"));
  const inRange = checkDisbursementAmount(bank, amount);
  if (!inRange.ok) {
    return inRange.reason === "amount_too_large"
      ? refuse(t("disburse-amount-too-large", { bank: bankName, max: formatRupiah(inRange.max) }))
      : refuse(t("disburse-amount-too-small", { bank: bankName, min: formatRupiah(DISBURSEMENT_BANKS[bank].min) }));
  }
  const guarded = guard.allowance.check(amount, guard.remainingToday);
  if (!guarded.ok) {
    return guarded.reason === "above_max"
      ? refuse(t("disburse-amount-above-max", { max: formatRupiah(guarded.max) }))
      : refuse(t("disburse-amount-above-remaining", { remaining: formatRupiah(guarded.remainingToday) }));
  }
  return { ok: true, value: amount };
}

export function readDescription(t: Translate, text: string): Reading<string> {
  const checked = checkDescription(text);
  return checked.ok ? checked : refuse(t("disburse-description-invalid", { max: String(DISBURSEMENT_DESCRIPTION_MAX_LENGTH) }));
}

export function readEmail(t: Translate, text: string): Reading<string> {
  const checked = checkEmail(text);
  return checked.ok ? checked : refuse(t("disburse-email-invalid", { input: quoteTyped(text.trim(), 60) }));
}

export function askTyped<T>(flow: Flow, ctx: FlowContext, nonce: string, question: string, read: (t: Translate, text: string) => Reading<T>) {
  return askText(flow, ctx, nonce, question, (text, c) => read(c.t, text));
}

/** An e-mail address, or undefined if the owner pressed "skip". */
export function askOptionalEmail(flow: Flow, ctx: FlowContext, nonce: string, question: string) {
  return askTextOrSkip(flow, ctx, nonce, question, ctx.t("disburse-skip-button"), (text, c) => readEmail(c.t, text));
}
