import { underSandboxBanner } from "../sandbox-banner.js";
import { randomBytes } from "node:crypto";
import { Composer, GrammyError, InlineKeyboard, type Api } from "grammy";
import { DISBURSEMENT_BANK_CODES, DISBURSEMENT_BANKS, LEAST_DISBURSEMENT, type DisbursementBank } from "../../domain/limits.js";
import { formatRupiah } from "../../domain/rupiah.js";
import { createDisbursementDesk, type AgainDraft, type DisbursementDesk, type DisbursementDraft, type PressRefusal, type SendOutcome } from "../../disbursement/desk.js";
import { resendMayHelp } from "../../disbursement/failure-codes.js";
import { disbursementSendBoundMs } from "../../disbursement/send-bound.js";
import { createSendWatch, type SendWatch } from "../../disbursement/watch.js";
import { createI18n } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import type { Store } from "../../store/types.js";
import type { Notice } from "../../notify/notifications.js";
import { answeredValueText, renderFailureReason } from "../../notify/render.js";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotContext, FeatureDeps, Flow, FlowContext } from "../context.js";
import { escapeHtml } from "../html.js";
import type { CancelLeftover } from "./cancel.js";
import { MENU, mainMenuKeyboard } from "../keyboards/main-menu.js";
import { askChoice, createFlow, newFlowNonce } from "../flow/ask.js";
import {
  askOptionalEmail,
  askTyped,
  lengthsText,
  readAccountNumber,
  readAmount,
  readDescription,
  readHolderName,
  transferMaximum,
} from "../flow/disbursement-ask.js";

export const DISBURSE = "disburse";

/** The guards an owner sets through the environment (DISBURSE_MAX_AMOUNT, DISBURSE_DAILY_LIMIT). */
export interface DisbursementOptions {
  /** The most one disbursement may send, in rupiah. Default 25,000,000. */
  disburseMaxAmount?: number | undefined;
  /** The most all disbursements of one Jakarta day may send together. Default 50,000,000. */
  disburseDailyLimit?: number | undefined;
  /** How long the confirm button stays good. Default 5 minutes. */
  disburseConfirmTtlMs?: number | undefined;
  /** The gateway client's timeout per attempt (PALLAPI_TIMEOUT_MS), from which a send's bound is derived. */
  disburseGatewayTimeoutMs?: number | undefined;
  /** How long a send may take before the watch calls it uncertain. Default: derived (see send-bound.ts). */
  disburseSendBoundMs?: number | undefined;
}

export const DEFAULT_DISBURSE_MAX_AMOUNT = 25_000_000;
export const DEFAULT_DISBURSE_DAILY_LIMIT = 50_000_000;
export const DEFAULT_DISBURSE_CONFIRM_TTL_MS = 5 * 60_000;

/** Buttons of a saved summary: "dsb:<action>:<draftId>", answered here whether or not a flow is running. */
const PRESS = /^dsb:(ok|no|retry):([A-Za-z0-9_-]{1,40})$/;
const pressData = (action: "ok" | "no" | "retry", draftId: string) => `dsb:${action}:${draftId}`;
/** "Send again" under a failed transfer's notice: "dsb:again:<its external_id>" (callback data holds 64 bytes). */
const AGAIN = /^dsb:again:([A-Za-z0-9_.:-]{1,54})$/;
const againData = (externalId: string) => `dsb:again:${externalId}`;
/** How long a press holds a transfer's played answer: its result is recorded well within it. */
const BANK_PLAY_CLAIM_MS = 60_000;
/** Sandbox mode: "dsb:bank:<ok|fail>:<external_id>" plays the bank's answer to a transfer sent. */
const BANK_PLAY = /^dsb:bank:(ok|fail):([A-Za-z0-9_.:-]{1,50})$/;
const bankPlayData = (result: "ok" | "fail", externalId: string) => `dsb:bank:${result}:${externalId}`;

function bankPlayButtons(t: Translate, externalId: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("disburse-simulate-completed-button"), bankPlayData("ok", externalId))
    .text(t("disburse-simulate-failed-button"), bankPlayData("fail", externalId));
}

type Translate = FlowContext["t"];

function emailsText(t: Translate, draft: Pick<DisbursementDraft, "emailTo" | "emailCc" | "emailBcc">): string {
  if (!draft.emailTo) return t("disburse-emails-none");
  return t("disburse-emails", {
    to: escapeHtml(draft.emailTo),
    cc: draft.emailCc ? t("disburse-emails-cc", { address: escapeHtml(draft.emailCc) }) : "",
    bcc: draft.emailBcc ? t("disburse-emails-bcc", { address: escapeHtml(draft.emailBcc) }) : "",
  });
}

/** Bank, account number, holder, amount, description, e-mails; then a saved draft and its summary. */
function disburseFlow(deps: FeatureDeps, desk: DisbursementDesk) {
  const { allowance } = desk;
  return async function disburse(flow: Flow, ctx: FlowContext) {
    const nonce = await newFlowNonce(flow);
    const remainingAtStart = await flow.external(() => allowance.remainingToday());
    if (remainingAtStart < LEAST_DISBURSEMENT) {
      await ctx.reply(
        ctx.t("disburse-allowance-used-up", { limit: formatRupiah(allowance.dailyLimit), remaining: formatRupiah(remainingAtStart) }),
        { reply_markup: mainMenuKeyboard(ctx.t, "owner") },
      );
      return;
    }
    const bank = await askChoice(
      flow,
      ctx,
      nonce,
      ctx.t("disburse-ask-bank"),
      DISBURSEMENT_BANK_CODES.map((code) => [DISBURSEMENT_BANKS[code].displayName, code] as const),
    );
    const bankCode: DisbursementBank = bank.value;
    const rule = DISBURSEMENT_BANKS[bankCode];
    const account = await askTyped(
      flow,
      bank.ctx,
      nonce,
      bank.ctx.t("disburse-ask-account", { bank: rule.displayName, lengths: lengthsText(bank.ctx.t, rule.accountNumberLengths) }),
      (t, text) => readAccountNumber(t, bankCode, text),
    );
    const holder = await askTyped(flow, account.ctx, nonce, account.ctx.t("disburse-ask-holder"), readHolderName);
    const remaining = await flow.external(() => allowance.remainingToday());
    let amount = await askTyped(
      flow,
      holder.ctx,
      nonce,
      holder.ctx.t("disburse-ask-amount", {
        min: formatRupiah(rule.min),
        max: formatRupiah(Math.max(rule.min, transferMaximum(bankCode, allowance.maxAmount, remaining).max)),
        perTransfer: formatRupiah(allowance.maxAmount),
        remaining: formatRupiah(remaining),
      }),
      (t, text) => readAmount(t, bankCode, text, { allowance, remainingToday: remaining, todayCheckedAfter: true }),
    );
    // What is left today is read again for the answer: the question may have waited past midnight WIB (a new
    // day's allowance), or another owner may have sent money meanwhile. Above it, the question is asked again.
    for (;;) {
      const leftNow = await flow.external(() => allowance.remainingToday());
      if (amount.value <= leftNow) break;
      amount = await askTyped(
        flow,
        amount.ctx,
        nonce,
        amount.ctx.t("disburse-amount-above-remaining", { remaining: formatRupiah(leftNow) }),
        (t, text) => readAmount(t, bankCode, text, { allowance, remainingToday: leftNow, todayCheckedAfter: true }),
      );
    }
    const description = await askTyped(flow, amount.ctx, nonce, amount.ctx.t("disburse-ask-description"), readDescription);
    const emailTo = await askOptionalEmail(flow, description.ctx, nonce, description.ctx.t("disburse-ask-email-to"));
    let last = emailTo.ctx;
    let emailCc: string | undefined;
    let emailBcc: string | undefined;
    if (emailTo.value !== undefined) {
      const cc = await askOptionalEmail(flow, last, nonce, last.t("disburse-ask-email-cc"));
      const bcc = await askOptionalEmail(flow, cc.ctx, nonce, cc.ctx.t("disburse-ask-email-bcc"));
      emailCc = cc.value;
      emailBcc = bcc.value;
      last = bcc.ctx;
    }

    const locale = await last.i18n.getLocale();
    const ownerId = last.from?.id ?? 0;
    const chatId = last.chatId ?? ownerId;
    // Generated once and kept in the conversation's log: a replay sees the same ids, never new ones.
    const draft = await flow.external(() =>
      desk.saveDraft({
        draftId: randomBytes(9).toString("base64url"),
        externalId: deps.newExternalId(),
        ownerId,
        chatId,
        locale,
        bankCode,
        accountNumber: account.value,
        holderName: holder.value,
        amount: amount.value,
        description: description.value,
        emailTo: emailTo.value,
        emailCc,
        emailBcc,
      }),
    );
    const remainingNow = await flow.external(() => allowance.remainingToday());
    const nowMs = await flow.external(() => deps.now().getTime());
    const summary = transferSummary(last.t, draft, { desk, remainingToday: remainingNow, nowMs, sandboxMode: deps.sandboxMode });
    const shown = await last.reply(summary.text, { parse_mode: "HTML", reply_markup: summary.keyboard });
    await flow.external(() =>
      rememberOpenSummary(deps.store, { chatId, ownerId, draftId: draft.draftId, messageId: shown.message_id }, desk.confirmTtlMs, deps.now().getTime()),
    );
    // The flow ends here: the buttons are answered by the press handler against the saved draft.
  };
}

/** What the owner checks before pressing send: the draft, today's allowance, and the confirm and cancel buttons. */
function transferSummary(
  t: Translate,
  draft: DisbursementDraft,
  options: { desk: DisbursementDesk; remainingToday: number; nowMs: number; sandboxMode: boolean; intro?: string | undefined },
): { text: string; keyboard: InlineKeyboard } {
  const { desk, remainingToday } = options;
  const summary = t("disburse-summary", {
    bank: DISBURSEMENT_BANKS[draft.bankCode].displayName,
    account: draft.accountNumber,
    holder: escapeHtml(draft.holderName),
    amount: formatRupiah(draft.amount),
    description: escapeHtml(draft.description),
    emails: emailsText(t, draft),
    // Less left today than this amount: the button will refuse it, and the summary says so rather than "0 after".
    today:
      draft.amount > remainingToday
        ? t("disburse-summary-today-short", { remaining: formatRupiah(remainingToday), limit: formatRupiah(desk.allowance.dailyLimit) })
        : t("disburse-summary-today", {
            remaining: formatRupiah(remainingToday),
            remainingAfter: formatRupiah(remainingToday - draft.amount),
            limit: formatRupiah(desk.allowance.dailyLimit),
          }),
    // The draft's own time left: a summary shown again ("Kirim lagi" pressed twice) has less than it had.
    minutes: String(Math.max(1, Math.ceil((Date.parse(draft.confirmBy) - options.nowMs) / 60_000))),
  });
  const text = underSandboxBanner(options.intro === undefined ? summary : `${options.intro}\n\n${summary}`, t, options.sandboxMode);
  const keyboard = new InlineKeyboard()
    .text(t("disburse-confirm-button", { amount: formatRupiah(draft.amount) }), pressData("ok", draft.draftId))
    .row()
    .text(t("disburse-cancel-button"), pressData("no", draft.draftId));
  return { text, keyboard };
}

/** The owner's summaries in a chat whose buttons may still be pressed, for /cancel: flows that ended with a choice left. */
const openSummaryKey = (chatId: number, ownerId: number) => `transfer-summaries-open:${chatId}:${ownerId}`;

interface OpenSummary {
  chatId: number;
  ownerId: number;
  draftId: string;
  messageId: number;
}

type RememberedSummary = Pick<OpenSummary, "draftId" | "messageId"> & { untilMs: number };

/**
 * Added to the owner's open summaries in this chat, each kept as long as its confirm button is good (past
 * that the press pays nothing anyway). One person's updates are handled one at a time, so the read and the
 * write back do not race.
 */
async function rememberOpenSummary(store: Store, open: OpenSummary, ttlMs: number, nowMs: number): Promise<void> {
  const key = openSummaryKey(open.chatId, open.ownerId);
  const kept = parseSummaries(await store.atomic.take(key)).filter((s) => s.untilMs > nowMs);
  const list: RememberedSummary[] = [...kept, { draftId: open.draftId, messageId: open.messageId, untilMs: nowMs + ttlMs }];
  await store.atomic.setIfAbsent(key, JSON.stringify(list), ttlMs);
}

function parseSummaries(raw: string | undefined): RememberedSummary[] {
  return raw === undefined ? [] : (JSON.parse(raw) as RememberedSummary[]);
}

function refusalText(ctx: BotContext, refusal: PressRefusal): string {
  switch (refusal.reason) {
    case "not_yours":
      return ctx.t("disburse-press-not-yours");
    case "expired":
      return ctx.t("disburse-press-expired");
    case "resend_not_needed":
      return ctx.t("disburse-again-completed");
    case "already":
      switch (refusal.state) {
        case "sending":
          return ctx.t("disburse-press-already-sending");
        case "sent":
          return ctx.t("disburse-press-already-sent");
        case "cancelled":
          return ctx.t("disburse-press-already-cancelled");
        case "refused":
          return ctx.t("disburse-press-already-refused");
        case "uncertain":
          return ctx.t("disburse-press-already-uncertain");
        default:
          return ctx.t("disburse-press-unknown");
      }
    default:
      return ctx.t("disburse-press-unknown");
  }
}

function againRefusalText(ctx: BotContext, refusal: Exclude<AgainDraft, { ok: true }>): string {
  switch (refusal.reason) {
    case "not_failed":
      return ctx.t(refusal.status === "completed" ? "disburse-again-completed" : "disburse-again-pending");
    case "destination_wrong":
      return ctx.t("disburse-again-destination-wrong");
    case "not_yours":
      return ctx.t("disburse-again-not-yours");
    case "already":
      return ctx.t("disburse-again-already");
    default:
      return ctx.t("disburse-press-unknown");
  }
}

/** The transfer as the owner's messages name it: amount, bank, account and holder. */
function transferWords(draft: DisbursementDraft) {
  return {
    amount: formatRupiah(draft.amount),
    bank: DISBURSEMENT_BANKS[draft.bankCode].displayName,
    account: draft.accountNumber,
    holder: escapeHtml(draft.holderName),
  };
}

function outcomeText(ctx: BotContext, draft: DisbursementDraft, outcome: SendOutcome, groupLinked: boolean): string {
  switch (outcome.kind) {
    case "sent":
      return ctx.t(outcome.alreadyAtGateway ? "disburse-sent-earlier" : "disburse-sent", {
        // Who will hear the result: the shop group too only when one is linked.
        told: groupLinked ? "group" : "owner",
        ...transferWords(draft),
        remaining: formatRupiah(outcome.remainingToday),
      });
    case "failed_at_once":
      return ctx.t("disburse-failed-at-once", {
        ...transferWords(draft),
        reason: renderFailureReason({ t: (_locale, key, variables) => ctx.t(key, variables) }, "", outcome.failureCode),
        remaining: formatRupiah(outcome.remainingToday),
      });
    case "bank_answered":
      return ctx.t("disburse-bank-answered", {
        result: outcome.result,
        ...transferWords(draft),
        remaining: formatRupiah(outcome.remainingToday),
      });
    case "above_max":
      return ctx.t("disburse-over-max", { max: formatRupiah(outcome.max) });
    case "daily_limit":
      return ctx.t("disburse-over-daily-limit", { remaining: formatRupiah(outcome.remainingToday) });
    case "retry_over_today":
      return ctx.t("disburse-retry-over-today", { remaining: formatRupiah(outcome.remainingToday), amount: formatRupiah(draft.amount) });
    case "resend_not_needed":
      return ctx.t(outcome.mayHaveSent ? "disburse-again-completed-maybe-sent" : "disburse-again-completed");
    case "refused":
      if (outcome.code === "BAD_KEY") return ctx.t("disburse-refused-bad-key");
      if (outcome.code === "VALIDATION") return ctx.t("disburse-refused-validation", { message: escapeHtml(outcome.gatewayMessage ?? "-") });
      // Turned away before anything was made: too many requests (429), or a 4xx that was not the gateway's own
      // answer (a firewall's page).
      if (outcome.code === "UNAVAILABLE" || outcome.code === "UNEXPECTED_RESPONSE") return ctx.t("disburse-refused-busy");
      return ctx.t("disburse-refused-invalid-input", { reason: escapeHtml(outcome.reason ?? outcome.code) });
    case "uncertain":
      if (outcome.code === "NOT_AS_ASKED") {
        const warning = ctx.t("disburse-not-as-asked", { field: outcome.field ?? "amount" });
        const answered = answeredValueText(outcome.field, outcome.answered);
        return answered === undefined ? warning : `${warning}\n${ctx.t("disburse-not-as-asked-answered", { answered: escapeHtml(answered) })}`;
      }
      return ctx.t("disburse-uncertain");
    default:
      return ctx.t("disburse-uncertain");
  }
}

/** Takes the buttons off a summary that can no longer be used (best effort: it may be too old to edit). */
async function dropButtons(ctx: BotContext) {
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}

/**
 * Takes a pressed summary's buttons off and says on it what became of it (being sent, cancelled, expired):
 * left as it was, it still read "check once more … the send button works once" after the fact. The text
 * is kept as shown (its entities carry the formatting) with the line added at its end.
 */
async function closeSummary(ctx: BotContext, note: string) {
  const message = ctx.callbackQuery?.message;
  const text = message !== undefined && "text" in message ? message.text : undefined;
  if (message === undefined || text === undefined) return dropButtons(ctx);
  await ctx.editMessageText(`${text}\n\n${note}`, { entities: message.entities ?? [] }).catch(() => dropButtons(ctx));
}

/**
 * /disburse (/kirimdana) and the owner's menu button start the flow, in a private chat only; the summary's
 * buttons (confirm, cancel, retry) are answered against the draft saved in the store.
 */
export function disbursementFeature(
  deps: FeatureDeps & DisbursementOptions,
): { flow: Composer<BotContext>; feature: Composer<BotContext>; cancelOpenSummary: CancelLeftover } {
  const desk = createDisbursementDesk({
    store: deps.store,
    gateway: deps.gateway,
    logger: deps.logger,
    now: deps.now,
    maxAmount: deps.disburseMaxAmount ?? DEFAULT_DISBURSE_MAX_AMOUNT,
    dailyLimit: deps.disburseDailyLimit ?? DEFAULT_DISBURSE_DAILY_LIMIT,
    confirmTtlMs: deps.disburseConfirmTtlMs ?? DEFAULT_DISBURSE_CONFIRM_TTL_MS,
    onRecorded: deps.onPaymentCreated,
    // The app's client keeps its default attempts and backoff; only the timeout is configurable.
    sendBoundMs: deps.disburseSendBoundMs ?? disbursementSendBoundMs({ timeoutMs: deps.disburseGatewayTimeoutMs }),
  });
  const flow = new Composer<BotContext>(createFlow(DISBURSE, deps, disburseFlow(deps, desk), { leftSays: "disburse-flow-left" }));
  const feature = new Composer<BotContext>();

  const enter = async (ctx: BotContext) => {
    if (ctx.role !== "owner") {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("bot-access-owner-only"), show_alert: true });
      else await ctx.reply(ctx.t("bot-access-owner-only"));
      return;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    if (ctx.chat?.type !== "private") {
      await ctx.reply(ctx.t("disburse-private-only", { bot: escapeHtml(ctx.me.username) }), { parse_mode: "HTML" });
      return;
    }
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(DISBURSE);
  };
  feature.command(["disburse", "kirimdana"], enter);
  feature.callbackQuery(MENU.disburse, enter);

  feature.callbackQuery(PRESS, async (ctx) => {
    const action = ctx.match[1] as "ok" | "no" | "retry";
    const draftId = ctx.match[2] ?? "";
    if (ctx.role !== "owner") {
      await ctx.answerCallbackQuery({ text: ctx.t("disburse-press-owner-only"), show_alert: true });
      return;
    }
    const userId = ctx.from.id;
    if (action === "no") {
      const cancelled = await desk.cancel(draftId, userId);
      if (!cancelled.ok) {
        await ctx.answerCallbackQuery({ text: refusalText(ctx, cancelled), show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery();
      await closeSummary(ctx, ctx.t("disburse-summary-closed-cancelled"));
      await ctx.reply(ctx.t("disburse-cancelled"), { reply_markup: mainMenuKeyboard(ctx.t, ctx.role) });
      return;
    }
    const pressed = { messageId: ctx.callbackQuery.message?.message_id };
    const claim = action === "ok" ? await desk.claimConfirm(draftId, userId, pressed) : await desk.claimRetry(draftId, userId, pressed);
    if (!claim.ok) {
      // "Coba lagi" on a transfer whose draft is forgotten (kept two days): it was unclear, so it may have gone.
      const forgottenRetry = action === "retry" && claim.reason === "unknown";
      await ctx.answerCallbackQuery({ text: forgottenRetry ? ctx.t("disburse-press-retry-forgotten") : refusalText(ctx, claim), show_alert: true });
      if (claim.reason === "expired") await closeSummary(ctx, ctx.t("disburse-summary-closed-expired"));
      if (claim.reason === "resend_not_needed") await closeSummary(ctx, ctx.t("disburse-summary-closed-not-needed"));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("disburse-press-sending") });
    if (action === "ok") await closeSummary(ctx, ctx.t("disburse-summary-closed-sent"));
    else await dropButtons(ctx);
    const outcome = await desk.send(claim.draft, pressed);
    // Began after its bound (Telegram held this press that long): the watch has told the owner, or will.
    if (outcome.kind === "overdue") return;
    const text = outcomeText(ctx, claim.draft, outcome, (await deps.store.access.listGroups()).length > 0);
    const stillUnclear = outcome.kind === "uncertain" || outcome.kind === "retry_over_today";
    // A transfer the gateway made otherwise than confirmed exists: trying again only hears "made already", and
    // its warning would be gone. The owner stops it in the dashboard instead.
    const retryHelps = stillUnclear && !(outcome.kind === "uncertain" && outcome.code === "NOT_AS_ASKED");
    // Failed at once: "Kirim lagi", as under a bank's FAILED notice (its callback is a result told already).
    const sendAgain =
      outcome.kind === "failed_at_once" ? sendAgainButton(ctx.t("disburse-again-button"), claim.draft.externalId, outcome.failureCode) : undefined;
    const keyboard = retryHelps
      ? new InlineKeyboard().text(ctx.t("disburse-retry-button"), pressData("retry", draftId))
      : outcome.kind === "sent" && deps.simulateTransferResult !== undefined
        ? bankPlayButtons(ctx.t, claim.draft.externalId).row().append(mainMenuKeyboard(ctx.t, ctx.role))
        : sendAgain !== undefined
          ? sendAgain.row().append(mainMenuKeyboard(ctx.t, ctx.role))
          : mainMenuKeyboard(ctx.t, ctx.role);
    // In sandbox mode a message that says what became of the money says it is make-believe, as the summary did.
    const aboutTheMoney = outcome.kind === "sent" || outcome.kind === "failed_at_once" || outcome.kind === "bank_answered";
    const shown = underSandboxBanner(text, ctx.t, deps.sandboxMode && aboutTheMoney);
    const told = await ctx.reply(shown, { parse_mode: "HTML", reply_markup: keyboard });
    // "Being processed by the bank": edited to the bank's result when it comes (src/notify, like a paid QR).
    // Not noted (the store refused), it stays as it is, and the result is told below it all the same.
    if (outcome.kind === "sent") {
      await desk.processingShown(claim.draft, told.message_id).catch((error: unknown) => {
        deps.logger.warn({ err: error, externalId: claim.draft.externalId }, "could not note a transfer's message; its result will not edit it");
      });
    }
    // Told (with its retry button, or that it is not needed): the watch need not tell again.
    if (stillUnclear || (outcome.kind === "resend_not_needed" && outcome.mayHaveSent)) await desk.uncertainTold(claim.draft);
  });

  // Sandbox mode: the owner plays the bank's answer to a transfer sent (there is no bank to give one).
  const playTheBank = deps.simulateTransferResult;
  if (playTheBank !== undefined) {
    feature.callbackQuery(BANK_PLAY, async (ctx) => {
      if (ctx.role !== "owner") {
        await ctx.answerCallbackQuery({ text: ctx.t("disburse-press-owner-only"), show_alert: true });
        return;
      }
      const record = await deps.store.payments.get(ctx.match[2] ?? "");
      if (record?.kind !== "disbursement" || record.status !== "pending") {
        await ctx.answerCallbackQuery({ text: ctx.t("disburse-simulate-settled"), show_alert: true });
        return;
      }
      // One answer per transfer, whichever instance (each with a sandbox of its own) the presses land on.
      if (!(await deps.store.atomic.setIfAbsent(`simulated-result:${record.externalId}`, String(ctx.from.id), BANK_PLAY_CLAIM_MS))) {
        await ctx.answerCallbackQuery({ text: ctx.t("disburse-simulate-sent") });
        return;
      }
      // Played once: the bank's buttons go now. Before the play, so the result's edit of this message (which
      // takes the rest) always comes after it: made after, this put the menu back under the result.
      await ctx.editMessageReplyMarkup({ reply_markup: mainMenuKeyboard(ctx.t, ctx.role) }).catch(() => undefined);
      try {
        await playTheBank(record, ctx.match[1] === "ok" ? "completed" : "failed");
      } catch (error) {
        deps.logger.warn({ err: error, externalId: record.externalId }, "simulated transfer result failed");
        await ctx.answerCallbackQuery({ text: ctx.t("disburse-simulate-settled"), show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery({ text: ctx.t("disburse-simulate-sent") });
    });
  }

  // A failed transfer's notice (to an owner, in private) carries "send again": a new draft of the same transfer.
  feature.callbackQuery(AGAIN, async (ctx) => {
    if (ctx.role !== "owner") {
      await ctx.answerCallbackQuery({ text: ctx.t("disburse-press-owner-only"), show_alert: true });
      return;
    }
    if (ctx.chat?.type !== "private") {
      await ctx.answerCallbackQuery({ text: ctx.t("disburse-private-only", { bot: ctx.me.username }), show_alert: true });
      return;
    }
    const failedExternalId = ctx.match[1] ?? "";
    const by = { ownerId: ctx.from.id, chatId: ctx.chat.id, locale: await ctx.i18n.getLocale() };
    const again = await desk.draftAgain(failedExternalId, by, { draftId: randomBytes(9).toString("base64url"), externalId: deps.newExternalId() });
    if (!again.ok) {
      await ctx.answerCallbackQuery({ text: againRefusalText(ctx, again), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    const summary = transferSummary(ctx.t, again.draft, {
      desk,
      remainingToday: await desk.allowance.remainingToday(),
      nowMs: deps.now().getTime(),
      sandboxMode: deps.sandboxMode,
      intro: ctx.t("disburse-again-intro", { reference: escapeHtml(failedExternalId) }),
    });
    const pressedId = ctx.callbackQuery.message?.message_id;
    const shown = await ctx.reply(summary.text, {
      parse_mode: "HTML",
      reply_markup: summary.keyboard,
      ...(pressedId !== undefined ? { reply_parameters: { message_id: pressedId, allow_sending_without_reply: true } } : {}),
    });
    await rememberOpenSummary(deps.store, { chatId: by.chatId, ownerId: by.ownerId, draftId: again.draft.draftId, messageId: shown.message_id }, desk.confirmTtlMs, deps.now().getTime());
  });

  /**
   * /cancel with the owner's summaries still waiting: each is cancelled exactly as its ✖ Batal button would
   * (the same race against confirm, so it is either cancelled or sent), and its buttons taken off. A summary
   * already pressed is not this command's business: with nothing else, it says nothing is running.
   */
  const cancelOpenSummary: CancelLeftover = async (ctx) => {
    if (ctx.role !== "owner" || ctx.chatId === undefined || ctx.from === undefined) return undefined;
    const open = parseSummaries(await deps.store.atomic.take(openSummaryKey(ctx.chatId, ctx.from.id)));
    let cancelled = 0;
    for (const summary of open) {
      if (!(await desk.cancel(summary.draftId, ctx.from.id)).ok) continue;
      cancelled++;
      await ctx.api.editMessageReplyMarkup(ctx.chatId, summary.messageId, { reply_markup: undefined }).catch(() => undefined);
    }
    return cancelled > 0 ? ctx.t("disburse-cancelled") : undefined;
  };
  return { flow, feature, cancelOpenSummary };
}

type Translator = { t(locale: string, key: string, variables?: Record<string, string>): string };

/**
 * Tells the owner that a send cut off mid-call is uncertain, with the retry button: on the pressed message
 * (the summary) when Telegram still lets us edit it, in a new message otherwise.
 */
export function tellUncertainSend(api: Api, i18n: Translator) {
  return async (draft: DisbursementDraft, messageId: number | undefined): Promise<void> => {
    const t = (key: string, variables?: Record<string, string>) => i18n.t(draft.locale, key, variables);
    const transfer = transferWords(draft);
    const text = `${t("disburse-uncertain-which", transfer)}\n\n${t("disburse-uncertain")}`;
    const reply_markup = new InlineKeyboard().text(t("disburse-retry-button"), pressData("retry", draft.draftId));
    if (messageId !== undefined) {
      try {
        await api.editMessageText(draft.chatId, messageId, text, { parse_mode: "HTML", reply_markup });
        // Telegram does not notify an edit, and the summary may be far up the chat: a reply to it does.
        await api.sendMessage(draft.chatId, t("disburse-uncertain-notice", transfer), {
          parse_mode: "HTML",
          reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
        });
        return;
      } catch (error) {
        // Told already by a watch stopped before it could note so.
        if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
        // Too old to edit, or deleted: a new message says it.
      }
    }
    await api.sendMessage(draft.chatId, text, { parse_mode: "HTML", reply_markup });
  };
}

/**
 * The notifier's buttons for a notice: "send again" under a failed transfer, for an owner in their private
 * chat (the group and cashiers get none; a press is judged again anyway), unless the bank failed it for its
 * destination.
 */
export function failedTransferButtons(i18n: Translator, ownerIds: readonly number[]) {
  return (n: Notice, chatId: number): InlineKeyboardMarkup | undefined => {
    // Not under a FAILED that was not believed (the transfer stays recorded as sent).
    if (n.type !== "disbursement-result" || n.status !== "failed" || n.keptAs !== undefined || !ownerIds.includes(chatId)) return undefined;
    return sendAgainButton(i18n.t(n.locale, "disburse-again-button"), n.externalId, n.failureCode);
  };
}

/**
 * "Kirim lagi" under a failed transfer, unless the same details would fail again (the reason tells the owner to
 * start anew), or its external_id does not fit the button's data.
 */
function sendAgainButton(label: string, externalId: string, failureCode: string | undefined): InlineKeyboard | undefined {
  if (!resendMayHelp(failureCode)) return undefined;
  const data = againData(externalId);
  return AGAIN.test(data) ? new InlineKeyboard().text(label, data) : undefined;
}

/** The watch over disbursement sends (src/disbursement/watch.ts), telling owners through `api`. Every instance runs one. */
export function disbursementWatch(deps: {
  store: Store;
  api: Api;
  logger: Logger;
  i18n?: Translator | undefined;
  now?: (() => Date) | undefined;
  intervalMs?: number | undefined;
}): SendWatch {
  return createSendWatch({
    store: deps.store,
    logger: deps.logger,
    now: deps.now,
    intervalMs: deps.intervalMs,
    tell: tellUncertainSend(deps.api, deps.i18n ?? createI18n()),
  });
}
