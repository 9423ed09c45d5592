import { Composer } from "grammy";
import { formatJakartaTime } from "../../domain/jakarta-time.js";
import { disbursementBankName } from "../../domain/limits.js";
import { formatRupiah, paidAgainstAsked } from "../../domain/rupiah.js";
import type { PaymentRecord } from "../../store/types.js";
import type { BotContext, FeatureDeps } from "../context.js";
import { escapeHtml } from "../html.js";
import { isExpired, isReusableVirtualAccount, paidSoFar } from "../../domain/payment-state.js";
import { MENU } from "../keyboards/main-menu.js";

export const RECENT_PAYMENTS_LIMIT = 10;

/** "BCA 8808…3536", "Alfamart 7712…", "CIMB Niaga 1234…": enough to tell payments apart in a list. */
export function paymentMethodLabel(record: PaymentRecord): string {
  if (record.kind === "retail") return `Alfamart <code>${escapeHtml(record.paymentCode ?? "")}</code>`;
  const code = record.bankCode ?? "";
  const bank = record.kind === "disbursement" ? disbursementBankName(code) : code;
  return `${escapeHtml(bank)} <code>${escapeHtml(record.accountNumber ?? "")}</code>`;
}

/**
 * The status a merchant should see. The gateway sends no callback when a VA or an Alfamart code expires
 * unpaid, so a pending one past its expiry is shown as expired: it can no longer be paid (a late paid
 * callback would still mark it paid).
 */
export function shownStatus(record: PaymentRecord, nowMs: number): PaymentRecord["status"] {
  return record.status === "pending" && isExpired(record, nowMs) ? "expired" : record.status;
}

/**
 * A list line's status and amount. The cashier checks this list before handing over the goods, so a payment
 * that is not the amount asked must not read "Lunas": a bill is judged by all it was paid (one payment, or the
 * rest paid later, or paid twice), a multi-use VA, which stays open and is paid again and again, by its count
 * and total, with a word on its latest payment.
 */
function statusAndAmount(ctx: BotContext, r: PaymentRecord, nowMs: number): { status: string; amount: string } {
  const paid = paidSoFar(r);
  if (r.status === "paid" && isReusableVirtualAccount(r)) {
    const latest = r.paidAmount === undefined ? undefined : paidAgainstAsked(r.paidAmount, r.amount);
    return {
      status: ctx.t(isExpired(r, nowMs) ? "bot-status-reusable-expired" : "bot-status-reusable", { count: paid.count }),
      amount: ctx.t(`bot-list-amount-reusable${latest === undefined ? "" : `-${latest.kind}`}`, {
        amount: formatRupiah(r.amount),
        total: formatRupiah(paid.total),
        difference: formatRupiah(latest?.difference ?? 0),
      }),
    };
  }
  const times = paid.count > 1 ? ` ${ctx.t("bot-list-paid-times", { count: paid.count })}` : "";
  const versus = r.status === "paid" ? paidAgainstAsked(paid.total, r.amount) : undefined;
  if (versus !== undefined) {
    return {
      status: ctx.t(`bot-status-paid-${versus.kind}`),
      amount:
        ctx.t(`bot-list-amount-${versus.kind}`, { paid: formatRupiah(paid.total), asked: formatRupiah(r.amount), difference: formatRupiah(versus.difference) }) +
        times,
    };
  }
  return { status: ctx.t(`bot-status-${shownStatus(r, nowMs)}`), amount: formatRupiah(r.amount) + times };
}

/**
 * Which time a line shows, said: a paid payment's (latest) payment, which is what a cashier checks a
 * customer's "I paid at ten" against; otherwise when it was made. A transfer's is when it was sent.
 */
function whenText(ctx: BotContext, r: PaymentRecord, locale: string): string {
  if (r.kind !== "disbursement" && r.status === "paid" && r.paidAt !== undefined) {
    const key = paidSoFar(r).count > 1 ? "bot-list-when-paid-latest" : "bot-list-when-paid";
    return ctx.t(key, { time: formatJakartaTime(new Date(r.paidAt), locale) });
  }
  return ctx.t("bot-list-when-created", { time: formatJakartaTime(new Date(r.createdAt), locale) });
}

/**
 * How many of the shop's latest an owner's list in a group reads to find its ten: the transfers among them
 * are left out there, and a shop that sent a few between its sales still gets a full list.
 */
const GROUP_LIST_READS = 4 * (RECENT_PAYMENTS_LIMIT + 1);

/**
 * Recent payments with their status: staff see their own, owners the whole shop's. In a group an owner's list
 * is of the shop's sales: the group hears each transfer's result as it comes (issue 3 asks for that), but the
 * list of where the money went (holders, accounts, amounts) stays in the owners' private chats.
 */
export function paymentsListFeature(deps: FeatureDeps) {
  const feature = new Composer<BotContext>();
  const list = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const everyone = ctx.role === "owner";
    const transfersShown = everyone && ctx.chat?.type === "private";
    const transfersLeftOut = everyone && !transfersShown;
    // One more than shown: whether to say the list stops there.
    const found = (
      await deps.store.payments.listRecent({
        limit: transfersLeftOut ? GROUP_LIST_READS : RECENT_PAYMENTS_LIMIT + 1,
        createdBy: everyone ? undefined : ctx.from?.id,
      })
    ).filter((r) => transfersShown || r.kind !== "disbursement");
    const records = found.slice(0, RECENT_PAYMENTS_LIMIT);
    const transfersWhere = transfersLeftOut ? [ctx.t("bot-list-transfers-in-private")] : [];
    if (records.length === 0) {
      await ctx.reply([ctx.t("bot-list-empty"), ...transfersWhere].join("\n"), { parse_mode: "HTML" });
      return;
    }
    const locale = await ctx.i18n.getLocale();
    const now = deps.now().getTime();
    const lines = records.map((r) =>
      ctx.t("bot-list-entry", {
        ...statusAndAmount(ctx, r, now),
        method: r.kind === "disbursement" ? ctx.t("disburse-list-outgoing", { method: paymentMethodLabel(r) }) : paymentMethodLabel(r),
        name: escapeHtml(r.customerName),
        when: whenText(ctx, r, locale),
      }),
    );
    const more = found.length > records.length ? [ctx.t("bot-list-only-latest", { count: RECENT_PAYMENTS_LIMIT })] : [];
    await ctx.reply([ctx.t(everyone ? "bot-list-title-all" : "bot-list-title-own"), ...lines, ...more, ...transfersWhere].join("\n"), { parse_mode: "HTML" });
  };
  feature.command(["payments", "pembayaran"], list);
  feature.callbackQuery(MENU.payments, list);
  return feature;
}
