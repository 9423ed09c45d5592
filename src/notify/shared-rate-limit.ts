import type { AtomicOps } from "../store/types.js";
import { DEFAULT_SEND_LIMITS, isGroupChat, type Lane, type SendLimits } from "./send-scheduler.js";

/**
 * Telegram's flood limits counted in the shared store, so that several instances on one Redis stay inside
 * them together: each notifier's own pacing (send-scheduler.ts) only sees its own sends.
 *
 * Built on `atomic.incrementWithin` (one Lua script on Redis, never read-then-write):
 * - one message a second per chat: a counter of at most 1 whose expiry is set when it is created. That is
 *   a sliding window, exact for a limit of one.
 * - twenty a minute per group and thirty a second overall: fixed windows alone would let 20 go out at the
 *   end of one minute and 20 more at the start of the next (Telegram answers 429 to that), so each limit is
 *   counted in short fixed slots, and a send is allowed only while the current slot stays within the limit
 *   minus everything sent in the slots that the last minute (plus a margin) touches. Closed slots no longer
 *   change, so reading them and then incrementing the current one with that bound is atomic enough: the one
 *   gap is a send whose increment lands in a slot just after it closed (milliseconds), or clocks that
 *   disagree by more than the margin.
 *
 * The margins cover the time between asking here and Telegram counting the message (Telegram counts when
 * it handles the call); the notifier's own pacing spaces from Telegram's answer instead.
 */

export interface SharedLimitMargins {
  /** Added to the per-chat interval. Default 200 ms. */
  perChatMs: number;
  /** Added to the group's minute. Default 1,000 ms. */
  perGroupMs: number;
  /** Added to the global second. Default 100 ms. */
  globalMs: number;
}

export interface SharedRateLimitOptions {
  atomic: Pick<AtomicOps, "get" | "incrementWithin" | "setIfAbsent" | "delete">;
  limits?: Partial<SendLimits> | undefined;
  margins?: Partial<SharedLimitMargins> | undefined;
  /** Telegram's windows: a minute per group, a second overall. Shorter ones only make tests quick. */
  groupWindowMs?: number | undefined;
  globalWindowMs?: number | undefined;
  /** Slot length of the group window. Default a twelfth of it (5 s of a minute). */
  groupSlotMs?: number | undefined;
  /** Slot length of the global window. Default a tenth of it (100 ms). */
  globalSlotMs?: number | undefined;
  /** Key prefix inside the store's atomic namespace. Default "ratelimit". */
  prefix?: string | undefined;
  now?: (() => number) | undefined;
}

export type SendPermit = {
  granted: true;
  /** How many more messages the group may get right now besides this one (Infinity for private chats and edits). */
  groupRemaining: number;
  /** The send did not happen after all (e.g. another instance claimed the item): gives back the group and global slots. */
  refund(): Promise<void>;
};

export type SendRefusal = {
  granted: false;
  /** Which limit said no; "paused": Telegram answered 429 for the chat, to this instance or another. */
  limit: "per-chat" | "per-group" | "global" | "paused";
  /** When to ask again (epoch ms). */
  retryAtMs: number;
};

export interface SharedRateLimit {
  /** Asks for one send to `chatId` on `lane` now; a granted permit is already counted. */
  acquire(chatId: number, lane: Lane): Promise<SendPermit | SendRefusal>;
  /**
   * Telegram said 429 for this chat: nothing to it, from any instance, until `untilMs` (epoch ms). The
   * other instances' counts did not see it coming (Telegram's own count differs from ours), and each one
   * that kept sending into the chat met a 429 of its own.
   */
  pause(chatId: number, untilMs: number): Promise<void>;
}

interface SlottedRule {
  name: "per-group" | "global";
  limit: number;
  slotMs: number;
  /** How many closed slots a span of the window plus its margin can touch, besides the current one. */
  previousSlots: number;
  ttlMs: number;
}

function slottedRule(name: SlottedRule["name"], limit: number, windowMs: number, marginMs: number, slotMs: number): SlottedRule {
  if (!(slotMs > 0) || !(windowMs > 0)) throw new Error("rate limit windows and slots must be positive");
  // A span of length L touches at most ceil(L / slot) + 1 slots: the current one and ceil(L / slot) before it.
  const previousSlots = Math.ceil((windowMs + marginMs) / slotMs);
  return { name, limit, slotMs, previousSlots, ttlMs: (previousSlots + 2) * slotMs };
}

export function createSharedRateLimit(options: SharedRateLimitOptions): SharedRateLimit {
  const limits: SendLimits = { ...DEFAULT_SEND_LIMITS, ...options.limits };
  const margins: SharedLimitMargins = { perChatMs: 200, perGroupMs: 1_000, globalMs: 100, ...options.margins };
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? "ratelimit";
  const { atomic } = options;
  const chatWindowMs = limits.perChatIntervalMs + margins.perChatMs;
  const groupWindowMs = options.groupWindowMs ?? 60_000;
  const globalWindowMs = options.globalWindowMs ?? 1_000;
  const group = slottedRule("per-group", limits.perGroupPerMinute, groupWindowMs, margins.perGroupMs, options.groupSlotMs ?? groupWindowMs / 12);
  const global = slottedRule("global", limits.globalPerSecond, globalWindowMs, margins.globalMs, options.globalSlotMs ?? globalWindowMs / 10);

  type Taken = { key: string; limit: number; ttlMs: number };
  type SlotAnswer = { ok: true; taken: Taken; remaining: number } | { ok: false; retryAtMs: number };

  /** Counts one send in the rule's current slot if the last window (with margin) still has room. */
  async function takeSlot(rule: SlottedRule, base: string, at: number): Promise<SlotAnswer> {
    const current = Math.floor(at / rule.slotMs);
    const keyOf = (slot: number) => `${base}:${slot}`;
    const indices = Array.from({ length: rule.previousSlots + 1 }, (_, i) => current - rule.previousSlots + i);
    const counts = (await Promise.all(indices.map((slot) => atomic.get(keyOf(slot))))).map((v) => Math.max(0, Number(v ?? 0) || 0));
    const before = counts.slice(0, -1).reduce((sum, c) => sum + c, 0);
    const allowed = rule.limit - before;
    if (allowed > 0) {
      const value = await atomic.incrementWithin(keyOf(current), 1, allowed, rule.ttlMs);
      if (value !== null) return { ok: true, taken: { key: keyOf(current), limit: rule.limit, ttlMs: rule.ttlMs }, remaining: allowed - value };
    }
    // Room comes back as old slots leave the window; future slots are empty as far as we know.
    for (let ahead = 1; ahead <= rule.previousSlots + 1; ahead++) {
      const inWindow = counts.slice(ahead).reduce((sum, c) => sum + c, 0);
      if (inWindow + 1 <= rule.limit) return { ok: false, retryAtMs: (current + ahead) * rule.slotMs };
    }
    return { ok: false, retryAtMs: (current + rule.previousSlots + 1) * rule.slotMs };
  }

  async function giveBack(taken: readonly Taken[]) {
    // A slot's key outlives its window, but a refund that comes later still (a slow claim) would create it
    // afresh: with the slot's TTL, that -1 goes away like the slot would have, instead of staying for good.
    await Promise.all(taken.map((t) => atomic.incrementWithin(t.key, -1, t.limit, t.ttlMs).catch(() => null)));
  }

  const pauseKey = (chatId: number) => `${prefix}:paused:${chatId}`;

  return {
    async acquire(chatId, lane) {
      const at = now();
      const pausedUntil = Number((await atomic.get(pauseKey(chatId))) ?? 0) || 0;
      if (pausedUntil > at) return { granted: false, limit: "paused", retryAtMs: pausedUntil };
      // The scarcest limit first: a refusal later on wastes what was taken before it (the per-chat second
      // is not given back: a decrement after its expiry would open a second send in the next window).
      const chatKey = `${prefix}:chat:${lane}:${chatId}`;
      if ((await atomic.incrementWithin(chatKey, 1, 1, chatWindowMs)) === null) {
        return { granted: false, limit: "per-chat", retryAtMs: at + Math.max(50, Math.ceil(chatWindowMs / 5)) };
      }
      const taken: Taken[] = [];
      let groupRemaining = Infinity;
      if (lane === "message" && isGroupChat(chatId)) {
        const answer = await takeSlot(group, `${prefix}:group:${chatId}`, at);
        if (!answer.ok) return { granted: false, limit: "per-group", retryAtMs: answer.retryAtMs };
        taken.push(answer.taken);
        groupRemaining = answer.remaining;
      }
      const answer = await takeSlot(global, `${prefix}:global`, at);
      if (!answer.ok) {
        await giveBack(taken);
        return { granted: false, limit: "global", retryAtMs: answer.retryAtMs };
      }
      taken.push(answer.taken);
      let refunded = false;
      return {
        granted: true,
        groupRemaining,
        async refund() {
          if (refunded) return;
          refunded = true;
          await giveBack(taken);
        },
      };
    },
    async pause(chatId, untilMs) {
      const key = pauseKey(chatId);
      // A later end replaces an earlier one; two 429s racing to write keep one of theirs, both about as long.
      for (let tries = 0; tries < 2; tries++) {
        const ttlMs = untilMs - now();
        if (ttlMs <= 0) return;
        if (await atomic.setIfAbsent(key, String(untilMs), ttlMs)) return;
        const current = Number((await atomic.get(key)) ?? 0) || 0;
        if (current >= untilMs) return;
        await atomic.delete(key);
      }
    },
  };
}
