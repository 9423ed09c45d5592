import { Composer } from "grammy";
import { RETAIL_OUTLETS } from "../../domain/limits.js";
import { formatRupiah } from "../../domain/rupiah.js";
import type { BotContext, FeatureDeps, Flow, FlowContext, Role } from "../context.js";
import { askAmount } from "../flow/amount-question.js";
import { askCustomerName, createFlow } from "../flow/ask.js";
import { answerWithPayment, confirmSummary, createWithRetry, startCreateFlow } from "../flow/create-payment.js";
import { escapeHtml } from "../html.js";
import { MENU } from "../keyboards/main-menu.js";

export const CREATE_ALFAMART_CODE = "create-alfamart-code";

/** Customer name, amount (Alfamart's range), confirm; then the payment code the customer shows the cashier. */
export function createAlfamartCodeFlow(deps: FeatureDeps) {
  return async function createAlfamartCode(flow: Flow, ctx: FlowContext, role: Role = "staff") {
    const nonce = await startCreateFlow(flow, ctx, deps);
    const name = await askCustomerName(flow, ctx, nonce);
    const amount = await askAmount(flow, name.ctx, nonce, RETAIL_OUTLETS.ALFAMART);
    const summary = amount.ctx.t("bot-summary-alfamart", { name: escapeHtml(name.value), amount: formatRupiah(amount.value) });
    const confirm = await confirmSummary(flow, amount.ctx, nonce, summary, { sandboxMode: deps.sandboxMode, role });
    if (!confirm.confirmed) return;
    const created = await createWithRetry(flow, confirm.ctx, nonce, deps, async (externalId) => {
      const code = await deps.gateway.createRetailPayment({
        externalId,
        retailOutletName: "ALFAMART",
        name: name.value,
        amount: amount.value,
      });
      return {
        externalId: code.externalId || externalId,
        gatewayId: code.id,
        kind: "retail",
        status: "pending",
        amount: code.amount,
        customerName: name.value,
        retailOutletName: code.retailOutletName,
        paymentCode: code.paymentCode,
        isSingleUse: code.isSingleUse,
        expiresAt: code.expiresAt?.toISOString(),
      };
    });
    if (!created) return;
    await answerWithPayment(flow, created.ctx, deps, created.payment, role, created.afterRetry);
  };
}

/** The flow (installed before every feature's commands: see createBot) and its commands and menu button. */
export function retailPaymentFeature(deps: FeatureDeps): { flow: Composer<BotContext>; feature: Composer<BotContext> } {
  const flow = new Composer<BotContext>(createFlow(CREATE_ALFAMART_CODE, deps, createAlfamartCodeFlow(deps)));
  const feature = new Composer<BotContext>();
  const enter = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(CREATE_ALFAMART_CODE, ctx.role);
  };
  feature.command(["alfamart", "alfa"], enter);
  feature.callbackQuery(MENU.alfamart, enter);
  return { flow, feature };
}
