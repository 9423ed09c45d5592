export { createSandbox, SANDBOX_BODY_LIMIT, type Sandbox, type SandboxOptions, type SandboxStats } from "./sandbox.js";
export type { SandboxFault } from "./faults.js";
export type { CallbackDelivery, DeliveryAttempt, CallbackRetryPolicy } from "./callback-delivery.js";
export type { SandboxObjects, VirtualAccountAnswer, RetailPaymentAnswer, DisbursementAnswer, CreateEndpoint } from "./ledger.js";
export { SandboxError } from "./errors.js";
