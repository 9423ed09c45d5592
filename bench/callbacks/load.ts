import autocannon from "autocannon";
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import { PAID_HEADERS, PAID_PATH, externalIdOf, paidBody } from "./payloads.js";
import { percentile } from "./stats.js";

/**
 * The load generator, run as a child process so it does not share the receiver's event loop. Gets one
 * LoadRequest over IPC, runs it, answers one LoadResult and exits.
 *
 * As fast as possible: autocannon. At a fixed rate: our own open-loop sender, because autocannon's rate
 * mode is not a steady rate: each connection sends its share of a second back to back from the start of
 * that second and then waits for the next one, so "500/s over 20 connections" is really a burst at full
 * speed every second. Here request i is due at start + i / rate whatever happened to the ones before, and
 * its latency counts from when it was due (so a late sender or a slow server shows, instead of being left
 * out: no coordinated omission).
 */

export interface LoadRequest {
  url: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections, evenly spaced; unset: as fast as the server answers. */
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

const REQUEST_TIMEOUT_MS = 10_000;

function asFastAsPossible(request: LoadRequest): Promise<Omit<LoadResult, "cpuSeconds">> {
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        duration: request.seconds,
        timeout: REQUEST_TIMEOUT_MS / 1000,
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
        if (error) return reject(error);
        resolve({
          ok2xx: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: result.duration,
          perSecond: result["2xx"] / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
        });
      },
    );
    process.once("SIGTERM", () => instance.stop());
  });
}

function atFixedRate(request: LoadRequest, rate: number): Promise<Omit<LoadResult, "cpuSeconds">> {
  const target = new URL(request.url);
  const agent = new Agent({ keepAlive: true, maxSockets: request.connections });
  const total = Math.round(request.seconds * rate);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  const counts = { ok2xx: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const start = performance.now();
  let sent = 0;
  let finished = 0;
  return new Promise((resolve) => {
    const settle = () => {
      if (++finished < total) return;
      agent.destroy();
      const seconds = (performance.now() - start) / 1000;
      const sorted = latencies.sort((x, y) => x - y);
      resolve({ ...counts, seconds, perSecond: counts.ok2xx / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN });
    };
    const send = (i: number) => {
      const due = start + i * intervalMs;
      const body = paidBody(externalIdOf((i + 1) % request.payments), `${request.runId}-${i + 1}`);
      let done = false;
      const finish = (outcome: "ok2xx" | "non2xx" | "errors" | "timeouts") => {
        if (done) return;
        done = true;
        counts[outcome]++;
        if (outcome === "ok2xx") latencies.push(performance.now() - due);
        settle();
      };
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: "POST",
          path: PAID_PATH,
          headers: { ...PAID_HEADERS, "content-length": Buffer.byteLength(body) },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          res.on("end", () => finish(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 ? "ok2xx" : "non2xx"));
        },
      );
      req.on("timeout", () => {
        finish("timeouts");
        req.destroy();
      });
      req.on("error", () => finish("errors"));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
}

process.once("message", (message) => {
  const request = message as LoadRequest;
  const cpuBefore = process.cpuUsage();
  const run = request.overallRate === undefined ? asFastAsPossible(request) : atFixedRate(request, request.overallRate);
  run.then(
    (result) => {
      const used = process.cpuUsage(cpuBefore);
      const answer: LoadResult = { ...result, cpuSeconds: (used.user + used.system) / 1e6 };
      process.send?.(answer, () => process.exit(0));
    },
    (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
});
