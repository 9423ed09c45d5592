import { Composer, type FilterQuery } from "grammy";
import { withoutBotMention } from "../bot-mention.js";
import type { BotContext } from "../context.js";
import { flowWaitsHere } from "../flow/ask.js";
import { MENU } from "../keyboards/main-menu.js";
import { ANOTHER_BOTS, commandNamesThisBot, leadingCommand } from "../leading-command.js";

export function helpFeature() {
  const feature = new Composer<BotContext>();
  const help = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const parts = [ctx.t("bot-help")];
    if (ctx.role === "owner") parts.push(ctx.t("bot-help-owner"));
    await ctx.reply(parts.join("\n\n"), { parse_mode: "HTML" });
  };
  feature.command("help", help);
  feature.callbackQuery(MENU.help, help);
  return feature;
}

const SENT_BY_A_PERSON: FilterQuery[] = [
  "message:text",
  "message:photo",
  "message:sticker",
  "message:voice",
  "message:video",
  "message:video_note",
  "message:audio",
  "message:animation",
  "message:document",
  "message:contact",
  "message:location",
];

/**
 * Last in line: text that nothing else took (no flow waiting, no command), in a private chat. Silence
 * there looks like a broken bot; in a group people talk among themselves, so the bot stays quiet unless
 * the message was meant for it.
 */
export function notUnderstoodFeature() {
  const feature = new Composer<BotContext>();
  // Mid-flow this is a command the bot does not have (a typo): the question still waits for its answer.
  // A photo, sticker or voice note sent out of a flow gets the same answer as text: silence looks broken too.
  feature.chatType("private").on(SENT_BY_A_PERSON, (ctx) =>
    ctx.reply(ctx.t(flowWaitsHere(ctx) ? "bot-not-understood-in-flow" : "bot-not-understood")),
  );
  // In a group, a command meant for the bot that nothing took: addressed to it ("/batl@toko_bot"), or typed by
  // someone whose flow waits here (a typo of /batal). Other commands may be other bots', and stay unanswered.
  feature.chatType(["group", "supergroup"]).on("message:text", async (ctx, next) => {
    const command = leadingCommand(ctx.message.text, ctx.me.username);
    const addressed = commandNamesThisBot(ctx.message.text, ctx.me.username);
    const inFlow = flowWaitsHere(ctx);
    if (command === undefined || command === ANOTHER_BOTS || !(addressed || inFlow)) return next();
    await ctx.reply(ctx.t(inFlow ? "bot-not-understood-in-flow" : "bot-not-understood"), { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } });
  });
  // A refused "50.00" corrected by editing it to "50.000": the bot reads only new messages, and silence
  // would look as if the correction was taken. In a group, only for someone whose flow waits there, editing a
  // message meant for the bot (a reply to it, or a mention of it): people edit their own chat all day, "Siap
  // bu" to a paid notice included.
  feature.on("edited_message:text", async (ctx, next) => {
    const edited = ctx.editedMessage;
    const meant = edited.reply_to_message?.from?.id === ctx.me.id || withoutBotMention(edited.text, ctx.me.username) !== undefined;
    if (edited.chat.type !== "private" && !(meant && flowWaitsHere(ctx))) return next();
    await ctx.reply(ctx.t("bot-edit-not-read"), { reply_parameters: { message_id: edited.message_id, allow_sending_without_reply: true } });
  });
  return feature;
}
