import { randomUUID } from "node:crypto";
import type { DisbursementBank } from "../domain/limits.js";
import { isDisbursementBank } from "../domain/validation.js";
import { mayHaveMade } from "../gateway/may-have-made.js";
import { GatewayError, type GatewayClient, type GatewayErrorCode } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import { transferMessageEdit } from "../notify/from-payment.js";
import { createOutbox } from "../store/outbox.js";
import type { PaymentRecord, Store } from "../store/types.js";
import { countReportedExtra, createDisbursementAllowance, releaseDisbursementAllowance, type DisbursementAllowance, type ReserveResult } from "./allowance.js";
import { resendMayHelp } from "./failure-codes.js";
import { disbursementSendBoundMs } from "./send-bound.js";

/**
 * The disbursement desk: everything between "the owner has typed it all" and "the gateway has it", kept
 * apart from grammY so the money rules can be read and tested alone.
 *
 * Why the confirm button is not a step of the conversation: a conversation replays its log on every
 * update, a button press can arrive twice (a double tap, Telegram's redelivery) or reach another instance
 * later, and a press by someone else lands in nobody's conversation at all. So the summary is saved here as
 * a draft in the store, and a press is judged against it: the right owner, not expired, and
 * `atomic.setIfAbsent` on the disbursement's confirm key, which exactly one press in the world wins.
 *
 * Why every send has a timer in the store: the process that calls the gateway can stop mid-call (a deploy
 * gives it seconds, a crash none), and then nothing would ever conclude a draft left "sending". Each attempt
 * is an entry of the SENDS_QUEUE work queue, added before its press can win. The sending process holds the
 * entry's lease for as long as a gateway call can take (`sendBoundMs`); once that has passed, the watch of
 * any instance takes the entry and calls the attempt uncertain, exactly as an unclear answer would. Which of
 * the two concludes an attempt is decided once, by `atomic.setIfAbsent` on its settled key.
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
  /** A resend ("Kirim lagi"): the failed transfer it sends again, which must still be failed when confirmed. */
  againOf?: string | undefined;
}

/** One attempt being watched: the body of its SENDS_QUEUE entry. */
export interface WatchedSend {
  draftId: string;
  externalId: string;
  /** The draft's `retries` for this attempt. */
  attempt: number;
  /** Epoch ms, by the desk's clock: before this the attempt may still be running somewhere. */
  dueAtMs: number;
  /** The message whose press started the attempt: the one to edit when the owner is told. */
  messageId?: number | undefined;
}

export type PressRefusal =
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "not_yours" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "already"; state: DraftState }
  /** A resend whose failed transfer the bank has since reported completed: it is cancelled, nothing sent. */
  | { ok: false; reason: "resend_not_needed" };

export type Claim = { ok: true; draft: DisbursementDraft } | PressRefusal;

export type SendOutcome =
  | { kind: "sent"; record: PaymentRecord; remainingToday: number; alreadyAtGateway: boolean }
  | { kind: "above_max"; max: number }
  | { kind: "daily_limit"; remainingToday: number }
  /** Nothing was created; the allowance is back. */
  | { kind: "refused"; code: GatewayErrorCode | "UNKNOWN"; gatewayMessage?: string | undefined; reason?: string | undefined }
  /** Maybe created; the allowance stays taken until we know. */
  | {
      kind: "uncertain";
      code: GatewayErrorCode | "UNKNOWN";
      /** NOT_AS_ASKED: the answered field that differs, and what the gateway answered for it. */
      field?: string | undefined;
      answered?: string | undefined;
    }
  /** The gateway made the transfer but answered at once that it failed: nothing sent, the allowance is back. */
  | { kind: "failed_at_once"; failureCode?: string | undefined; remainingToday: number }
  /** A retry on a later day that today's allowance cannot hold: not sent now, and as unclear as before. */
  | { kind: "retry_over_today"; remainingToday: number }
  /**
   * A resend ("Kirim lagi") no longer needed: a transfer it sends again was reported completed after all, or
   * another resend took its place. Not sent now; `mayHaveSent` when an earlier attempt of it was unclear.
   */
  | { kind: "resend_not_needed"; mayHaveSent: boolean }
  /**
   * The bank's result came in (its callback found the record written before the gateway call) while the
   * gateway's answer was still on its way: that result is the last word, and the notifier tells it.
   */
  | { kind: "bank_answered"; result: "completed" | "failed"; remainingToday: number }
  /** The watch concluded this attempt first (its bound had passed): it tells the owner, not the caller. */
  | { kind: "overdue" };

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
  /** How long one send may take before the watch calls it uncertain; default from the gateway client's defaults. */
  sendBoundMs?: number | undefined;
}

/** Drafts outlive the confirm window so a late press still gets a precise answer, and a retry can happen. */
const DRAFT_KEPT_MS = 2 * 24 * 3600_000;
const CLAIM_KEPT_MS = DRAFT_KEPT_MS;

export const confirmKey = (externalId: string) => `disburse:confirm:${externalId}`;
const retryKey = (externalId: string, attempt: number) => `disburse:retry:${externalId}:${attempt}`;
/** Who concluded an attempt, and how: written once, by the send or by the watch. */
const settledKey = (externalId: string, attempt: number) => `disburse:settled:${externalId}:${attempt}`;

/** The timers of sends in flight; see the comment at the top. */
export const SENDS_QUEUE = "disbursement-sends";
export const sendEntryId = (externalId: string, attempt: number) => `${externalId}:${attempt}`;
/** A concluded timer's id is remembered as long as its draft, so nothing can add it again. */
export const SEND_ENTRY_REMEMBERED_MS = DRAFT_KEPT_MS;

const DRAFTS_NAMESPACE = "disbursement-drafts";
/** How far a chain of resends is followed, either way (each link a failure sent again by hand). */
export const MAX_RESEND_CHAIN = 50;

interface Settled {
  state: "sent" | "refused" | "uncertain";
  by: "send" | "watch";
}

async function readDraft(store: Store, draftId: string): Promise<DisbursementDraft | undefined> {
  return (await store.namespace(DRAFTS_NAMESPACE).get(draftId)) as DisbursementDraft | undefined;
}

async function writeDraft(store: Store, draft: DisbursementDraft): Promise<void> {
  await store.namespace(DRAFTS_NAMESPACE).set(draft.draftId, draft, DRAFT_KEPT_MS);
}

/** Concludes an attempt unless it was concluded before; either way, returns how it was. */
async function settle(store: Store, externalId: string, attempt: number, mine: Settled): Promise<{ first: boolean; settled: Settled }> {
  const key = settledKey(externalId, attempt);
  if (await store.atomic.setIfAbsent(key, JSON.stringify(mine), DRAFT_KEPT_MS)) return { first: true, settled: mine };
  const raw = await store.atomic.get(key);
  return { first: false, settled: raw === undefined ? mine : (JSON.parse(raw) as Settled) };
}

/** Money that never left: the allowance back (take-once) and the record marked failed. */
async function concludeRefused(store: Store, externalId: string, now: Date): Promise<void> {
  await releaseDisbursementAllowance(store, externalId, now);
  const payment = await store.payments.get(externalId);
  if (payment?.status === "pending") await store.payments.update(externalId, { status: "failed" });
}

/**
 * The bank's answer (a callback), once recorded: the gateway had the transfer, whatever we were told. "sent"
 * when the money went; "refused" when the bank turned it down (nothing left, the allowance given back by
 * the callback, and the same external_id can never be sent again: a new transfer is a new /kirimdana).
 */
const bankAnswer = (payment: PaymentRecord | undefined): "sent" | "refused" | undefined =>
  payment?.status === "completed" ? "sent" : payment?.status === "failed" ? "refused" : undefined;

/** Whether a press won this attempt: the confirm (not a cancel) for the first, the retry claim after. */
async function attemptWasClaimed(store: Store, externalId: string, attempt: number): Promise<boolean> {
  if (attempt === 0) return (await store.atomic.get(confirmKey(externalId)))?.startsWith("confirm:") ?? false;
  return (await store.atomic.get(retryKey(externalId, attempt))) !== undefined;
}

/**
 * The watch's part, once an attempt's bound has passed and its lease is the watch's: concludes it if nothing
 * did, finishes what a send cut off after concluding left undone, and returns the draft when the owner must
 * now hear it is uncertain (undefined: nothing to tell). Safe to run again for the same attempt.
 */
export async function settleOverdueSend(store: Store, send: WatchedSend, now: Date): Promise<DisbursementDraft | undefined> {
  const draft = await readDraft(store, send.draftId);
  if (!draft || draft.externalId !== send.externalId) return undefined;
  // A later attempt has a timer of its own; this one was concluded before that could begin.
  if (draft.retries > send.attempt) return undefined;
  // The press lost (a double tap, a cancel first): nothing was ever sent for this timer.
  if (!(await attemptWasClaimed(store, send.externalId, send.attempt))) return undefined;
  const atAttempt: DisbursementDraft = { ...draft, retries: send.attempt };
  if (draft.retries === send.attempt) {
    if (draft.state === "sent" || draft.state === "refused" || draft.state === "cancelled") return undefined;
    // Concluded and written, but the timer is still here: whoever concluded it stopped before telling.
    if (draft.state === "uncertain") return atAttempt;
  }
  // "Sending" (or a press won and its state was never written): cut off, or concluded and cut off right after.
  const payment = await store.payments.get(send.externalId);
  const { settled } = await settle(store, send.externalId, send.attempt, { state: bankAnswer(payment) ?? "uncertain", by: "watch" });
  if (settled.state === "refused") await concludeRefused(store, send.externalId, now);
  await writeDraft(store, { ...atAttempt, state: settled.state });
  // A bank's answer has already been told by the notifier; only "uncertain" needs the owner's hand.
  return settled.state === "uncertain" ? { ...atAttempt, state: "uncertain" } : undefined;
}

export interface DisbursementDesk {
  readonly allowance: DisbursementAllowance;
  readonly confirmTtlMs: number;
  /** Saves what the owner typed, to be confirmed within confirmTtlMs. */
  saveDraft(input: DraftInput): Promise<DisbursementDraft>;
  getDraft(draftId: string): Promise<DisbursementDraft | undefined>;
  /** A press of confirm: exactly one press per draft, by its owner, in time, gets `ok`. `messageId` is the pressed one's. */
  claimConfirm(draftId: string, userId: number, options?: { messageId?: number | undefined }): Promise<Claim>;
  /** A press of retry after an uncertain answer: one press per attempt gets `ok`. No expiry: it is the same decision. */
  claimRetry(draftId: string, userId: number, options?: { messageId?: number | undefined }): Promise<Claim>;
  /** A press of cancel; it races confirm for the same key, so a draft is either cancelled or paid. */
  cancel(draftId: string, userId: number): Promise<{ ok: true } | PressRefusal>;
  /** The owner has been shown an uncertain outcome of `send` with its retry button: the watch need not. */
  uncertainTold(draft: DisbursementDraft): Promise<void>;
  /** After a won claim: the guards, the gateway call, the record. `messageId` is the summary's. */
  send(draft: DisbursementDraft, options: { messageId?: number | undefined }): Promise<SendOutcome>;
  /**
   * The owner was shown a "sent" outcome ("⏳ … being processed by the bank") in `messageId`: kept on the
   * transfer, so its result edits that message; a result recorded already has the edit queued now.
   */
  processingShown(draft: DisbursementDraft, messageId: number): Promise<void>;
  /**
   * "Send again" on a transfer the bank failed: a new draft with its details (a new external_id: the failed
   * one can never be sent again), to be confirmed like any other. Pressed again while that draft waits, the
   * same draft comes back; once it has been confirmed, nothing new is made, so one failure gives at most
   * one transfer through this button at a time.
   */
  draftAgain(failedExternalId: string, by: { ownerId: number; chatId: number; locale: string }, ids: { draftId: string; externalId: string }): Promise<AgainDraft>;
}

export type DraftInput = DisbursementDetails &
  Pick<DisbursementDraft, "draftId" | "externalId" | "ownerId" | "chatId" | "locale" | "againOf">;

export type AgainDraft =
  | { ok: true; draft: DisbursementDraft }
  /** No transfer of ours under that id, or one the bot can no longer send (a bank it no longer offers). */
  | { ok: false; reason: "unknown" }
  /** The transfer did not fail (completed after all, or still waiting for the bank): nothing to send again. */
  | { ok: false; reason: "not_failed"; status: PaymentRecord["status"] }
  /** The bank failed it for its destination (see `resendMayHelp`): the same details would fail again. */
  | { ok: false; reason: "destination_wrong" }
  /** Its resend was started by another owner and waits for their press. */
  | { ok: false; reason: "not_yours" }
  /** Its resend was confirmed already (being sent, sent or unclear). */
  | { ok: false; reason: "already"; state: DraftState };

export function createDisbursementDesk(options: DeskOptions): DisbursementDesk {
  const { store, gateway, logger, now } = options;
  const allowance = createDisbursementAllowance({ store, maxAmount: options.maxAmount, dailyLimit: options.dailyLimit, now });
  const sendBoundMs = options.sendBoundMs ?? disbursementSendBoundMs();

  const getDraft = (draftId: string) => readDraft(store, draftId);
  const putDraft = (draft: DisbursementDraft) => writeDraft(store, draft);
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

  /** Starts an attempt's timer. Before the press's claim: a claim that wins always has one, even if we stop right after. */
  async function watch(draft: DisbursementDraft, attempt: number, messageId: number | undefined): Promise<void> {
    const at = now().getTime();
    const body: WatchedSend = { draftId: draft.draftId, externalId: draft.externalId, attempt, dueAtMs: at + sendBoundMs, messageId };
    await store.queues.add(SENDS_QUEUE, [{ id: sendEntryId(draft.externalId, attempt), createdAtMs: at, body: JSON.stringify(body) }]);
  }

  async function claimConfirm(draftId: string, userId: number, { messageId }: { messageId?: number | undefined } = {}): Promise<Claim> {
    const judged = await judge(draftId, userId);
    if (!judged.ok) return judged;
    const { draft } = judged;
    if (draft.state !== "awaiting") return { ok: false, reason: "already", state: draft.state };
    if (now().getTime() > Date.parse(draft.confirmBy)) return { ok: false, reason: "expired" };
    if (!(await resendStillNeeded(draft))) {
      // The failure it sends again was overturned (a newer COMPLETED) while its summary waited: the money left.
      if (await store.atomic.setIfAbsent(confirmKey(draft.externalId), `cancel:${userId}`, CLAIM_KEPT_MS)) await setState(draft, "cancelled");
      return { ok: false, reason: "resend_not_needed" };
    }
    await watch(draft, 0, messageId);
    const won = await store.atomic.setIfAbsent(confirmKey(draft.externalId), `confirm:${userId}`, CLAIM_KEPT_MS);
    if (!won) {
      const latest = (await getDraft(draftId)) ?? draft;
      return { ok: false, reason: "already", state: latest.state === "awaiting" ? "sending" : latest.state };
    }
    return { ok: true, draft: await setState(draft, "sending") };
  }

  async function claimRetry(draftId: string, userId: number, { messageId }: { messageId?: number | undefined } = {}): Promise<Claim> {
    const judged = await judge(draftId, userId);
    if (!judged.ok) return judged;
    const { draft } = judged;
    if (draft.state !== "uncertain") return { ok: false, reason: "already", state: draft.state };
    // The bank's answer came in while we did not know (the record was written before the gateway call, so its
    // callback found it): the gateway had the transfer, and the owner has been told how it ended.
    const answered = bankAnswer(await store.payments.get(draft.externalId));
    if (answered !== undefined) {
      await setState(draft, answered);
      return { ok: false, reason: "already", state: answered };
    }
    await watch(draft, draft.retries + 1, messageId);
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

  async function saveDraft(input: DraftInput) {
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
  }

  /**
   * One resend per failed transfer, decided under a lock across instances. The link to it is kept on the
   * failed record, for as long as that record (a key that expired would, two days on, let the same failure
   * be sent again). Whether the earlier resend may still send is asked of what lasts: its own record
   * (written before its gateway call), its confirm key, and, while it waits, its draft.
   */
  function draftAgain(
    failedExternalId: string,
    by: { ownerId: number; chatId: number; locale: string },
    ids: { draftId: string; externalId: string },
  ): Promise<AgainDraft> {
    return store.withLock(`disburse-again:${failedExternalId}`, async (): Promise<AgainDraft> => {
      const failed = await store.payments.get(failedExternalId);
      if (failed?.kind !== "disbursement" || failed.bankCode === undefined || !isDisbursementBank(failed.bankCode) || failed.accountNumber === undefined) return { ok: false, reason: "unknown" };
      const chain = await chainStillFailed(failedExternalId);
      if (!chain.ok) return { ok: false, reason: "not_failed", status: chain.status };
      // A notice sent before this rule may still carry the button (after "went through after all", above: a
      // completed transfer keeps its old failure code).
      if (!resendMayHelp(failed.failureCode)) return { ok: false, reason: "destination_wrong" };
      if (failed.resentAs !== undefined) {
        const earlier = await earlierResend(failed.resentAs);
        if (earlier.kind === "attempted") return { ok: false, reason: "already", state: "sent" };
        if (earlier.kind === "waiting") return earlier.draft.ownerId === by.ownerId ? { ok: true, draft: earlier.draft } : { ok: false, reason: "not_yours" };
      }
      const draft = await saveDraft({
        ...ids,
        ...by,
        bankCode: failed.bankCode,
        accountNumber: failed.accountNumber,
        holderName: failed.customerName,
        amount: failed.amount,
        description: failed.description ?? "",
        emailTo: failed.receiptEmails?.to,
        emailCc: failed.receiptEmails?.cc,
        emailBcc: failed.receiptEmails?.bcc,
        againOf: failedExternalId,
      });
      // Only over the link this press read: a press stalled past the lock (Redis lets it go after 15 s) must not
      // take the failure over from a resend another press made and sent meanwhile.
      const linked = await store.payments.update(
        failedExternalId,
        { resentAs: { draftId: draft.draftId, externalId: draft.externalId } },
        { onlyIf: (current) => current.resentAs?.draftId === failed.resentAs?.draftId },
      );
      if (linked === undefined) {
        // Another press linked its resend first: that one is the resend (this draft is never shown).
        const other = (await store.payments.get(failedExternalId))?.resentAs;
        const earlier = other === undefined ? undefined : await earlierResend(other);
        if (earlier?.kind === "waiting") return earlier.draft.ownerId === by.ownerId ? { ok: true, draft: earlier.draft } : { ok: false, reason: "not_yours" };
        return { ok: false, reason: "already", state: "sending" };
      }
      return { ok: true, draft };
    });
  }

  /**
   * Whether every transfer a chain of resends goes back through is still failed, walking from `externalId`
   * (a resend's own record names the failure it sends again): one reported completed after all means the
   * money left, and nothing in the chain may be sent again.
   */
  async function chainStillFailed(externalId: string): Promise<{ ok: true } | { ok: false; status: PaymentRecord["status"] }> {
    let id: string | undefined = externalId;
    for (let link = 0; id !== undefined && link < MAX_RESEND_CHAIN; link++) {
      const record: PaymentRecord | undefined = await store.payments.get(id);
      if (record === undefined) return { ok: false, status: "pending" };
      if (record.status !== "failed") return { ok: false, status: record.status };
      id = record.resendOf;
    }
    return { ok: true };
  }

  /**
   * A resend may go to the gateway only while it is the one resend its failure names and every failure
   * before it is still failed. Asked at its confirm and again right before each gateway call, so a COMPLETED
   * arriving in between, or a second resend drafted when a lock ran out, never sends.
   */
  async function resendStillNeeded(draft: DisbursementDraft): Promise<boolean> {
    if (draft.againOf === undefined) return true;
    const failed = await store.payments.get(draft.againOf);
    if (failed?.resentAs?.draftId !== draft.draftId) return false;
    return (await chainStillFailed(draft.againOf)).ok;
  }

  /** The earlier resend of a failure: sent (or being sent), still waiting for its press, or closed for good. */
  async function earlierResend(resend: { draftId: string; externalId: string }): Promise<{ kind: "attempted" } | { kind: "waiting"; draft: DisbursementDraft } | { kind: "closed" }> {
    const record = await store.payments.get(resend.externalId);
    const draft = await getDraft(resend.draftId);
    if (record !== undefined) {
      // Written before its gateway call. Failed without a bank's result: the gateway refused it, nothing left.
      // Failed with one: the bank failed it, and its own notice carries "Kirim lagi" from here on.
      return record.status === "failed" && record.resultEventId === undefined ? { kind: "closed" } : { kind: "attempted" };
    }
    // No record: it never reached the gateway. Refused by a guard (the daily limit): nothing left.
    if (draft?.state === "refused" || draft?.state === "cancelled") return { kind: "closed" };
    // Claimed and about to write its record (or cut off there: the watch concludes it).
    if (draft?.state === "sending" || draft?.state === "uncertain" || draft?.state === "sent") return { kind: "attempted" };
    if (draft?.state === "awaiting" && now().getTime() <= Date.parse(draft.confirmBy) && (await store.atomic.get(confirmKey(resend.externalId))) === undefined) {
      return { kind: "waiting", draft };
    }
    // Expired or forgotten: closed the way its cancel button closes it, so a press of its confirm that is
    // under way right now (it passed the expiry check a moment ago) either won already or never will.
    if (await store.atomic.setIfAbsent(confirmKey(resend.externalId), "cancel:sent-again", CLAIM_KEPT_MS)) return { kind: "closed" };
    return (await store.atomic.get(confirmKey(resend.externalId)))?.startsWith("confirm:") ? { kind: "attempted" } : { kind: "closed" };
  }

  function newRecord(draft: DisbursementDraft, gatewayId: string, messageId: number | undefined): PaymentRecord {
    const at = now().toISOString();
    return {
      externalId: draft.externalId,
      gatewayId,
      kind: "disbursement",
      status: "pending",
      amount: draft.amount,
      customerName: draft.holderName,
      bankCode: draft.bankCode,
      accountNumber: draft.accountNumber,
      description: draft.description,
      ...(draft.emailTo ? { receiptEmails: { to: draft.emailTo, cc: draft.emailCc, bcc: draft.emailBcc } } : {}),
      ...(draft.againOf !== undefined ? { resendOf: draft.againOf } : {}),
      createdBy: draft.ownerId,
      chatId: draft.chatId,
      messageId,
      locale: draft.locale,
      createdAt: at,
      updatedAt: at,
    };
  }

  /**
   * Written before the gateway is called, without its id: a bank's callback that arrives while the answer is
   * lost, or after this process was cut off, then finds the transfer and tells the shop, instead of being
   * reported as a stranger's. If the gateway refuses it, it is marked failed.
   */
  async function recordBeforeSending(draft: DisbursementDraft, messageId: number | undefined): Promise<void> {
    if ((await store.payments.get(draft.externalId)) === undefined) await store.payments.save(newRecord(draft, "", messageId));
  }

  /** The record once the gateway has the transfer; `gatewayId` undefined when it only said "seen before". */
  async function recordLanded(draft: DisbursementDraft, gatewayId: string | undefined, messageId: number | undefined): Promise<PaymentRecord> {
    const existing = await store.payments.get(draft.externalId);
    if (existing === undefined) {
      const saved = newRecord(draft, gatewayId ?? "", messageId);
      await store.payments.save(saved);
      return saved;
    }
    if (gatewayId === undefined || existing.gatewayId === gatewayId) return existing;
    return (await store.payments.update(draft.externalId, { gatewayId })) ?? existing;
  }

  const completeWatch = (draft: DisbursementDraft) =>
    store.queues.complete(SENDS_QUEUE, sendEntryId(draft.externalId, draft.retries), SEND_ENTRY_REMEMBERED_MS);

  /** Concludes an attempt that did not reach the gateway, or was refused or unclear; false if the watch did first. */
  async function conclude(draft: DisbursementDraft, state: "refused" | "uncertain"): Promise<boolean> {
    const { first } = await settle(store, draft.externalId, draft.retries, { state, by: "send" });
    if (!first) return false;
    if (state === "refused") await concludeRefused(store, draft.externalId, now());
    await setState(draft, state);
    // An uncertain attempt keeps its timer until the owner has been told (see `uncertainTold`): cut off
    // before that, the owner would be left with no word and no retry button, and the watch tells instead.
    if (state !== "uncertain") await completeWatch(draft);
    return true;
  }

  /** What the owner hears of a transfer whose bank result is recorded already, whatever the gateway answered. */
  const bankAnswered = async (answered: "sent" | "refused"): Promise<SendOutcome> => ({
    kind: "bank_answered",
    result: answered === "sent" ? "completed" : "failed",
    remainingToday: await allowance.remainingToday(),
  });

  /**
   * An attempt whose gateway call failed or was unclear, but whose bank result is recorded already: the gateway
   * had the transfer. The callback did the rest (the allowance given back for a failure, the record marked).
   */
  async function concludeAnswered(draft: DisbursementDraft, answered: "sent" | "refused"): Promise<SendOutcome> {
    const { first } = await settle(store, draft.externalId, draft.retries, { state: answered, by: "send" });
    if (!first) return { kind: "overdue" };
    if (answered === "refused") await concludeRefused(store, draft.externalId, now());
    await setState(draft, answered);
    await completeWatch(draft);
    return bankAnswered(answered);
  }

  async function landed(draft: DisbursementDraft, gatewayId: string | undefined, messageId: number | undefined): Promise<SendOutcome> {
    const saved = await recordLanded(draft, gatewayId, messageId);
    const { first } = await settle(store, draft.externalId, draft.retries, { state: "sent", by: "send" });
    const answered = bankAnswer(saved);
    // A retry that took today's allowance again after the FAILED gave the first back (it came between the
    // press and the send): nothing left, so that is given back too. Without such a taking, nothing happens.
    if (answered === "refused") await concludeRefused(store, draft.externalId, now());
    // Even when the watch concluded first and called it uncertain: the transfer exists, and a retry must hear so.
    await setState(draft, answered ?? "sent");
    await completeWatch(draft);
    if (first) {
      try {
        options.onRecorded?.(saved);
      } catch (error) {
        logger.error({ err: error, externalId: saved.externalId }, "onRecorded failed");
      }
    } else {
      logger.warn({ externalId: draft.externalId }, "the gateway took a disbursement after its send was called uncertain");
    }
    if (answered !== undefined) return bankAnswered(answered);
    return { kind: "sent", record: saved, remainingToday: await allowance.remainingToday(), alreadyAtGateway: gatewayId === undefined };
  }

  /**
   * A resend whose failure went through after all (or that another resend replaced) since the press: not sent.
   * A retry stays as unclear as its first attempt was, which may have sent it.
   */
  async function notNeeded(draft: DisbursementDraft): Promise<SendOutcome> {
    const mayHaveSent = draft.retries > 0;
    if (!(await conclude(draft, mayHaveSent ? "uncertain" : "refused"))) return { kind: "overdue" };
    logger.warn({ externalId: draft.externalId, againOf: draft.againOf }, "a resend no longer needed was not sent");
    return { kind: "resend_not_needed", mayHaveSent };
  }

  async function send(draft: DisbursementDraft, { messageId }: { messageId?: number | undefined }): Promise<SendOutcome> {
    // The lease is this process's word that the attempt is alive. It runs out at the bound, and only then may
    // the watch take the attempt over; if it already has (this send began that late), the watch tells the owner.
    const leaseOwner = `send-${randomUUID()}`;
    const boundEndsMs = now().getTime() + sendBoundMs;
    if (!(await store.queues.claim(SENDS_QUEUE, sendEntryId(draft.externalId, draft.retries), leaseOwner, sendBoundMs))) {
      logger.warn({ externalId: draft.externalId, attempt: draft.retries }, "a disbursement send began after its bound; left to the watch");
      return { kind: "overdue" };
    }
    if (!(await resendStillNeeded(draft))) return notNeeded(draft);
    // The first attempt takes the allowance. A retry already holds it, unless the first was cut off before
    // taking it (no reservation and nothing recorded: it never reached the gateway), or it is a later day
    // (the reservation is of an earlier day, or forgotten with it): see reserveAgainToday.
    const earlierAttempt = draft.retries > 0 && !(await allowance.heldToday(draft.externalId));
    let takenAgainToday: Extract<ReserveResult, { ok: true }> | undefined;
    const mayHaveSent = earlierAttempt && ((await allowance.holds(draft.externalId)) || (await store.payments.get(draft.externalId)) !== undefined);
    if (draft.retries === 0 || (earlierAttempt && !mayHaveSent)) {
      const reserved = await allowance.reserve(draft.externalId, draft.amount);
      if (!reserved.ok) {
        if (!(await conclude(draft, "refused"))) return { kind: "overdue" };
        return reserved.reason === "above_max"
          ? { kind: "above_max", max: reserved.max }
          : { kind: "daily_limit", remainingToday: reserved.remainingToday };
      }
    } else if (mayHaveSent) {
      // A retry on a later day: if it sends the money now, that is today's, so today's allowance must hold it.
      // When it cannot, nothing is sent, and the transfer stays as unclear as it was (the first attempt may
      // have sent it): never "not sent", and the owner may retry once today's allowance has room.
      const again = await allowance.reserveAgainToday(draft.externalId, draft.amount);
      if (!again.ok) {
        if (!(await conclude(draft, "uncertain"))) return { kind: "overdue" };
        return { kind: "retry_over_today", remainingToday: again.remainingToday };
      }
      takenAgainToday = again;
    }
    await recordBeforeSending(draft, messageId);
    // The fence, right before the gateway call. A send stalled past its bound (a store that hung) may have been
    // concluded by the watch and retried, or its resend closed and made again, meanwhile: then it must not go.
    // Its timer is taken again only up to the bound's end (never extended: past it, the watch may take over
    // while the call is out, and settle() decides between the two), and the watch must not have settled it.
    const leftMs = Math.max(1, boundEndsMs - now().getTime());
    const stillOurs =
      (await store.queues.claim(SENDS_QUEUE, sendEntryId(draft.externalId, draft.retries), leaseOwner, leftMs)) &&
      (await store.atomic.get(settledKey(draft.externalId, draft.retries))) === undefined;
    if (!stillOurs) {
      logger.warn({ externalId: draft.externalId, attempt: draft.retries }, "a disbursement send stalled past its bound; left to the watch, the gateway not called");
      return { kind: "overdue" };
    }
    // And a resend once more, now that its record is written: a COMPLETED of its failure recorded from here on
    // finds this record and warns that the money may go twice; one recorded before is seen here.
    if (!(await resendStillNeeded(draft))) return notNeeded(draft);
    let gatewayId: string;
    let failedAtOnce: { failureCode?: string | undefined } | undefined;
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
      gatewayId = made.id;
      if (made.status?.toUpperCase() === "FAILED") failedAtOnce = { failureCode: made.failureCode };
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : "UNKNOWN";
      logger.warn({ err: error, externalId: draft.externalId, code }, "gateway did not take a disbursement");
      // The bank's result came while the answer was lost or late: the gateway had it, and that is the last word.
      const answered = bankAnswer(await store.payments.get(draft.externalId));
      if (answered !== undefined && code !== "DUPLICATE_EXTERNAL_ID") return concludeAnswered(draft, answered);
      if (code === "DUPLICATE_EXTERNAL_ID") {
        // Our external_id is random and used by this draft only: an earlier attempt of ours got through.
        // Recorded without the gateway's id; its callback still finds it by external_id.
        // On a later day, and with no request of this attempt before (whose answer was lost), that attempt was
        // on an earlier day: the money left then, counted then, and today's allowance gets its amount back.
        const onlyRequest = error instanceof GatewayError && (error.details.attempts ?? 1) === 1;
        if (takenAgainToday !== undefined && onlyRequest) await allowance.undoAgainToday(draft.externalId, takenAgainToday.replaced);
        return landed(draft, undefined, messageId);
      }
      // A clear refusal (a refused field or key, a first request's 4xx) proves nothing was made, and only if no
      // earlier request for this draft could have got through: the client's own retries (mayHaveMade counts
      // them) and the owner's "try again" (retries > 0) follow requests whose answer was lost, and one of those
      // may have created the transfer. Then the money may be on its way, so the reservation stays and the
      // owner hears it is not known yet.
      const mayHaveLanded =
        draft.retries > 0 || !(error instanceof GatewayError) || mayHaveMade({ code: error.code, httpStatus: error.details.httpStatus, attempts: error.details.attempts });
      if (!mayHaveLanded) {
        if (!(await conclude(draft, "refused"))) return { kind: "overdue" };
        const details = error instanceof GatewayError ? error.details : {};
        return { kind: "refused", code, gatewayMessage: details.gatewayMessage, reason: details.reason };
      }
      if (!(await conclude(draft, "uncertain"))) return { kind: "overdue" };
      const details = error instanceof GatewayError ? error.details : {};
      // Made otherwise than asked: kept on the record, so the notice of its result warns again.
      if (code === "NOT_AS_ASKED" && details.field !== undefined && details.answered !== undefined) {
        await store.payments.update(draft.externalId, { answeredOtherwise: { field: details.field, answered: details.answered } });
      }
      // A bigger transfer than the one confirmed: until its result is known, today's allowance holds the bigger
      // amount (counted once, as a result reporting more would be).
      const answeredAmount = code === "NOT_AS_ASKED" && details.field === "amount" ? Number(details.answered) : Number.NaN;
      if (Number.isSafeInteger(answeredAmount) && answeredAmount > draft.amount) {
        await countReportedExtra(store, draft.externalId, answeredAmount - draft.amount, now());
      }
      return {
        kind: "uncertain",
        code,
        ...(details.field !== undefined ? { field: details.field } : {}),
        ...(details.answered !== undefined ? { answered: details.answered } : {}),
      };
    }
    if (failedAtOnce !== undefined) {
      // Told as "being processed by the bank", it kept the day's allowance taken for money that never left.
      // Recorded as failed here, and told to the owner in the chat: the gateway's FAILED callback, when it
      // comes, is told to the shop group only.
      logger.warn({ externalId: draft.externalId, failureCode: failedAtOnce.failureCode }, "the gateway answered a disbursement as failed at once");
      await recordLanded(draft, gatewayId, messageId);
      await store.payments.update(draft.externalId, { failedInAnswer: true, ...(failedAtOnce.failureCode !== undefined ? { failureCode: failedAtOnce.failureCode } : {}) });
      const concluded = await concludeAnswered(draft, "refused");
      if (concluded.kind !== "bank_answered") return concluded;
      return { kind: "failed_at_once", failureCode: failedAtOnce.failureCode, remainingToday: concluded.remainingToday };
    }
    const outcome = await landed(draft, gatewayId, messageId);
    logger.info({ externalId: draft.externalId, amount: draft.amount, bank: draft.bankCode }, "disbursement sent to the gateway");
    return outcome;
  }

  return {
    allowance,
    confirmTtlMs: options.confirmTtlMs,
    saveDraft,
    getDraft,
    claimConfirm,
    claimRetry,
    cancel,
    async uncertainTold(draft) {
      await completeWatch(draft);
    },
    send,
    async processingShown(draft, messageId) {
      const shown = await store.payments.update(draft.externalId, { processingMessageId: messageId });
      // Its result came before this write (read from it: one of it and the callback's sees the other's).
      const edit = shown === undefined ? undefined : transferMessageEdit(shown, now());
      if (edit !== undefined) await createOutbox(store).add([edit]);
    },
    draftAgain,
  };
}
