export {
  countReportedExtra,
  createDisbursementAllowance,
  dailyCounterKey,
  jakartaDay,
  releaseDisbursementAllowance,
  reservationKey,
  retakeDisbursementAllowance,
  type AllowanceOptions,
  type DisbursementAllowance,
  type Reservation,
  type ReserveResult,
} from "./allowance.js";
export {
  confirmKey,
  createDisbursementDesk,
  MAX_RESEND_CHAIN,
  SENDS_QUEUE,
  sendEntryId,
  settleOverdueSend,
  type Claim,
  type DeskOptions,
  type DisbursementDesk,
  type DisbursementDetails,
  type DisbursementDraft,
  type DraftState,
  type PressRefusal,
  type SendOutcome,
  type WatchedSend,
} from "./desk.js";
export { disbursementSendBoundMs, SEND_BOUND_MARGIN_MS, type GatewayTiming } from "./send-bound.js";
export { createSendWatch, type SendWatch, type SendWatchOptions } from "./watch.js";
export { resendMayHelp } from "./failure-codes.js";
