import type { Update, WebhookInfo } from "grammy/types";
import { BotApiFailure, type LocalBotApiLogger } from "./types.js";
import { withTimeoutSignal } from "../deadline.js";

/**
 * The updates waiting for the bot, handed out the two ways Telegram hands them out: getUpdates (long
 * polling, confirmed by offset, so nothing is lost when a bot restarts) or POSTs to a webhook, retried until
 * the webhook answers 2xx.
 */

const NOT_SENT_UNLESS_ASKED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export type WebhookTarget = { url: string; secretToken?: string; maxConnections: number };

export type UpdateQueue = ReturnType<typeof createUpdateQueue>;

export function createUpdateQueue(deps: {
  now: () => Date;
  log: LocalBotApiLogger;
  retryDelayMs: number;
  /** grammY may answer a webhook delivery with one method call in the response body; Telegram runs it. */
  runWebhookReply: (method: string, payload: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;
}) {
  type Poller = { wake: () => void; conflict: () => void };
  const pollers = new Set<Poller>();
  let pending: Update[] = [];
  let allowedUpdates: Set<string> | undefined;
  let webhook: WebhookTarget | undefined;
  let webhookError: { date: number; message: string } | undefined;
  let delivering = false;
  let closed = false;
  const stop = new AbortController();

  const isAllowed = (update: Update) => {
    const type = Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
    return allowedUpdates ? allowedUpdates.has(type) : !NOT_SENT_UNLESS_ASKED.has(type);
  };

  function setAllowedUpdates(value: unknown) {
    if (!Array.isArray(value)) return;
    allowedUpdates = value.length === 0 ? undefined : new Set(value.map(String));
  }

  function deliverable(limit: number): Update[] {
    // Telegram never delivers an update type the bot did not ask for; it is gone, not postponed.
    pending = pending.filter(isAllowed);
    return pending.slice(0, limit);
  }

  function push(update: Update) {
    pending.push(update);
    if (webhook) void deliverToWebhook();
    else for (const poller of pollers) poller.wake();
  }

  async function getUpdates(
    p: { offset?: number; limit?: number; timeout?: number; allowed_updates?: unknown },
    signal: AbortSignal,
  ): Promise<Update[]> {
    if (webhook) {
      throw new BotApiFailure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    for (const poller of pollers) poller.conflict();
    setAllowedUpdates(p.allowed_updates);
    const offset = p.offset ?? 0;
    if (offset > 0) pending = pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) pending = pending.slice(offset);
    const limit = Math.min(100, Math.max(1, p.limit ?? 100));
    const deadline = Date.now() + Math.max(0, p.timeout ?? 0) * 1000;
    for (;;) {
      const batch = deliverable(limit);
      const remaining = deadline - Date.now();
      if (batch.length > 0 || closed || signal.aborted || remaining <= 0) return batch;
      const outcome = await new Promise<"wake" | "conflict">((resolve) => {
        const poller: Poller = { wake: () => finish("wake"), conflict: () => finish("conflict") };
        const timer = setTimeout(() => finish("wake"), remaining);
        const onAbort = () => finish("wake");
        function finish(result: "wake" | "conflict") {
          clearTimeout(timer);
          pollers.delete(poller);
          signal.removeEventListener("abort", onAbort);
          resolve(result);
        }
        pollers.add(poller);
        signal.addEventListener("abort", onAbort);
      });
      if (outcome === "conflict") {
        throw new BotApiFailure(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        );
      }
    }
  }

  async function deliverToWebhook(): Promise<void> {
    if (delivering) return;
    delivering = true;
    try {
      while (webhook && !closed) {
        const update = deliverable(1)[0];
        if (!update) break;
        const target = webhook;
        try {
          const { response, body } = await withTimeoutSignal(30_000, [stop.signal], async (signal) => {
            const response = await fetch(target.url, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                ...(target.secretToken ? { "x-telegram-bot-api-secret-token": target.secretToken } : {}),
              },
              body: JSON.stringify(update),
              signal,
            });
            return { response, body: await response.text() };
          });
          if (!response.ok) throw new Error(`Wrong response from the webhook: ${response.status} ${response.statusText}`);
          pending = pending.filter((u) => u.update_id !== update.update_id);
          webhookError = undefined;
          await runReply(response.headers.get("content-type"), body);
        } catch (error) {
          if (closed) break;
          const message = error instanceof Error ? error.message : String(error);
          webhookError = { date: Math.floor(deps.now().getTime() / 1000), message };
          deps.log.warn?.({ update_id: update.update_id, reason: message }, "webhook delivery failed; will retry");
          await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs));
        }
      }
    } finally {
      delivering = false;
    }
  }

  async function runReply(contentType: string | null, body: string) {
    if (!contentType?.includes("application/json") || body.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    const { method, ...payload } = parsed as Record<string, unknown>;
    if (typeof method === "string") await deps.runWebhookReply(method, payload, stop.signal);
  }

  return {
    push,
    getUpdates,
    setWebhook(target: WebhookTarget, opts: { dropPending: boolean; allowedUpdates: unknown }) {
      if (opts.dropPending) pending = [];
      setAllowedUpdates(opts.allowedUpdates);
      webhook = target;
      for (const poller of pollers) poller.conflict();
      void deliverToWebhook();
    },
    deleteWebhook(dropPending: boolean) {
      webhook = undefined;
      if (dropPending) pending = [];
    },
    hasWebhook: () => webhook !== undefined,
    webhookInfo: (): WebhookInfo => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: pending.length,
      ...(webhook ? { max_connections: webhook.maxConnections } : {}),
      ...(webhook && webhookError ? { last_error_date: webhookError.date, last_error_message: webhookError.message } : {}),
      ...(webhook && allowedUpdates ? { allowed_updates: [...allowedUpdates] as WebhookInfo["allowed_updates"] } : {}),
    }),
    pending: () => [...pending],
    isPolling: () => pollers.size > 0,
    /** Pending long polls answer at once (empty), webhook delivery stops. */
    close() {
      closed = true;
      stop.abort();
      for (const poller of pollers) poller.wake();
    },
  };
}
