import type { StorageAdapter } from "grammy";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n.js";
import type { SessionData } from "./context.js";

/** Where a person's session (and so their language choice) is kept: per Telegram user, in every chat. */
export const userSessionKey = (userId: number): string => String(userId);

export type TextVariables = Record<string, string | number>;

/**
 * Words for someone other than the person the bot is answering (the owner told that a cashier joined, a
 * cashier told they were removed): in the language the recipient chose, not the sender's. ctx.t speaks the
 * sender's language.
 */
export interface RecipientLanguage {
  /** The language a user chose with /language; Indonesian when they never chose. */
  localeOf(userId: number): Promise<Locale>;
  /** The language a user chose with /language; undefined when they never chose. */
  chosenLocaleOf(userId: number): Promise<Locale | undefined>;
  /** A text from locales/, in the user's language. */
  textFor(userId: number, key: string, variables?: TextVariables): Promise<string>;
}

export function recipientLanguage(deps: {
  sessions: Pick<StorageAdapter<SessionData>, "read">;
  translate: (locale: Locale, key: string, variables?: TextVariables) => string;
}): RecipientLanguage {
  const chosenLocaleOf = async (userId: number): Promise<Locale | undefined> => {
    const language = (await deps.sessions.read(userSessionKey(userId)))?.language;
    return isLocale(language) ? language : undefined;
  };
  const localeOf = async (userId: number): Promise<Locale> => (await chosenLocaleOf(userId)) ?? DEFAULT_LOCALE;
  return {
    localeOf,
    chosenLocaleOf,
    textFor: async (userId, key, variables) => deps.translate(await localeOf(userId), key, variables),
  };
}
