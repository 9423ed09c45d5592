import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context, SessionFlavor, Transformer } from "grammy";
import type { GatewayClient } from "../gateway/types.js";
import type { Locale } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { PaymentRecord, Store } from "../store/types.js";
import type { RecipientLanguage } from "./recipient-language.js";

/** Per Telegram user (not per chat), so a cashier's language follows them into the shop's group. */
export interface SessionData {
  language?: Locale | undefined;
}

/** Who is talking to the bot, resolved once per update by the access filter. */
export type Role = "owner" | "staff" | "stranger";

export interface AccessFlavor {
  role: Role;
}

/** The context outside conversations: session, i18n, access, conversation controls. */
export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor & AccessFlavor>;

/**
 * The context inside conversations. Conversations v2 build fresh contexts per update, so only the
 * plugins passed to them exist here (i18n, auto-retry): no session, no role.
 */
export type FlowContext = Context & I18nFlavor;

export type Flow = Conversation<BotContext, FlowContext>;

export interface BotDeps {
  token: string;
  /** grammY's apiRoot: the local Bot API server in tests and the offline demo. */
  apiRoot?: string | undefined;
  gateway: GatewayClient;
  store: Store;
  ownerIds: readonly number[];
  /** No PALLAPI_KEY: the gateway is the sandbox, and replies say so. */
  sandboxMode: boolean;
  logger: Logger;
  now?: (() => Date) | undefined;
  /** Our external_id for a new payment: unique, at most 64 characters. */
  newExternalId?: (() => string) | undefined;
  /** A one-time invite code (URL-safe). */
  newInviteCode?: (() => string) | undefined;
  /** How long a staff invite link stays valid; default 24 hours. */
  inviteTtlMs?: number | undefined;
  /**
   * How long a flow waits for its next answer before it is dropped (the next message is then handled as if
   * no flow were running); default FLOW_IDLE_MS, an hour.
   */
  flowIdleMs?: number | undefined;
  /** For invite links; default: the username from getMe. */
  botUsername?: string | undefined;
  /** Called after a payment is recorded (e.g. metrics, the offline demo). */
  onPaymentCreated?: ((record: PaymentRecord) => void) | undefined;
  /** If given (sandbox mode), payment messages carry a "simulate payment" button that calls it. */
  simulatePayment?: ((record: PaymentRecord) => Promise<void>) | undefined;
  /**
   * An owner opened the bot in private (/start): gives her the owner's "/" menu if the start could not (Telegram
   * refuses a chat's own list until its person has opened the bot). Never throws; a no-op when she has it.
   */
  ownerOpenedTheBot?: ((ownerId: number) => Promise<void>) | undefined;
  /** Sandbox mode only: plays the bank's answer to a transfer (its result callback comes the real way). */
  simulateTransferResult?: ((record: PaymentRecord, result: "completed" | "failed") => Promise<void>) | undefined;
  /**
   * Bot API transformers (e.g. counting calls for metrics), installed after auto-retry on the bot's Api and
   * on the Api of every conversation context, which grammY builds afresh and without the bot's transformers.
   */
  apiTransformers?: readonly Transformer[] | undefined;
  /**
   * The lease of a press showing a payment, renewed while its photo is on its way: another press of the same
   * summary (a double tap on another instance) waits, and shows nothing once the first one showed it; a
   * holder gone quiet this long (a restart cut it off) no longer keeps the payment from being shown. Default 20 s.
   */
  paymentShowLeaseMs?: number | undefined;
}

/** BotDeps with the optional parts filled in: what features receive. */
export interface FeatureDeps extends BotDeps {
  now: () => Date;
  newExternalId: () => string;
  newInviteCode: () => string;
  inviteTtlMs: number;
  /** Notices to someone other than the sender are written in the recipient's language. */
  recipientLanguage: RecipientLanguage;
}
