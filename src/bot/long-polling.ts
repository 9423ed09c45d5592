import { createConcurrentSink, createRunner, createSource, createUpdateFetcher } from "@grammyjs/runner";
import type { Bot, BotError, Context } from "grammy";
import type { Update } from "grammy/types";
import { outcomeWithin } from "../deadline.js";

export interface LongPolling {
  /** Settles when polling ends: resolves after `stop`, rejects when Telegram ends it (401, or 409 from a second poller). */
  readonly ended: Promise<void>;
  /**
   * Stops taking updates, waits up to `graceMs` for the ones in hand, then confirms the last batch to Telegram
   * so a restart does not get its finished updates again. `finished`: none was still running when the grace ran out.
   */
  stop(graceMs: number): Promise<{ finished: boolean; confirmError?: unknown }>;
}

/**
 * Long polling through grammY's runner instead of `bot.start()`, which handles one update at a time: there,
 * one cashier's create waiting on a slow gateway (up to its timeout times its attempts) held every other chat
 * of the shop. Here updates run side by side; the bot's `sequentialize` keeps each person's own in order.
 *
 * The price: the runner confirms a batch to Telegram as soon as it asks for the next one, not once it is
 * handled, so an update still running when the process stops does not come again after the restart, as it
 * did with `bot.start()`. The flows are built for that: a press cut off mid-call is simply pressed again
 * (one summary makes one payment whatever the number of presses), and a transfer cut off is concluded by
 * the disbursement watch. At stop, the last batch (which no later request confirmed) is confirmed up to
 * the oldest update still running.
 */
export function startLongPolling<C extends Context>(
  bot: Bot<C>,
  options: { allowedUpdates: readonly string[]; concurrency?: number | undefined },
): LongPolling {
  const fetchUpdates = createUpdateFetcher(bot, {
    fetch: { allowed_updates: [...options.allowedUpdates] as never },
    // Transient errors are retried with backoff, as bot.start() does, without the runner's console output.
    silent: true,
  });
  const inHand = new Set<number>();
  let nextOffset: number | undefined;
  const whenIdle: Array<() => void> = [];
  const sink = createConcurrentSink<Update, BotError<C>>(
    {
      async consume(update) {
        inHand.add(update.update_id);
        nextOffset = Math.max(nextOffset ?? 0, update.update_id + 1);
        try {
          await bot.handleUpdate(update);
        } finally {
          inHand.delete(update.update_id);
          if (inHand.size === 0) for (const resolve of whenIdle.splice(0)) resolve();
        }
      },
    },
    async (error) => {
      await bot.errorHandler(error);
    },
    { concurrency: options.concurrency ?? 100 },
  );
  const supply = async (batchSize: number, signal: Parameters<typeof fetchUpdates>[1]) => {
    await bot.init();
    return fetchUpdates(batchSize, signal);
  };
  const runner = createRunner(createSource({ supply }), sink);
  runner.start();
  const ended = runner.task() ?? Promise.resolve();

  return {
    ended,
    async stop(graceMs) {
      await runner.stop();
      const idle = inHand.size === 0 || (await outcomeWithin(new Promise<void>((resolve) => whenIdle.push(resolve)), graceMs)) !== "late";
      if (nextOffset === undefined) return { finished: idle };
      try {
        await bot.api.getUpdates({ offset: inHand.size > 0 ? Math.min(...inHand) : nextOffset, limit: 1, timeout: 0 });
        return { finished: idle };
      } catch (confirmError) {
        return { finished: idle, confirmError };
      }
    },
  };
}
