export {
  createLocalBotApi,
  isUploadedFile,
  privateChat,
  type BotApiError,
  type BotApiResponse,
  type ChatActivity,
  type ChatRef,
  type Fault,
  type LocalBotApi,
  type LocalBotApiEvents,
  type LocalBotApiLogger,
  type LocalBotApiOptions,
  type MemberStatus,
  type RecordedCall,
  type StoredFile,
  type TelegramUser,
  type UploadedFile,
  type WaitOptions,
} from "./bot-api-server.js";
export { TELEGRAM_RATE_LIMITS, type RateLimitRules } from "./rate-limits.js";
export { runTerminalChat, type TerminalChatIo, type TerminalChatOptions } from "./terminal-chat.js";
export { drawQr, renderEntities, renderMessage } from "./render-message.js";
