import { toGatewayDateTime } from "../domain/jakarta-time.js";
import type { DisbursementBank, RetailOutlet, VirtualAccountBank } from "../domain/limits.js";
import { checkVirtualAccountAmount, checkRetailAmount } from "../domain/validation.js";
import type {
  DisbursementCallback,
  RetailOutletPaidCallback,
  VirtualAccountCreatedCallback,
  VirtualAccountPaidCallback,
} from "../gateway/callbacks.js";
import { describeInvalid } from "../gateway/describe-invalid.js";
import { SandboxError, validationError } from "./errors.js";
import type { IdSource } from "./ids.js";
import type { DisbursementRequest, RetailPaymentRequest, VirtualAccountRequest } from "./request-fields.js";

/**
 * The sandbox's memory: every object created, every simulated payment. A restart forgets, as a sandbox
 * should. Answers and callback payloads are built here so their shapes live next to the state they show.
 */

export type CreateEndpoint = "create-virtual-account" | "create-retail-payment" | "create-disbursement";

/** The documented answers (palladium-api.md), field for field. */
export interface VirtualAccountAnswer {
  id: string;
  status: string;
  external_id: string;
  bank_code: VirtualAccountBank;
  account_name: string;
  account_number: string;
  amount: number;
  is_single_use: boolean;
  expiration_date: string;
}
export interface RetailPaymentAnswer {
  id: string;
  status: string;
  external_id: string;
  retail_outlet_name: RetailOutlet;
  name: string;
  payment_code: string;
  amount: number;
  is_single_use: boolean;
  expiration_date: string;
}
export interface DisbursementAnswer {
  id: string;
  status: string;
  external_id: string;
  bank_code: DisbursementBank;
  account_name: string;
  account_number: string;
  description: string;
  amount: number;
}

interface VirtualAccountRecord {
  answer: VirtualAccountAnswer;
  name: string;
  merchantCode: string;
  expiresAt: Date;
  created: Date;
  payments: VirtualAccountPaidCallback[];
}
interface RetailPaymentRecord {
  answer: RetailPaymentAnswer;
  prefix: string;
  expiresAt: Date;
  created: Date;
  payments: RetailOutletPaidCallback[];
}
interface DisbursementRecord {
  answer: DisbursementAnswer;
  emails: { to?: string; cc?: string; bcc?: string };
  created: Date;
  outcome: DisbursementCallback | null;
}

/** What GET /sandbox/objects shows: the documented answer plus what happened since. */
export interface SandboxObjects {
  virtual_accounts: (VirtualAccountAnswer & { created: string; payments: VirtualAccountPaidCallback[] })[];
  retail_payments: (RetailPaymentAnswer & { created: string; payments: RetailOutletPaidCallback[] })[];
  disbursements: (DisbursementAnswer & { created: string; outcome: DisbursementCallback | null })[];
}

/** See `adopt`. */
export type AdoptedObject =
  | { kind: "virtual_account"; answer: VirtualAccountAnswer; expiresAt: Date }
  | { kind: "retail"; answer: RetailPaymentAnswer; expiresAt: Date }
  | { kind: "disbursement"; answer: DisbursementAnswer };

// Like Xendit's test mode, whose answers Palladium passes through: "XDT-" names, "TEST" payment codes.
const ACCOUNT_NAME_PREFIX = "XDT-";
const PAYMENT_CODE_PREFIX = "TEST";
const BANK_PREFIX: Record<VirtualAccountBank, string> = { BNI: "8808", BCA: "1076" };
/** The docs' example expires in 2052: Palladium's codes practically never expire unless told to. */
export const DEFAULT_EXPIRY_MS = 30 * 365 * 24 * 3600_000;

export function createLedger(deps: { ids: IdSource; now: () => Date; ownerId: string; expiryMs: number }) {
  const { ids, now } = deps;
  const virtualAccounts: VirtualAccountRecord[] = [];
  const retailPayments: RetailPaymentRecord[] = [];
  const disbursements: DisbursementRecord[] = [];

  const unique = (make: () => string, taken: (value: string) => boolean): string => {
    // Collisions are astronomically rare; the bound only keeps a broken random source from spinning.
    for (let i = 0; i < 1000; i++) {
      const value = make();
      if (!taken(value)) return value;
    }
    throw new SandboxError(503, "SERVICE_UNAVAILABLE", "could not allocate a unique number");
  };
  const newId = () =>
    unique(
      () => ids.hex(32),
      (id) => virtualAccounts.some((v) => v.answer.id === id) || retailPayments.some((r) => r.answer.id === id) || disbursements.some((d) => d.answer.id === id),
    );
  const iso = (d: Date) => d.toISOString();
  // Whole seconds, so the answer's "YYYY-MM-DD HH:mm:ss" and the callback's ISO time are the same instant.
  const expiry = () => new Date(Math.floor((now().getTime() + deps.expiryMs) / 1000) * 1000);

  function duplicate(kind: string, externalId: string): never {
    throw new SandboxError(409, "DUPLICATE_EXTERNAL_ID", `external_id ${externalId} is already used by another ${kind}`);
  }

  function findVirtualAccount(ref: string): VirtualAccountRecord {
    const found = virtualAccounts.find((v) => v.answer.external_id === ref || v.answer.id === ref);
    if (!found) throw new SandboxError(404, "VIRTUAL_ACCOUNT_NOT_FOUND", `no virtual account with external_id or id ${ref}`);
    return found;
  }
  function findRetailPayment(ref: string): RetailPaymentRecord {
    const found = retailPayments.find((r) => r.answer.external_id === ref || r.answer.id === ref);
    if (!found) throw new SandboxError(404, "RETAIL_PAYMENT_NOT_FOUND", `no retail payment with external_id or id ${ref}`);
    return found;
  }
  function findDisbursement(ref: string): DisbursementRecord {
    const found = disbursements.find((d) => d.answer.external_id === ref || d.answer.id === ref);
    if (!found) throw new SandboxError(404, "DISBURSEMENT_NOT_FOUND", `no disbursement with external_id or id ${ref}`);
    return found;
  }

  return {
    createVirtualAccount(req: VirtualAccountRequest): { answer: VirtualAccountAnswer; created: VirtualAccountCreatedCallback } {
      if (virtualAccounts.some((v) => v.answer.external_id === req.externalId)) duplicate("virtual account", req.externalId);
      const prefix = BANK_PREFIX[req.bankCode];
      const accountNumber = unique(
        () => prefix + ids.digits(16 - prefix.length),
        (n) => virtualAccounts.some((v) => v.answer.account_number === n),
      );
      const created = now();
      const expiresAt = expiry();
      const record: VirtualAccountRecord = {
        answer: {
          id: newId(),
          status: "pending",
          external_id: req.externalId,
          bank_code: req.bankCode,
          account_name: ACCOUNT_NAME_PREFIX + req.name,
          account_number: accountNumber,
          amount: req.amount,
          is_single_use: req.isSingleUse,
          expiration_date: toGatewayDateTime(expiresAt),
        },
        name: req.name,
        merchantCode: accountNumber.slice(0, 5),
        expiresAt,
        created,
        payments: [],
      };
      virtualAccounts.push(record);
      return {
        answer: { ...record.answer },
        created: {
          id: record.answer.id,
          owner_id: deps.ownerId,
          external_id: req.externalId,
          merchant_code: record.merchantCode,
          account_number: accountNumber,
          bank_code: req.bankCode,
          name: req.name,
          is_closed: true,
          is_single_use: req.isSingleUse,
          expiration_date: iso(expiresAt),
          status: "ACTIVE",
          created: iso(created),
          updated: iso(created),
        },
      };
    },

    createRetailPayment(req: RetailPaymentRequest): RetailPaymentAnswer {
      if (retailPayments.some((r) => r.answer.external_id === req.externalId)) duplicate("retail payment", req.externalId);
      const paymentCode = unique(
        () => PAYMENT_CODE_PREFIX + ids.digits(6),
        (c) => retailPayments.some((r) => r.answer.payment_code === c),
      );
      const expiresAt = expiry();
      const record: RetailPaymentRecord = {
        answer: {
          id: newId(),
          status: "pending",
          external_id: req.externalId,
          retail_outlet_name: req.retailOutletName,
          name: req.name,
          payment_code: paymentCode,
          amount: req.amount,
          is_single_use: false,
          expiration_date: toGatewayDateTime(expiresAt),
        },
        prefix: PAYMENT_CODE_PREFIX,
        expiresAt,
        created: now(),
        payments: [],
      };
      retailPayments.push(record);
      return { ...record.answer };
    },

    createDisbursement(req: DisbursementRequest): DisbursementAnswer {
      if (disbursements.some((d) => d.answer.external_id === req.externalId)) duplicate("disbursement", req.externalId);
      const record: DisbursementRecord = {
        answer: {
          id: newId(),
          status: "pending",
          external_id: req.externalId,
          bank_code: req.bankCode,
          account_name: req.accountName,
          account_number: req.accountNumber,
          description: req.description,
          amount: req.amount,
        },
        emails: { to: req.emailTo, cc: req.emailCc, bcc: req.emailBcc },
        created: now(),
        outcome: null,
      };
      disbursements.push(record);
      return { ...record.answer };
    },

    /** A customer pays the VA (by default exactly the expected amount). Single-use VAs take one payment. */
    payVirtualAccount(ref: string, amount?: number, senderName?: string): VirtualAccountPaidCallback {
      const va = findVirtualAccount(ref);
      if (va.answer.is_single_use && va.payments.length > 0) {
        throw new SandboxError(409, "VIRTUAL_ACCOUNT_ALREADY_PAID", `single-use virtual account ${va.answer.external_id} is already paid`);
      }
      // A bank refuses a transfer to an expired VA: the customer's money never leaves, no callback comes.
      if (now() >= va.expiresAt) {
        throw new SandboxError(409, "VIRTUAL_ACCOUNT_EXPIRED", `virtual account ${va.answer.external_id} expired at ${va.answer.expiration_date}`);
      }
      const paid = amount ?? va.answer.amount;
      const check = checkVirtualAccountAmount(va.answer.bank_code, paid);
      if (!check.ok) throw validationError(describeInvalid("amount", check));
      const at = iso(now());
      const payment: VirtualAccountPaidCallback = {
        id: ids.hex(24),
        payment_id: ids.hex(24),
        callback_virtual_account_id: va.answer.id,
        owner_id: deps.ownerId,
        external_id: va.answer.external_id,
        account_number: va.answer.account_number,
        bank_code: va.answer.bank_code,
        amount: paid,
        merchant_code: va.merchantCode,
        transaction_timestamp: at,
        created: at,
        updated: at,
        ...(senderName ? { sender_name: senderName } : {}),
      };
      va.payments.push(payment);
      if (va.answer.is_single_use) va.answer.status = "paid";
      return structuredClone(payment);
    },

    /** A customer pays the Alfamart code at the till. Codes are multi-use, as the docs' answer says. */
    payRetail(ref: string, amount?: number): RetailOutletPaidCallback {
      const rp = findRetailPayment(ref);
      if (now() >= rp.expiresAt) {
        throw new SandboxError(409, "PAYMENT_CODE_EXPIRED", `payment code ${rp.answer.payment_code} expired at ${rp.answer.expiration_date}`);
      }
      const paid = amount ?? rp.answer.amount;
      const check = checkRetailAmount(rp.answer.retail_outlet_name, paid);
      if (!check.ok) throw validationError(describeInvalid("amount", check));
      const payment: RetailOutletPaidCallback = {
        id: ids.hex(24),
        payment_id: ids.hex(24),
        fixed_payment_code_id: rp.answer.id,
        fixed_payment_code_payment_id: ids.hex(24),
        owner_id: deps.ownerId,
        external_id: rp.answer.external_id,
        retail_outlet_name: rp.answer.retail_outlet_name,
        prefix: rp.prefix,
        payment_code: rp.answer.payment_code,
        name: rp.answer.name,
        amount: paid,
        status: "COMPLETED",
        transaction_timestamp: iso(now()),
      };
      rp.payments.push(payment);
      rp.answer.status = "paid";
      return structuredClone(payment);
    },

    /** The bank settles (or refuses) a pending disbursement; it happens once. */
    settleDisbursement(ref: string, outcome: { status: "COMPLETED" } | { status: "FAILED"; failureCode: string }): DisbursementCallback {
      const d = findDisbursement(ref);
      if (d.outcome) throw new SandboxError(409, "DISBURSEMENT_ALREADY_SETTLED", `disbursement ${d.answer.external_id} is already ${d.outcome.status}`);
      const at = iso(now());
      const callback: DisbursementCallback = {
        id: d.answer.id,
        user_id: deps.ownerId,
        external_id: d.answer.external_id,
        amount: d.answer.amount,
        bank_code: d.answer.bank_code,
        account_holder_name: d.answer.account_name,
        disbursement_description: d.answer.description,
        status: outcome.status,
        ...(outcome.status === "FAILED" ? { failure_code: outcome.failureCode } : {}),
        created: iso(d.created),
        updated: at,
      };
      d.outcome = callback;
      d.answer.status = outcome.status.toLowerCase();
      return structuredClone(callback);
    },

    /**
     * An object this sandbox made before a restart, as the shop recorded it (the ledger lives in memory; the
     * shop's store does not): known again, with no payments or result yet. One it knows is left as it is.
     */
    adopt(object: AdoptedObject): void {
      const created = now();
      if (object.kind === "virtual_account") {
        if (virtualAccounts.some((v) => v.answer.external_id === object.answer.external_id)) return;
        const { answer } = object;
        virtualAccounts.push({
          answer: { ...answer },
          name: answer.account_name.replace(ACCOUNT_NAME_PREFIX, ""),
          merchantCode: answer.account_number.slice(0, 5),
          expiresAt: object.expiresAt,
          created,
          payments: [],
        });
      } else if (object.kind === "retail") {
        if (retailPayments.some((r) => r.answer.external_id === object.answer.external_id)) return;
        retailPayments.push({ answer: { ...object.answer }, prefix: PAYMENT_CODE_PREFIX, expiresAt: object.expiresAt, created, payments: [] });
      } else {
        if (disbursements.some((d) => d.answer.external_id === object.answer.external_id)) return;
        disbursements.push({ answer: { ...object.answer }, emails: {}, created, outcome: null });
      }
    },

    objects(): SandboxObjects {
      return structuredClone({
        virtual_accounts: virtualAccounts.map((v) => ({ ...v.answer, created: iso(v.created), payments: v.payments })),
        retail_payments: retailPayments.map((r) => ({ ...r.answer, created: iso(r.created), payments: r.payments })),
        disbursements: disbursements.map((d) => ({ ...d.answer, created: iso(d.created), outcome: d.outcome })),
      });
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
