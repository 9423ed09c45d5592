import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Last in line: a button nobody answers (from a finished or abandoned flow) still stops its spinner. */
export function expiredButtonsFeature() {
  const feature = new Composer<BotContext>();
  feature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("bot-flow-button-expired") }));
  return feature;
}
