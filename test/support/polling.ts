import type { Bot, Context } from "grammy";

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
