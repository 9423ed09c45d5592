import type { Transformer } from "grammy";
import { hideBotTokens, type Logger } from "../logger.js";

/** While Telegram stays out of reach, at most one warning per this long. */
const WARN_EVERY_MS = 60_000;

/**
 * Long polling retries a Telegram it cannot reach by itself, quietly, for as long as it takes: the bot looked
 * well (healthy, no log line) while no cashier's message reached it. Installed under the retry plugin, this
 * sees every getUpdates attempt: a warning when they start failing (and once a minute while they do), and a
 * line when Telegram answers again. Never the payload or the token: the method, the reason, how long.
 */
export function watchTelegramReachability(logger: Logger, now: () => number = Date.now): Transformer {
  let failingSince: number | undefined;
  let lastWarnAt = 0;
  let failures = 0;
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const response = await prev(method, payload, signal);
      // A 5xx is Telegram's trouble as much as no answer; a 4xx (409, 401) ends polling and is logged there.
      if (!response.ok && response.error_code >= 500) failed(`HTTP ${response.error_code}`);
      else recovered();
      return response;
    } catch (error) {
      if (signal?.aborted !== true) failed(error instanceof Error ? hideBotTokens(error.message.split("\n")[0] ?? "").slice(0, 120) || error.name : String(error));
      throw error;
    }
  };

  function failed(reason: string) {
    const at = now();
    failingSince ??= at;
    failures += 1;
    if (at - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = at;
    logger.warn({ reason, failures, failingForS: Math.round((at - failingSince) / 1000) }, "Telegram not reachable: no updates come in; retrying");
  }

  function recovered() {
    if (failingSince === undefined) return;
    logger.info({ failures, failedForS: Math.round((now() - failingSince) / 1000) }, "Telegram reachable again: updates come in");
    failingSince = undefined;
    lastWarnAt = 0;
    failures = 0;
  }
}
