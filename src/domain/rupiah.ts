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
  m: 1_000_000,
  mio: 1_000_000,
  miliar: 1_000_000_000,
  milyar: 1_000_000_000,
  M: 1_000_000_000,
};

/**
 * Reads an amount as typed in a shop: "150000", "150.000", "Rp 150.000", "Rp150.000,-", "150rb",
 * "150 ribu", "1,5jt", "1.5 jt", "2 juta". Returns null for anything it cannot read as whole rupiah, so
 * the caller re-asks instead of guessing (grammY's form.int reads "50.000" as 50; this must not).
 */
export function parseRupiah(input: string): number | null {
  let text = input.trim();
  if (text.length === 0 || text.length > 40) return null;
  text = text.replace(/^rp\.?\s*/i, "").replace(/,-$/, "").replace(/\s+/g, " ").trim();
  const match = /^(\d[\d.,]*|\d*[.,]\d+)\s*([a-zA-Z]+)?$/.exec(text);
  if (!match) return null;
  const [, numberPart = "", rawSuffix] = match;
  let multiplier = 1;
  if (rawSuffix !== undefined) {
    // "M" alone means miliar in Indonesian price tags; any other suffix is case-insensitive.
    const suffix = rawSuffix === "M" ? "M" : rawSuffix.toLowerCase();
    const found = MULTIPLIERS[suffix];
    if (found === undefined) return null;
    multiplier = found;
  }
  const value = multiplier === 1 ? readGroupedInteger(numberPart) : readDecimal(numberPart);
  if (value === null) return null;
  const amount = Math.round(value * multiplier);
  // A suffix with more precision than whole rupiah ("1,0000005jt") is a typo, not a price.
  if (Math.abs(amount - value * multiplier) > 1e-6 * Math.max(1, multiplier)) return null;
  return Number.isSafeInteger(amount) ? amount : null;
}

/** "150.000", "150,000", "150000", "150.000,00" -> 150000; "150.5" -> null (no sen in rupiah amounts). */
function readGroupedInteger(text: string): number | null {
  const withoutZeroSen = text.replace(/,(00?)$/, "");
  if (/^\d+$/.test(withoutZeroSen)) return Number(withoutZeroSen);
  if (/^\d{1,3}(\.\d{3})+$/.test(withoutZeroSen)) return Number(withoutZeroSen.replace(/\./g, ""));
  if (/^\d{1,3}(,\d{3})+$/.test(text)) return Number(text.replace(/,/g, ""));
  return null;
}

/** "1,5", "1.5", "150", "1.500" (thousands) -> number, for use before a multiplier. */
function readDecimal(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d{1,3}(\.\d{3})+$/.test(text)) return Number(text.replace(/\./g, ""));
  if (/^\d*[.,]\d+$/.test(text)) return Number(text.replace(",", "."));
  return null;
}
