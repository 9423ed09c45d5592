import type { InvalidReason } from "../domain/validation.js";

/**
 * One sentence per refused field, for error messages and logs (developer-facing, like a gateway's
 * `message`). Merchants never see these: the bot words InvalidReason through its locales.
 */
export function describeInvalid(field: string, r: InvalidReason): string {
  switch (r.reason) {
    case "amount_not_integer":
      return `${field} must be a whole number of rupiah`;
    case "amount_too_small":
      return `${field} must be at least ${r.min}`;
    case "amount_too_large":
      return `${field} must be at most ${r.max}`;
    case "name_empty":
      return `${field} must not be empty`;
    case "name_too_long":
      return `${field} must be at most ${r.max} characters`;
    case "name_bad_characters":
      return `${field} may hold only letters, spaces and . , ' -`;
    case "name_institution":
      return `${field} must not contain an institution's name ("${r.word}")`;
    case "unknown_bank":
      return `${field} is not a supported bank`;
    case "unknown_outlet":
      return `${field} is not a supported retail outlet`;
    case "account_number_not_digits":
      return `${field} must be digits`;
    case "account_number_length":
      return `${field} must be ${r.lengths.join(" or ")} digits long`;
    case "external_id_invalid":
      return `${field} must be 1 to ${r.max} characters of A-Z, a-z, 0-9, _ . : -`;
    case "description_invalid":
      return `${field} must be 1 to ${r.max} characters without control characters`;
    case "email_invalid":
      return `${field} is not an email address`;
  }
}
