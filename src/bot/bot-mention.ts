/**
 * The text without the bot's @username at its start and at its end, or undefined when it has neither. In a
 * group an answer reaches the bot by mentioning it ("@toko_wati_bot 50rb", "batal @toko_wati_bot"), and
 * the mention is no part of the answer.
 */
export function withoutBotMention(text: string, botUsername: string): string | undefined {
  const mention = new RegExp(`^\\s*@${botUsername}\\b|@${botUsername}\\s*$`, "gi");
  return mention.test(text) ? text.replace(mention, "").trim() : undefined;
}
