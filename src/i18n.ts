import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n, type I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";

/** Indonesian first: most shop staff read it; English is the second language. */
export const DEFAULT_LOCALE = "id";
export const LOCALES = ["id", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** locales/ beside src/ (tsx) or dist/ (compiled): the same relative place in both layouts. */
export const LOCALES_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), "..", "locales");

/**
 * One translation catalogue for the bot and the notifier. Files are split per part of the system
 * (locales/<locale>/<part>.ftl) and merged per locale by @grammyjs/i18n.
 */
export function createI18n<C extends Context & I18nFlavor = Context & I18nFlavor>(
  options: { useSession?: boolean; directory?: string; localeNegotiator?: (ctx: C) => Promise<string> | string } = {},
): I18n<C> {
  return new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    directory: options.directory ?? LOCALES_DIRECTORY,
    useSession: options.useSession ?? false,
    ...(options.localeNegotiator ? { localeNegotiator: options.localeNegotiator } : {}),
    // Fluent wraps placeables in Unicode isolation marks by default; in Telegram they break copy-paste of
    // account numbers and amounts.
    fluentBundleOptions: { useIsolating: false },
  });
}
