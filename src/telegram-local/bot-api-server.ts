import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatMember,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { EntityParseError, parseTelegramHtml } from "./html-entities.js";
import { createBotApiHttpServer } from "./http-server.js";
import { intParam } from "./request-params.js";
import {
  badRequest,
  BotApiFailure,
  forbidden,
  type BotApiError,
  type BotApiResponse,
  type ChatRef,
  type Fault,
  type LocalBotApiEvents,
  type LocalBotApiOptions,
  type MemberStatus,
  type RecordedCall,
  type StoredFile,
  type TelegramUser,
  type UploadedFile,
  type WaitOptions,
} from "./types.js";
import { createUpdateQueue } from "./update-queue.js";
import { createRateLimiter, TELEGRAM_RATE_LIMITS, type RateLimiter } from "./rate-limits.js";

export type {
  BotApiError,
  BotApiResponse,
  ChatActivity,
  ChatRef,
  Fault,
  LocalBotApiEvents,
  LocalBotApiLogger,
  LocalBotApiOptions,
  MemberStatus,
  RecordedCall,
  StoredFile,
  TelegramUser,
  UploadedFile,
  WaitOptions,
} from "./types.js";
export type LocalBotApi = ReturnType<typeof createLocalBotApi>;

/**
 * A local Telegram Bot API server. grammY reaches it through `client.apiRoot` exactly as it reaches
 * api.telegram.org: over HTTP, JSON or multipart. The same server backs the tests (inject updates, assert on
 * the recorded calls) and the offline demo (a terminal chat plays the human). It answers the way Telegram
 * answers, errors included, because a fake that is kinder than Telegram hides the bugs it exists to find.
 */

// ------------------------------------------------------------------------------------------ internal types

type ChatState = {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, { message: Message; fromBot: boolean }>;
  members: Map<number, { user: User; status: MemberStatus }>;
  /** The bot's own standing in the chat; a private chat is "member" once the user has written to the bot. */
  botStatus: MemberStatus;
  replyKeyboard?: ReplyKeyboardMarkup;
  /** A basic group upgraded to a supergroup: every call naming the old id is refused and points here. */
  migratedTo?: number;
  /** A forum's topics by thread id (the id of the message that opened the topic); deleted ones are gone. */
  topics?: Map<number, { name: string; closed: boolean }>;
  /** A forum whose General topic an admin closed: only admins may post there. */
  generalClosed?: boolean;
};

type Params = Record<string, unknown>;

const SENDING_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

// ------------------------------------------------------------------------------------------------- factory

export function createLocalBotApi(options: LocalBotApiOptions = {}) {
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? {};
  const token = options.botToken ?? `${7_000_000_000 + randomBytes(3).readUIntBE(0, 3)}:${randomBytes(26).toString("base64url")}`;
  const botId = Number(token.split(":")[0]);
  if (!Number.isSafeInteger(botId)) throw new Error("botToken must look like <digits>:<secret>");
  const botUser: UserFromGetMe = {
    id: botId,
    is_bot: true,
    first_name: options.botName ?? "Pallabot",
    username: options.botUsername ?? "pallabot_local_bot",
    can_join_groups: true,
    can_read_all_group_messages: options.groupPrivacy === false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;
  const groupPrivacy = options.groupPrivacy ?? true;
  const rateLimiter: RateLimiter | undefined = options.enforceRateLimits
    ? createRateLimiter(
        { ...TELEGRAM_RATE_LIMITS, ...(options.enforceRateLimits === true ? {} : options.enforceRateLimits) },
        now,
      )
    : undefined;

  const unixNow = () => Math.floor(now().getTime() / 1000);

  // ---- state
  const chats = new Map<number, ChatState>();
  const files = new Map<string, StoredFile>();
  const callbackQueries = new Map<string, { chatId: number; messageId: number; answered: boolean }>();
  const commands = new Map<string, BotCommand[]>();
  const calls: RecordedCall[] = [];
  const undelivered: Update[] = [];
  let nextUpdateId = 1;
  let nextFileNumber = 1;
  let nextCallbackNumber = 1;
  let injectedAtCall = 0;
  const faults: Array<{ method: string; remaining: number; fault: Fault }> = [];
  const listeners: { [E in keyof LocalBotApiEvents]: Set<(payload: LocalBotApiEvents[E]) => void> } = {
    call: new Set(),
    update: new Set(),
    activity: new Set(),
  };
  const emit = <E extends keyof LocalBotApiEvents>(event: E, payload: LocalBotApiEvents[E]) => {
    for (const listener of listeners[event]) {
      try {
        listener(payload);
      } catch (error) {
        log.error?.({ event, err: error }, "local Bot API listener failed");
      }
    }
  };

  // ---- chats and members

  function chatShape(ref: ChatRef): Chat {
    if (ref.type === "private") {
      return {
        id: ref.id,
        type: "private",
        first_name: ref.first_name ?? "User",
        ...(ref.last_name ? { last_name: ref.last_name } : {}),
        ...(ref.username ? { username: ref.username } : {}),
      };
    }
    if (ref.type === "group") return { id: ref.id, type: "group", title: ref.title ?? `Group ${ref.id}` };
    return {
      id: ref.id,
      type: "supergroup",
      title: ref.title ?? `Group ${ref.id}`,
      ...(ref.username ? { username: ref.username } : {}),
      ...(ref.isForum ? { is_forum: true as const } : {}),
    };
  }

  function userShape(user: TelegramUser): User {
    return {
      id: user.id,
      is_bot: user.is_bot ?? false,
      first_name: user.first_name,
      ...(user.last_name ? { last_name: user.last_name } : {}),
      ...(user.username ? { username: user.username } : {}),
      ...(user.language_code ? { language_code: user.language_code } : {}),
    };
  }

  function ensureChat(ref: ChatRef): ChatState {
    let state = chats.get(ref.id);
    if (!state) {
      state = {
        chat: chatShape(ref),
        nextMessageId: 1,
        messages: new Map(),
        members: new Map(),
        botStatus: ref.type === "private" ? "left" : "member",
        ...(ref.type === "supergroup" && ref.isForum ? { topics: new Map() } : {}),
      };
      chats.set(ref.id, state);
    }
    return state;
  }

  function rememberMember(state: ChatState, user: TelegramUser, status?: MemberStatus) {
    const known = state.members.get(user.id);
    state.members.set(user.id, { user: userShape(user), status: status ?? known?.status ?? "member" });
  }

  function chatFromParam(value: unknown): ChatState {
    let state: ChatState | undefined;
    if (typeof value === "number") state = chats.get(value);
    else if (typeof value === "string" && /^-?\d+$/.test(value)) state = chats.get(Number(value));
    else if (typeof value === "string" && value.startsWith("@")) {
      const username = value.slice(1).toLowerCase();
      state = [...chats.values()].find((c) => "username" in c.chat && c.chat.username?.toLowerCase() === username);
    } else if (value === undefined) throw badRequest("chat_id is empty");
    if (!state) throw badRequest("chat not found");
    if (state.migratedTo !== undefined) {
      throw new BotApiFailure(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: state.migratedTo });
    }
    return state;
  }

  /** As Telegram: a chat's own command list needs a chat the bot knows (a person who never opened it is none). */
  function scopeChatKnown(p: Params): void {
    const scope = p.scope as { type?: unknown; chat_id?: unknown } | undefined;
    if (scope?.type === "chat" || scope?.type === "chat_administrators" || scope?.type === "chat_member") chatFromParam(scope.chat_id);
  }

  function assertCanPost(state: ChatState) {
    const { chat, botStatus } = state;
    if (chat.type === "private") {
      if (botStatus === "kicked") throw forbidden("bot was blocked by the user");
      if (botStatus === "left") throw forbidden("bot can't initiate conversation with a user");
      return;
    }
    const kind = chat.type === "supergroup" ? "supergroup chat" : "group chat";
    if (botStatus === "kicked") throw forbidden(`bot was kicked from the ${kind}`);
    if (botStatus === "left") throw forbidden(`bot is not a member of the ${kind}`);
  }

  // ---- updates: handed out by long polling or webhook (update-queue.ts)

  const queue = createUpdateQueue({
    now,
    log,
    retryDelayMs: options.webhookRetryDelayMs ?? 200,
    runWebhookReply: (method, payload, signal) => handleCall(method, payload, [], "webhook-reply", signal),
  });

  /** `byHuman` marks the moment `waitFor` looks from by default; a bot's own leaveChat is not such a moment. */
  function inject(body: Omit<Update, "update_id">, deliver = true, byHuman = true): Update {
    const update = { update_id: nextUpdateId++, ...body } as Update;
    if (byHuman) injectedAtCall = calls.length;
    emit("update", update);
    if (deliver) {
      queue.push(update);
    } else {
      undelivered.push(update);
      log.warn?.({ update_id: update.update_id }, "update not delivered: the bot's group privacy mode hides it");
    }
    return update;
  }

  // ---- recording and faults

  function record(method: string, payload: Params, uploaded: UploadedFile[], response: BotApiResponse, via: RecordedCall["via"]) {
    const call: RecordedCall = { seq: calls.length, method, payload, files: uploaded, at: now(), response, via };
    calls.push(call);
    log.debug?.({ method, ok: response.ok }, "local Bot API call");
    emit("call", call);
    return call;
  }

  function takeFault(method: string): Fault | undefined {
    const rule = faults.find(
      (f) => f.remaining > 0 && (f.method === method || (f.method === "*" && method !== "getUpdates")),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) faults.splice(faults.indexOf(rule), 1);
    return rule.fault;
  }

  function faultResponse(fault: Extract<Fault, { error_code: number }>): BotApiError {
    const retryAfter = fault.parameters?.retry_after;
    const description =
      fault.description ??
      (fault.error_code === 429
        ? `Too Many Requests: retry after ${retryAfter ?? 1}`
        : fault.error_code === 502
          ? "Bad Gateway"
          : fault.error_code >= 500
            ? "Internal Server Error"
            : "Bad Request");
    return {
      ok: false,
      error_code: fault.error_code,
      description,
      ...(fault.parameters ? { parameters: fault.parameters } : {}),
    };
  }

  /** Runs one call the way Telegram would and records it. `drop` asks the HTTP layer to cut the connection. */
  async function handleCall(
    requested: string,
    payload: Params,
    uploaded: UploadedFile[],
    via: RecordedCall["via"],
    signal: AbortSignal,
  ): Promise<{ response: BotApiResponse; drop: boolean }> {
    const method = canonicalMethod(requested) ?? requested;
    const fault = takeFault(method);
    if (fault && "dropConnection" in fault) {
      const response = fault.afterExecuting
        ? await execute(method, payload, signal)
        : ({ ok: false, error_code: 0, description: "connection dropped before the call ran" } as const);
      record(method, payload, uploaded, response, via);
      return { response, drop: true };
    }
    if (fault && "answerAfterMs" in fault) {
      const response = await execute(method, payload, signal);
      record(method, payload, uploaded, response, via);
      // A client that gives up meanwhile never learns the call took effect.
      const answered = await sleep(fault.answerAfterMs, true, { signal }).catch(() => false);
      return { response, drop: !answered };
    }
    if (fault && "answerInstead" in fault) {
      const response = fault.answerInstead as unknown as BotApiResponse;
      record(method, payload, uploaded, response, via);
      return { response, drop: false };
    }
    const response = fault ? faultResponse(fault) : await execute(method, payload, signal);
    record(method, payload, uploaded, response, via);
    return { response, drop: false };
  }

  async function execute(method: string, payload: Params, signal: AbortSignal): Promise<BotApiResponse> {
    const handler = (methods as Record<string, ((p: Params, s: AbortSignal) => unknown) | undefined>)[method];
    if (!handler) return { ok: false, error_code: 404, description: "Not Found: method not found" };
    try {
      const result = await handler(payload, signal);
      return method === "setWebhook"
        ? { ok: true, result, description: queue.hasWebhook() ? "Webhook was set" : "Webhook was deleted" }
        : { ok: true, result };
    } catch (error) {
      if (error instanceof BotApiFailure) {
        return {
          ok: false,
          error_code: error.code,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        };
      }
      log.error?.({ method, err: error }, "local Bot API method crashed");
      return { ok: false, error_code: 500, description: "Internal Server Error" };
    }
  }

  // ---- message building

  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  function formattedText(p: Params, textKey: "text" | "caption", entitiesKey: "entities" | "caption_entities") {
    const raw = p[textKey];
    if (raw === undefined || raw === null) return { text: undefined, entities: [] as MessageEntity[] };
    const source = String(raw);
    // Telegram refuses half a character (a lone UTF-16 surrogate), however it came: cut in an emoji, sent so.
    if (LONE_SURROGATE.test(source)) throw badRequest("strings must be encoded in UTF-8");
    const parseMode = typeof p.parse_mode === "string" ? p.parse_mode.toLowerCase() : "";
    if (parseMode === "html") {
      try {
        return parseTelegramHtml(source);
      } catch (error) {
        if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
        throw error;
      }
    }
    // MarkdownV2 is not parsed here: the text is kept as sent, so a test still sees the bot's words.
    const entities = Array.isArray(p[entitiesKey]) ? (p[entitiesKey] as MessageEntity[]) : [];
    return { text: source, entities };
  }

  function inlineKeyboardFrom(markup: unknown): InlineKeyboardMarkup | undefined {
    if (markup === undefined || markup === null) return undefined;
    if (typeof markup !== "object" || !("inline_keyboard" in markup)) return undefined;
    const rows = (markup as { inline_keyboard: unknown }).inline_keyboard;
    if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
      throw badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) validateInlineButton(button);
    }
    return { inline_keyboard: rows as InlineKeyboardButton[][] };
  }

  function validateInlineButton(button: unknown) {
    if (typeof button !== "object" || button === null) throw badRequest("can't parse inline keyboard button");
    const b = button as Record<string, unknown>;
    if (typeof b.text !== "string" || b.text === "") throw badRequest("text buttons are unallowed in the inline keyboard");
    const actions = Object.keys(b).filter((k) => k !== "text" && k !== "style" && k !== "icon_custom_emoji_id");
    if (actions.length === 0) throw badRequest("text buttons are unallowed in the inline keyboard");
    if ("callback_data" in b) {
      const data = String(b.callback_data);
      const bytes = Buffer.byteLength(data);
      if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
    }
    if ("url" in b && !/^(https?|tg):\/\/\S+$/i.test(String(b.url))) throw badRequest("BUTTON_URL_INVALID");
  }

  function replyKeyboardEffect(markup: unknown): { keyboard?: ReplyKeyboardMarkup; remove?: true } {
    if (typeof markup !== "object" || markup === null) return {};
    if ("keyboard" in markup) return { keyboard: markup as ReplyKeyboardMarkup };
    if ("remove_keyboard" in markup) return { remove: true };
    return {};
  }

  function replyTarget(state: ChatState, p: Params): Message | undefined {
    const parameters = p.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const id = Number(parameters?.message_id ?? p.reply_to_message_id ?? NaN);
    if (!Number.isFinite(id)) return undefined;
    const target = state.messages.get(id)?.message;
    const tolerant = parameters?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
    if (!target && !tolerant) throw badRequest("message to be replied not found");
    if (!target) return undefined;
    const { reply_to_message: _nested, ...shallow } = target as Message & { reply_to_message?: unknown };
    return shallow as Message;
  }

  /**
   * Where in a forum a message goes, as Telegram decides it: a topic that is gone (or a thread in a chat
   * without topics) is refused, and so is a closed topic, or a closed General, unless the bot is an admin.
   */
  function topicOf(state: ChatState, p: Params): number | undefined {
    const raw = p.message_thread_id;
    if (raw === undefined || raw === null) {
      if (state.generalClosed && state.botStatus !== "administrator") throw badRequest("TOPIC_CLOSED");
      return undefined;
    }
    const threadId = Number(raw);
    const topic = Number.isSafeInteger(threadId) ? state.topics?.get(threadId) : undefined;
    if (!topic) throw badRequest("message thread not found");
    if (topic.closed && state.botStatus !== "administrator") throw badRequest("TOPIC_CLOSED");
    return threadId;
  }

  function postMessage(state: ChatState, p: Params, content: Record<string, unknown>): Message {
    assertCanPost(state);
    const threadId = topicOf(state, p);
    const keyboard = inlineKeyboardFrom(p.reply_markup);
    const effect = replyKeyboardEffect(p.reply_markup);
    const replyTo = replyTarget(state, p);
    const message = {
      message_id: state.nextMessageId++,
      from: botUser,
      chat: state.chat,
      date: unixNow(),
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...content,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    } as Message;
    state.messages.set(message.message_id, { message, fromBot: true });
    if (effect.keyboard) state.replyKeyboard = effect.keyboard;
    if (effect.remove) delete state.replyKeyboard;
    emit("activity", {
      kind: "sent",
      chatId: state.chat.id,
      message,
      ...(effect.keyboard ? { replyKeyboard: effect.keyboard } : {}),
      ...(effect.remove ? { removeKeyboard: true as const } : {}),
    });
    return message;
  }

  function storeFile(value: unknown, kind: "photo" | "document"): StoredFile {
    if (value === undefined || value === null || value === "") throw badRequest(`there is no ${kind} in the request`);
    if (isUploadedFile(value)) {
      const n = nextFileNumber++;
      const extension = /\.([A-Za-z0-9]{1,5})$/.exec(value.filename)?.[1]?.toLowerCase() ?? (kind === "photo" ? "jpg" : "dat");
      const stored: StoredFile = {
        file_id: `${kind === "photo" ? "AgAC" : "BQAC"}local${n}${randomBytes(6).toString("base64url")}`,
        file_unique_id: `AQADlocal${n}`,
        file_path: `${kind === "photo" ? "photos" : "documents"}/file_${n}.${extension}`,
        filename: value.filename,
        mimeType: mimeTypeOf(value.filename, value.data, value.mimeType),
        data: value.data,
      };
      files.set(stored.file_id, stored);
      return stored;
    }
    const reference = String(value);
    const known = files.get(reference);
    if (known) return known;
    if (/^https?:\/\//i.test(reference)) {
      const n = nextFileNumber++;
      const stored: StoredFile = {
        file_id: `${kind === "photo" ? "AgAC" : "BQAC"}url${n}`,
        file_unique_id: `AQADurl${n}`,
        file_path: `${kind}s/url_${n}`,
        filename: reference.split("/").pop() || `${kind}_${n}`,
        mimeType: "application/octet-stream",
        url: reference,
      };
      files.set(stored.file_id, stored);
      return stored;
    }
    throw badRequest("wrong file identifier/HTTP URL specified");
  }

  function captionContent(p: Params) {
    const { text, entities } = formattedText(p, "caption", "caption_entities");
    if (text !== undefined && text.length > 1024) throw badRequest("message caption is too long");
    return {
      ...(text !== undefined && text !== "" ? { caption: text } : {}),
      ...(entities.length > 0 ? { caption_entities: entities } : {}),
    };
  }

  function editableMessage(p: Params) {
    if (p.inline_message_id !== undefined) throw badRequest("inline messages are not supported by the local Bot API");
    const state = chatFromParam(p.chat_id);
    // A chat the bot was removed from (or blocked in) refuses every call, edits included.
    assertCanPost(state);
    const id = intParam(p, "message_id");
    if (id === undefined) throw badRequest("message identifier is not specified");
    const stored = state.messages.get(id);
    if (!stored) throw badRequest("message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    return { state, stored };
  }

  function applyEdit(
    state: ChatState,
    stored: { message: Message },
    changes: Record<string, unknown>,
    removing: string[],
    replyMarkup: unknown,
  ): Message {
    const keyboard = inlineKeyboardFrom(replyMarkup);
    const next: Record<string, unknown> = { ...stored.message, ...changes };
    for (const key of removing) delete next[key];
    if (keyboard) next.reply_markup = keyboard;
    else delete next.reply_markup;
    const comparable = (m: Record<string, unknown>) =>
      JSON.stringify([m.text, m.entities ?? [], m.caption, m.caption_entities ?? [], m.reply_markup ?? null]);
    if (comparable(next) === comparable(stored.message as unknown as Record<string, unknown>)) {
      throw badRequest(NOT_MODIFIED);
    }
    next.edit_date = unixNow();
    stored.message = next as unknown as Message;
    emit("activity", { kind: "edited", chatId: state.chat.id, message: stored.message });
    return stored.message;
  }

  // ---- the Bot API methods

  const methods = {
    getMe: () => botUser,
    logOut: () => true,
    close: () => true,
    getUpdates: (p: Params, signal: AbortSignal) =>
      queue.getUpdates(
        {
          offset: intParam(p, "offset"),
          limit: intParam(p, "limit"),
          timeout: intParam(p, "timeout"),
          allowed_updates: p.allowed_updates,
        },
        signal,
      ),

    setWebhook: (p: Params) => {
      const url = typeof p.url === "string" ? p.url.trim() : "";
      if (url === "") {
        queue.deleteWebhook(p.drop_pending_updates === true);
        return true;
      }
      if (!/^https?:\/\/[^\s/]+/i.test(url)) throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
      // Telegram insists on HTTPS; loopback HTTP is allowed here because tests and the demo have no certificate.
      if (!/^https:/i.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(url)) {
        throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      }
      const secret = p.secret_token;
      if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
        throw badRequest("secret token contains unallowed characters");
      }
      const target = {
        url,
        ...(typeof secret === "string" ? { secretToken: secret } : {}),
        maxConnections: intParam(p, "max_connections") ?? 40,
      };
      queue.setWebhook(target, { dropPending: p.drop_pending_updates === true, allowedUpdates: p.allowed_updates });
      return true;
    },
    deleteWebhook: (p: Params) => {
      queue.deleteWebhook(p.drop_pending_updates === true);
      return true;
    },
    getWebhookInfo: () => queue.webhookInfo(),

    setMyCommands: (p: Params) => {
      if (!Array.isArray(p.commands)) throw badRequest("can't parse commands JSON object");
      scopeChatKnown(p);
      for (const c of p.commands as Array<Partial<BotCommand>>) {
        if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      commands.set(commandsKey(p), (p.commands as BotCommand[]).map((c) => ({ command: c.command, description: c.description })));
      return true;
    },
    getMyCommands: (p: Params) => {
      scopeChatKnown(p);
      return commands.get(commandsKey(p)) ?? [];
    },
    deleteMyCommands: (p: Params) => {
      scopeChatKnown(p);
      commands.delete(commandsKey(p));
      return true;
    },
    setMyDescription: () => true,
    setMyShortDescription: () => true,
    setMyName: () => true,
    setChatMenuButton: () => true,

    sendMessage: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      const { text, entities } = formattedText(p, "text", "entities");
      if (text === undefined || text.trim() === "") throw badRequest("message text is empty");
      if (text.length > 4096) throw badRequest("message is too long");
      return postMessage(state, p, { text, ...(entities.length > 0 ? { entities } : {}) });
    },
    sendPhoto: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      assertCanPost(state);
      const caption = captionContent(p);
      const file = storeFile(p.photo, "photo");
      const { width, height } = imageSize(file.data);
      const photo = [
        { file_id: file.file_id, file_unique_id: file.file_unique_id, width, height, file_size: file.data?.length ?? 0 },
      ];
      return postMessage(state, p, { photo, ...caption });
    },
    sendDocument: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      assertCanPost(state);
      const caption = captionContent(p);
      const file = storeFile(p.document, "document");
      const document = {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: file.filename,
        mime_type: file.mimeType,
        file_size: file.data?.length ?? 0,
      };
      return postMessage(state, p, { document, ...caption });
    },
    getFile: (p: Params) => {
      const file = files.get(String(p.file_id ?? ""));
      if (!file) throw badRequest("invalid file_id");
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.data?.length ?? 0, file_path: file.file_path };
    },

    editMessageText: (p: Params) => {
      const { state, stored } = editableMessage(p);
      if (stored.message.text === undefined) throw badRequest("there is no text in the message to edit");
      const { text, entities } = formattedText(p, "text", "entities");
      if (text === undefined || text.trim() === "") throw badRequest("message text is empty");
      if (text.length > 4096) throw badRequest("message is too long");
      return applyEdit(state, stored, { text, entities }, entities.length > 0 ? [] : ["entities"], p.reply_markup);
    },
    editMessageCaption: (p: Params) => {
      const { state, stored } = editableMessage(p);
      const m = stored.message;
      if (!("photo" in m) && !("document" in m)) throw badRequest("there is no caption in the message to edit");
      const caption = captionContent(p);
      const removing = ["caption", "caption_entities"].filter((k) => !(k in caption));
      return applyEdit(state, stored, caption, removing, p.reply_markup);
    },
    editMessageReplyMarkup: (p: Params) => {
      const { state, stored } = editableMessage(p);
      return applyEdit(state, stored, {}, [], p.reply_markup);
    },
    deleteMessage: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      const id = intParam(p, "message_id");
      if (id === undefined || !state.messages.delete(id)) throw badRequest("message to delete not found");
      emit("activity", { kind: "deleted", chatId: state.chat.id, messageId: id });
      return true;
    },

    answerCallbackQuery: (p: Params) => {
      const query = callbackQueries.get(String(p.callback_query_id ?? ""));
      if (!query || query.answered) {
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      query.answered = true;
      const text = typeof p.text === "string" && p.text !== "" ? p.text : undefined;
      if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
      emit("activity", {
        kind: "callback-answered",
        chatId: query.chatId,
        messageId: query.messageId,
        showAlert: p.show_alert === true,
        ...(text !== undefined ? { text } : {}),
        ...(typeof p.url === "string" ? { url: p.url } : {}),
      });
      return true;
    },
    sendChatAction: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      assertCanPost(state);
      const action = String(p.action ?? "");
      if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
      emit("activity", { kind: "chat-action", chatId: state.chat.id, action });
      return true;
    },

    getChat: (p: Params) => {
      const { chat } = chatFromParam(p.chat_id);
      return {
        ...chat,
        accent_color_id: 0,
        max_reaction_count: 11,
        accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
      };
    },
    getChatMember: (p: Params): ChatMember => {
      const state = chatFromParam(p.chat_id);
      const userId = intParam(p, "user_id");
      if (userId === undefined) throw badRequest("user_id is empty");
      if (userId === botId) return memberShape(botUser, state.botStatus);
      if (state.chat.type === "private") {
        if (userId !== state.chat.id) throw badRequest("user not found");
        const self = state.members.get(userId);
        return memberShape(self?.user ?? { id: userId, is_bot: false, first_name: state.chat.first_name }, "member");
      }
      const member = state.members.get(userId);
      if (member) return memberShape(member.user, member.status);
      const elsewhere = [...chats.values()].map((c) => c.members.get(userId)).find(Boolean);
      if (!elsewhere) throw badRequest("user not found");
      return memberShape(elsewhere.user, "left");
    },
    getChatAdministrators: (p: Params): ChatMember[] => {
      const state = chatFromParam(p.chat_id);
      if (state.chat.type === "private") throw badRequest("there are no administrators in the private chat");
      const admins = [...state.members.values()].filter((m) => m.status === "creator" || m.status === "administrator");
      const bot = state.botStatus === "administrator" ? [memberShape(botUser, "administrator")] : [];
      return [...admins.map((m) => memberShape(m.user, m.status)), ...bot];
    },
    getChatMemberCount: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      const present = (status: MemberStatus) => status !== "left" && status !== "kicked";
      const humans = [...state.members.values()].filter((m) => present(m.status)).length;
      return humans + (present(state.botStatus) ? 1 : 0);
    },
    leaveChat: (p: Params) => {
      const state = chatFromParam(p.chat_id);
      if (state.chat.type === "private") throw badRequest("chat member status can't be changed in private chats");
      if (state.botStatus === "left" || state.botStatus === "kicked") throw forbidden("bot is not a member of the group chat");
      const old = state.botStatus;
      state.botStatus = "left";
      inject({ my_chat_member: myChatMember(state, botUser, old, "left") }, true, false);
      return true;
    },
  };

  function canonicalMethod(name: string): keyof typeof methods | undefined {
    const lower = name.toLowerCase();
    return (Object.keys(methods) as Array<keyof typeof methods>).find((m) => m.toLowerCase() === lower);
  }

  function myChatMember(state: ChatState, by: User, from: MemberStatus, to: MemberStatus) {
    return {
      chat: state.chat,
      from: by,
      date: unixNow(),
      old_chat_member: memberShape(botUser, from),
      new_chat_member: memberShape(botUser, to),
    };
  }

  // ---- rate limits are checked where a message would leave, before anything is stored

  async function handleWithLimits(
    method: string,
    payload: Params,
    uploaded: UploadedFile[],
    signal: AbortSignal,
  ): Promise<{ response: BotApiResponse; drop: boolean }> {
    const canonical = canonicalMethod(method) ?? method;
    if (rateLimiter && SENDING_METHODS.has(canonical)) {
      const state = chats.get(Number(payload.chat_id));
      if (state) {
        const isGroup = state.chat.type !== "private";
        const wait = rateLimiter.retryAfter(state.chat.id, isGroup);
        if (wait > 0) {
          const response: BotApiError = {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${wait}`,
            parameters: { retry_after: wait },
          };
          record(canonical, payload, uploaded, response, "http");
          return { response, drop: false };
        }
        const outcome = await handleCall(method, payload, uploaded, "http", signal);
        if (outcome.response.ok) rateLimiter.recordSent(state.chat.id, isGroup);
        return outcome;
      }
    }
    return handleCall(method, payload, uploaded, "http", signal);
  }

  // ---- HTTP (http-server.ts)

  const app = createBotApiHttpServer({
    token,
    handle: handleWithLimits,
    fileAt: (filePath) => [...files.values()].find((f) => f.file_path === filePath && f.data),
  });

  let apiRoot: string | undefined;
  let closed = false;

  // ---- injection: what humans do in Telegram

  function sendText(
    from: TelegramUser,
    chat: ChatRef,
    text: string,
    opts: { replyToMessageId?: number; threadId?: number } = {},
  ): Update {
    const state = ensureChat(chat);
    rememberMember(state, from);
    if (state.chat.type === "private") state.botStatus = "member";
    const entities = commandEntities(text);
    if (opts.threadId !== undefined && !state.topics?.has(opts.threadId)) {
      throw new Error(`sendText: chat ${chat.id} has no topic ${opts.threadId}`);
    }
    // In a topic, a message that replies to nothing replies, as Telegram has it, to the topic's first message.
    const replyToId = opts.replyToMessageId ?? opts.threadId;
    const replyTo = replyToId === undefined ? undefined : state.messages.get(replyToId);
    if (replyToId !== undefined && !replyTo) {
      throw new Error(`sendText: no message ${replyToId} in chat ${chat.id} to reply to`);
    }
    const message = keepHumanMessage(state, from, {
      ...(opts.threadId !== undefined ? { message_thread_id: opts.threadId, is_topic_message: true } : {}),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(replyTo ? { reply_to_message: replyTo.message } : {}),
    } as Partial<Message>);
    return inject({ message } as Omit<Update, "update_id">, reachesBot(state, text, entities, replyTo?.fromBot === true));
  }

  function commandEntities(text: string): MessageEntity[] {
    const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,64})?/.exec(text);
    return command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : [];
  }

  function reachesBot(state: ChatState, text: string, entities: MessageEntity[], repliesToBot: boolean): boolean {
    if (state.chat.type === "private") return true;
    if (state.botStatus === "left" || state.botStatus === "kicked") return false;
    if (!groupPrivacy || state.botStatus === "administrator" || repliesToBot) return true;
    const username = (botUser.username ?? "").toLowerCase();
    const command = entities.find((e) => e.type === "bot_command");
    if (command) {
      const addressee = text.slice(0, command.length).split("@")[1]?.toLowerCase();
      return addressee === undefined || addressee === username;
    }
    return text.toLowerCase().includes(`@${username}`);
  }

  /** A user opens t.me/<bot>?start=<payload>; Telegram drops a payload it would not accept. */
  function openDeepLink(from: TelegramUser, payloadOrLink: string): Update {
    const fromLink = /[?&]start=([^&#]*)/.exec(payloadOrLink)?.[1];
    const payload = fromLink !== undefined ? decodeURIComponent(fromLink) : payloadOrLink;
    const valid = /^[A-Za-z0-9_-]{1,64}$/.test(payload);
    return sendText(from, privateChat(from), valid ? `/start ${payload}` : "/start");
  }

  function findBotMessage(target: Message | { chatId: number; messageId: number }) {
    const chatId = "chat" in target ? target.chat.id : target.chatId;
    const messageId = "message_id" in target ? target.message_id : target.messageId;
    const stored = chats.get(chatId)?.messages.get(messageId);
    if (!stored) throw new Error(`pressButton: message ${messageId} is not in chat ${chatId} (deleted or never sent)`);
    if (!stored.fromBot) throw new Error(`pressButton: message ${messageId} in chat ${chatId} was not sent by the bot`);
    return { state: chats.get(chatId)!, stored };
  }

  /** A user taps an inline button. `button` is its callback_data, or `{ text }` to find it by its label. */
  function pressButton(
    from: TelegramUser,
    target: Message | { chatId: number; messageId: number },
    button: string | { text: string },
  ): Update {
    const { state, stored } = findBotMessage(target);
    const buttons = ("reply_markup" in stored.message ? stored.message.reply_markup?.inline_keyboard ?? [] : []).flat();
    const pressed = buttons.find((b) =>
      typeof button === "string" ? "callback_data" in b && b.callback_data === button : b.text === button.text,
    );
    if (!pressed || !("callback_data" in pressed)) {
      const available = buttons.map((b) => `"${b.text}"${"callback_data" in b ? ` (${b.callback_data})` : ""}`);
      throw new Error(
        `pressButton: no callback button ${JSON.stringify(button)} on message ${stored.message.message_id}; ` +
          `it has: ${available.join(", ") || "no inline buttons"}`,
      );
    }
    rememberMember(state, from);
    const id = `${botId}${String(nextCallbackNumber++).padStart(6, "0")}`;
    callbackQueries.set(id, { chatId: state.chat.id, messageId: stored.message.message_id, answered: false });
    const callbackQuery = {
      id,
      from: userShape(from),
      message: stored.message,
      chat_instance: `-${Math.abs(state.chat.id * 7919) % 1_000_000_007}`,
      data: pressed.callback_data,
    } as CallbackQuery;
    return inject({ callback_query: callbackQuery } as Omit<Update, "update_id">);
  }

  /** Someone adds the bot to a group: Telegram sends my_chat_member and a service message. */
  function addBotToGroup(chat: ChatRef, by: TelegramUser, opts: { asAdmin?: boolean } = {}) {
    if (chat.type === "private") throw new Error("addBotToGroup: a bot is not added to a private chat");
    const existed = chats.has(chat.id);
    const state = ensureChat(chat);
    rememberMember(state, by);
    const old = existed && state.botStatus === "kicked" ? "kicked" : "left";
    state.botStatus = opts.asAdmin ? "administrator" : "member";
    const myChatMemberUpdate = inject({
      my_chat_member: myChatMember(state, userShape(by), old, state.botStatus),
    } as Omit<Update, "update_id">);
    return { myChatMember: myChatMemberUpdate, serviceMessage: postServiceMessage(state, by, { new_chat_members: [botUser] }) };
  }

  /** A service message in a chat (someone joined, the group moved), handed to the bot while it is in the chat. */
  function postServiceMessage(state: ChatState, by: TelegramUser, field: Partial<Message>): Update {
    const message = keepHumanMessage(state, by, field);
    return inject({ message } as Omit<Update, "update_id">, state.botStatus !== "left" && state.botStatus !== "kicked");
  }

  /** A message someone (not the bot) posts in a chat, with the next id, kept in the chat's history. */
  function keepHumanMessage(state: ChatState, from: TelegramUser, fields: Partial<Message>): Message {
    const message = { message_id: state.nextMessageId++, from: userShape(from), chat: state.chat, date: unixNow(), ...fields } as Message;
    state.messages.set(message.message_id, { message, fromBot: false });
    return message;
  }

  function removeBotFromGroup(chat: ChatRef, by: TelegramUser): Update {
    const state = ensureChat(chat);
    const old = state.botStatus;
    state.botStatus = "kicked";
    return inject({ my_chat_member: myChatMember(state, userShape(by), old, "kicked") } as Omit<Update, "update_id">);
  }

  /**
   * A group becomes a supergroup (Telegram does this when a group gets a public link, a large history, and
   * so on): the supergroup has a new id, the bot keeps its standing there, and it hears a service message in
   * both chats (migrate_to_chat_id in the old one, migrate_from_chat_id in the new one, which reach a bot
   * whatever its privacy mode). From then on a call naming the old id is refused with 400 and the new id.
   */
  function migrateGroupToSupergroup(groupId: number, supergroup: { id: number; username?: string }, by: TelegramUser) {
    const old = chats.get(groupId);
    if (!old || old.chat.type !== "group") throw new Error(`migrateGroupToSupergroup: chat ${groupId} is not a known basic group`);
    if (chats.has(supergroup.id)) throw new Error(`migrateGroupToSupergroup: chat ${supergroup.id} already exists`);
    const state = ensureChat({ id: supergroup.id, type: "supergroup", title: old.chat.title, ...(supergroup.username ? { username: supergroup.username } : {}) });
    state.botStatus = old.botStatus;
    for (const [id, member] of old.members) state.members.set(id, member);
    const inOldGroup = postServiceMessage(old, by, { migrate_to_chat_id: supergroup.id });
    old.migratedTo = supergroup.id;
    const inSupergroup = postServiceMessage(state, by, { migrate_from_chat_id: groupId });
    return { inOldGroup, inSupergroup };
  }

  function forumOf(chatId: number): ChatState & { topics: Map<number, { name: string; closed: boolean }> } {
    const state = chats.get(chatId);
    if (!state?.topics) throw new Error(`chat ${chatId} is not a known forum (add it with isForum: true)`);
    return state as ChatState & { topics: Map<number, { name: string; closed: boolean }> };
  }

  /**
   * An admin opens a topic in a forum. Its thread id is the id of the service message that opened it; the
   * bot hears of it only as a member without privacy mode, as other messages, so it is not handed out.
   */
  function openTopic(chatId: number, name: string, by: TelegramUser): number {
    const state = forumOf(chatId);
    const threadId = state.nextMessageId++;
    const message = {
      message_id: threadId,
      message_thread_id: threadId,
      is_topic_message: true,
      from: userShape(by),
      chat: state.chat,
      date: unixNow(),
      forum_topic_created: { name, icon_color: 7322096 },
    } as Message;
    state.messages.set(threadId, { message, fromBot: false });
    state.topics.set(threadId, { name, closed: false });
    return threadId;
  }

  /** An admin closes a topic (or General, with no thread id): only admins may post there until it reopens. */
  function closeTopic(chatId: number, threadId?: number): void {
    const state = forumOf(chatId);
    if (threadId === undefined) {
      state.generalClosed = true;
      return;
    }
    const topic = state.topics.get(threadId);
    if (!topic) throw new Error(`closeTopic: chat ${chatId} has no topic ${threadId}`);
    topic.closed = true;
  }

  /** An admin deletes a topic with its messages: Telegram refuses every message to it from then on. */
  function deleteTopic(chatId: number, threadId: number): void {
    const state = forumOf(chatId);
    if (!state.topics.delete(threadId)) throw new Error(`deleteTopic: chat ${chatId} has no topic ${threadId}`);
    for (const [id, stored] of state.messages) {
      if ((stored.message as Message & { message_thread_id?: number }).message_thread_id === threadId) state.messages.delete(id);
    }
  }

  /**
   * A message in a chat with fields the helpers above do not make (an anonymous admin's sender_chat, an
   * automatic forward from a linked channel, a pin or another service message), kept in the chat and handed
   * to the bot as Telegram would: in a group, a service message always, other messages as privacy mode allows.
   */
  function postAs(from: TelegramUser, chat: ChatRef, fields: Partial<Message>): Update {
    const state = ensureChat(chat);
    rememberMember(state, from);
    if (state.chat.type === "private") state.botStatus = "member";
    const message = keepHumanMessage(state, from, fields);
    const text = message.text ?? "";
    const carriesContent = "text" in message || "photo" in message || "caption" in message;
    const delivered = !carriesContent ? state.botStatus !== "left" && state.botStatus !== "kicked" : reachesBot(state, text, commandEntities(text), false);
    return inject({ message } as Omit<Update, "update_id">, delivered);
  }

  /** Someone edits a message of theirs: Telegram hands the bot edited_message, with the new text. */
  function editText(from: TelegramUser, chat: ChatRef, messageId: number, text: string): Update {
    const state = ensureChat(chat);
    const stored = state.messages.get(messageId);
    if (!stored || stored.fromBot || stored.message.from?.id !== from.id) throw new Error(`editText: ${from.id} has no message ${messageId} in chat ${chat.id}`);
    const entities = commandEntities(text);
    const { entities: _old, ...rest } = stored.message as Message & { entities?: MessageEntity[] };
    const message = { ...rest, text, edit_date: unixNow(), ...(entities.length > 0 ? { entities } : {}) } as Message;
    state.messages.set(messageId, { message, fromBot: false });
    return inject({ edited_message: message } as Omit<Update, "update_id">, reachesBot(state, text, entities, message.reply_to_message?.from?.id === botUser.id));
  }

  /** An admin changes the bot's standing in a group (makes it an admin, or a plain member again). */
  function setBotStatus(chat: ChatRef, by: TelegramUser, status: "administrator" | "member"): Update {
    const state = ensureChat(chat);
    const old = state.botStatus;
    state.botStatus = status;
    return inject({ my_chat_member: myChatMember(state, userShape(by), old, status) } as Omit<Update, "update_id">);
  }

  /** The user blocks the bot: further messages to them fail with 403, as in Telegram. */
  function blockBot(user: TelegramUser): Update {
    const state = ensureChat(privateChat(user));
    const old = state.botStatus === "left" ? "member" : state.botStatus;
    state.botStatus = "kicked";
    return inject({ my_chat_member: myChatMember(state, userShape(user), old, "kicked") } as Omit<Update, "update_id">);
  }

  /** Makes a chat known without an update (a group the bot already sits in, members with their roles). */
  function addChat(chat: ChatRef, members: Array<{ user: TelegramUser; status: MemberStatus }> = []) {
    const state = ensureChat(chat);
    if (chat.type === "private") state.botStatus = "member";
    for (const m of members) rememberMember(state, m.user, m.status);
  }

  function setChatMember(chatId: number, user: TelegramUser, status: MemberStatus) {
    const state = chats.get(chatId);
    if (!state) throw new Error(`setChatMember: chat ${chatId} is unknown; add it first`);
    rememberMember(state, user, status);
  }

  // ---- reading what the bot did

  function on<E extends keyof LocalBotApiEvents>(event: E, listener: (payload: LocalBotApiEvents[E]) => void) {
    listeners[event].add(listener);
    return () => {
      listeners[event].delete(listener);
    };
  }

  function describeCall(call: RecordedCall): string {
    const p = call.payload;
    const detail = [
      p.chat_id !== undefined ? `chat ${String(p.chat_id)}` : "",
      typeof p.text === "string" ? JSON.stringify(p.text.slice(0, 60)) : "",
      typeof p.caption === "string" ? `caption ${JSON.stringify(p.caption.slice(0, 60))}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    const outcome = call.response.ok ? "ok" : `${call.response.error_code} ${call.response.description}`;
    return `#${call.seq} ${call.method}${detail ? ` ${detail}` : ""} -> ${outcome}`;
  }

  function waitFor(predicate: string | ((call: RecordedCall) => boolean), opts: WaitOptions = {}): Promise<RecordedCall> {
    const matches = typeof predicate === "string" ? (c: RecordedCall) => c.method === predicate : predicate;
    const since = opts.since ?? injectedAtCall;
    const timeoutMs = opts.timeoutMs ?? 3_000;
    const seen = calls.slice(since).find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const stop = on("call", (call) => {
        if (call.seq >= since && matches(call)) {
          clearTimeout(timer);
          stop();
          resolve(call);
        }
      });
      const timer = setTimeout(() => {
        stop();
        const what = opts.description ?? (typeof predicate === "string" ? predicate : "a matching call");
        const seenCalls = calls.slice(since).filter((c) => c.method !== "getUpdates").map(describeCall);
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what}. Calls since #${since}: ` +
              (seenCalls.length > 0 ? `\n  ${seenCalls.join("\n  ")}` : "none"),
          ),
        );
      }, timeoutMs);
    });
  }

  /** The next message the bot sends to a chat (optionally one whose text or caption matches). */
  async function waitForBotMessage(
    chatId: number,
    opts: WaitOptions & { text?: string | RegExp } = {},
  ): Promise<Message> {
    const wanted = opts.text;
    const call = await waitFor(
      (c) => {
        if (!SENDING_METHODS.has(c.method) || !c.response.ok) return false;
        const m = c.response.result as Message;
        if (m.chat.id !== chatId) return false;
        const words = ("text" in m ? m.text : undefined) ?? ("caption" in m ? m.caption : undefined) ?? "";
        return wanted === undefined || (typeof wanted === "string" ? words.includes(wanted) : wanted.test(words));
      },
      { ...opts, description: opts.description ?? `a bot message in chat ${chatId}${wanted ? ` matching ${String(wanted)}` : ""}` },
    );
    return (call.response as { result: unknown }).result as Message;
  }

  return {
    token,
    bot: botUser,
    /** Set once listening: http://host:port, for grammY's `client.apiRoot`. */
    get apiRoot(): string {
      if (!apiRoot) throw new Error("the local Bot API is not listening yet");
      return apiRoot;
    },
    async listen(opts: { host?: string; port?: number } = {}): Promise<string> {
      const host = opts.host ?? "127.0.0.1";
      await app.listen({ host, port: opts.port ?? 0 });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : opts.port;
      const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
      apiRoot = `http://${reachable}:${String(port)}`;
      log.info?.({ apiRoot }, "local Bot API listening");
      return apiRoot;
    },
    /** Answers pending long polls (empty), stops webhook delivery and closes the server. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      queue.close();
      await app.close();
    },

    // injection
    sendText,
    pressButton,
    openDeepLink,
    addBotToGroup,
    removeBotFromGroup,
    blockBot,
    migrateGroupToSupergroup,
    addChat,
    setChatMember,
    openTopic,
    closeTopic,
    deleteTopic,
    postAs,
    setBotStatus,
    editText,

    // recording
    calls: calls as readonly RecordedCall[],
    /** Updates the bot never received because group privacy mode hid them. */
    undelivered: undelivered as readonly Update[],
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** Index for `since`: only calls recorded after this moment. */
    mark: () => calls.length,
    /** Messages now in the chat, oldest first, as Telegram would show them (edits applied, deletions gone). */
    messagesIn: (chatId: number): Message[] => [...(chats.get(chatId)?.messages.values() ?? [])].map((m) => m.message),
    botMessagesIn: (chatId: number): Message[] =>
      [...(chats.get(chatId)?.messages.values() ?? [])].filter((m) => m.fromBot).map((m) => m.message),
    lastBotMessage: (chatId: number): Message | undefined =>
      [...(chats.get(chatId)?.messages.values() ?? [])].filter((m) => m.fromBot).at(-1)?.message,
    /** The reply keyboard the user currently sees in the chat, if any. */
    replyKeyboardIn: (chatId: number) => chats.get(chatId)?.replyKeyboard,
    /** A file the bot sent or uploaded, by file_id (bytes kept for uploads). */
    fileById: (fileId: string) => files.get(fileId),
    commandsFor: (scope?: Record<string, unknown>, languageCode?: string) =>
      commands.get(commandsKey({ scope, language_code: languageCode })) ?? [],
    webhookInfo: () => queue.webhookInfo(),
    /** Updates not yet confirmed by the bot. */
    pendingUpdates: () => queue.pending(),
    /** True while a getUpdates long poll is waiting on the server (the bot is listening right now). */
    isPolling: () => queue.isPolling(),
    waitFor,
    waitForBotMessage,
    on,

    // faults
    /** The next `count` calls to `method` ("*": any method except getUpdates) fail with `fault`. */
    failNext(method: string, count: number, fault: Fault) {
      faults.push({ method: method === "*" ? "*" : (canonicalMethod(method) ?? method), remaining: count, fault });
    },
    clearFaults() {
      faults.length = 0;
    },
  };
}

// ------------------------------------------------------------------------------------------------ helpers

export function privateChat(user: TelegramUser): ChatRef {
  return {
    id: user.id,
    type: "private",
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    typeof value === "object" &&
    value !== null &&
    Buffer.isBuffer((value as { data?: unknown }).data) &&
    typeof (value as { filename?: unknown }).filename === "string"
  );
}


function commandsKey(p: Params): string {
  const scope = (p.scope as Record<string, unknown> | undefined) ?? { type: "default" };
  const ordered = Object.fromEntries(Object.entries(scope).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(ordered)}|${typeof p.language_code === "string" ? p.language_code : ""}`;
}

function memberShape(user: User, status: MemberStatus): ChatMember {
  switch (status) {
    case "creator":
      return { status, user, is_anonymous: false };
    case "administrator":
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
      } as ChatMember;
    case "kicked":
      return { status, user, until_date: 0 };
    default:
      return { status, user } as ChatMember;
  }
}

function imageSize(data: Buffer | undefined): { width: number; height: number } {
  const isPng = data !== undefined && data.length >= 24 && data.readUInt32BE(0) === 0x89504e47;
  return isPng ? { width: data.readUInt32BE(16), height: data.readUInt32BE(20) } : { width: 0, height: 0 };
}

function mimeTypeOf(filename: string, data: Buffer, declared: string): string {
  if (data.length >= 4 && data.readUInt32BE(0) === 0x89504e47) return "image/png";
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (data.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  const byExtension: Record<string, string> = { txt: "text/plain", csv: "text/csv", json: "application/json" };
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? "";
  return byExtension[extension] ?? declared;
}
