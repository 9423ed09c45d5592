import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context.js";
import { doubtfulCreateKey } from "../flow/create-payment.js";
import { mainMenuKeyboard } from "../keyboards/main-menu.js";

/**
 * /cancel leaves any flow at once. It must sit after conversations() and before the createConversation
 * calls, or the active flow would read "/cancel" as its answer.
 */
export function cancelFeature(deps: Pick<FeatureDeps, "store">) {
  const feature = new Composer<BotContext>();
  feature.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    // Left at "Coba lagi" after an unanswered create: it may exist, so "nothing was created" would be untrue.
    const doubtful = (await deps.store.atomic.take(doubtfulCreateKey(ctx.chatId ?? 0, ctx.from?.id ?? 0))) !== undefined;
    const text = !active ? "bot-cancel-nothing" : doubtful ? "bot-cancel-maybe-made" : "bot-cancel-done";
    await ctx.reply(ctx.t(text), { reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
  });
  return feature;
}
