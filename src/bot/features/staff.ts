import { Composer, InlineKeyboard } from "grammy";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import type { BotContext, FeatureDeps } from "../context.js";
import type { StaffMember } from "../../store/types.js";
import { ownerOnly } from "../filters/access.js";
import { escapeHtml } from "../html.js";
import { MENU } from "../keyboards/main-menu.js";
import { privateChatClosed } from "../private-chat-closed.js";

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
    // In the removed cashier's language, not the owner's.
    await deps.recipientLanguage
      .textFor(userId, "bot-staff-removed-notice")
      .then((notice) => ctx.api.sendMessage(userId, notice))
      .catch((error: unknown) => deps.logger.warn({ err: error, userId }, "could not tell a removed cashier"));
    await showPartAgain(ctx, deps);
  });
  return feature;
}

/**
 * The link goes to the owner privately even when asked for in the shop group: whoever holds it becomes
 * staff. A group hears only that it was sent, or, when the bot cannot write to the owner privately (never
 * started, blocked), how to open that chat; the invite nobody received is then withdrawn.
 */
async function sendInvite(ctx: BotContext, deps: FeatureDeps) {
  const ownerId = ctx.from?.id;
  if (ownerId === undefined) return;
  const now = deps.now();
  const code = deps.newInviteCode();
  const expiresAt = new Date(now.getTime() + deps.inviteTtlMs);
  await deps.store.access.createInvite({ code, createdBy: ownerId, expiresAt: expiresAt.toISOString() });
  const botLink = `https://t.me/${deps.botUsername ?? ctx.me.username}`;
  const link = `${botLink}?start=inv_${code}`;
  const locale = await ctx.i18n.getLocale();
  const text = ctx.t("bot-invite-created", { link, expiresAt: formatJakartaTime(expiresAt, locale) });
  const closed = await ctx.api.sendMessage(ownerId, text, { link_preview_options: { is_disabled: true } }).then(
    () => undefined,
    (error: unknown) => {
      const reason = privateChatClosed(error);
      if (reason === undefined) throw error;
      return reason;
    },
  );
  if (closed !== undefined) {
    // Nobody received the link: use it up so it cannot be guessed or found in the store later.
    await deps.store.access.consumeInvite(code, deps.now());
    deps.logger.info({ userId: ownerId, reason: closed }, "invite withdrawn: the owner's private chat is closed to the bot");
    await ctx.reply(ctx.t("bot-invite-private-chat-closed", { link: botLink }), { link_preview_options: { is_disabled: true } });
    return;
  }
  if (ctx.chat?.type !== "private") await ctx.reply(ctx.t("bot-invite-sent-privately"));
}

/**
 * Cashiers a message at a time, each line with its own remove button: a single message of every cashier
 * passed Telegram's 4,096 characters at about fifty (fewer with long names), was refused, and the owner got
 * no list and no way to remove anyone.
 */
const STAFF_PER_MESSAGE = 20;
/** Telegram names run to 128 characters; a line and a button show the first ones. */
const SHOWN_NAME_CHARACTERS = 40;
const graphemes = new Intl.Segmenter("id", { granularity: "grapheme" });

function shortName(name: string): string {
  const characters = Array.from(graphemes.segment(name), (s) => s.segment);
  return characters.length <= SHOWN_NAME_CHARACTERS ? name : `${characters.slice(0, SHOWN_NAME_CHARACTERS - 1).join("")}…`;
}

async function sendStaffList(ctx: BotContext, deps: FeatureDeps) {
  const staff = await deps.store.access.listStaff();
  if (staff.length === 0) {
    await ctx.reply(ctx.t("bot-staff-empty"), { reply_markup: inviteButton(ctx) });
    return;
  }
  const locale = await ctx.i18n.getLocale();
  for (let from = 0; from < staff.length; from += STAFF_PER_MESSAGE) {
    const part = staffPart(ctx, staff.slice(from, from + STAFF_PER_MESSAGE), from === 0, locale);
    await ctx.reply(part.text, { parse_mode: "HTML", reply_markup: part.keyboard });
  }
}

/** What an empty list tells the owner to press ("Undang kasir"), under it. */
const inviteButton = (ctx: BotContext) => new InlineKeyboard().text(ctx.t("bot-menu-invite"), MENU.invite);

/** One message of the list: its cashiers' lines, each with a remove button, under the title when it is the first. */
function staffPart(ctx: BotContext, part: readonly StaffMember[], withTitle: boolean, locale: string): { text: string; keyboard: InlineKeyboard } {
  const lines = part.map((member) =>
    ctx.t("bot-staff-entry", {
      name: escapeHtml(shortName(member.name)),
      userId: String(member.userId),
      addedAt: formatJakartaTime(new Date(member.addedAt), locale),
    }),
  );
  const keyboard = new InlineKeyboard();
  for (const member of part) keyboard.text(ctx.t("bot-staff-remove-button", { name: shortName(member.name) }), `${REMOVE_PREFIX}${member.userId}`).row();
  return { text: [...(withTitle ? [ctx.t("bot-staff-title")] : []), ...lines].join("\n"), keyboard };
}

/**
 * After a removal, the pressed part of the list shows its cashiers as they are now: sending the whole list
 * again after each removal sent a big shop's owner six messages a press.
 */
async function showPartAgain(ctx: BotContext, deps: FeatureDeps) {
  const pressed = ctx.callbackQuery?.message;
  const shownIds = new Set(
    (pressed?.reply_markup?.inline_keyboard ?? [])
      .flat()
      .map((button) => ("callback_data" in button ? button.callback_data : ""))
      .filter((data) => data.startsWith(REMOVE_PREFIX))
      .map((data) => Number(data.slice(REMOVE_PREFIX.length))),
  );
  const staff = await deps.store.access.listStaff();
  const part = staff.filter((member) => shownIds.has(member.userId));
  const withTitle = pressed !== undefined && "text" in pressed && (pressed.text ?? "").startsWith(ctx.t("bot-staff-title"));
  if (part.length === 0) {
    const empty = staff.length === 0;
    await ctx.editMessageText(empty ? ctx.t("bot-staff-empty") : ctx.t("bot-staff-part-empty"), empty ? { reply_markup: inviteButton(ctx) } : {}).catch(() => undefined);
    return;
  }
  const shown = staffPart(ctx, part, withTitle, await ctx.i18n.getLocale());
  // Too old to edit, or deleted: /staff shows the list again.
  await ctx.editMessageText(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard }).catch(() => undefined);
}
