import { Composer, type Context } from "grammy";
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

/**
 * Telegram turned a group into a supergroup, which has a new id: a linked group's link follows it, so its
 * notifications go straight there and /unlinkgroup works in it. Runs before the access gate: whoever
 * upgraded the group (any admin, staff or not) is not the point, and the bot says nothing.
 */
export function groupMovedFeature(deps: Pick<FeatureDeps, "store" | "logger">) {
  const feature = new Composer<Context>();
  const follow = async (fromChatId: number, toChatId: number) => {
    if (await deps.store.access.moveGroup(fromChatId, toChatId)) deps.logger.info({ fromChatId, toChatId }, "linked group moved to its supergroup");
  };
  // Telegram says it in both chats; whichever arrives first moves the link, the other finds nothing to move.
  feature.on("message:migrate_to_chat_id", (ctx) => follow(ctx.chat.id, ctx.message.migrate_to_chat_id));
  feature.on("message:migrate_from_chat_id", (ctx) => follow(ctx.message.migrate_from_chat_id, ctx.chat.id));
  return feature;
}
