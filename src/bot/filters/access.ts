import type { Context, MiddlewareFn } from "grammy";
import type { Store } from "../../store/types.js";
import type { BotContext, Role } from "../context.js";

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
  return m !== null && INVITE_PAYLOAD.test(m[1] ?? "");
}

/**
 * Sets ctx.role and stops strangers. A stranger gets one short refusal with their user id (to give the
 * owner) and nothing else works for them: the conversations and features below never see their updates.
 * In groups a stranger is answered only when they address the bot (a command or a button), so the bot
 * does not talk over a busy shop group.
 */
export function accessGate(deps: { ownerIds: readonly number[]; store: Store }): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const user = ctx.from;
    if (!user || user.is_bot) return;
    ctx.role = await resolveRole(user.id, deps);
    if (ctx.role !== "stranger" || isInviteStart(ctx)) return next();
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t("bot-access-refused-short", { userId: String(user.id) }), show_alert: true });
      return;
    }
    const addressed = ctx.chat?.type === "private" || (ctx.message?.text?.startsWith("/") ?? false);
    if (ctx.message && addressed) {
      await ctx.reply(ctx.t("bot-access-refused", { userId: String(user.id) }), { parse_mode: "HTML" });
    }
  };
}

/** For owner-only handlers: refuses staff in words, lets owners through. */
export function ownerOnly(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.role === "owner") return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("bot-access-owner-only"), show_alert: true });
    else await ctx.reply(ctx.t("bot-access-owner-only"));
  };
}
