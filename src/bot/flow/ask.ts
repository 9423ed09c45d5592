import { formatRupiah } from "../../domain/rupiah.js";
import { checkCustomerName, type InvalidReason } from "../../domain/validation.js";
import { createConversation } from "@grammyjs/conversations";
import type { BotContext, Flow, FlowContext } from "../context.js";
import { escapeHtml, quoteTyped } from "../html.js";
import { choiceKeyboard } from "../keyboards/choices.js";
import { withoutBotMention } from "../bot-mention.js";
import { ANOTHER_BOTS, leadingCommand } from "../leading-command.js";
import { MENU } from "../keyboards/main-menu.js";

/**
 * Buttons of one run of a flow carry its nonce, so a button left over from an earlier, abandoned flow cannot
 * answer a question of this one, and the Telegram id of the person the flow belongs to, so someone else
 * pressing it (another cashier in the shop group) can be told whose it is ("f:<nonce>:<user id>:<choice>").
 */
export async function newFlowNonce(flow: Flow): Promise<string> {
  return Math.floor((await flow.random()) * 36 ** 6)
    .toString(36)
    .padStart(6, "0");
}

/** The flow's person is whoever the update came from: flows are kept per person per chat. */
const buttonPrefix = (nonce: string, ctx: FlowContext) => `f:${nonce}:${ctx.from?.id ?? 0}:`;
const buttonData = (nonce: string, ctx: FlowContext, choice: string) => buttonPrefix(nonce, ctx) + choice;

/** Also reads "f:<nonce>:<choice>", without an owner: buttons sent before owners were written on them. */
const FLOW_BUTTON = /^f:([0-9a-z]+):(?:(\d+):)?(.*)$/s;

/** The choice a button of this flow stands for, or undefined if the button is not of this flow. */
function choiceOf(data: string, nonce: string): string | undefined {
  const match = FLOW_BUTTON.exec(data);
  return match?.[1] === nonce ? match[3] : undefined;
}

/** The Telegram id of the person whose flow a button belongs to, if it is a flow's button that says so. */
export function flowButtonOwner(data: string): number | undefined {
  const owner = FLOW_BUTTON.exec(data)?.[2];
  return owner === undefined || owner === "0" ? undefined : Number(owner);
}

/**
 * Looking something up on the way (recent payments, help, the staff list, the language), or an owner's task
 * done in one answer (an invite link, linking or unlinking the group), is not changing one's mind: it is
 * answered and the flow keeps waiting, so the next answer or the summary's button still works afterwards.
 */
const LOOK_UP_COMMANDS: ReadonlySet<string> = new Set(["payments", "pembayaran", "help", "language", "bahasa", "staff", "invite", "linkgroup", "unlinkgroup"]);
const LOOK_UP_BUTTONS: ReadonlySet<string> = new Set([MENU.payments, MENU.help, MENU.language, MENU.staff, MENU.invite]);

/**
 * The owner's tools (the ones done in one answer are look-ups above). Asked for by a cashier, they are refused by their
 * feature, and that is no change of mind either: the flow keeps waiting, as for a look-up. Keep these in
 * step with the features that answer them with ownerOnly() or a role check (disbursement, staff, link-group).
 */
const OWNER_ONLY_COMMANDS: ReadonlySet<string> = new Set(["disburse", "kirimdana", "invite", "linkgroup", "unlinkgroup"]);
const OWNER_ONLY_BUTTONS: ReadonlySet<string> = new Set([MENU.disburse, MENU.invite]);

/**
 * The commands that start something else: asked for mid-flow, the merchant changed their mind, and the flow
 * ends. Any other command (a typo such as /foo) is not one: it is answered (see help.ts) and the flow keeps
 * waiting, so the answer that follows is not lost.
 */
const CHANGE_OF_MIND_COMMANDS: ReadonlySet<string> = new Set(["start", "menu", "va", "virtualaccount", "alfamart", "alfa", "disburse", "kirimdana"]);

/** Case kept: "/VA" is no command of ours, so it must not end a flow that nothing else then picks up. */
const commandOf = (ctx: FlowContext) => leadingCommand(ctx.message?.text, ctx.me.username);

/**
 * What a person sends: text, media, a contact, a poll... A message with none of these is Telegram's own
 * (someone joined, a pin, a new title, a video chat) and answers no question.
 */
const SENT_CONTENT = [
  "text",
  "photo",
  "sticker",
  "voice",
  "video",
  "video_note",
  "audio",
  "animation",
  "document",
  "contact",
  "location",
  "venue",
  "poll",
  "dice",
  "story",
  "game",
] as const;

/**
 * Whether an update can be an answer to the flow's question. Not: what is not a message or a button press
 * (the bot made admin, an edit), a service message, or, in a group, a message that neither replies to the
 * bot nor mentions it. The last is the group's own chat ("Oke bu" to the owner), which the bot sees once it
 * is an admin or its privacy mode is off, and which must not become a customer's name; a question's answer
 * comes as a reply to it (force_reply), as with privacy mode on.
 */
function mayAnswer(flow: Flow, ctx: FlowContext, questions: ReadonlySet<number> | undefined): boolean {
  if (ctx.callbackQuery !== undefined) return true;
  const message = ctx.message;
  if (message === undefined || !SENT_CONTENT.some((key) => key in message)) return false;
  if (ctx.chat?.type === "private") return true;
  const repliedTo = message.reply_to_message;
  // A reply to the question (or its re-ask), not to any of the bot's messages: "Siap bu" to a paid notice
  // is the group's chat. A question asked with buttons has no typed answer to protect (it only nudges).
  // A reply to one of the flow's earlier questions is let through too: askUntilRead points her to the open one.
  if (repliedTo?.from?.id === ctx.me.id && (questions === undefined || questions.has(repliedTo.message_id) || typedQuestions(flow).has(repliedTo.message_id))) return true;
  return withoutBotMention(message.text ?? message.caption ?? "", ctx.me.username) !== undefined;
}


/**
 * Invisible marks pasted with a number or a name (a zero-width space, direction marks and embeddings, a
 * byte-order mark, a soft hyphen), which made "50.000" unreadable while the answer quoted back looked
 * right. Not the zero-width joiner or tag characters: emoji are built of them (👨‍👩‍👧, flags).
 */
const INVISIBLE_MARKS = /[\u00AD\u200B\u200C\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/** A typed answer as it is read: neither a mention of the bot that carried it to the bot nor invisible marks are part of it. */
const answerText = (ctx: FlowContext, text: string) => (withoutBotMention(text, ctx.me.username) ?? text).replace(INVISIBLE_MARKS, "");

function asksFor(ctx: FlowContext, commands: ReadonlySet<string>, buttons: ReadonlySet<string>): boolean {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) return buttons.has(data);
  const command = commandOf(ctx);
  return command !== undefined && commands.has(command);
}

/** Someone who is not the owner asking for an owner's tool; their role is read only then. */
async function asksForAnotherRolesTool(flow: Flow, ctx: FlowContext): Promise<boolean> {
  if (!asksFor(ctx, OWNER_ONLY_COMMANDS, OWNER_ONLY_BUTTONS)) return false;
  // Contexts inside a flow have no role: it is on the outside context of this update.
  return (await flow.external((outside) => outside.role)) !== "owner";
}

/**
 * Tools refused in this kind of chat whoever asks (money is sent from a private chat only; a group is linked
 * from inside it): refused by their feature, and no change of mind either.
 */
const PRIVATE_ONLY_COMMANDS: ReadonlySet<string> = new Set(["disburse", "kirimdana"]);
const PRIVATE_ONLY_BUTTONS: ReadonlySet<string> = new Set([MENU.disburse]);
const GROUP_ONLY_COMMANDS: ReadonlySet<string> = new Set(["linkgroup", "unlinkgroup"]);

function asksForAToolRefusedHere(ctx: FlowContext): boolean {
  return ctx.chat?.type === "private" ? asksFor(ctx, GROUP_ONLY_COMMANDS, new Set()) : asksFor(ctx, PRIVATE_ONLY_COMMANDS, PRIVATE_ONLY_BUTTONS);
}

/**
 * The next update for this flow. Any other main-menu button or a command that starts something else leaves
 * the flow and is handled as if no flow were running (the merchant changed their mind; /cancel is caught
 * before flows ever see it). A command the bot does not have is answered and the flow keeps waiting.
 * A look-up, a tool the person's role or this chat may not use (refused by its handler), and other buttons (a payment's
 * "simulate", a language choice) pass through to their handlers, and the flow keeps waiting where it was.
 */
export async function waitInFlow(flow: Flow, nonce: string, options: WaitOptions = {}): Promise<FlowContext> {
  // Read before and after the wait, as the plugin's own limit did: a replay finds the same two readings.
  const askedAt = await flow.now();
  const ctx = await flow.wait();
  const answeredAt = await flow.now();
  const data = ctx.callbackQuery?.data;
  const command = commandOf(ctx);
  // A command for another bot, or what answers no question (see mayAnswer): passed on, and the flow waits on.
  if (command === ANOTHER_BOTS || (command === undefined && !mayAnswer(flow, ctx, options.questions))) await flow.skip({ next: true });
  if (asksFor(ctx, LOOK_UP_COMMANDS, LOOK_UP_BUTTONS)) await flow.skip({ next: true });
  if (asksForAToolRefusedHere(ctx)) await flow.skip({ next: true });
  if (await asksForAnotherRolesTool(flow, ctx)) await flow.skip({ next: true });
  if (data?.startsWith("menu:") || asksFor(ctx, CHANGE_OF_MIND_COMMANDS, new Set())) {
    // Said first, as /cancel says it: the next answer she types would otherwise meet "not understood".
    await ctx.reply(ctx.t(options.leftSays ?? leftSaysOf.get(flow) ?? "bot-flow-left"));
    await options.onLeft?.();
    await flow.halt({ next: true });
  }
  if (command !== undefined) await flow.skip({ next: true });
  if (data !== undefined && choiceOf(data, nonce) === undefined) await flow.skip({ next: true });
  // An answer to a question left too long: not taken (the customer may have left, the amount changed), and
  // said so, as "not understood" would read as if the answer itself was wrong.
  const idleMs = options.waitAsLongAsNeeded ? Number.POSITIVE_INFINITY : (idleLimitOf.get(flow) ?? FLOW_IDLE_MS);
  if (answeredAt - askedAt >= idleMs) {
    if (ctx.callbackQuery !== undefined) await ctx.answerCallbackQuery({ text: ctx.t("bot-flow-ended-idle"), show_alert: true });
    else await ctx.reply(ctx.t("bot-flow-ended-idle"), ctx.message ? { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } } : {});
    await flow.halt();
  }
  return ctx;
}

export interface WaitOptions {
  /** Exempt from the flow's idle limit (FLOW_IDLE_MS): a question whose answer may rightly come hours later. */
  waitAsLongAsNeeded?: boolean;
  /** A typed question's messages (it, and each re-ask): in a group, only a reply to one of them answers it. */
  questions?: ReadonlySet<number>;
  /** What is said when the flow is left here for something else (a menu button, /start): the flow's own words otherwise. */
  leftSays?: string | undefined;
  /** Done once that is said, before the flow ends: what /cancel would do there besides saying it. */
  onLeft?: (() => Promise<unknown>) | undefined;
}

/** Asks with buttons and returns the chosen value; typing instead is answered with a nudge. */

export async function askChoice<T extends string>(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  question: string,
  choices: ReadonlyArray<readonly [label: string, value: T]>,
  options: WaitOptions = {},
): Promise<{ value: T; ctx: FlowContext }> {
  const keyboard = choiceKeyboard(choices.map(([label, value]) => [label, buttonData(nonce, ctx, value)] as const));
  await ctx.reply(question, { parse_mode: "HTML", reply_markup: keyboard });
  const wrong = wrongAnswers(flow);
  for (;;) {
    const answer = await waitInFlow(flow, nonce, options);
    const data = answer.callbackQuery?.data;
    if (data === undefined) {
      await wrong(answer);
      await answer.reply(answer.t("bot-flow-use-buttons"));
      continue;
    }
    const value = choiceOf(data, nonce);
    const chosen = choices.find(([, v]) => v === value);
    if (!chosen) {
      await answer.answerCallbackQuery({ text: answer.t("bot-flow-button-expired") });
      await wrong(answer);
      continue;
    }
    await answer.answerCallbackQuery();
    return { value: chosen[1], ctx: answer };
  }
}

/**
 * Sends `html` as a question (or a refusal that asks again) whose typed answer must come back to the flow.
 * In a group, Telegram's default privacy mode hides plain messages from bots, so a cashier's typed name or
 * amount would never arrive and the flow would wait for good. A message sent with force_reply makes their
 * app send the answer as a reply to it, which bots do receive. `selective` shows that to the cashier alone:
 * the one whose message it replies to or, after a button press (nothing of theirs to reply to), the one it
 * mentions.
 */
async function sendTypedQuestion(ctx: FlowContext, html: string): Promise<number> {
  const type = ctx.chat?.type;
  if (type !== "group" && type !== "supergroup") {
    return (await ctx.reply(html, { parse_mode: "HTML" })).message_id;
  }
  const own = ctx.message;
  const from = ctx.from;
  const mention = own === undefined && from !== undefined ? `<a href="tg://user?id=${from.id}">${escapeHtml(from.first_name)}</a>, ` : "";
  // After "Rina, " the question goes on as one sentence: "Rina, ketik nama pelanggan", not "Rina, Ketik".
  const text = mention === "" ? html : mention + html.replace(/^(\p{Lu})(?=\p{Ll})/u, (first) => first.toLowerCase());
  const asked = await ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: { force_reply: true, selective: true },
    ...(own === undefined ? {} : { reply_parameters: { message_id: own.message_id, allow_sending_without_reply: true } }),
  });
  return asked.message_id;
}

export type Reading<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * An abandoned question is dropped after FLOW_IDLE_MS (see BotDeps.flowIdleMs), and one answered wrongly
 * this many times in a row ends the flow: a flow's stored replay log grows with every answer, and every
 * update replays all of it, so a question must not be answerable wrongly without end.
 */
export const FLOW_IDLE_MS = 60 * 60 * 1000;
export const MAX_WRONG_ANSWERS = 20;

/**
 * Each flow's idle limit, for its waits. Set whenever its builder runs: conversations v2 builds a new
 * Conversation object for every replay, so the map holds only the ones in use.
 */
const idleLimitOf = new WeakMap<Flow, number>();
/** Each flow's words for being left for something else, kept like its idle limit. */
const leftSaysOf = new WeakMap<Flow, string>();

/** Every typed question the flow has asked so far (built again by each replay, as the replies replay alike). */
const typedQuestionsOf = new WeakMap<Flow, Set<number>>();
function typedQuestions(flow: Flow): Set<number> {
  let asked = typedQuestionsOf.get(flow);
  if (asked === undefined) typedQuestionsOf.set(flow, (asked = new Set()));
  return asked;
}

/**
 * A flow (a conversation of conversations v2) that drops a question left unanswered for BotDeps.flowIdleMs.
 * The limit is checked here, not by the plugin's maxMillisecondsToWait: that one ends the flow at whatever
 * update comes next, the group's own chat included, and the late answer after it then met no flow at all.
 */
export function createFlow<Args extends unknown[]>(
  id: string,
  deps: { flowIdleMs?: number | undefined },
  builder: (flow: Flow, ctx: FlowContext, ...args: Args) => Promise<void>,
  options: { leftSays?: string } = {},
) {
  const idleMs = deps.flowIdleMs ?? FLOW_IDLE_MS;
  return createConversation<BotContext, FlowContext>(
    async (flow: Flow, ctx: FlowContext, ...args: Args) => {
      idleLimitOf.set(flow, idleMs);
      if (options.leftSays !== undefined) leftSaysOf.set(flow, options.leftSays);
      await builder(flow, ctx, ...args);
    },
    { id },
  );
}

/** Whether this person has a flow waiting in this chat (flows are kept per person per chat). */
export function flowWaitsHere(ctx: BotContext): boolean {
  return Object.keys(ctx.conversation.active()).length > 0;
}

/** Counts a question's wrong answers; the last one ends the flow, saying so. */
function wrongAnswers(flow: Flow) {
  let count = 0;
  return async (answer: FlowContext) => {
    if (++count < MAX_WRONG_ANSWERS) return;
    await answer.reply(answer.t("bot-flow-too-many-tries", { count: MAX_WRONG_ANSWERS }));
    await flow.halt();
  };
}

type Answered<T> = { skipped: false; value: T; ctx: FlowContext } | { skipped: true; ctx: FlowContext };

/**
 * Asks for typed text until `read` accepts it; every refusal is said in the user's language and the
 * question stays open. With `skipLabel`, a button under the question answers "none" instead.
 */
async function askUntilRead<T>(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  question: string,
  read: (text: string, ctx: FlowContext) => Reading<T>,
  skipLabel?: string,
): Promise<Answered<T>> {
  // A skip button and force_reply cannot share a message; questions with one are asked in private chats.
  // Its message ids (the question and every re-ask): in a group, the answer is a reply to one of them.
  const questions = new Set<number>();
  const asked = (id: number) => {
    questions.add(id);
    typedQuestions(flow).add(id);
  };
  if (skipLabel === undefined) asked(await sendTypedQuestion(ctx, question));
  else asked((await ctx.reply(question, { parse_mode: "HTML", reply_markup: choiceKeyboard([[skipLabel, buttonData(nonce, ctx, "skip")]]) })).message_id);
  const wrong = wrongAnswers(flow);
  for (;;) {
    const answer = await waitInFlow(flow, nonce, { questions });
    const repliedTo = answer.message?.reply_to_message?.message_id;
    if (repliedTo !== undefined && answer.chat?.type !== "private" && !questions.has(repliedTo) && typedQuestions(flow).has(repliedTo)) {
      // In a group, a reply to a question answered already (the name, while the amount is asked) reaches
      // only the bot: silence read as taken. Not taken as this question's answer either; she is asked again.
      await wrong(answer);
      asked(await sendTypedQuestion(answer, `${escapeHtml(answer.t("bot-flow-earlier-question"))}\n${question}`));
      continue;
    }
    if (answer.callbackQuery) {
      if (skipLabel !== undefined && choiceOf(answer.callbackQuery.data ?? "", nonce) === "skip") {
        await answer.answerCallbackQuery();
        return { skipped: true, ctx: answer };
      }
      await answer.answerCallbackQuery({ text: answer.t("bot-flow-button-expired") });
      await wrong(answer);
      continue;
    }
    const text = answer.message?.text;
    if (text === undefined) {
      await wrong(answer);
      asked(await sendTypedQuestion(answer, escapeHtml(answer.t("bot-flow-type-text"))));
      continue;
    }
    const reading = read(answerText(answer, text), answer);
    if (reading.ok) return { skipped: false, value: reading.value, ctx: answer };
    await wrong(answer);
    asked(await sendTypedQuestion(answer, reading.message));
  }
}

/** Asks for typed text until `read` accepts it. */
export async function askText<T>(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  question: string,
  read: (text: string, ctx: FlowContext) => Reading<T>,
): Promise<{ value: T; ctx: FlowContext }> {
  const answered = await askUntilRead(flow, ctx, nonce, question, read);
  // Without a skip button there is nothing to skip with.
  if (answered.skipped) throw new Error("askText: skipped without a skip button");
  return { value: answered.value, ctx: answered.ctx };
}

/** Like askText, with a button that answers "none": the value is undefined then. */
export async function askTextOrSkip<T>(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  question: string,
  skipLabel: string,
  read: (text: string, ctx: FlowContext) => Reading<T>,
): Promise<{ value: T | undefined; ctx: FlowContext }> {
  const answered = await askUntilRead(flow, ctx, nonce, question, read, skipLabel);
  return { value: answered.skipped ? undefined : answered.value, ctx: answered.ctx };
}

/** The localized sentence for a refused name or amount. */
export function invalidMessage(ctx: FlowContext, invalid: InvalidReason, input: string): string {
  switch (invalid.reason) {
    case "name_empty":
      return ctx.t("bot-name-empty");
    case "name_too_long":
      return ctx.t("bot-name-too-long", { max: String(invalid.max) });
    case "name_bad_characters":
      return ctx.t("bot-name-bad-characters");
    case "name_institution":
      return ctx.t("bot-name-institution", { word: escapeHtml(invalid.word.toUpperCase()) });
    case "amount_too_small":
      return ctx.t("bot-amount-too-small", { min: formatRupiah(invalid.min) });
    case "amount_too_large":
      return ctx.t("bot-amount-too-large", { max: formatRupiah(invalid.max) });
    default:
      return ctx.t("bot-amount-unreadable", { input: quoteTyped(input) });
  }
}

export function askCustomerName(flow: Flow, ctx: FlowContext, nonce: string) {
  return askText(flow, ctx, nonce, ctx.t("bot-ask-customer-name"), (text, c) => {
    const checked = checkCustomerName(text);
    return checked.ok ? checked : { ok: false, message: invalidMessage(c, checked, text) };
  });
}
