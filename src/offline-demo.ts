import type { SessionData } from "./bot/context.js";
import { userSessionKey } from "./bot/recipient-language.js";
import { keyvStorageAdapter } from "./bot/storage-adapter.js";
import { awaitsPayment, isExpired } from "./domain/payment-state.js";
import { DEFAULT_LOCALE } from "./i18n.js";
import { formatRupiah } from "./domain/rupiah.js";
import { renderFailureReason } from "./notify/render.js";
import { SandboxError, type Sandbox } from "./sandbox/index.js";
import { adoptIntoSandbox } from "./sandbox-mode.js";
import type { PaymentRecord, Store } from "./store/index.js";
import { privateChat, runTerminalChat, type LocalBotApi, type RecordedCall, type TelegramUser, type TerminalChatIo } from "./telegram-local/index.js";

/** The person at the keyboard in the offline demo: the shop's owner. */
export const DEMO_OWNER: TelegramUser = { id: 700_000_001, first_name: "Pemilik Toko", username: "pemilik_toko", language_code: "id" };

/**
 * The bank's "no" in the demo, as sandbox mode's "🧪 Bank: gagal" button plays it: the receiving bank refused,
 * a refusal "Kirim lagi" may get past, so the demo's owner meets that path too (a mistyped account number,
 * which the bot rightly offers no resend for, left "bank gagal" without it).
 */
const DEMO_TRANSFER_FAILURE_CODE = "REJECTED_BY_BANK";
/**
 * How far back "pay" and "bank" look for a bill or a transfer still waiting: the demo's shop lives in memory
 * for one session, so all of it, within reason (ten had hidden a bill behind ten transfers made since).
 */
const DEMO_LOOKBACK = 500;

const SANDBOX_REFUSALS: Record<string, string | undefined> = {
  VIRTUAL_ACCOUNT_ALREADY_PAID: "demo-refused-already-paid",
  VIRTUAL_ACCOUNT_EXPIRED: "demo-refused-expired",
  PAYMENT_CODE_EXPIRED: "demo-refused-expired",
  DISBURSEMENT_ALREADY_SETTLED: "demo-refused-already-settled",
};

/**
 * "bank", "bank gagal" (or "fail"), each with an optional external_id; nothing else. Not "transfer": that is
 * what an owner may well type as a transfer's description, which the command would then swallow.
 */
const TRANSFER_COMMAND = /^bank(?:\s+(gagal|fail))?(?:\s+(\S+))?$/i;

/**
 * How long "pay" and "bank" hold the next typed line for the notice and the message edited (a bill marked paid,
 * a transfer's "being processed" turned to its result): they come in well under a second.
 */
const NOTICE_WAIT_MS = 5_000;

/**
 * A reference of the bot's ("pb-mh2x…"), an amount or a VA number ("20000", "150rb" would be a word), or a
 * sandbox Alfamart code ("TEST307106", one digit short or long when mistyped): what "pay <ref>" answers itself
 * when it names no bill. Anything else after "pay" ("Pay supplier", "Pay INV-0042") is the owner talking to the bot.
 */
const LOOKS_LIKE_A_REFERENCE = /^(pb-[0-9a-z-]+|[\d.,]+|test\d+)$/i;

/**
 * The offline demo's chat: the human plays the merchant in a terminal, plays the customer with "pay" and
 * the bank with "bank". Both go through the sandbox's simulate path, so the paid and transfer-result
 * callbacks arrive over HTTP and their notifications come the real way.
 */
export async function runOfflineChat(deps: {
  telegram: LocalBotApi;
  sandbox: Sandbox;
  store: Store;
  i18n: { t(locale: string, key: string, vars?: Record<string, string | number>): string };
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal?: AbortSignal;
  /** The port asked for, when it was taken and the demo listens on another. */
  portTaken?: { wanted: number; port: number } | undefined;
}): Promise<void> {
  // The owner's chat with the bot exists from the start, as in Telegram: on a shop kept from an earlier run, a
  // "pay" typed before any message had its notice refused ("chat not found") and lost.
  deps.telegram.addChat(privateChat(DEMO_OWNER));
  // The demo's own lines follow the owner's /bahasa choice, read at its start (a shop kept in STORE_URL keeps
  // it) and again at each of its commands; Indonesian until there is one.
  const sessions = keyvStorageAdapter<SessionData>(deps.store.namespace("sessions"));
  const ownersLocale = async () => (await sessions.read(userSessionKey(DEMO_OWNER.id)))?.language ?? DEFAULT_LOCALE;
  let locale = await ownersLocale();
  const t = (key: string, vars?: Record<string, string | number>) => deps.i18n.t(locale, key, vars);
  deps.output.write(`${t("demo-welcome")}\n`);
  // A second demo, or anything else on the port: the demo took a free one (said in words, not a log line).
  if (deps.portTaken !== undefined) deps.output.write(`${t("demo-port-taken", { wanted: String(deps.portTaken.wanted), port: String(deps.portTaken.port) })}\n`);
  /** The sandbox's refusals a player meets, in the owner's language; anything else in the sandbox's own words. */
  const reasonOf = (err: unknown) => {
    const code = err instanceof SandboxError ? SANDBOX_REFUSALS[err.errorCode] : undefined;
    return code !== undefined ? t(code) : err instanceof Error ? err.message : String(err);
  };

  /**
   * The bills paid (one-payment VAs, Alfamart codes) and transfers answered at the sandbox. The store says
   * "waiting" until their callback is recorded; "pay" or "bank" typed twice in that moment must not pick the
   * same one again.
   */
  const settledAtSandbox = (): Set<string> => {
    const o = deps.sandbox.objects();
    return new Set([
      ...[...o.virtual_accounts, ...o.retail_payments].filter((bill) => bill.status === "paid").map((bill) => bill.external_id),
      ...o.disbursements.filter((d) => d.outcome !== null).map((d) => d.external_id),
    ]);
  };

  /**
   * What "pay" pays: the newest bill not paid yet, else the newest multi-use VA still open (it stays payable
   * after its first payment, until it expires).
   */
  const waitingForTheCustomer = async (): Promise<PaymentRecord | undefined> => {
    const now = Date.now();
    const settled = settledAtSandbox();
    const open = (await deps.store.payments.listRecent({ limit: DEMO_LOOKBACK })).filter(
      (p) => p.kind !== "disbursement" && awaitsPayment(p, now) && !settled.has(p.externalId),
    );
    return open.find((p) => p.status === "pending") ?? open[0];
  };

  /**
   * The bill whose VA number or Alfamart code is `typed`: what the customer has in hand (the bot's Ref shows
   * only in the paid notice, so an older unpaid bill had no name "pay" could take).
   */
  const billShowing = async (typed: string): Promise<PaymentRecord | undefined> => {
    const wanted = typed.replace(/[\s-]/g, "").toUpperCase();
    return (await deps.store.payments.listRecent({ limit: DEMO_LOOKBACK })).find(
      (p) => (p.kind === "virtual_account" && p.accountNumber === wanted) || (p.kind === "retail" && p.paymentCode?.toUpperCase() === wanted),
    );
  };

  /**
   * A bill or transfer kept from an earlier run (STORE_URL keeps the shop; the sandbox lives in memory) is
   * shown to this run's sandbox first, as sandbox mode's buttons do, unless its record says the gateway would
   * take nothing for it any more: then that is the answer, in the owner's words.
   */
  const refusedFromAnEarlierRun = (record: PaymentRecord): string | undefined => {
    const o = deps.sandbox.objects();
    const known = [...o.virtual_accounts, ...o.retail_payments, ...o.disbursements].some((x) => x.external_id === record.externalId);
    if (known) return undefined;
    if (record.kind === "disbursement" && record.status !== "pending") return t("demo-refused-already-settled");
    if (record.kind !== "disbursement" && isExpired(record, Date.now())) return t("demo-refused-expired");
    if (record.kind === "virtual_account" && record.isSingleUse !== false && record.status !== "pending") return t("demo-refused-already-paid");
    adoptIntoSandbox(deps.sandbox, record);
    return undefined;
  };

  /**
   * Holds the next typed line for the notice of what "pay" or "bank" set off (it names the Ref) and for the
   * message it edits, a few seconds at most: "quit" typed right after them left before what it was waiting to see.
   * The message is read from the record once the notice is out: "bank" typed the moment "being processed" showed
   * came before the bot had noted that message on the transfer.
   */
  const toldSince = async (mark: number, externalId: string, editedIn: (record: PaymentRecord) => number | undefined) => {
    // One wait for both: an edit that never comes (the message was deleted) holds the line no longer than the notice could.
    const until = Date.now() + NOTICE_WAIT_MS;
    const seen = (matches: (c: RecordedCall) => boolean) =>
      deps.telegram.waitFor((c) => c.response.ok && matches(c), { since: mark, timeoutMs: Math.max(0, until - Date.now()) }).catch(() => undefined);
    await seen((c) => c.method === "sendMessage" && String(c.payload.text ?? "").includes(externalId));
    const record = await deps.store.payments.get(externalId);
    const messageId = record === undefined ? undefined : editedIn(record);
    if (messageId !== undefined) {
      await seen((c) => c.method.startsWith("editMessage") && c.payload.message_id === messageId && Number(c.payload.chat_id) === record?.chatId);
    }
  };

  const playTheCustomer = async (line: string, io: TerminalChatIo): Promise<boolean> => {
    const [word, ...after] = line.trim().split(/\s+/);
    if (word?.toLowerCase() !== "pay") return false;
    // A VA number as its message groups it for reading ("8808 4974 6890 4563") is one reference; any other
    // words after "pay" are the owner talking to the bot.
    const grouped = after.length > 1 && after.every((part) => /^\d+$/.test(part));
    if (after.length > 1 && !grouped) return false;
    const ref = grouped ? after.join("") : after[0];
    const payment = ref ? ((await deps.store.payments.get(ref)) ?? (await billShowing(ref))) : await waitingForTheCustomer();
    if (!payment) {
      // A plain word after "pay" is the owner talking to the bot ("Pay supplier" as a transfer's description),
      // not a command; a reference typed but not ours (an amount, say, "pay 20000") is not "nothing is waiting".
      if (ref !== undefined && !LOOKS_LIKE_A_REFERENCE.test(ref)) return false;
      io.print(ref ? t("demo-pay-unknown-ref", { ref }) : t("demo-pay-nothing"));
      return true;
    }
    const earlier = payment.kind === "disbursement" ? undefined : refusedFromAnEarlierRun(payment);
    if (earlier !== undefined) {
      io.print(t("demo-pay-refused", { reason: earlier }));
      return true;
    }
    const mark = deps.telegram.mark();
    try {
      if (payment.kind === "virtual_account") deps.sandbox.payVirtualAccount(payment.externalId);
      else if (payment.kind === "retail") deps.sandbox.payRetail(payment.externalId);
      else {
        io.print(t("demo-pay-not-a-bill", { externalId: payment.externalId }));
        return true;
      }
      io.print(t("demo-pay-sent", { externalId: payment.externalId, amount: formatRupiah(payment.amount), customer: payment.customerName }));
    } catch (err) {
      io.print(t("demo-pay-refused", { reason: reasonOf(err) }));
      return true;
    }
    await toldSince(mark, payment.externalId, (bill) => bill.messageId);
    return true;
  };

  const playTheBank = async (line: string, io: TerminalChatIo): Promise<boolean> => {
    const match = TRANSFER_COMMAND.exec(line.trim());
    if (!match) return false;
    const fail = match[1] !== undefined;
    const ref = match[2];
    let transfer: PaymentRecord | undefined;
    if (ref !== undefined) {
      transfer = await deps.store.payments.get(ref);
      // A word that names no payment is the owner talking to the bot ("Bank BCA" as a description), not a
      // command.
      if (!transfer) return false;
      if (transfer.kind !== "disbursement") {
        io.print(t("demo-transfer-not-one", { externalId: transfer.externalId }));
        return true;
      }
    } else {
      const settled = settledAtSandbox();
      transfer = (await deps.store.payments.listRecent({ limit: DEMO_LOOKBACK })).find(
        (p) => p.kind === "disbursement" && p.status === "pending" && !settled.has(p.externalId),
      );
      if (!transfer) {
        io.print(t("demo-transfer-nothing"));
        return true;
      }
    }
    const vars = { externalId: transfer.externalId, amount: formatRupiah(transfer.amount), holder: transfer.customerName };
    const earlier = refusedFromAnEarlierRun(transfer);
    if (earlier !== undefined) {
      io.print(t("demo-transfer-refused", { reason: earlier }));
      return true;
    }
    const mark = deps.telegram.mark();
    try {
      if (fail) {
        deps.sandbox.failDisbursement(transfer.externalId, DEMO_TRANSFER_FAILURE_CODE);
        // In the demo's language, as the notice gives it (its variables are strings: the code, escaped).
        const reason = renderFailureReason({ t: (_locale, key, variables) => t(key, variables as Record<string, string> | undefined) }, locale, DEMO_TRANSFER_FAILURE_CODE);
        io.print(t("demo-transfer-failed", { ...vars, reason }));
      } else {
        deps.sandbox.completeDisbursement(transfer.externalId);
        io.print(t("demo-transfer-completed", vars));
      }
    } catch (err) {
      io.print(t("demo-transfer-refused", { reason: reasonOf(err) }));
      return true;
    }
    await toldSince(mark, transfer.externalId, (sent) => sent.processingMessageId);
    return true;
  };

  await runTerminalChat({
    api: deps.telegram,
    input: deps.input as never,
    output: deps.output as never,
    user: DEMO_OWNER,
    signal: deps.signal,
    commandsHelp: () => [t("demo-help-pay"), t("demo-help-transfer")],
    words: {
      // Ids as they are written, not as numbers ("700.000.001" in Indonesian).
      greeting: (v) => t("demo-terminal-greeting", { ...v, userId: String(v.userId) }),
      help: () => t("demo-terminal-help").split("\n"),
      edited: () => t("demo-terminal-edited"),
      deleted: (v) => t("demo-terminal-deleted", { ...v, messageId: String(v.messageId) }),
      inChat: (v) => t("demo-terminal-in-chat", v),
      cannotPress: (v) => t("demo-terminal-cannot-press", v),
    },
    onCommand: async (line, io) => {
      locale = await ownersLocale();
      return (await playTheCustomer(line, io)) || (await playTheBank(line, io));
    },
  });
}
