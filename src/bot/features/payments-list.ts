import { Composer } from "grammy";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import { formatRupiah } from "../../domain/rupiah.js";
import type { PaymentRecord } from "../../store/types.js";
import type { BotContext, FeatureDeps } from "../context.js";
import { escapeHtml } from "../html.js";
import { MENU } from "../keyboards/main-menu.js";

export const RECENT_PAYMENTS_LIMIT = 10;

/** "BCA 8808…3536" or "Alfamart 7712…": enough to tell payments apart in a list. */
export function paymentMethodLabel(record: PaymentRecord): string {
  if (record.kind === "retail") return `Alfamart <code>${escapeHtml(record.paymentCode ?? "")}</code>`;
  return `${escapeHtml(record.bankCode ?? "")} <code>${escapeHtml(record.accountNumber ?? "")}</code>`;
}

/**
 * The status a merchant should see. The gateway sends no callback when a VA or an Alfamart code expires
 * unpaid, so a pending one past its expiry is shown as expired: it can no longer be paid (a late paid
 * callback would still mark it paid).
 */
export function shownStatus(record: PaymentRecord, nowMs: number): PaymentRecord["status"] {
  const expired = record.status === "pending" && record.expiresAt !== undefined && Date.parse(record.expiresAt) <= nowMs;
  return expired ? "expired" : record.status;
}

/** Recent payments with their status: staff see their own, owners the whole shop's. */
export function paymentsListFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  const list = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const everyone = ctx.role === "owner";
    const records = (
      await deps.store.payments.listRecent({
        limit: RECENT_PAYMENTS_LIMIT,
        createdBy: everyone ? undefined : ctx.from?.id,
      })
    ).filter((r) => everyone || r.kind !== "disbursement"); // money going out is the owners' business only
    if (records.length === 0) {
      await ctx.reply(ctx.t("bot-list-empty"));
      return;
    }
    const locale = await ctx.i18n.getLocale();
    const now = deps.now().getTime();
    const lines = records.map((r) =>
      ctx.t("bot-list-entry", {
        status: ctx.t(`bot-status-${shownStatus(r, now)}`),
        method: r.kind === "disbursement" ? ctx.t("disburse-list-outgoing", { method: paymentMethodLabel(r) }) : paymentMethodLabel(r),
        amount: formatRupiah(r.amount),
        name: escapeHtml(r.customerName),
        createdAt: formatJakartaTime(new Date(r.createdAt), locale),
      }),
    );
    await ctx.reply([ctx.t(everyone ? "bot-list-title-all" : "bot-list-title-own"), ...lines].join("\n"), { parse_mode: "HTML" });
  };
  feature.command(["payments", "pembayaran"], list);
  feature.callbackQuery(MENU.payments, list);
  return feature;
}
