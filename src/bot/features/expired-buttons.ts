import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { flowButtonOwner } from "../flow/ask.js";

/**
 * Last in line: a button nobody answers still stops its spinner. Usually it is left from a finished or
 * abandoned flow; a flow's button pressed by someone other than the person whose flow it is (another
 * cashier in the shop group) is theirs alone, and the presser is told so rather than that it expired.
 */
export function expiredButtonsFeature() {
  const feature = new Composer<BotContext>();
  feature.on("callback_query", async (ctx) => {
    const owner = flowButtonOwner(ctx.callbackQuery.data ?? "");
    const someoneElses = owner !== undefined && owner !== ctx.from.id;
    await ctx.answerCallbackQuery({ text: ctx.t(someoneElses ? "bot-flow-button-someone-else" : "bot-flow-button-expired") });
  });
  return feature;
}
