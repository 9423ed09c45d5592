import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { GatewayRequestLabels } from "../gateway/client.js";
import type { Logger } from "../logger.js";
import type { NotifierEventListener } from "../notify/notifier.js";
import type { CallbackResult, TelegramUpdateResult } from "../webhook/server.js";

export type { CallbackResult, TelegramUpdateResult };

/**
 * What an operator watches, in Prometheus's text format on `GET /metrics`. One Registry per app (never
 * prom-client's global one), so several apps in one process (tests, two instances in a bench) keep their
 * counts apart. Labels are small fixed sets: event names, results, error codes, Bot API methods; never an
 * external_id, a chat id or an amount, which would grow without bound.
 */

export interface AppMetricsDeps {
  /** Read on every scrape: the outbox's depth and its oldest item's age. */
  outboxStats?: () => Promise<{ depth: number; oldestAgeMs: number }>;
  /** Process and Node.js metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  logger?: Logger;
}

export interface AppMetrics {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text. */
  readonly contentType: string;
  render(): Promise<string>;
  callbackReceived(event: string, result: CallbackResult): void;
  telegramUpdate(result: TelegramUpdateResult): void;
  /** The notifier's `onEvent`. */
  notifierEvent: NotifierEventListener;
  /** The gateway client's `onRequest`. */
  gatewayRequest(labels: GatewayRequestLabels, durationMs: number): void;
  /** One Bot API call the bot made (after its own retries). `result`: "ok", the error code, or "network". */
  telegramCall(source: "bot" | "notifier", method: string, result: string): void;
  paymentCreated(kind: string): void;
}

const GATEWAY_SECONDS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export function createAppMetrics(deps: AppMetricsDeps = {}): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (deps.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const callbacks = new Counter({
    name: "pallabot_callbacks_received_total",
    help: "Palladium callbacks received, by event and what became of them",
    labelNames: ["event", "result"] as const,
    registers,
  });
  const telegramUpdates = new Counter({
    name: "pallabot_telegram_updates_received_total",
    help: "Telegram updates delivered to the webhook, by result",
    labelNames: ["result"] as const,
    registers,
  });
  const notificationsSent = new Counter({
    name: "pallabot_notifications_sent_total",
    help: "Notifications Telegram accepted, by type (a digest counts once, as type digest)",
    labelNames: ["type"] as const,
    registers,
  });
  const notificationsEdited = new Counter({
    name: "pallabot_notifications_edited_total",
    help: "Messages shown before, edited to what became of them (result edited) or found already settled (result skipped), by type: mark-paid (a payment's PAID), mark-transfer-result (a transfer's result)",
    labelNames: ["result", "type"] as const,
    registers,
  });
  const notificationsFailed = new Counter({
    name: "pallabot_notifications_failed_total",
    help: "Bot API calls for notifications that failed, by reason (rate_limited, transient, bot_refused: the token or API root is wrong, permanent)",
    labelNames: ["reason"] as const,
    registers,
  });
  const notificationsRetried = new Counter({
    name: "pallabot_notifications_retried_total",
    help: "Notifications put back in the outbox to be tried again",
    registers,
  });
  const notificationsGivenUp = new Counter({
    name: "pallabot_notifications_given_up_total",
    help: "Notifications closed without delivery because retrying could not help (bot blocked, chat gone)",
    labelNames: ["reason"] as const,
    registers,
  });
  const digests = new Counter({
    name: "pallabot_notification_digests_total",
    help: "Digests sent in place of a backlog of payment messages to one chat",
    registers,
  });
  const digestItems = new Counter({
    name: "pallabot_notification_digest_items_total",
    help: "Payment notifications delivered inside digests",
    registers,
  });
  const rateLimited = new Counter({
    name: "pallabot_telegram_rate_limited_total",
    help: "Telegram 429 answers (notifier: every one; bot: those left after its own retries)",
    labelNames: ["source"] as const,
    registers,
  });
  const telegramCalls = new Counter({
    name: "pallabot_telegram_requests_total",
    help: "Bot API calls, by source, method and result (ok, the error code, or network)",
    labelNames: ["source", "method", "result"] as const,
    registers,
  });
  const gatewayDuration = new Histogram({
    name: "pallabot_gateway_request_duration_seconds",
    help: "Palladium API request attempts, by endpoint and result (ok or error)",
    labelNames: ["endpoint", "result"] as const,
    buckets: GATEWAY_SECONDS_BUCKETS,
    registers,
  });
  const gatewayErrors = new Counter({
    name: "pallabot_gateway_errors_total",
    help: "Palladium API request attempts that did not succeed, by endpoint and error code",
    labelNames: ["endpoint", "code"] as const,
    registers,
  });
  const paymentsCreated = new Counter({
    name: "pallabot_payments_created_total",
    help: "Payments created through the bot, by kind",
    labelNames: ["kind"] as const,
    registers,
  });

  // Both outbox gauges come from one stats() call per scrape.
  let outboxRead: Promise<{ depth: number; oldestAgeMs: number } | undefined> | undefined;
  const readOutbox = () => {
    outboxRead ??= (async () => {
      try {
        return await deps.outboxStats?.();
      } catch (error) {
        // The scrape still answers; the outbox series go missing, which an alert on absent() can catch.
        deps.logger?.warn({ err: error }, "could not read outbox stats for metrics");
        return undefined;
      } finally {
        setImmediate(() => (outboxRead = undefined));
      }
    })();
    return outboxRead;
  };
  if (deps.outboxStats !== undefined) {
    new Gauge({
      name: "pallabot_outbox_depth",
      help: "Notifications waiting in the outbox",
      registers,
      async collect() {
        const stats = await readOutbox();
        if (stats === undefined) this.reset();
        else this.set(stats.depth);
      },
    });
    new Gauge({
      name: "pallabot_outbox_oldest_age_seconds",
      help: "Age of the oldest notification waiting in the outbox (0 when empty)",
      registers,
      async collect() {
        const stats = await readOutbox();
        if (stats === undefined) this.reset();
        else this.set(stats.oldestAgeMs / 1000);
      },
    });
  }

  const notifierEvent: NotifierEventListener = (name, labels) => {
    switch (name) {
      case "sent":
        notificationsSent.inc({ type: String(labels.type ?? "unknown") });
        return;
      case "edited":
        notificationsEdited.inc({ result: "edited", type: String(labels.type ?? "unknown") });
        return;
      case "edit_skipped":
        notificationsEdited.inc({ result: "skipped", type: String(labels.type ?? "unknown") });
        return;
      case "digest":
        digests.inc();
        notificationsSent.inc({ type: "digest" });
        digestItems.inc(Number(labels.count ?? 0));
        return;
      case "failed":
        notificationsFailed.inc({ reason: String(labels.reason ?? "unknown") });
        return;
      case "retried":
        notificationsRetried.inc(Number(labels.count ?? 1));
        return;
      case "rate_limited":
        // The chat id in the labels stays out: one series per chat would grow without bound.
        rateLimited.inc({ source: "notifier" });
        return;
      case "gave_up":
        notificationsGivenUp.inc({ reason: String(labels.reason ?? "unknown") });
        return;
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    callbackReceived(event, result) {
      callbacks.inc({ event, result });
    },
    telegramUpdate(result) {
      telegramUpdates.inc({ result });
    },
    notifierEvent,
    gatewayRequest(labels, durationMs) {
      const result = labels.errorCode === undefined ? "ok" : "error";
      gatewayDuration.observe({ endpoint: labels.endpoint, result }, durationMs / 1000);
      if (labels.errorCode !== undefined) gatewayErrors.inc({ endpoint: labels.endpoint, code: labels.errorCode });
    },
    telegramCall(source, method, result) {
      telegramCalls.inc({ source, method, result });
      // The notifier's 429s are counted from its own "rate_limited" event, so only the bot's are counted here.
      if (result === "429" && source === "bot") rateLimited.inc({ source });
    },
    paymentCreated(kind) {
      paymentsCreated.inc({ kind });
    },
  };
}
