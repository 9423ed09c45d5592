/**
 * Failures that name the destination itself: an account number the bank does not know, or a holder's name
 * it does not match. The same transfer sent again fails the same way (and holds the day's allowance while it
 * does), so "Kirim lagi" is not offered; the owner starts a new transfer with the right details. Any other
 * failure (a bank's network, the merchant's balance, a code we do not know) may pass on a later try.
 */
const DESTINATION_WRONG = new Set(["INVALID_DESTINATION", "INVALID_ACCOUNT_DETAILS"]);

export function resendMayHelp(failureCode: string | undefined): boolean {
  return failureCode === undefined || !DESTINATION_WRONG.has(failureCode.toUpperCase());
}
