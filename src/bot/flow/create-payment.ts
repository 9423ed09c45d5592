import { underSandboxBanner } from "../sandbox-banner.js";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { InputFile } from "grammy";
import { mayHaveMade } from "../../gateway/may-have-made.js";
import { GatewayError, type GatewayErrorCode } from "../../gateway/types.js";
import { paidMessageEdit } from "../../notify/from-payment.js";
import { createOutbox } from "../../store/index.js";
import type { PaymentRecord } from "../../store/types.js";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import { isExpired } from "../../domain/payment-state.js";
import type { FeatureDeps, Flow, FlowContext, Role } from "../context.js";
import { escapeHtml } from "../html.js";
import { mainMenuKeyboard } from "../keyboards/main-menu.js";
import { payableNumber, paymentBarcodePng, paymentCaption, paymentMessageKeyboard, paymentQrPng } from "../payment-message.js";
import { askChoice, newFlowNonce } from "./ask.js";

/** What the gateway made, as plain JSON (it is stored in the conversation's replay log). */
export type CreatedPayment = Omit<PaymentRecord, "createdBy" | "chatId" | "messageId" | "locale" | "createdAt" | "updatedAt">;

type Attempt =
  | { ok: true; payment: CreatedPayment }
  | {
      ok: false;
      code: GatewayErrorCode | "UNKNOWN";
      gatewayMessage?: string | undefined;
      reason?: string | undefined;
      /** NOT_AS_ASKED: the answered field that differs from the request. */
      field?: string | undefined;
      httpStatus?: number | undefined;
      attempts?: number | undefined;
    };
type Failure = Extract<Attempt, { ok: false }>;

/** See BotDeps.paymentShowLeaseMs: how long a showing press gone quiet (renewing no more) keeps the payment. */
const DEFAULT_SHOW_LEASE_MS = 20_000;
/** Who is showing a payment: one entry per payment, leased by the press showing it (see answerWithPayment). */
const SHOWS_QUEUE = "payment-shows";
/** A press that finds the payment held by another looks again this often, and gives up (says nothing) after the
 * longest a live holder's photo can take: Telegram's retry_after waits included. */
const SHOW_WAIT_STEP_MS = 250;
const SHOW_WAIT_MAX_MS = 120_000;
/** How long a confirmed flow's claim is remembered: far longer than any two presses of one button apart. */
const CONFIRM_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

/** Failures where trying again (with the same external_id) can help; a bad key or bad data will not. */
const RETRYABLE: ReadonlySet<string> = new Set(["UNAVAILABLE", "UNEXPECTED_RESPONSE", "UNKNOWN"]);

function attemptFailure(error: unknown): Attempt {
  if (error instanceof GatewayError) {
    const { gatewayMessage, reason, field, httpStatus, attempts } = error.details;
    return { ok: false, code: error.code, gatewayMessage, reason, field, httpStatus, attempts };
  }
  return { ok: false, code: "UNKNOWN" };
}

/**
 * `recordedHere`, for a 409 DUPLICATE_EXTERNAL_ID: whether the payment with our external_id is in the store.
 * Only then is "check recent payments" true (another press of the same summary made and recorded it). A 409
 * after a request of ours whose answer was lost (the client's retry, "Coba lagi", or a press a restart cut
 * off) means a gateway that ignores our idempotency key holds what that request made, recorded nowhere here.
 */
function failureText(ctx: FlowContext, failure: Failure, doubtful: boolean, recordedHere: boolean): string {
  switch (failure.code) {
    case "BAD_KEY":
      return ctx.t("bot-gateway-bad-key");
    case "VALIDATION":
      return ctx.t("bot-gateway-validation", { message: escapeHtml(failure.gatewayMessage ?? "-") });
    case "DUPLICATE_EXTERNAL_ID":
      return ctx.t(recordedHere ? "bot-gateway-duplicate" : "bot-gateway-duplicate-unrecorded");
    case "INVALID_INPUT":
      return ctx.t("bot-gateway-invalid-input", { reason: escapeHtml(failure.reason ?? "-") });
    case "UNAVAILABLE":
      return ctx.t(doubtful ? "bot-gateway-no-answer" : "bot-gateway-unavailable");
    case "NOT_AS_ASKED":
      return ctx.t("bot-gateway-not-as-asked", { field: failure.field ?? "amount" });
    default:
      return ctx.t(doubtful ? "bot-gateway-unexpected-maybe-made" : "bot-gateway-unexpected");
  }
}

/** Set while a person's create in this chat may have been made without an answer saying so. */
export const doubtfulCreateKey = (chatId: number, userId: number) => `payment-doubtful:${chatId}:${userId}`;

/**
 * The start of a create flow: its buttons' nonce, and a clean slate for /cancel. A flow left at "Coba
 * lagi" for another one (a menu button, a command) leaves its doubt mark behind; the new flow has made nothing.
 */
export async function startCreateFlow(flow: Flow, ctx: FlowContext, deps: FeatureDeps): Promise<string> {
  const nonce = await newFlowNonce(flow);
  await flow.external(() => deps.store.atomic.delete(doubtfulCreateKey(ctx.chatId ?? 0, ctx.from?.id ?? 0)));
  return nonce;
}

/**
 * Calls the gateway (inside conversation.external, so a replay never calls it twice) with one external_id
 * for every attempt: a retry after a timeout or a 5xx can only ever make one account. On failure the
 * merchant is told why and offered a retry where one can help. Returns undefined if they gave up.
 */
export async function createWithRetry(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  deps: FeatureDeps,
  create: (externalId: string) => Promise<CreatedPayment>,
): Promise<{ payment: CreatedPayment; ctx: FlowContext; afterRetry: boolean } | undefined> {
  // One confirmed summary makes one payment, with one external_id, however many times its press is handled:
  // a double tap handled at once (on two instances), or the same press again after a restart cut it off
  // mid-call (Telegram hands out what was not confirmed). Each replays this flow from the same saved point
  // with an external_id of its own; the first to claim the flow's nonce fixes it, and the others make the
  // same payment with it (the gateway keeps one per external_id, and answerWithPayment shows it once).
  // Before, a press that found the claim taken gave up, so a press cut off by a restart was never answered.
  const claimKey = `payment-confirm:${ctx.chatId ?? 0}:${ctx.from?.id ?? 0}:${nonce}`;
  const proposed = await flow.external(() => deps.newExternalId());
  const externalId = await flow.external(async () => {
    if (await deps.store.atomic.setIfAbsent(claimKey, proposed, CONFIRM_CLAIM_TTL_MS)) return proposed;
    const taken = await deps.store.atomic.get(claimKey);
    // "confirmed": a claim written before it named its external_id (a deploy in between); that press goes on alone.
    return taken === undefined || taken === "confirmed" ? null : taken;
  });
  if (externalId === null) {
    deps.logger.info({ chatId: ctx.chatId }, "a second press of a confirmed summary; the first one is making the payment");
    return undefined;
  }
  let current = ctx;
  // Sticks once set: a clear refusal on a later try does not undo what an earlier, unanswered one may have made.
  let doubtful = false;
  const doubtKey = doubtfulCreateKey(ctx.chatId ?? 0, ctx.from?.id ?? 0);
  const forgetDoubt = () => flow.external(() => deps.store.atomic.delete(doubtKey));
  for (;;) {
    await current.replyWithChatAction("upload_photo").catch(() => undefined);
    const attempt = await flow.external(async (): Promise<Attempt> => {
      try {
        return { ok: true, payment: await create(externalId) };
      } catch (error) {
        deps.logger.warn({ err: error, externalId }, "gateway refused or failed a create");
        const failure = attemptFailure(error);
        // An external_id an earlier press claimed (and sent): a 409 is that press's payment, whatever code the
        // gateway gives it. Read as a refusal, the cashier heard nothing was made while a VA existed.
        if (!failure.ok && failure.httpStatus === 409 && externalId !== proposed) return { ...failure, code: "DUPLICATE_EXTERNAL_ID" };
        return failure;
      }
    });
    if (attempt.ok) {
      if (doubtful) await forgetDoubt();
      // Doubtful: an earlier try may have made it, and this one's answer is that one (same external_id).
      return { payment: attempt.payment, ctx: current, afterRetry: doubtful };
    }
    if (!doubtful && mayHaveMade(attempt)) {
      doubtful = true;
      // For a /cancel typed at the question below: the cancel feature cannot see this flow's state.
      await flow.external(() => deps.store.atomic.setIfAbsent(doubtKey, externalId, CONFIRM_CLAIM_TTL_MS));
    }
    // Not by attempt number: a first-attempt 409 may follow a press a restart cut off, which recorded nothing.
    const recordedHere =
      attempt.code === "DUPLICATE_EXTERNAL_ID" && (await flow.external(async () => (await deps.store.payments.get(externalId)) !== undefined));
    // Recorded here under our external_id: that is the one payment this external_id can ever make, so
    // there is nothing left to doubt.
    if (recordedHere && doubtful) {
      doubtful = false;
      await forgetDoubt();
    }
    const text = failureText(current, attempt, doubtful, recordedHere);
    const choices: Array<readonly [string, "retry" | "abandon"]> = [];
    if (RETRYABLE.has(attempt.code)) choices.push([current.t("bot-retry-button"), "retry"]);
    choices.push([current.t("bot-abandon-button"), "abandon"]);
    // What leaving here says, by the abandon button or for another flow (/start, a menu button): the same words.
    const leaving = recordedHere ? "bot-cancel-recorded" : doubtful ? "bot-cancel-maybe-made" : undefined;
    // No idle limit here: "Coba lagi" was promised safe, and a cashier may wait out an outage for hours.
    const answer = await askChoice(flow, current, nonce, text, choices, {
      waitAsLongAsNeeded: true,
      leftSays: leaving,
      // Said now, as the abandon button says it: a /cancel later (in the next flow, or with none) must not say it again.
      onLeft: doubtful ? forgetDoubt : undefined,
    });
    current = answer.ctx;
    if (answer.value === "abandon") {
      if (doubtful) await forgetDoubt();
      await current.reply(current.t(leaving ?? "bot-cancel-done"));
      return undefined;
    }
  }
}

/**
 * Records the payment (now that the gateway has answered), sends the photo the merchant forwards to the
 * customer, then remembers which message shows it (the notifier edits it when paid). Undefined when another
 * press of the same summary is showing it.
 */
export async function answerWithPayment(
  flow: Flow,
  ctx: FlowContext,
  deps: FeatureDeps,
  payment: CreatedPayment,
  role: Role,
  /** Maybe made by a try before the one that answered (before a "Coba lagi"): its expiry may have passed since. */
  afterRetry = false,
): Promise<PaymentRecord | undefined> {
  const locale = await ctx.i18n.getLocale();
  const chatId = ctx.chatId ?? 0;
  const createdBy = ctx.from?.id ?? 0;
  // Several presses of one summary can reach here with the same payment (see createWithRetry): one shows it.
  // The showing press holds the payment with a lease it renews while the photo is on its way (Telegram may
  // hold a photo a minute with a retry_after), and gives it up for good once the message is recorded. A press
  // that finds it held waits: for the message (a double tap on another instance), or for the lease to run
  // out, which means its holder is gone (a restart cut it off during the photo; on SQLite a restart frees it
  // at once). Returning at once left the cashier's press after such a restart with no answer and ended her
  // flow, so every press after it was "no longer valid", and the VA she had made was only in /pembayaran.
  const leaseMs = deps.paymentShowLeaseMs ?? DEFAULT_SHOW_LEASE_MS;
  const holder = await flow.external(() => `show-${randomUUID()}`);
  const hold = () => deps.store.queues.claim(SHOWS_QUEUE, payment.externalId, holder, leaseMs);
  const mine = await flow.external(async () => {
    await deps.store.queues.add(SHOWS_QUEUE, [{ id: payment.externalId, createdAtMs: Date.now(), body: "{}" }]);
    const giveUpAt = Date.now() + SHOW_WAIT_MAX_MS;
    for (;;) {
      if ((await deps.store.payments.get(payment.externalId))?.messageId !== undefined) return false;
      if (await hold()) return true;
      if (Date.now() >= giveUpAt) return false;
      await sleep(SHOW_WAIT_STEP_MS);
    }
  });
  if (!mine) return undefined;
  const keepHolding = setInterval(() => void hold().catch(() => undefined), Math.max(1, Math.floor(leaseMs / 3)));
  let shown: PaymentRecord;
  try {
    const record = await flow.external(async () => {
      const at = deps.now().toISOString();
      return deps.store.payments.save({ ...payment, createdBy, chatId, locale, createdAt: at, updatedAt: at });
    });
    const png = await paymentQrPng(record);
    const caption = paymentCaption(record, ctx.t, { locale, sandboxMode: deps.sandboxMode });
    const keyboard = paymentMessageKeyboard(record, ctx.t, { canSimulate: deps.simulatePayment !== undefined, nowMs: deps.now().getTime() });
    const markup = { parse_mode: "HTML" as const, ...(keyboard ? { reply_markup: keyboard } : {}) };
    // The payment exists from here on: if Telegram will not take the picture, the cashier still gets the
    // number to give the customer, as text (the notifier edits a text message as it edits a caption).
    const photo = await ctx.replyWithPhoto(new InputFile(png, `${record.externalId}.png`), { caption, ...markup }).catch(async (error: unknown) => {
      deps.logger.warn({ err: error, externalId: record.externalId }, "the payment's photo was refused; sent as text");
      return ctx.reply(caption, markup);
    });
    shown = await flow.external(async () => {
      const updated = (await deps.store.payments.update(record.externalId, { messageId: photo.message_id })) ?? {
        ...record,
        messageId: photo.message_id,
      };
      await deps.store.queues.complete(SHOWS_QUEUE, record.externalId, CONFIRM_CLAIM_TTL_MS);
      // Paid already: its paid callback came before this message was recorded, and found none to edit.
      const edit = paidMessageEdit(updated, deps.now());
      if (edit !== undefined) await createOutbox(deps.store).add([edit]);
      try {
        deps.onPaymentCreated?.(updated);
      } catch (error) {
        deps.logger.error({ err: error, externalId: updated.externalId }, "onPaymentCreated failed");
      }
      return updated;
    });
  } finally {
    clearInterval(keepHolding);
  }
  const barcode = await paymentBarcodePng(shown);
  if (barcode) {
    await ctx.replyWithPhoto(new InputFile(barcode, `${shown.externalId}-barcode.png`), {
      caption: ctx.t("bot-payment-barcode-caption", { code: escapeHtml(payableNumber(shown)) }),
      parse_mode: "HTML",
    });
  }
  // Expired already, so the customer could not pay it: made at an earlier attempt, a "Coba lagi" pressed long
  // after (it has no idle limit), or made expired (the gateway's clock or time zone against ours).
  const expiredAtBirth = await flow.external(() => shown.expiresAt !== undefined && isExpired(shown, deps.now().getTime()));
  if (expiredAtBirth && shown.expiresAt !== undefined) {
    if (!afterRetry) {
      deps.logger.warn({ externalId: shown.externalId, expiresAt: shown.expiresAt }, "the gateway made a payment that had expired already; check this machine's clock and the gateway's time zone");
    }
    const expiresAt = formatJakartaTime(new Date(shown.expiresAt), locale);
    await ctx.reply(ctx.t(afterRetry ? "bot-payment-expired-since-earlier-try" : "bot-payment-expired-at-birth", { expiresAt }), { parse_mode: "HTML" });
  }
  // Not "forward the QR message above" under a warning not to.
  await ctx.reply(ctx.t(expiredAtBirth ? "bot-payment-next-after-expired" : "bot-payment-next"), { reply_markup: mainMenuKeyboard(ctx.t, role) });
  return shown;
}

/** The summary and its confirm button; false if the merchant pressed cancel. */
export async function confirmSummary(
  flow: Flow,
  ctx: FlowContext,
  nonce: string,
  summary: string,
  options: { sandboxMode: boolean; role: Role },
) {
  const text = underSandboxBanner(summary, ctx.t, options.sandboxMode);
  const answer = await askChoice(flow, ctx, nonce, text, [
    [ctx.t("bot-confirm-button"), "confirm"],
    [ctx.t("bot-abandon-button"), "abandon"],
  ] as const);
  if (answer.value === "abandon") {
    await answer.ctx.reply(answer.ctx.t("bot-cancel-done"), { reply_markup: mainMenuKeyboard(answer.ctx.t, options.role) });
  }
  return { confirmed: answer.value === "confirm", ctx: answer.ctx };
}

