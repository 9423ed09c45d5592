import { randomBytes } from "node:crypto";
import { autoRetry } from "@grammyjs/auto-retry";
import { lateAnswersToPressesAreHarmless } from "./late-press-answers.js";
import { watchTelegramReachability } from "./telegram-reachability.js";
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context, GrammyError, type MiddlewareFn, session } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import { createI18n, DEFAULT_LOCALE } from "../i18n.js";
import type { BotContext, BotDeps, FeatureDeps, FlowContext, SessionData } from "./context.js";
import { accessGate } from "./filters/access.js";
import { cancelFeature } from "./features/cancel.js";
import { disbursementFeature, type DisbursementOptions } from "./features/disbursement.js";
import { expiredButtonsFeature } from "./features/expired-buttons.js";
import { helpFeature, notUnderstoodFeature } from "./features/help.js";
import { languageFeature } from "./features/language.js";
import { groupLeftFeature, groupMovedFeature, linkGroupFeature } from "./features/link-group.js";
import { paymentsListFeature } from "./features/payments-list.js";
import { retailPaymentFeature } from "./features/retail-payment.js";
import { simulatePaymentFeature } from "./features/simulate-payment.js";
import { staffFeature } from "./features/staff.js";
import { startFeature } from "./features/start.js";
import { virtualAccountFeature } from "./features/virtual-account.js";
import { recipientLanguage, userSessionKey } from "./recipient-language.js";
import { isRedisUnreachable } from "../store/index.js";
import { keyvStorageAdapter, type WriteRetry } from "./storage-adapter.js";
import { ANOTHER_BOTS, leadingCommand } from "./leading-command.js";

/**
 * Bump when a flow's steps change: state saved by the old code is then dropped instead of replayed wrongly.
 * 2: the create flows claim a summary with its external_id and mark a doubtful create.
 * 3: every wait reads the clock before and after (the idle limit), which the replay log records.
 * 4: answers are read more strictly (an amount in sen, one group of three digits before a suffix, digits
 *    past any amount): replayed, an old log's accepted answer would now be refused, and the flow would wait
 *    on a question it never asked again.
 */
export const CONVERSATION_VERSION = 4;

const DAY_MS = 24 * 3600_000;

/**
 * How long a flow's step (or a session) is tried to be saved while Redis is unreachable. conversations v2 saves a step after
 * the flow has sent its next question, so a save that fails leaves that question on the person's screen while
 * the stored flow may still be at the question before (a Redis that died never got the write) or not (a hung
 * one applies it when it resumes): the bot cannot tell. Her answer to the question on screen was then read
 * against the step before ("50rb" refused as a customer's name, a transfer's e-mail taken as its description),
 * under a "not handled, try again" that was wrong half the time. Tried again until acknowledged, the save holds
 * this update, and with it (sequentialize) her next one, which is then read against the question she sees.
 * Long enough for a Redis restart or a failover, short enough that Telegram does not give up on a webhook
 * delivery held meanwhile (and deliver it again, to be read against the next question); a refusal (Redis
 * answered with an error: full, read-only) is not waited out. A session's save (the language just chosen,
 * already confirmed in the chat) waits the same, or the person's next answer came in the other language.
 */
const STATE_SAVE_PATIENCE_MS = 30_000;

/** Ours, unique, short enough for callback data and the gateway's 64 characters: pb-<time>-<random>. */
export function defaultExternalId(now: () => Date = () => new Date()): string {
  return `pb-${now().getTime().toString(36)}-${randomBytes(6).toString("hex")}`;
}

/** The key of a user's session: per user, so their language follows them into groups. */
export const sessionKeyOf = (ctx: Pick<Context, "from">) => (ctx.from ? userSessionKey(ctx.from.id) : undefined);

/**
 * The merchant bot: a grammY Bot the caller starts with bot.start() (long polling) or webhookCallback.
 * Order matters: one person at a time -> group moves -> session -> i18n -> access gate -> conversations -> /cancel -> flows -> other features.
 */
export function createBot(deps: BotDeps & DisbursementOptions): Bot<BotContext> {
  const now = deps.now ?? (() => new Date());
  const bot = new Bot<BotContext>(deps.token, deps.apiRoot ? { client: { apiRoot: deps.apiRoot } } : {});
  // Flood waits and Telegram's 5xx are retried; inside conversations it is installed again (see below).
  const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 });
  // Under the retry plugin, so it sees each attempt (see telegram-reachability.ts).
  bot.api.config.use(watchTelegramReachability(deps.logger));
  bot.api.config.use(retry);
  const latePresses = lateAnswersToPressesAreHarmless();
  bot.api.config.use(latePresses);
  const transformers = deps.apiTransformers ?? [];
  for (const transformer of transformers) bot.api.config.use(transformer);

  const onUnreadable = (key: string, error: unknown) =>
    deps.logger.warn({ key, err: error }, "a stored session or flow could not be read; dropped, the person starts afresh");
  const waitOutRedis: WriteRetry = {
    forMs: STATE_SAVE_PATIENCE_MS,
    when: isRedisUnreachable,
    onRetry: (key, error) => deps.logger.warn({ key, err: error }, "a flow's step or a session could not be saved yet; trying again (the person's next update waits)"),
  };
  const sessions = keyvStorageAdapter<SessionData>(deps.store.namespace("sessions"), { onUnreadable, retryWrites: waitOutRedis });
  // Reads the stored choice: for whoever the bot is answering and for the recipients of notices alike.
  const languages = recipientLanguage({ sessions, translate: (locale, key, variables) => i18n.t(locale, key, variables) });
  // One negotiator for both worlds: conversation contexts have no session, so it reads the storage itself.
  const i18n = createI18n<Context & I18nFlavor>({
    localeNegotiator: (ctx) => (ctx.from ? languages.localeOf(ctx.from.id) : DEFAULT_LOCALE),
  });
  const features: FeatureDeps & DisbursementOptions = {
    ...deps,
    now,
    newExternalId: deps.newExternalId ?? (() => defaultExternalId(now)),
    newInviteCode: deps.newInviteCode ?? (() => randomBytes(12).toString("base64url")),
    inviteTtlMs: deps.inviteTtlMs ?? DAY_MS,
    recipientLanguage: languages,
  };
  const flowPlugins: MiddlewareFn<FlowContext>[] = [
    async (ctx, next) => {
      ctx.api.config.use(retry);
      ctx.api.config.use(latePresses);
      for (const transformer of transformers) ctx.api.config.use(transformer);
      await next();
    },
    i18n.middleware(),
  ];

  // Updates are handled concurrently (long polling through grammY's runner, webhook requests in parallel),
  // so one person's slow gateway call does not hold up the shop; each person's own updates still go one at a
  // time, in order, since their session and conversations are theirs (a /cancel waits for the create in hand).
  bot.use(sequentialize((ctx: Context) => (ctx.from ? String(ctx.from.id) : ctx.chat ? `chat:${ctx.chat.id}` : undefined)));
  bot.use(groupMovedFeature(features));
  bot.use(groupLeftFeature(features));
  // The gate before the session: a stranger's update must not leave a session row behind (i18n reads the
  // stored language itself, so the refusal still speaks it).
  bot.use(i18n.middleware());
  bot.use(accessGate(deps));
  bot.use(session({ initial: (): SessionData => ({}), storage: sessions, getSessionKey: sessionKeyOf }));
  bot.use(
    conversations<BotContext, FlowContext>({
      storage: {
        type: "key",
        version: CONVERSATION_VERSION,
        prefix: "flow:",
        adapter: keyvStorageAdapter(deps.store.namespace("conversations"), { onUnreadable, retryWrites: waitOutRedis }),
        // One flow per person per chat: two cashiers in the shop group don't answer each other's questions.
        getStorageKey: (ctx) => (ctx.chatId !== undefined && ctx.from ? `${ctx.chatId}:${ctx.from.id}` : undefined),
      },
      plugins: flowPlugins,
    }),
  );
  const virtualAccount = virtualAccountFeature(features);
  const retailPayment = retailPaymentFeature(features);
  const disbursement = disbursementFeature(features);
  bot.use(cancelFeature(features, [disbursement.cancelOpenSummary]));
  // Every flow before any feature's commands: a running flow sees each update first (conversations v2 resumes
  // a flow where it is installed), so a command that starts another flow is its change of mind, said as such,
  // whichever feature the command belongs to.
  bot.use(virtualAccount.flow, retailPayment.flow, disbursement.flow);
  bot.use(virtualAccount.feature);
  bot.use(retailPayment.feature);
  bot.use(disbursement.feature);
  bot.use(startFeature(features));
  bot.use(paymentsListFeature(features));
  bot.use(staffFeature(features));
  bot.use(linkGroupFeature(features));
  bot.use(languageFeature());
  bot.use(helpFeature());
  bot.use(simulatePaymentFeature(features));
  bot.use(expiredButtonsFeature());
  bot.use(notUnderstoodFeature());

  // Kept in memory: when updates fail, the store is often what fails, and it cannot keep this either.
  const groupAdvice = onceAMinutePerPerson();
  bot.catch(async (error) => {
    // A person who blocked the bot (403) is theirs to undo, not the operator's: a warning, not an error.
    const refusedByPerson = error.error instanceof GrammyError && error.error.error_code === 403;
    deps.logger[refusedByPerson ? "warn" : "error"]({ err: error.error, updateId: error.ctx.update.update_id }, "update failed");
    // Silence after a press or an answer looks like a bot that took it; the person must know to try again.
    const ctx = error.ctx as BotContext;
    // The person's language may be what failed to load (it is read from the store): then the default one.
    const say = (key: string) => {
      try {
        if (typeof ctx.t === "function") return ctx.t(key);
      } catch {
        // ctx.t exists but has no translator behind it when the i18n middleware failed half-way.
      }
      return i18n.t(DEFAULT_LOCALE, key);
    };
    try {
      await tellItFailed(ctx, say, groupAdvice);
    } catch (tellError) {
      deps.logger.warn({ err: tellError, updateId: ctx.update.update_id }, "could not tell the person that their update failed");
    }
  });
  return bot;
}

/**
 * After an update failed (the store refused a write, say): a press is answered with an alert, which costs a
 * group nothing, and in private also in the chat (the press may have been answered before the failure, and
 * then the alert is not shown); a message is answered in private, and in a group only when it was meant for
 * the bot (a command or a reply to it), so the group's own chat never draws it.
 */
async function tellItFailed(ctx: BotContext, say: (key: string) => string, groupAdvice: (chatId: number, userId: number) => boolean): Promise<void> {
  const inPrivate = ctx.chat?.type === "private";
  if (ctx.callbackQuery !== undefined) {
    await ctx.answerCallbackQuery({ text: say("bot-update-failed-short"), show_alert: true });
    if (inPrivate) await ctx.reply(say("bot-update-failed"));
    return;
  }
  const message = ctx.message;
  if (message === undefined || ctx.chat === undefined) return;
  if (inPrivate) {
    await ctx.reply(say("bot-update-failed"));
    return;
  }
  // In a group: a command for this bot, or a reply to it (how answers come there), from someone not known to
  // be a stranger (who they are is often what failed to be read), once a minute per person: the group's
  // Telegram allowance is the paid notices', and a stranger's once-a-day limit lives in the failing store.
  const command = leadingCommand(message.text, ctx.me.username);
  const meantForBot = (command !== undefined && command !== ANOTHER_BOTS) || message.reply_to_message?.from?.id === ctx.me.id;
  if (meantForBot && ctx.role !== "stranger" && groupAdvice(ctx.chat.id, ctx.from?.id ?? 0)) await ctx.reply(say("bot-update-failed"));
}

/** True at most once a minute for each person in each chat; forgets people after that minute. */
function onceAMinutePerPerson(): (chatId: number, userId: number) => boolean {
  const toldAt = new Map<string, number>();
  return (chatId, userId) => {
    const now = Date.now();
    if (toldAt.size > 1_000) for (const [key, at] of toldAt) if (now - at >= 60_000) toldAt.delete(key);
    const key = `${chatId}:${userId}`;
    const last = toldAt.get(key);
    if (last !== undefined && now - last < 60_000) return false;
    toldAt.set(key, now);
    return true;
  };
}
