import type { GatewayErrorCode } from "./types.js";

/** What a failed create tells about the gateway's side: the fields of a GatewayError that say it. */
export interface CreateFailure {
  code: GatewayErrorCode | "UNKNOWN";
  httpStatus?: number | undefined;
  /** Requests sent for it; absent in failures saved before it was kept (read as the doubtful case). */
  attempts?: number | undefined;
}

/**
 * Whether the gateway may hold the object (a VA, a code, a transfer) though no answer said so: the answer
 * never came (timeout, a dropped connection), was a 5xx or a redirect (a POST answered "303 See Other" may
 * well have been made), or came unreadable with a 2xx. Only a clear refusal (our own check, a bad key, a
 * refused field, a first try's 4xx such as a 429 or a firewall's page) proves nothing was made: a transfer
 * told "not sent" is sent again by the owner. The client retries only after no answer or a 5xx, so any
 * failure on a later attempt follows one that may have made it.
 */
export function mayHaveMade(failure: CreateFailure): boolean {
  if ((failure.attempts ?? 1) > 1) return true;
  switch (failure.code) {
    case "INVALID_INPUT":
    case "BAD_KEY":
    case "VALIDATION":
      return false;
    case "UNAVAILABLE":
      return failure.httpStatus !== 429;
    case "UNEXPECTED_RESPONSE":
      return failure.httpStatus === undefined || failure.httpStatus < 400 || failure.httpStatus >= 500;
    default:
      // A 409 on an external_id made for this one alone can only be an earlier try of ours; NOT_AS_ASKED was
      // made (as something else); UNKNOWN (our own code threw) says nothing either way.
      return true;
  }
}
