import type { Logger } from "../logger.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import {
  callbackEventId,
  type CallbackEvent,
  type CallbackPayload,
  type ReceivedDisbursementResult,
  type ReceivedRetailOutletPaid,
  type ReceivedVirtualAccountPaid,
} from "../gateway/callbacks.js";
import type { OutboxItem } from "../store/outbox.js";
import { countReportedExtra, MAX_RESEND_CHAIN, releaseDisbursementAllowance, retakeDisbursementAllowance } from "../disbursement/index.js";
import { paidSoFar } from "../domain/payment-state.js";
import type { PaymentKind, PaymentPatch, PaymentRecord, QueuedWrite, Store, TransferReported } from "../store/types.js";
import { chatItemId, type Notification, type PaymentMethod } from "../notify/notifications.js";
import { paidSoFarFields, recordMethodOf, sentDiffersFrom, transferMessageEdit } from "../notify/from-payment.js";
import type { CallbackEventLogPort, CallbackEventRecord, OutboxPort } from "./ports.js";

export type RecordOutcome =
  /** First time we saw this event (or a retry of one whose recording was interrupted). */
  | { kind: "recorded"; eventId: string; notifications: number }
  /** Seen and fully recorded before: nothing new was written. */
  | { kind: "duplicate"; eventId: string }
  /**
   * No payment of ours has this external_id, or ours under it is of another kind than the event (a transfer
   * result for a VA, say): kept, the payment left as it is, and the owners told once.
   */
  | { kind: "unknown-external-id"; eventId: string; notifications: number };

export interface CallbackRecorderDeps {
  store: Store;
  eventLog: CallbackEventLogPort;
  outbox: OutboxPort;
  ownerIds: readonly number[];
  logger: Logger;
  now: () => Date;
}

/**
 * Turns one validated callback into durable state: the payment's new status, the outbox items that will
 * tell people, and the dedupe mark.
 *
 * With the store's own event log and outbox (ports that offer `recordWith` and `prepare`), all three are
 * ONE unit of the store (`Store.applyOnce`: one SQLite transaction, shared with concurrent callbacks by the
 * group commit, or one Lua script on Redis). A crash leaves all of it or none of it: with none, there was no
 * 2xx, the gateway retries and the retry records it; with all, the retry finds the mark and is a duplicate.
 * The mark is checked inside the same unit, so there is no separate dedupe read, and the payment is read
 * there too, so a multi-use VA paid twice at once cannot lose either change.
 *
 * Otherwise (a port without them, and disbursements, whose allowance release is its own atomic step) the
 * writes are separate, and their order is what makes "exactly once" survive a crash:
 *
 *   1. the payment update and outbox.add (side by side: neither depends on the other). The update is
 *      idempotent (the same event sets the same values; an older retry never rolls a newer payment back);
 *      outbox.add is idempotent by deterministic ids (`<eventId>:chat:<chatId>`) and a no-op for items
 *      already delivered, so re-adding on a retry never re-sends;
 *   2. eventLog.recordOnce: the dedupe mark, LAST, after both. If it were first, a crash right after it would
 *      make the gateway's retry look like a duplicate and the notification would be lost for good.
 *
 * A crash between any two writes leaves no 2xx, the gateway retries, and the retry redoes every step
 * harmlessly. Either way the caller answers 2xx only after the recording resolved.
 */
export function createCallbackRecorder(deps: CallbackRecorderDeps) {
  const { store, eventLog, outbox, logger } = deps;
  /** Callbacks whose own time could not be read: they carry the time they arrived, and their notices say so. */
  const timedOnArrival = new WeakSet<object>();
  const arrivalTimed = (payload: object) => (timedOnArrival.has(payload) ? { timeReceived: true } : {});

  /** Who may hear of the shop's payments besides the linked groups: read before recording, like the groups. */
  async function shopPeople(): Promise<ShopPeople> {
    return { ownerIds: deps.ownerIds, staffIds: await store.access.staffIds() };
  }

  /** Linked groups and every group's move to a supergroup: read before recording, like the people. */
  async function shopChats(): Promise<ShopChats> {
    const [groups, moves] = await Promise.all([store.access.listGroups(), store.access.groupMoves()]);
    return { groups, moves };
  }

  async function recipients(record: PaymentRecord): Promise<Recipient[]> {
    const [chats, people] = await Promise.all([shopChats(), shopPeople()]);
    return recipientsOf(record, chats, people);
  }

  async function finish(eventId: string, event: CallbackEvent, externalId: string, known: boolean): Promise<boolean> {
    const record: CallbackEventRecord = { event, externalId, known, receivedAt: deps.now().toISOString() };
    return eventLog.recordOnce(eventId, record);
  }

  /** `belongsTo`: the kind of our payment under this external_id, when there is one but the event is not for it. */
  function unknownItems(eventId: string, event: Exclude<CallbackEvent, "virtual-account-created">, payload: PaidOrDisbursement, belongsTo?: PaymentKind): OutboxItem[] {
    const method = event === "disbursement" ? transferMethodOf(payload as TransferResult) : reportedInPart(event, payload as PaidCallback);
    const at = "transaction_timestamp" in payload ? payload.transaction_timestamp : payload.updated;
    return deps.ownerIds.map((ownerId) => ({
      id: `${eventId}:owner:${ownerId}`,
      chatId: ownerId,
      kind: "unknown-payment",
      createdAt: deps.now().toISOString(),
      payload: {
        type: "unknown-payment",
        chatId: ownerId,
        locale: DEFAULT_LOCALE,
        event,
        externalId: payload.external_id,
        amount: payload.amount,
        method,
        ...(belongsTo !== undefined ? { belongsTo } : {}),
        at,
        ...arrivalTimed(payload),
      } satisfies Notification,
    }));
  }

  async function reportUnknown(eventId: string, event: Exclude<CallbackEvent, "virtual-account-created">, payload: PaidOrDisbursement, belongsTo?: PaymentKind): Promise<number> {
    const items = unknownItems(eventId, event, payload, belongsTo);
    if (items.length > 0) await outbox.add(items);
    return items.length;
  }

  function warnUnknown(event: CallbackEvent, eventId: string, externalId: string, belongsTo: PaymentKind | undefined) {
    if (belongsTo === undefined) logger.warn({ event, eventId, externalId }, "callback for an unknown external_id; owners told");
    else logger.warn({ event, eventId, externalId, belongsTo }, "callback of another kind than our payment with this external_id; left untouched, owners told");
  }

  function paidItems(
    eventId: string,
    event: "virtual-account-paid" | "retail-outlet-paid",
    payload: PaidCallback,
    record: PaymentRecord,
    to: ReadonlyArray<Recipient>,
    after: PaymentRecord | undefined,
  ): OutboxItem[] {
    const paidAt = payload.transaction_timestamp;
    const { method, otherReported } = methodsOf(event, record, payload);
    const differs = otherReported === undefined ? {} : { reportedMethod: otherReported };
    const senderName = event === "virtual-account-paid" ? (payload as ReceivedVirtualAccountPaid).sender_name : undefined;
    const createdAt = deps.now().toISOString();
    const groupTold = to.some((r) => r.chatId < 0);
    const soFar = after === undefined ? {} : paidSoFarFields(record, after);
    // A bill paid in more than one payment is judged by its total (see `repeated`), not by one payment alone.
    const askedIf = (amount: number) => (amount === record.amount || soFar.repeated !== undefined ? {} : { askedAmount: record.amount });
    const items: OutboxItem[] = to.map((r) => ({
      id: chatItemId(eventId, r.chatId),
      chatId: r.chatId,
      kind: "payment-received",
      createdAt,
      payload: {
        type: "payment-received",
        chatId: r.chatId,
        locale: r.locale,
        externalId: record.externalId,
        amount: payload.amount,
        ...askedIf(payload.amount),
        method,
        ...differs,
        customerName: record.customerName,
        ...(senderName !== undefined ? { senderName } : {}),
        paidAt,
        ...arrivalTimed(payload),
        ...soFar,
        groupTold,
      } satisfies Notification,
    }));
    // The QR message sits in its chat; a chat no longer told of the payment (the creator left the shop) is not edited.
    if (record.messageId !== undefined && to.some((r) => r.madeIn)) {
      // The message shows the payment as it is now: its newest payment, which may be an earlier callback's
      // (callbacks come out of order), and its payments so far.
      const shown = { amount: after?.paidAmount ?? payload.amount, paidAt: after?.paidAt ?? paidAt };
      items.push({
        id: `${eventId}:edit`,
        chatId: record.chatId,
        kind: "mark-paid",
        createdAt,
        payload: {
          type: "mark-paid",
          chatId: record.chatId,
          messageId: record.messageId,
          locale: record.locale ?? DEFAULT_LOCALE,
          amount: shown.amount,
          ...askedIf(shown.amount),
          method,
          ...differs,
          customerName: record.customerName,
          paidAt: shown.paidAt,
          ...(shown.paidAt === paidAt ? arrivalTimed(payload) : {}),
          externalId: record.externalId,
          ...soFar,
        } satisfies Notification,
      });
    }
    return items;
  }

  async function recordPaid(
    eventId: string,
    event: "virtual-account-paid" | "retail-outlet-paid",
    payload: PaidCallback,
    record: PaymentRecord,
  ): Promise<number> {
    // The lock keeps two payments of one multi-use VA arriving together from racing (its own key: the
    // repository's update is atomic by itself, but this read decides what to write).
    const markPaid = () =>
      store.withLock(`paid-callback:${record.externalId}`, async () => {
        const current = (await store.payments.get(record.externalId)) ?? record;
        const patch = paidPatch(current, payload, "leave");
        if (patch !== undefined) await store.payments.update(record.externalId, patch);
      });
    warnIfOtherMethod(event, eventId, payload, record);
    const items = paidItems(eventId, event, payload, record, await recipients(record), undefined);
    // Both idempotent, so their order does not matter; both finish before the dedupe mark.
    await Promise.all([markPaid(), outbox.add(items)]);
    return items.length;
  }

  /**
   * A transfer's result. The gateway reports a transfer once as a rule, but it may report it again (another
   * callback id) or the other way round (a bank that reverses a transfer, or results out of order): the
   * same result again is not told again; one that contradicts the recorded result is applied only if the
   * gateway's `updated` is newer, and then says what it overturns; an older one is logged and left.
   */
  async function recordDisbursement(eventId: string, payload: TransferResult, record: PaymentRecord, untimed: boolean): Promise<number> {
    const status = payload.status === "COMPLETED" ? "completed" : "failed";
    return store.withLock(`transfer-result:${record.externalId}`, async () => {
      const current = (await store.payments.get(record.externalId)) ?? record;
      const recorded = current.status === "completed" || current.status === "failed" ? current.status : undefined;
      // This very event again (its recording was cut short): every step below is idempotent, so redo them.
      const sameEvent = current.resultEventId === eventId;
      // Failed in the gateway's answer to the send: the owner heard it in the chat; the group hears it now, once.
      if (recorded === "failed" && status === "failed" && current.failedInAnswer === true && current.resultEventId === undefined) {
        return tellTransferResult(eventId, payload, current, status, undefined, untimed, { groupsOnly: true });
      }
      if (recorded === status && !sameEvent) {
        logger.info({ eventId, externalId: record.externalId, status }, "a transfer result reported again under another id; told once already");
        return 0;
      }
      // A contradiction without the gateway's time cannot be ordered: a COMPLETED is believed (the money is
      // counted, the careful side), a FAILED is not (it would give back money that may have left).
      // So is a COMPLETED recorded without its time (sent without one, or recorded by a version that kept none),
      // and two results stamped the same instant (gateways stamp to the second): neither is the later one.
      const orderable =
        !untimed && !(recorded === "completed" && current.resultAt === undefined) && !(recorded !== undefined && sameInstant(payload.updated, current.resultAt));
      const newer = orderable ? newerThan(payload.updated, current.resultAt) : status === "completed";
      if (recorded !== undefined && recorded !== status && !sameEvent && !newer) {
        logger.warn({ eventId, externalId: record.externalId, recorded, reported: status, recordedAt: current.resultAt, reportedAt: payload.updated }, "an older transfer result contradicts the one recorded; left as recorded");
        // An older one is stale. One that cannot be ordered may be the bank's last word: the owners hear of it.
        return orderable ? 0 : tellUnorderedFailure(eventId, payload, current);
      }
      // The earlier word: a result a callback reported, or the gateway's refusal of the request, answered in the
      // chat ("nothing was sent"), which a COMPLETED overturns as surely: the owner may have sent it again since.
      const overturns =
        recorded === undefined || recorded === status ? undefined : current.resultEventId !== undefined ? recorded : status === "completed" ? "refused" : undefined;
      if (overturns !== undefined) {
        logger.warn({ eventId, externalId: record.externalId, was: overturns, now: status }, "a newer transfer result overturns the one recorded; the owners are told");
      }
      return tellTransferResult(eventId, payload, current, status, overturns, untimed);
    });
  }

  /**
   * A FAILED that cannot be ordered against the COMPLETED recorded: left as completed (the money may have
   * left, so it keeps counting), and each owner is told both, to look at the Palladium dashboard.
   */
  async function tellUnorderedFailure(eventId: string, payload: TransferResult, record: PaymentRecord): Promise<number> {
    const createdAt = deps.now().toISOString();
    const items = deps.ownerIds.map((ownerId) =>
      transferNotice(eventId, payload, record, { chatId: ownerId, locale: DEFAULT_LOCALE }, createdAt, { status: "failed", keptAs: "completed" }),
    );
    if (items.length > 0) await outbox.add(items);
    return items.length;
  }

  /**
   * A failed transfer now reported completed after all may have been sent again with "Kirim lagi" in between
   * (its resend had left for the gateway): the money may have gone twice, and the notice must say so.
   */
  async function resendThatLeft(record: PaymentRecord): Promise<string | undefined> {
    // Along a chain of resends (a resend the bank failed was sent again in turn), to the one that may have left.
    let link = record.resentAs;
    for (let step = 0; link !== undefined && step < MAX_RESEND_CHAIN; step++) {
      const resend = await store.payments.get(link.externalId);
      if (resend === undefined) return undefined;
      if (resend.status === "pending" || resend.status === "completed") return resend.externalId;
      link = resend.resentAs;
    }
    return undefined;
  }

  /** A transfer result's notice to one chat: what the gateway reports, with ours where it leaves a field out. */
  function transferNotice(
    eventId: string,
    payload: TransferResult,
    record: PaymentRecord,
    to: { chatId: number; locale: string },
    createdAt: string,
    told: {
      status: "completed" | "failed";
      overturns?: "completed" | "failed" | "refused" | undefined;
      keptAs?: "completed";
      groupTold?: boolean;
      sentAgainAs?: string | undefined;
    },
  ): OutboxItem {
    return {
      id: chatItemId(eventId, to.chatId),
      chatId: to.chatId,
      kind: "disbursement-result",
      createdAt,
      payload: {
        type: "disbursement-result",
        chatId: to.chatId,
        locale: to.locale,
        externalId: record.externalId,
        amount: payload.amount,
        bankCode: payload.bank_code ?? record.bankCode ?? "",
        ...(record.accountNumber !== undefined ? { accountNumber: record.accountNumber } : {}),
        accountHolderName: payload.account_holder_name ?? record.customerName,
        ...(payload.failure_code !== undefined ? { failureCode: payload.failure_code } : {}),
        at: payload.updated,
        ...arrivalTimed(payload),
        ...sentDiffersFrom(record, reportedOf(payload)),
        status: told.status,
        ...(told.overturns !== undefined ? { overturns: told.overturns } : {}),
        ...(told.keptAs !== undefined ? { keptAs: told.keptAs } : {}),
        ...(told.sentAgainAs !== undefined ? { sentAgainAs: told.sentAgainAs } : {}),
        ...(record.answeredOtherwise !== undefined ? { answeredOtherwise: record.answeredOtherwise } : {}),
        ...(told.groupTold !== undefined ? { groupTold: told.groupTold } : {}),
      } satisfies Notification,
    };
  }

  async function tellTransferResult(
    eventId: string,
    payload: TransferResult,
    record: PaymentRecord,
    status: "completed" | "failed",
    overturns: "completed" | "failed" | "refused" | undefined,
    untimed: boolean,
    { groupsOnly = false }: { groupsOnly?: boolean } = {},
  ) {
    const createdAt = deps.now().toISOString();
    const to = (await recipients(record)).filter((r) => !groupsOnly || r.chatId < 0);
    const groupTold = to.some((r) => r.chatId < 0);
    const patch = {
      status,
      resultEventId: eventId,
      // A result without the gateway's time keeps none: the time it arrived would outrank a real, earlier-stamped one.
      resultAt: untimed ? undefined : payload.updated,
      ...(payload.failure_code !== undefined ? { failureCode: payload.failure_code } : {}),
      resultReported: reportedOf(payload),
    } as const;
    // The status first, then the resends: a resend checks this status right before its gateway call, after
    // writing its record, so one of the two always sees the other (it stops, or it is named here).
    const after = await store.payments.update(record.externalId, patch);
    const sentAgainAs = status === "completed" && overturns === "failed" ? await resendThatLeft(record) : undefined;
    const items = to.map((r) => transferNotice(eventId, payload, record, r, createdAt, { status, overturns, groupTold, sentAgainAs }));
    // The owner's "being processed" message now says the result, when the bot has recorded it (else the bot
    // queues the same edit as it records it). Read from this write: one of it and the bot's sees the other's.
    // A chat no longer told of the transfer (its owner left the shop) is not edited.
    const edit = after !== undefined && to.some((r) => r.madeIn) ? transferMessageEdit(after, deps.now()) : undefined;
    if (edit !== undefined) items.push(edit);
    await Promise.all([
      outbox.add(items),
      // Money that never left must not count against today's allowance; the release is take-once, so a
      // retried callback gives it back only once. Money that did leave counts, even if we had given it back
      // on a refusal the gateway did not mean (a transfer it refused, then completed), or on a FAILED that a
      // newer COMPLETED overturns.
      status === "failed" ? releaseDisbursementAllowance(store, record.externalId, deps.now()) : countCompleted(record, payload.amount),
    ]);
    return items.length;
  }

  /**
   * A paid callback naming another VA number or bank (or Alfamart code) than the one we issued under this
   * external_id is still recorded as paid: the external_id is the gateway's own key for our payment, and
   * refusing would leave a real payment unannounced. The notice shows ours and warns of theirs.
   */
  function warnIfOtherMethod(event: PaidEventName, eventId: string, payload: PaidCallback, record: PaymentRecord) {
    const { method: ours, otherReported: reported } = methodsOf(event, record, payload);
    if (reported !== undefined) {
      logger.warn({ event, eventId, externalId: record.externalId, ours, reported }, "paid callback names another account or code than ours; told with a warning");
    }
  }

  /**
   * A transfer result reporting another amount, bank or holder than the owner sent is still recorded: the
   * gateway's word is what happened to the money. The owners are told both, and the operator is told here.
   */
  function warnIfOtherTransfer(eventId: string, payload: TransferResult, record: PaymentRecord) {
    const sent = sentDiffersFrom(record, reportedOf(payload));
    if (Object.keys(sent).length > 0) {
      logger.warn({ event: "disbursement", eventId, externalId: record.externalId, sent, reported: { amount: payload.amount, bankCode: payload.bank_code, holder: payload.account_holder_name } }, "transfer result differs from the transfer we sent; told with a warning");
    }
  }

  /**
   * Money that left counts: taken again if a refusal had given it back, and then, when more left than the
   * owner sent, the difference too. In that order: the difference counts on the reservation's day, which
   * the retake puts back (side by side it fell on today's when a FAILED before midnight was overturned after).
   */
  async function countCompleted(record: PaymentRecord, reported: number): Promise<void> {
    await retakeAfterRefusal(record.externalId);
    // More than the owner sent left the account (the notice warns of it).
    await countExtra(record, reported);
  }

  async function countExtra(record: PaymentRecord, reported: number): Promise<void> {
    const counted = await countReportedExtra(store, record.externalId, reported - record.amount, deps.now());
    if (counted !== undefined) {
      logger.warn({ externalId: record.externalId, sent: record.amount, reported, day: counted.day }, "the bank reports more than the transfer sent; the difference counts against the day's allowance");
    }
  }

  async function retakeAfterRefusal(externalId: string): Promise<void> {
    const taken = await retakeDisbursementAllowance(store, externalId, deps.now());
    if (taken !== undefined) {
      logger.warn({ externalId, amount: taken.amount, day: taken.day }, "a transfer the gateway had refused was completed; counted against its day's allowance again");
    }
  }

  const recordWith = eventLog.recordWith?.bind(eventLog);
  const prepare = outbox.prepare?.bind(outbox);

  /** The whole callback as one unit of the store (see the comment at the top). */
  async function recordAsOneUnit(
    recordWithFn: NonNullable<typeof recordWith>,
    prepareFn: NonNullable<typeof prepare>,
    eventId: string,
    event: Exclude<CallbackEvent, "disbursement">,
    payload: CallbackPayload<Exclude<CallbackEvent, "disbursement">>,
  ): Promise<RecordOutcome> {
    const externalId = payload.external_id;
    const receivedAt = deps.now().toISOString();
    const eventRecord = (known: boolean): CallbackEventRecord => ({ event, externalId, known, receivedAt });
    if (event === "virtual-account-created") {
      // Nothing to tell anyone; it may also arrive before the bot has saved the payment (or after it was
      // paid: callbacks come out of order), so it never touches the payment's status.
      const outcome = await recordWithFn(eventId, {
        decide: () => ({ record: eventRecord(true), result: { kind: "recorded", eventId, notifications: 0 } as RecordOutcome }),
      });
      return outcome.first ? outcome.result : { kind: "duplicate", eventId };
    }
    const paid = payload as PaidCallback;
    // Read before the unit: linked groups and staff change rarely and are cached; the payment is read inside it.
    const [chats, people] = await Promise.all([shopChats(), shopPeople()]);
    // What decide saw, for the warnings logged once the unit is in (decide itself only plans writes).
    let belongsTo: PaymentKind | undefined;
    let recorded: PaymentRecord | undefined;
    const outcome = await recordWithFn(eventId, {
      externalId,
      decide(payment): { record: CallbackEventRecord; paymentPatch?: PaymentPatch | undefined; queued: QueuedWrite[]; result: RecordOutcome } {
        recorded = undefined;
        belongsTo = payment?.kind;
        if (payment === undefined || payment.kind !== paymentKindOf(event)) {
          const items = unknownItems(eventId, event, paid, belongsTo);
          return {
            record: eventRecord(false),
            queued: items.length > 0 ? [prepareFn(items)] : [],
            result: { kind: "unknown-external-id", eventId, notifications: items.length },
          };
        }
        recorded = payment;
        const patch = paidPatch(payment, paid, "count");
        const items = paidItems(eventId, event, paid, payment, recipientsOf(payment, chats, people), { ...payment, ...patch });
        return {
          record: eventRecord(true),
          paymentPatch: patch,
          queued: [prepareFn(items)],
          result: { kind: "recorded", eventId, notifications: items.length },
        };
      },
    });
    if (!outcome.first) return { kind: "duplicate", eventId };
    if (outcome.result.kind === "unknown-external-id") warnUnknown(event, eventId, externalId, belongsTo);
    else if (recorded !== undefined) warnIfOtherMethod(event, eventId, paid, recorded);
    return outcome.result;
  }

  return async function recordCallback<E extends CallbackEvent>(event: E, received: CallbackPayload<E>): Promise<RecordOutcome> {
    const payload = withTime(event, received, deps.now().toISOString());
    if (payload !== received) timedOnArrival.add(payload);
    // From the callback as sent: the time it reached us is no part of what it is.
    const eventId = callbackEventId(event, received as { id: string; payment_id?: string });
    const untimed = event === "disbursement" && (received as ReceivedDisbursementResult).updated === undefined;
    const externalId = payload.external_id;
    if (recordWith !== undefined && prepare !== undefined && event !== "disbursement") {
      return recordAsOneUnit(recordWith, prepare, eventId, event as Exclude<CallbackEvent, "disbursement">, payload as CallbackPayload<Exclude<CallbackEvent, "disbursement">>);
    }
    // The cheap path for the gateway's retries of an event fully recorded before. (A retry of one whose
    // recording was cut short finds no mark and redoes the idempotent steps below.)
    if ((await eventLog.get(eventId)) !== undefined) return { kind: "duplicate", eventId };

    if (event === "virtual-account-created") {
      const first = await finish(eventId, event, externalId, true);
      return first ? { kind: "recorded", eventId, notifications: 0 } : { kind: "duplicate", eventId };
    }

    const paidOrDisbursement = payload as PaidOrDisbursement;
    const record = await store.payments.get(externalId);
    let notifications: number;
    // A callback of another kind than our payment is not about it (believing a transfer result would set a
    // VA "completed"; a VA payment would announce money coming in for money sent out): told like an unknown one.
    if (record === undefined || record.kind !== paymentKindOf(event)) {
      notifications = await reportUnknown(eventId, event, paidOrDisbursement, record?.kind);
      const first = await finish(eventId, event, externalId, false);
      if (first) warnUnknown(event, eventId, externalId, record?.kind);
      return first ? { kind: "unknown-external-id", eventId, notifications } : { kind: "duplicate", eventId };
    }
    if (event === "disbursement") {
      notifications = await recordDisbursement(eventId, paidOrDisbursement as TransferResult, record, untimed);
    } else {
      notifications = await recordPaid(eventId, event as "virtual-account-paid" | "retail-outlet-paid", paidOrDisbursement as PaidCallback, record);
    }
    const first = await finish(eventId, event, externalId, true);
    if (first && event === "disbursement") warnIfOtherTransfer(eventId, paidOrDisbursement as TransferResult, record);
    return first ? { kind: "recorded", eventId, notifications } : { kind: "duplicate", eventId };
  };
}

interface Recipient {
  chatId: number;
  locale: string;
  /** The chat the payment was made in (its QR message is there). */
  madeIn: boolean;
}

interface ShopChats {
  groups: ReadonlyArray<{ chatId: number; formerChatIds?: number[] | undefined }>;
  moves: ReadonlyMap<number, number>;
}

interface ShopPeople {
  ownerIds: readonly number[];
  staffIds: ReadonlySet<number>;
}

/**
 * Who hears about a payment: the chat where it was made is the creator's (their private chat, or the group
 * they used); a linked group that is that same chat hears once, in the creator's language. A payment made in
 * a group before Telegram made it a supergroup names the group's old id: it is told under the new one
 * (whether the group was linked then or not), so a supergroup linked since hears it once.
 *
 * A creator who is no longer in the shop (a cashier the owner removed) is not told of the shop's money in
 * their private chat, nor in a group of theirs that is not linked; the linked groups are, or, with none, the
 * owners, so the payment still reaches the shop.
 */
function recipientsOf(record: PaymentRecord, { groups, moves }: ShopChats, people: ShopPeople): Recipient[] {
  // A move recorded before moves were kept apart lives only in its link's formerChatIds.
  const madeIn = moves.get(record.chatId) ?? groups.find((g) => g.formerChatIds?.includes(record.chatId))?.chatId ?? record.chatId;
  // Their private chat, or a group of theirs no owner linked: neither is the shop's once they have left it.
  const creatorLeft = !groups.some((g) => g.chatId === madeIn) && !people.ownerIds.includes(record.createdBy) && !people.staffIds.has(record.createdBy);
  const list: Recipient[] = creatorLeft ? [] : [{ chatId: madeIn, locale: record.locale ?? DEFAULT_LOCALE, madeIn: true }];
  for (const group of groups) {
    if (!list.some((r) => r.chatId === group.chatId)) list.push({ chatId: group.chatId, locale: DEFAULT_LOCALE, madeIn: false });
  }
  if (list.length === 0) for (const ownerId of people.ownerIds) list.push({ chatId: ownerId, locale: DEFAULT_LOCALE, madeIn: false });
  return list;
}

/**
 * The payment's change for a paid callback, or undefined when there is none to make. A multi-use VA is paid
 * many times (one payment_id each); a late retry of an earlier payment must not roll paidAt back over a newer one.
 */
function paidPatch(current: PaymentRecord, payload: PaidCallback, counting: Counting): PaymentPatch | undefined {
  const paidAt = payload.transaction_timestamp;
  const newer = current.paidAt === undefined || Date.parse(paidAt) >= Date.parse(current.paidAt);
  const latest = newer ? { paidAt, paidAmount: payload.amount } : {};
  if (counting === "leave") return current.status === "paid" && !newer ? undefined : { status: "paid", ...latest };
  const before = paidSoFar(current);
  return { status: "paid", ...latest, paidCount: before.count + 1, paidTotal: before.total + payload.amount };
}

/**
 * Whether this recording may add the payment to the payment's count and sum: only where the dedupe mark is
 * written in the same unit as the payment (`count`), so a retried callback never counts twice. The
 * crash-ordered path writes the mark last, and a retry after a crash there redoes the payment's change.
 */
type Counting = "count" | "leave";

/**
 * What the owner sent, for each of amount, bank and holder the transfer result reports otherwise. A bank
 * writes the holder's name its own way (capitals, an apostrophe of its own, spacing), so only a name that
 * differs beyond that counts.
 */
/** What a transfer's result reports of it. */
function reportedOf(payload: TransferResult): TransferReported {
  return { amount: payload.amount, bankCode: payload.bank_code, holderName: payload.account_holder_name };
}

/** A paid callback with its time: the gateway's, or when it reached us if it sent none. */
type PaidCallback = (ReceivedVirtualAccountPaid | ReceivedRetailOutletPaid) & { transaction_timestamp: string };
/** A transfer result with its time, likewise. */
type TransferResult = ReceivedDisbursementResult & { updated: string };
type PaidOrDisbursement = PaidCallback | TransferResult;

/** Whether `at` is later than `than` (a result recorded without its time is overturned by any). */
function newerThan(at: string, than: string | undefined): boolean {
  if (than === undefined) return true;
  const [a, b] = [Date.parse(at), Date.parse(than)];
  return Number.isNaN(b) || (!Number.isNaN(a) && a > b);
}

function sameInstant(at: string, than: string | undefined): boolean {
  if (than === undefined) return false;
  const [a, b] = [Date.parse(at), Date.parse(than)];
  return !Number.isNaN(a) && a === b;
}

function transferMethodOf(result: TransferResult) {
  return {
    kind: "disbursement" as const,
    bankCode: result.bank_code ?? "",
    ...(result.account_holder_name !== undefined ? { accountHolderName: result.account_holder_name } : {}),
    status: result.status,
    ...(result.failure_code !== undefined ? { failureCode: result.failure_code } : {}),
  };
}

/** The callback with the time it reached us where it names none. */
function withTime<E extends CallbackEvent>(event: E, payload: CallbackPayload<E>, receivedAt: string): CallbackPayload<E> {
  if (event === "disbursement") {
    const result = payload as ReceivedDisbursementResult;
    return (result.updated === undefined ? { ...result, updated: receivedAt } : result) as CallbackPayload<E>;
  }
  if (event === "virtual-account-created") return payload;
  const paid = payload as ReceivedVirtualAccountPaid | ReceivedRetailOutletPaid;
  return (paid.transaction_timestamp === undefined ? { ...paid, transaction_timestamp: receivedAt } : paid) as CallbackPayload<E>;
}

/** The kind of our payment an event can be about. */
function paymentKindOf(event: "virtual-account-paid" | "retail-outlet-paid" | "disbursement"): PaymentKind {
  return event === "virtual-account-paid" ? "virtual_account" : event === "retail-outlet-paid" ? "retail" : "disbursement";
}

/**
 * What a paid notice shows: ours, what the cashier handed the customer (the callback's when the record
 * lacks it), and the callback's own only when it names another account or code than ours.
 */
function methodsOf(event: PaidEventName, record: PaymentRecord, payload: PaidCallback): { method: PaymentMethod; otherReported?: PaymentMethod } {
  const reported = reportedInPart(event, payload);
  const method = recordMethodOf(record) ?? reported;
  return sameMethod(method, reported) ? { method } : { method, otherReported: reported };
}

/** `b` is the callback's: a bank it left out ("?") is no difference, its number still is. */
function sameMethod(a: PaymentMethod, b: PaymentMethod): boolean {
  if (a.kind === "virtual_account" && b.kind === "virtual_account") {
    return (b.bankCode === UNNAMED_BANK || a.bankCode.toUpperCase() === b.bankCode.toUpperCase()) && a.accountNumber === b.accountNumber;
  }
  if (a.kind === "retail" && b.kind === "retail") {
    // A code is read aloud and typed at the till: its letters' case is no difference.
    return a.retailOutletName.toUpperCase() === b.retailOutletName.toUpperCase() && a.paymentCode.toUpperCase() === b.paymentCode.toUpperCase();
  }
  return false;
}

type PaidEventName = "virtual-account-paid" | "retail-outlet-paid";

/** The account or code the callback names, when it names it in full (a VA payment may leave out its bank). */
function methodOf(event: PaidEventName, payload: PaidCallback): PaymentMethod | undefined {
  if (event === "retail-outlet-paid") {
    const retail = payload as ReceivedRetailOutletPaid;
    return { kind: "retail", retailOutletName: retail.retail_outlet_name ?? "ALFAMART", paymentCode: retail.payment_code };
  }
  const va = payload as ReceivedVirtualAccountPaid;
  return va.bank_code === undefined ? undefined : { kind: "virtual_account", bankCode: va.bank_code, accountNumber: va.account_number };
}

const UNNAMED_BANK = "?";

/** The callback's method with a bank it left out shown as "?". */
function reportedInPart(event: PaidEventName, payload: PaidCallback): PaymentMethod {
  const method = methodOf(event, payload);
  if (method !== undefined) return method;
  return { kind: "virtual_account", bankCode: UNNAMED_BANK, accountNumber: (payload as ReceivedVirtualAccountPaid).account_number };
}
