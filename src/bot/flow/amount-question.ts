import type { AmountRange } from "../../domain/limits.js";
import { formatRupiah, readRupiah, type RupiahReading } from "../../domain/rupiah.js";
import { checkAmount } from "../../domain/validation.js";
import type { Flow, FlowContext } from "../context.js";
import { escapeHtml, quoteTyped } from "../html.js";
import { askText, invalidMessage, type Reading } from "./ask.js";

/** The amount questions: a payment's (here) and a transfer's (disbursement-ask.ts) read rupiah alike. */

type Translate = FlowContext["t"];
export type RefusedAmount = Exclude<RupiahReading, { ok: true }>;

/** Each flow says the same refusals in its own keys: the payment flows in bot.ftl, a transfer in disburse.ftl. */
const REFUSAL_KEYS = {
  bot: {
    unreadable: "bot-amount-unreadable",
    negative: "bot-amount-not-positive",
    ambiguous_m: "bot-amount-ambiguous-m",
    ambiguous_separator: "bot-amount-ambiguous-separator",
    sen: "bot-amount-sen",
    senOne: "bot-amount-sen-one",
    huge: "bot-amount-unreadable",
  },
  disburse: {
    unreadable: "disburse-amount-unreadable",
    negative: "disburse-amount-not-positive",
    ambiguous_m: "disburse-amount-ambiguous-m",
    ambiguous_separator: "disburse-amount-ambiguous-separator",
    sen: "disburse-amount-sen",
    senOne: "disburse-amount-sen-one",
    huge: "disburse-amount-unreadable",
  },
} as const satisfies Record<string, Record<RefusedAmount["reason"] | "senOne", string>>;

/**
 * Why an amount as typed was refused before any range: unreadable (quoted back), negative, a bare "M"
 * that is juta to some and miliar to others (both amounts shown, and how to type each), or sen (the whole
 * rupiah either side offered).
 */
export function refusedAmountText(t: Translate, flow: keyof typeof REFUSAL_KEYS, refused: RefusedAmount, typed: string, range?: AmountRange): string {
  const keys = REFUSAL_KEYS[flow];
  switch (refused.reason) {
    case "negative":
      return t(keys.negative);
    case "ambiguous_m":
      return t(keys.ambiguous_m, {
        input: quoteTyped(typed.trim()),
        number: escapeHtml(refused.number),
        juta: formatRupiah(refused.asJuta),
        miliar: formatRupiah(refused.asMiliar),
      });
    case "ambiguous_separator":
      return t(keys.ambiguous_separator, { input: quoteTyped(typed.trim()), smaller: formatRupiah(refused.smaller), larger: formatRupiah(refused.larger) });
    case "sen": {
      // Only amounts the question takes: "50.000.000,50" at a Rp 50.000.000 maximum offers that one alone.
      const offers = [refused.below, refused.above].filter((a) => range === undefined || (a >= range.min && a <= range.max));
      const input = quoteTyped(typed.trim());
      if (offers.length === 1) return t(keys.senOne, { input, amount: formatRupiah(offers[0] ?? refused.below) });
      return t(keys.sen, { input, below: formatRupiah(refused.below), above: formatRupiah(refused.above) });
    }
    default:
      return t(keys.unreadable, { input: quoteTyped(typed) });
  }
}

/**
 * The amount to hold against the range: as read; for an amount with sen whose whole rupiah either side are
 * both outside the range ("5.000,50" where Rp 10.000 is the least), the rupiah below it; for digits past any
 * amount, the largest number: so the range is what the answer says. Undefined for every other refusal.
 */
export function wholeOrSenOutside(reading: RupiahReading, range: AmountRange): number | undefined {
  if (reading.ok) return reading.amount;
  // Too large to be a number here at all: answered as any amount over the maximum is.
  if (reading.reason === "huge") return Number.MAX_SAFE_INTEGER;
  if (reading.reason !== "sen") return undefined;
  return [reading.below, reading.above].every((a) => a < range.min || a > range.max) ? reading.below : undefined;
}

/** A payment's amount: rupiah as shop people type it (readRupiah, never form.int), within the range. */
export function readPaymentAmount(ctx: FlowContext, text: string, range: AmountRange): Reading<number> {
  const reading = readRupiah(text);
  const amount = wholeOrSenOutside(reading, range);
  if (amount === undefined) return { ok: false, message: refusedAmountText(ctx.t, "bot", reading as RefusedAmount, text, range) };
  const checked = checkAmount(amount, range);
  return checked.ok ? checked : { ok: false, message: invalidMessage(ctx, checked, text) };
}

/** Asks a payment's amount until it is readable and within `range` (the bank's or the outlet's). */
export function askAmount(flow: Flow, ctx: FlowContext, nonce: string, range: AmountRange) {
  const question = ctx.t("bot-ask-amount", { min: formatRupiah(range.min), max: formatRupiah(range.max) });
  return askText(flow, ctx, nonce, question, (text, c) => readPaymentAmount(c, text, range));
}
