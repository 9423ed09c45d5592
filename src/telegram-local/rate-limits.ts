/**
 * Telegram's flood limits, emulated with sliding windows so that a notifier which ignores them meets the
 * 429 it would meet in production. Telegram does not publish exact numbers; these defaults are the ones its
 * FAQ gives (about 1 message a second per chat, 20 a minute per group, 30 a second overall).
 */

export type Window = { limit: number; windowMs: number };
export type RateLimitRules = { perChat: Window; perGroup: Window; overall: Window };

export const TELEGRAM_RATE_LIMITS: RateLimitRules = {
  perChat: { limit: 1, windowMs: 1_000 },
  perGroup: { limit: 20, windowMs: 60_000 },
  overall: { limit: 30, windowMs: 1_000 },
};

export type RateLimiter = {
  /** Whole seconds to wait (Telegram's retry_after), or 0 when a message may go now. */
  retryAfter(chatId: number, isGroup: boolean): number;
  recordSent(chatId: number, isGroup: boolean): void;
};

export function createRateLimiter(rules: RateLimitRules, now: () => Date): RateLimiter {
  const perChat = new Map<number, number[]>();
  const perGroup = new Map<number, number[]>();
  const overall: number[] = [];

  const waitMs = (sent: number[], window: Window, at: number): number => {
    while (sent.length > 0 && sent[0]! <= at - window.windowMs) sent.shift();
    return sent.length < window.limit ? 0 : sent[0]! + window.windowMs - at;
  };
  const list = (map: Map<number, number[]>, chatId: number) => {
    let sent = map.get(chatId);
    if (!sent) map.set(chatId, (sent = []));
    return sent;
  };

  return {
    retryAfter(chatId, isGroup) {
      const at = now().getTime();
      const ms = Math.max(
        waitMs(list(perChat, chatId), rules.perChat, at),
        isGroup ? waitMs(list(perGroup, chatId), rules.perGroup, at) : 0,
        waitMs(overall, rules.overall, at),
      );
      return ms <= 0 ? 0 : Math.max(1, Math.ceil(ms / 1000));
    },
    recordSent(chatId, isGroup) {
      const at = now().getTime();
      list(perChat, chatId).push(at);
      if (isGroup) list(perGroup, chatId).push(at);
      overall.push(at);
    },
  };
}
