import type { DisbursementBank } from "../domain/limits.js";
import { GatewayError, type GatewayClient, type GatewayErrorCode } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import type { PaymentRecord, Store } from "../store/types.js";
import { createDisbursementAllowance, type DisbursementAllowance } from "./allowance.js";

/**
 * The disbursement desk: everything between "the owner has typed it all" and "the gateway has it", kept
 * apart from grammY so the money rules can be read and tested alone.
 *
 * Why the confirm button is not a step of the conversation: a conversation replays its log on every
 * update, a button press can arrive twice (a double tap, Telegram's redelivery) or reach another instance
 * later, and a press by someone else lands in nobody's conversation at all. So the summary is saved here as
 * a draft in the store, and a press is judged against it: the right owner, not expired, and
 * `atomic.setIfAbsent` on the disbursement's confirm key, which exactly one press in the world wins.
 */

export type DraftState =
  /** Shown, waiting for the owner's press. */
  | "awaiting"
  /** Confirmed; the gateway call is in flight. */
  | "sending"
  /** The gateway has it; the bank's answer arrives as a callback. */
  | "sent"
  /** Refused before money moved (a guard or the gateway); the allowance was given back or never taken. */
  | "refused"
  /** The gateway did not answer clearly: it may or may not have it. Retrying with the same external_id is safe. */
  | "uncertain"
  | "cancelled";

export interface DisbursementDetails {
  bankCode: DisbursementBank;
  accountNumber: string;
  /** The account holder's name as the bank knows it. */
  holderName: string;
  amount: number;
  description: string;
  emailTo?: string | undefined;
  emailCc?: string | undefined;
  emailBcc?: string | undefined;
}

export interface DisbursementDraft extends DisbursementDetails {
  /** Short, for the buttons' callback data. */
  draftId: string;
  /** Ours, generated once: every attempt for this draft sends it, so the gateway makes at most one. */
  externalId: string;
  ownerId: number;
  chatId: number;
  locale: string;
  createdAt: string;
  /** After this, the confirm button pays nothing. */
  confirmBy: string;
  state: DraftState;
  /** Gateway attempts made after the first (retries of an uncertain answer). */
  retries: number;
}

export type PressRefusal =
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "not_yours" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "already"; state: DraftState };

export type Claim = { ok: true; draft: DisbursementDraft } | PressRefusal;

export type SendOutcome =
  | { kind: "sent"; record: PaymentRecord; remainingToday: number; alreadyAtGateway: boolean }
  | { kind: "above_max"; max: number }
  | { kind: "daily_limit"; remainingToday: number }
  /** Nothing was created; the allowance is back. */
  | { kind: "refused"; code: GatewayErrorCode | "UNKNOWN"; gatewayMessage?: string | undefined; reason?: string | undefined }
  /** Maybe created; the allowance stays taken until we know. */
  | { kind: "uncertain"; code: GatewayErrorCode | "UNKNOWN" };

export interface DeskOptions {
  store: Store;
  gateway: GatewayClient;
  logger: Logger;
  now: () => Date;
  maxAmount: number;
  dailyLimit: number;
  /** How long the confirm button stays good. */
  confirmTtlMs: number;
  /** Called after a disbursement is recorded (metrics, the offline demo). */
  onRecorded?: ((record: PaymentRecord) => void) | undefined;
}

/** Drafts outlive the confirm window so a late press still gets a precise answer, and a retry can happen. */
const DRAFT_KEPT_MS = 2 * 24 * 3600_000;
const CLAIM_KEPT_MS = DRAFT_KEPT_MS;

/** A refusal means the request reached the gateway and was turned down, or never left: nothing exists. */
const NOTHING_CREATED: ReadonlySet<string> = new Set(["INVALID_INPUT", "BAD_KEY", "VALIDATION"]);

export const confirmKey = (externalId: string) => `disburse:confirm:${externalId}`;
const retryKey = (externalId: string, attempt: number) => `disburse:retry:${externalId}:${attempt}`;

export interface DisbursementDesk {
  readonly allowance: DisbursementAllowance;
  readonly confirmTtlMs: number;
  /** Saves what the owner typed, to be confirmed within confirmTtlMs. */
  saveDraft(input: DisbursementDetails & { draftId: string; externalId: string; ownerId: number; chatId: number; locale: string }): Promise<DisbursementDraft>;
  getDraft(draftId: string): Promise<DisbursementDraft | undefined>;
  /** A press of confirm: exactly one press per draft, by its owner, in time, gets `ok`. */
  claimConfirm(draftId: string, userId: number): Promise<Claim>;
  /** A press of retry after an uncertain answer: one press per attempt gets `ok`. No expiry: it is the same decision. */
  claimRetry(draftId: string, userId: number): Promise<Claim>;
  /** A press of cancel; it races confirm for the same key, so a draft is either cancelled or paid. */
  cancel(draftId: string, userId: number): Promise<{ ok: true } | PressRefusal>;
  /** After a won claim: the guards, the gateway call, the record. `messageId` is the summary's. */
  send(draft: DisbursementDraft, options: { messageId?: number | undefined }): Promise<SendOutcome>;
}

export function createDisbursementDesk(options: DeskOptions): DisbursementDesk {
  const { store, gateway, logger, now } = options;
  const drafts = store.namespace("disbursement-drafts");
  const allowance = createDisbursementAllowance({ store, maxAmount: options.maxAmount, dailyLimit: options.dailyLimit, now });

  const getDraft = async (draftId: string) => (await drafts.get(draftId)) as DisbursementDraft | undefined;
  const putDraft = async (draft: DisbursementDraft) => {
    await drafts.set(draft.draftId, draft, DRAFT_KEPT_MS);
  };
  const setState = async (draft: DisbursementDraft, state: DraftState, patch: Partial<DisbursementDraft> = {}) => {
    const next = { ...draft, ...patch, state };
    await putDraft(next);
    return next;
  };

  async function judge(draftId: string, userId: number): Promise<{ ok: true; draft: DisbursementDraft } | PressRefusal> {
    const draft = await getDraft(draftId);
    if (!draft) return { ok: false, reason: "unknown" };
    // Someone else's summary: say so before anything else, and touch nothing.
    if (draft.ownerId !== userId) return { ok: false, reason: "not_yours" };
    return { ok: true, draft };
  }

  async function claimConfirm(draftId: string, userId: number): Promise<Claim> {
    const judged = await judge(draftId, userId);
    if (!judged.ok) return judged;
    const { draft } = judged;
    if (draft.state !== "awaiting") return { ok: false, reason: "already", state: draft.state };
    if (now().getTime() > Date.parse(draft.confirmBy)) return { ok: false, reason: "expired" };
    const won = await store.atomic.setIfAbsent(confirmKey(draft.externalId), `confirm:${userId}`, CLAIM_KEPT_MS);
    if (!won) {
      const latest = (await getDraft(draftId)) ?? draft;
      return { ok: false, reason: "already", state: latest.state === "awaiting" ? "sending" : latest.state };
    }
    return { ok: true, draft: await setState(draft, "sending") };
  }

  async function claimRetry(draftId: string, userId: number): Promise<Claim> {
    const judged = await judge(draftId, userId);
    if (!judged.ok) return judged;
    const { draft } = judged;
    if (draft.state !== "uncertain") return { ok: false, reason: "already", state: draft.state };
    const won = await store.atomic.setIfAbsent(retryKey(draft.externalId, draft.retries + 1), `retry:${userId}`, CLAIM_KEPT_MS);
    if (!won) return { ok: false, reason: "already", state: "sending" };
    return { ok: true, draft: await setState(draft, "sending", { retries: draft.retries + 1 }) };
  }

  async function cancel(draftId: string, userId: number): Promise<{ ok: true } | PressRefusal> {
    const judged = await judge(draftId, userId);
    if (!judged.ok) return judged;
    const { draft } = judged;
    if (draft.state !== "awaiting") return { ok: false, reason: "already", state: draft.state };
    const won = await store.atomic.setIfAbsent(confirmKey(draft.externalId), `cancel:${userId}`, CLAIM_KEPT_MS);
    if (!won) {
      const latest = (await getDraft(draftId)) ?? draft;
      return { ok: false, reason: "already", state: latest.state === "awaiting" ? "sending" : latest.state };
    }
    await setState(draft, "cancelled");
    return { ok: true };
  }

  async function record(draft: DisbursementDraft, gatewayId: string, messageId: number | undefined): Promise<PaymentRecord> {
    const at = now().toISOString();
    const saved: PaymentRecord = {
      externalId: draft.externalId,
      gatewayId,
      kind: "disbursement",
      status: "pending",
      amount: draft.amount,
      customerName: draft.holderName,
      bankCode: draft.bankCode,
      accountNumber: draft.accountNumber,
      description: draft.description,
      createdBy: draft.ownerId,
      chatId: draft.chatId,
      messageId,
      locale: draft.locale,
      createdAt: at,
      updatedAt: at,
    };
    await store.payments.save(saved);
    try {
      options.onRecorded?.(saved);
    } catch (error) {
      logger.error({ err: error, externalId: saved.externalId }, "onRecorded failed");
    }
    return saved;
  }

  async function send(draft: DisbursementDraft, { messageId }: { messageId?: number | undefined }): Promise<SendOutcome> {
    if (draft.retries === 0) {
      // The first attempt takes the allowance; a retry already holds it.
      const reserved = await allowance.reserve(draft.externalId, draft.amount);
      if (!reserved.ok) {
        await setState(draft, "refused");
        return reserved.reason === "above_max"
          ? { kind: "above_max", max: reserved.max }
          : { kind: "daily_limit", remainingToday: reserved.remainingToday };
      }
    }
    try {
      const made = await gateway.createDisbursement({
        externalId: draft.externalId,
        bankCode: draft.bankCode,
        accountName: draft.holderName,
        accountNumber: draft.accountNumber,
        description: draft.description,
        amount: draft.amount,
        emailTo: draft.emailTo,
        emailCc: draft.emailCc,
        emailBcc: draft.emailBcc,
      });
      const saved = await record(draft, made.id, messageId);
      await setState(draft, "sent");
      logger.info({ externalId: draft.externalId, amount: draft.amount, bank: draft.bankCode }, "disbursement sent to the gateway");
      return { kind: "sent", record: saved, remainingToday: await allowance.remainingToday(), alreadyAtGateway: false };
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : "UNKNOWN";
      logger.warn({ err: error, externalId: draft.externalId, code }, "gateway did not take a disbursement");
      if (code === "DUPLICATE_EXTERNAL_ID") {
        // Our external_id is random and used by this draft only: an earlier attempt of ours got through.
        // Recorded without the gateway's id; its callback still finds it by external_id.
        const saved = (await store.payments.get(draft.externalId)) ?? (await record(draft, "", messageId));
        await setState(draft, "sent");
        return { kind: "sent", record: saved, remainingToday: await allowance.remainingToday(), alreadyAtGateway: true };
      }
      // A refusal proves nothing exists only if no earlier request for this draft could have got through:
      // the client's own retries (attempts > 1) and the owner's "try again" (retries > 0) follow requests
      // whose answer was lost, and one of those may have created the transfer. Then the money may be on its
      // way, so the reservation stays and the owner hears it is not known yet.
      const earlierMayHaveLanded = draft.retries > 0 || (error instanceof GatewayError && (error.details.attempts ?? 1) > 1);
      if (NOTHING_CREATED.has(code) && !earlierMayHaveLanded) {
        await allowance.release(draft.externalId);
        await setState(draft, "refused");
        const details = error instanceof GatewayError ? error.details : {};
        return { kind: "refused", code, gatewayMessage: details.gatewayMessage, reason: details.reason };
      }
      await setState(draft, "uncertain");
      return { kind: "uncertain", code };
    }
  }

  return {
    allowance,
    confirmTtlMs: options.confirmTtlMs,
    async saveDraft(input) {
      const created = now();
      const draft: DisbursementDraft = {
        ...input,
        createdAt: created.toISOString(),
        confirmBy: new Date(created.getTime() + options.confirmTtlMs).toISOString(),
        state: "awaiting",
        retries: 0,
      };
      await putDraft(draft);
      return draft;
    },
    getDraft,
    claimConfirm,
    claimRetry,
    cancel,
    send,
  };
}
