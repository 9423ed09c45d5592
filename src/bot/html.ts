/** Telegram's HTML parse mode needs only these three escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * What someone typed, quoted back in a reply: at most `max` characters, cut between characters (never
 * inside an emoji's surrogate pair, which Telegram may refuse as malformed text), escaped.
 */
export function quoteTyped(text: string, max = 40): string {
  return escapeHtml(Array.from(text).slice(0, max).join(""));
}
