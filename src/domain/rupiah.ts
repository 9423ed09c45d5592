/**
 * Rupiah as shop people type and read it. Amounts are always whole rupiah in a safe integer.
 */

const idr = new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0, minimumFractionDigits: 0 });
const plain = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

/** "Rp 150.000" (Indonesian grouping, whatever the chat language: it is the currency's own convention). */
export function formatRupiah(amount: number): string {
  // Intl puts a no-break space after "Rp"; a plain space copies and forwards better.
  return idr.format(amount).replace(/\u00a0/g, " ");
}

/** "150.000" without the currency sign. */
export function formatAmountDigits(amount: number): string {
  return plain.format(amount);
}

const MULTIPLIERS: Record<string, number> = {
  rb: 1_000,
  ribu: 1_000,
  k: 1_000,
  rbu: 1_000,
  jt: 1_000_000,
  juta: 1_000_000,
  mio: 1_000_000,
  miliar: 1_000_000_000,
  milyar: 1_000_000_000,
};

/**
 * A bare "m" or "M" is two amounts a thousand times apart: "2M" is two million to an English speaker and
 * two miliar on an Indonesian price tag (and "m" is million, or a typo for either). Never picked: refused.
 */
const AMBIGUOUS_SUFFIX = "m";

/** What was typed as an amount: whole rupiah, or why not (each refusal has its own words in the chat). */
export type RupiahReading =
  | { ok: true; amount: number }
  | { ok: false; reason: "unreadable" }
  /** A readable amount with a minus sign before it ("-5000", "Rp -5.000", "−50rb"). */
  | { ok: false; reason: "negative" }
  /** "2M", "1,5m": whole rupiah both as juta and as miliar; `number` is the number as typed ("1,5"). */
  | { ok: false; reason: "ambiguous_m"; number: string; asJuta: number; asMiliar: number }
  /**
   * "1,500rb", "1.500k": one group of three digits before a suffix is a decimal to some ("1,5 ribu") and
   * thousands to others ("1.500 ribu"), a thousand times apart: the two readings, smaller first.
   */
  | { ok: false; reason: "ambiguous_separator"; smaller: number; larger: number }
  /**
   * "150.000,50", "1500.25": rupiah with sen, which no payment here can carry; the whole rupiah either side,
   * so the answer can offer both instead of rounding money for the cashier.
   */
  | { ok: false; reason: "sen"; below: number; above: number }
  /** Digits that read as a number too large to be any amount here (past the safe integers): answered with the maximum. */
  | { ok: false; reason: "huge" };

const UNREADABLE = { ok: false, reason: "unreadable" } as const;

/**
 * Reads an amount as typed in a shop: "150000", "150.000", "Rp 150.000", "Rp150.000,-", "150rb",
 * "150 ribu", "1,5jt", "1.5 jt", "2 juta", "2 miliar". Anything it cannot read as whole rupiah is refused,
 * so the caller re-asks instead of guessing (grammY's form.int reads "50.000" as 50; this must not).
 */
export function readRupiah(input: string): RupiahReading {
  const text = input.trim();
  if (text.length === 0 || text.length > 40) return UNREADABLE;
  // A minus (hyphen or the typographic one) before or after "Rp": an amount, but not one that can be asked for.
  const signed = /^(rp\.?\s*)?[-\u2212]\s*(.*)$/is.exec(text);
  if (signed) {
    const unsigned = readUnsigned(`${signed[1] ?? ""}${signed[2] ?? ""}`);
    return unsigned.ok || unsigned.reason !== "unreadable" ? { ok: false, reason: "negative" } : UNREADABLE;
  }
  return readUnsigned(text);
}

/** readRupiah for callers that only need the amount: null for anything refused. */
export function parseRupiah(input: string): number | null {
  const reading = readRupiah(input);
  return reading.ok ? reading.amount : null;
}

function readUnsigned(typed: string): RupiahReading {
  const text = typed.replace(/^rp\.?\s*/i, "").replace(/,-$/, "").replace(/\s+/g, " ").trim();
  const match = /^(\d[\d.,]*|\d*[.,]\d+)\s*([a-zA-Z]+)?$/.exec(text);
  if (!match) return UNREADABLE;
  const [, numberPart = "", rawSuffix] = match;
  if (rawSuffix === undefined) {
    const whole = wholeRupiah(readGroupedInteger(numberPart));
    return whole.ok ? whole : (readWithSen(numberPart) ?? whole);
  }
  const suffix = rawSuffix.toLowerCase();
  if (suffix === AMBIGUOUS_SUFFIX) {
    // Only when both readings are whole rupiah is it a question of which; otherwise it is a typo.
    const asJuta = wholeRupiah(readTimes(numberPart, 1_000_000));
    const asMiliar = wholeRupiah(readTimes(numberPart, 1_000_000_000));
    if (!asJuta.ok || !asMiliar.ok) return UNREADABLE;
    return { ok: false, reason: "ambiguous_m", number: numberPart, asJuta: asJuta.amount, asMiliar: asMiliar.amount };
  }
  const multiplier = MULTIPLIERS[suffix];
  if (multiplier === undefined) return UNREADABLE;
  const oneGroup = /^(\d{1,3})[.,](\d{3})$/.exec(numberPart);
  if (oneGroup && multiplier >= 1_000) {
    const [, whole = "", three = ""] = oneGroup;
    const larger = Number(`${whole}${three}`) * multiplier;
    const smaller = readTimes(`${whole},${three}`, multiplier);
    if (smaller !== null && Number.isSafeInteger(larger) && smaller !== larger) return { ok: false, reason: "ambiguous_separator", smaller, larger };
  }
  return wholeRupiah(readTimes(numberPart, multiplier));
}

function wholeRupiah(amount: number | null): RupiahReading {
  if (amount !== null && Number.isSafeInteger(amount)) return { ok: true, amount };
  return amount !== null && amount > Number.MAX_SAFE_INTEGER ? { ok: false, reason: "huge" } : UNREADABLE;
}

/** "150.000", "150,000", "150000", "150.000,00" -> 150000; "150.5" -> null (no sen in rupiah amounts). */
function readGroupedInteger(text: string): number | null {
  const withoutZeroSen = text.replace(/,(00?)$/, "");
  if (/^\d+$/.test(withoutZeroSen)) return Number(withoutZeroSen);
  if (/^\d{1,3}(\.\d{3})+$/.test(withoutZeroSen)) return Number(withoutZeroSen.replace(/\./g, ""));
  if (/^\d{1,3}(,\d{3})+$/.test(text)) return Number(text.replace(/,/g, ""));
  return null;
}

/**
 * "150.000,50" (Indonesian decimal comma) or "150,000.50" / "1500.5" (a decimal point): sen ("15000.00" is
 * whole rupiah). Only from a thousand rupiah up, where the sen cannot be a typo'd thousands group ("150.5"
 * may be 150.500).
 */
function readWithSen(text: string): RupiahReading | null {
  const match = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d{1,2})$/.exec(text) ?? /^(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})$/.exec(text);
  if (!match) return null;
  const below = Number((match[1] ?? "").replace(/[.,]/g, ""));
  if (!Number.isSafeInteger(below + 1) || below < 1_000) return null;
  if (/^0+$/.test(match[2] ?? "")) return { ok: true, amount: below };
  return { ok: false, reason: "sen", below, above: below + 1 };
}

/**
 * "1,5" jt, "1.5" jt, "150" rb, "1.500" (thousands) rb -> whole rupiah, in digits rather than floating point:
 * a fraction with more digits than the suffix has zeros ("1,0000005jt") is not whole rupiah but a typo.
 */
function readTimes(text: string, multiplier: number): number | null {
  if (/^\d+$/.test(text)) return Number(text) * multiplier;
  if (/^\d{1,3}(\.\d{3})+$/.test(text)) return Number(text.replace(/\./g, "")) * multiplier;
  const decimal = /^(\d*)[.,](\d+)$/.exec(text);
  if (!decimal) return null;
  const zeros = String(multiplier).length - 1;
  const [, whole = "", fraction = ""] = decimal;
  if (fraction.length > zeros) return null;
  return Number(`${whole}${fraction.padEnd(zeros, "0")}`);
}

/**
 * How a payment stands against what was asked: short or over, by how much; undefined when they agree (or
 * nothing was asked). A cashier must never read a partial payment as paid in full.
 */
export function paidAgainstAsked(paid: number, asked: number | undefined): { kind: "short" | "over"; difference: number } | undefined {
  if (asked === undefined || asked === paid) return undefined;
  return { kind: paid < asked ? "short" : "over", difference: Math.abs(asked - paid) };
}
