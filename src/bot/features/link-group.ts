import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context.js";
import { ownerOnly } from "../filters/access.js";
import { escapeHtml } from "../html.js";

/** An owner links the shop's group (in the group itself) so the notifier posts "paid" messages there. */
export function linkGroupFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  const owner = ownerOnly();
  feature.command("linkgroup", owner, async (ctx) => {
    if (ctx.chat.type !== "group" && ctx.chat.type !== "supergroup") {
      await ctx.reply(ctx.t("bot-group-only"));
      return;
    }
    await deps.store.access.linkGroup({
      chatId: ctx.chat.id,
      title: ctx.chat.title,
      linkedBy: ctx.from?.id ?? 0,
      linkedAt: deps.now().toISOString(),
    });
    deps.logger.info({ chatId: ctx.chat.id, linkedBy: ctx.from?.id }, "group linked");
    await ctx.reply(ctx.t("bot-group-linked", { title: escapeHtml(ctx.chat.title) }), { parse_mode: "HTML" });
  });
  feature.command("unlinkgroup", owner, async (ctx) => {
    if (ctx.chat.type !== "group" && ctx.chat.type !== "supergroup") {
      await ctx.reply(ctx.t("bot-group-only"));
      return;
    }
    const removed = await deps.store.access.unlinkGroup(ctx.chat.id);
    await ctx.reply(ctx.t(removed ? "bot-group-unlinked" : "bot-group-not-linked"));
  });
  return feature;
}
