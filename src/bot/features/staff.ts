import { Composer, InlineKeyboard } from "grammy";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import type { BotContext, FeatureDeps } from "../context.js";
import { ownerOnly } from "../filters/access.js";
import { escapeHtml } from "../html.js";
import { MENU } from "../keyboards/main-menu.js";

const REMOVE_PREFIX = "staff-rm:";

/** Owner tools: a one-time invite link for a new cashier, the list of cashiers with remove buttons. */
export function staffFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  const owner = ownerOnly();
  feature.command("invite", owner, (ctx) => sendInvite(ctx, deps));
  feature.callbackQuery(MENU.invite, owner, async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendInvite(ctx, deps);
  });
  feature.command("staff", owner, (ctx) => sendStaffList(ctx, deps));
  feature.callbackQuery(MENU.staff, owner, async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendStaffList(ctx, deps);
  });
  feature.callbackQuery(new RegExp(`^${REMOVE_PREFIX}(\\d+)$`), owner, async (ctx) => {
    const userId = Number(ctx.match[1]);
    const member = await deps.store.access.getStaff(userId);
    const removed = member !== undefined && (await deps.store.access.removeStaff(userId));
    await ctx.answerCallbackQuery();
    if (!removed) {
      await ctx.reply(ctx.t("bot-staff-not-found"));
      return;
    }
    deps.logger.info({ userId, removedBy: ctx.from.id }, "staff removed");
    await ctx.reply(ctx.t("bot-staff-removed", { name: escapeHtml(member.name) }), { parse_mode: "HTML" });
    await ctx.api.sendMessage(userId, ctx.t("bot-staff-removed-notice")).catch(() => undefined);
    await sendStaffList(ctx, deps);
  });
  return feature;
}

async function sendInvite(ctx: BotContext, deps: FeatureDeps) {
  const now = deps.now();
  const code = deps.newInviteCode();
  const expiresAt = new Date(now.getTime() + deps.inviteTtlMs);
  await deps.store.access.createInvite({ code, createdBy: ctx.from?.id ?? 0, expiresAt: expiresAt.toISOString() });
  const username = deps.botUsername ?? ctx.me.username;
  const link = `https://t.me/${username}?start=inv_${code}`;
  const locale = await ctx.i18n.getLocale();
  // Sent privately even when asked in a group: whoever holds the link becomes staff.
  const target = ctx.from?.id ?? ctx.chatId ?? 0;
  await ctx.api.sendMessage(target, ctx.t("bot-invite-created", { link, expiresAt: formatJakartaTime(expiresAt, locale) }), {
    link_preview_options: { is_disabled: true },
  });
}

async function sendStaffList(ctx: BotContext, deps: FeatureDeps) {
  const staff = await deps.store.access.listStaff();
  if (staff.length === 0) {
    await ctx.reply(ctx.t("bot-staff-empty"));
    return;
  }
  const locale = await ctx.i18n.getLocale();
  const lines = staff.map((member) =>
    ctx.t("bot-staff-entry", {
      name: escapeHtml(member.name),
      userId: String(member.userId),
      addedAt: formatJakartaTime(new Date(member.addedAt), locale),
    }),
  );
  const keyboard = new InlineKeyboard();
  for (const member of staff) keyboard.text(ctx.t("bot-staff-remove-button", { name: member.name }), `${REMOVE_PREFIX}${member.userId}`).row();
  await ctx.reply([ctx.t("bot-staff-title"), ...lines].join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
}
