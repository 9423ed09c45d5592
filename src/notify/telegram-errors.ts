import { GrammyError } from "grammy";
import { hideBotTokens } from "../logger.js";

/** What the notifier does about a failed Bot API call. */
export type SendFailure =
  /** 429: Telegram says when to come back. */
  | { kind: "rate-limited"; retryAfterMs: number; description: string }
  /** 5xx, timeouts, connection trouble: try again later with backoff. */
  | { kind: "transient"; description: string }
  /** A group became a supergroup: the same message belongs in the new chat. */
  | { kind: "migrated"; toChatId: number; description: string }
  /**
   * A message to a topic of a group with topics that Telegram refuses for the topic alone: it is closed, or
   * `gone` (deleted, or topics turned off). The group's main chat still takes messages.
   */
  | { kind: "topic-unavailable"; gone: boolean; description: string }
  /**
   * Telegram refuses the bot itself (401: the token was revoked; 404: a wrong token or TELEGRAM_API_ROOT):
   * every call fails alike until the operator fixes it, and then every notification must still go out.
   */
  | { kind: "bot-refused"; description: string }
  /** Any other 4xx (bot blocked or removed, chat gone, bad request): retrying cannot help. */
  | { kind: "permanent"; description: string };

/** Telegram's words for a topic that no longer takes messages for good (deleted, or the group's topics turned off). */
const TOPIC_GONE = /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i;

export function classifySendFailure(error: unknown): SendFailure {
  // An answer without Telegram's own error code (a 200 without "ok", from a broken proxy on the way) is not
  // Telegram's word on the message: it may not have gone out, and it is retried like a 5xx.
  if (error instanceof GrammyError && !(error.error_code >= 400)) {
    return { kind: "transient", description: `not a Bot API answer: ${hideBotTokens(String(error.description)).slice(0, 200)}` };
  }
  if (error instanceof GrammyError) {
    const description = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) return { kind: "rate-limited", retryAfterMs: Math.max(1, error.parameters.retry_after ?? 1) * 1000, description };
    if (error.error_code >= 500) return { kind: "transient", description };
    if (error.error_code === 401 || error.error_code === 404) return { kind: "bot-refused", description };
    if (error.parameters.migrate_to_chat_id !== undefined) return { kind: "migrated", toChatId: error.parameters.migrate_to_chat_id, description };
    if (error.error_code === 400 && TOPIC_GONE.test(error.description)) return { kind: "topic-unavailable", gone: true, description };
    if (error.error_code === 400 && /TOPIC_CLOSED/i.test(error.description)) return { kind: "topic-unavailable", gone: false, description };
    return { kind: "permanent", description };
  }
  // HttpError (network, abort on our timeout) and anything unexpected: the message may or may not have
  // gone out, but a lost "paid" message is worse than a rare repeat, so it is retried.
  return { kind: "transient", description: error instanceof Error ? hideBotTokens(error.message).slice(0, 200) : "unknown error" };
}

/**
 * Edits that have nothing left to do: the caption already says PAID (a retry after a lost answer), or the
 * message was deleted or is too old to edit. The payment is still announced by the notifications.
 */
export function isSettledEditFailure(error: unknown): boolean {
  if (!(error instanceof GrammyError) || error.error_code !== 400) return false;
  // A message in a group that has since become a supergroup stays in the old group's history, out of reach.
  if (error.parameters.migrate_to_chat_id !== undefined) return true;
  return /message is not modified|message to edit not found|message can't be edited|MESSAGE_ID_INVALID|message not found/i.test(error.description);
}

/** The original message was a text message, not a photo: the caption edit must become a text edit. */
export function isNoCaptionFailure(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /no caption|there is no caption/i.test(error.description);
}
