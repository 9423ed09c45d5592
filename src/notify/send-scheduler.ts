/**
 * Telegram's (unofficial) flood limits, kept on our side so a busy shop rarely sees a 429 at all:
 * about one message a second per chat, twenty a minute per group, thirty a second overall. Retrying
 * after 429s alone would work, but a group then falls minutes behind; planning lets the notifier see
 * a backlog coming and send a digest instead.
 *
 * Edits of the original payment message run in their own lane per chat: they post nothing new, so they
 * do not spend a group's twenty messages a minute, but they keep the same spacing and the global budget.
 */

export interface SendLimits {
  perChatIntervalMs: number;
  perGroupPerMinute: number;
  globalPerSecond: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { perChatIntervalMs: 1000, perGroupPerMinute: 20, globalPerSecond: 30 };

export type Lane = "message" | "edit";

/** Telegram's group and channel ids are negative; private chats are the user's positive id. */
export function isGroupChat(chatId: number): boolean {
  return chatId < 0;
}

export interface SendSlot {
  chatId: number;
  lane: Lane;
  at: number;
}

export interface SendScheduler {
  /** The earliest time (ms since epoch) a call on this chat and lane may go out. */
  readyAt(chatId: number, lane: Lane): number;
  /** Spends one slot now: call right before sending. Returns the slot for `settle`. */
  take(chatId: number, lane: Lane): SendSlot;
  /**
   * Moves the slot to now, when Telegram has answered. Telegram counts a message when it handles it, not
   * when we sent it; spacing from the answer keeps a slow reply followed by a fast one inside the limits.
   */
  settle(slot: SendSlot): void;
  /** Telegram said 429: nothing to this chat until then. */
  pause(chatId: number, untilMs: number): void;
  /** Nothing on this chat's lane until then (the limit shared by all instances said "not yet"). */
  defer(chatId: number, lane: Lane, untilMs: number): void;
  /** How many messages this chat may still send within `horizonMs` from now (for digest planning). */
  capacityWithin(chatId: number, horizonMs: number): number;
}

export function createSendScheduler(limits: SendLimits, now: () => number): SendScheduler {
  const lastSent = new Map<string, number>();
  const groupWindows = new Map<number, number[]>();
  const pausedUntil = new Map<number, number>();
  const deferredUntil = new Map<string, number>();
  let globalWindow: number[] = [];

  const laneKey = (chatId: number, lane: Lane) => `${lane}:${chatId}`;
  const prune = (times: number[], windowMs: number, at: number) => {
    let i = 0;
    while (i < times.length && (times[i] ?? 0) <= at - windowMs) i++;
    if (i > 0) times.splice(0, i);
    return times;
  };

  return {
    readyAt(chatId, lane) {
      const at = now();
      let ready = Math.max(at, pausedUntil.get(chatId) ?? 0, deferredUntil.get(laneKey(chatId, lane)) ?? 0);
      const last = lastSent.get(laneKey(chatId, lane));
      if (last !== undefined) ready = Math.max(ready, last + limits.perChatIntervalMs);
      if (lane === "message" && isGroupChat(chatId)) {
        const window = prune(groupWindows.get(chatId) ?? [], 60_000, at);
        if (window.length >= limits.perGroupPerMinute) ready = Math.max(ready, (window[window.length - limits.perGroupPerMinute] ?? at) + 60_000);
      }
      globalWindow = prune(globalWindow, 1000, at);
      if (globalWindow.length >= limits.globalPerSecond) {
        ready = Math.max(ready, (globalWindow[globalWindow.length - limits.globalPerSecond] ?? at) + 1000);
      }
      return ready;
    },
    take(chatId, lane) {
      const at = now();
      lastSent.set(laneKey(chatId, lane), at);
      globalWindow.push(at);
      if (lane === "message" && isGroupChat(chatId)) {
        const window = groupWindows.get(chatId) ?? [];
        window.push(at);
        groupWindows.set(chatId, window);
      }
      return { chatId, lane, at };
    },
    settle(slot) {
      const at = now();
      const key = laneKey(slot.chatId, slot.lane);
      if ((lastSent.get(key) ?? 0) < at) lastSent.set(key, at);
      const move = (times: number[] | undefined) => {
        if (times === undefined) return;
        const i = times.indexOf(slot.at);
        if (i < 0) return;
        times[i] = at;
        times.sort((a, b) => a - b);
      };
      move(globalWindow);
      if (slot.lane === "message" && isGroupChat(slot.chatId)) move(groupWindows.get(slot.chatId));
    },
    pause(chatId, untilMs) {
      pausedUntil.set(chatId, Math.max(untilMs, pausedUntil.get(chatId) ?? 0));
    },
    defer(chatId, lane, untilMs) {
      const key = laneKey(chatId, lane);
      if (untilMs > (deferredUntil.get(key) ?? 0)) deferredUntil.set(key, untilMs);
    },
    capacityWithin(chatId, horizonMs) {
      const at = now();
      const start = Math.max(at, pausedUntil.get(chatId) ?? 0, deferredUntil.get(laneKey(chatId, "message")) ?? 0);
      if (start >= at + horizonMs) return 0;
      const last = lastSent.get(laneKey(chatId, "message"));
      const first = last === undefined ? start : Math.max(start, last + limits.perChatIntervalMs);
      if (first > at + horizonMs) return 0;
      let capacity = 1 + Math.floor((at + horizonMs - first) / limits.perChatIntervalMs);
      if (isGroupChat(chatId)) {
        const used = prune(groupWindows.get(chatId) ?? [], 60_000, at).length;
        capacity = Math.min(capacity, Math.max(0, limits.perGroupPerMinute - used));
      }
      return capacity;
    },
  };
}
