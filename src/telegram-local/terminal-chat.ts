import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { KeyboardButton, Message, ReplyKeyboardMarkup } from "grammy/types";
import { privateChat, type ChatActivity, type ChatRef, type LocalBotApi, type TelegramUser } from "./bot-api-server.js";
import { renderButtons, renderMessage } from "./render-message.js";

/**
 * A Telegram chat in a terminal, over the local Bot API: a human plays the user, the bot answers as it
 * would in Telegram. Plain line-by-line readline, so it works in any terminal and when driven by tmux.
 */

export type TerminalChatIo = { print(text: string): void };

export type TerminalChatOptions = {
  api: LocalBotApi;
  input: Readable;
  output: Writable;
  user: TelegramUser;
  /** Default: the user's private chat with the bot. */
  chat?: ChatRef;
  /** Other chats to show as well (a shop group, say), labelled with their title. */
  watchChats?: number[];
  /** Extra commands (such as "pay"); return true when the line was handled. Runs before anything else. */
  onCommand?: (line: string, io: TerminalChatIo) => Promise<boolean>;
  /** One line each, added to the help the user sees with "?" (read when it is shown: it may follow a language choice). */
  commandsHelp?: () => readonly string[];
  /** ANSI styles for bold, code and links. Default: when the output is a terminal. */
  color?: boolean;
  signal?: AbortSignal;
  /** The terminal's own words, in the user's language (the offline demo's are Indonesian). Default: English. */
  words?: TerminalWords;
};

/** What the terminal itself says, around the bot's messages. */
export interface TerminalWords {
  greeting(v: { bot: string; user: string; userId: number }): string;
  /** The lines "?" shows before commandsHelp (read when it is shown). */
  help(): readonly string[];
  /** After a message's header when the bot edited it (read each time: the user may change language). */
  edited(): string;
  deleted(v: { bot: string; messageId: number }): string;
  /** A watched chat's label in a message's header. */
  inChat(v: { chat: string }): string;
  cannotPress(v: { button: string }): string;
}

export const ENGLISH_TERMINAL_WORDS: TerminalWords = {
  greeting: ({ bot, user, userId }) => `Chatting with @${bot} as ${user} (user id ${userId}). "?" shows help.`,
  help: () => [
    "Type a message and press Enter to send it.",
    "A number presses that button of the last message with buttons; M.N presses button N of message #M.",
    "A line that names no button (an amount such as 150.000) is sent as text.",
    "Start a line with \\ to send a number as text. quit or exit (or Ctrl-D) leaves.",
  ],
  edited: () => "edited",
  deleted: ({ bot, messageId }) => `${bot} deleted message #${messageId}`,
  inChat: ({ chat }) => `in ${chat}`,
  cannotPress: ({ button }) => `the button "${button}" cannot be pressed in this terminal`,
};

type Keyboard =
  | { kind: "inline"; chatId: number; messageId: number }
  | { kind: "reply"; chatId: number; markup: ReplyKeyboardMarkup };

export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { api, input, output, user } = opts;
  const words = opts.words ?? ENGLISH_TERMINAL_WORDS;
  const chat = opts.chat ?? privateChat(user);
  const shown = new Set([chat.id, ...(opts.watchChats ?? [])]);
  const isTerminal = (output as { isTTY?: boolean }).isTTY === true;
  const color = opts.color ?? isTerminal;
  const rl = createInterface({ input, output, terminal: isTerminal && (input as { isTTY?: boolean }).isTTY === true });
  rl.setPrompt("> ");

  let closed = false;
  const print = (text: string) => {
    if (isTerminal) output.write("\r\x1b[K");
    output.write(`${text}\n`);
    if (!closed) rl.prompt(true);
  };
  // Rendering a QR is asynchronous; a queue keeps messages in the order the bot sent them.
  let printing = Promise.resolve();
  const later = (render: () => Promise<string | undefined>) => {
    printing = printing.then(async () => {
      const text = await render().catch((error: unknown) => `(could not show a message: ${String(error)})`);
      if (text !== undefined) print(text);
    });
  };

  let lastKeyboard: Keyboard | undefined;
  const header = (chatId: number, messageId: number, note = "") => {
    const where = chatId === chat.id ? "" : ` ${words.inChat({ chat: chatTitle(api, chatId) })}`;
    return `── ${api.bot.first_name}${where} · #${messageId}${note} ──`;
  };

  const onActivity = (activity: ChatActivity) => {
    if (!("chatId" in activity) || activity.chatId === undefined || !shown.has(activity.chatId)) return;
    const chatId = activity.chatId;
    switch (activity.kind) {
      case "sent":
      case "edited": {
        const message = activity.message;
        const hasButtons = hasInlineButtons(message);
        if (hasButtons && chatId === chat.id) lastKeyboard = { kind: "inline", chatId, messageId: message.message_id };
        if (activity.kind === "sent" && activity.replyKeyboard && chatId === chat.id) {
          lastKeyboard = { kind: "reply", chatId, markup: activity.replyKeyboard };
        }
        if (activity.kind === "sent" && activity.removeKeyboard && lastKeyboard?.kind === "reply") lastKeyboard = undefined;
        const replyKeyboard = activity.kind === "sent" ? activity.replyKeyboard : undefined;
        later(async () => {
          const body = await renderMessage(message, api.fileById, color);
          const keyboard = replyKeyboard ? `\nkeyboard:\n${renderButtons(replyKeyboard.keyboard)}` : "";
          const note = activity.kind === "edited" ? ` (${words.edited()})` : "";
          return `${header(chatId, message.message_id, note)}\n${body}${keyboard}`;
        });
        return;
      }
      case "deleted":
        later(async () => `(${words.deleted({ bot: api.bot.first_name, messageId: activity.messageId })})`);
        return;
      case "callback-answered":
        if (activity.text) later(async () => `  ${activity.showAlert ? "[!]" : "(i)"} ${activity.text}`);
        return;
      case "chat-action":
        return;
    }
  };
  const unsubscribe = api.on("activity", onActivity);

  const help = () => [...words.help(), ...(opts.commandsHelp?.() ?? [])].join("\n");
  print(words.greeting({ bot: api.bot.username, user: user.first_name, userId: user.id }));

  const press = (line: string): boolean => {
    const match = /^(?:(\d+)\.)?(\d+)$/.exec(line);
    if (!match) return false;
    const index = Number(match[2]) - 1;
    if (match[1] !== undefined) return pressInline(Number(match[1]), index);
    if (lastKeyboard?.kind === "reply") {
      const button = lastKeyboard.markup.keyboard.flat()[index];
      if (button === undefined) return false;
      const text = typeof button === "string" ? button : (button as Exclude<KeyboardButton, string>).text;
      print(`→ ${text}`);
      api.sendText(user, chat, text);
      if (lastKeyboard.markup.one_time_keyboard) lastKeyboard = undefined;
      return true;
    }
    if (lastKeyboard?.kind === "inline") return pressInline(lastKeyboard.messageId, index);
    return false;
  };

  // No such button: not a press. "75.000" is how a merchant types Rp 75.000 (the bot's own examples write
  // amounts so), not button 0 of message #75, so it goes to the bot as text.
  const pressInline = (messageId: number, index: number): boolean => {
    const message = api.botMessagesIn(chat.id).find((m) => m.message_id === messageId);
    const button = message && hasInlineButtons(message) ? message.reply_markup.inline_keyboard.flat()[index] : undefined;
    if (!message || !button) return false;
    if ("callback_data" in button && button.callback_data !== undefined) {
      print(`→ [${index + 1}] ${button.text}`);
      api.pressButton(user, message, button.callback_data);
    } else if ("url" in button && button.url !== undefined) {
      print(`(link: ${button.url})`);
    } else {
      print(`(${words.cannotPress({ button: button.text })})`);
    }
    return true;
  };

  const io: TerminalChatIo = { print };
  const handle = async (raw: string): Promise<"quit" | void> => {
    const line = raw.trim();
    if (line === "") return;
    if (line === "quit" || line === "exit") return "quit";
    if (opts.onCommand && (await opts.onCommand(line, io))) return;
    if (line === "?") return print(help());
    if (line.startsWith("\\")) {
      api.sendText(user, chat, line.slice(1));
      return;
    }
    if (press(line)) return;
    api.sendText(user, chat, line);
  };

  // Lines are handled one at a time and in order, even when a handler (a demo "pay") takes a while.
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on("line", (line) => {
      queue = queue.then(async () => {
        if (closed) return;
        try {
          if ((await handle(line)) === "quit") rl.close();
        } catch (error) {
          print(`(${error instanceof Error ? error.message : String(error)})`);
        }
      });
    });
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      closed = true;
      resolve();
    });
    opts.signal?.addEventListener("abort", () => rl.close(), { once: true });
    if (opts.signal?.aborted) rl.close();
    rl.prompt();
  });
  await queue;
  unsubscribe();
  await printing;
  if (isTerminal) output.write("\n");
}

function hasInlineButtons(message: Message): message is Message & { reply_markup: { inline_keyboard: NonNullable<Message["reply_markup"]>["inline_keyboard"] } } {
  return "reply_markup" in message && (message.reply_markup?.inline_keyboard.length ?? 0) > 0;
}

function chatTitle(api: LocalBotApi, chatId: number): string {
  const chat = api.messagesIn(chatId)[0]?.chat;
  return chat && "title" in chat && chat.title ? `"${chat.title}"` : `chat ${chatId}`;
}
