import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context.js";
import { withoutBotMention } from "../bot-mention.js";
import { flowWaitsHere } from "../flow/ask.js";
import { doubtfulCreateKey } from "../flow/create-payment.js";
import { DISBURSE } from "./disbursement.js";
import { mainMenuKeyboard } from "../keyboards/main-menu.js";

/**
 * Something a flow left waiting for the person's press after the flow itself ended (a transfer's summary):
 * ends it if there is one, and answers what to say; undefined when there is nothing of its kind.
 */
export type CancelLeftover = (ctx: BotContext) => Promise<string | undefined>;

/**
 * /cancel (or /batal, or "batal" typed while a question waits) leaves any flow at once, and ends what a finished flow left waiting (the owner was told at every
 * question that /cancel stops the transfer, and the summary is still part of it).
 * It must sit after conversations() and before the createConversation calls, or the active flow would read
 * "/cancel" as its answer.
 */
export function cancelFeature(deps: Pick<FeatureDeps, "store">, leftovers: readonly CancelLeftover[] = []) {
  const feature = new Composer<BotContext>();
  const cancel = async (ctx: BotContext) => {
    const flows = Object.keys(ctx.conversation.active());
    const active = flows.length > 0;
    // A transfer stopped midway is told in money's words: "nothing was created" leaves the owner wondering.
    const done = flows.length > 0 && flows.every((flow) => flow === DISBURSE) ? "disburse-cancelled" : "bot-cancel-done";
    await ctx.conversation.exitAll();
    // Left at "Coba lagi" after an unanswered create: it may exist, so "nothing was created" would be untrue,
    // also when the flow itself is gone (dropped after its idle time).
    const doubtful = (await deps.store.atomic.take(doubtfulCreateKey(ctx.chatId ?? 0, ctx.from?.id ?? 0))) !== undefined;
    const said: string[] = active || doubtful ? [ctx.t(doubtful ? "bot-cancel-maybe-made" : done)] : [];
    // What earlier flows left waiting goes too, whether or not a flow was running.
    for (const leftover of leftovers) {
      const text = await leftover(ctx);
      if (text !== undefined) said.push(text);
    }
    // A transfer's questions and an earlier transfer's summary both end in the same words: said once.
    const lines = [...new Set(said)];
    await ctx.reply(lines.length > 0 ? lines.join("\n") : ctx.t("bot-cancel-nothing"), { reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
  };
  feature.command(["cancel", "batal"], cancel);
  // "batal" typed on its own while a question waits is what an Indonesian shop owner writes to stop; read as
  // an answer it became the customer's name. Outside a flow it is just a word (a group chats freely).
  feature.on("message:text", async (ctx, next) => {
    if (!saysStop(ctx.message.text, ctx.me.username) || !flowWaitsHere(ctx)) return next();
    await cancel(ctx);
  });
  return feature;
}

/**
 * "batal" as a shop writes it to stop: "Batal.", "batal aja", "gak jadi", "cancel!", and in a group with
 * the bot's @username before or after it (how an answer reaches the bot there). None is anyone's name.
 */
const STOP_WORDS = /^(?:batal|cancel|(?:gak|ga|nggak|enggak|tidak|tak) jadi)(?:\s+(?:aja|saja|dulu|deh|ya))?[\s.!]*$/i;

function saysStop(text: string, botUsername: string): boolean {
  return STOP_WORDS.test(withoutBotMention(text, botUsername) ?? text.trim());
}
