import autocannon from "autocannon";
import { PAID_HEADERS, PAID_PATH, externalIdOf, paidBody } from "./payloads.js";

/**
 * The load generator, run as a child process so it does not share the receiver's event loop. Gets one
 * LoadRequest over IPC, runs autocannon, answers one LoadResult and exits.
 */

export interface LoadRequest {
  url: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number | undefined;
  /** Pre-seeded payments bench-0 .. bench-(payments-1) are paid in turn. */
  payments: number;
  /** Makes payment ids unique across runs and generators. */
  runId: string;
}

export interface LoadResult {
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU the load generator itself used (user + system), in seconds: it shares the machine's cores. */
  cpuSeconds: number;
}

process.once("message", (message) => {
  const request = message as LoadRequest;
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const instance = autocannon(
    {
      url: request.url,
      connections: request.connections,
      duration: request.seconds,
      ...(request.overallRate !== undefined ? { overallRate: request.overallRate } : {}),
      timeout: 10,
      requests: [
        {
          method: "POST",
          path: PAID_PATH,
          headers: PAID_HEADERS,
          setupRequest: (req) => {
            n++;
            return { ...req, body: paidBody(externalIdOf(n % request.payments), `${request.runId}-${n}`) };
          },
        },
      ],
    },
    (error, result) => {
      if (error) {
        process.send?.({ error: String(error) }, () => process.exit(1));
        return;
      }
      const seconds = result.duration;
      const answer: LoadResult = {
        ok2xx: result["2xx"],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        seconds,
        perSecond: result["2xx"] / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        cpuSeconds: (() => {
          const used = process.cpuUsage(cpuBefore);
          return (used.user + used.system) / 1e6;
        })(),
      };
      process.send?.(answer, () => process.exit(0));
    },
  );
  process.once("SIGTERM", () => instance.stop());
});
