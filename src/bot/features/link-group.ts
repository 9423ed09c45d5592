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
    // Typed in a topic of a group with topics: the notices go to that topic, which the shop chose for them
    // (the rest of the group may be busy, or General closed). Linked again elsewhere, they follow.
    const topicId = ctx.msg?.is_topic_message === true ? ctx.msg.message_thread_id : undefined;
    await deps.store.access.linkGroup({
      chatId: ctx.chat.id,
      title: ctx.chat.title,
      linkedBy: ctx.from?.id ?? 0,
      linkedAt: deps.now().toISOString(),
      ...(topicId !== undefined ? { topicId } : {}),
    });
    deps.logger.info({ chatId: ctx.chat.id, topicId, linkedBy: ctx.from?.id }, "group linked");
    const title = escapeHtml(ctx.chat.title);
    const topic = ctx.msg?.reply_to_message?.forum_topic_created?.name;
    // The topic's name is shown when the message carries it; it is never the selector (a topic may be named "none").
    const text =
      topicId === undefined
        ? ctx.t("bot-group-linked", { title })
        : ctx.t("bot-group-linked-topic", { title, named: topic !== undefined ? "yes" : "no", topic: escapeHtml(topic ?? "") });
    await ctx.reply(text, { parse_mode: "HTML" });
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

/**
 * The bot was removed from a linked group (kicked, or made to leave): Telegram refuses every message to it
 * from now on, so the link goes, and the owners hear of it in private, in their language, with how to link
 * it again; until then, each payment is told to whoever made it. Telegram says it once (a redelivery finds
 * no link and says nothing). Before the access gate: whoever removed the bot (any admin) is not the point.
 */
export function groupLeftFeature(deps: Pick<FeatureDeps, "store" | "logger" | "ownerIds" | "recipientLanguage">) {
  const feature = new Composer<Context>();
  feature.on("my_chat_member", async (ctx, next) => {
    const { chat } = ctx;
    const status = ctx.myChatMember.new_chat_member.status;
    if ((chat.type !== "group" && chat.type !== "supergroup") || (status !== "left" && status !== "kicked")) return next();
    if (!(await deps.store.access.unlinkGroup(chat.id))) return;
    deps.logger.warn({ chatId: chat.id }, "bot removed from a linked group: unlinked, owners told");
    for (const ownerId of deps.ownerIds) {
      try {
        const notice = await deps.recipientLanguage.textFor(ownerId, "bot-group-removed-notice", { title: escapeHtml(chat.title) });
        await ctx.api.sendMessage(ownerId, notice, { parse_mode: "HTML" });
      } catch (error) {
        deps.logger.warn({ err: error, ownerId }, "could not tell an owner that the shop group was unlinked");
      }
    }
  });
  return feature;
}
