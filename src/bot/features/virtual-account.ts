import { Composer } from "grammy";
import { VIRTUAL_ACCOUNT_BANKS, VIRTUAL_ACCOUNT_BANK_CODES, type VirtualAccountBank } from "../../domain/limits.js";
import { formatRupiah } from "../../domain/rupiah.js";
import type { BotContext, FeatureDeps, Flow, FlowContext, Role } from "../context.js";
import { askAmount } from "../flow/amount-question.js";
import { askChoice, askCustomerName, createFlow } from "../flow/ask.js";
import { answerWithPayment, confirmSummary, createWithRetry, startCreateFlow } from "../flow/create-payment.js";
import { escapeHtml } from "../html.js";
import { MENU } from "../keyboards/main-menu.js";

export const CREATE_VIRTUAL_ACCOUNT = "create-virtual-account";

/** Bank, customer name, amount (within that bank's range), single use or not, confirm; then the VA. */
export function createVirtualAccountFlow(deps: FeatureDeps) {
  return async function createVirtualAccount(flow: Flow, ctx: FlowContext, role: Role = "staff") {
    const nonce = await startCreateFlow(flow, ctx, deps);
    const bank = await askChoice(
      flow,
      ctx,
      nonce,
      ctx.t("bot-va-ask-bank"),
      VIRTUAL_ACCOUNT_BANK_CODES.map((code) => [code, code] as const),
    );
    const bankCode: VirtualAccountBank = bank.value;
    const name = await askCustomerName(flow, bank.ctx, nonce);
    const amount = await askAmount(flow, name.ctx, nonce, VIRTUAL_ACCOUNT_BANKS[bankCode]);
    const singleUse = await askChoice(flow, amount.ctx, nonce, amount.ctx.t("bot-va-ask-single-use"), [
      [amount.ctx.t("bot-single-use-yes"), "yes"],
      [amount.ctx.t("bot-single-use-no"), "no"],
    ] as const);
    const isSingleUse = singleUse.value === "yes";
    const summary = singleUse.ctx.t("bot-summary-va", {
      bank: bankCode,
      name: escapeHtml(name.value),
      amount: formatRupiah(amount.value),
      singleUse: singleUse.value,
    });
    const confirm = await confirmSummary(flow, singleUse.ctx, nonce, summary, { sandboxMode: deps.sandboxMode, role });
    if (!confirm.confirmed) return;
    const created = await createWithRetry(flow, confirm.ctx, nonce, deps, async (externalId) => {
      const va = await deps.gateway.createVirtualAccount({
        externalId,
        bankCode,
        name: name.value,
        amount: amount.value,
        isSingleUse,
      });
      return {
        externalId: va.externalId || externalId,
        gatewayId: va.id,
        kind: "virtual_account",
        status: "pending",
        amount: va.amount,
        // The name the merchant typed: the gateway may decorate it (test mode prefixes "XDT-").
        customerName: name.value,
        bankCode: va.bankCode,
        accountNumber: va.accountNumber,
        isSingleUse: va.isSingleUse,
        expiresAt: va.expiresAt?.toISOString(),
      };
    });
    if (!created) return;
    await answerWithPayment(flow, created.ctx, deps, created.payment, role, created.afterRetry);
  };
}

/** The flow (installed before every feature's commands: see createBot) and its commands and menu button. */
export function virtualAccountFeature(deps: FeatureDeps): { flow: Composer<BotContext>; feature: Composer<BotContext> } {
  const flow = new Composer<BotContext>(createFlow(CREATE_VIRTUAL_ACCOUNT, deps, createVirtualAccountFlow(deps)));
  const feature = new Composer<BotContext>();
  const enter = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(CREATE_VIRTUAL_ACCOUNT, ctx.role);
  };
  feature.command(["va", "virtualaccount"], enter);
  feature.callbackQuery(MENU.virtualAccount, enter);
  return { flow, feature };
}
