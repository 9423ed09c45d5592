import type { Agent as HttpAgent } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import axios, { isAxiosError } from "axios";
import type { z } from "zod";
import type { Logger, SecretList } from "../logger.js";
import { backoffDelay, sleep as realSleep } from "./backoff.js";
import { disbursementForm, retailPaymentForm, virtualAccountForm } from "./check-input.js";
import { gatewayWordsForChat, gatewayWordsScrubber, type ScrubGatewayWords } from "./gateway-words.js";
import {
  disbursementResponseSchema,
  gatewayErrorBodySchema,
  retailPaymentResponseSchema,
  virtualAccountResponseSchema,
} from "./response-schemas.js";
import { GatewayError, type GatewayClient, type GatewayErrorCode } from "./types.js";

export interface GatewayClientOptions {
  /** The API URL up to and including `/api/v2` (PALLAPI_BASE_URL); endpoint names are appended. */
  baseUrl: string;
  apiKey: string;
  /** The process's other secrets, kept out of the gateway's words like the key (the logger's list). */
  otherSecrets?: Pick<SecretList, "scrub">;
  /** Per attempt, from sending to the whole answer read. Default 15 s. */
  timeoutMs?: number;
  /** Requests per create, counting the first. Only "no answer" and 5xx are retried. Default 3. */
  maxAttempts?: number;
  /** First retry waits about this long, doubling after (with jitter). Default 300 ms. */
  backoffMs?: number;
  logger?: Logger;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
  /** For tests: jitter source and the wait between attempts. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about every attempt (metrics): how long it took and what it came to. Must not throw. */
  onRequest?: (labels: GatewayRequestLabels, durationMs: number) => void;
}

export type GatewayEndpoint = "create-virtual-account" | "create-retail-payment" | "create-disbursement";
type Endpoint = GatewayEndpoint;

/** One attempt as metrics see it: no external_id, no amounts, nothing that grows without bound. */
export interface GatewayRequestLabels {
  endpoint: GatewayEndpoint;
  /** The HTTP status, or 0 when no answer came (timeout, refused connection) or it could not be read. */
  status: number;
  /** Set when the attempt did not succeed: the code a GatewayError would carry ("UNAVAILABLE" for a 5xx or no answer). */
  errorCode?: GatewayErrorCode | undefined;
}

/** The prefix keeps our keys apart from any other integration sharing the merchant's account. */
export function idempotencyKeyFor(externalId: string): string {
  return `pallabot-${externalId}`;
}

type Attempt =
  | { kind: "answer"; status: number; body: string }
  | { kind: "no-answer"; reason: string }
  | { kind: "unreadable"; reason: string };

const MAX_ANSWER_BYTES = 1_048_576;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const backoffMs = options.backoffMs ?? 300;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? realSleep;
  const log = options.logger;
  // What the gateway says is passed on to the chat: never with the key (or any credential) in it.
  const scrubWords = gatewayWordsScrubber(options.apiKey, options.otherSecrets);
  const tell = (labels: GatewayRequestLabels, startedAt: number) => {
    try {
      options.onRequest?.(labels, performance.now() - startedAt);
    } catch (error) {
      log?.warn({ err: error }, "gateway request listener threw");
    }
  };
  const http = axios.create({
    // The key lives only in this closure and the request header: never in logs or thrown errors.
    headers: { Authorization: `Bearer ${options.apiKey}`, Accept: "application/json" },
    httpAgent: options.httpAgent,
    httpsAgent: options.httpsAgent,
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    responseType: "text",
    // We read the body ourselves, so a non-JSON answer is a typed error, not an axios parse quirk.
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    proxy: false,
  });

  async function attemptOnce(endpoint: Endpoint, form: URLSearchParams, idempotencyKey: string): Promise<Attempt> {
    // axios's own timeout only watches an idle socket; the abort bounds the whole attempt.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const res = await http.post<string>(`${baseUrl}/${endpoint}`, form.toString(), {
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Idempotency-Key": idempotencyKey },
        timeout: timeoutMs,
        signal: deadline.signal,
      });
      return { kind: "answer", status: res.status, body: typeof res.data === "string" ? res.data : String(res.data ?? "") };
    } catch (error) {
      if (deadline.signal.aborted) return { kind: "no-answer", reason: `no answer within ${timeoutMs} ms` };
      if (isAxiosError(error)) {
        if (error.code === "ERR_BAD_RESPONSE" || error.code === "ERR_FR_MAX_BODY_LENGTH_EXCEEDED") {
          return { kind: "unreadable", reason: "answer too large or unreadable" };
        }
        return { kind: "no-answer", reason: error.code ?? "network error" };
      }
      return { kind: "no-answer", reason: "network error" };
    } finally {
      clearTimeout(timer);
    }
  }

  async function create<T>(
    endpoint: Endpoint,
    externalId: string,
    form: URLSearchParams,
    schema: z.ZodType<T & { externalId: string }>,
    differsFromRequest: (made: T) => { field: string; answered: string } | undefined,
  ): Promise<T> {
    // Every attempt carries the same external_id and key, so a retry after a lost answer finds the
    // object the first attempt made instead of making a second one.
    const idempotencyKey = idempotencyKeyFor(externalId);
    let lastProblem = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const startedAt = performance.now();
      const outcome = await attemptOnce(endpoint, form, idempotencyKey);
      const context = { endpoint, externalId, attempt };
      if (outcome.kind === "unreadable") {
        tell({ endpoint, status: 0, errorCode: "UNEXPECTED_RESPONSE" }, startedAt);
        throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: ${outcome.reason}`, { attempts: attempt });
      }
      if (outcome.kind === "answer" && outcome.status < 500) {
        let result: T;
        try {
          result = readAnswer(endpoint, externalId, outcome.status, outcome.body, schema, attempt, scrubWords);
        } catch (error) {
          tell({ endpoint, status: outcome.status, errorCode: error instanceof GatewayError ? error.code : "UNEXPECTED_RESPONSE" }, startedAt);
          throw error;
        }
        // A gateway that made something else than was asked (another amount, another bank) must not have it
        // shown as the confirmed payment: a customer paying the smaller amount would read as paid in full.
        const differs = differsFromRequest(result);
        if (differs !== undefined) {
          const { field, answered } = differs;
          tell({ endpoint, status: outcome.status, errorCode: "NOT_AS_ASKED" }, startedAt);
          log?.error({ ...context, status: outcome.status, field }, "gateway made an object that differs from the request");
          throw new GatewayError("NOT_AS_ASKED", `${endpoint}: the answer's ${field} differs from the request`, {
            httpStatus: outcome.status,
            attempts: attempt,
            field,
            answered,
          });
        }
        tell({ endpoint, status: outcome.status }, startedAt);
        log?.debug({ ...context, status: outcome.status }, "gateway answered");
        return result;
      }
      tell({ endpoint, status: outcome.kind === "answer" ? outcome.status : 0, errorCode: "UNAVAILABLE" }, startedAt);
      lastProblem = outcome.kind === "answer" ? `HTTP ${outcome.status}` : outcome.reason;
      if (attempt < maxAttempts) {
        const delay = backoffDelay(attempt, backoffMs, random);
        log?.warn({ ...context, problem: lastProblem, retryInMs: delay }, "gateway unavailable, retrying");
        await wait(delay);
      } else {
        log?.warn({ ...context, problem: lastProblem }, "gateway unavailable, giving up");
        throw new GatewayError("UNAVAILABLE", `${endpoint}: gateway unavailable (${lastProblem}) after ${attempt} attempt(s)`, {
          httpStatus: outcome.kind === "answer" ? outcome.status : undefined,
          attempts: attempt,
        });
      }
    }
    // maxAttempts >= 1, so the loop always returns or throws.
    throw new GatewayError("UNAVAILABLE", `${endpoint}: gateway unavailable`, { attempts: maxAttempts });
  }

  // async, so refused input rejects the promise like every other failure instead of throwing synchronously.
  return {
    async createVirtualAccount(input) {
      return create("create-virtual-account", input.externalId, virtualAccountForm(input), virtualAccountResponseSchema, (made) =>
        firstDifference([
          ["amount", made.amount, input.amount],
          ["bank_code", made.bankCode, input.bankCode],
          ["is_single_use", made.isSingleUse, input.isSingleUse],
        ]),
      );
    },
    async createRetailPayment(input) {
      return create("create-retail-payment", input.externalId, retailPaymentForm(input), retailPaymentResponseSchema, (made) =>
        firstDifference([
          ["amount", made.amount, input.amount],
          ["retail_outlet_name", made.retailOutletName, input.retailOutletName],
        ]),
      );
    },
    async createDisbursement(input) {
      return create("create-disbursement", input.externalId, disbursementForm(input), disbursementResponseSchema, (made) =>
        firstDifference([
          ["amount", made.amount, input.amount],
          ["bank_code", made.bankCode, input.bankCode],
          ["account_number", made.accountNumber, input.accountNumber],
        ]),
      );
    },
  };
}

/**
 * The first field whose answered value is not the asked one, and that value; an answer that leaves a field out
 * is not checked on it.
 */
function firstDifference(fields: ReadonlyArray<readonly [string, unknown, unknown]>): { field: string; answered: string } | undefined {
  const found = fields.find(([, answered, asked]) => answered !== undefined && answered !== asked);
  return found === undefined ? undefined : { field: found[0], answered: String(found[1]) };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A 2xx or 4xx answer, turned into the typed object or the typed error a caller can act on. */
function readAnswer<T>(
  endpoint: Endpoint,
  externalId: string,
  status: number,
  body: string,
  schema: z.ZodType<T & { externalId: string }>,
  attempts: number,
  scrubWords: ScrubGatewayWords,
): T {
  const json = parseJson(body);
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = json === undefined ? "not JSON" : parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ");
      throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: answer does not match the documented shape (${where})`, {
        httpStatus: status,
        attempts,
      });
    }
    if (parsed.data.externalId !== externalId) {
      throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: answer is for another external_id`, { httpStatus: status, attempts });
    }
    return parsed.data;
  }
  const error = gatewayErrorBodySchema.safeParse(json);
  if (!error.success) {
    // An HTML page from a proxy or a WAF is not the gateway speaking: nothing to act on but to report it.
    throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: HTTP ${status} without the documented error body`, {
      httpStatus: status,
      attempts,
    });
  }
  // Scrubbed where they enter: these words reach the chat (gatewayMessage) and the error's message.
  const gatewayErrorCode = scrubWords(error.data.error_code);
  const gatewayMessage = error.data.message === undefined ? undefined : scrubWords(error.data.message);
  const details = { httpStatus: status, gatewayErrorCode, gatewayMessage: gatewayWordsForChat(gatewayMessage), attempts };
  const said = gatewayMessage ? `: ${gatewayMessage}` : "";
  if (status === 401 || status === 403) throw new GatewayError("BAD_KEY", `${endpoint}: the API key was refused${said}`, details);
  // A 409 is "external_id used before" (DESIGN.md) only when it says so: one with another code (a balance too
  // low) made nothing, and read as a duplicate it told an owner her transfer had gone.
  if (status === 409 && /DUPLICATE/i.test(gatewayErrorCode)) {
    throw new GatewayError("DUPLICATE_EXTERNAL_ID", `${endpoint}: external_id ${externalId} was used before${said}`, details);
  }
  if (status === 404) {
    throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: not found (check PALLAPI_BASE_URL)${said}`, details);
  }
  if (status === 429) throw new GatewayError("UNAVAILABLE", `${endpoint}: rate limited${said}`, details);
  if (status >= 400) throw new GatewayError("VALIDATION", `${endpoint}: refused (${gatewayErrorCode})${said}`, details);
  throw new GatewayError("UNEXPECTED_RESPONSE", `${endpoint}: unexpected HTTP ${status}`, details);
}
