import { Composer } from "grammy";
import { isLocale } from "../../i18n.js";
import type { BotContext } from "../context.js";
import { choiceKeyboard } from "../keyboards/choices.js";
import { mainMenuKeyboard, MENU } from "../keyboards/main-menu.js";

/** Indonesian unless the user picks English; the choice is kept in their session (per user, all chats). */
export function languageFeature() {
  const feature = new Composer<BotContext>();
  const ask = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const keyboard = choiceKeyboard([
      [ctx.t("bot-lang-id"), "lang:id"],
      [ctx.t("bot-lang-en"), "lang:en"],
    ]);
    await ctx.reply(ctx.t("bot-lang-choose"), { reply_markup: keyboard });
  };
  feature.command(["language", "bahasa"], ask);
  feature.callbackQuery(MENU.language, ask);
  feature.callbackQuery(/^lang:(\w+)$/, async (ctx) => {
    const locale = ctx.match[1];
    await ctx.answerCallbackQuery();
    if (!isLocale(locale)) return;
    ctx.session.language = locale;
    ctx.i18n.useLocale(locale);
    await ctx.reply(ctx.t("bot-lang-set"), { reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
  });
  return feature;
}
