import { underSandboxBanner } from "../sandbox-banner.js";
import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context.js";
import { INVITE_PAYLOAD } from "../filters/access.js";
import { escapeHtml } from "../html.js";
import { mainMenuKeyboard } from "../keyboards/main-menu.js";

export function displayName(user: { first_name: string; last_name?: string | undefined; username?: string | undefined }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || "?";
}

async function showMenu(ctx: BotContext, sandboxMode: boolean) {
  const lines: string[] = [];
  const name = escapeHtml(ctx.from ? displayName(ctx.from) : "");
  lines.push(ctx.t(ctx.role === "owner" ? "bot-welcome-owner" : "bot-welcome-staff", { name }));
  lines.push(ctx.t("bot-menu-title"));
  await ctx.reply(underSandboxBanner(lines.join("\n\n"), ctx.t, sandboxMode), { parse_mode: "HTML", reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
}

/**
 * /start (and /menu): the main menu; `/start inv_<code>` from an invite link makes a stranger staff,
 * once, before the link expires. The access filter lets only this through for strangers.
 */
export function startFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  feature.command("start", async (ctx) => {
    const invite = INVITE_PAYLOAD.exec(ctx.match.trim());
    const user = ctx.from;
    if (invite && user && ctx.chat.type === "private") {
      if (ctx.role !== "stranger") {
        await ctx.reply(ctx.t("bot-invite-already-member"));
        return showMenu(ctx, deps.sandboxMode);
      }
      const used = await deps.store.access.consumeInvite(invite[1] ?? "", deps.now());
      // A link made by someone no longer an owner (taken out of OWNER_IDS since) makes nobody a cashier.
      if (!used || !deps.ownerIds.includes(used.createdBy)) {
        await ctx.reply(ctx.t("bot-invite-invalid"));
        return;
      }
      const name = displayName(user);
      await deps.store.access.addStaff({ userId: user.id, name, addedBy: used.createdBy, addedAt: deps.now().toISOString() });
      deps.logger.info({ userId: user.id, addedBy: used.createdBy }, "staff joined through an invite");
      ctx.role = "staff";
      await ctx.reply(ctx.t("bot-invite-accepted", { name: escapeHtml(name) }), { parse_mode: "HTML" });
      // In the owner's language, not the newcomer's.
      await deps.recipientLanguage
        .textFor(used.createdBy, "bot-invite-joined-notice", { name: escapeHtml(name), userId: String(user.id) })
        .then((notice) => ctx.api.sendMessage(used.createdBy, notice, { parse_mode: "HTML" }))
        .catch((error: unknown) => deps.logger.warn({ err: error }, "could not tell the owner a cashier joined"));
      return showMenu(ctx, deps.sandboxMode);
    }
    if (ctx.role === "stranger") return;
    await showMenu(ctx, deps.sandboxMode);
    // Not awaited: her next message must not wait on Telegram taking a menu.
    if (ctx.role === "owner" && ctx.chat.type === "private" && user) void deps.ownerOpenedTheBot?.(user.id);
  });
  feature.command("menu", (ctx) => showMenu(ctx, deps.sandboxMode));
  feature.callbackQuery("menu:home", async (ctx) => {
    await ctx.answerCallbackQuery();
    await showMenu(ctx, deps.sandboxMode);
  });
  return feature;
}
