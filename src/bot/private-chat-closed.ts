import { GrammyError } from "grammy";

/**
 * Why Telegram refused a private message: the person never opened a private chat with the bot (a bot may
 * not write first: 400 "chat not found"), or they blocked it / cannot be written to (403).
 */
export type PrivateChatClosed = "never-started" | "blocked";

/** The reason a private message was refused, or undefined when the failure is something else (thrown on). */
export function privateChatClosed(error: unknown): PrivateChatClosed | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 403) return "blocked";
  if (error.error_code === 400 && /chat not found/i.test(error.description)) return "never-started";
  return undefined;
}
