import type { Message } from "grammy/types";
import { privateChat, type ChatRef, type LocalBotApi, type TelegramUser } from "../../src/telegram-local/bot-api-server.js";

/** How a person talks to the bot in the story tests: each step waits for the bot's next message in that chat. */
export interface MerchantChat {
  /** A user types in a chat (their private chat by default); resolves to the bot's next message there. */
  say(user: TelegramUser, text: string, chat?: ChatRef): Promise<Message>;
  /** A user presses a button (by its label or callback data) on a bot message; resolves to the next bot message in that chat. */
  press(user: TelegramUser, message: Message, button: string | { text: string }): Promise<Message>;
}

export function merchantChat(telegram: LocalBotApi): MerchantChat {
  return {
    async say(user, text, chat = privateChat(user)) {
      telegram.sendText(user, chat, text);
      return telegram.waitForBotMessage(chat.id);
    },
    async press(user, message, button) {
      telegram.pressButton(user, message, button);
      return telegram.waitForBotMessage(message.chat.id);
    },
  };
}
