import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context.js";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import { awaitsPayment, isExpired, paidSoFar } from "../../domain/payment-state.js";
import { SIMULATE_PAYMENT_PREFIX } from "../payment-message.js";

/** How long a press holds its payment: its callback is recorded well within it, or was lost (then pressed again). */
const SIMULATE_CLAIM_MS = 60_000;

/**
 * Sandbox only: the payment message's "simulate payment" button plays the customer. The paid message
 * itself comes back the real way (sandbox callback -> webhook -> notifier), not from here.
 */
export function simulatePaymentFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  const simulate = deps.simulatePayment;
  if (!simulate) return feature;
  feature.callbackQuery(new RegExp(`^${SIMULATE_PAYMENT_PREFIX}(.+)$`), async (ctx) => {
    const record = await deps.store.payments.get(ctx.match[1] ?? "");
    const nowMs = deps.now().getTime();
    if (record !== undefined && record.expiresAt !== undefined && isExpired(record, nowMs) && !(record.status === "paid" && record.isSingleUse !== false)) {
      // Said as it is: a customer could not pay it either, so the cashier makes a new one.
      const since = formatJakartaTime(new Date(record.expiresAt), await ctx.i18n.getLocale());
      await ctx.answerCallbackQuery({ text: ctx.t("bot-simulate-expired", { since }), show_alert: true });
      return;
    }
    if (!record || !awaitsPayment(record, nowMs)) {
      await ctx.answerCallbackQuery({ text: ctx.t("bot-flow-button-expired") });
      return;
    }
    // One press per payment: a double tap (or, with several instances, taps on two of them, each with a
    // sandbox of its own) pays once. The next payment of a multi-use VA counts one more, and is pressed anew.
    const first = await deps.store.atomic.setIfAbsent(`simulated:${record.externalId}:${paidSoFar(record).count}`, String(ctx.from.id), SIMULATE_CLAIM_MS);
    if (!first) {
      await ctx.answerCallbackQuery({ text: ctx.t("bot-simulate-sent") });
      return;
    }
    try {
      await simulate(record);
      await ctx.answerCallbackQuery({ text: ctx.t("bot-simulate-sent") });
    } catch (error) {
      deps.logger.warn({ err: error, externalId: record.externalId }, "simulated payment failed");
      await ctx.answerCallbackQuery({ text: ctx.t("bot-simulate-failed"), show_alert: true });
    }
  });
  return feature;
}
