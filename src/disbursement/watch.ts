import { randomUUID } from "node:crypto";
import { outcomeWithin } from "../deadline.js";
import type { Logger } from "../logger.js";
import type { QueueEntry, Store } from "../store/types.js";
import { SEND_ENTRY_REMEMBERED_MS, SENDS_QUEUE, settleOverdueSend, type DisbursementDraft, type WatchedSend } from "./desk.js";

/**
 * The watch over disbursement sends (see the desk's comment on timers). Every instance runs one: a timer
 * whose bound has passed is claimed with a lease by whichever instance looks first, so a send cut off on
 * one instance (or before a restart) is concluded by another (or after it). The owner is told before the
 * timer is completed; a watch stopped in between leaves the timer to the next one, which tells again
 * (an edit that changes nothing, at worst a second message) rather than never.
 */

export interface SendWatchOptions {
  store: Store;
  logger: Logger;
  /** Tells the owner the attempt is uncertain, with the retry button; `messageId` is the pressed message's. Throws if nobody was told. */
  tell(draft: DisbursementDraft, messageId: number | undefined): Promise<void>;
  /** The desk's clock (due times are written by it). Default: the store's. */
  now?: (() => Date) | undefined;
  /** How often to look. Default 5 s: a cut-off send is concluded within its bound plus this. */
  intervalMs?: number | undefined;
  /** How long a claimed timer stays this watch's while it tells the owner. Default 60 s. */
  leaseMs?: number | undefined;
}

export interface SendWatch {
  start(): void;
  /** Stops looking; waits a little for a look in progress (its lease brings the timer back otherwise). */
  stop(): Promise<void>;
  /** One look (tests, and each tick): returns how many timers it concluded. */
  runOnce(): Promise<number>;
}

const PAGE = 100;
/** Telling failed (Telegram unreachable, the owner blocked the bot): again later, then give up loudly. */
const MAX_TELL_ATTEMPTS = 10;
const retryDelayMs = (attempts: number) => Math.min(5 * 60_000, 5_000 * 2 ** attempts);
const STOP_GRACE_MS = 2_000;

function readBody(entry: QueueEntry): WatchedSend | undefined {
  try {
    const body = JSON.parse(entry.body) as Partial<WatchedSend>;
    if (typeof body.draftId === "string" && typeof body.externalId === "string" && Number.isSafeInteger(body.attempt) && Number.isFinite(body.dueAtMs)) {
      return body as WatchedSend;
    }
  } catch {
    // fall through: an unreadable timer is dropped below
  }
  return undefined;
}

export function createSendWatch(options: SendWatchOptions): SendWatch {
  const { store, logger } = options;
  const now = options.now ?? (() => store.now());
  const intervalMs = options.intervalMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const workerId = `send-watch-${randomUUID()}`;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let current: Promise<unknown> = Promise.resolve();

  async function due(): Promise<{ entry: QueueEntry; send: WatchedSend | undefined }[]> {
    const nowMs = now().getTime();
    const found: { entry: QueueEntry; send: WatchedSend | undefined }[] = [];
    for (let page = 0; ; page++) {
      // Leases are kept by the store's clock; due times by the desk's.
      const entries = await store.queues.pending(SENDS_QUEUE, { limit: PAGE, readyAtMs: store.now().getTime(), skip: page * PAGE });
      for (const entry of entries) {
        const send = readBody(entry);
        if (send === undefined || send.dueAtMs <= nowMs) found.push({ entry, send });
      }
      if (entries.length < PAGE) return found;
    }
  }

  async function conclude(entry: QueueEntry, send: WatchedSend | undefined): Promise<boolean> {
    // Free only if nobody holds it: a live send holds its own timer until the bound. One owner per claim, so
    // two looks of this same watch cannot both take it.
    const owner = `${workerId}:${randomUUID()}`;
    if (!(await store.queues.claim(SENDS_QUEUE, entry.id, owner, leaseMs))) return false;
    try {
      if (send === undefined) {
        logger.error({ entryId: entry.id }, "unreadable disbursement send timer dropped");
      } else {
        const draft = await settleOverdueSend(store, send, now());
        if (draft !== undefined) {
          logger.warn({ externalId: send.externalId, attempt: send.attempt }, "a disbursement send was cut off; the owner is told it is uncertain");
          await options.tell(draft, send.messageId);
        }
      }
      await store.queues.complete(SENDS_QUEUE, entry.id, SEND_ENTRY_REMEMBERED_MS);
      return true;
    } catch (error) {
      if (entry.attempts + 1 >= MAX_TELL_ATTEMPTS) {
        logger.error({ err: error, entryId: entry.id }, "could not conclude a cut-off disbursement send; giving up on telling");
        await store.queues.complete(SENDS_QUEUE, entry.id, SEND_ENTRY_REMEMBERED_MS);
        return false;
      }
      logger.warn({ err: error, entryId: entry.id }, "could not conclude a cut-off disbursement send; trying again later");
      await store.queues.release(SENDS_QUEUE, entry.id, owner, {
        notBeforeMs: store.now().getTime() + retryDelayMs(entry.attempts),
        error: String(error instanceof Error ? error.message : error).slice(0, 1_000),
      });
      return false;
    }
  }

  async function runOnce(): Promise<number> {
    let concluded = 0;
    for (const { entry, send } of await due()) {
      if (await conclude(entry, send)) concluded++;
    }
    return concluded;
  }

  const tick = () => {
    current = runOnce()
      .catch((error: unknown) => logger.error({ err: error }, "disbursement send watch failed"))
      .finally(() => {
        if (running) timer = setTimeout(tick, intervalMs);
      });
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await outcomeWithin(current, STOP_GRACE_MS);
    },
    runOnce,
  };
}
