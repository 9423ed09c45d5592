import { z } from "zod";
import type { CreateEndpoint } from "./ledger.js";

/**
 * Gateway trouble on demand, for tests of the client's retries and timeouts. Each fault applies to the
 * next matching create request(s), then is used up.
 */
export const sandboxFaultSchema = z.object({
  /** Which create endpoint it hits; any when omitted. */
  endpoint: z.enum(["create-virtual-account", "create-retail-payment", "create-disbursement"]).optional(),
  /**
   * "before": the fault strikes before the request is read, nothing is created. "after" (default): the
   * request is processed (the object is created) and then the answer is lost, as when a gateway
   * times out behind its load balancer: a retry must find the original through X-Idempotency-Key.
   */
  when: z.enum(["before", "after"]).optional(),
  /** Answer this status instead of the real answer; 0 drops the connection (a reset). Omit to answer normally after the delay. */
  status: z.number().int().min(0).max(599).optional(),
  /** Wait this long before answering (a slow gateway). */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Never answer (until the sandbox closes): a gateway that hangs. */
  hang: z.boolean().optional(),
  /** The faulty answer's raw body (an HTML error page, a wrong JSON shape); a JSON error body by default. */
  body: z.string().max(100_000).optional(),
  contentType: z.string().max(200).optional(),
  /**
   * Fields of the real answer replaced before it is sent (after the object is made as asked): a gateway
   * that answers with something other than the request, another amount or bank, say. With a status, unused.
   */
  answerChanges: z.record(z.string(), z.unknown()).optional(),
  /** How many requests it hits. Default 1. */
  times: z.number().int().min(1).max(1000).optional(),
});
export type SandboxFault = z.infer<typeof sandboxFaultSchema>;

export function createFaultQueue(initial: readonly SandboxFault[] = []) {
  let queue: { fault: SandboxFault; remaining: number }[] = [];
  const add = (fault: SandboxFault) => queue.push({ fault: sandboxFaultSchema.parse(fault), remaining: fault.times ?? 1 });
  initial.forEach(add);
  return {
    add,
    clear: () => {
      queue = [];
    },
    /** The fault for this request, if any, used up by taking it. */
    take(endpoint: CreateEndpoint): SandboxFault | undefined {
      const entry = queue.find((e) => e.fault.endpoint === undefined || e.fault.endpoint === endpoint);
      if (!entry) return undefined;
      entry.remaining--;
      if (entry.remaining <= 0) queue = queue.filter((e) => e !== entry);
      return entry.fault;
    },
    pending: () => queue.map((e) => ({ ...e.fault, times: e.remaining })),
  };
}
