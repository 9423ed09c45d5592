import { DISBURSEMENT_BANKS, DISBURSEMENT_DESCRIPTION_MAX_LENGTH, type DisbursementBank } from "../../domain/limits.js";
import { formatRupiah, readRupiah } from "../../domain/rupiah.js";
import { checkAccountHolderName, checkAccountNumber, checkDescription, checkEmail } from "../../domain/validation.js";
import type { DisbursementAllowance } from "../../disbursement/allowance.js";
import type { Flow, FlowContext } from "../context.js";
import { quoteTyped } from "../html.js";
import { refusedAmountText, wholeOrSenOutside, type RefusedAmount } from "./amount-question.js";
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
  const checked = checkAccountHolderName(text);
  if (checked.ok) return checked;
  switch (checked.reason) {
    case "name_empty":
      return refuse(t("disburse-holder-empty"));
    case "name_too_long":
      return refuse(t("disburse-holder-too-long", { max: String(checked.max) }));
    default:
      return refuse(t("disburse-holder-bad-characters"));
  }
}

/** The most a transfer may send now, and which limit it is: the bank's, the one per transfer, or what is left today. */
export interface TransferMaximum {
  max: number;
  limit: "per_transfer" | "bank" | "today";
}

/**
 * The smallest of the bank's maximum, the maximum per transfer and what is left today: the "between … and …"
 * the amount question names, and the one maximum an amount above it is refused with. On a tie the lasting
 * limit is named (per transfer, then the bank's), so "send it tomorrow" is said only when tomorrow helps.
 */
export function transferMaximum(bank: DisbursementBank, maxPerTransfer: number, remainingToday: number): TransferMaximum {
  const limits: TransferMaximum[] = [
    { max: maxPerTransfer, limit: "per_transfer" },
    { max: DISBURSEMENT_BANKS[bank].max, limit: "bank" },
    { max: remainingToday, limit: "today" },
  ];
  return limits.reduce((smallest, next) => (next.max < smallest.max ? next : smallest));
}

/** Rupiah as typed (readRupiah), from the bank's minimum up to transferMaximum; above it, one answer names that maximum. */
export function readAmount(
  t: Translate,
  bank: DisbursementBank,
  text: string,
  guard: {
    allowance: Pick<DisbursementAllowance, "maxAmount">;
    remainingToday: number;
    /**
     * The caller checks what is left today again once the answer is read (the figure here may be stale): an
     * amount above it but within the lasting limits is taken, for that check to judge.
     */
    todayCheckedAfter?: boolean;
  },
): Reading<number> {
  const rule = DISBURSEMENT_BANKS[bank];
  const reading = readRupiah(text);
  // Every limit at once: refusing with the bank's maximum first, then the one per transfer on the next
  // try, named a maximum the question never said and took two answers to reach the one it did.
  const most = transferMaximum(bank, guard.allowance.maxAmount, guard.remainingToday);
  const amount = wholeOrSenOutside(reading, { min: rule.min, max: most.max });
  if (amount === undefined) return refuse(refusedAmountText(t, "disburse", reading as RefusedAmount, text.trim(), { min: rule.min, max: most.max }));
  // Zero is answered with the bank's minimum, as in the payment flows: more use than "more than zero".
  if (amount < rule.min) return refuse(t("disburse-amount-too-small", { bank: rule.displayName, min: formatRupiah(rule.min) }));
  if (amount <= most.max) return { ok: true, value: amount };
  if (guard.todayCheckedAfter && most.limit === "today" && amount <= transferMaximum(bank, guard.allowance.maxAmount, Number.POSITIVE_INFINITY).max) {
    return { ok: true, value: amount };
  }
  const max = formatRupiah(most.max);
  switch (most.limit) {
    case "per_transfer":
      return refuse(t("disburse-amount-above-max", { max }));
    case "bank":
      return refuse(t("disburse-amount-too-large", { bank: rule.displayName, max }));
    default:
      return refuse(t("disburse-amount-above-remaining", { remaining: max }));
  }
}

export function readDescription(t: Translate, text: string): Reading<string> {
  const checked = checkDescription(text);
  return checked.ok ? checked : refuse(t("disburse-description-invalid", { max: String(DISBURSEMENT_DESCRIPTION_MAX_LENGTH), length: String([...text.trim()].length) }));
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
