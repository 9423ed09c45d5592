import type { Bot, Context } from "grammy";
import { startLongPolling, type LongPolling } from "../../src/bot/long-polling.js";
import type { LocalBotApi } from "../../src/telegram-local/index.js";

/**
 * Starts a bot's long polling against the local Bot API and resolves once it is polling, so a story's first
 * message is not sent before anyone listens. `ended` resolves when the loop has ended: after bot.stop(), once
 * the update in hand is fully handled and saved; it rejects if polling failed.
 */
export function startPolling<C extends Context>(bot: Bot<C>): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const ended = bot.start({ onStart: () => resolve({ ended }) });
    ended.catch(reject);
  });
}

/**
 * The product's long polling (src/bot/long-polling.ts: updates side by side, each person's in order),
 * resolved once its first getUpdates is waiting on the local Bot API.
 */
export async function startConcurrentPolling<C extends Context>(bot: Bot<C>, telegram: LocalBotApi, allowedUpdates: readonly string[] = []): Promise<LongPolling> {
  const polling = startLongPolling(bot, { allowedUpdates });
  const deadline = Date.now() + 10_000;
  let failed: unknown;
  polling.ended.catch((error: unknown) => (failed = error));
  while (!telegram.isPolling()) {
    if (failed !== undefined) throw failed;
    if (Date.now() > deadline) throw new Error("long polling did not start within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return polling;
}
