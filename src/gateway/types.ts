import type { DisbursementBank, RetailOutlet, VirtualAccountBank } from "../domain/limits.js";

/** The gateway client's public contract. Amounts are whole rupiah; dates are parsed (Jakarta time). */

export interface CreateVirtualAccountInput {
  externalId: string;
  bankCode: VirtualAccountBank;
  /** The customer's name, as it shows in the payer's banking app. */
  name: string;
  amount: number;
  isSingleUse: boolean;
}

export interface VirtualAccount {
  id: string;
  /** As the gateway wrote it; absent when it wrote none (the bot does not use it). */
  status?: string | undefined;
  externalId: string;
  bankCode: VirtualAccountBank;
  accountName?: string | undefined;
  accountNumber: string;
  amount: number;
  isSingleUse: boolean;
  /** Undefined when the gateway's answer gave none that could be read. */
  expiresAt?: Date | undefined;
}

export interface CreateRetailPaymentInput {
  externalId: string;
  retailOutletName: RetailOutlet;
  name: string;
  amount: number;
}

export interface RetailPayment {
  id: string;
  status?: string | undefined;
  externalId: string;
  retailOutletName: RetailOutlet;
  name?: string | undefined;
  paymentCode: string;
  amount: number;
  isSingleUse: boolean;
  /** Undefined when the gateway's answer gave none that could be read. */
  expiresAt?: Date | undefined;
}

export interface CreateDisbursementInput {
  externalId: string;
  bankCode: DisbursementBank;
  accountName: string;
  accountNumber: string;
  description: string;
  amount: number;
  emailTo?: string | undefined;
  emailCc?: string | undefined;
  emailBcc?: string | undefined;
}

export interface Disbursement {
  id: string;
  /** DESIGN.md shows "PENDING"; a gateway may answer "FAILED" at once (with its failure code). */
  status?: string | undefined;
  failureCode?: string | undefined;
  externalId: string;
  bankCode: DisbursementBank;
  accountName?: string | undefined;
  accountNumber: string;
  description?: string | undefined;
  amount: number;
}

export interface GatewayClient {
  createVirtualAccount(input: CreateVirtualAccountInput): Promise<VirtualAccount>;
  createRetailPayment(input: CreateRetailPaymentInput): Promise<RetailPayment>;
  createDisbursement(input: CreateDisbursementInput): Promise<Disbursement>;
}

/**
 * What went wrong, as a code a caller can act on:
 * - INVALID_INPUT: refused before sending (our limits table); nothing reached the network.
 * - BAD_KEY: 401/403, the API key is wrong or revoked.
 * - VALIDATION: the gateway refused a field (400); `gatewayMessage` says which.
 * - DUPLICATE_EXTERNAL_ID: 409, the external_id was used before.
 * - UNAVAILABLE: 5xx, timeout or connection failure after the bounded retries.
 * - UNEXPECTED_RESPONSE: a 2xx (or error) body that is not the documented JSON.
 * - NOT_AS_ASKED: a 2xx whose object differs from the request in what the customer pays or the money goes
 *   to (amount, bank or outlet, single use, account number); `field` names it. The object exists at the
 *   gateway, but it is not the one confirmed, so it must not be handed out (a trying again gets the same).
 */
export type GatewayErrorCode =
  | "INVALID_INPUT"
  | "BAD_KEY"
  | "VALIDATION"
  | "DUPLICATE_EXTERNAL_ID"
  | "UNAVAILABLE"
  | "UNEXPECTED_RESPONSE"
  | "NOT_AS_ASKED";

export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly details: {
      httpStatus?: number | undefined;
      /** The gateway's own words: shown in chat, so scrubbed of the API key and any "Bearer/Basic <token>", without a stack trace, 200 characters at most (gateway-words.ts). */
      gatewayErrorCode?: string | undefined;
      gatewayMessage?: string | undefined;
      /** For INVALID_INPUT: which rule (see domain/validation.ts InvalidReason). */
      reason?: string | undefined;
      /** For INVALID_INPUT: the refused field, in the gateway's words ("amount", "name", ...); for NOT_AS_ASKED, the one that differs. */
      field?: string | undefined;
      /** For NOT_AS_ASKED: what the gateway answered for that field, as text (the gateway's own word: shown to the owner). */
      answered?: string | undefined;
      /**
       * How many requests were sent. A DUPLICATE_EXTERNAL_ID with attempts > 1 means an earlier attempt may
       * have created the object and the gateway did not honour X-Idempotency-Key: the object may be ours.
       */
      attempts?: number | undefined;
    } = {},
  ) {
    super(message);
  }
}
