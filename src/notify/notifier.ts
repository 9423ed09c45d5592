import { randomUUID } from "node:crypto";
import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { DEFAULT_LOCALE } from "../i18n.js";
import { outcomeWithin, withTimeoutSignal } from "../deadline.js";
import type { Logger } from "../logger.js";
import { paidSoFar } from "../domain/payment-state.js";
import type { Store } from "../store/types.js";
import {
  chatItemId,
  eventIdOfChatItem,
  isMessageEdit,
  notificationSchema,
  type MarkPaid,
  type MessageEdit,
  type Notice,
  type Notification,
  type PaymentReceived,
  type UnknownPayment,
} from "./notifications.js";
import type { NotifierOutboxPort, OutboxEntry } from "./ports.js";
import {
  needsOwnNotice,
  renderDigest,
  renderDisbursementResult,
  renderPaidCaption,
  renderPaymentReceived,
  renderTransferMessage,
  renderUnknownDigest,
  renderUnknownPayment,
  type Translator,
} from "./render.js";
import { createSendScheduler, DEFAULT_SEND_LIMITS, isGroupChat, type Lane, type SendLimits } from "./send-scheduler.js";
import { createSharedRateLimit, type SendPermit, type SharedRateLimit } from "./shared-rate-limit.js";
import { classifySendFailure, isNoCaptionFailure, isSettledEditFailure } from "./telegram-errors.js";

type ApiSignal = Parameters<Api["sendMessage"]>[3];

export type NotifierEventName =
  /** A notification went out (labels: type). */
  | "sent"
  /** The original message now reads what became of it: a payment's PAID, a transfer's result. */
  | "edited"
  /** An edit had nothing to do (already PAID, message gone, a newer state shown or on its way). */
  | "edit_skipped"
  /** One digest replaced `count` messages to one chat. */
  | "digest"
  /** A Bot API call failed (labels: reason = rate_limited | transient | bot_refused | permanent). */
  | "failed"
  /** A failed item was put back with a delay. */
  | "retried"
  /** Telegram answered 429. */
  | "rate_limited"
  /** Retrying could not help (bot blocked, chat gone): the item is closed and logged. */
  | "gave_up";

export type NotifierEventListener = (name: NotifierEventName, labels: Readonly<Record<string, string | number>>) => void;

export interface NotifierDeps {
  /** Built by the caller: `new Api(token, { apiRoot })` or `bot.api`. No auto-retry needed: see below. */
  api: Api;
  outbox: NotifierOutboxPort;
  /** Moves a linked group's link when Telegram says it became a supergroup; rendering uses only the outbox snapshot. */
  store?: Store;
  i18n: Translator;
  logger: Logger;
  now?: () => Date;
  /** Distinguishes this instance's leases from others' (several notifiers may share a Redis outbox). */
  workerId?: string;
  limits?: Partial<SendLimits>;
  /**
   * Telegram's limits counted across every instance that shares the store. Default: built on the store's
   * atomic counters when the store is Redis; none on SQLite (one process owns the file, its own pacing is enough).
   */
  sharedLimit?: SharedRateLimit | false;
  /** A chat with more pending payments than this (and than it can send within ~10 s) gets one digest. */
  digestThreshold?: number;
  /** How often to look at the outbox when nothing wakes the notifier (items from other instances, retries). */
  pollIntervalMs?: number;
  /** How long a claimed item stays ours; a crashed instance's items come back after it. */
  leaseMs?: number;
  /**
   * The shop's owners: a payment or transfer notice Telegram refuses for good in a group (the bot was
   * removed), or in a cashier's chat when no group is linked (she blocked the bot), goes to them instead.
   */
  ownerIds?: readonly number[];
  /** A Bot API call that takes longer is abandoned and retried (kept well inside the lease). */
  sendTimeoutMs?: number;
  onEvent?: NotifierEventListener;
  /**
   * The buttons a payment's message keeps once it is marked paid: a multi-use VA can be paid again, so in
   * sandbox mode it keeps its "simulate payment" button. Unset, or undefined for a notice: the edit removes them.
   */
  paidMessageButtons?: (n: MarkPaid) => InlineKeyboardMarkup | undefined;
  /** The buttons a notice carries to one chat (an owner's "send again" under a failed transfer), or undefined. */
  noticeButtons?: (n: Notice, chatId: number) => InlineKeyboardMarkup | undefined;
  /**
   * The bot runs on the in-process sandbox: every notice and paid message says the money is make-believe, so
   * nobody in a real shop group hands over goods for a simulated payment.
   */
  sandboxMode?: boolean;
  /**
   * The language a person chose (/bahasa), for their private chat; undefined when they never chose. Their
   * notices then speak it, not the language they had when the payment was made, nor the Indonesian the
   * owners' reports are recorded in. A group's notices keep theirs.
   */
  chosenLocaleOf?: (userId: number) => Promise<string | undefined>;
}

export interface Notifier {
  start(): void;
  /**
   * Stops taking new work and waits for the sends in flight to be answered and recorded (delivered, or
   * released for a retry). With `graceMs`, a send still unanswered after it is cut: it fails like a timeout
   * and is released, so it is sent again later (Telegram may have posted it already: that repeat is the one
   * no shutdown budget avoids). Either way it resolves only once every send has recorded its outcome, so
   * the store may be closed right after.
   */
  stop(graceMs?: number): Promise<void>;
  /** Look at the outbox now (the webhook calls it after recording a callback). */
  wake(): void;
}

const DIGEST_HORIZON_MS = 10_000;
/** Telegram's window for a group's messages: a group that is behind gets one each (this / its messages a minute). */
const GROUP_MINUTE_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
/** How often a sent notice whose mark the store refused is marked again. */
const MARK_RETRY_MS = 1_000;
const PENDING_BATCH = 500;
/** At most this many pages of the outbox per look (see planAndStart). */
const MAX_PAGES = 10;

interface Entry {
  item: OutboxEntry;
  notification: Notification;
}

/**
 * The outbox worker. Exactly-once as far as Telegram allows: an item is claimed (a lease), sent, and
 * marked delivered right after Telegram's "ok"; a failed send is released with a later notBefore, so it
 * is retried but never sent by two workers at once. The one window left is a crash (or a lost answer, or
 * a shutdown that cuts a send Telegram has not answered) between Telegram accepting a message and
 * markDelivered: the item then comes back, after its lease or its retry delay.
 *
 * Retries are ours rather than @grammyjs/auto-retry's: a 429's retry_after must pause that chat in the
 * scheduler (so other chats keep flowing and the backlog can turn into a digest), and a retry must not
 * sleep inside a lease that another instance is waiting on.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  const logger = deps.logger.child({ part: "notifier" });
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const limits: SendLimits = { ...DEFAULT_SEND_LIMITS, ...deps.limits };
  const scheduler = createSendScheduler(limits, nowMs);
  const sharedLimit =
    deps.sharedLimit === false
      ? undefined
      : (deps.sharedLimit ?? (deps.store?.backend === "redis" ? createSharedRateLimit({ atomic: deps.store.atomic, limits, now: nowMs }) : undefined));
  const workerId = deps.workerId ?? `notifier-${randomUUID()}`;
  const digestThreshold = deps.digestThreshold ?? 5;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  const leaseMs = deps.leaseMs ?? 60_000;
  const sendTimeoutMs = Math.min(deps.sendTimeoutMs ?? 20_000, Math.floor(leaseMs / 2));
  const emit: NotifierEventListener = (name, labels) => {
    try {
      deps.onEvent?.(name, labels);
    } catch (error) {
      logger.warn({ err: error }, "notifier event listener threw");
    }
  };

  const busyLanes = new Set<string>();
  /** A chat that is behind: what its last turn sent (a warned payment, or a digest), for the next to take the other. */
  const behindTurns = new Map<number, "warned" | "digest">();
  const inflight = new Set<Promise<void>>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let timerDueAt = Infinity;
  let ticking: Promise<void> | undefined;
  let tickRequested = false;
  /** Aborted by stop() when its grace is over: cuts the Bot API calls still waiting for an answer. */
  let shutdownCut = new AbortController();

  const laneKey = (chatId: number, lane: Lane) => `${lane}:${chatId}`;
  /** A Bot API call cut after the send timeout, or by stop() when its grace is over. */
  const bounded = <T>(call: (signal: ApiSignal) => Promise<T>) =>
    // grammY types its signal parameter with the abort-controller polyfill's AbortSignal; Node's is the same at runtime.
    withTimeoutSignal(sendTimeoutMs, [shutdownCut.signal], (signal) => call(signal as unknown as ApiSignal));

  function schedule(delayMs: number) {
    if (!running) return;
    const dueAt = Date.now() + Math.max(0, delayMs);
    if (timer !== undefined && timerDueAt <= dueAt) return;
    if (timer !== undefined) clearTimeout(timer);
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueAt = Infinity;
      void tick();
    }, Math.max(0, delayMs));
  }

  async function tick(): Promise<void> {
    if (!running) return;
    if (ticking !== undefined) {
      tickRequested = true;
      return;
    }
    let nextDelay = pollIntervalMs;
    ticking = (async () => {
      try {
        nextDelay = await planAndStart();
      } catch (error) {
        logger.error({ err: error }, "could not read the outbox; will try again");
      }
    })();
    await ticking;
    ticking = undefined;
    if (tickRequested) {
      tickRequested = false;
      schedule(0);
    } else {
      schedule(nextDelay);
    }
  }

  /**
   * How long this chat's lane must wait before its next send (0 or less: it may go now). Against the clock as
   * it is at the call, not as it was before an outbox read or a shared-limit call took its milliseconds: a
   * free chat is ready "now", and a "now" taken earlier would never come.
   */
  const waitMs = (chatId: number, lane: Lane) => scheduler.readyAt(chatId, lane) - nowMs();

  /** Reads the outbox, starts every send the limits allow now, and says when to look again. */
  async function planAndStart(): Promise<number> {
    let nextDelay = pollIntervalMs;
    const lanes = new Map<string, { chatId: number; lane: Lane; entries: Entry[] }>();
    const startable = new Set<string>();
    // Oldest first, a page at a time. A full page whose chats are few and held back (each sends about once a
    // second) would otherwise hide every newer item behind it: a shop group's fresh payment would wait for
    // as long as an owner's backlog of notices lasts. So while a full page leaves few chats free to send,
    // the next page is read too.
    for (let page = 0; page < MAX_PAGES; page++) {
      // Only items free now: not backing off after a failure, not leased (by us in flight, or by another
      // instance). An expired lease of a crashed instance counts as free.
      const items = await deps.outbox.pending({ limit: PENDING_BATCH, readyAt: new Date(nowMs()), skip: page * PENDING_BATCH });
      for (const item of items) {
        const parsed = notificationSchema.safeParse(item.payload);
        if (!parsed.success) {
          startUnreadable(item);
          continue;
        }
        const notification = parsed.data;
        const lane: Lane = isMessageEdit(notification) ? "edit" : "message";
        const key = laneKey(notification.chatId, lane);
        let group = lanes.get(key);
        if (group === undefined) {
          group = { chatId: notification.chatId, lane, entries: [] };
          lanes.set(key, group);
          if (!busyLanes.has(key) && waitMs(notification.chatId, lane) <= 0) startable.add(key);
        }
        group.entries.push({ item, notification });
      }
      if (items.length < PENDING_BATCH || startable.size >= limits.globalPerSecond) break;
    }

    for (const [key, { chatId, lane, entries }] of lanes) {
      if (!running) break;
      if (busyLanes.has(key)) continue; // its send will wake us when done
      const wait = waitMs(chatId, lane);
      if (wait > 0) {
        nextDelay = Math.min(nextDelay, wait);
        continue;
      }
      // Only payments that read "paid, nothing to check" may share a digest; one with a warning goes alone
      // (deliverOne, in its turn), and the digest's count and total are then of the others only. Whether the
      // backlog calls for a digest still counts every payment: the warned ones take a message each.
      const received = entries.filter((e): e is Entry & { notification: PaymentReceived } => e.notification.type === "payment-received");
      const payments = received.filter((e) => !needsOwnNotice(e.notification));
      const alone = received.length - payments.length;
      let soon = Math.min(digestThreshold, scheduler.capacityWithin(chatId, DIGEST_HORIZON_MS));
      let permit: SendPermit | undefined;
      if (sharedLimit !== undefined) {
        // Other instances send too: ask the shared count before spending anything here, and plan the
        // digest with what the group has left across all of them.
        const answer = await sharedLimit.acquire(chatId, lane);
        if (!answer.granted) {
          scheduler.defer(chatId, lane, answer.retryAtMs);
          nextDelay = Math.min(nextDelay, Math.max(0, answer.retryAtMs - nowMs()));
          continue;
        }
        permit = answer;
        soon = Math.min(soon, answer.groupRemaining + 1);
      }
      // The shop's own notices go before reports of payments the bot never made: a Palladium account shared
      // with a web shop sends those by the thousand, and an owner's "paid" must not wait behind them.
      const first = entries.find((e) => e.notification.type !== "unknown-payment") ?? entries[0];
      const unknown = entries.filter((e): e is Entry & { notification: UnknownPayment } => isUnknownIncoming(e.notification));
      if (payments.length >= 2 && payments.length + alone > soon) {
        // Behind. A payment with a warning (short, over, paid twice) and a digest of the others take turns,
        // the older first: before, a warned one waited while digests of later payments were told, and the
        // cashier may be handing goods over; all warned ones first would hold the paid-in-full ones instead.
        const warned = received.find((e) => needsOwnNotice(e.notification));
        const previous = behindTurns.get(chatId);
        const warnedTurn = warned !== undefined && (previous === "digest" || (previous === undefined && received[0] === warned));
        behindTurns.set(chatId, warnedTurn ? "warned" : "digest");
        if (warned !== undefined && warnedTurn) start(key, chatId, lane, () => deliverOne(warned, permit));
        else start(key, chatId, lane, () => deliverDigest(chatId, payments, renderDigest, permit));
        // A group whose minute is half spent has its messages spaced to last it (20: one each 3 s), so it goes
        // on hearing every few seconds: a message each second spent the minute in 20 s, then 40 s of silence.
        if (isGroupChat(chatId) && scheduler.capacityWithin(chatId, GROUP_MINUTE_MS) <= limits.perGroupPerMinute / 2) {
          scheduler.defer(chatId, lane, nowMs() + GROUP_MINUTE_MS / limits.perGroupPerMinute);
        }
        continue;
      }
      behindTurns.delete(chatId);
      if (first?.notification.type === "unknown-payment" && unknown.length >= 2 && entries.length > soon) {
        start(key, chatId, lane, () => deliverDigest(chatId, unknown, renderUnknownDigest, permit));
      } else if (first !== undefined) start(key, chatId, lane, () => deliverOne(first, permit));
    }
    return nextDelay;
  }

  /** Reserves the chat's slot now (so the limits count it) and runs the delivery in the background. */
  function start(key: string, chatId: number, lane: Lane, delivery: () => Promise<void>) {
    busyLanes.add(key);
    const slot = scheduler.take(chatId, lane);
    const task = delivery()
      .catch((error: unknown) => logger.error({ err: error, chatId }, "notification delivery crashed"))
      .finally(() => {
        scheduler.settle(slot);
        busyLanes.delete(key);
        inflight.delete(task);
        if (running) schedule(0);
      });
    inflight.add(task);
  }

  function startUnreadable(item: OutboxEntry) {
    const task = (async () => {
      if (!(await claim(item.id))) return;
      // The row as stored goes to the log (notices hold no secrets): closing it blanks it in the store, and
      // an operator may still tell the shop by hand what it was.
      const stored = item.unreadable?.body ?? JSON.stringify(item.payload) ?? "";
      logger.error(
        { itemId: item.id, reason: item.unreadable?.reason ?? "not a notification", stored: stored.slice(0, 4_000) },
        "outbox item is not a notification; closing it",
      );
      await markDelivered([item.id]);
      emit("gave_up", { reason: "unreadable" });
    })()
      .catch((error: unknown) => logger.error({ err: error }, "could not close an unreadable outbox item"))
      .finally(() => inflight.delete(task));
    inflight.add(task);
  }

  async function claim(id: string): Promise<boolean> {
    // Sent already, its mark still refused by the store: taken again, it would be sent again.
    if (sentUnmarked.has(id)) return false;
    return Boolean(await deps.outbox.claim(id, workerId, leaseMs));
  }

  /**
   * Sent (Telegram said "ok"), but the store refused the mark (a full disk, a Redis at its limit): kept here,
   * never claimed again by this notifier, and marked once the store takes writes. Its lease is renewed when
   * the store takes that write; an outage longer than the lease lets another instance (several on one Redis)
   * take it and send it again, and a restart of this one does too: this set lives only in the process.
   */
  const sentUnmarked = new Set<string>();
  let marking: NodeJS.Timeout | undefined;

  /** Right after Telegram's "ok": a few quick tries, because a miss here is the one way to send twice. */
  async function markDelivered(ids: readonly string[]) {
    for (const id of ids) {
      for (let attempt = 1; ; attempt++) {
        try {
          await deps.outbox.markDelivered(id, workerId);
          break;
        } catch (error) {
          if (attempt >= 3) {
            logger.error({ err: error, itemId: id }, "sent but could not mark delivered; kept from being sent again, marked once the store takes writes");
            sentUnmarked.add(id);
            keepMarking();
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    }
  }

  function keepMarking() {
    if (marking !== undefined) return;
    marking = setTimeout(() => {
      const task = (async () => {
        for (const id of [...sentUnmarked]) {
          try {
            await deps.outbox.claim(id, workerId, leaseMs);
            await deps.outbox.markDelivered(id, workerId);
            sentUnmarked.delete(id);
            logger.info({ itemId: id }, "a sent notice whose mark had been refused is marked delivered");
          } catch {
            // Still refused: tried again in a moment (the error was logged when it was sent).
          }
        }
      })().finally(() => {
        inflight.delete(task);
        marking = undefined;
        if (running && sentUnmarked.size > 0) keepMarking();
      });
      inflight.add(task);
    }, MARK_RETRY_MS);
    marking.unref();
  }

  /**
   * Where the payment now shows in "recent payments": at the time it was paid. Done here, as its notices are
   * handled, rather than before the callback's 2xx: it is only the list's order, and the receiver's every
   * write counts. A failure leaves the order as it was.
   */
  async function movePaidUp(n: Notification): Promise<void> {
    // A payment of ours that came in (a mark-paid, or a paid notice: a payment with no message to edit has no
    // mark-paid); not a transfer, and not a payment the bot never made.
    if ((n.type !== "mark-paid" && n.type !== "payment-received") || n.externalId === undefined || deps.store === undefined) return;
    try {
      await deps.store.payments.movePaid(n.externalId, new Date(n.paidAt));
    } catch (error) {
      logger.warn({ err: error, externalId: n.externalId }, "could not move a paid payment up the recent payments");
    }
  }

  /** The private chat's chosen language, if its person chose one (a failed read keeps the recorded one). */
  async function chosenLocale(chatId: number): Promise<string | undefined> {
    if (chatId < 0 || deps.chosenLocaleOf === undefined) return undefined;
    return deps.chosenLocaleOf(chatId).catch((error: unknown) => {
      logger.warn({ err: error, chatId }, "could not read a person's language; their notice keeps the recorded one");
      return undefined;
    });
  }

  async function deliverOne(entry: Entry, permit?: SendPermit): Promise<void> {
    if (!(await claim(entry.item.id))) {
      await permit?.refund();
      return;
    }
    const chosen = await chosenLocale(entry.notification.chatId);
    const n = chosen === undefined ? entry.notification : { ...entry.notification, locale: chosen };
    try {
      // Before the send or edit, whatever becomes of it (a group that refuses the edit for good, say): the
      // list shows the payment where it belongs, and once the item is done it has been moved.
      await movePaidUp(n);
      if (isMessageEdit(n)) {
        const outcome = await editOriginal(n);
        await markDelivered([entry.item.id]);
        emit(outcome, { type: n.type });
      } else {
        const outcome = await sendText(n.chatId, renderText(n), deps.noticeButtons?.(n, n.chatId), (to) => queueInSupergroup([entry], to));
        await markDelivered([entry.item.id]);
        if (outcome === "sent") emit("sent", { type: n.type });
      }
    } catch (error) {
      await handleFailure([entry], n.chatId, error, entry.item.attempts);
    }
  }

  /** Several notices of one kind as one message (`render`); one left after the claims is sent as itself. */
  async function deliverDigest<N extends PaymentReceived | UnknownPayment>(
    chatId: number,
    notices: readonly (Entry & { notification: N })[],
    render: (i18n: typeof deps.i18n, locale: string, list: readonly N[]) => string,
    permit?: SendPermit,
  ): Promise<void> {
    const claimed = (await Promise.all(notices.map(async (p) => ((await claim(p.item.id)) ? p : undefined)))).filter(
      (p): p is Entry & { notification: N } => p !== undefined,
    );
    if (claimed.length === 0) {
      await permit?.refund();
      return;
    }
    const ids = claimed.map((p) => p.item.id);
    const only = claimed[0];
    await Promise.all(claimed.map((p) => movePaidUp(p.notification)));
    const chosen = await chosenLocale(chatId);
    try {
      if (claimed.length === 1 && only !== undefined) {
        const single: PaymentReceived | UnknownPayment = chosen === undefined ? only.notification : { ...only.notification, locale: chosen };
        const outcome = await sendText(chatId, renderText(single), deps.noticeButtons?.(single, chatId), (to) => queueInSupergroup(claimed, to));
        await markDelivered(ids);
        if (outcome === "sent") emit("sent", { type: single.type });
        return;
      }
      const locale = chosen ?? digestLocale(claimed.map((p) => p.notification));
      const outcome = await sendText(chatId, inSandbox(locale, render(deps.i18n, locale, claimed.map((p) => p.notification))), undefined, (to) =>
        queueInSupergroup(claimed, to),
      );
      await markDelivered(ids);
      if (outcome === "moved") return;
      emit("digest", { count: claimed.length });
      logger.info({ chatId, count: claimed.length }, "backlog sent as one digest");
    } catch (error) {
      await handleFailure(claimed, chatId, error, Math.max(...claimed.map((p) => p.item.attempts)));
    }
  }

  function renderText(n: Notice): string {
    switch (n.type) {
      case "payment-received":
        return inSandbox(n.locale, renderPaymentReceived(deps.i18n, n));
      case "disbursement-result":
        return inSandbox(n.locale, renderDisbursementResult(deps.i18n, n));
      case "unknown-payment":
        return inSandbox(n.locale, renderUnknownPayment(deps.i18n, n));
    }
  }

  function inSandbox(locale: string, text: string): string {
    return deps.sandboxMode === true ? `${deps.i18n.t(locale, "sandbox-mode-banner")}\n${text}` : text;
  }

  /**
   * "moved": Telegram said the group is now a supergroup, and `toSupergroup` queued the notices there instead
   * (nothing was sent).
   */
  async function sendText(
    chatId: number,
    text: string,
    buttons: InlineKeyboardMarkup | undefined,
    toSupergroup: (toChatId: number) => Promise<void>,
  ): Promise<"sent" | "moved"> {
    const options = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true }, ...(buttons !== undefined ? { reply_markup: buttons } : {}) };
    const topicId = chatId < 0 ? await linkedTopic(chatId) : undefined;
    try {
      await bounded((signal) => deps.api.sendMessage(chatId, text, topicId === undefined ? options : { ...options, message_thread_id: topicId }, signal));
      return "sent";
    } catch (error) {
      const failure = classifySendFailure(error);
      if (topicId !== undefined && failure.kind === "topic-unavailable") {
        // Refused, so nothing was sent: the group's main chat hears it instead of no one in the shop.
        logger.warn({ chatId, topicId, reason: failure.description }, "the linked topic refused a notice; sending it to the group's main chat");
        await bounded((signal) => deps.api.sendMessage(chatId, text, options, signal));
        if (failure.gone) await forgetTopic(chatId, topicId);
        return "sent";
      }
      if (failure.kind !== "migrated") throw error;
      await followMovedGroup(chatId, failure.toChatId);
      await toSupergroup(failure.toChatId);
      return "moved";
    }
  }

  /**
   * Telegram names the supergroup a group became. Each notice is queued there under the id that chat's own
   * notice of its event has (`<eventId>:chat:<supergroup>`), not sent on at once: a supergroup linked since
   * was told of the event already, and the outbox keeps one item per id, so it is not told twice.
   */
  async function queueInSupergroup(entries: readonly Entry[], toChatId: number): Promise<void> {
    const moved = entries.map(({ item, notification }) => ({
      id: chatItemId(eventIdOfChatItem(item.id), toChatId),
      chatId: toChatId,
      kind: item.kind,
      createdAt: item.createdAt,
      payload: { ...notification, chatId: toChatId } satisfies Notification,
    }));
    const queued = await deps.outbox.add(moved);
    logger.info({ fromChatId: entries[0]?.item.chatId, toChatId, queued, toldThereAlready: moved.length - queued }, "group became a supergroup; its notices go there");
  }

  /** The topic a linked group's notices go to, if it was linked from one (read from the store's short-lived copy). */
  async function linkedTopic(chatId: number): Promise<number | undefined> {
    if (deps.store === undefined) return undefined;
    return (await deps.store.access.listGroups()).find((g) => g.chatId === chatId)?.topicId;
  }

  /** A deleted topic never comes back: later notices go straight to the main chat, not through a refusal each. */
  async function forgetTopic(chatId: number, topicId: number): Promise<void> {
    try {
      if (await deps.store?.access.forgetTopic(chatId, topicId)) logger.warn({ chatId, topicId }, "the linked topic is gone; the group's notices go to its main chat");
    } catch (error) {
      // Sent already; the next notice tries the topic again and comes back here.
      logger.warn({ err: error, chatId, topicId }, "could not forget the group's deleted topic");
    }
  }

  /** So the next notification goes to the supergroup at once (the bot also moves the link when it hears of it). */
  async function followMovedGroup(fromChatId: number, toChatId: number): Promise<void> {
    try {
      if (await deps.store?.access.moveGroup(fromChatId, toChatId)) logger.info({ fromChatId, toChatId }, "linked group moved to its supergroup");
    } catch (error) {
      // The notices are queued there all the same; the next notification to the old id tries again.
      logger.warn({ err: error, fromChatId, toChatId }, "could not move the linked group to its supergroup");
    }
  }

  /**
   * A payment or transfer notice refused for good must still reach the shop. A group's (the bot removed from
   * it) always goes to the owners; a person's (a cashier who blocked the bot) only when no group was told of
   * that event (decided when it was recorded: a group linked since then never heard of it). The copy's id is the one an owner's own notice of that event would have
   * (`<eventId>:chat:<ownerId>`), so an owner who already had it (the creator, say) is not told twice.
   */
  async function forwardToOwners(entries: readonly Entry[], chatId: number): Promise<void> {
    const owners = (deps.ownerIds ?? []).filter((id) => id !== chatId);
    if (owners.length === 0) return;
    const toGroup = chatId < 0;
    // Items recorded before `groupTold` existed: whether a group is linked now is the best guess left.
    const groupLinkedNow = toGroup || deps.store === undefined ? false : (await deps.store.access.listGroups()).length > 0;
    const createdAt = new Date(nowMs()).toISOString();
    const copies = entries.flatMap(({ item, notification: n }) => {
      if (n.type !== "payment-received" && n.type !== "disbursement-result") return [];
      // A person's notice: the shop heard it already if a group was told of this event when it was recorded.
      if (!toGroup && (n.groupTold ?? groupLinkedNow)) return [];
      const eventId = eventIdOfChatItem(item.id);
      return owners.map((ownerId) => ({
        id: chatItemId(eventId, ownerId),
        chatId: ownerId,
        kind: item.kind,
        createdAt,
        payload: { ...n, chatId: ownerId, locale: DEFAULT_LOCALE, forwarded: true } satisfies Notification,
      }));
    });
    if (copies.length === 0) return;
    const added = await deps.outbox.add(copies);
    logger.warn({ chatId, forwarded: added }, "notices Telegram refused for good were forwarded to the owners");
  }

  /**
   * Whether an edit waited past a newer state of what it shows: its own edit is sent, or was, and this one must
   * not put the older state back over it (Telegram refused it, a restart, another instance took the next one).
   */
  async function overtaken(n: MessageEdit): Promise<boolean> {
    if (n.externalId === undefined || deps.store === undefined) return false;
    const payment = await deps.store.payments.get(n.externalId);
    if (payment === undefined) return false;
    // A payment paid more than once (a multi-use VA, an Alfamart code paid twice) has its message edited at each payment.
    if (n.type === "mark-paid") return paidSoFar(payment).count > (n.reusable?.count ?? n.repeated?.count ?? 1);
    // A transfer whose result a newer one overturned (a reversal, and perhaps back: the status alone may agree).
    return payment.resultEventId !== n.resultEventId;
  }

  /**
   * The message the bot showed before, edited to what became of it: a payment's QR (a photo, its caption; or
   * text, when Telegram refused the photo) to PAID, a transfer's "being processed" text to its result.
   */
  async function editOriginal(n: MessageEdit): Promise<"edited" | "edit_skipped"> {
    if (await overtaken(n)) return "edit_skipped";
    const text = inSandbox(n.locale, n.type === "mark-paid" ? renderPaidCaption(deps.i18n, n, now()) : renderTransferMessage(deps.i18n, n));
    // Without reply_markup the edit also removes the message's buttons (e.g. "simulate payment", the sandbox's bank).
    const buttons = n.type === "mark-paid" ? deps.paidMessageButtons?.(n) : undefined;
    const markup = buttons === undefined ? {} : { reply_markup: buttons };
    try {
      if (n.type === "mark-paid") {
        try {
          await bounded((signal) => deps.api.editMessageCaption(n.chatId, n.messageId, { caption: text, parse_mode: "HTML", ...markup }, signal));
          return "edited";
        } catch (error) {
          if (!isNoCaptionFailure(error)) throw error;
        }
      }
      await bounded((signal) => deps.api.editMessageText(n.chatId, n.messageId, text, { parse_mode: "HTML", ...markup }, signal));
      return "edited";
    } catch (error) {
      if (isSettledEditFailure(error)) return "edit_skipped";
      throw error;
    }
  }

  async function handleFailure(entries: readonly Entry[], chatId: number, error: unknown, previousAttempts: number): Promise<void> {
    const ids = entries.map((e) => e.item.id);
    const failure = classifySendFailure(error);
    const at = nowMs();
    // A topic refusal here came from the group's main chat (General closed) or a chat without a topic linked: for good.
    if (failure.kind === "permanent" || failure.kind === "migrated" || failure.kind === "topic-unavailable") {
      emit("failed", { reason: "permanent" });
      logger.error({ chatId, items: ids.length, itemIds: ids, reason: failure.description }, "Telegram refused a notification; not retrying");
      // Forwarded first: if we stop in between, the refused items come back and are forwarded again (a no-op).
      await forwardToOwners(entries, chatId);
      await markDelivered(ids);
      emit("gave_up", { reason: "permanent" });
      return;
    }
    let delayMs: number;
    if (failure.kind === "rate-limited") {
      delayMs = failure.retryAfterMs;
      scheduler.pause(chatId, at + delayMs);
      // The other instances too; without the store's answer, each learns it from a 429 of its own, as before.
      await sharedLimit?.pause(chatId, at + delayMs).catch((err: unknown) => logger.warn({ err, chatId }, "could not share Telegram's pause with the other instances"));
      emit("rate_limited", { chatId });
      emit("failed", { reason: "rate_limited" });
    } else {
      // The outbox counts attempts durably, so the backoff keeps growing across restarts too.
      const attempt = previousAttempts + 1;
      delayMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
      scheduler.pause(chatId, at + delayMs);
      emit("failed", { reason: failure.kind === "bot-refused" ? "bot_refused" : "transient" });
    }
    if (failure.kind === "bot-refused") {
      logger.error(
        { chatId, items: ids.length, reason: failure.description, retryInMs: delayMs },
        "Telegram refuses the bot itself (check BOT_TOKEN and TELEGRAM_API_ROOT); notifications are kept and retried",
      );
    } else {
      logger.warn({ chatId, items: ids.length, reason: failure.description, retryInMs: delayMs }, "notification not sent; will retry");
    }
    for (const id of ids) {
      try {
        await deps.outbox.release(id, workerId, { notBefore: new Date(at + delayMs), error: failure.description });
      } catch (releaseError) {
        // The lease runs out on its own and the item comes back then.
        logger.error({ err: releaseError, itemId: id }, "could not release a failed notification");
      }
    }
    emit("retried", { count: ids.length });
  }

  return {
    start() {
      if (running) return;
      running = true;
      if (shutdownCut.signal.aborted) shutdownCut = new AbortController();
      schedule(0);
    },
    async stop(graceMs = Infinity) {
      running = false;
      if (marking !== undefined) clearTimeout(marking);
      marking = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      timerDueAt = Infinity;
      const settled = (async () => {
        if (ticking !== undefined) await ticking;
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
      })();
      if (Number.isFinite(graceMs) && (await outcomeWithin(settled, graceMs)) === "late") {
        // Cut rather than left running: a send that outlived the store could not record its outcome at all.
        logger.warn({ sends: inflight.size }, "notifications still unanswered at shutdown: cut, they will be sent again");
        shutdownCut.abort(new Error("the notifier is stopping"));
      }
      await settled;
    },
    wake() {
      schedule(0);
    },
  };
}

/**
 * The language most of a digest's payments are told in. A group's are told in the shop's language, but one
 * made in the group by a cashier who uses English carries theirs: it must not turn the group's digest English.
 */
/** A payment into the shop's account under a reference the bot never made (not a transfer, not a mismatch). */
function isUnknownIncoming(n: Notification): n is UnknownPayment {
  return n.type === "unknown-payment" && n.belongsTo === undefined && n.method.kind !== "disbursement";
}

function digestLocale(notifications: ReadonlyArray<{ locale: string }>): string {
  const counts = new Map<string, number>();
  for (const n of notifications) counts.set(n.locale, (counts.get(n.locale) ?? 0) + 1);
  let best = DEFAULT_LOCALE as string;
  for (const [locale, count] of counts) if (count > (counts.get(best) ?? 0)) best = locale;
  return best;
}
