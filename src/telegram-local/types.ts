import type { Message, ReplyKeyboardMarkup, Update } from "grammy/types";
import type { RateLimitRules } from "./rate-limits.js";

/** The local Bot API's public vocabulary, shared by the server, the terminal chat and the tests. */

/** A human (or another bot) as the tests and the terminal chat describe them. */
export type TelegramUser = {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_bot?: boolean;
};

export type ChatRef = {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** A supergroup with topics turned on (Telegram's "forum"): messages go to a topic, or to General. */
  isForum?: boolean;
};

export type MemberStatus = "creator" | "administrator" | "member" | "left" | "kicked";

/** A file that arrived in a multipart upload, bytes kept. `field` is the API parameter it was sent for. */
export type UploadedFile = { field: string; filename: string; mimeType: string; data: Buffer };

export type BotApiError = {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};
export type BotApiResponse = { ok: true; result: unknown; description?: string } | BotApiError;

export type RecordedCall = {
  /** Position in `calls`, from 0. */
  seq: number;
  method: string;
  /** The parameters as an object; an uploaded file appears here as an UploadedFile in place of attach://. */
  payload: Record<string, unknown>;
  files: UploadedFile[];
  at: Date;
  response: BotApiResponse;
  /** "webhook-reply" when the bot answered a webhook delivery with a method call in the response body. */
  via: "http" | "webhook-reply";
};

export type Fault =
  | { error_code: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }
  /** The connection is cut with no answer; with afterExecuting the call took effect first (a lost reply). */
  | { dropConnection: true; afterExecuting?: boolean }
  /** The call takes effect at once, but its answer reaches the bot only after this long (a slow Telegram). */
  | { answerAfterMs: number }
  /** Answered 200 with this body, which is no Bot API answer (no "ok": a broken proxy); the call does not run. */
  | { answerInstead: Record<string, unknown> };

export type StoredFile = {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  filename: string;
  mimeType: string;
  /** Absent when the bot sent an HTTP URL: this server is offline and does not fetch it. */
  data?: Buffer;
  url?: string;
};

/** What a human in the chat would see change. The terminal chat draws these. */
export type ChatActivity =
  | { kind: "sent"; chatId: number; message: Message; replyKeyboard?: ReplyKeyboardMarkup; removeKeyboard?: true }
  | { kind: "edited"; chatId: number; message: Message }
  | { kind: "deleted"; chatId: number; messageId: number }
  | { kind: "callback-answered"; chatId?: number; messageId?: number; text?: string; showAlert: boolean; url?: string }
  | { kind: "chat-action"; chatId: number; action: string };

export type LocalBotApiEvents = { call: RecordedCall; update: Update; activity: ChatActivity };

export type LocalBotApiLogger = Partial<
  Record<"debug" | "info" | "warn" | "error", (details: Record<string, unknown>, message?: string) => void>
>;

export type LocalBotApiOptions = {
  /** Defaults to a random well-formed token. */
  botToken?: string;
  botUsername?: string;
  botName?: string;
  now?: () => Date;
  logger?: LocalBotApiLogger;
  /** Answer 429 like Telegram's flood control. `true` uses Telegram's published rules of thumb. */
  enforceRateLimits?: boolean | Partial<RateLimitRules>;
  /**
   * Telegram's default "privacy mode": in groups a bot only receives commands, replies to its own messages
   * and mentions, unless it is an administrator. Default true, as for a new bot from @BotFather.
   */
  groupPrivacy?: boolean;
  /** Delay before redelivering an update the webhook did not answer with 2xx. Default 200 ms. */
  webhookRetryDelayMs?: number;
};

export type WaitOptions = {
  timeoutMs?: number;
  /** Only calls with seq >= since. Defaults to the calls recorded since the most recent injected update. */
  since?: number;
  description?: string;
};


/** A method call that Telegram would refuse; turned into `{ ok: false, error_code, description }` at the edge. */
export class BotApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: BotApiError["parameters"],
  ) {
    super(description);
  }
}
export const badRequest = (reason: string) => new BotApiFailure(400, `Bad Request: ${reason}`);
export const forbidden = (reason: string) => new BotApiFailure(403, `Forbidden: ${reason}`);
