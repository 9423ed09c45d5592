import { GrammyError, type Api } from "grammy";
import type { BotCommand, BotCommandScope, LanguageCode } from "grammy/types";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "../i18n.js";

/**
 * The menu Telegram shows when someone types "/" or taps the menu button: the commands a person can use
 * where they are, each said in a few words, in Indonesian (Telegram's default list) and in English (for
 * apps set to English). Owners see their tools in their private chat; a group's admins see /linkgroup there.
 * The commands work without it: it only shows them.
 */

/** Each command in the language its list is in (the bot answers both names). */
const NAMES: Record<Locale, Record<string, string>> = {
  id: { payments: "pembayaran", cancel: "batal", language: "bahasa", disburse: "kirimdana" },
  en: { payments: "payments", cancel: "cancel", language: "language", disburse: "disburse" },
};

const PRIVATE = ["start", "va", "alfamart", "payments", "cancel", "language", "help"] as const;
const OWNER_TOOLS = ["disburse", "invite", "staff"] as const;
const GROUP = ["va", "alfamart", "payments", "cancel", "help"] as const;
const GROUP_ADMIN_TOOLS = ["linkgroup", "unlinkgroup"] as const;

type Translate = (locale: string, key: string) => string;

/** One setMyCommands call: the scope, the language (undefined: the default list) and the list. */
export interface CommandMenu {
  scope: BotCommandScope;
  languageCode: LanguageCode | undefined;
  commands: BotCommand[];
}

/** Every list the bot publishes, for these owners: everyone's first, then each owner's own. */
export function commandMenus(translate: Translate, ownerIds: readonly number[]): CommandMenu[] {
  const inEach = LOCALES.map((locale) => ({
    languageCode: (locale === DEFAULT_LOCALE ? undefined : locale) as LanguageCode | undefined,
    list: (keys: readonly string[]) => keys.map((key) => ({ command: NAMES[locale][key] ?? key, description: translate(locale, `bot-command-${key}`) })),
  }));
  return [
    ...inEach.flatMap(({ languageCode, list }): CommandMenu[] => [
      // Default: the private list, also for a chat no other scope names.
      { scope: { type: "default" }, languageCode, commands: list(PRIVATE) },
      { scope: { type: "all_group_chats" }, languageCode, commands: list(GROUP) },
      { scope: { type: "all_chat_administrators" }, languageCode, commands: list([...GROUP, ...GROUP_ADMIN_TOOLS]) },
    ]),
    ...ownerIds.flatMap((ownerId) =>
      inEach.map(({ languageCode, list }): CommandMenu => ({ scope: { type: "chat", chat_id: ownerId }, languageCode, commands: list([...PRIVATE, ...OWNER_TOOLS]) })),
    ),
  ];
}

/**
 * Publishes every list. An owner's own list is refused (400) until that owner has opened the bot: that one is
 * skipped, and the owner's id returned, to be said in the log (it comes at the next start). Any other refusal
 * ends it, thrown.
 */
export async function publishCommandMenus(api: Api, menus: readonly CommandMenu[], signal?: AbortSignal): Promise<number[]> {
  const notYet = new Set<number>();
  for (const menu of menus) {
    signal?.throwIfAborted();
    const ownChat = menu.scope.type === "chat" ? Number(menu.scope.chat_id) : undefined;
    if (ownChat !== undefined && notYet.has(ownChat)) continue;
    try {
      await api.setMyCommands(
        menu.commands,
        { scope: menu.scope, ...(menu.languageCode !== undefined ? { language_code: menu.languageCode } : {}) },
        signal as Parameters<Api["setMyCommands"]>[2],
      );
    } catch (error) {
      if (ownChat === undefined || !(error instanceof GrammyError) || error.error_code !== 400) throw error;
      notYet.add(ownChat);
    }
  }
  return [...notYet];
}
