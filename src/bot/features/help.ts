import { Composer, type FilterQuery } from "grammy";
import type { BotContext } from "../context.js";
import { MENU } from "../keyboards/main-menu.js";

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
 * there looks like a broken bot; in a group people talk among themselves, so the bot stays quiet.
 */
export function notUnderstoodFeature() {
  const feature = new Composer<BotContext>();
  // Mid-flow this is a command the bot does not have (a typo): the question still waits for its answer.
  // A photo, sticker or voice note sent out of a flow gets the same answer as text: silence looks broken too.
  feature.chatType("private").on(SENT_BY_A_PERSON, (ctx) =>
    ctx.reply(ctx.t(Object.keys(ctx.conversation.active()).length > 0 ? "bot-not-understood-in-flow" : "bot-not-understood")),
  );
  // A refused "50.00" corrected by editing it to "50.000": the bot reads only new messages, and silence
  // would look as if the correction was taken. Said in private only (in a group people edit all day).
  feature.chatType("private").on("edited_message:text", (ctx) => ctx.reply(ctx.t("bot-edit-not-read"), { reply_parameters: { message_id: ctx.editedMessage.message_id, allow_sending_without_reply: true } }));
  return feature;
}
