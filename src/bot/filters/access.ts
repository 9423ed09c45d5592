import type { Context, MiddlewareFn } from "grammy";
import type { Store } from "../../store/types.js";
import type { BotContext, Role } from "../context.js";
import { ANOTHER_BOTS, leadingCommand } from "../leading-command.js";

export async function resolveRole(userId: number, deps: { ownerIds: readonly number[]; store: Store }): Promise<Role> {
  if (deps.ownerIds.includes(userId)) return "owner";
  return (await deps.store.access.getStaff(userId)) ? "staff" : "stranger";
}

/** `/start inv_<code>`: the one thing a stranger may do, in a private chat. */
export const INVITE_PAYLOAD = /^inv_([A-Za-z0-9_-]{8,64})$/;

export function isInviteStart(ctx: Context): boolean {
  if (ctx.chat?.type !== "private") return false;
  const text = ctx.message?.text ?? "";
  const m = /^\/start(?:@\w+)?\s+(\S+)$/.exec(text);
  // "/start@OtherBot ..." is another bot's command: grammY's command("start") would not take it either.
  return m !== null && leadingCommand(text, ctx.me.username) === "start" && INVITE_PAYLOAD.test(m[1] ?? "");
}

/** How long a stranger who addresses the bot in a group is not answered again there. */
export const STRANGER_QUIET_MS = 24 * 60 * 60 * 1000;

/**
 * Sets ctx.role and stops strangers. A stranger gets a short refusal with their user id (to give the
 * owner) and nothing else works for them: the session, conversations and features below never see their
 * updates, so a stranger leaves nothing in the store. In a group a stranger is answered only when they
 * address the bot (a command), and then once a day: every message in the shop group spends the group's
 * Telegram allowance (about 20 a minute), which the shop's "paid" notices need, so a neighbour typing
 * commands must not hold them up. A button press is answered with an alert, which costs the group nothing.
 */
export function accessGate(deps: { ownerIds: readonly number[]; store: Store }): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const user = ctx.from;
    // A linked channel's post copied into its discussion group: nobody there addressed the bot.
    if (ctx.message?.is_automatic_forward === true) return;
    if (ctx.message?.sender_chat !== undefined) return answerUnknownSender(ctx, deps.store);
    if (!user || user.is_bot) return;
    ctx.role = await resolveRole(user.id, deps);
    if (ctx.role !== "stranger" || isInviteStart(ctx)) return next();
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t("bot-access-refused-short", { userId: String(user.id) }), show_alert: true });
      return;
    }
    if (!ctx.message || ctx.chat === undefined) return;
    if (ctx.chat.type !== "private") {
      if (!(ctx.message.text?.startsWith("/") ?? false)) return;
      const first = await deps.store.atomic.setIfAbsent(`stranger-answered:${ctx.chat.id}:${user.id}`, "1", STRANGER_QUIET_MS);
      if (!first) return;
    }
    await ctx.reply(ctx.t("bot-access-refused", { userId: String(user.id) }), { parse_mode: "HTML" });
  };
}

/**
 * A message sent on behalf of a chat (an admin who remains anonymous, or who posts as the group or a
 * channel) hides who sent it, so no role can be read. An owner who types /linkgroup that way must not be met
 * with silence: a command for this bot is answered with how to send it as oneself, once a day per group.
 */
async function answerUnknownSender(ctx: BotContext, store: Store): Promise<void> {
  const command = leadingCommand(ctx.message?.text, ctx.me.username);
  if (command === undefined || command === ANOTHER_BOTS || ctx.chat === undefined) return;
  if (!(await store.atomic.setIfAbsent(`anonymous-answered:${ctx.chat.id}`, "1", STRANGER_QUIET_MS))) return;
  await ctx.reply(ctx.t("bot-access-anonymous"));
}

/** For owner-only handlers: refuses staff in words, lets owners through. */
export function ownerOnly(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.role === "owner") return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("bot-access-owner-only"), show_alert: true });
    else await ctx.reply(ctx.t("bot-access-owner-only"));
  };
}
