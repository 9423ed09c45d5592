import { toGatewayDateTime } from "./domain/jakarta-time.js";
import { isDisbursementBank, isVirtualAccountBank } from "./domain/validation.js";
import type { Sandbox } from "./sandbox/index.js";
import type { PaymentRecord } from "./store/types.js";

/**
 * Sandbox mode's buttons that play the customer (pay a VA or an Alfamart code) and the bank (a transfer's
 * result) on the in-process sandbox. Its callbacks then come the real way, over HTTP to the webhook.
 *
 * The sandbox keeps its objects in memory, while the shop's store outlives the process: after a restart a
 * button names an object this sandbox never made, and it answered "not found" for good. So each play first
 * shows the sandbox the shop's record of the object (known already, it is left as it is).
 */
export function sandboxModePlays(sandbox: Sandbox) {
  return {
    async simulatePayment(record: PaymentRecord): Promise<void> {
      adoptIntoSandbox(sandbox, record);
      if (record.kind === "virtual_account") sandbox.payVirtualAccount(record.externalId);
      else if (record.kind === "retail") sandbox.payRetail(record.externalId);
    },
    async simulateTransferResult(record: PaymentRecord, result: "completed" | "failed"): Promise<void> {
      adoptIntoSandbox(sandbox, record);
      if (result === "completed") sandbox.completeDisbursement(record.externalId);
      else sandbox.failDisbursement(record.externalId);
    },
  };
}

/**
 * Shows the sandbox the shop's record of a payment or transfer, in the words of the sandbox's answer to its
 * create; one it knows already is left as it is.
 */
export function adoptIntoSandbox(sandbox: Sandbox, record: PaymentRecord): void {
  // No expiry recorded: one the sandbox's own way, far off, rather than "expired" for good.
  const expiresAt = record.expiresAt !== undefined ? new Date(record.expiresAt) : new Date(Date.now() + 365 * 24 * 3600_000);
  // A transfer recorded before the gateway's answer has no gateway id; its result's event still needs one.
  const base = { id: record.gatewayId || `adopted-${record.externalId}`, status: "pending", external_id: record.externalId, amount: record.amount };
  if (record.kind === "virtual_account" && record.bankCode !== undefined && isVirtualAccountBank(record.bankCode)) {
    const answer = {
      ...base,
      bank_code: record.bankCode,
      account_name: record.customerName,
      account_number: record.accountNumber ?? "",
      is_single_use: record.isSingleUse !== false,
      expiration_date: toGatewayDateTime(expiresAt),
    };
    sandbox.adopt({ kind: "virtual_account", answer, expiresAt });
  } else if (record.kind === "retail") {
    const answer = {
      ...base,
      retail_outlet_name: "ALFAMART" as const,
      name: record.customerName,
      payment_code: record.paymentCode ?? "",
      is_single_use: false,
      expiration_date: toGatewayDateTime(expiresAt),
    };
    sandbox.adopt({ kind: "retail", answer, expiresAt });
  } else if (record.kind === "disbursement" && record.bankCode !== undefined && isDisbursementBank(record.bankCode)) {
    const answer = {
      ...base,
      bank_code: record.bankCode,
      account_name: record.customerName,
      account_number: record.accountNumber ?? "",
      description: record.description ?? "",
    };
    sandbox.adopt({ kind: "disbursement", answer });
  }
}
