import type { Sandbox } from "./sandbox/index.js";
import type { Store } from "./store/index.js";
import { runTerminalChat, type LocalBotApi, type TelegramUser } from "./telegram-local/index.js";

/** The person at the keyboard in the offline demo: the shop's owner. */
export const DEMO_OWNER: TelegramUser = { id: 700_000_001, first_name: "Pemilik Toko", username: "pemilik_toko", language_code: "id" };

/**
 * The offline demo's chat: the human plays the merchant in a terminal, and plays the customer with
 * "pay", which goes through the sandbox's simulate endpoint so the paid callback arrives over HTTP.
 */
export async function runOfflineChat(deps: {
  telegram: LocalBotApi;
  sandbox: Sandbox;
  store: Store;
  i18n: { t(locale: string, key: string, vars?: Record<string, string | number>): string };
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal?: AbortSignal;
}): Promise<void> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.i18n.t("id", key, vars);
  await runTerminalChat({
    api: deps.telegram,
    input: deps.input as never,
    output: deps.output as never,
    user: DEMO_OWNER,
    signal: deps.signal,
    commandsHelp: [t("demo-help-pay")],
    onCommand: async (line, io) => {
      const [word, ref] = line.trim().split(/\s+/);
      if (word?.toLowerCase() !== "pay") return false;
      const payment = ref
        ? await deps.store.payments.get(ref)
        : (await deps.store.payments.listRecent({ limit: 10 })).find((p) => p.kind !== "disbursement" && p.status === "pending");
      if (!payment) {
        io.print(t("demo-pay-nothing"));
        return true;
      }
      try {
        if (payment.kind === "virtual_account") deps.sandbox.payVirtualAccount(payment.externalId);
        else if (payment.kind === "retail") deps.sandbox.payRetail(payment.externalId);
        else {
          io.print(t("demo-pay-nothing"));
          return true;
        }
        io.print(t("demo-pay-sent", { externalId: payment.externalId }));
      } catch (err) {
        io.print(t("demo-pay-refused", { reason: err instanceof Error ? err.message : String(err) }));
      }
      return true;
    },
  });
}
