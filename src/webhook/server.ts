import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { CALLBACK_EVENTS, CALLBACK_PATHS, CALLBACK_SCHEMAS, CALLBACK_TOKEN_HEADER, type CallbackEvent } from "../gateway/callbacks.js";
import { outcomeWithin } from "../deadline.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/types.js";
import { createTokenCheck } from "./callback-token.js";
import type { CallbackEventLogPort, OutboxPort } from "./ports.js";
import { createCallbackRecorder, type RecordOutcome } from "./record-callback.js";

/**
 * Why fastify: it is well kept and fast (the callback path must stay cheap under a gateway's retry
 * storms), and it already does the hostile-input work a payment receiver needs: a body limit enforced
 * while streaming (413 before a huge body is buffered), content-type routing (anything but JSON is a 415
 * without our code seeing it), and JSON parsing through secure-json-parse, which refuses `__proto__` and
 * `constructor.prototype` keys instead of letting them reach an object.
 */

export const DEFAULT_CALLBACK_BODY_LIMIT = 64 * 1024;
/** Objects and arrays within each other: a callback has two levels; Telegram's updates a few more. */
const MAX_JSON_DEPTH = 32;

/** Whether JSON text opens more than `limit` objects or arrays within each other (brackets in strings aside). */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

export interface TelegramWebhookHook {
  /** e.g. "/telegram/updates": no secret in the path (paths end up in proxy logs); the header carries it. */
  path: string;
  /** Telegram echoes it in X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token). */
  secretToken: string;
  /** e.g. `(update) => bot.handleUpdate(update)`. A rejection answers 503, and Telegram delivers the update again later. */
  handleUpdate: (update: TelegramUpdate) => Promise<void>;
}

/** What the server checks of an update before the bot sees it; the bot reads the rest. */
const telegramUpdateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

/** What became of one Palladium callback (metrics label). */
export type CallbackResult =
  | "recorded"
  | "duplicate"
  | "unknown_external_id"
  | "unauthorized"
  | "invalid"
  | "too_large"
  | "unsupported_media_type"
  | "rejected"
  | "failed";

/** What became of one Telegram update delivered to the webhook (metrics label). */
export type TelegramUpdateResult = "handled" | "failed" | "unauthorized" | "invalid";

/** Prometheus text, served on GET /metrics. */
export interface MetricsEndpoint {
  contentType: string;
  render(): Promise<string>;
}

/**
 * The scheme of the Authorization header a scraper sends (Prometheus' `authorization: { credentials }`);
 * any case, as HTTP schemes are (RFC 9110), since curl users and some scrapers write "bearer".
 */
const BEARER = /^Bearer +(.+)$/i;
const HEALTH_PROBE_KEY = "healthz-probe";
const HEALTH_PROBE_MS = 1_000;
const HEALTH_PROBE_WINDOW_MS = 60_000;
const HEALTH_PROBE_REUSE_MS = 500;

export interface WebhookServerDeps {
  callbackToken: string;
  store: Store;
  eventLog: CallbackEventLogPort;
  outbox: OutboxPort;
  /** Told once about callbacks for external_ids the bot never issued. */
  ownerIds: readonly number[];
  logger: Logger;
  now?: () => Date;
  /** Called after each callback that recorded notifications: wakes the notifier. */
  onRecorded?: (outcome: RecordOutcome) => void;
  bodyLimitBytes?: number;
  telegram?: TelegramWebhookHook;
  /** Told what became of every request to a callback path (metrics). Must not throw. */
  onCallback?: (event: CallbackEvent, result: CallbackResult) => void;
  /** Told what became of every request to the Telegram webhook path (metrics). Must not throw. */
  onTelegramUpdate?: (result: TelegramUpdateResult) => void;
  metrics?: MetricsEndpoint;
  /** The reverse proxies whose X-Forwarded-For names the client (fastify's trustProxy); unset trusts none. */
  trustProxy?: string | undefined;
  /**
   * When set, GET /metrics answers only `Authorization: Bearer <token>` (401 otherwise), for servers whose
   * port cannot be kept private. Unset: anyone who reaches the port may scrape (keep /metrics internal).
   */
  metricsToken?: string | undefined;
}

export interface WebhookServer {
  app: FastifyInstance;
  /** Resolves to the base URL, e.g. "http://127.0.0.1:8080". */
  listen(options: { port: number; host: string }): Promise<string>;
  /**
   * Stops taking connections and waits for the requests in flight to be answered. After `graceMs` the
   * connections still open are cut: their callers get no answer and retry later (Palladium, Telegram).
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Per-route marks, so rejections and failures are counted against the right path. */
interface RouteMark {
  callbackEvent?: CallbackEvent;
  telegramUpdates?: true;
}

declare module "fastify" {
  interface FastifyContextConfig {
    callbackEvent?: CallbackEvent;
    telegramUpdates?: true;
  }
}

class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Fastify's own codes for bad input, in words an integrator can act on (never echoing the input). */
const FASTIFY_REASONS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "content type must be application/json",
  FST_ERR_CTP_INVALID_TYPE: "content type must be application/json",
  FST_ERR_CTP_BODY_TOO_LARGE: "body too large",
  FST_ERR_CTP_EMPTY_JSON_BODY: "empty body",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "content length does not match the body",
  FST_ERR_CTP_INVALID_JSON_BODY: "body is not valid JSON",
};

export function createWebhookServer(deps: WebhookServerDeps): WebhookServer {
  const logger = deps.logger.child({ part: "webhook" });
  const now = deps.now ?? (() => new Date());
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_CALLBACK_BODY_LIMIT;
  const tokenMatches = createTokenCheck(deps.callbackToken);
  const recordCallback = createCallbackRecorder({
    store: deps.store,
    eventLog: deps.eventLog,
    outbox: deps.outbox,
    ownerIds: deps.ownerIds,
    logger,
    now,
  });

  const app = Fastify({
    logger: false,
    bodyLimit,
    // A slow or stalled client must not hold a connection for ever; the gateway waits ~30 s anyway.
    requestTimeout: 30_000,
    // While closing, a request already on an open connection is still served (with Connection: close),
    // not refused with a 503: the store stays open until the server has answered everything it took.
    return503OnClosing: false,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    // Behind the README's nginx every request came from 127.0.0.1 in the logs; only the named proxies are believed.
    ...(deps.trustProxy !== undefined ? { trustProxy: deps.trustProxy } : {}),
  });

  // Only JSON reaches a handler: without parsers for text/plain and the rest, fastify answers 415 itself.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit }, (request, body, done) => {
    // A callback is flat; thousands of brackets are an attack on the parser, whatever field they sit in.
    if (nestedDeeperThan(String(body), MAX_JSON_DEPTH)) return done(new HttpProblem(400, "body is nested too deeply"), undefined);
    return parseJson(request, body as string, done);
  });

  const markOf = (request: FastifyRequest): RouteMark => request.routeOptions.config ?? {};
  const tellCallback = (event: CallbackEvent, result: CallbackResult) => {
    try {
      deps.onCallback?.(event, result);
    } catch (error) {
      logger.warn({ err: error }, "callback listener threw");
    }
  };
  const tellTelegram = (result: TelegramUpdateResult) => {
    try {
      deps.onTelegramUpdate?.(result);
    } catch (error) {
      logger.warn({ err: error }, "telegram update listener threw");
    }
  };
  const count = (request: FastifyRequest, statusCode: number) => {
    const mark = markOf(request);
    if (mark.callbackEvent !== undefined) tellCallback(mark.callbackEvent, callbackResultOf(statusCode));
    else if (mark.telegramUpdates) tellTelegram(statusCode === 401 ? "unauthorized" : statusCode >= 500 ? "failed" : "invalid");
  };

  const rejectionLog = createRejectionLog(logger, () => now().getTime());
  const reject = (request: FastifyRequest, reply: FastifyReply, statusCode: number, reason: string) => {
    // Kinds by route, not by path: random paths would each be a kind of their own.
    rejectionLog.rejected(`${statusCode} ${request.routeOptions.url ?? "(no route)"}`, { method: request.method, path: loggedPath(request), statusCode, reason, ip: request.ip });
    count(request, statusCode);
    return reply.code(statusCode).send({ error: reason });
  };

  app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) {
      const code = "code" in error && typeof error.code === "string" ? error.code : "";
      const reason = error instanceof HttpProblem ? error.reason : (FASTIFY_REASONS[code] ?? (statusCode === 400 ? "body is not valid JSON" : "bad request"));
      return reject(request, reply, statusCode, reason);
    }
    // Our own trouble (the store is down): a 5xx makes the gateway retry later, which is what we want.
    logger.error({ err: error, path: loggedPath(request) }, "request could not be handled");
    count(request, 503);
    return reply.code(503).send({ error: "temporarily unavailable" });
  });
  // While closing, every answer ends its connection: the caller's next request goes to another
  // instance (or is refused and retried), instead of arriving at a server about to go away.
  let closing = false;
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });

  app.setNotFoundHandler((request, reply) => reject(request, reply, 404, "not found"));

  const checkCallbackToken = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!tokenMatches(request.headers[CALLBACK_TOKEN_HEADER])) {
      // No detail: whether the header was missing or wrong is not for an unauthenticated caller to learn.
      return reject(request, reply, 401, "unauthorized");
    }
  };

  for (const event of CALLBACK_EVENTS) {
    const config: RouteMark = { callbackEvent: event };
    app.post(CALLBACK_PATHS[event], { onRequest: checkCallbackToken, config }, async (request, reply) => {
      const parsed = CALLBACK_SCHEMAS[event].safeParse(request.body);
      if (!parsed.success) return reject(request, reply, 400, describeIssue(parsed.error.issues));
      const outcome = await recordCallback(event as CallbackEvent, parsed.data);
      logger[outcome.kind === "duplicate" ? "debug" : "info"]({ event, eventId: outcome.eventId, outcome: outcome.kind }, "callback recorded");
      tellCallback(event, outcome.kind === "unknown-external-id" ? "unknown_external_id" : outcome.kind);
      if (outcome.kind !== "duplicate" && outcome.notifications > 0) deps.onRecorded?.(outcome);
      return reply.code(200).send({ ok: true, result: outcome.kind });
    });
  }

  // Up is not enough: a bot whose store does not take writes records no callback, so Docker's HEALTHCHECK
  // and a load balancer should see it. One small write (a read passed while a full disk refused every
  // callback), bounded: a Redis that hangs must not hang this too. The counter's window keeps it one row.
  // One probe every half second at most, shared by the requests meanwhile: the port is public, and a flood of
  // health checks must not become a flood of commits beside the paid callbacks.
  let lastProbe: { at: number; outcome: Promise<string> } | undefined;
  app.get("/healthz", async (_request, reply) => {
    const now = Date.now();
    if (lastProbe === undefined || now - lastProbe.at >= HEALTH_PROBE_REUSE_MS) {
      const write = deps.store.atomic.incrementWithin(HEALTH_PROBE_KEY, 1, Number.MAX_SAFE_INTEGER, HEALTH_PROBE_WINDOW_MS);
      lastProbe = { at: now, outcome: outcomeWithin(write, HEALTH_PROBE_MS) };
    }
    const probe = await lastProbe.outcome;
    return probe === "resolved" ? { status: "ok" } : reply.code(503).send({ status: "store not answering" });
  });

  if (deps.metrics !== undefined) {
    const metrics = deps.metrics;
    const scraperMatches = deps.metricsToken === undefined ? undefined : createTokenCheck(deps.metricsToken);
    app.get("/metrics", async (request, reply) => {
      if (scraperMatches !== undefined && !scraperMatches(BEARER.exec(request.headers.authorization ?? "")?.[1])) {
        return reject(request, reply, 401, "unauthorized");
      }
      return reply.header("content-type", metrics.contentType).send(await metrics.render());
    });
  }

  if (deps.telegram !== undefined) {
    // Checked here rather than with grammY's webhookCallback: the same 401 (no detail), logs and metrics
    // as the callbacks, and no 10 s handler timeout that would turn a slow gateway call into a 500 and
    // Telegram delivering the same update again.
    const telegram = deps.telegram;
    const secretMatches = createTokenCheck(telegram.secretToken);
    const config: RouteMark = { telegramUpdates: true };
    app.post(
      telegram.path,
      {
        config,
        // Before the body is read: an unauthenticated caller costs us a hash, not a parse.
        onRequest: async (request, reply) => {
          if (!secretMatches(request.headers[TELEGRAM_SECRET_HEADER])) return reject(request, reply, 401, "unauthorized");
        },
      },
      async (request, reply) => {
        const parsed = telegramUpdateSchema.safeParse(request.body);
        if (!parsed.success) return reject(request, reply, 400, "not a Telegram update");
        await telegram.handleUpdate(parsed.data);
        tellTelegram("handled");
        return reply.code(200).send({ ok: true });
      },
    );
  }

  return {
    app,
    async listen({ port, host }) {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    async close({ graceMs } = {}) {
      closing = true;
      const closed = app.close();
      // A connection whose request was in flight at close time would otherwise sit idle in keep-alive
      // (72 s by default) and hold the close open: reap idle ones until everything is answered.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      const timer =
        graceMs === undefined
          ? undefined
          : setTimeout(() => {
              logger.warn({ graceMs }, "requests still in flight after the grace period; cutting their connections");
              app.server.closeAllConnections();
            }, graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
        clearInterval(reaper);
      }
    },
  };
}

function callbackResultOf(statusCode: number): CallbackResult {
  if (statusCode === 401) return "unauthorized";
  if (statusCode === 400) return "invalid";
  if (statusCode === 413) return "too_large";
  if (statusCode === 415) return "unsupported_media_type";
  if (statusCode >= 500) return "failed";
  return "rejected";
}

/** "amount: Invalid input ..." for the first problem: which field, never the value that was sent. */
function describeIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (first === undefined) return "invalid body";
  const field = first.path.map((p) => String(p)).join(".") || "body";
  return `${field}: ${first.message}`.slice(0, 200);
}

/** Our paths are short; anyone may send a 16 KiB one, and each rejected request is a log line. */
const LOGGED_PATH_MAX = 100;

/** Rejections of one kind (status, path) logged one by one per minute; the rest of that minute are counted. */
const REJECTIONS_LOGGED_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

/**
 * Anyone can send requests, and each rejection was a log line: 5,000 wrong-token posts wrote 5,000 lines in
 * two seconds, enough to fill a disk or bury what matters. Each kind of rejection (status and path) is
 * logged in full up to a limit each minute; past it, one line per kind says how many more there were. The
 * metrics still count every one.
 */
function createRejectionLog(logger: Logger, nowMs: () => number) {
  const seen = new Map<string, { count: number; example: Record<string, unknown> }>();
  let windowEnds: ReturnType<typeof setTimeout> | undefined;
  const endWindow = () => {
    windowEnds = undefined;
    for (const { count, example } of seen.values()) {
      if (count > REJECTIONS_LOGGED_PER_MINUTE) logger.warn({ ...example, more: count - REJECTIONS_LOGGED_PER_MINUTE }, "more requests rejected like this one in the last minute, not logged one by one");
    }
    seen.clear();
  };
  let windowStart = nowMs();
  return {
    rejected(kind: string, fields: { method: string; path: string; statusCode: number; reason: string; ip: string }) {
      if (nowMs() - windowStart >= MINUTE_MS) {
        if (windowEnds !== undefined) clearTimeout(windowEnds);
        endWindow();
      }
      if (seen.size === 0) windowStart = nowMs();
      const entry = seen.get(kind) ?? { count: 0, example: fields };
      entry.count += 1;
      seen.set(kind, entry);
      if (entry.count <= REJECTIONS_LOGGED_PER_MINUTE) logger.warn(fields, "request rejected");
      // The count of the rest is said when the minute is over, even if no request comes after.
      else if (windowEnds === undefined) windowEnds = setTimeout(endWindow, Math.max(0, windowStart + MINUTE_MS - nowMs())).unref();
    },
  };
}

function loggedPath(request: FastifyRequest): string {
  const path = request.url.split("?")[0] ?? "";
  return path.length > LOGGED_PATH_MAX ? `${path.slice(0, LOGGED_PATH_MAX)}…(${path.length} chars)` : path;
}
