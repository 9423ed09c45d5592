import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { mainMenuKeyboard } from "../keyboards/main-menu.js";

/**
 * /cancel leaves any flow at once. It must sit after conversations() and before the createConversation
 * calls, or the active flow would read "/cancel" as its answer.
 */
export function cancelFeature() {
  const feature = new Composer<BotContext>();
  feature.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t(active ? "bot-cancel-done" : "bot-cancel-nothing"), { reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
  });
  return feature;
}
