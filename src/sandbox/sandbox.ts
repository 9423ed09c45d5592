import { createHash, timingSafeEqual } from "node:crypto";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import { CALLBACK_EVENTS, type CallbackEvent, type DisbursementCallback, type RetailOutletPaidCallback, type VirtualAccountPaidCallback } from "../gateway/callbacks.js";
import type { Logger } from "../logger.js";
import { createCallbackDeliverer, type CallbackDelivery, type CallbackRetryPolicy } from "./callback-delivery.js";
import { SandboxError, validationError, type ErrorBody } from "./errors.js";
import { createFaultQueue, sandboxFaultSchema, type SandboxFault } from "./faults.js";
import { createIdSource, cryptoRandom, type RandomSource } from "./ids.js";
import { createLedger, DEFAULT_EXPIRY_MS, type AdoptedObject, type CreateEndpoint, type SandboxObjects } from "./ledger.js";
import { readDisbursementRequest, readRetailPaymentRequest, readVirtualAccountRequest } from "./request-fields.js";

export const SANDBOX_BODY_LIMIT = 1_048_576;

export interface SandboxOptions {
  /** The one API key the sandbox accepts ("Bearer <key>", or the bare key as the docs show). */
  apiKey: string;
  /** Sent with every callback in X-Callback-Token. */
  callbackToken: string;
  /** Where each event's callback goes (full URLs); events without one are recorded, not sent. */
  callbackUrls?: Partial<Record<CallbackEvent, string>>;
  now?: () => Date;
  /** Uniform in [0, 1): ids, account numbers, payment codes. */
  random?: RandomSource;
  /** Default 5 attempts, first retry after 1 s, doubling. */
  callbackRetry?: CallbackRetryPolicy;
  /** How long one callback attempt waits for the receiver. Default 30 s, like the gateway. */
  callbackTimeoutMs?: number;
  /** How long after creation VAs and payment codes expire. Default 30 years, like the docs' 2052. */
  expiryMs?: number;
  logger?: Logger;
  /** Faults armed from the start (see injectFault). */
  faults?: SandboxFault[];
}

export interface SandboxStats {
  /** Create requests received per endpoint, faulty or not, replays included. */
  createRequests: Record<CreateEndpoint, number>;
}

export interface Sandbox {
  readonly app: FastifyInstance;
  /** Starts serving; resolves to the origin, e.g. "http://127.0.0.1:43121". Defaults: port 0, host 127.0.0.1. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** The origin, once listening. */
  readonly url: string;
  /** `${url}/api/v2`: what the gateway client takes as baseUrl. */
  readonly apiBaseUrl: string;
  close(): Promise<void>;
  setCallbackUrls(urls: Partial<Record<CallbackEvent, string>>): void;
  /** A customer pays the VA (found by external_id or id); fires "virtual-account-paid". */
  payVirtualAccount(ref: string, amount?: number, options?: { senderName?: string }): VirtualAccountPaidCallback;
  /** A customer pays the Alfamart code; fires "retail-outlet-paid". */
  payRetail(ref: string, amount?: number): RetailOutletPaidCallback;
  completeDisbursement(ref: string): DisbursementCallback;
  failDisbursement(ref: string, failureCode?: string): DisbursementCallback;
  /**
   * Knows again an object it made before a restart (it keeps them in memory only), as the shop recorded it:
   * in sandbox mode the bot's store outlives the process, and its buttons name the objects of earlier runs.
   */
  adopt(object: AdoptedObject): void;
  injectFault(fault: SandboxFault): void;
  clearFaults(): void;
  objects(): SandboxObjects;
  deliveries(): CallbackDelivery[];
  /** Resolves when no callback delivery is pending (delivered, or its attempts used up). */
  callbacksSettled(): Promise<void>;
  stats(): SandboxStats;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

const simulatePayBody = z
  .object({
    amount: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,16}$/).transform(Number)]).optional(),
    sender_name: z.string().min(1).max(64).optional(),
  })
  .optional();
const simulateFailBody = z.object({ failure_code: z.string().regex(/^[A-Z0-9_]{1,64}$/).optional() }).optional();

function parseOr400<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw validationError(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

/** Fastify's and the multipart parser's own errors, in the documented error shape. */
function toErrorReply(error: FastifyError | Error): { status: number; body: ErrorBody } {
  if (error instanceof SandboxError) return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
  const status = (error as FastifyError).statusCode;
  const code = (error as FastifyError).code;
  if (status === 413 || code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return { status: 413, body: { error_code: "REQUEST_TOO_LARGE", message: `the body must be at most ${SANDBOX_BODY_LIMIT} bytes` } };
  }
  if (status === 415 || code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return {
      status: 415,
      body: { error_code: "UNSUPPORTED_MEDIA_TYPE", message: "send multipart/form-data or application/x-www-form-urlencoded (JSON is read too)" },
    };
  }
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error instanceof SyntaxError || code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return { status: 400, body: { error_code: "API_VALIDATION_ERROR", message: "the body is not valid JSON" } };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return { status: 400, body: { error_code: "API_VALIDATION_ERROR", message: "the request could not be read" } };
  }
  // Whatever else a broken multipart stream throws (busboy's errors carry no status) is the client's fault.
  return { status: 400, body: { error_code: "API_VALIDATION_ERROR", message: "the request body could not be read" } };
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? cryptoRandom;
  const ids = createIdSource(random);
  const log = options.logger;
  const ledger = createLedger({ ids, now, ownerId: ids.hex(24), expiryMs: options.expiryMs ?? DEFAULT_EXPIRY_MS });
  const faults = createFaultQueue(options.faults);
  const deliverer = createCallbackDeliverer({
    token: options.callbackToken,
    urls: options.callbackUrls ?? {},
    retry: options.callbackRetry ?? { attempts: 5, baseDelayMs: 1000 },
    timeoutMs: options.callbackTimeoutMs ?? 30_000,
    now,
    logger: log,
  });
  const keyDigest = sha256(options.apiKey);
  const createRequests: Record<CreateEndpoint, number> = { "create-virtual-account": 0, "create-retail-payment": 0, "create-disbursement": 0 };
  /** `${endpoint} ${key}` -> the request's fingerprint and the answer it got. */
  const idempotent = new Map<string, { fingerprint: string; answer: unknown }>();
  const closing = new AbortController();
  let origin: string | null = null;

  const app = Fastify({
    bodyLimit: SANDBOX_BODY_LIMIT,
    // A hanging fault must not keep close() waiting on its socket.
    forceCloseConnections: true,
    requestTimeout: 60_000,
    ...(log ? { loggerInstance: log as unknown as FastifyBaseLogger } : {}),
    frameworkErrors: (error, _req, reply) => {
      const { status, body } = toErrorReply(error);
      void (reply as FastifyReply).code(status).send(body);
    },
  });
  // text/plain is not a form: answer 415 rather than hand a string to the field reader.
  app.removeContentTypeParser("text/plain");
  void app.register(formbody, { bodyLimit: SANDBOX_BODY_LIMIT });
  void app.register(multipart, {
    limits: { fieldSize: SANDBOX_BODY_LIMIT, fields: 100, files: 10, parts: 200, fileSize: SANDBOX_BODY_LIMIT },
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const { status, body } = toErrorReply(error);
    if (!(error instanceof SandboxError)) req.log.debug({ code: error.code, status }, "request refused by the parser");
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error_code: "NOT_FOUND", message: `no such endpoint: ${req.method} ${req.url.split("?")[0]?.slice(0, 200)}` });
  });

  function authorize(req: FastifyRequest): void {
    const header = req.headers.authorization;
    const given = typeof header === "string" ? header.trim().replace(/^Bearer\s+/i, "") : "";
    if (given === "" || !timingSafeEqual(sha256(given), keyDigest)) {
      throw new SandboxError(401, "INVALID_API_KEY", "the API key is missing or wrong (Authorization: Bearer <key>)");
    }
    const length = Number(req.headers["content-length"]);
    // Multipart streams past Fastify's bodyLimit, so the declared size is checked here for every type.
    if (Number.isFinite(length) && length > SANDBOX_BODY_LIMIT) {
      throw new SandboxError(413, "REQUEST_TOO_LARGE", `the body must be at most ${SANDBOX_BODY_LIMIT} bytes`);
    }
  }

  async function readMultipart(req: FastifyRequest): Promise<Record<string, unknown>> {
    const fields: Record<string, unknown> = {};
    let sawFile = false;
    try {
      for await (const part of req.parts()) {
        if (part.type === "file") {
          await part.toBuffer();
          sawFile = true;
          continue;
        }
        if (part.valueTruncated || part.fieldnameTruncated) {
          throw new SandboxError(413, "REQUEST_TOO_LARGE", `field ${part.fieldname.slice(0, 40)} is too large`);
        }
        const previous = fields[part.fieldname];
        const value = typeof part.value === "string" ? part.value : JSON.stringify(part.value);
        fields[part.fieldname] = previous === undefined ? value : [previous, value].flat();
      }
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      const status = (error as FastifyError).statusCode;
      if (status === 413) throw new SandboxError(413, "REQUEST_TOO_LARGE", "the multipart body has too many or too large parts");
      throw validationError("the multipart body is malformed");
    }
    if (sawFile) throw validationError("files are not accepted: send the fields as text");
    return fields;
  }

  async function pause(ms: number | null): Promise<void> {
    // Resolves at the deadline or when the sandbox closes; null waits for the close alone.
    await new Promise<void>((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        closing.signal.removeEventListener("abort", done);
        resolve();
      }
      closing.signal.addEventListener("abort", done);
    });
  }

  async function answerFault(fault: SandboxFault, reply: FastifyReply): Promise<boolean> {
    if (fault.hang) await pause(null);
    else if (fault.delayMs) await pause(fault.delayMs);
    if (closing.signal.aborted) {
      reply.raw.destroy();
      return true;
    }
    if (fault.status === undefined) return false;
    if (fault.status === 0) {
      reply.hijack();
      reply.raw.socket?.destroy();
      return true;
    }
    const contentType = fault.contentType ?? (fault.body === undefined ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
    const body = fault.body ?? JSON.stringify({ error_code: "SERVICE_UNAVAILABLE", message: "the sandbox was told to fail this request" });
    await reply.code(fault.status).header("content-type", contentType).send(body);
    return true;
  }

  function idempotencyKeyOf(req: FastifyRequest): string | null {
    const raw = req.headers["x-idempotency-key"];
    if (raw === undefined) return null;
    if (typeof raw !== "string" || !/^[\x21-\x7e]{1,255}$/.test(raw)) {
      throw validationError("X-Idempotency-Key must be 1 to 255 printable characters");
    }
    return raw;
  }

  function create(endpoint: CreateEndpoint, body: unknown, key: string | null): unknown {
    const request =
      endpoint === "create-virtual-account"
        ? readVirtualAccountRequest(body)
        : endpoint === "create-retail-payment"
          ? readRetailPaymentRequest(body)
          : readDisbursementRequest(body);
    const fingerprint = JSON.stringify(request);
    const slot = key === null ? null : `${endpoint} ${key}`;
    const seen = slot === null ? undefined : idempotent.get(slot);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw new SandboxError(400, "IDEMPOTENCY_KEY_REUSED", "X-Idempotency-Key was already used with other fields");
      }
      log?.debug({ endpoint, externalId: request.externalId }, "idempotent replay");
      return structuredClone(seen.answer);
    }
    let answer: unknown;
    if (endpoint === "create-virtual-account") {
      const made = ledger.createVirtualAccount(request as ReturnType<typeof readVirtualAccountRequest>);
      answer = made.answer;
      deliverer.deliver("virtual-account-created", made.created);
    } else if (endpoint === "create-retail-payment") {
      answer = ledger.createRetailPayment(request as ReturnType<typeof readRetailPaymentRequest>);
    } else {
      answer = ledger.createDisbursement(request as ReturnType<typeof readDisbursementRequest>);
    }
    if (slot !== null) idempotent.set(slot, { fingerprint, answer: structuredClone(answer) });
    log?.info({ endpoint, externalId: request.externalId }, "sandbox object created");
    return answer;
  }

  const payVirtualAccount: Sandbox["payVirtualAccount"] = (ref, amount, opts) => {
    const payload = ledger.payVirtualAccount(ref, amount, opts?.senderName);
    deliverer.deliver("virtual-account-paid", payload);
    return payload;
  };
  const payRetail: Sandbox["payRetail"] = (ref, amount) => {
    const payload = ledger.payRetail(ref, amount);
    deliverer.deliver("retail-outlet-paid", payload);
    return payload;
  };
  const completeDisbursement: Sandbox["completeDisbursement"] = (ref) => {
    const payload = ledger.settleDisbursement(ref, { status: "COMPLETED" });
    deliverer.deliver("disbursement", payload);
    return payload;
  };
  const failDisbursement: Sandbox["failDisbursement"] = (ref, failureCode = "REJECTED_BY_BANK") => {
    const payload = ledger.settleDisbursement(ref, { status: "FAILED", failureCode });
    deliverer.deliver("disbursement", payload);
    return payload;
  };

  void app.register(async (api) => {
    // Every sandbox route needs the key, as the real gateway's test-mode endpoints do; 404s do not.
    api.addHook("onRequest", async (req) => authorize(req));
    api.addHook("preValidation", async (req) => {
      if (req.isMultipart()) req.body = await readMultipart(req);
    });

    for (const endpoint of ["create-virtual-account", "create-retail-payment", "create-disbursement"] as const) {
      api.post(`/api/v2/${endpoint}`, async (req, reply) => {
        createRequests[endpoint]++;
        const fault = faults.take(endpoint);
        if (fault && fault.when === "before" && (await answerFault(fault, reply))) return reply;
        let status = 200;
        let answer: unknown;
        try {
          answer = create(endpoint, req.body, idempotencyKeyOf(req));
        } catch (error) {
          if (!(error instanceof SandboxError)) throw error;
          status = error.status;
          answer = { error_code: error.errorCode, message: error.message } satisfies ErrorBody;
        }
        if (fault && fault.when !== "before" && (await answerFault(fault, reply))) return reply;
        if (fault?.answerChanges !== undefined && status < 300) answer = { ...(answer as object), ...fault.answerChanges };
        return reply.code(status).send(answer);
      });
    }

    api.post<{ Params: { ref: string } }>("/sandbox/simulate/virtual-accounts/:ref/pay", async (req) => {
      const body = parseOr400(simulatePayBody, req.body);
      return payVirtualAccount(req.params.ref, body?.amount, body?.sender_name ? { senderName: body.sender_name } : undefined);
    });
    api.post<{ Params: { ref: string } }>("/sandbox/simulate/retail-payments/:ref/pay", async (req) => {
      const body = parseOr400(simulatePayBody, req.body);
      return payRetail(req.params.ref, body?.amount);
    });
    api.post<{ Params: { ref: string } }>("/sandbox/simulate/disbursements/:ref/complete", async (req) => completeDisbursement(req.params.ref));
    api.post<{ Params: { ref: string } }>("/sandbox/simulate/disbursements/:ref/fail", async (req) => {
      const body = parseOr400(simulateFailBody, req.body);
      return failDisbursement(req.params.ref, body?.failure_code);
    });
    api.get("/sandbox/objects", async () => ledger.objects());
    api.get("/sandbox/callbacks", async () => ({ deliveries: deliverer.list() }));
    api.get("/sandbox/faults", async () => ({ faults: faults.pending() }));
    api.post("/sandbox/faults", async (req, reply) => {
      faults.add(parseOr400(sandboxFaultSchema, req.body));
      return reply.code(201).send({ faults: faults.pending() });
    });
    api.delete("/sandbox/faults", async () => {
      faults.clear();
      return { faults: [] };
    });
  });

  const listening = () => {
    if (origin === null) throw new Error("the sandbox is not listening yet: await sandbox.listen() first");
    return origin;
  };

  return {
    app,
    async listen(opts = {}) {
      // Fastify's own "Server listening at ..." reads, in the bot's log (sandbox mode), like the bot's PORT.
      const address = await app.listen({
        port: opts.port ?? 0,
        host: opts.host ?? "127.0.0.1",
        listenTextResolver: (at) => `Palladium sandbox listening at ${at}`,
      });
      origin = address.replace(/\/+$/, "");
      return origin;
    },
    get url() {
      return listening();
    },
    get apiBaseUrl() {
      return `${listening()}/api/v2`;
    },
    async close() {
      closing.abort();
      deliverer.close();
      await app.close();
    },
    setCallbackUrls(urls) {
      for (const event of Object.keys(urls)) {
        if (!(CALLBACK_EVENTS as readonly string[]).includes(event)) throw new Error(`unknown callback event: ${event}`);
      }
      deliverer.setUrls(urls);
    },
    payVirtualAccount,
    payRetail,
    adopt: (object) => ledger.adopt(object),
    completeDisbursement,
    failDisbursement,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    objects: () => ledger.objects(),
    deliveries: () => deliverer.list(),
    callbacksSettled: () => deliverer.settled(),
    stats: () => ({ createRequests: { ...createRequests } }),
  };
}
