export {
  createDisbursementAllowance,
  dailyCounterKey,
  jakartaDay,
  releaseDisbursementAllowance,
  reservationKey,
  type AllowanceOptions,
  type AmountCheck,
  type DisbursementAllowance,
  type Reservation,
  type ReserveResult,
} from "./allowance.js";
export {
  confirmKey,
  createDisbursementDesk,
  type Claim,
  type DeskOptions,
  type DisbursementDesk,
  type DisbursementDetails,
  type DisbursementDraft,
  type DraftState,
  type PressRefusal,
  type SendOutcome,
} from "./desk.js";
