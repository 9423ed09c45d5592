/**
 * Every bank and outlet rule the gateway enforces, in one table. The bot re-asks with these, the gateway
 * client refuses to send what breaks them, and the sandbox rejects it the way Palladium would, so a
 * change in a bank's rules is one edit here.
 */

export interface AmountRange {
  readonly min: number;
  readonly max: number;
}

export const VIRTUAL_ACCOUNT_BANKS = {
  BNI: { min: 10_000, max: 50_000_000_000 },
  BCA: { min: 10_000, max: 50_000_000 },
} as const satisfies Record<string, AmountRange>;
export type VirtualAccountBank = keyof typeof VIRTUAL_ACCOUNT_BANKS;
export const VIRTUAL_ACCOUNT_BANK_CODES = Object.keys(VIRTUAL_ACCOUNT_BANKS) as VirtualAccountBank[];

export const RETAIL_OUTLETS = {
  ALFAMART: { min: 10_000, max: 5_000_000 },
} as const satisfies Record<string, AmountRange>;
export type RetailOutlet = keyof typeof RETAIL_OUTLETS;
export const RETAIL_OUTLET_NAMES = Object.keys(RETAIL_OUTLETS) as RetailOutlet[];

export interface DisbursementBankRule extends AmountRange {
  /** The name a merchant knows the bank by. */
  readonly displayName: string;
  /** Allowed account number lengths in digits, where the bank publishes them. */
  readonly accountNumberLengths: readonly number[] | null;
}

export const DISBURSEMENT_BANKS = {
  BCA: { displayName: "BCA", accountNumberLengths: [10], min: 10_000, max: 100_000_000 },
  BNI: { displayName: "BNI", accountNumberLengths: [10], min: 10_000, max: 100_000_000 },
  BRI: { displayName: "BRI", accountNumberLengths: [15], min: 10_000, max: 100_000_000 },
  MANDIRI: { displayName: "Mandiri", accountNumberLengths: [13], min: 10_000, max: 100_000_000 },
  PERMATA: { displayName: "Permata", accountNumberLengths: [10, 16], min: 10_000, max: 100_000_000 },
  CIMB: { displayName: "CIMB Niaga", accountNumberLengths: [13, 14], min: 10_000, max: 100_000_000 },
  BSI: { displayName: "BSI", accountNumberLengths: [10], min: 10_000, max: 100_000_000 },
} as const satisfies Record<string, DisbursementBankRule>;
export type DisbursementBank = keyof typeof DISBURSEMENT_BANKS;
/** The least any bank this bot sends to takes in one transfer. */
export const LEAST_DISBURSEMENT = Math.min(...Object.values(DISBURSEMENT_BANKS).map((bank) => bank.min));

/** A transfer's bank by the name owners chose it by ("CIMB Niaga" for the gateway's "CIMB"); an unknown code as it came. */
export function disbursementBankName(code: string): string {
  const key = code.toUpperCase();
  return Object.hasOwn(DISBURSEMENT_BANKS, key) ? DISBURSEMENT_BANKS[key as DisbursementBank].displayName : code;
}
export const DISBURSEMENT_BANK_CODES = Object.keys(DISBURSEMENT_BANKS) as DisbursementBank[];

/** Account numbers with no published length rule still have to look like one. */
export const ACCOUNT_NUMBER_DIGITS = { min: 6, max: 20 } as const;

export const CUSTOMER_NAME = {
  minLength: 1,
  maxLength: 64,
  /** Letters (any script), spaces and . , ' - : banks reject digits and symbols. */
  pattern: /^[\p{L} .,'-]+$/u,
  /**
   * What a phone keyboard's smart punctuation puts in place of ' and - (Ma’ruf, Nur ‘Aini, Siti–Aminah):
   * the cashier meant the plain mark, and only the plain one is in the gateway's set, so it is sent as that.
   * Quotation marks (“ ”) are not apostrophes and stay refused.
   */
  apostropheLookalikes: /[\u2018\u2019\u201B\u02BC\u2032\uFF07]/g,
  hyphenLookalikes: /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g,
  /** Names that look like an institution's are rejected by the gateway (as Xendit does). */
  forbiddenWords: ["bank", "bca", "bni", "bri", "mandiri", "permata", "cimb", "bsi", "xendit", "palladium", "pallapi"],
} as const;

export const EXTERNAL_ID_MAX_LENGTH = 64;
export const DISBURSEMENT_DESCRIPTION_MAX_LENGTH = 255;
